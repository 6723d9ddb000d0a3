"""Service (compute services) through conn.compute, against the demo cloud."""

from __future__ import annotations

import datetime as dt

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.service import Service


def test_declaration() -> None:
    assert (Service.base_path, Service.resource_key, Service.resources_key) == \
        ("/os-services", "service", "services")
    assert Service.allow_list and Service.allow_update and Service.allow_delete
    assert not (Service.allow_create or Service.allow_retrieve)
    assert Service._props["availability_zone"].server_key == "zone"
    assert Service._props["is_forced_down"].server_key == "forced_down"
    assert Service.query.mapping["name"] == "binary"


def test_list_and_filters_reach_the_server(conn) -> None:
    services = conn.compute.services()
    assert {"nova-compute", "nova-scheduler"} <= {s.binary for s in services}
    first = services[0]
    assert isinstance(first.updated_at, dt.datetime) and isinstance(first.is_forced_down, bool)
    computes = conn.compute.services(binary="nova-compute")
    assert computes and all(s.binary == "nova-compute" for s in computes)
    host = computes[0].host
    on_host = conn.compute.services(host=host)
    assert on_host and all(s.host == host for s in on_host)
    assert [s.id for s in conn.compute.services(name="nova-compute")] == \
        [s.id for s in computes]


def test_disable_enable_force_down(conn) -> None:
    target = next(s for s in conn.compute.services(binary="nova-compute")
                  if s.status == "enabled" and s.state == "up")
    try:
        disabled = conn.compute.disable_service(target.id, disabled_reason="osnb test")
        assert disabled.status == "disabled" and disabled.disabled_reason == "osnb test"
        again = next(s for s in conn.compute.services(host=target.host)
                     if s.id == target.id)
        assert again.status == "disabled"
        enabled = conn.compute.enable_service(target)
        assert enabled.status == "enabled" and enabled.disabled_reason is None
        forced = conn.compute.update_service_forced_down(target.id, True)
        assert forced.is_forced_down is True
    finally:
        conn.compute.update_service_forced_down(target.id, False)
        conn.compute.enable_service(target.id)
    with pytest.raises(exc.BadRequest):
        scheduler = conn.compute.services(binary="nova-scheduler")[0]
        conn.compute.disable_service(scheduler)
