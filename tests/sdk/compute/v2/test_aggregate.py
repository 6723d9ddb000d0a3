"""Aggregate through conn.compute, against the demo cloud over real HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.aggregate import Aggregate


def test_declaration() -> None:
    assert (Aggregate.base_path, Aggregate.resource_key, Aggregate.resources_key) == \
        ("/os-aggregates", "aggregate", "aggregates")
    assert Aggregate.allow_create and Aggregate.allow_retrieve and Aggregate.allow_update
    assert Aggregate.allow_delete and Aggregate.allow_list and not Aggregate.allow_head
    assert Aggregate._props["is_deleted"].server_key == "deleted"


def test_list_get_find(conn) -> None:
    aggregates = conn.compute.aggregates()
    assert aggregates
    first = aggregates[0]
    assert first.uuid and isinstance(first.hosts, list) and isinstance(first.metadata, dict)
    assert isinstance(first.created_at, dt.datetime)
    got = conn.compute.get_aggregate(first.id)
    assert got.name == first.name and got.hosts == first.hosts
    assert conn.compute.find_aggregate(first.name).id == first.id
    assert conn.compute.find_aggregate(str(first.id)).name == first.name
    with pytest.raises(exc.NotFound):
        conn.compute.find_aggregate("osnb-no-such-aggregate")


def test_create_update_hosts_metadata_delete(conn) -> None:
    host = conn.compute.hypervisors(details=False)[0].name
    agg = conn.compute.create_aggregate(name="osnb-agg")
    try:
        assert agg.id is not None and agg.name == "osnb-agg" and agg.uuid
        assert agg.hosts is None  # a create returns no hosts (as Nova)
        renamed = conn.compute.update_aggregate(agg, name="osnb-agg-2")
        assert renamed.name == "osnb-agg-2"
        with_host = conn.compute.add_host_to_aggregate(agg.id, host)
        assert with_host.hosts == [host]
        tagged = conn.compute.set_aggregate_metadata(agg.id, {"osnb": "yes", "x": "1"})
        assert tagged.metadata["osnb"] == "yes"
        untagged = conn.compute.set_aggregate_metadata(agg.id, {"x": None})
        assert "x" not in untagged.metadata and untagged.metadata["osnb"] == "yes"
        assert conn.compute.remove_host_from_aggregate(agg.id, host).hosts == []
        assert conn.compute.get_aggregate(agg.id).name == "osnb-agg-2"
    finally:
        conn.compute.delete_aggregate(agg.id)
    with pytest.raises(exc.NotFound):
        conn.compute.get_aggregate(agg.id)


def test_precache_images_on_an_aggregate(conn, member) -> None:
    aggregate = next(iter(conn.compute.aggregates()))
    image = next(iter(conn.image.images()))
    assert conn.compute.aggregate_precache_images(aggregate, image.id) is None
    assert conn.compute.aggregate_precache_images(aggregate.id, [image.id]) is None
    with pytest.raises(exc.BadRequest) as raised:
        conn.compute.aggregate_precache_images(aggregate, [image.id, image.id])
    assert "Duplicate images" in str(raised.value)
    with pytest.raises(exc.Forbidden):
        member.compute.aggregate_precache_images(aggregate, image.id)
