"""Glance's discovery through conn.image: stores, import methods, usage, the cache."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.image.v2.cache import Cache
from osnb.sdk.image.v2.service_info import Import, Store, Usage


def test_declaration() -> None:
    assert (Store.base_path, Import.base_path, Usage.base_path, Cache.base_path) == \
        ("/info/stores", "/info/import", "/info/usage", "/cache")
    assert Store._props["is_default"].server_key == "default"


def test_stores_import_usage(conn, member) -> None:
    stores = member.image.stores()
    assert {s.id for s in stores} == {"fs", "ceph"}
    assert [s.id for s in stores if s.is_default] == ["fs"]
    detail = conn.image.stores(details=True)
    assert {s.id: s.type for s in detail} == {"fs": "file", "ceph": "rbd"}
    assert detail.to_pandas().shape[0] == 2
    with pytest.raises(exc.Forbidden):
        member.image.stores(details=True)
    assert member.image.get_import_info().methods == ["glance-direct", "web-download",
                                                      "copy-image"]
    usage = member.image.get_usage().usage
    assert usage["image_count_total"]["usage"] >= 1


def test_the_cache_holds_what_was_downloaded(conn, member) -> None:
    image = member.image.create_image("sdk-cache", disk_format="raw",
                                      container_format="bare", data=b"cache me" * 64)
    try:
        member.image.download_image(image)
        cached = conn.image.get_image_cache().cached_images
        assert image.id in {c["image_id"] for c in cached}
        with pytest.raises(exc.Forbidden):
            member.image.get_image_cache()
        conn.image.cache_delete_image(image)
        assert image.id not in {c["image_id"] for c in conn.image.get_image_cache()
                                .cached_images}
        conn.image.queue_image(image)
        assert image.id in conn.image.get_image_cache().queued_images
        member.image.download_image(image)  # served: cached, no longer queued
        after = conn.image.get_image_cache()
        assert image.id not in after.queued_images
        assert image.id in {c["image_id"] for c in after.cached_images}
        assert conn.image.prune_cache() == {"total_files_pruned": 0, "total_bytes_pruned": 0}
        conn.image.clear_cache("cache")
        assert conn.image.get_image_cache().cached_images == []
        with pytest.raises(exc.BadRequest):
            conn.image.clear_cache("everything")
    finally:
        member.image.delete_image(image)
