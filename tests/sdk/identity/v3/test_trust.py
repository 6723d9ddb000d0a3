"""Trust through conn.identity, against the demo cloud over real HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.trust import Trust


def test_declaration() -> None:
    assert (Trust.base_path, Trust.resource_key, Trust.resources_key) == \
        ("/OS-TRUST/trusts", "trust", "trusts")
    assert not Trust.allow_update
    assert Trust._props["is_impersonation"].server_key == "impersonation"
    assert Trust._props["role_links"].server_key == "roles_links"  # Keystone's key


def test_create_list_get_delete(conn, member, unique) -> None:
    trustee = conn.identity.create_user(name=unique)
    me, project = member.current_user_id, member.current_project_id
    try:
        with pytest.raises(exc.Forbidden):  # only the trustor itself
            conn.identity.create_trust(trustor_user_id=me, trustee_user_id=trustee.id,
                                       project_id=project, impersonation=False,
                                       roles=[{"name": "member"}])
        trust = member.identity.create_trust(
            trustor_user_id=me, trustee_user_id=trustee.id, project_id=project,
            impersonation=True, roles=[{"name": "member"}],
            expires_at="2099-03-01T12:00:00Z")
        assert trust.is_impersonation is True and trust.remaining_uses is None
        assert trust.expires_at == dt.datetime(2099, 3, 1, 12, tzinfo=dt.timezone.utc)
        assert [r["name"] for r in trust.roles] == ["member"]
        assert trust.role_links["self"].endswith(f"/{trust.id}/roles")
        mine = member.identity.trusts(trustor_user_id=me)
        assert trust.id in mine.ids() and all(t.roles is None for t in mine)
        assert {t.trustor_user_id for t in mine} == {me}  # the seeded one is the member's too
        assert trust.id in set(mine.to_pandas().index)
        with pytest.raises(exc.Forbidden):
            member.identity.trusts()
        assert member.identity.get_trust(trust.id).project_id == project
        assert member.identity.find_trust(trust.id).id == trust.id
        assert trust.id in conn.identity.trusts(trustee_user_id=trustee.id).ids()
        member.identity.delete_trust(trust)
        with pytest.raises(exc.NotFound):
            conn.identity.get_trust(trust.id)
    finally:
        conn.identity.delete_user(trustee)
