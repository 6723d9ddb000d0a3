"""QuotaClassSet through conn.compute, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.quota_class_set import QuotaClassSet


def test_declaration() -> None:
    assert (QuotaClassSet.base_path, QuotaClassSet.resource_key) == (
        "/os-quota-class-sets", "quota_class_set")
    assert QuotaClassSet.allow_retrieve and QuotaClassSet.allow_update
    assert not (QuotaClassSet.allow_list or QuotaClassSet.allow_create)


def test_get_default_and_update_a_class(conn, member) -> None:
    default = conn.compute.get_quota_class_set()
    assert default.id == "default" and isinstance(default.instances, int)
    assert default.fixed_ips is None  # gone at 2.50; read at the resource's 2.56
    assert default.server_groups == 10
    updated = conn.compute.update_quota_class_set("osnb-test", cores=64)
    assert updated.id == "osnb-test" and updated.cores == 64
    assert conn.compute.get_quota_class_set("osnb-test").cores == 64
    with pytest.raises(exc.Forbidden) as raised:
        member.compute.get_quota_class_set()
    assert "os-quota-class-sets:show" in str(raised.value)


def test_a_bad_limit_is_refused_with_novas_words(conn) -> None:
    with pytest.raises(exc.BadRequest) as raised:
        conn.compute.update_quota_class_set("osnb-test", cores=-5)
    assert "quota_class_set/cores" in str(raised.value)
