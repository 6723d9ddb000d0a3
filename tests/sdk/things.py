"""Resource classes used by the core tests against the fake service."""

from __future__ import annotations

from datetime import datetime

from osnb.sdk.resource import Query, Resource, prop, uri


class Thing(Resource):
    resource_key = "thing"
    resources_key = "things"
    base_path = "/things"
    service = "test"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_head = True
    allow_list = True
    query = Query("name", "color", is_big="big")

    size: int | None = prop("size")
    is_big = prop("big", type=bool)
    created_at: datetime | None = prop("created")
    color: str | None = prop("color")
    secret_word: str | None = prop("secret", secret=True)


class ReadOnlyThing(Thing):
    allow_create = allow_update = allow_delete = allow_head = allow_retrieve = False


class Part(Resource):
    resources_key = "parts"
    base_path = "/things/%(thing_id)s/parts"
    allow_list = True

    thing_id: str | None = uri("thing_id")
    thing: str | None = prop("thing")


class Wrapper(Resource):
    base_path = "/wrappers"
    inner: Thing | None = prop("inner")
    many: list[Thing] | None = prop("many")
