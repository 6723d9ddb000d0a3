"""Placement's documented GETs asked of a real Placement and of the demo cloud, objects made
the same way in both: the real answers the demo cloud is held to.

:func:`prepare` makes, over HTTP and with the same bodies in either service, what the
documented GETs are about: a custom resource class and trait, a resource provider with
inventory of standard and custom classes, traits and an aggregate, and a consumer's
allocation against it. :func:`answers` then sends every GET of Placement's api-ref at the
microversion and with the query the conformance probe sends it (:func:`call`), its
placeholders filled with those objects.

``python -m tests.realcloud.placement_samples`` rewrites the two facts files the docs are
generated from, ``tests/conformance/placement_real.json`` (skeletons of the JSON answers)
and ``placement_status_real.json`` (each call's status and what a skeleton cannot show);
it starts a real Keystone and Placement. ``tests/realcloud/test_placement_samples.py``
fails while either is stale.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conformance.probe import (
    QUERY_AT,
    Endpoint,
    _documented,
    _pick,
    _sample_query,
    endpoints,
)
from tests.conformance.realfacts import PLACEMENT as FACTS
from tests.conformance.realfacts import PLACEMENT_STATUS as STATUS

from .keystone_samples import Api, Reply, _json, _note, dumps, facts_of, skeleton

__all__ = ["FACTS", "STATUS", "Made", "answers", "call", "clean", "documented", "facts",
           "prepare", "skeleton", "statuses", "write"]

WRITE_AT = "1.39"
"""The microversion the objects are made at (the newest both speak)."""


def documented() -> list[Endpoint]:
    """Every one of Placement's documented GETs, with or without a response sample."""
    return [ep for ep in endpoints("openstack-placement") if ep.method == "GET"]


def call(ep: Endpoint) -> tuple[str | None, str]:
    """The microversion and query the conformance probe asks ``ep`` at: its newest sample's,
    raised to the one its section documents; the query its sample is named for, and the
    one the probe adds (``resources=VCPU:1``, ``project_id=…``)."""
    version = _documented(ep, _pick(ep.responses, ep.service)[0])
    query = _sample_query(ep.variants.get(version, []) if version else [])
    if (ep.service, ep.path) in QUERY_AT:
        query += ("&" if query else "?") + QUERY_AT[ep.service, ep.path]
    return version, query


@dataclass
class Made:
    """What :func:`prepare` made in one Placement: placeholder → value, and how to undo it."""

    ids: dict[str, str]
    undo: list[str] = field(default_factory=list)


def _at(version: str | None) -> dict[str, str]:
    return {"OpenStack-API-Version": f"placement {version}"} if version else {}


def prepare(api: Api, project_id: str, user_id: str) -> Made:
    """Make, with the same bodies in either Placement, what the documented GETs ask about."""
    mark = uuid.uuid4().hex[:8].upper()
    made = Made({})

    def ok(method: str, path: str, body: Any = None) -> Any:
        answer = api(method, path, body, **_at(WRITE_AT))
        assert answer.ok, (method, path, answer.status_code, answer.text[:300])
        return _json(answer)

    klass, trait = f"CUSTOM_OSNB_{mark}", f"CUSTOM_OSNB_{mark}"
    for path in (f"/resource_classes/{klass}", f"/traits/{trait}"):
        ok("PUT", path)
        made.undo.append(path)
    provider = ok("POST", "/resource_providers", {"name": f"osnb-samples-{mark.lower()}"})
    rp = provider["uuid"]
    made.undo.append(f"/resource_providers/{rp}")
    generation = ok("PUT", f"/resource_providers/{rp}/inventories", {
        "resource_provider_generation": provider["generation"], "inventories": {
            "VCPU": {"total": 8}, "MEMORY_MB": {"total": 4096}, "DISK_GB": {"total": 100}}}
    )["resource_provider_generation"]
    generation = ok("PUT", f"/resource_providers/{rp}/traits", {
        "resource_provider_generation": generation,
        "traits": [trait, "HW_CPU_X86_AVX2"]})["resource_provider_generation"]
    ok("PUT", f"/resource_providers/{rp}/aggregates", {
        "resource_provider_generation": generation, "aggregates": [str(uuid.uuid4())]})
    consumer = str(uuid.uuid4())
    ok("PUT", f"/allocations/{consumer}", {
        "allocations": {rp: {"resources": {"VCPU": 1, "MEMORY_MB": 512}}},
        "project_id": project_id, "user_id": user_id, "consumer_generation": None,
        "consumer_type": "INSTANCE"})
    made.undo.append(f"/allocations/{consumer}")
    made.ids.update({"uuid": rp, "resource_class": "VCPU", "consumer_uuid": consumer,
                     "project_id": project_id, "class": klass, "trait": trait})
    return made


def clean(api: Api, made: Made) -> None:
    """Delete what :func:`prepare` made (the allocation first, the classes last)."""
    for path in reversed(made.undo):
        api("DELETE", path, None, **_at(WRITE_AT))


NAMED = {"/resource_classes/{name}": "class", "/traits/{name}": "trait"}
"""``{name}`` is a resource class or a trait: the custom ones made."""


def fill(ep: Endpoint, ids: dict[str, str]) -> str:
    """``ep``'s path and query with its placeholders filled from ``ids``."""
    _, query = call(ep)
    return re.sub(r"\{(\w+)\}", lambda m: ids[NAMED.get(ep.path, m[1])], ep.path + query)


def answers(api: Api, made: Made) -> Iterator[Reply]:
    """Every documented GET asked about the made objects, as the probe asks it."""
    for ep in documented():
        version, _ = call(ep)
        answer = api("GET", fill(ep, made.ids), None, **_at(version))
        yield Reply(ep, answer.status_code, [_mine(_json(answer), made)],
                    _note(answer, made.ids))


def _mine(body: Any, made: Made) -> Any:
    """``body`` about the made objects alone, their ids as keys named for their placeholder
    (``{uuid}``, ``{consumer_uuid}``): a listing of providers, and allocation candidates,
    cut to the made provider where they have it (the demo world's providers, or other
    tests', are not what was made); a skeleton is then the same from run to run."""
    rp = made.ids["uuid"]
    if isinstance(body, dict) and isinstance(body.get("resource_providers"), list):
        ours = [p for p in body["resource_providers"] if p.get("uuid") == rp]
        body = {**body, "resource_providers": ours or body["resource_providers"]}
    if isinstance(body, dict) and rp in (body.get("provider_summaries") or {}):
        body = {**body, "provider_summaries": {rp: body["provider_summaries"][rp]},
                "allocation_requests": [r for r in body.get("allocation_requests", [])
                                        if set(r.get("allocations", {})) == {rp}]}
    names = {v: "{" + k + "}" for k, v in made.ids.items() if k.endswith("uuid")}
    return _renamed(body, names)


def _renamed(body: Any, names: dict[str, str]) -> Any:
    if isinstance(body, dict):
        return {names.get(k, k): _renamed(v, names) for k, v in body.items()}
    if isinstance(body, list):
        return [_renamed(v, names) for v in body]
    return body


def facts(replies: list[Reply]) -> dict[str, list[Any]]:
    """The facts file: the skeleton of real Placement's JSON answer to each documented GET."""
    return facts_of(documented(), {r.endpoint.path: r.bodies for r in replies})


def statuses(replies: list[Reply]) -> dict[str, list[Any]]:
    """The status facts file: each documented GET's ``[status, note]``."""
    return {r.endpoint.path: [r.status, r.note] for r in replies}


def write(replies: list[Reply], skeletons: Path = FACTS, status: Path = STATUS) -> None:
    """Write both facts files from real Placement's replies."""
    skeletons.write_text(dumps(facts(replies)), encoding="utf-8")
    status.write_text(dumps(statuses(replies)), encoding="utf-8")


def ask(url: str, token: str, project_id: str, user_id: str) -> list[Reply]:
    """Each documented GET's reply from the Placement at ``url`` (objects made, then
    deleted)."""
    api = Api(url, token)
    made = prepare(api, project_id, user_id)
    try:
        return list(answers(api, made))
    finally:
        clean(api, made)


def main() -> None:
    """Start a real Keystone and Placement, rewrite both facts files."""
    from . import keystone, placement

    with tempfile.TemporaryDirectory() as tmp, keystone.running(Path(tmp)) as ks, \
            placement.running(ks, Path(tmp)) as pl:
        write(ask(pl.url, ks.admin_token(), uuid.uuid4().hex, uuid.uuid4().hex))


if __name__ == "__main__":
    main()
