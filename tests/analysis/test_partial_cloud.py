"""A cloud without Nova in its catalog (as a Keystone + Placement + Glance deployment is):
the analyses that can run from the other services do, and say what they skipped; those
that need Nova fail with osnb's EndpointNotFound naming cloud and service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

import osnb
from osnb import analysis, democloud
from osnb.sdk import exceptions as exc
from osnb.sdk.connection import Connection


@pytest.fixture(scope="module")
def no_nova() -> Iterator[Connection]:
    with democloud.start(seed=5, projects=3, servers=10, build_seconds=0.1) as cloud:
        admin = osnb.connect("demo", config=cloud.clouds)
        compute = [s for s in admin.identity.services() if s.type == "compute"]
        for endpoint in admin.identity.endpoints(service_id=compute[0].id):
            admin.identity.delete_endpoint(endpoint)
        yield osnb.connect("demo", config=cloud.clouds)  # a token with the new catalog


def test_capacity_comes_from_placement_alone(no_nova: Connection) -> None:
    hosts = analysis.capacity(no_nova)
    providers = no_nova.placement.resource_providers()
    assert sorted(hosts["host"]) == sorted(p.name for p in providers)
    for rp in providers:
        totals = {i.resource_class: i.total
                  for i in no_nova.placement.resource_provider_inventories(rp)}
        row = hosts.set_index("host").loc[rp.name]
        assert row["vcpus_total"] == totals["VCPU"]
        assert row["vcpus_used_pct"] >= 0
    assert hosts["servers"].isna().all() and hosts["availability_zone"].isna().all()
    errors = hosts.attrs["errors"]
    assert list(errors["service"]) == ["compute"]
    assert "EndpointNotFound" in errors["error"][0] and "placement" in errors["error"][0]
    assert "⚠" in repr(hosts) and "attrs['errors']" in repr(hosts)
    assert "osnb-warning" in hosts._repr_html_()
    zones = analysis.capacity(no_nova, by="availability_zone")
    assert zones["hosts"].sum() == len(hosts) and zones["servers"].isna().all()
    assert list(zones.attrs["errors"]["service"]) == ["compute"]


def test_quota_report_skips_the_missing_service_once(no_nova: Connection) -> None:
    with pytest.warns(UserWarning, match="not in the catalog, skipped: compute"):
        report = analysis.quota_report(no_nova)
    assert set(report["service"]) == {"network", "block_storage"}
    errors = report.attrs["errors"]
    assert len(errors) == 1 and errors["service"][0] == "compute"
    assert errors["project_id"].isna().all()


@pytest.mark.parametrize("run", [
    lambda c: analysis.servers_in_error(c),
    lambda c: analysis.servers_per_host(c),
    lambda c: analysis.server_story(c, "anything"),
    lambda c: analysis.usage(c, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc),
                             dt.datetime(2026, 1, 2, tzinfo=dt.timezone.utc)),
], ids=["servers_in_error", "servers_per_host", "server_story", "usage"])
def test_what_needs_nova_says_so(no_nova: Connection, run) -> None:
    with pytest.raises(exc.EndpointNotFound) as err:
        run(no_nova)
    assert isinstance(err.value, exc.SDKException)
    text = str(err.value)
    assert "compute" in text and "demo" in text


def test_lookup_searches_what_there_is(no_nova: Connection) -> None:
    network = no_nova.network.networks()[0]
    found = analysis.lookup(no_nova, network.name)
    assert network.id in set(found["id"])
    failed = found.attrs["errors"]
    assert {"server", "flavor", "hypervisor"} <= set(failed["kind"])
    assert failed["error"].str.contains("EndpointNotFound").all()
