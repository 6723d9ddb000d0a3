"""A server's sub-resources: instance actions, interfaces, volume attachments, ips,
metadata and tags (attaching and detaching live in :mod:`.server_attach`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx as EngineCtx
from ...engine import Filter, Pairs, Query, Tags, parse, select
from ...http import ApiError
from ...store import Record
from . import glue
from ._dialect import NOVA, Ctx, NovaCollection
from .common import check_lock
from .server_attach import (
    attach_interface,
    attach_volume,
    detach_interface,
    detach_volume,
    limited,
)
from .servers import SERVERS, actions_of, check_metadata, check_tags, touch

__all__ = ["routes"]


# -- instance actions ---------------------------------------------------------------------

def _action_view(ctx: Ctx, rec: Record, events: bool) -> dict[str, Any]:
    out = {k: v for k, v in rec.items() if k != "events"}
    if not ctx.at_least(2, 58):
        out.pop("updated_at", None)
    if events:
        evs = []
        for ev in rec["events"]:
            e = dict(ev)
            if not ctx.admin:
                e.pop("traceback", None)
                e.pop("host", None)
            if not ctx.at_least(2, 62):
                e.pop("host", None)
                e.pop("hostId", None)
            if not ctx.at_least(2, 84):
                e.pop("details", None)
            evs.append(e)
        # Nova shows events to everyone since 2.51; before, admins only.
        if ctx.admin or ctx.at_least(2, 51):
            out["events"] = evs
    return out


def _since(values: list[str]) -> Callable[[Any], bool]:
    since = values[-1].rstrip("Z")
    return lambda updated: bool(updated >= since)


ACTIONS = NovaCollection(
    "instanceAction", "instanceActions", dataclasses.replace(
        NOVA, default_limit=None, marker_words="Marker {marker} could not be found."),
    table="instance_actions", default_sort_keys=(("start_time", "desc"),),
    filters={"changes-since": Filter(key="updated_at", match=_since)})
"""A server's instance actions, newest first; filtered and paged from 2.58."""


async def list_actions(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    table = ctx.store.table("instance_actions")
    recs = {r: table[r] for r in reversed(actions_of(ctx.store, server["id"])) if r in table}
    query = parse(request, ACTIONS, ctx.admin) if ctx.at_least(2, 58) else Query()
    if query.limit is None and "limit" in request.query_params and ctx.at_least(2, 58):
        query.limit = 0
    items, more = select(ACTIONS, query, recs.values(), recs)
    body: dict[str, Any] = {"instanceActions": [_action_view(ctx, a, False) for a in items]}
    if more and query.limit:
        body["links"] = [{"href": f"{ctx.base}{request.url.path}?limit={query.limit}&marker="
                                  f"{items[-1]['request_id']}", "rel": "next"}]
    return ctx.reply(body)


async def show_action(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    rid = request.path_params["request_id"]
    actions_of(ctx.store, server["id"])
    rec = ctx.store.table("instance_actions").get(rid)
    if rec is None or rec["instance_uuid"] != server["id"]:
        raise ApiError(404, f"Action for request_id {rid} on instance {server['id']} "
                            "not found")
    return ctx.reply({"instanceAction": _action_view(ctx, rec, True)})


# -- interfaces, volume attachments, ips ------------------------------------------------

def _iface(ctx: Ctx, row: dict[str, Any]) -> dict[str, Any]:
    if not ctx.at_least(2, 70):
        row = {k: v for k, v in row.items() if k != "tag"}
    return row


async def list_interfaces(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    rows = [_iface(ctx, r) for r in glue.interfaces(ctx.store, server)]
    return ctx.reply({"interfaceAttachments": rows})


async def show_interface(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    port_id = request.path_params["port_id"]
    row = _find(glue.interfaces(ctx.store, server), "port_id", port_id,
                f"Port {port_id} is not attached")
    return ctx.reply({"interfaceAttachment": _iface(ctx, row)})


def _find(rows: list[dict[str, Any]], key: str, ident: str, missing: str) -> dict[str, Any]:
    """The row whose ``key`` is ``ident``, or Nova's 404 saying ``missing``."""
    found = next((row for row in rows if row[key] == ident), None)
    if found is None:
        raise ApiError(404, missing)
    return found


def _vol(ctx: Ctx, row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    if not ctx.at_least(2, 70):
        out.pop("tag", None)
    if not ctx.at_least(2, 79):
        out.pop("delete_on_termination", None)
    if ctx.at_least(2, 89):
        out.pop("id", None)
    else:
        out.pop("attachment_id", None)
        out.pop("bdm_uuid", None)
    return out


async def list_volume_attachments(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    rows = [_vol(ctx, r) for r in limited(request, glue.volume_attachments(ctx.store, server))]
    return ctx.reply({"volumeAttachments": rows})


async def show_volume_attachment(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    vid = request.path_params["volume_id"]
    row = _find(glue.volume_attachments(ctx.store, server), "volumeId", vid,
                f"Instance {server['id']} is not attached to volume {vid}.")
    return ctx.reply({"volumeAttachment": _vol(ctx, row)})


def _ip_rows(server: Record) -> dict[str, list[dict[str, Any]]]:
    return {net: [{"version": a["version"], "addr": a["addr"]} for a in addrs]
            for net, addrs in (server.get("addresses") or {}).items()}


async def list_ips(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    return ctx.reply({"addresses": _ip_rows(server)})


async def show_ips(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    label = request.path_params["network_label"]
    rows = _ip_rows(server)
    if label not in rows:
        raise ApiError(404, "Instance is not a member of specified network")
    return ctx.reply({label: rows[label]})


# -- metadata -----------------------------------------------------------------------------

class Metadata(Pairs):
    """A server's metadata: keys and values of Nova's metadata rules, at most 128 items;
    a locked server's metadata changes only for an admin."""

    def values(self, ctx: EngineCtx, doc: Any, envelope: str | None) -> dict[str, Any]:
        name = envelope or "metadata"
        return check_metadata(name, NOVA.member(doc, name))

    def one(self, ctx: EngineCtx, doc: Any, key: str) -> Any:
        return NOVA.one_item(self.values(ctx, doc, self.item_key), key)

    def allow(self, ctx: EngineCtx, record: Record, method: str) -> None:
        assert isinstance(ctx, Ctx)
        check_lock(ctx, record)

    def missing(self, record: Record, key: str) -> ApiError:
        return ApiError(404, "Metadata item was not found")

    def save(self, ctx: EngineCtx, record: Record, pairs: Mapping[str, Any]) -> None:
        if len(pairs) > 128:
            raise ApiError(403, "Quota exceeded for metadata_items: Requested 129, but "
                                "already used 0 of 128 metadata_items")
        record["metadata"] = dict(pairs)
        touch(ctx.store, record)


METADATA = Metadata(SERVERS, "metadata", delete_status=204)


# -- tags ---------------------------------------------------------------------------------

class ServerTags(Tags):
    """A server's tags (2.26): Nova's tag rules, at most 50."""

    def allow(self, ctx: EngineCtx, record: Record, method: str) -> None:
        assert isinstance(ctx, Ctx)
        NOVA.gate(ctx.request, (2, 26))

    def sent(self, ctx: EngineCtx, doc: Any) -> list[str]:
        if not isinstance(doc, dict) or "tags" not in doc:
            raise NOVA.invalid("tags", None, "required")
        return check_tags("tags", doc["tags"])

    def one(self, ctx: EngineCtx, record: Record, tag: str) -> str:
        check_tags("tag", [tag])
        if tag not in record["tags"] and len(record["tags"]) >= 50:
            raise NOVA.bad("The number of tags exceeded the per-server limit 50")
        return tag

    def save(self, ctx: EngineCtx, record: Record, tags: list[str]) -> None:
        record["tags"] = tags
        touch(ctx.store, record)


TAGS = ServerTags(SERVERS)


def routes() -> list[BaseRoute]:
    s = "/v2.1/servers/{server_id}"
    return [
        Route(f"{s}/os-instance-actions", list_actions, methods=["GET"]),
        Route(f"{s}/os-instance-actions/{{request_id}}", show_action, methods=["GET"]),
        Route(f"{s}/os-interface", list_interfaces, methods=["GET"]),
        Route(f"{s}/os-interface", attach_interface, methods=["POST"]),
        Route(f"{s}/os-interface/{{port_id}}", show_interface, methods=["GET"]),
        Route(f"{s}/os-interface/{{port_id}}", detach_interface, methods=["DELETE"]),
        Route(f"{s}/os-volume_attachments", list_volume_attachments, methods=["GET"]),
        Route(f"{s}/os-volume_attachments", attach_volume, methods=["POST"]),
        Route(f"{s}/os-volume_attachments/{{volume_id}}", show_volume_attachment,
              methods=["GET"]),
        Route(f"{s}/os-volume_attachments/{{volume_id}}", detach_volume,
              methods=["DELETE"]),
        Route(f"{s}/ips", list_ips, methods=["GET"]),
        Route(f"{s}/ips/{{network_label}}", show_ips, methods=["GET"]),
        *METADATA.routes("/v2.1"),
        *TAGS.routes("/v2.1"),
    ]
