"""Every api-ref response sample of a covered resource, read back through osnb's proxies.

For each sample the replay cloud advertises the sample's microversion as its newest, so
osnb negotiates it (samples newer than the class's ``max_microversion`` or older than its
``min_microversion`` are never what osnb reads, and are not replayed). Each declared
attribute must equal the sample's value for its wire key, converted by its declared type
(here, independently of osnb's converters); each key the sample sends must be read by an
attribute, unless :mod:`.allowlist` says why not.
"""

from __future__ import annotations

import datetime as dt
import json
import typing
from collections.abc import Iterator
from typing import Any

import pytest
from dateutil import parser as dateparser

from osnb.sdk.resource import Resource

from . import allowlist
from .covered import PROXY, Route, route
from .index import Sample, all_samples
from .replay import Replay
from .sources import ensure

PAGING = ("next", "previous", "first")


def _negotiated(cls: type[Resource], sample: Sample) -> str | None:
    if cls.max_microversion is None:
        return None
    mine = tuple(int(p) for p in cls.max_microversion.split("."))
    return cls.max_microversion if mine < sample.version_tuple() else sample.microversion


def _replayable(sample: Sample, where: Route) -> bool:
    cls = where.cls
    if sample.microversion is None:
        return True
    version = sample.version_tuple()
    if cls.max_microversion is None:
        return sample.microversion.endswith(".0") or sample.microversion == "2.1"
    low = tuple(int(p) for p in (cls.min_microversion or "0.0").split("."))
    high = tuple(int(p) for p in cls.max_microversion.split("."))
    return low <= version <= high


def _body(sample: Sample) -> Any:
    """The sample's JSON; None for the few that are not JSON (``...`` elisions)."""
    try:
        return json.loads(sample.response.read_text(encoding="utf-8"))
    except ValueError:
        return None


def _cases() -> Iterator[Any]:
    ensure()
    for sample in all_samples():
        where = route(sample)
        if where is None or not _replayable(sample, where):
            continue
        body = _body(sample)
        key = where.cls.resource_key
        if body is None or (where.kind == "get" and key and sample.method == "POST"
                            and key not in body):
            continue  # not JSON, or a create answering something else (a reservation id)
        yield pytest.param(sample, where, id=f"{sample.service}:{sample.name}")


CASES = list(_cases())
RAN: set[int] = set()


# -- the expected value, converted without osnb's converters ----------------------------
class Mismatch(Exception):
    """A sample value the declared type cannot hold."""


def _need(condition: bool, message: str) -> None:
    if not condition:
        raise Mismatch(message)


def _base(annotation: Any) -> tuple[Any, Any]:
    """(base type, item type) of a declared annotation; Any for no conversion."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return _base(args[0]) if len(args) == 1 else (Any, None)
    if origin is list:
        return list, (args[0] if args else None)
    if origin is dict:
        return dict, None
    return annotation if annotation is not None else Any, None


def _expect(value: Any, annotation: Any, where: str) -> Any:
    kind, item = _base(annotation)
    if value is None or kind is Any:
        return value
    if kind is bool:
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        _need(isinstance(value, bool), f"{where}: the sample sends {value!r}, not a bool")
        return value
    if kind is int:
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
        _need(isinstance(value, int) and not isinstance(value, bool), (
            f"{where}: the sample sends {value!r}, not an int"))
        return value
    if kind is float:
        _need(isinstance(value, (int, float, str)), f"{where}: {value!r} is not a number")
        return float(value)
    if kind is str:
        _need(isinstance(value, str), f"{where}: the sample sends {value!r}, not a str")
        return value
    if kind is dt.datetime:
        _need(isinstance(value, str), f"{where}: {value!r} is not a timestamp")
        when = dateparser.isoparse(value)
        return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)
    if kind is list:
        _need(isinstance(value, list), f"{where}: the sample sends {value!r}, not a list")
        return [_expect(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
    if kind is dict:
        _need(isinstance(value, dict), f"{where}: the sample sends {value!r}, not a dict")
        return value
    if isinstance(kind, type) and issubclass(kind, Resource):
        _need(isinstance(value, dict), f"{where}: {value!r} is not an object")
        return value
    return value


def _is_detail(value: Any) -> bool:
    """A quota in Nova's and Cinder's detail shape: ``{"limit", "in_use", "reserved"}``."""
    return isinstance(value, dict) and "limit" in value and "in_use" in value


def _check_detail(obj: Resource, name: str, key: str, value: dict[str, Any], where: str,
                  problems: list[str]) -> None:
    """A quota's detail is kept as sent, and its use and reservation are offered as
    openstacksdk's ``usage`` and ``reservation`` mappings."""
    if getattr(obj, name) != value:
        problems.append(f"{where}.{name}: osnb reads {getattr(obj, name)!r}, the sample "
                        f"sends {value!r}")
    for mapping, part in (("usage", "in_use"), ("reservation", "reserved")):
        offered = getattr(obj, mapping, None)
        if not isinstance(offered, dict) or offered.get(name) != value.get(part):
            problems.append(f"{where}.{mapping}[{name!r}]: {offered!r:.80}, the sample's "
                            f"{key!r} has {part} {value.get(part)!r}")


def _keys_read(cls: type[Resource]) -> set[str]:
    keys = set()
    for name, p in cls._props.items():
        if name == "id" and cls._id_prop is not None and cls._id_prop is not p:
            continue
        if not p.in_uri:
            keys.add(p.server_key)
            if p.alias:
                keys.add(p.alias)
    return keys


def check(obj: Resource, record: dict[str, Any], where: str, problems: list[str]) -> None:
    """Compare every declared attribute of ``obj`` with ``record``; note what differs."""
    cls = type(obj)
    for name, p in cls._props.items():
        if p.in_uri:
            continue
        if name == "id" and cls._id_prop is not None and cls._id_prop is not p:
            continue  # read through the alternate id, checked under its own name
        key = p.server_key if p.server_key in record else p.alias
        if key is None or key not in record:
            actual = getattr(obj, name)
            if p is cls._id_prop or name == "id":
                continue  # the id the test addressed the object by
            if actual != p.default:
                problems.append(f"{where}.{name}: {actual!r} though the sample sends no "
                                f"{p.server_key!r}")
            continue
        if allowlist.different(cls.__name__, name, record[key]):
            continue
        if _is_detail(record[key]) and _base(p.type)[0] in (int, dict):
            _check_detail(obj, name, key, record[key], where, problems)
            continue
        try:
            expected = _expect(record[key], p.type, f"{where}.{name} ({key!r})")
        except Mismatch as err:
            problems.append(str(err))
            continue
        actual = getattr(obj, name)
        if isinstance(actual, Resource):
            check(actual, record[key], f"{where}.{name}", problems)
        elif isinstance(actual, list) and actual and isinstance(actual[0], Resource):
            for i, (one, raw) in enumerate(zip(actual, record[key], strict=False)):
                check(one, raw, f"{where}.{name}[{i}]", problems)
        elif actual != expected:
            problems.append(f"{where}.{name}: osnb reads {actual!r}, the sample's "
                            f"{key!r} is {expected!r}")
    read = _keys_read(cls)
    for key in record:
        if key not in read and not allowlist.undeclared(cls.__name__, key):
            problems.append(f"{where}: the sample sends {key!r} = {record[key]!r:.60}, "
                            f"which no attribute of {cls.__name__} reads")


def _records(cls: type[Resource], body: Any, kind: str) -> list[dict[str, Any]]:
    """The objects of a sample body, as osnb is documented to take them apart."""
    if kind == "get":
        if cls.resource_key and isinstance(body, dict) and cls.resource_key in body:
            return [body[cls.resource_key]]
        return [body]
    items = body[cls.resources_key] if cls.resources_key else body
    if isinstance(items, dict):  # placement's mappings
        shared = {k: body[k] for k in cls.shared_keys if k in body}
        return [{**(v if isinstance(v, dict) else {cls.mapping_value_key: v}),
                 cls.mapping_key: k, **shared} for k, v in items.items()]
    if cls.wrapped_items:
        items = [i[cls.resource_key] for i in items]
    return list(items)


def _unpaged(cls: type[Resource], body: Any) -> Any:
    """The sample without its links to further pages (they point at example.com)."""
    if not isinstance(body, dict):
        return body
    body = {k: v for k, v in body.items()
            if k not in PAGING and k != f"{cls.resources_key}_links"}
    if isinstance(body.get("links"), dict):
        body["links"] = {k: v for k, v in body["links"].items() if k not in PAGING}
    return body


@pytest.mark.parametrize(("sample", "where"), CASES)
def test_sample_reads_back(replay: Replay, sample: Sample, where: Route) -> None:
    RAN.add(id(sample))
    body = _body(sample)
    cls = where.cls
    if where.kind == "list":
        body = _unpaged(cls, body)
    replay.serve(sample.service, body, sample.microversion)
    proxy = getattr(replay.connect(), PROXY[sample.service])
    if where.kind == "list":
        objects = list(proxy._list(cls, base_path=where.path))
    else:
        objects = [proxy._get(cls, None if not cls.requires_id else "x",
                              base_path=where.path)]
    sent = [h for _, p, h in replay.requests if h]
    negotiated = _negotiated(cls, sample)
    if negotiated:
        assert sent and all(h.endswith(" " + negotiated) for h in sent), (
            f"{cls.__name__} negotiated {sent}, expected {negotiated}")
    records = _records(cls, body, where.kind)
    assert len(objects) == len(records), f"osnb read {len(objects)} of {len(records)}"
    problems: list[str] = []
    for i, (obj, record) in enumerate(zip(objects, records, strict=True)):
        check(obj, record, f"{cls.__name__}[{i}]" if len(records) > 1 else cls.__name__,
              problems)
    if problems:
        pytest.fail(f"{sample.name} at {sample.microversion}:\n  " + "\n  ".join(problems),
                    pytrace=False)


EMBEDDED = [c for c in CASES if c.values[1].cls.__name__ == "Server"
            and "original_name" in json.dumps(_body(c.values[0]))]


@pytest.mark.parametrize(("sample", "where"), EMBEDDED)
def test_embedded_flavor_answers_name_and_id(replay: Replay, sample: Sample,
                                             where: Route) -> None:
    """From 2.47 a server's flavor has no id and names itself ``original_name``;
    openstacksdk answers both ``name`` and ``id`` with it, and so does osnb."""
    replay.serve(sample.service, _unpaged(where.cls, _body(sample)), sample.microversion)
    proxy = replay.connect().compute
    servers = (list(proxy._list(where.cls, base_path=where.path)) if where.kind == "list"
               else [proxy._get(where.cls, "x", base_path=where.path)])
    for server, record in zip(servers, _records(where.cls, _body(sample), where.kind),
                              strict=True):
        sent = record["flavor"]
        assert server.flavor.name == server.flavor.id == sent["original_name"]
        assert server.flavor.ephemeral == sent["ephemeral"]


def test_every_service_is_replayed() -> None:
    services = {sample.service for sample, _ in (c.values for c in CASES)}
    assert services == set(PROXY), f"no sample replayed for {set(PROXY) - services}"


def test_declared_prop_types_are_known() -> None:
    """Guard for :func:`_expect`: a declared type it does not know would compare as is."""
    seen: set[Any] = set()
    for _, where in (c.values for c in CASES):
        for p in where.cls._props.values():
            seen.add(_base(p.type)[0])
    known = {Any, bool, int, float, str, dt.datetime, list, dict}
    odd = {k for k in seen if k not in known and not (
        isinstance(k, type) and issubclass(k, Resource))}
    assert not odd, f"declared types the replay does not convert: {odd}"


def test_allowlist_entries_are_used() -> None:
    """Runs last in this module: an entry no replayed sample needed is stale."""
    if len(RAN) < len(CASES):
        pytest.skip("needs the whole module's samples to have run")
    stale = (set(allowlist.UNDECLARED) | set(allowlist.DIFFERENT)) - allowlist.used
    assert not stale, f"allowlist entries no sample needs: {sorted(stale, key=str)}"
