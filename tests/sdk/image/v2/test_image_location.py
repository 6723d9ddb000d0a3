"""Image locations through conn.image (an administrator's view), over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.image.v2.image_location import ImageLocation


def test_declaration() -> None:
    assert ImageLocation.base_path == "/images/%(image_id)s/locations"
    assert ImageLocation.resources_key is None  # Glance answers a bare list


def test_locations(conn, member) -> None:
    image = member.image.create_image("sdk-loc", disk_format="raw", container_format="bare",
                                      data=b"where am i" * 10)
    queued = conn.image.create_image("sdk-loc-2", disk_format="raw", container_format="bare")
    try:
        locations = conn.image.image_locations(image)
        assert [loc.metadata for loc in locations] == [{"store": "fs"}]
        assert locations[0].url.endswith(image.id)
        with pytest.raises(exc.Forbidden):
            member.image.image_locations(image)
        conn.image.add_image_location(queued, "rbd://images/abc/snap")
        assert conn.image.get_image(queued).status == "active"
        assert [loc.url for loc in conn.image.image_locations(queued)] == \
            ["rbd://images/abc/snap"]
    finally:
        member.image.delete_image(image)
        conn.image.delete_image(queued)
