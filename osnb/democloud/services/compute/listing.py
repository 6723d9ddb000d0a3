"""Nova's servers as a collection of the engine: their filters, sort keys and list step.

The list step is the engine's (:func:`~...engine.parse`, :func:`~...engine.select`,
:meth:`~...engine.Dialect.page_body`) with one documented fast path: the default order
(created desc, id desc) walks :class:`~.common.ComputeState`'s maintained ``order``
backwards, whole when nothing filters it, else through a filtered copy; any other order is
the engine's :func:`~...engine.order`. Both are computed once per world generation and
cached, so walking a listing's pages costs a slice (or a bisection) per page.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import re
from collections.abc import Callable
from typing import Any, TypeVar

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ...engine import Filter, Query, order, page, parse
from ...http import ApiError, raw_json_response
from ...store import Record, isotime
from ._dialect import NOVA, Ctx, NovaCollection
from .common import servers_of, state
from .views import server_summary_json, servers_page_json

__all__ = ["ServerList", "server_list"]

# Nova's sort keys and what each orders by (``host`` and ``node`` for admins only).
SORT_BY: dict[str, str | Callable[[Record], Any]] = {
    "access_ip_v4": "accessIPv4", "access_ip_v6": "accessIPv6",
    "auto_disk_config": "OS-DCF:diskConfig", "availability_zone": "OS-EXT-AZ:availability_zone",
    "config_drive": "config_drive", "created_at": "created",
    "display_description": "description", "display_name": "name",
    "host": "OS-EXT-SRV-ATTR:host", "hostname": "OS-EXT-SRV-ATTR:hostname",
    "image_ref": lambda s: s["image"]["id"] if s.get("image") else "",
    "instance_type_id": lambda s: s.flavor_id,  # type: ignore[attr-defined]
    "kernel_id": "OS-EXT-SRV-ATTR:kernel_id", "key_name": "key_name",
    "launch_index": "OS-EXT-SRV-ATTR:launch_index", "launched_at": "OS-SRV-USG:launched_at",
    "locked": "locked", "locked_by": lambda s: s.locked_by,  # type: ignore[attr-defined]
    "node": "OS-EXT-SRV-ATTR:hypervisor_hostname", "power_state": "OS-EXT-STS:power_state",
    "progress": "progress", "project_id": "tenant_id",
    "ramdisk_id": "OS-EXT-SRV-ATTR:ramdisk_id",
    "root_device_name": "OS-EXT-SRV-ATTR:root_device_name",
    "task_state": "OS-EXT-STS:task_state", "terminated_at": "OS-SRV-USG:terminated_at",
    "updated_at": "updated", "user_id": "user_id", "uuid": "id",
    "vm_state": "OS-EXT-STS:vm_state",
}
ADMIN_SORT_KEYS = ("host", "node")
NEWEST_FIRST: tuple[list[tuple[str, str]], ...] = ([], [("created_at", "desc")])


def _moment(name: str) -> Callable[[list[str]], Callable[[Any], bool]]:
    """``changes-since`` (at or after) or ``changes-before`` (at or before) on ``updated``."""
    def match(values: list[str]) -> Callable[[Any], bool]:
        try:
            parsed = _dt.datetime.fromisoformat(values[-1].replace("Z", "+00:00"))
        except ValueError:
            raise NOVA.bad(f"Invalid filter field: {name}.") from None
        when = isotime(parsed if parsed.tzinfo else parsed.replace(tzinfo=_dt.timezone.utc))
        if name == "changes-since":
            return lambda updated: bool(updated >= when)
        return lambda updated: bool(updated <= when)
    return match


def _locked(values: list[str]) -> Callable[[Any], bool]:
    raw = values[-1]
    low = raw.strip().lower()
    if low not in ("1", "true", "t", "yes", "y", "on", "0", "false", "f", "no", "n", "off"):
        raise NOVA.bad(f"Invalid input for query parameters locked. Value: {raw}. '{raw}' is "
                       "not one of ['True', 'true', '1', 'False', 'false', '0']")
    wanted = low in ("1", "true", "t", "yes", "y", "on")
    return lambda locked: bool(locked) == wanted


def _address(version: int, name: str) -> Callable[[list[str]], Callable[[Any], bool]]:
    """``ip``/``ip6``: a regular expression one of the server's addresses matches."""
    def match(values: list[str]) -> Callable[[Any], bool]:
        try:
            rx = re.compile(values[-1])
        except re.error:
            raise NOVA.bad(f"Invalid regular expression for {name}.") from None
        return lambda addresses: any(a["version"] == version and rx.search(a["addr"])
                                     for addrs in (addresses or {}).values() for a in addrs)
    return match


def _status(values: list[str]) -> Callable[[Any], bool]:
    wanted = frozenset(v.upper() for v in values)
    return lambda status: status in wanted


FILTERS = {
    "name": Filter("regex"),
    "status": Filter(match=_status),
    "flavor": Filter(key=lambda s: s.flavor_id),  # type: ignore[attr-defined]
    "image": Filter(key=lambda s: s["image"]["id"] if s.get("image") else ""),
    "availability_zone": Filter(key="OS-EXT-AZ:availability_zone"),
    "key_name": Filter(), "uuid": Filter(key="id"),
    "reservation_id": Filter(key="OS-EXT-SRV-ATTR:reservation_id"),
    "vm_state": Filter(key="OS-EXT-STS:vm_state"),
    "task_state": Filter(key="OS-EXT-STS:task_state"),
    "host": Filter(key="OS-EXT-SRV-ATTR:host", admin_only=True),
    "node": Filter(key="OS-EXT-SRV-ATTR:hypervisor_hostname", admin_only=True),
    "user_id": Filter(admin_only=True),
    "project_id": Filter(key="tenant_id", admin_only=True),
    "tenant_id": Filter(admin_only=True),
    "changes-since": Filter(key="updated", match=_moment("changes-since")),
    "changes-before": Filter(key="updated", match=_moment("changes-before")),
    "locked": Filter(match=_locked),
    "ip": Filter(key="addresses", match=_address(4, "ip")),
    "ip6": Filter(key="addresses", match=_address(6, "ip6")),
}


class ServerList(NovaCollection):
    """Listing servers: ``GET /servers`` (id, name, links) and ``GET /servers/detail``."""

    async def index(self, request: Request) -> Response:
        return self.listing(request, detail=request.url.path.endswith("/detail"))

    def listing(self, request: Request, *, detail: bool) -> Response:
        ctx = Ctx.of(request)
        query = self.query(ctx, detail)
        servers = servers_of(ctx.store)
        if query.sort in NEWEST_FIRST:
            items, more = self.newest_first(ctx, query)
        else:
            ordered, key = _cached(ctx, (*_filter_key(query), "order", *query.sort),
                                   lambda: order(self, query, servers.values()))
            items, more = page(self, query, ordered, key, servers)  # type: ignore[arg-type]
        links = self.dialect.page_body(request, "servers", items, [], limit=query.limit,
                                       more=more)
        if detail:
            encoded = servers_page_json(ctx.store, ctx.base, items,  # type: ignore[arg-type]
                                        ctx.mv, ctx.admin)
        else:
            encoded = b"[" + b",".join([server_summary_json(ctx.store, ctx.base, s)
                                        for s in items]) + b"]"
        tail = b',"servers_links":' + orjson.dumps(links["servers_links"]) \
            if "servers_links" in links else b""
        return raw_json_response(b"".join((b'{"servers":', encoded, tail, b"}")),
                                 headers=ctx.headers)

    def query(self, ctx: Ctx, detail: bool) -> Query:
        """The engine's reading of the request, with Nova's own rules around it: ``locked``
        from 2.73, admin-only sort keys, ``limit=0`` an empty page, and the project scope
        (an admin's ``all_tenants`` or ``project_id``; everyone else their project)."""
        q = ctx.request.query_params
        if "locked" in q and not ctx.at_least(2, 73):
            raise NOVA.bad("Invalid filter field: locked.")
        for key in q.getlist("sort_key") if not ctx.admin else ():
            if key in ADMIN_SORT_KEYS:
                raise ApiError(403, f"Only administrators can sort servers by {key}")
        query = parse(ctx.request, self, ctx.admin)
        if query.all_projects and not ctx.admin:
            raise NOVA.forbidden(f"os_compute_api:servers:{'detail' if detail else 'index'}"
                                 ":get_all_tenants")
        if query.limit is None:
            query.limit = 0  # Nova's default limit is set: None is what limit=0 leaves
        scoped = ctx.admin and (query.all_projects or "project_id" in query.filters or
                                "tenant_id" in query.filters)
        if not scoped:
            # Never "no filter" by accident: a token without a project sees no servers.
            project = ctx.token.project_id or ""
            query.filters["_project"] = [project]  # keys the listing cache
            query.predicates.append(lambda s: s["tenant_id"] == project)
        return query

    def newest_first(self, ctx: Ctx, query: Query) -> tuple[list[Record], bool]:
        """The page of the default order, walked backwards from the marker; a project's
        listing (a member's, or an admin's ``project_id=``) starts from that project's
        servers (:meth:`~.common.ComputeState.of_project`), so it costs what the project
        holds, not what the world holds."""
        st = state(ctx.store)
        servers = servers_of(ctx.store)
        keys, ids = st.keys, st.order
        scope = next((v for k in ("_project", "project_id", "tenant_id")
                      if len(v := query.filters.get(k) or []) == 1), None)
        if query.predicates:
            def kept() -> tuple[list[tuple[str, str]], list[str]]:
                base = st.keys if scope is None else st.of_project(servers, scope[0])
                chosen = [k for k in base if all(p(servers[k[1]]) for p in query.predicates)]
                return chosen, [k[1] for k in chosen]
            keys, ids = _cached(ctx, _filter_key(query), kept)
        end = len(ids)
        if query.marker is not None:
            if query.marker not in st.positions():
                raise self.dialect.bad_marker("server", query.marker)
            marker = servers[query.marker]
            end = bisect.bisect_left(keys, (marker["created"], marker["id"]))
        start = max(0, end - (query.limit or 0))
        return [servers[sid] for sid in reversed(ids[start:end])], start > 0


def _filter_key(query: Query) -> tuple[Any, ...]:
    return tuple(sorted((k, tuple(v)) for k, v in query.filters.items()))


def _cached(ctx: Ctx, key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """``make()``, computed once per world generation for ``key`` (a listing's filters and
    order), so that walking its pages costs a slice each."""
    st = state(ctx.store)
    hit = st.listings.get(key)
    if hit is None or hit[0] != st.generation:
        if len(st.listings) > 64:
            st.listings.clear()
        hit = st.listings[key] = (st.generation, make())
    return hit[1]


S = TypeVar("S", bound=ServerList)
T = TypeVar("T")


def server_list(cls: type[S], **kw: Any) -> S:
    """The servers' declaration (Nova's dialect, filters and sort keys) as ``cls``."""
    import dataclasses

    return cls("server", "servers", dataclasses.replace(NOVA, sort_key_choices=tuple(SORT_BY)),
               project_key="tenant_id", filters=FILTERS, tags=True, sort_by=SORT_BY,
               timestamps=("created", "updated"), brief=("id", "links", "name"), **kw)
