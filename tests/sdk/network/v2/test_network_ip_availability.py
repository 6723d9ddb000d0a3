"""NetworkIPAvailability through conn.network (admin)."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.network_ip_availability import NetworkIPAvailability


def test_declaration() -> None:
    cls = NetworkIPAvailability
    assert (cls.base_path, cls.resource_key, cls.resources_key) == \
        ("/network-ip-availabilities", "network_ip_availability",
         "network_ip_availabilities")
    assert cls.allow_retrieve and cls.allow_list and not cls.allow_create
    assert cls._id_prop is cls._props["network_id"]
    assert cls._props["name"].server_key == "network_name"


def test_list_filter_get_find(conn) -> None:
    usage = conn.network.network_ip_availabilities()
    assert usage and all(isinstance(u.total_ips, int) for u in usage)
    public = conn.network.find_network("public")
    one = conn.network.get_network_ip_availability(public)
    assert one.id == public.id and one.network_name == "public"
    assert one.used_ips <= one.total_ips and one.subnet_ip_availability
    v4 = conn.network.network_ip_availabilities(network_name="public", ip_version=4)
    assert [u.id for u in v4] == [public.id]
    assert conn.network.find_network_ip_availability("public").network_id == public.id
    with pytest.raises(exc.NotFound):
        conn.network.find_network_ip_availability("no-such-network")
