"""Keypair through conn.compute, against the demo cloud over real HTTP."""

from __future__ import annotations

import datetime as dt

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.compute.v2.keypair import Keypair

PUBLIC_KEY = ("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRIDcR6+zqkyAx0+n23srrjcVilW3S69hzXnGu"
              "/q9xf osnb@test")


def test_declaration() -> None:
    assert (Keypair.base_path, Keypair.resource_key, Keypair.resources_key) == \
        ("/os-keypairs", "keypair", "keypairs")
    assert Keypair.allow_create and Keypair.allow_retrieve and Keypair.allow_delete
    assert Keypair.allow_list and not Keypair.allow_update
    assert Keypair._id_prop is Keypair._props["name"]
    assert Keypair._props["is_deleted"].server_key == "deleted"
    assert "user_id" in Keypair.query
    assert Keypair._from_body({"name": "k"}).id == "k"


def test_list_get_find(member) -> None:
    keypairs = member.compute.keypairs()
    assert keypairs and all(k.name and k.fingerprint for k in keypairs)
    first = keypairs[0]
    assert first.id == first.name
    got = member.compute.get_keypair(first.name)
    assert got.id == first.name and got.public_key == first.public_key
    assert isinstance(got.created_at, dt.datetime) and got.is_deleted is False
    assert member.compute.find_keypair(first.name).fingerprint == first.fingerprint
    with pytest.raises(exc.NotFound):
        member.compute.find_keypair("osnb-no-such-key")
    assert member.compute.find_keypair("osnb-no-such-key", ignore_missing=True) is None


def test_user_id_filter_reaches_the_server(conn, member) -> None:
    user_id = member.current_user_id
    theirs = conn.compute.keypairs(user_id=user_id)
    assert {k.name for k in theirs} == {k.name for k in member.compute.keypairs()}
    assert {k.name for k in theirs} != {k.name for k in conn.compute.keypairs()}


def test_import_generate_and_delete(member) -> None:
    imported = member.compute.create_keypair(name="osnb-imported", public_key=PUBLIC_KEY)
    try:
        assert imported.id == "osnb-imported" and imported.fingerprint
        assert imported.private_key is None
        assert "osnb-imported" in {k.name for k in member.compute.keypairs()}
    finally:
        member.compute.delete_keypair(imported)
    with pytest.raises(exc.NotFound):
        member.compute.get_keypair("osnb-imported")
    generated = member.compute.create_keypair(name="osnb-generated")
    assert generated.private_key and "PRIVATE KEY" in generated.private_key
    assert generated.to_dict()["private_key"] == "***"
    member.compute.delete_keypair("osnb-generated")
    member.compute.delete_keypair("osnb-generated")  # ignore_missing by default
    with pytest.raises(exc.NotFound):
        member.compute.delete_keypair("osnb-generated", ignore_missing=False)
