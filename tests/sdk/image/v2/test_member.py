"""Image members through conn.image, against the demo cloud over real HTTP."""

from __future__ import annotations

import uuid

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.image.v2.member import Member


def test_declaration() -> None:
    assert Member.base_path == "/images/%(image_id)s/members"
    assert Member._props["member_id"].server_key == "member_id"
    assert Member._props["member_id"].sent_beside == "member"  # the key Glance takes
    assert Member._id_prop is Member._props["member_id"]


def _other_project(conn, member) -> str:
    return next(p.id for p in conn.identity.projects()
                if p.id != member.current_project_id and p.name not in ("admin", "service")
                and not p.is_domain)


def test_share_accept_and_remove(conn, member) -> None:
    target = _other_project(conn, member)
    image = member.image.create_image(f"osnb-share-{uuid.uuid4().hex[:6]}",
                                      visibility="shared", disk_format="raw",
                                      container_format="bare")
    try:
        made = member.image.add_member(image, member_id=target)
        assert (made.member_id, made.id, made.status) == (target, target, "pending")
        assert made.image_id == image.id
        listed = member.image.members(image)
        assert listed.ids() == [target] and listed.to_pandas().shape[0] == 1
        assert member.image.get_member(target, image).status == "pending"
        assert member.image.find_member(target, image).member_id == target
        with pytest.raises(exc.Forbidden):  # the owner does not answer for the member
            member.image.update_member(target, image, status="accepted")
        done = conn.image.update_member(target, image, status="accepted")
        assert done.status == "accepted"
        with pytest.raises(exc.Conflict):
            member.image.add_member(image, member_id=target)
        member.image.remove_member(target, image)
        assert member.image.members(image).ids() == []
        member.image.remove_member(target, image)  # ignore_missing
        with pytest.raises(exc.NotFound):
            member.image.remove_member(target, image, ignore_missing=False)
    finally:
        member.image.delete_image(image)
