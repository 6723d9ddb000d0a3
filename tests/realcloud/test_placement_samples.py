"""Placement's documented GETs asked of a real Placement 16 and of the demo cloud.

Every documented placement GET is asked, at the microversion and with the query the
conformance probe uses, of the real Placement (behind the real Keystone) and of the demo
cloud, about objects made the same way in each (:func:`.placement_samples.prepare`):

- the demo cloud answers with real Placement's status and, where there is a body, its key
  structure (the conformance probe's comparison), except where :data:`DEMO_GAPS` says;
- ``tests/conformance/placement_real.json`` and ``placement_status_real.json``, from which
  ``docs/conformance.md`` says which of the demo cloud's answers are key-exact with real
  Placement, are what real Placement answers now (``python -m
  tests.realcloud.placement_samples`` rewrites them).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import pytest

from osnb import democloud
from tests.conformance.probe import DATA_AT, first_difference
from tests.conformance.realfacts import PLACEMENT, PLACEMENT_STATUS, load, matches

from . import keystone
from .keystone_samples import Reply, dumps
from .placement_samples import ask, call, documented, facts, statuses


@dataclass
class Asked:
    """Each documented GET's reply from one Placement."""

    replies: dict[str, Reply]
    seconds: float

    def body(self, path: str) -> Any:
        return self.replies[path].bodies[0]


def _ask(url: str, token: str) -> Asked:
    t0 = time.monotonic()
    replies = ask(url, token, uuid.uuid4().hex, uuid.uuid4().hex)
    return Asked({r.endpoint.path: r for r in replies}, time.monotonic() - t0)


@pytest.fixture(scope="module")
def real(real_placement: keystone.Service, real_keystone: keystone.Keystone) -> Asked:
    return _ask(real_placement.url, real_keystone.admin_token())


@pytest.fixture(scope="module")
def demo(cloud: democloud.DemoCloud, admin_token: str) -> Asked:
    return _ask(cloud.url.rstrip("/") + "/placement", admin_token)


DEMO_GAPS: dict[str, str] = {}
"""Where the demo cloud's answer differs from real Placement's (its first difference)."""


def test_the_demo_cloud_answers_every_documented_get_as_real_placement(
        real: Asked, demo: Asked) -> None:
    assert {p: (r.status, demo.replies[p].status) for p, r in real.replies.items()
            if r.status != demo.replies[p].status} == {}
    assert all(r.status == 200 or r.note == "no body" for r in real.replies.values()), {
        p: (r.status, r.note) for p, r in real.replies.items()}
    found = {p: matches(real.body(p), demo.body(p), data=DATA_AT.get(("placement", p)))
             for p, r in real.replies.items() if r.status == 200}
    assert len(found) == len(documented()) - 1  # every GET but a trait's check (204)
    assert {p: d for p, d in found.items() if d} == DEMO_GAPS
    assert demo.replies["/traits/{name}"].note == "no body"


def test_allocation_candidates_key_provider_summaries_by_provider(real: Asked,
                                                                  demo: Asked) -> None:
    """At the probe's 1.34 real Placement keys ``provider_summaries`` by provider uuid, as
    the demo cloud does: those keys are data, compared by value (``DATA_AT``)."""
    (ep,) = [e for e in documented() if e.path == "/allocation_candidates"]
    assert call(ep) == ("1.34", "?resources=VCPU:1")
    for asked in (real, demo):
        body = asked.body(ep.path)
        assert list(body["provider_summaries"]) == ["{uuid}"]
        assert {"resources", "traits", "parent_provider_uuid", "root_provider_uuid"} == set(
            body["provider_summaries"]["{uuid}"])
    assert first_difference(real.body(ep.path), demo.body(ep.path)) is None
    other = {"provider_summaries": {"another": real.body(ep.path)["provider_summaries"][
        "{uuid}"]}, "allocation_requests": real.body(ep.path)["allocation_requests"]}
    assert first_difference(real.body(ep.path), other) == "provider_summaries.{uuid}: missing"
    assert first_difference(real.body(ep.path), other,
                            data=DATA_AT[("placement", ep.path)]) is None


def test_the_facts_the_docs_are_generated_from_are_current(real: Asked) -> None:
    replies = list(real.replies.values())
    stale = ("is stale: run `python -m tests.realcloud.placement_samples`, then regenerate "
             "docs/conformance.md")
    assert dumps(load(PLACEMENT)) == dumps(facts(replies)), f"placement_real.json {stale}"
    assert load(PLACEMENT_STATUS) == statuses(replies), f"placement_status_real.json {stale}"


def test_asking_both_placements_is_quick(real: Asked, demo: Asked) -> None:
    assert real.seconds < 20 and demo.seconds < 10, (real.seconds, demo.seconds)
