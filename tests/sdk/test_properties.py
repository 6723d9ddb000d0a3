"""Property-based tests: arbitrary JSON never crashes a read, and the server's value stays."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from osnb.sdk import exceptions as exc
from osnb.sdk._types import conversion_for
from osnb.sdk.compute.v2.server import Server
from osnb.sdk.network.v2.port import Port
from osnb.sdk.resource_list import ResourceList

json_scalars = st.none() | st.booleans() | st.integers(-2**53, 2**53) | \
    st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=30)
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=8), inner, max_size=4), max_leaves=12)
TYPES = [bool, int, float, str, dict, list, list[int], dt.datetime, int | None]


@given(st.sampled_from(TYPES), json_values)
def test_from_wire_never_raises_and_keeps_unconvertible_values(kind: Any, value: Any) -> None:
    conv = conversion_for(kind)
    out = conv.from_wire(value)
    if out is value or out == value:
        return
    # Converted: it must be the declared type and mean the same thing.
    if conv.kind is dt.datetime:
        assert isinstance(out, dt.datetime) and out.tzinfo is not None
    elif conv.kind is list:
        assert isinstance(out, list) and len(out) == len(value)
    else:
        assert isinstance(out, conv.kind)


@given(st.sampled_from(TYPES), json_values)
def test_to_wire_converts_or_refuses_cleanly(kind: Any, value: Any) -> None:
    try:
        conversion_for(kind).to_wire(value)
    except ValueError:
        pass  # ConversionError is a ValueError: the clear refusal


@given(st.dictionaries(st.sampled_from([p.server_key for p in Server._props.values()]
                                       + ["x-extension", "id"]), json_values, max_size=12))
@settings(max_examples=150, deadline=None)
def test_any_server_body_reads_renders_and_frames(body: dict[str, Any]) -> None:
    res = Server._from_body(body)
    res.to_dict()
    repr(res)
    res._repr_html_()
    ResourceList(Server, [body]).to_pandas()  # the analyst's frame never raises either
    frame = ResourceList(Server, [body]).to_pandas(columns="all")
    assert len(frame) == 1
    for name, p in Server._props.items():
        if name == "id" or p.secret or p.server_key not in body:
            continue
        sent = body[p.server_key]
        got = frame.iloc[0][name]
        if sent is None:
            continue
        if isinstance(got, pd.Timestamp) or got is pd.NaT:
            # A datetime column: ISO strings became instants; "" (no time) is NaT.
            assert isinstance(sent, str) and (got is not pd.NaT or sent.strip() == "")
            continue
        if isinstance(sent, float) and isinstance(got, float) and math.isnan(got):
            continue
        assert got == sent or conversion_for(p.type).from_wire(sent) == got, name


@given(st.lists(st.dictionaries(st.sampled_from(["id", "name", "status", "fixed_ips",
                                                 "admin_state_up", "created_at", "tags"]),
                                json_values, max_size=7), max_size=6))
@settings(max_examples=100, deadline=None)
def test_to_pandas_over_arbitrary_records(records: list[dict[str, Any]]) -> None:
    frame = ResourceList(Port, records).to_pandas()
    assert len(frame) == len(records)
    assert list(frame.columns) == [n for n in Port._props if n != "id"]


@given(json_values)
def test_error_bodies_of_any_shape_give_a_message_or_none(body: Any) -> None:
    message, details = exc.extract_message(body)
    assert message is None or isinstance(message, str)
    assert details is None or isinstance(details, str)
