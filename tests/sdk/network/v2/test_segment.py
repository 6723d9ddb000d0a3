"""Segment through conn.network (admin), against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.segment import Segment


def test_declaration() -> None:
    assert (Segment.base_path, Segment.resource_key, Segment.resources_key) == \
        ("/segments", "segment", "segments")
    assert Segment.allow_create and Segment.allow_update and Segment.allow_delete


def test_first_segments_listed_as_frame(conn, member) -> None:
    segments = conn.network.segments(network_type="vlan")
    assert segments and all(s.network_type == "vlan" for s in segments)
    frame = segments.to_pandas()
    assert len(frame) == len(segments) and "segmentation_id" in frame
    assert conn.network.get_segment(segments[0].id).network_id == segments[0].network_id
    with pytest.raises(exc.HttpException) as err:
        member.network.segments()
    assert err.value.status_code == 403


def test_add_rename_delete(conn) -> None:
    net = conn.network.create_network(name="osnb-seg", provider_network_type="vlan",
                                      provider_physical_network="physnet1",
                                      provider_segmentation_id=311)
    try:
        seg = conn.network.create_segment(network_id=net.id, network_type="vlan",
                                          physical_network="physnet3", segmentation_id=312)
        assert seg.segmentation_id == 312 and seg.name is None
        assert conn.network.update_segment(seg, name="rack-3").name == "rack-3"
        assert conn.network.find_segment("rack-3").id == seg.id
        assert len(conn.network.segments(network_id=net.id)) == 2
        conn.network.delete_segment(seg)
        assert conn.network.find_segment(seg.id, ignore_missing=True) is None
    finally:
        conn.network.delete_network(net)
