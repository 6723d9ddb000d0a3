"""Message and DefaultType through conn.block_storage, against the demo cloud."""

from __future__ import annotations

import datetime as dt

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.block_storage.v3.default_type import DefaultType
from osnb.sdk.block_storage.v3.message import Message


def test_declarations() -> None:
    assert (Message.base_path, Message.resource_key, Message.min_microversion) == \
        ("/messages", "message", "3.3")
    assert DefaultType._id_prop is DefaultType._props["project_id"]
    assert DefaultType.create_method == "PUT"


def test_messages_name_the_failed_volumes(conn, member) -> None:
    messages = conn.block_storage.messages(all_projects=True)
    errors = conn.block_storage.volumes(all_projects=True, status="error")
    assert {m.resource_uuid for m in messages} >= set(errors.ids()) and errors
    first = conn.block_storage.get_message(messages[0].id)
    assert isinstance(first.guaranteed_until, dt.datetime)
    assert first.guaranteed_until - first.created_at == dt.timedelta(days=30)
    frame = messages.to_pandas()
    assert "user_message" in frame.columns and len(frame) == len(messages)
    with pytest.raises(exc.Forbidden):
        member.block_storage.messages(all_projects=True)


def test_default_type(conn, member) -> None:
    bs, project = conn.block_storage, member.current_project_id
    with pytest.raises(exc.NotFound):
        bs.show_default_type(project)
    ssd = bs.find_type("ssd")
    made = bs.set_default_type(project, "ssd")
    assert (made.project_id, made.volume_type_id) == (project, ssd.id)
    try:
        assert bs.show_default_type(project).volume_type_id == ssd.id
        assert project in [d.project_id for d in bs.default_types()]
        vol = member.block_storage.create_volume(size=1, name="osnb-default-type")
        assert vol.volume_type == "ssd"
        member.block_storage.wait_for_status(vol, "available", interval=0.05, wait=20)
        member.block_storage.delete_volume(vol)
    finally:
        bs.unset_default_type(project)
    with pytest.raises(exc.Forbidden):
        member.block_storage.default_types()
