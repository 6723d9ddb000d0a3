"""Credential through conn.identity, against the demo cloud over real HTTP."""

from __future__ import annotations

import hashlib
import json
import uuid

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.credential import Credential


def test_declaration() -> None:
    cls = Credential
    assert (cls.base_path, cls.resource_key, cls.resources_key, cls.commit_method) == \
        ("/credentials", "credential", "credentials", "PATCH")
    assert cls._props["blob"].secret
    assert {"type", "user_id"} <= set(cls.query.mapping)


def test_create_list_update_delete_with_the_blob_masked(conn, member) -> None:
    me, project = member.current_user_id, member.current_project_id
    access = uuid.uuid4().hex
    blob = json.dumps({"access": access, "secret": "hunter2"})
    cred = member.identity.create_credential(type="ec2", user_id=me, project_id=project,
                                             blob=blob)
    try:
        assert cred.id == hashlib.sha256(access.encode()).hexdigest()
        assert cred.type == "ec2" and cred.project_id == project and cred.user_id == me
        assert cred.blob == blob  # readable on the object…
        assert "hunter2" not in repr(cred) and cred.to_dict()["blob"] == "***"  # …not shown
        assert cred.to_dict(reveal_secrets=True)["blob"] == blob
        listed = member.identity.credentials(type="ec2")
        assert cred.id in listed.ids()
        frame = listed.to_pandas()
        assert "hunter2" not in frame.to_string() and cred.id in set(frame.index)
        assert set(frame.loc[[cred.id], "blob"]) == {"***"}
        new = json.dumps({"access": access, "secret": "rotated"})
        assert member.identity.update_credential(cred, blob=new).blob == new
        assert member.identity.get_credential(cred.id).blob == new
        assert member.identity.find_credential(cred.id).id == cred.id
        with pytest.raises(exc.BadRequest, match="trust_id can not be updated"):
            member.identity.update_credential(
                cred, blob=json.dumps({"access": access, "trust_id": "t"}))
        with pytest.raises(exc.Conflict):
            member.identity.create_credential(type="ec2", user_id=me, project_id=project,
                                              blob=blob)
    finally:
        member.identity.delete_credential(cred)
    with pytest.raises(exc.NotFound):
        conn.identity.get_credential(cred.id)
    with pytest.raises(exc.Forbidden):  # Keystone: no credential, no owner to match
        member.identity.get_credential(cred.id)
    conn.identity.delete_credential(cred.id)  # ignore_missing


def test_a_member_sees_only_its_own(conn, member) -> None:
    me = member.current_user_id
    assert {c.user_id for c in member.identity.credentials()} == {me}
    other = next(u.id for u in conn.identity.users() if u.id != me)
    with pytest.raises(exc.Forbidden):
        member.identity.create_credential(type="totp", user_id=other, blob="GEZDGNBV")
    theirs = conn.identity.create_credential(type="totp", user_id=other, blob="GEZDGNBV")
    try:
        assert theirs.id in conn.identity.credentials(user_id=other).ids()
        with pytest.raises(exc.Forbidden):
            member.identity.get_credential(theirs.id)
    finally:
        conn.identity.delete_credential(theirs)
