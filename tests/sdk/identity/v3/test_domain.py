"""Domain through conn.identity, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.domain import Domain


def test_declaration() -> None:
    assert (Domain.base_path, Domain.resource_key, Domain.resources_key) == \
        ("/domains", "domain", "domains")
    assert Domain.allow_create and Domain.allow_retrieve and Domain.allow_update
    assert Domain.allow_delete and Domain.allow_list and Domain.commit_method == "PATCH"
    assert Domain.query.mapping["is_enabled"] == "enabled"


def test_list_get_find(conn, cloud) -> None:
    domains = conn.identity.domains()
    assert len(domains) == cloud.call(lambda: len(cloud.store.table("domains")))
    default = conn.identity.get_domain("default")
    assert default.name == "Default" and default.is_enabled is True
    assert conn.identity.find_domain("Default") == default
    assert conn.identity.find_domain("default") == default
    assert [d.id for d in conn.identity.domains(name="Default")] == ["default"]
    assert all(d.is_enabled for d in conn.identity.domains(is_enabled=True))
    with pytest.raises(exc.NotFound):
        conn.identity.find_domain("no-such-domain")


def test_create_disable_delete(conn, unique) -> None:
    domain = conn.identity.create_domain(name=unique, description="test domain")
    assert domain.id and domain.is_enabled is True
    assert domain in conn.identity.domains(name=unique)
    with pytest.raises(exc.Forbidden):
        conn.identity.delete_domain(domain)  # Keystone: disable it first
    domain = conn.identity.update_domain(domain, is_enabled=False)
    assert domain.is_enabled is False
    assert domain not in conn.identity.domains(is_enabled=True)
    conn.identity.delete_domain(domain)
    assert conn.identity.find_domain(domain.id, ignore_missing=True) is None
