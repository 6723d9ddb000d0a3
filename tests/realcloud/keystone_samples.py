"""Keystone's documented GETs asked of a real Keystone and of the demo cloud, objects made
the same way in both: the evidence for which api-ref samples are stale, and the real
answers the demo cloud is held to where a call has no sample.

:func:`prepare` makes, over HTTP and with the same bodies in either service, what the
documented GETs are about (a project with tags, a group with grants, a region, service and
endpoint, a policy tied to the endpoint, its service and its region, an endpoint group, a
credential, limits, a domain with an LDAP config, an implied role, a trust, an OAuth1
consumer and an access token, an identity provider with a mapping and protocol, a service
provider, two application credentials, one with an access rule, a revoked token).
:func:`answers` then sends every GET of Keystone's api-ref, with or without a response
sample, its placeholders filled with those objects. Answers are compared with the
conformance probe's :func:`tests.conformance.probe.first_difference`; :func:`differences`
lists every difference (not only the first) by asking it again after each one found.

``python -m tests.realcloud.keystone_samples`` rewrites the two facts files the docs are
generated from, ``tests/conformance/keystone_real.json`` (skeletons of the JSON answers)
and ``keystone_status_real.json`` (each call's status and what a skeleton cannot show);
it starts a real Keystone. ``tests/realcloud/test_keystone_samples.py`` fails while
either is stale."""

from __future__ import annotations

import copy
import json
import re
import tempfile
import urllib.parse
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.conformance.probe import (
    DATA_AT,
    Endpoint,
    _load,
    endpoints,
    first_difference,
    oauth1_authorization,
)
from tests.conformance.realfacts import KEYSTONE as FACTS
from tests.conformance.realfacts import KEYSTONE_STATUS as STATUS
from tests.conformance.realfacts import matches, skeleton

__all__ = ["FACTS", "STATUS", "Made", "Reply", "answers", "differences", "documented",
           "facts_of", "matches", "prepare", "sampled", "skeleton", "stale", "statuses",
           "write"]

TIMEOUT = 15
PLACEHOLDERS = {"userId": "user_id", "id": "user_id"}


def documented() -> list[Endpoint]:
    """Every one of Keystone's documented GETs, with or without a response sample."""
    return [ep for ep in endpoints("keystone") if ep.method == "GET"]


def sampled() -> list[Endpoint]:
    """Keystone's documented GETs that have a JSON response sample."""
    return [ep for ep in endpoints("keystone")
            if ep.method == "GET" and _load(next(iter(ep.responses.values()), None))
            is not None]


class Api:
    """Plain JSON calls to one Keystone (``root`` ends before ``/v3``) with one token."""

    def __init__(self, root: str, token: str) -> None:
        self.root, self.token = root.rstrip("/"), token

    def __call__(self, method: str, path: str, body: Any = None,
                 **headers: str) -> requests.Response:
        return requests.request(method, self.root + path, json=body, timeout=TIMEOUT,
                                headers={"X-Auth-Token": self.token, **headers})

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        answer = self(method, path, body)
        assert answer.ok, (method, path, answer.status_code, answer.text[:300])
        return answer.json() if answer.content else None


def token(root: str, user: str, password: str, scope: Any,
          domain: str = "default") -> requests.Response:
    body: dict[str, Any] = {"auth": {"identity": {"methods": ["password"], "password": {
        "user": {"name": user, "password": password, "domain": {"id": domain}}}}}}
    if scope is not None:
        body["auth"]["scope"] = scope
    return requests.post(root.rstrip("/") + "/v3/auth/tokens", json=body, timeout=TIMEOUT)


@dataclass
class Made:
    """What :func:`prepare` made in one Keystone: placeholder → id, and how to undo it."""

    ids: dict[str, str]
    undo: list[str] = field(default_factory=list)
    others: dict[str, str] = field(default_factory=dict)
    """Objects of other kinds that :data:`ALSO` asks about (not made first in listings)."""
    owner: str = ""
    """The made user's token: its access rules are asked as their owner (real Keystone
    lets only their owner or a system reader see them)."""


def prepare(api: Api, root: str) -> Made:
    """Make, with the same bodies in either Keystone, what the documented GETs ask about."""
    mark = uuid.uuid4().hex[:8]
    made = Made({})
    undo = made.undo

    def create(path: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
        record: dict[str, Any] = api.ok("POST", path, {key: body})[key]
        undo.append(f"{path}/{record['id']}")
        return record

    me = api("GET", "/v3/auth/tokens", None, **{"X-Subject-Token": api.token}).json()["token"]
    roles = {r["name"]: r["id"] for r in api.ok("GET", "/v3/roles")["roles"]}
    member = roles["member"]
    domain = create("/v3/domains", "domain", {"name": f"osnb-samples-{mark}",
                                               "description": "samples"})
    undo.insert(0, f"PATCH /v3/domains/{domain['id']}")  # a domain is disabled, then deleted
    project = create("/v3/projects", "project", {
        "name": f"osnb-samples-{mark}", "domain_id": "default", "description": "samples",
        "tags": [f"tag-{mark}", "other"]})
    # a user as the api-ref's request makes one: with a federated identity
    idp, mapping = f"osnb-idp-{mark}", f"osnb-mapping-{mark}"
    api.ok("PUT", f"/v3/OS-FEDERATION/identity_providers/{idp}",
           {"identity_provider": {"enabled": True, "remote_ids": [f"https://{mark}.test"]}})
    api.ok("PUT", f"/v3/OS-FEDERATION/mappings/{mapping}", {"mapping": {"rules": [{
        "local": [{"user": {"name": "{0}"}}], "remote": [{"type": "REMOTE_USER"}]}]}})
    api.ok("PUT", f"/v3/OS-FEDERATION/identity_providers/{idp}/protocols/mapped",
           {"protocol": {"mapping_id": mapping}})
    undo += [f"/v3/OS-FEDERATION/mappings/{mapping}",
             f"/v3/OS-FEDERATION/identity_providers/{idp}"]
    password = uuid.uuid4().hex
    user = create("/v3/users", "user", {
        "name": f"osnb-samples-{mark}", "domain_id": "default", "password": password,
        "email": f"{mark}@example.org", "default_project_id": project["id"], "federated": [{"idp_id": idp, "protocols": [
            {"protocol_id": "mapped", "unique_id": f"{mark}@example.org"}]}]})
    plain = create("/v3/users", "user", {
        "name": f"osnb-plain-{mark}", "domain_id": "default",
        "email": f"plain-{mark}@example.org", "default_project_id": project["id"]})
    group = create("/v3/groups", "group", {"name": f"osnb-samples-{mark}",
                                           "domain_id": "default", "description": "samples"})
    api.ok("PUT", f"/v3/groups/{group['id']}/users/{user['id']}")
    for actor, ident in (("users", user["id"]), ("groups", group["id"])):
        api.ok("PUT", f"/v3/projects/{project['id']}/{actor}/{ident}/roles/{member}")
        api.ok("PUT", f"/v3/domains/{domain['id']}/{actor}/{ident}/roles/{member}")
        api.ok("PUT", f"/v3/OS-INHERIT/domains/{domain['id']}/{actor}/{ident}/roles/"
                      f"{member}/inherited_to_projects")
        api.ok("PUT", f"/v3/system/{actor}/{ident}/roles/{roles['reader']}")
        undo.append(f"/v3/system/{actor}/{ident}/roles/{roles['reader']}")
    api.ok("PUT", f"/v3/projects/{project['id']}/users/{me['user']['id']}/roles/{member}")
    api.ok("PUT", f"/v3/domains/{domain['id']}/users/{me['user']['id']}/roles/{member}")
    prior = create("/v3/roles", "role", {"name": f"osnb-prior-{mark}"})
    implied = create("/v3/roles", "role", {"name": f"osnb-implied-{mark}"})
    api.ok("PUT", f"/v3/roles/{prior['id']}/implies/{implied['id']}")
    # undone before the roles: on sqlite a deleted role's rule stays behind, and Keystone
    # then answers 500 to GET /v3/role_inferences
    undo.append(f"/v3/roles/{prior['id']}/implies/{implied['id']}")
    region = create("/v3/regions", "region", {"id": f"osnb-{mark}", "description": "samples"})
    service = create("/v3/services", "service", {"type": f"osnb-{mark}", "name": "samples",
                                                 "description": "samples"})
    endpoint = create("/v3/endpoints", "endpoint", {
        "service_id": service["id"], "interface": "public", "region_id": region["id"],
        "url": f"http://127.0.0.1:1/{mark}"})  # the api-ref's request: no name
    policy = create("/v3/policies", "policy", {
        "type": "application/json", "blob": json.dumps({"default": ""})})
    api.ok("PUT", f"/v3/policies/{policy['id']}/OS-ENDPOINT-POLICY/endpoints/{endpoint['id']}")
    api.ok("PUT", f"/v3/policies/{policy['id']}/OS-ENDPOINT-POLICY/services/{service['id']}")
    api.ok("PUT", f"/v3/policies/{policy['id']}/OS-ENDPOINT-POLICY/services/{service['id']}"
                  f"/regions/{region['id']}")
    provider = f"osnb-sp-{mark}"
    api.ok("PUT", f"/v3/OS-FEDERATION/service_providers/{provider}", {"service_provider": {
        "auth_url": f"https://{mark}.test/v3/OS-FEDERATION/identity_providers/acme/"
                    "protocols/saml2/auth",
        "sp_url": f"https://{mark}.test/Shibboleth.sso/SAML2/ECP", "enabled": True}})
    undo.append(f"/v3/OS-FEDERATION/service_providers/{provider}")
    group_of_endpoints = create("/v3/OS-EP-FILTER/endpoint_groups", "endpoint_group", {
        "name": f"osnb-{mark}", "description": "samples",
        "filters": {"interface": "public", "service_id": service["id"]}})
    api.ok("PUT", f"/v3/OS-EP-FILTER/endpoint_groups/{group_of_endpoints['id']}/projects/"
                  f"{project['id']}")
    api.ok("PUT", f"/v3/OS-EP-FILTER/projects/{project['id']}/endpoints/{endpoint['id']}")
    access = uuid.uuid4().hex
    credential = create("/v3/credentials", "credential", {
        "type": "ec2", "user_id": user["id"], "project_id": project["id"],
        "blob": json.dumps({"access": access, "secret": "s"})})
    registered = api.ok("POST", "/v3/registered_limits", {"registered_limits": [{
        "service_id": service["id"], "region_id": region["id"], "resource_name": "things",
        "default_limit": 10, "description": "samples"}]})["registered_limits"][0]
    limit = api.ok("POST", "/v3/limits", {"limits": [{
        "service_id": service["id"], "region_id": region["id"], "project_id": project["id"],
        "resource_name": "things", "resource_limit": 5, "description": "samples"}]}
    )["limits"][0]
    undo += [f"/v3/registered_limits/{registered['id']}", f"/v3/limits/{limit['id']}"]
    api.ok("PUT", f"/v3/domains/{domain['id']}/config", {"config": {
        "identity": {"driver": "ldap"},
        "ldap": {"url": "ldap://localhost", "user_tree_dn": "ou=Users,dc=example,dc=com"}}})
    trust = api.ok("POST", "/v3/OS-TRUST/trusts", {"trust": {
        "trustor_user_id": me["user"]["id"], "trustee_user_id": user["id"],
        "project_id": project["id"], "impersonation": False,
        "roles": [{"id": member}]}})["trust"]
    undo.append(f"/v3/OS-TRUST/trusts/{trust['id']}")
    consumer = create("/v3/OS-OAUTH1/consumers", "consumer", {"description": "samples"})
    # the user's own application credential, with an access rule
    own = token(root, user["name"], password, {"project": {"id": project["id"]}})
    assert own.status_code == 201, own.text
    mine = Api(root, own.headers["X-Subject-Token"])
    made.owner = mine.token
    appcred = mine.ok("POST", f"/v3/users/{user['id']}/application_credentials", {
        "application_credential": {"name": f"osnb-{mark}", "description": "samples",
                                   "access_rules": [{"service": "compute", "method": "GET",
                                                     "path": "/v2.1/servers"}]}}
    )["application_credential"]
    rule = appcred["access_rules"][0]["id"]
    access = _access_token(api, consumer, project["id"], member)
    undo.append(f"/v3/users/{me['user']['id']}/OS-OAUTH1/access_tokens/{access}")
    # and one without: real Keystone sends ``access_rules`` only when there are some
    # (``keystone/application_credential/backends/sql.py:212``)
    bare = mine.ok("POST", f"/v3/users/{user['id']}/application_credentials", {
        "application_credential": {"name": f"osnb-bare-{mark}", "description": "samples"}}
    )["application_credential"]
    undo.append(f"/v3/users/{user['id']}/application_credentials/{bare['id']}")
    # a revoked token: a revocation event to list
    spent = token(root, user["name"], password, {"project": {"id": project["id"]}})
    api("DELETE", "/v3/auth/tokens", None, **{"X-Subject-Token": spent.headers[
        "X-Subject-Token"]})
    # and a user's every token revoked: a new password (``identity/core.py:1379``)
    api.ok("PATCH", f"/v3/users/{plain['id']}", {"user": {"password": uuid.uuid4().hex}})
    made.others.update({"plain_user_id": plain["id"], "bare_application_credential_id":
                        bare["id"]})
    made.ids.update({
        "user_id": user["id"], "project_id": project["id"], "domain_id": domain["id"],
        "group_id": group["id"], "role_id": member, "prior_role_id": prior["id"],
        "implies_role_id": implied["id"], "region_id": region["id"],
        "service_id": service["id"], "endpoint_id": endpoint["id"],
        "policy_id": policy["id"], "endpoint_group_id": group_of_endpoints["id"],
        "credential_id": credential["id"], "registered_limit_id": registered["id"],
        "limit_id": limit["id"], "trust_id": trust["id"], "consumer_id": consumer["id"],
        "application_credential_id": appcred["id"], "access_rule_id": rule,
        "tag": f"tag-{mark}", "group": "ldap", "option": "url", "idp_id": idp,
        "protocol_id": "mapped", "mapping_id": mapping, "sp_id": provider,
        "system_role_id": roles["reader"], "access_token_id": access,
        "own_user": me["user"]["id"]})
    undo.append(f"/v3/users/{user['id']}/application_credentials/{appcred['id']}")
    return made


def _access_token(api: Api, consumer: dict[str, Any], project_id: str, role_id: str) -> str:
    """An OAuth1 access token the caller delegates ``role_id`` on ``project_id`` with, made
    the documented way: a signed request token, authorized by the caller (Keystone lets
    only an admin authorize), traded for an access token."""
    keys = (consumer["id"], consumer["secret"])
    url = f"{api.root}/v3/OS-OAUTH1/request_token"
    asked = requests.post(url, timeout=TIMEOUT, headers={
        "Requested-Project-Id": project_id,
        "Authorization": oauth1_authorization("POST", url, keys, oauth_callback="oob")})
    assert asked.status_code == 201, asked.text
    got = urllib.parse.parse_qs(asked.text)
    request = (got["oauth_token"][0], got["oauth_token_secret"][0])
    verifier = api.ok("PUT", f"/v3/OS-OAUTH1/authorize/{request[0]}",
                      {"roles": [{"id": role_id}]})["token"]["oauth_verifier"]
    url = f"{api.root}/v3/OS-OAUTH1/access_token"
    traded = requests.post(url, timeout=TIMEOUT, headers={"Authorization": oauth1_authorization(
        "POST", url, keys, request, oauth_verifier=verifier)})
    assert traded.status_code == 201, traded.text
    return urllib.parse.parse_qs(traded.text)["oauth_token"][0]


def clean(api: Api, made: Made) -> None:
    """Delete what :func:`prepare` made (a domain is disabled first, as Keystone requires)."""
    for path in reversed(made.undo):
        if path.startswith("PATCH "):
            api("PATCH", path.split(" ", 1)[1], {"domain": {"enabled": False}})
        else:
            api("DELETE", path)
    for path in [p for p in made.undo if p.startswith("PATCH ")]:
        api("DELETE", path.split(" ", 1)[1])


NAMED = {"/v3/users/{user_id}/OS-OAUTH1/": {"user_id": "own_user"},
         "/v3/OS-FEDERATION/identity_providers/": {"id": "idp_id"},
         "/v3/OS-FEDERATION/mappings/": {"id": "mapping_id"},
         "/v3/OS-FEDERATION/service_providers/": {"id": "sp_id"},
         "/v3/system/": {"role_id": "system_role_id"}}
"""Placeholders named for what the path is about: the user of an OAuth1 access token is
the one who authorized it (the caller); ``{id}`` of an identity provider, a
mapping, a service provider; ``{role_id}`` of a system grant (the made grants are of
``reader``)."""


def fill(path: str, ids: dict[str, str]) -> str | None:
    """``path`` with its placeholders filled from ``ids``; None when one has no object."""
    named = {**PLACEHOLDERS, **next((v for k, v in NAMED.items() if path.startswith(k)), {})}
    names = [named.get(n, n) for n in re.findall(r"\{(\w+)\}", path)]
    if any(n not in ids for n in names):
        return None
    return re.sub(r"\{(\w+)\}", lambda m: ids[named.get(m[1], m[1])], path)


ALSO = {"/v3/users/{user_id}": [{"user_id": "plain_user_id"}],
        "/v3/users/{user_id}/application_credentials/{application_credential_id}": [
            {"application_credential_id": "bare_application_credential_id"}]}
"""Calls asked again of another kind of object, whose answer has other keys: a user made
with the api-ref's request but no federated identity (real Keystone sends ``federated``
only for a user that has one); an application credential without access rules."""


@dataclass
class Reply:
    """One documented GET asked of one Keystone."""

    endpoint: Endpoint
    status: int
    """0 when the path has a placeholder nothing was made for."""
    bodies: list[Any]
    """The JSON answer about the made object (None when refused or not JSON), then those
    about the objects :data:`ALSO` names."""
    note: str = ""
    """What a JSON body cannot show: the message of a refusal, ``no body``, or the media
    type of a body that is not JSON (placeholders in place of made ids)."""


def answers(api: Api, made: Made) -> Iterator[Reply]:
    """Every documented GET asked about the made objects, then about those :data:`ALSO`
    names; the ids in a list cut to the made ones (:func:`_mine`)."""
    mine = {v for k, v in {**made.ids, **made.others}.items() if k.endswith("_id")}
    for ep in documented():
        path = fill(ep.path, made.ids)
        if path is None:
            yield Reply(ep, 0, [None])
            continue
        headers = {"X-Subject-Token": api.token} if ep.path == "/v3/auth/tokens" else {}
        asker = Api(api.root, made.owner) if "/access_rules" in ep.path else api
        answer = asker("GET", path, None, **headers)
        bodies = [_json(answer)]
        for kind in ALSO.get(ep.path, []):
            again = fill(ep.path, {**made.ids, **{k: made.others[v] for k, v in kind.items()}})
            bodies.append(_json(asker("GET", str(again), None, **headers)))
        yield Reply(ep, answer.status_code, [_mine(b, mine) for b in bodies],
                    _note(answer, {**made.ids, **made.others}))


def _note(answer: requests.Response, ids: dict[str, str]) -> str:
    """A refusal's message, ``no body``, or a body's media type when it is not JSON; ""
    for a JSON answer. Made ids are given back as their placeholders."""
    if answer.ok and not answer.content:
        return "no body"
    if answer.ok:
        kind = answer.headers.get("Content-Type", "").split(";")[0]
        return "" if _json(answer) is not None else kind or "a body that is not JSON"
    try:  # Keystone's error, or Placement's first one
        error = answer.json()
        text = str(error["error"]["message"] if "error" in error
                   else error["errors"][0]["detail"])
    except (ValueError, KeyError, TypeError, IndexError):  # an HTML page: its paragraph
        page = re.search(r"<p>(.*?)</p>", answer.text, re.S)
        text = re.sub(r"<[^>]+>|\s+", " ", page[1] if page else answer.text).strip()
    for name, ident in sorted(ids.items(), key=lambda item: -len(item[1])):
        if len(ident) > 4:
            text = text.replace(ident, "{" + name + "}")
    return text[:200]


def _json(answer: requests.Response) -> Any:
    try:
        return answer.json() if answer.ok else None
    except ValueError:
        return None


def _mine(body: Any, made: set[str]) -> Any:
    """``body`` with each list cut to the items about what :func:`prepare` made (an item
    naming one of its ids), where there are some: the same objects are then compared in
    both Keystones, whatever else each one holds (other tests share the real one)."""
    if isinstance(body, dict):
        return {k: _mine(v, made) for k, v in body.items()}
    if isinstance(body, list):
        ours = [i for i in body if isinstance(i, dict) and _names(i, made)]
        return [_mine(i, made) for i in ours or body]
    return body


def _names(body: Any, made: set[str]) -> bool:
    if isinstance(body, dict):
        return any(_names(v, made) for v in body.values())
    if isinstance(body, list):
        return any(_names(v, made) for v in body)
    return isinstance(body, str) and (body in made or any(
        body.endswith(f"/{ident}") for ident in made))


def sample_of(ep: Endpoint) -> Any:
    return _load(next(iter(ep.responses.values())))


# -- every difference, with the probe's comparison ---------------------------------------
_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _steps(path: str) -> list[str | int]:
    return [int(i) if i else k for k, i in _STEP.findall(path)] if path != "(root)" else []


def _at(node: Any, step: str | int) -> Any:
    if isinstance(step, int):
        return node[step]
    return node[step] if step in node else next(iter(node.values()))  # a data key


def _patch(sample: Any, answer: Any, found: str) -> None:
    """Make ``answer`` agree with ``sample`` at ``found`` (one first_difference)."""
    where, what = found.rsplit(": ", 1)
    steps = _steps(where)
    parent_s, parent_a = sample, answer
    for step in steps[:-1]:
        parent_s, parent_a = _at(parent_s, step), parent_a[step]
    last = steps[-1] if steps else None
    if what == "extra":
        del parent_a[last]
    elif last is None:
        raise ValueError(found)  # the root's type differs: nothing further to compare
    else:
        parent_a[last] = copy.deepcopy(_at(parent_s, last))


def differences(sample: Any, answer: Any, documented: frozenset[str] = frozenset(),
                limit: int = 40, data: dict[str, int] | None = None) -> dict[str, str]:
    """Every key path where ``answer`` differs from ``sample`` (the probe's
    :func:`first_difference`, asked again after each one found), each with what it is."""
    answer = copy.deepcopy(answer)
    out: dict[str, str] = {}
    while len(out) < limit:
        found = first_difference(sample, answer, documented=documented, data=data)
        if found is None:
            break
        where, what = found.rsplit(": ", 1)
        out[where] = what
        try:
            _patch(sample, answer, found)
        except (KeyError, IndexError, TypeError, ValueError, StopIteration):
            break
    return out


def _closest_first(sample: Any, answer: Any, documented: frozenset[str]) -> Any:
    """``answer`` with, in each listed collection, the item closest to the sample's first
    item first: the sample's first role assignment is on a domain; real Keystone's answer
    has one too, wherever it lists it."""
    if not isinstance(sample, dict) or not isinstance(answer, dict):
        return answer
    out = dict(answer)
    for key, items in answer.items():
        model = sample.get(key)
        if isinstance(items, list) and len(items) > 1 and isinstance(model, list) and model:
            out[key] = sorted(items, key=lambda i: len(differences(
                {key: model[:1]}, {key: [i]}, documented)))
    return out


def stale(ep: Endpoint, real: Any, *, name: str = "Keystone 30",
          service: str = "identity") -> dict[str, str]:
    """Where the real service's answer differs from ``ep``'s sample, by the probe's rule
    (the keys its response parameters document are not extra), each worded "real
    Keystone 30 sends X; sample shows Y" (``name``: another service and release)."""
    sample = sample_of(ep)
    answer = _closest_first(sample, real, ep.documented_keys)
    out = {}
    for where, what in differences(sample, answer, ep.documented_keys,
                                   data=DATA_AT.get((service, ep.path))).items():
        if what == "extra":
            out[where] = f"real {name} sends it; sample lacks it"
        elif what == "missing":
            out[where] = f"real {name} omits it; sample shows it"
        else:
            sent, shown = what.split(", sample has ")
            out[where] = f"real {name} sends {sent}; sample shows {shown}"
    return out


def facts(real: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The facts file: the skeletons of real Keystone's JSON answers to each documented
    GET (one per kind of object asked about, :data:`ALSO`)."""
    return facts_of(documented(), real)


def facts_of(calls: list[Endpoint], real: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The distinct skeletons of each call's JSON answers, for the calls that had one."""
    out: dict[str, list[Any]] = {}
    for ep in calls:
        for body in real.get(ep.path) or []:
            if body is not None and skeleton(body) not in out.setdefault(ep.path, []):
                out[ep.path].append(skeleton(body))
    return {path: kinds for path, kinds in out.items() if kinds}


def statuses(replies: list[Reply]) -> dict[str, list[Any]]:
    """The status facts file: each documented GET's ``[status, note]`` (:attr:`Reply.note`)."""
    return {r.endpoint.path: [r.status, r.note] for r in replies}


def dumps(found: dict[str, Any]) -> str:
    """The facts file's text: one line per call, so a review shows what changed."""
    return "{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v, sort_keys=True)}"
                               for k, v in sorted(found.items())) + "\n}\n"


def real_answers(root: str, password: str) -> list[Reply]:
    """Each documented GET's answers from the real Keystone at ``root`` (objects made,
    then deleted)."""
    issued = token(root, "admin", password, {"project": {"name": "admin",
                                                         "domain": {"id": "default"}}})
    api = Api(root, issued.headers["X-Subject-Token"])
    made = prepare(api, root)
    try:
        return list(answers(api, made))
    finally:
        clean(api, made)


def write(replies: list[Reply], skeletons: Path = FACTS, status: Path = STATUS) -> None:
    """Write both facts files from real Keystone's replies."""
    skeletons.write_text(dumps(facts({r.endpoint.path: r.bodies for r in replies})),
                         encoding="utf-8")
    status.write_text(dumps(statuses(replies)), encoding="utf-8")


def main() -> None:
    """Start a real Keystone, rewrite both facts files."""
    from . import keystone

    with tempfile.TemporaryDirectory() as tmp, keystone.running(Path(tmp)) as ks:
        write(real_answers(ks.url, ks.admin_password))


if __name__ == "__main__":
    main()
