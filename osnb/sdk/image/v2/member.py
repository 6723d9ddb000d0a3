"""Image members: the projects a ``shared`` image is offered to (Glance
``/v2/images/{image_id}/members``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop, uri

__all__ = ["Member"]


class Member(Resource):
    """One project's membership of an image: ``pending`` until it accepts or rejects.

    Glance answers with ``member_id`` but takes a new member only as ``member`` (as
    openstacksdk sends it): the attribute is sent beside, under that key.
    """

    resources_key = "members"
    base_path = "/images/%(image_id)s/members"
    service = "image"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("limit", "marker")

    image_id: str | None = uri("image_id")
    member_id: str | None = prop("member_id", alternate_id=True, sent_beside="member")
    status: str | None = prop("status")
    schema: str | None = prop("schema")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
