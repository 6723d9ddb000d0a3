"""Hypervisor through conn.compute, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

import osnb
from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.hypervisor import Hypervisor


def test_declaration() -> None:
    assert (Hypervisor.base_path, Hypervisor.resource_key, Hypervisor.resources_key) == \
        ("/os-hypervisors", "hypervisor", "hypervisors")
    assert Hypervisor.allow_list and Hypervisor.allow_retrieve
    assert not (Hypervisor.allow_create or Hypervisor.allow_update or Hypervisor.allow_delete)
    assert Hypervisor._props["name"].server_key == "hypervisor_hostname"
    assert Hypervisor.max_microversion == "2.88"


def test_list_at_2_88_has_no_usage_but_uptime(conn) -> None:
    assert conn.compute.microversion_for(Hypervisor) == "2.88"
    hypervisors = conn.compute.hypervisors()
    assert hypervisors
    first = hypervisors[0]
    # From 2.88 Nova leaves sizes and use to placement, and sends uptime in the listing.
    assert first.vcpus is None and first.memory_used is None and first.running_vms is None
    assert first.uptime is not None
    assert isinstance(first.service_details, dict) and first.service_details["host"]
    brief = conn.compute.hypervisors(details=False)
    assert [h.id for h in brief] == [h.id for h in hypervisors]
    assert brief[0].vcpus is None and brief[0].name == first.name


def test_get_and_find(conn) -> None:
    first = conn.compute.hypervisors()[0]
    got = conn.compute.get_hypervisor(first.id)
    assert got.name == first.name and got.state == first.state
    assert conn.compute.find_hypervisor(first.name).id == first.id
    assert conn.compute.find_hypervisor(first.id).name == first.name
    with pytest.raises(exc.NotFound):
        conn.compute.find_hypervisor("no-such-host")
    assert conn.compute.find_hypervisor("no-such-host", ignore_missing=True) is None


def test_filters_reach_the_server(conn) -> None:
    every = conn.compute.hypervisors()
    name = every[0].name
    matched = conn.compute.hypervisors(hypervisor_hostname_pattern=name)
    assert [h.name for h in matched] == [name]
    with_servers = conn.compute.hypervisors(with_servers=True)
    assert any(h.servers for h in with_servers)
    assert all(h.servers is None for h in every)


def test_member_is_refused(cloud) -> None:
    member = osnb.connect("demo-member", config=cloud.clouds)
    with pytest.raises(exc.Forbidden):
        member.compute.hypervisors()
