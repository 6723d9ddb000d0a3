"""Keystone's documented GETs asked of a real Keystone and of the demo cloud, objects made
the same way in both: the evidence for which api-ref samples are stale.

:func:`prepare` makes, over HTTP and with the same bodies in either service, what the
documented GETs are about (a project with tags, a group with grants, a region, service and
endpoint, a policy tied to the endpoint, an endpoint group, a credential, limits, a domain
with an LDAP config, an implied role, a trust, an OAuth1 consumer, an application
credential with an access rule, a revoked token). :func:`answers` then sends every GET of
Keystone's api-ref that has a JSON response sample, its placeholders filled with those
objects. Answers are compared with the conformance probe's
:func:`tests.conformance.probe.first_difference`; :func:`differences` lists every
difference (not only the first) by asking it again after each one found.

``python -m tests.realcloud.keystone_samples > tests/conformance/keystone_real.json``
rewrites the facts file the docs are generated from (it starts a real Keystone);
``tests/realcloud/test_keystone_samples.py`` fails while that file is stale.
"""

from __future__ import annotations

import copy
import json
import re
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.conformance.probe import DATA_AT, Endpoint, _load, endpoints, first_difference
from tests.conformance.realfacts import KEYSTONE as FACTS
from tests.conformance.realfacts import matches, skeleton

__all__ = ["FACTS", "Made", "answers", "differences", "matches", "prepare", "sampled",
           "skeleton", "stale"]

TIMEOUT = 15
PLACEHOLDERS = {"userId": "user_id", "id": "user_id"}


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
    # a revoked token: a revocation event to list
    spent = token(root, user["name"], password, {"project": {"id": project["id"]}})
    api("DELETE", "/v3/auth/tokens", None, **{"X-Subject-Token": spent.headers[
        "X-Subject-Token"]})
    # and a user's every token revoked: a new password (``identity/core.py:1379``)
    api.ok("PATCH", f"/v3/users/{plain['id']}", {"user": {"password": uuid.uuid4().hex}})
    made.others.update({"plain_user_id": plain["id"]})
    made.ids.update({
        "user_id": user["id"], "project_id": project["id"], "domain_id": domain["id"],
        "group_id": group["id"], "role_id": member, "prior_role_id": prior["id"],
        "implies_role_id": implied["id"], "region_id": region["id"],
        "service_id": service["id"], "endpoint_id": endpoint["id"],
        "policy_id": policy["id"], "endpoint_group_id": group_of_endpoints["id"],
        "credential_id": credential["id"], "registered_limit_id": registered["id"],
        "limit_id": limit["id"], "trust_id": trust["id"], "consumer_id": consumer["id"],
        "application_credential_id": appcred["id"], "access_rule_id": rule,
        "tag": f"tag-{mark}", "group": "ldap", "option": "url"})
    undo.append(f"/v3/users/{user['id']}/application_credentials/{appcred['id']}")
    return made


def clean(api: Api, made: Made) -> None:
    """Delete what :func:`prepare` made (a domain is disabled first, as Keystone requires)."""
    for path in reversed(made.undo):
        if path.startswith("PATCH "):
            api("PATCH", path.split(" ", 1)[1], {"domain": {"enabled": False}})
        else:
            api("DELETE", path)
    for path in [p for p in made.undo if p.startswith("PATCH ")]:
        api("DELETE", path.split(" ", 1)[1])


def fill(path: str, ids: dict[str, str]) -> str | None:
    """``path`` with its placeholders filled from ``ids``; None when one has no object."""
    names = [PLACEHOLDERS.get(n, n) for n in re.findall(r"\{(\w+)\}", path)]
    if any(n not in ids for n in names):
        return None
    return re.sub(r"\{(\w+)\}", lambda m: ids[PLACEHOLDERS.get(m[1], m[1])], path)


ALSO = {"/v3/users/{user_id}": [{"user_id": "plain_user_id"}]}
"""Calls asked again of another kind of object, whose answer has other keys: a user made
with the api-ref's request but no federated identity (real Keystone sends ``federated``
only for a user that has one)."""


def answers(api: Api, made: Made) -> Iterator[tuple[Endpoint, int, list[Any]]]:
    """Every sampled GET: ``(endpoint, status, JSON answers)``, the answer about the made
    object (None when refused), then those about the objects :data:`ALSO` names; status 0
    when the path has a placeholder nothing was made for."""
    for ep in sampled():
        path = fill(ep.path, made.ids)
        if path is None:
            yield ep, 0, [None]
            continue
        headers = {"X-Subject-Token": api.token} if ep.path == "/v3/auth/tokens" else {}
        asker = Api(api.root, made.owner) if "/access_rules" in ep.path else api
        answer = asker("GET", path, None, **headers)
        bodies = [_json(answer)]
        for kind in ALSO.get(ep.path, []):
            again = fill(ep.path, {**made.ids, **{k: made.others[v] for k, v in kind.items()}})
            bodies.append(_json(asker("GET", str(again), None, **headers)))
        mine = {v for k, v in {**made.ids, **made.others}.items() if k.endswith("_id")}
        yield ep, answer.status_code, [_mine(b, mine) for b in bodies]


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


def stale(ep: Endpoint, real: Any) -> dict[str, str]:
    """Where real Keystone's answer differs from ``ep``'s sample, by the probe's rule (the
    keys its response parameters document are not extra), each worded "real Keystone 30
    sends X; sample shows Y"."""
    sample = sample_of(ep)
    answer = _closest_first(sample, real, ep.documented_keys)
    out = {}
    for where, what in differences(sample, answer, ep.documented_keys,
                                   data=DATA_AT.get(("identity", ep.path))).items():
        if what == "extra":
            out[where] = "real Keystone 30 sends it; sample lacks it"
        elif what == "missing":
            out[where] = "real Keystone 30 omits it; sample shows it"
        else:
            sent, shown = what.split(", sample has ")
            out[where] = f"real Keystone 30 sends {sent}; sample shows {shown}"
    return out


def facts(real: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """The facts file: the skeletons of real Keystone's answers to each sampled GET it
    served (one per kind of object asked about, :data:`ALSO`)."""
    out: dict[str, list[Any]] = {}
    for ep in sampled():
        for body in real.get(ep.path) or []:
            if body is not None and skeleton(body) not in out.setdefault(ep.path, []):
                out[ep.path].append(skeleton(body))
    return {path: kinds for path, kinds in out.items() if kinds}


def dumps(found: dict[str, Any]) -> str:
    """The facts file's text: one line per call, so a review shows what changed."""
    return "{\n" + ",\n".join(f"{json.dumps(k)}: {json.dumps(v, sort_keys=True)}"
                               for k, v in sorted(found.items())) + "\n}\n"


def real_answers(root: str, password: str) -> dict[str, list[Any]]:
    """Each sampled GET's answers from the real Keystone at ``root`` (objects made, then
    deleted)."""
    issued = token(root, "admin", password, {"project": {"name": "admin",
                                                         "domain": {"id": "default"}}})
    api = Api(root, issued.headers["X-Subject-Token"])
    made = prepare(api, root)
    try:
        return {ep.path: bodies for ep, status, bodies in answers(api, made)}
    finally:
        clean(api, made)


def main(out: Callable[[str], Any] = sys.stdout.write) -> None:
    """Start a real Keystone, print the facts file."""
    from . import keystone

    with tempfile.TemporaryDirectory() as tmp, keystone.running(Path(tmp)) as ks:
        out(dumps(facts(real_answers(ks.url, ks.admin_password))))


if __name__ == "__main__":
    main()
