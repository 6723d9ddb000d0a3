"""Image members: who a ``shared`` image is shared with, and whether they took it.

Records in ``image_members`` keyed ``image_id:member_id``. The owner adds and removes
members; the member project alone accepts or rejects (Glance's ``modify_member`` policy:
the owner changing a status is a 403). A member sees the image by id whatever its
status, and in its image list once it has accepted (:func:`.images._listed`).
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...engine import Ctx
from ...http import ApiError, json_body, json_response
from ...store import Record
from .formats import GLANCE
from .images import IMAGES, add_member

__all__ = ["STATUSES", "create_member", "delete_member", "list_members", "show_member",
           "update_member"]

STATUSES = ("pending", "accepted", "rejected")


def _shared(ctx: Ctx, image_id: str, action: str) -> Record:
    """The image, which must be ``shared`` to have members: otherwise Glance's 403 for
    ``action`` (``list``, ``create``, ``update``, ``delete``; ``show`` says why alone)."""
    image = IMAGES.get(ctx, image_id)
    if image["visibility"] != "shared":
        why = "Only shared images have members."
        if action == "list":
            raise ApiError(403, f"Not allowed to list members for image {image_id}: {why}")
        if action != "show":
            raise ApiError(403, f"Not allowed to {action} members for image {image_id}.")
        raise ApiError(403, why)
    return image


def _members(ctx: Ctx, image: Record) -> dict[str, Record]:
    table = ctx.store.table("image_members")
    return {m["member_id"]: m for k, m in table.items() if k.startswith(image["id"] + ":")}


def _owner(ctx: Ctx, image: Record) -> bool:
    return ctx.admin or image["owner"] == ctx.token.project_id


def _lookup(ctx: Ctx, image: Record, member_id: str) -> Record:
    """The membership ``member_id`` as the caller may see it: the owner sees every one,
    a member its own (another's is a 404, as Glance's member repository filters)."""
    member = _members(ctx, image).get(member_id)
    if member is None or not (_owner(ctx, image) or member_id == ctx.token.project_id):
        raise ApiError(404, f"{member_id} not found in the member list of the image "
                            f"{image['id']}.")
    return member


async def _body(request: Request) -> dict[str, Any]:
    doc = await json_body(request, required=False)
    if not isinstance(doc, dict):
        raise GLANCE.bad("Body expected in request.")
    return doc


async def list_members(request: Request) -> Response:
    ctx = Ctx.of(request)
    image = _shared(ctx, request.path_params["id"], "list")
    members = [m for mid, m in _members(ctx, image).items()
               if _owner(ctx, image) or mid == ctx.token.project_id]
    return json_response({"members": members, "schema": "/v2/schemas/members"})


async def show_member(request: Request) -> Response:
    ctx = Ctx.of(request)
    image = _shared(ctx, request.path_params["id"], "show")
    return json_response(_lookup(ctx, image, request.path_params["member_id"]))


async def create_member(request: Request) -> Response:
    """The owner shares the image with a project: a ``pending`` membership."""
    ctx = Ctx.of(request)
    body = await _body(request)  # Glance reads the body before the image
    if "member" not in body:
        raise GLANCE.bad("Member to be added not specified")
    member_id = body["member"]
    if not isinstance(member_id, str):
        raise GLANCE.bad('Expected a member in the form: {"member": "image_id"}')
    if not member_id:
        raise GLANCE.bad("Member can't be empty")
    image = _shared(ctx, request.path_params["id"], "create")
    if not _owner(ctx, image):
        raise ApiError(403, f"Not allowed to create members for image {image['id']}.")
    if member_id in _members(ctx, image):
        raise ApiError(409, f"Member {member_id} is duplicated for image {image['id']}")
    return json_response(add_member(ctx.store, image, member_id))


async def update_member(request: Request) -> Response:
    """The member project (or an administrator) accepts or rejects (or sets back to
    pending) the image; its owner may not (Glance's ``modify_member``)."""
    ctx = Ctx.of(request)
    body = await _body(request)
    if "status" not in body:
        raise GLANCE.bad("Status not specified")
    image = _shared(ctx, request.path_params["id"], "update")
    member = _lookup(ctx, image, request.path_params["member_id"])
    status = body["status"]
    if status not in STATUSES:
        raise GLANCE.bad(f"Provided object does not match schema 'member': {status!r} is "
                         f"not one of {list(STATUSES)}")
    if member["member_id"] != ctx.token.project_id and not ctx.admin:
        raise ApiError(403, f"Not allowed to update members for image {image['id']}.")
    member["status"], member["updated_at"] = status, GLANCE.stamp()
    return json_response(member)


async def delete_member(request: Request) -> Response:
    """The owner stops sharing with a project."""
    ctx = Ctx.of(request)
    image = _shared(ctx, request.path_params["id"], "delete")
    member = _lookup(ctx, image, request.path_params["member_id"])
    if not _owner(ctx, image):
        raise ApiError(403, f"Not allowed to delete members for image {image['id']}.")
    ctx.store.table("image_members").pop(f"{image['id']}:{member['member_id']}", None)
    return json_response(None, 204)
