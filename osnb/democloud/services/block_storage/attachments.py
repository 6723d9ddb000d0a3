"""Cinder's attachments API (microversion 3.27; ``os-complete`` 3.44): how Nova attaches.

An attachment walks ``reserved`` (made without a connector: the volume is ``reserved``)
→ ``attaching`` (a connector given, on create or by ``PUT``: the answer carries the
``connection_info``; the volume is ``attaching``) → ``attached`` (``os-complete``: the
volume is ``in-use``, shows the attachment in its ``attachments`` and, when the instance
is a server of the world, Nova shows the volume on the server). Deleting it detaches: the
volume is ``available`` again once nothing holds it, and the answer lists the volume's
remaining attachments. Attachments Nova made (and the seeded ones) are listed too: the
records live in :data:`.volumes.ATTACHMENTS_TABLE`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ... import http
from ...engine import Action, Actions, Ctx, Field, Filter
from ...store import Record
from ...world import SERVER_CHANGED
from ._dialect import CINDER, Cinder, both, cinder_time, mv
from .extra import VOLUMES
from .volumes import ATTACHMENTS_TABLE, _attachment, attachment_record, connection_info, detach

__all__ = ["ATTACHMENTS", "routes"]

SINCE = (3, 27)
COMPLETE_SINCE = (3, 44)
MODE_SINCE = (3, 54)


def brief(record: Record) -> Record:
    """An attachment as ``GET /attachments`` lists it."""
    return {k: record.get(k) for k in ("id", "status", "instance", "volume_id")}


def _reservable(vol: Record) -> None:
    """Refuse to reserve a volume that is neither available nor (multiattach) in use."""
    if vol["status"] == "available" or (vol["status"] in ("in-use", "reserved", "attaching")
                                        and vol.get("multiattach")):
        return
    raise CINDER.bad(f"Invalid volume: Volume {vol['id']} status must be available or "
                     f"downloading to reserve, but the current status is {vol['status']}.")


def _settle_volume(ctx: Ctx, vol: Record) -> None:
    """The volume's status from what holds it now."""
    held = [a for a in ctx.store.table(ATTACHMENTS_TABLE).values()
            if a["volume_id"] == vol["id"]]
    if vol["attachments"]:
        vol["status"] = "in-use"
    elif any(a["status"] == "attaching" for a in held):
        vol["status"] = "attaching"
    elif held:
        vol["status"] = "reserved"
    else:
        vol["status"] = "available"
    vol["updated_at"] = cinder_time()


@dataclass(eq=False)
class Attachments(Cinder):
    """Attachments: reserved, connected, completed and deleted with their volume's state."""

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        vol = VOLUMES.get(ctx, str(body["volume_uuid"]))
        _reservable(vol)
        mode = body.get("mode") if mv(ctx.request) >= MODE_SINCE else None
        connector = body.get("connector") or None
        mode = mode or (connector or {}).get("mode") or ("rw" if connector else "null")
        built = attachment_record(vol, record["id"], body.get("instance_uuid"),
                                  status="attaching" if connector else "reserved",
                                  mode=mode, connector=connector)
        record.clear()
        record.update(built)
        vol["status"] = "attaching" if connector else "reserved"
        vol["updated_at"] = cinder_time()

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        connector = changes.pop("connector", None)
        if not connector:
            raise CINDER.bad(f"Invalid input for field/attribute attachment. Value: "
                             f"{changes!r}. 'connector' is a required property")
        vol = VOLUMES.get(ctx, record["volume_id"])
        mode = record["attach_mode"]
        changes.update(_connector=connector, connection_info=connection_info(vol, connector),
                       attach_mode=connector.get("mode", "rw") if mode == "null" else mode)
        if record["status"] == "reserved":
            changes["status"] = "attaching"
            if not vol["attachments"]:
                vol["status"] = "attaching"

    async def delete(self, request: Request) -> Response:
        """Detach (or drop the reservation); the answer lists what still holds the volume."""
        ctx = Ctx.of(request)
        record = self.get(ctx, request.path_params["id"])
        self.may_change(ctx, record, "delete")
        vol = ctx.store.table("volumes").get(record["volume_id"])
        server = record.get("instance")
        if vol is not None and record["status"] == "attached" and server:
            detach(ctx.store, vol, str(server))
            ctx.store.publish(SERVER_CHANGED, server_id=str(server))
        self.records(ctx.store).pop(record["id"], None)
        left: list[Record] = []
        if vol is not None:
            _settle_volume(ctx, vol)
            left = [brief(a) for a in self.records(ctx.store).values()
                    if a["volume_id"] == vol["id"]]
        return http.json_response({"attachments": left})


ATTACHMENTS = Attachments(
    "attachment", "attachments", table=ATTACHMENTS_TABLE, project_key="_project_id",
    summary=brief, timestamps=None, create_status=200, since=SINCE,
    rules={"list": "volume:attachment_get_all", "show": "volume:attachment_get",
           "create": "volume:attachment_create", "update": "volume:attachment_update",
           "delete": "volume:attachment_delete"},
    default_sort_keys=(("created_at", "desc"),), sort_by={"created_at": "_created_at"},
    fields={"volume_uuid": Field(type="uuid", required=True, create_only=True),
            "instance_uuid": Field(type="uuid", nullable=True, create_only=True),
            "connector": Field(type="dict", nullable=True),
            "mode": Field(choices=("rw", "ro"), create_only=True),
            "status": Field(read_only=True, filter="exact"),
            "volume_id": Field(read_only=True, filter="exact"),
            "instance": Field(read_only=True)},
    filters={"instance_id": Filter(key="instance"), "attach_status": Filter(key="status"),
             "project_id": Filter(key="_project_id", admin_only=True)})


def _complete(ctx: Ctx, record: Record, arg: Any) -> None:
    """``os-complete``: the host connected; the volume is in use, on both sides."""
    vol = VOLUMES.get(ctx, record["volume_id"])
    if record["status"] != "attached":
        server = str(record.get("instance") or "")
        _attachment(ctx.store, vol, server, record["id"], None,
                    (record.get("_connector") or {}).get("host"), cinder_time())
        if server:
            ctx.store.publish(SERVER_CHANGED, server_id=server)


ATTACHMENT_ACTIONS = Actions(
    CINDER, ATTACHMENTS.get, [Action("os-complete", _complete, status=204)],
    since=COMPLETE_SINCE, guard=lambda ctx, rec, _: ATTACHMENTS.may_change(ctx, rec, "update"))


def routes() -> list[BaseRoute]:
    return [*ATTACHMENTS.routes(),
            *both("/attachments/{id}/action", ATTACHMENT_ACTIONS.endpoint, ["POST"])]
