"""What a real service answered, kept as facts the docs are generated from.

``keystone_real.json`` holds, for each of Keystone's documented GETs that real Keystone 30
answers with JSON (with or without a response sample), the :func:`skeleton` of its
answers (their keys and JSON types, no data; one per kind of object asked about: a user
with a federated identity and one without, an application credential with access rules
and one without), and ``keystone_status_real.json`` each documented GET's status and what
a skeleton cannot show; both recorded by ``python -m tests.realcloud.keystone_samples``
against a real Keystone; ``tests/realcloud/test_keystone_samples.py`` fails while they are
stale. ``placement_real.json`` and ``placement_status_real.json`` are the same of real
Placement 16 (``tests/realcloud/placement_samples.py``). The report then says, without a
running service, which of the demo cloud's answers that are not key-exact with the
api-ref's sample, or that have none, agree with the real service's (:func:`matches`).
``neutron_real.json`` and ``neutron_status_real.json`` are the same of the network api-ref
and real Neutron 29 (one answer per call), recorded by ``python -m
tests.realcloud.neutron_samples`` and checked by ``tests/realcloud/test_neutron_samples.py``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from itertools import islice, product
from pathlib import Path
from typing import Any

from .probe import _kind, first_difference

__all__ = ["KEYSTONE", "KEYSTONE_STATUS", "NEUTRON", "NEUTRON_STATUS", "PLACEMENT",
           "PLACEMENT_STATUS", "load", "matches", "skeleton"]

KEYSTONE = Path(__file__).resolve().with_name("keystone_real.json")
KEYSTONE_STATUS = Path(__file__).resolve().with_name("keystone_status_real.json")
"""Each documented GET's ``[status, note]`` from real Keystone: what a skeleton cannot show
(a refusal's message, ``no body``, a body's media type when not JSON)."""
PLACEMENT = Path(__file__).resolve().with_name("placement_real.json")
PLACEMENT_STATUS = Path(__file__).resolve().with_name("placement_status_real.json")
"""The same two facts of real Placement 16 (``python -m tests.realcloud.placement_samples``,
checked by ``tests/realcloud/test_placement_samples.py``)."""
NEUTRON = Path(__file__).resolve().with_name("neutron_real.json")
NEUTRON_STATUS = Path(__file__).resolve().with_name("neutron_status_real.json")
"""Each documented network GET's ``[status, note]`` from real Neutron 29."""


def load(path: Path = KEYSTONE) -> dict[str, list[Any]]:
    """``{api-ref path: [skeleton of a real answer, …]}``; empty when not recorded."""
    if not path.is_file():
        return {}
    facts: dict[str, list[Any]] = json.loads(path.read_text(encoding="utf-8"))
    return facts


def skeleton(body: Any) -> Any:
    """An answer's structure with no data: each value replaced by one of its JSON type
    (null kept), each array by its distinct item skeletons, in a fixed order."""
    if isinstance(body, dict):
        return {k: skeleton(v) for k, v in body.items()}
    if isinstance(body, list):
        kinds = {json.dumps(item, sort_keys=True): item for item in map(skeleton, body)}
        return [kinds[k] for k in sorted(kinds)]
    return {"string": "", "number": 0, "boolean": False, "null": None}.get(_kind(body), body)


def matches(reference: Any, answer: Any, **how: Any) -> str | None:
    """The probe's :func:`.probe.first_difference` of ``answer`` from ``reference``, where
    each array of the reference may be in any order: a skeleton keeps an array's distinct
    kinds of item sorted, not as sent, and the probe compares an array by its first item,
    so the answer's first item is compared with each of the reference's kinds in turn, at
    any depth (a role assignment on a project comes first in one Keystone, one on a domain
    in another; a QoS rule type's first parameter is a range in one answer, a choice in
    another). None when one ordering agrees (at most :data:`ORDERINGS` are tried).
    ``how``: the probe's options of ``first_difference`` (``data``: keys that are data)."""
    found = first_difference(reference, answer, **how)
    if found is None:
        return None
    for turned in islice(_orderings(reference), 1, ORDERINGS):
        if first_difference(turned, answer, **how) is None:
            return None
    return found


ORDERINGS = 512
"""How many orderings of a reference's arrays :func:`matches` tries at most."""


def _orderings(value: Any) -> Iterator[Any]:
    """``value`` (first), then with its arrays' items turned so that each comes first, at
    every depth (only an array's first item is compared)."""
    if isinstance(value, dict):
        keys = list(value)
        for combo in product(*(list(islice(_orderings(value[k]), ORDERINGS))
                               for k in keys)):
            yield dict(zip(keys, combo, strict=True))
    elif isinstance(value, list) and value:
        for i in range(len(value)):
            turned = value[i:] + value[:i]
            for first in _orderings(turned[0]):
                yield [first, *turned[1:]]
    else:
        yield value
