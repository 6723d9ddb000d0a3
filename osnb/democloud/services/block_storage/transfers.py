"""Volume transfers: a project offers an available volume, another accepts it with the
auth key and the volume (with its snapshots, unless ``no_snapshots``) becomes theirs.

Two APIs share the records (:data:`.volumes.TRANSFERS_TABLE`): ``/os-volume-transfer``
(every microversion) and ``/volume-transfers`` (3.55: ``no_snapshots``; 3.57: the source
and destination projects and ``accepted``). A create puts the volume in
``awaiting-transfer`` (it can then be neither deleted nor offered again) and is the only
answer that shows the auth key; deleting the transfer gives the volume back
(``available``). Any project that knows the id and the key may accept, within its own
quota (413 otherwise); lists and shows are the source project's (every project's for an
admin with ``all_tenants``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ... import http
from ...engine import Ctx, Field
from ...http import ApiError
from ...store import Record
from ._dialect import CINDER, Cinder, both, cinder_time, envelope, links, mv
from .admin import enforce_quota
from .extra import SNAP_PROJECT, VOLUME_PROJECT, VOLUMES
from .volumes import TRANSFERS_TABLE, new_transfer

__all__ = ["LEGACY", "TRANSFERS", "routes"]

SINCE = (3, 55)
PROJECTS_SINCE = (3, 57)
_BASE = ("id", "name", "volume_id", "created_at", "links")


def _links(request: Request, project: str | None, ident: str) -> list[dict[str, str]]:
    """Both APIs link to ``os-volume-transfer``, as Cinder's views do."""
    return links(request, f"{project}/os-volume-transfer/{ident}")


@dataclass(eq=False)
class Transfers(Cinder):
    """One of the two transfer APIs (``since``: its first microversion)."""

    def shape(self, ctx: Ctx, record: Record) -> Record:
        keys = list(_BASE)
        version = mv(ctx.request)
        if self.since >= SINCE:
            keys.append("no_snapshots")
            if version >= PROJECTS_SINCE:
                keys += ["accepted", "destination_project_id", "source_project_id"]
        out = {k: record[k] for k in keys if k in record}
        out["links"] = _links(ctx.request, record.get("source_project_id"), record["id"])
        return out

    def render(self, ctx: Ctx, record: Record, fields: Any = ()) -> Record:
        """A create's answer is the only one that shows the auth key."""
        out = super().render(ctx, record, fields)
        if ctx.request.method == "POST":
            out["auth_key"] = record["_auth_key"]
        return out

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        vol = VOLUMES.get(ctx, str(body["volume_id"]))
        if vol["status"] != "available":
            raise CINDER.bad(f"Invalid volume: status must be available (volume "
                             f"{vol['id']} is {vol['status']}).")
        built = new_transfer(ctx.store, vol, name=record.get("name"),
                             created_at=cinder_time(),
                             no_snapshots=bool(record.get("no_snapshots", False)),
                             tid=record["id"])
        record.clear()
        record.update(built)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        vol = ctx.store.table("volumes").get(record["volume_id"])
        if vol is not None and vol["status"] == "awaiting-transfer":
            vol["status"], vol["updated_at"] = "available", cinder_time()

    async def accept(self, request: Request) -> Response:
        """Give the volume to the caller's project: the id and the auth key suffice."""
        CINDER.gate(request, self.since)
        ctx = Ctx.of(request)
        record = self.records(ctx.store).get(request.path_params["id"])
        if record is None:
            raise ApiError(404, f"Transfer {request.path_params['id']} could not be found.")
        doc = envelope(await http.json_body(request), "accept")
        if "auth_key" not in doc:
            raise CINDER.bad(f"Invalid input for field/attribute accept. Value: {doc!r}. "
                             "'auth_key' is a required property")
        if doc["auth_key"] != record["_auth_key"]:
            raise CINDER.bad(f"Invalid auth key: Attempt to transfer {record['id']} with "
                             "invalid auth key.")
        store, project = ctx.store, ctx.token.project_id or ""
        vol = store.table("volumes")[record["volume_id"]]
        if vol["status"] != "awaiting-transfer":
            raise CINDER.bad(f"Invalid volume: Transfer {record['id']}: volume "
                             f"{vol['id']} is {vol['status']}, not awaiting-transfer.")
        snaps = [] if record["no_snapshots"] else [
            s for s in store.table("snapshots").values() if s["volume_id"] == vol["id"]]
        enforce_quota(store, project, vol["volume_type"], volumes=1,
                      gigabytes=vol["size"] + sum(s["size"] for s in snaps),
                      **({"snapshots": len(snaps)} if snaps else {}))
        stamp = cinder_time()
        vol.update({VOLUME_PROJECT: project, "user_id": ctx.token.user_id,
                    "status": "available", "updated_at": stamp})
        for snap in snaps:
            snap.update({SNAP_PROJECT: project, "user_id": ctx.token.user_id,
                         "updated_at": stamp})
        for table, moved in (("volumes", [vol]), ("snapshots", snaps)):  # refile: new owner
            store.table(table).update((rec["id"], rec) for rec in moved)
        self.records(store).pop(record["id"], None)
        out = {k: record[k] for k in ("id", "name", "volume_id")}
        out["links"] = _links(request, record["_project_id"], record["id"])
        return http.json_response({"transfer": out}, 202)


_FIELDS = {"name": Field(nullable=True, max_length=255, filter="exact"),
           "volume_id": Field(type="uuid", required=True, create_only=True, filter="exact")}
LEGACY = Transfers(
    "transfer", "transfers", path="os-volume-transfer", table=TRANSFERS_TABLE,
    project_key="_project_id", timestamps=None, summary=lambda r: {
        k: r[k] for k in ("id", "name", "volume_id", "links") if k in r},
    rules={"list": "volume:get_all_transfers", "show": "volume:get_transfer",
           "create": "volume:create_transfer", "delete": "volume:delete_transfer"},
    fields=_FIELDS, allow_update=False)
TRANSFERS = dataclasses.replace(
    LEGACY, path="volume-transfers", since=SINCE,
    fields={**_FIELDS, "no_snapshots": Field(type="bool", create_only=True)})


def routes() -> list[BaseRoute]:
    out: list[BaseRoute] = []
    for coll in (LEGACY, TRANSFERS):
        out += both(f"/{coll.path}/{{id}}/accept", coll.accept, ["POST"])
        out += coll.routes()
    return out
