"""Identity providers, federation protocols, mappings and service providers through
conn.identity, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.federation_protocol import FederationProtocol
from osnb.sdk.identity.v3.identity_provider import IdentityProvider
from osnb.sdk.identity.v3.mapping import Mapping
from osnb.sdk.identity.v3.service_provider import ServiceProvider

RULES = [{"local": [{"user": {"name": "{0}"}}], "remote": [{"type": "REMOTE_USER"}]}]


def test_declarations() -> None:
    for cls, path in ((IdentityProvider, "/OS-FEDERATION/identity_providers"),
                      (Mapping, "/OS-FEDERATION/mappings"),
                      (ServiceProvider, "/OS-FEDERATION/service_providers"),
                      (FederationProtocol,
                       "/OS-FEDERATION/identity_providers/%(idp_id)s/protocols")):
        assert cls.base_path == path
        assert (cls.create_method, cls.commit_method) == ("PUT", "PATCH")
    assert IdentityProvider._props["is_enabled"].server_key == "enabled"


def test_seeded_federation(conn) -> None:
    idps = conn.identity.identity_providers()
    sso = next(i for i in idps if i.id == "partner-sso")
    assert sso.name == "partner-sso" and sso.is_enabled is True
    assert sso.remote_ids == ["https://sso.partners.example.org/idp"]
    assert "partner-sso" in set(idps.to_pandas().index)
    protocols = conn.identity.federation_protocols("partner-sso")
    assert [(p.name, p.mapping_id) for p in protocols] == [("saml2", "partner-sso-mapping")]
    assert conn.identity.get_federation_protocol("partner-sso", "saml2").mapping_id == \
        "partner-sso-mapping"
    assert conn.identity.find_mapping("partner-sso-mapping").schema_version == "1.0"
    assert conn.identity.find_service_provider("edge-cloud").is_enabled is True


def test_create_update_delete(conn, unique) -> None:
    mapping = conn.identity.create_mapping(id=unique, rules=RULES)
    assert mapping.id == unique and mapping.rules == RULES
    try:
        idp = conn.identity.create_identity_provider(
            name=unique, remote_ids=[f"https://{unique}"], is_enabled=True)
        assert (idp.id, idp.name, idp.is_enabled) == (unique, unique, True)
        assert conn.identity.get_domain(idp.domain_id).description.endswith(unique)
        with pytest.raises(exc.Conflict):
            conn.identity.create_identity_provider(id=unique)
        protocol = conn.identity.create_federation_protocol(unique, id="openid",
                                                            mapping_id=unique)
        assert protocol.mapping_id == unique
        with pytest.raises(exc.BadRequest):
            conn.identity.update_federation_protocol(unique, "openid", mapping_id="nope")
        updated = conn.identity.update_identity_provider(unique, is_enabled=False)
        assert updated.is_enabled is False
        new_rules = [{**RULES[0], "remote": [{"type": "OIDC-sub"}]}]
        assert conn.identity.update_mapping(unique, rules=new_rules).rules == new_rules
        conn.identity.delete_federation_protocol(unique, "openid")
        assert conn.identity.find_federation_protocol(unique, "openid") is None
        conn.identity.delete_identity_provider(unique)
        assert conn.identity.find_identity_provider(unique) is None
    finally:
        conn.identity.delete_identity_provider(unique)
        conn.identity.delete_mapping(unique)


def test_service_provider(conn, member, unique) -> None:
    sp = conn.identity.create_service_provider(
        id=unique, auth_url="https://sp/v3", sp_url="https://sp/ecp")
    try:
        assert (sp.is_enabled, sp.relay_state_prefix) == (False, "ss:mem:")
        assert conn.identity.update_service_provider(unique, is_enabled=True).is_enabled
        with pytest.raises(exc.Forbidden):
            member.identity.service_providers()
    finally:
        conn.identity.delete_service_provider(unique)
    with pytest.raises(exc.NotFound):
        conn.identity.get_service_provider(unique)
