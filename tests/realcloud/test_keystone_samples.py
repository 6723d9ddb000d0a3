"""Keystone's api-ref samples held to a real Keystone 30, and the demo cloud held to both.

Every documented identity GET, with or without a response sample, is asked of the real
Keystone and of the demo cloud, about objects made the same way in each
(:func:`.keystone_samples.prepare`). Four things are checked:

- the demo cloud answers with the key structure real Keystone does (the conformance
  probe's comparison, an item of a listing compared with real Keystone's items of every
  kind), except where :data:`DEMO_GAPS` records the difference, and without a body where
  real Keystone sends none;
- both answer each call with the same status, except where :data:`STATUS_GAPS` says;
- where real Keystone and the api-ref's sample disagree, :data:`STALE` records it, key
  path by key path (the probe's rule: keys the call's response parameters document are
  not extra): this is the evidence that a sample is stale, taken from the real service;
- ``tests/conformance/keystone_real.json`` and ``keystone_status_real.json``, from which
  ``docs/conformance.md`` says which of the demo cloud's answers are key-exact with real
  Keystone and what real Keystone answers to the calls the demo cloud refuses, are what
  real Keystone answers now (``python -m tests.realcloud.keystone_samples`` rewrites them).

Each table fails when it goes stale, so a fix on either side shows."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pytest

from osnb import democloud
from tests.conformance.probe import DATA_AT
from tests.conformance.realfacts import KEYSTONE_STATUS as STATUS
from tests.conformance.realfacts import load, matches

from . import keystone
from .keystone_samples import (
    Api,
    Reply,
    answers,
    clean,
    documented,
    dumps,
    facts,
    prepare,
    sampled,
    stale,
    statuses,
    token,
)

SENDS = "real Keystone 30 sends it; sample lacks it"
OMITS = "real Keystone 30 omits it; sample shows it"
STRING = "real Keystone 30 sends string; sample shows object"

STALE: dict[str, dict[str, str]] = {
    "/v3/users/{user_id}/application_credentials": {
        "application_credentials[0].user_id": SENDS,
        "application_credentials[0].system": SENDS,
        "application_credentials[0].roles[0].options": SENDS,
    },
    "/v3/users/{user_id}/application_credentials/{application_credential_id}": {
        "application_credential.user_id": SENDS, "application_credential.system": SENDS,
        "application_credential.roles[0].options": SENDS,
    },
    "/v3/auth/tokens": {"token.is_domain": SENDS, "token.service_providers": SENDS},
    "/v3/auth/catalog": {
        "catalog[0].endpoints[0].region_id": SENDS, "links.previous": OMITS,
        "links.next": OMITS,
    },
    "/v3/auth/projects": {
        "projects[0].description": SENDS, "projects[0].parent_id": SENDS,
        "projects[0].is_domain": SENDS, "projects[0].tags": SENDS,
        "projects[0].options": SENDS,
    },
    "/v3/auth/domains": {"domains[0].tags": SENDS, "domains[0].options": SENDS},
    "/v3/domains/config/{group}/{option}/default": {"driver": OMITS, "config": SENDS},
    "/v3/domains/{domain_id}/config/{group}/{option}": {"url": OMITS},
    "/v3/domains/{domain_id}/config/{group}": {"ldap": OMITS},
    "/v3/domains": {"domains[0].tags": SENDS, "domains[0].options": SENDS},
    "/v3/domains/{domain_id}": {"domain.tags": SENDS},
    "/v3/OS-INHERIT/domains/{domain_id}/users/{user_id}/roles/inherited_to_projects": {
        "roles[0].domain_id": SENDS, "roles[0].description": SENDS, "roles[0].options": SENDS,
    },
    "/v3/OS-INHERIT/domains/{domain_id}/groups/{group_id}/roles/inherited_to_projects": {
        "roles[0].domain_id": SENDS, "roles[0].description": SENDS, "roles[0].options": SENDS,
    },
    "/v3/policies": {"policies[0].blob": STRING},
    "/v3/policies/{policy_id}": {"policy.blob": STRING},
    "/v3/projects/{project_id}/tags": {"links": SENDS},
    "/v3/projects": {"projects[0].options": SENDS},
    "/v3/projects/{project_id}": {"project.tags": SENDS},
    "/v3/roles": {"roles[0].options": SENDS},
    "/v3/roles/{role_id}": {"role.options.immutable": SENDS},
    "/v3/domains/{domain_id}/groups/{group_id}/roles": {
        "roles[0].domain_id": SENDS, "roles[0].description": SENDS, "roles[0].options": SENDS,
    },
    "/v3/domains/{domain_id}/users/{user_id}/roles": {
        "roles[0].domain_id": SENDS, "roles[0].description": SENDS, "roles[0].options": SENDS,
    },
    "/v3/projects/{project_id}/groups/{group_id}/roles": {
        "roles[0].domain_id": SENDS, "roles[0].description": SENDS, "roles[0].options": SENDS,
    },
    "/v3/projects/{project_id}/users/{user_id}/roles": {
        "roles[0].domain_id": SENDS, "roles[0].description": SENDS, "roles[0].options": SENDS,
    },
    "/v3/role_inferences": {
        "links": OMITS, "role_inferences[0].prior_role.description": OMITS,
        "role_inferences[0].implies[0].description": OMITS,
    },
    "/v3/system/users/{user_id}/roles": {
        "roles[0].description": SENDS, "roles[0].options": SENDS,
    },
    "/v3/system/groups/{group_id}/roles": {
        "roles[0].description": SENDS, "roles[0].options": SENDS,
    },
    "/v3/users": {"users[0].email": SENDS, "users[0].options": SENDS},
    "/v3/users/{user_id}": {"user.email": SENDS, "user.options": SENDS},
    "/v3/users/{user_id}/projects": {
        "projects[0].is_domain": SENDS, "projects[0].tags": SENDS,
        "projects[0].options": SENDS,
    },
    "/v3/policies/{policy_id}/OS-ENDPOINT-POLICY/endpoints": {
        "endpoints[0].region_id": SENDS, "endpoints[0].enabled": SENDS,
    },
    "/v3/endpoints/{endpoint_id}/OS-ENDPOINT-POLICY/policy": {"policy.blob": STRING},
    "/v3/OS-EP-FILTER/endpoint_groups": {
        "endpoint_groups[0].endpoint_group": OMITS, "endpoint_groups[0].id": SENDS,
        "endpoint_groups[0].name": SENDS, "endpoint_groups[0].description": SENDS,
        "endpoint_groups[0].filters": SENDS, "endpoint_groups[0].links": SENDS,
    },
    "/v3/OS-EP-FILTER/projects/{project_id}/endpoints": {
        "endpoints[0].region_id": SENDS, "endpoints[0].enabled": SENDS,
    },
    "/v3/OS-EP-FILTER/endpoints/{endpoint_id}/projects": {
        "projects[0].parent_id": SENDS, "projects[0].is_domain": SENDS,
        "projects[0].tags": SENDS, "projects[0].options": SENDS,
    },
    "/v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}/projects/{project_id}": {
        "project": OMITS, "project_endpoint_group": SENDS,
    },
    "/v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}/projects": {
        "projects[0].parent_id": SENDS, "projects[0].is_domain": SENDS,
        "projects[0].tags": SENDS, "projects[0].options": SENDS,
    },
    "/v3/OS-EP-FILTER/projects/{project_id}/endpoint_groups": {
        "endpoint_groups[0].endpoint_group": OMITS, "endpoint_groups[0].id": SENDS,
        "endpoint_groups[0].name": SENDS, "endpoint_groups[0].description": SENDS,
        "endpoint_groups[0].filters": SENDS, "endpoint_groups[0].links": SENDS,
    },
    "/v3/OS-OAUTH1/consumers": {"consumers[0].description": SENDS},
    "/v3/users/{user_id}/OS-OAUTH1/access_tokens/{access_token_id}/roles": {
        "roles[0].options": SENDS},
    "/v3/users/{user_id}/OS-OAUTH1/access_tokens/{access_token_id}/roles/{role_id}": {
        "role.options": SENDS},
    "/v3/OS-REVOKE/events": {"links": SENDS, "events[0].revoked_at": SENDS},
    "/v3/OS-TRUST/trusts": {"trusts[0].deleted_at": SENDS},
    "/v3/OS-TRUST/trusts/{trust_id}": {
        "trust.deleted_at": SENDS, "trust.roles[0].domain_id": SENDS,
        "trust.roles[0].description": SENDS, "trust.roles[0].options": SENDS,
    },
    "/v3/OS-TRUST/trusts/{trust_id}/roles": {
        "links": SENDS, "roles[0].domain_id": SENDS, "roles[0].description": SENDS,
        "roles[0].options": SENDS,
    },
    "/v3/OS-TRUST/trusts/{trust_id}/roles/{role_id}": {
        "role.domain_id": SENDS, "role.description": SENDS, "role.options": SENDS,
    },
}
"""Where real Keystone 30's answer differs from the api-ref's sample: call → key path →
what each shows (kept: real Keystone's keys stay; the row stays not key-exact with its
sample). Where Keystone 30 (``keystone/…``) makes them: ``options`` of projects, domains,
roles, users (``resource/backends/sql_model.py:36``, ``assignment/role_backends/
sql_model.py:28``, ``identity/backends/sql_model.py:267``); a project's and a domain's
``tags`` (``resource/backends/sql_model.py:65``); a role's ``domain_id`` and ``description``
(``assignment/role_backends/sql_model.py:53``); a token's ``is_domain``
(``common/render_token.py:85``) and, when a service provider is enabled, its
``service_providers`` (``common/render_token.py:105``); an application credential's
``user_id`` and ``system`` (``application_credential/backends/sql.py:33``); a catalog endpoint's ``region_id``
(``catalog/backends/sql.py:312``); a trust's ``deleted_at``, ``remaining_uses``,
``redelegated_trust_id``, ``redelegation_count`` (``trust/backends/sql.py:37``) and its
roles' ``links`` (``api/trusts.py:492``); an OAuth1 consumer's ``description``
(``oauth1/backends/sql.py:33``); an access token's roles keep ``options`` (``api/users.py:217``
drops ``description`` alone); the ``links`` of a project's tags (``api/projects.py:243``)
and of revocation events (``api/os_revoke.py:57``); a policy's ``blob`` is a string
(``policy/schema.py:15``); a domain's config group comes wrapped in ``config``
(``api/domains.py:320``); endpoint groups are listed unwrapped
(``api/os_ep_filter.py:77``); role inferences have no ``links`` and their roles no
``description`` (``api/role_inferences.py:65``, ``api/_shared/implied_roles.py:24``)."""

DEMO_GAPS: dict[str, str] = {}
"""Where the demo cloud still differs from real Keystone (its first difference): none.
The last one, ``GET /v3/auth/catalog``'s paging links (real Keystone sends ``self`` alone,
``keystone/api/auth.py:258``), is fixed."""


STATUS_GAPS: dict[str, tuple[int, int]] = {
    "/v3/OS-FEDERATION/saml2/metadata": (500, 200),
}
"""Calls real Keystone and the demo cloud answer with another status: call → (real, demo).
Keystone 30 with no ``[saml] idp_metadata_path`` generated (``keystone-manage
saml_idp_metadata``) fails the call with a 500; the demo cloud answers as a Keystone set up
as an identity provider does, with its metadata (``text/xml``)."""


@dataclass
class Asked:
    """Each documented GET's status and JSON answer, from one Keystone."""

    status: dict[str, int]
    body: dict[str, Any]
    more: dict[str, list[Any]]
    """The answers about the other objects :data:`.keystone_samples.ALSO` names."""
    seconds: float
    replies: list[Reply]
    admin_reads_rules: int = 0
    """The status of a project admin's ``GET`` of the made user's access rules."""

    def note(self, path: str) -> str:
        return next(r.note for r in self.replies if r.endpoint.path == path)


def _ask(root: str, user: str, password: str, project: str) -> Asked:
    t0 = time.monotonic()
    issued = token(root, user, password, {"project": {"name": project,
                                                      "domain": {"id": "default"}}})
    assert issued.status_code == 201, issued.text
    api = Api(root, issued.headers["X-Subject-Token"])
    made = prepare(api, root)
    try:
        replies = list(answers(api, made))
        rules = api("GET", f"/v3/users/{made.ids['user_id']}/access_rules").status_code
    finally:
        clean(api, made)
    return Asked({r.endpoint.path: r.status for r in replies},
                 {r.endpoint.path: r.bodies[0] for r in replies},
                 {r.endpoint.path: r.bodies[1:] for r in replies},
                 time.monotonic() - t0, replies, rules)


@pytest.fixture(scope="module")
def real(real_keystone: keystone.Keystone) -> Asked:
    return _ask(real_keystone.url, keystone.ADMIN_USER, real_keystone.admin_password,
                keystone.ADMIN_PROJECT)


@pytest.fixture(scope="module")
def demo(cloud: democloud.DemoCloud) -> Asked:
    auth = cloud.clouds["clouds"]["demo"]["auth"]
    return _ask(cloud.url.rstrip("/") + "/identity", auth["username"], auth["password"],
                auth["project_name"])


def test_the_demo_cloud_answers_with_real_keystones_keys(real: Asked, demo: Asked) -> None:
    """Every documented GET both answer with JSON, sampled or not, has real Keystone's keys;
    a GET both answer without a body has no body in either."""
    both = [p for p, code in real.status.items() if code == 200 and demo.status[p] == 200]
    assert len(both) >= 80, both  # every documented GET with an object to ask of
    found = {path: matches(real.body[path], demo.body[path],
                           data=DATA_AT.get(("identity", path)))
             for path in both}
    assert {p: d for p, d in found.items() if d} == DEMO_GAPS
    for path, bodies in real.more.items():  # the other kinds of object (a plain user)
        for real_body, demo_body in zip(bodies, demo.more[path], strict=True):
            assert matches(real_body, demo_body) is None, path
    empty = [p for p in real.status if real.note(p) == "no body"]
    assert len(empty) >= 6 and all(demo.note(p) == "no body" for p in empty), empty


def test_an_application_credential_without_access_rules_has_no_access_rules_key(
        real: Asked, demo: Asked) -> None:
    """Real Keystone sends ``access_rules`` only for a credential that has some
    (``keystone/application_credential/backends/sql.py:212``); so does the demo cloud."""
    path = "/v3/users/{user_id}/application_credentials/{application_credential_id}"
    for asked in (real, demo):
        ruled, (bare,) = asked.body[path], asked.more[path]
        assert ruled["application_credential"]["access_rules"], asked
        assert "access_rules" not in bare["application_credential"], asked


def test_real_keystone_serves_what_the_demo_cloud_serves(real: Asked, demo: Asked) -> None:
    """The same calls answer with the same status on both, except where
    :data:`STATUS_GAPS` records the difference."""
    assert {p: (code, demo.status[p]) for p, code in real.status.items()
            if code != demo.status[p]} == STATUS_GAPS


def test_the_samples_differ_from_real_keystone_where_recorded(real: Asked) -> None:
    found = {ep.path: stale(ep, real.body[ep.path]) for ep in sampled()
             if real.body.get(ep.path) is not None}
    assert {p: d for p, d in found.items() if d} == STALE


def test_the_facts_the_docs_are_generated_from_are_current(real: Asked) -> None:
    stale_file = ("is stale: run `python -m tests.realcloud.keystone_samples`, then "
                  "regenerate docs/conformance.md")
    found = facts({p: [b, *real.more[p]] for p, b in real.body.items()})
    assert load() == found, f"tests/conformance/keystone_real.json {stale_file}"
    assert dumps(load()) == dumps(found)
    assert load(STATUS) == statuses(real.replies), (
        f"tests/conformance/keystone_status_real.json {stale_file}")
    assert set(load(STATUS)) == {ep.path for ep in documented()}


def test_asking_both_keystones_is_quick(real: Asked, demo: Asked) -> None:
    """Making the objects and asking every documented GET stays a few seconds on each."""
    assert real.seconds < 30 and demo.seconds < 10, (real.seconds, demo.seconds)


def test_only_their_owner_or_a_system_reader_reads_a_users_access_rules(
        real: Asked, demo: Asked) -> None:
    """Keystone 30's ``identity:list_access_rules`` is ``SYSTEM_READER_OR_OWNER``
    (``keystone/common/policies/access_rule.py:22``): a project-scoped admin gets 403."""
    assert real.admin_reads_rules == 403
    assert demo.admin_reads_rules == real.admin_reads_rules
