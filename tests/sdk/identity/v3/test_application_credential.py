"""ApplicationCredential through conn.identity, against the demo cloud over real HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.application_credential import ApplicationCredential


def test_declaration() -> None:
    cls = ApplicationCredential
    assert (cls.base_path, cls.resource_key, cls.resources_key) == \
        ("/users/%(user_id)s/application_credentials", "application_credential",
         "application_credentials")
    assert cls.allow_create and cls.allow_retrieve and cls.allow_delete and cls.allow_list
    assert not cls.allow_update  # Keystone has no update
    assert cls._props["secret"].secret and cls._props["user_id"].in_uri


def test_create_list_get_find_delete(member, unique) -> None:
    me = member.current_user_id
    expires = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1)
    cred = member.identity.create_application_credential(
        me, unique, description="for a test", expires_at=expires,
        roles=[{"name": "member"}])
    try:
        assert cred.id and cred.secret and cred.user_id == me
        assert cred.to_dict()["secret"] == "***" and cred.secret not in repr(cred)
        assert isinstance(cred.expires_at, dt.datetime)
        assert abs((cred.expires_at - expires).total_seconds()) < 1
        # Keystone adds the roles the asked-for ones imply; unrestricted stays null
        assert [r["name"] for r in cred.roles] == ["member", "reader"]
        assert cred.unrestricted is None and cred.project_id
        listed = member.identity.application_credentials(me)
        assert cred.id in listed.ids() and all(c.secret is None for c in listed)
        assert member.identity.application_credentials(me, name=unique).ids() == [cred.id]
        got = member.identity.get_application_credential(me, cred.id)
        assert got.name == unique and got.secret is None
        assert member.identity.find_application_credential(me, unique).id == cred.id
        with pytest.raises(exc.NotFound):
            member.identity.find_application_credential(me, "no-such-credential")
    finally:
        member.identity.delete_application_credential(me, cred)
    with pytest.raises(exc.NotFound):
        member.identity.get_application_credential(me, cred.id)
