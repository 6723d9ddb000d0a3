"""Transfer through conn.block_storage, against the demo cloud: member offers, admin takes."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.block_storage.v3.transfer import Transfer


def test_declaration() -> None:
    assert (Transfer.base_path, Transfer.resource_key, Transfer.min_microversion) == \
        ("/volume-transfers", "transfer", "3.55")
    assert Transfer._props["auth_key"].secret
    assert Transfer._props["is_accepted"].server_key == "accepted"


def test_seeded_transfer_listed_for_admins(conn, member) -> None:
    offers = conn.block_storage.transfers(all_projects=True)
    assert offers and all(t.is_accepted is False and t.auth_key is None for t in offers)
    assert len(offers.to_pandas()) == len(offers)
    volume = conn.block_storage.get_volume(offers[0].volume_id)
    assert volume.status == "awaiting-transfer"
    assert volume.project_id == offers[0].source_project_id
    with pytest.raises(exc.Forbidden):
        member.block_storage.transfers(all_projects=True)


def test_offer_accept(conn, member) -> None:
    vol = member.block_storage.create_volume(name="osnb-transfer", size=1)
    vol = member.block_storage.wait_for_status(vol, "available", interval=0.05, wait=20)
    offer = member.block_storage.create_transfer(volume_id=vol.id, name="to-admin")
    assert offer.auth_key and offer.no_snapshots is False
    assert offer.to_dict()["auth_key"] != offer.auth_key  # masked unless revealed
    assert offer.to_dict(reveal_secrets=True)["auth_key"] == offer.auth_key
    assert member.block_storage.find_transfer("to-admin").id == offer.id
    assert member.block_storage.get_volume(vol).status == "awaiting-transfer"
    with pytest.raises(exc.BadRequest):
        conn.block_storage.accept_transfer(offer.id, "0" * 16)
    done = conn.block_storage.accept_transfer(offer.id, offer.auth_key)
    assert done.id == offer.id and done.volume_id == vol.id
    mine = conn.block_storage.get_volume(vol.id)
    assert mine.project_id == conn.current_project_id and mine.status == "available"
    with pytest.raises(exc.NotFound):
        member.block_storage.get_volume(vol.id)
    assert member.block_storage.find_transfer(offer.id) is None
    conn.block_storage.delete_volume(mine)


def test_withdraw(member) -> None:
    vol = member.block_storage.create_volume(name="osnb-withdraw", size=1)
    vol = member.block_storage.wait_for_status(vol, "available", interval=0.05, wait=20)
    offer = member.block_storage.create_transfer(volume_id=vol.id)
    member.block_storage.delete_transfer(offer)
    assert member.block_storage.get_volume(vol).status == "available"
    member.block_storage.delete_volume(vol)
