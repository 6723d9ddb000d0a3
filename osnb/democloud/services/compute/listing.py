"""Nova's server listing: filters, sorting, and marker paging over a maintained order.

The unfiltered admin listing walks :class:`~.common.ComputeState`'s ``order``
backwards (created desc, id desc) with no scan; any filtered or re-sorted listing is
computed once per world generation and cached, so walking its pages costs a dict lookup.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from ...http import ApiError, raw_json_response
from ...store import Store, isotime
from .common import Ctx, Server, bad_request, context, servers_of, state
from .views import server_summary_json, servers_page_json

__all__ = ["list_servers", "list_servers_detail"]


# -- filters ------------------------------------------------------------------------------

_SORT_KEYS = {"access_ip_v4", "access_ip_v6", "auto_disk_config", "availability_zone",
              "config_drive", "created_at", "display_description", "display_name", "host",
              "hostname", "image_ref", "instance_type_id", "kernel_id", "key_name",
              "launch_index", "launched_at", "locked", "locked_by", "node", "power_state",
              "progress", "project_id", "ramdisk_id", "root_device_name", "task_state",
              "terminated_at", "updated_at", "user_id", "uuid", "vm_state"}
_SORT_FIELDS: dict[str, Callable[[Server], Any]] = {
    "created_at": lambda s: s["created"], "updated_at": lambda s: s["updated"],
    "display_name": lambda s: s["name"], "uuid": lambda s: s["id"],
    "display_description": lambda s: s.get("description") or "",
    "availability_zone": lambda s: s.get("OS-EXT-AZ:availability_zone") or "",
    "host": lambda s: s.get("OS-EXT-SRV-ATTR:host") or "",
    "node": lambda s: s.get("OS-EXT-SRV-ATTR:hypervisor_hostname") or "",
    "hostname": lambda s: s.get("OS-EXT-SRV-ATTR:hostname") or "",
    "key_name": lambda s: s.get("key_name") or "",
    "launched_at": lambda s: s.get("OS-SRV-USG:launched_at") or "",
    "locked": lambda s: s.get("locked", False),
    "power_state": lambda s: s.get("OS-EXT-STS:power_state", 0),
    "task_state": lambda s: s.get("OS-EXT-STS:task_state") or "",
    "vm_state": lambda s: s.get("OS-EXT-STS:vm_state") or "",
    "project_id": lambda s: s["tenant_id"], "user_id": lambda s: s["user_id"],
    "instance_type_id": lambda s: s.flavor_id,
    "image_ref": lambda s: s["image"]["id"] if s.get("image") else "",
    "access_ip_v4": lambda s: s.get("accessIPv4") or "",
    "access_ip_v6": lambda s: s.get("accessIPv6") or "",
}
_ADMIN_SORT_KEYS = {"host", "node"}
_PAGING = {"limit", "marker", "sort_key", "sort_dir"}


def _parse_time(name: str, value: str) -> str:
    try:
        parsed = _dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(f"Invalid filter field: {name}.") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=_dt.timezone.utc)
    return isotime(parsed)


def _as_bool(name: str, value: str) -> bool:
    low = value.strip().lower()
    if low in ("1", "true", "t", "yes", "y", "on"):
        return True
    if low in ("0", "false", "f", "no", "n", "off"):
        return False
    raise bad_request(f"Invalid input for query parameters {name}. Value: {value}. "
                      f"'{value}' is not one of ['True', 'true', '1', 'False', 'false', '0']")


Pred = Callable[[Server], bool]


def _eq(getter: Callable[[Server], Any], value: Any) -> Pred:
    return lambda s: bool(getter(s) == value)


def _search(rx: re.Pattern[str]) -> Pred:
    return lambda s: rx.search(s["name"]) is not None


def _within(values: set[str]) -> Pred:
    return lambda s: s["status"] in values


def _since(field_name: str, when: str) -> Pred:
    return lambda s: bool(s[field_name] >= when)


def _before(field_name: str, when: str) -> Pred:
    return lambda s: bool(s[field_name] <= when)


def _tag_filter(param: str, tags: frozenset[str]) -> Pred:
    if param == "tags":
        return lambda s: tags <= set(s.get("tags") or ())
    if param == "tags-any":
        return lambda s: bool(tags & set(s.get("tags") or ()))
    if param == "not-tags":
        return lambda s: not tags <= set(s.get("tags") or ())
    return lambda s: not tags & set(s.get("tags") or ())


def _sort_key(servers: dict[str, Server], getter: Callable[[Server], Any]
              ) -> Callable[[str], Any]:
    return lambda sid: getter(servers[sid])


def _filters(ctx: Ctx, detail: bool) -> tuple[tuple[Any, ...], list[Callable[[Server], bool]]]:
    """The normalized filter key (for the listing cache) and the predicates."""
    q = ctx.request.query_params
    preds: list[Callable[[Server], bool]] = []
    key: list[Any] = []
    all_tenants = "all_tenants" in q and q.get("all_tenants", "").lower() not in (
        "0", "false", "f", "no", "off")
    if all_tenants and not ctx.admin:
        which = "detail" if detail else "index"
        raise ApiError(403, f"Policy doesn't allow os_compute_api:servers:{which}:"
                            "get_all_tenants to be performed.")
    project = q.get("project_id") or q.get("tenant_id")
    if not ctx.admin or (not all_tenants and not project):
        # Never "no filter" by accident: a token without a project sees no servers.
        project = ctx.token.project_id or ""
    if project is not None:
        key.append(("project", project))
        preds.append(_eq(lambda s: s["tenant_id"], project))
    if "name" in q:
        try:
            rx = re.compile(q["name"])
        except re.error:
            raise bad_request(f"Invalid regular expression for name: {q['name']}") from None
        key.append(("name", q["name"]))
        preds.append(_search(rx))
    statuses = [v.upper() for v in q.getlist("status")]
    if statuses:
        key.append(("status", tuple(sorted(statuses))))
        wanted = set(statuses)
        preds.append(_within(wanted))
    simple = {"flavor": lambda s: s.flavor_id,
              "image": lambda s: s["image"]["id"] if s.get("image") else "",
              "availability_zone": lambda s: s.get("OS-EXT-AZ:availability_zone"),
              "key_name": lambda s: s.get("key_name"), "uuid": lambda s: s["id"],
              "reservation_id": lambda s: s.get("OS-EXT-SRV-ATTR:reservation_id"),
              "vm_state": lambda s: s.get("OS-EXT-STS:vm_state"),
              "task_state": lambda s: s.get("OS-EXT-STS:task_state")}
    if ctx.admin:
        simple.update({"host": lambda s: s.get("OS-EXT-SRV-ATTR:host"),
                       "node": lambda s: s.get("OS-EXT-SRV-ATTR:hypervisor_hostname"),
                       "user_id": lambda s: s["user_id"]})
    for param, getter in simple.items():
        if param in q:
            key.append((param, q[param]))
            preds.append(_eq(getter, q[param]))
    for param, field_name, cmp in (("changes-since", "updated", 1),
                                   ("changes-before", "updated", -1)):
        if param in q:
            when = _parse_time(param, q[param])
            key.append((param, when))
            preds.append(_since(field_name, when) if cmp > 0 else _before(field_name, when))
    if "locked" in q:
        if not ctx.at_least(2, 73):
            raise bad_request("Invalid filter field: locked.")
        locked = _as_bool("locked", q["locked"])
        key.append(("locked", locked))
        preds.append(_eq(lambda s: bool(s.get("locked")), locked))
    for param in ("tags", "tags-any", "not-tags", "not-tags-any"):
        if param in q:
            tags = frozenset(t for t in q[param].split(",") if t)
            key.append((param, tuple(sorted(tags))))
            preds.append(_tag_filter(param, tags))
    for param, version in (("ip", 4), ("ip6", 6)):
        if param in q:
            try:
                rx = re.compile(q[param])
            except re.error:
                raise bad_request(f"Invalid regular expression for {param}.") from None
            key.append((param, q[param]))

            def by_ip(s: Server, r: re.Pattern[str] = rx, v: int = version) -> bool:
                return any(a["version"] == v and r.search(a["addr"])
                           for addrs in (s.get("addresses") or {}).values() for a in addrs)
            preds.append(by_ip)
    return tuple(key), preds


def _sort_spec(ctx: Ctx) -> list[tuple[str, bool]]:
    q = ctx.request.query_params
    keys = q.getlist("sort_key")
    dirs = q.getlist("sort_dir")
    spec: list[tuple[str, bool]] = []
    for i, k in enumerate(keys):
        if k not in _SORT_KEYS or (k in _ADMIN_SORT_KEYS and not ctx.admin):
            if k in _ADMIN_SORT_KEYS:
                raise ApiError(403, f"Only administrators can sort servers by {k}")
            raise bad_request(f"Invalid input for query parameters sort_key. Value: {k}. "
                              f"'{k}' is not one of {sorted(_SORT_KEYS)}")
        d = dirs[i] if i < len(dirs) else (dirs[0] if dirs else "desc")
        if d not in ("asc", "desc"):
            raise bad_request(f"Invalid input for query parameters sort_dir. Value: {d}. "
                              f"'{d}' is not one of ['asc', 'desc']")
        spec.append((k, d == "desc"))
    if not spec:
        d = dirs[0] if dirs else "desc"
        if d not in ("asc", "desc"):
            raise bad_request(f"Invalid input for query parameters sort_dir. Value: {d}. "
                              f"'{d}' is not one of ['asc', 'desc']")
        spec = [("created_at", d == "desc")]
    if all(k not in ("uuid",) for k, _ in spec):
        spec.append(("uuid", spec[0][1]))
    return spec


def _sorted_ids(store: Store, ids: list[str], spec: list[tuple[str, bool]]) -> list[str]:
    servers = servers_of(store)
    out = list(ids)
    for k, desc in reversed(spec):
        getter = _SORT_FIELDS.get(k, lambda s: "")
        out.sort(key=_sort_key(servers, getter), reverse=desc)
    return out


def _limit(ctx: Ctx) -> int:
    raw = ctx.request.query_params.get("limit")
    if raw is None:
        return 1000
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"Invalid input for query parameters limit. Value: {raw}. "
                          f"'{raw}' does not match '^[0-9]*$'") from None
    if value < 0:
        raise bad_request(f"Invalid input for query parameters limit. Value: {raw}. "
                          f"'{raw}' does not match '^[0-9]*$'")
    return min(value, 1000)


def _page(ctx: Ctx, detail: bool) -> tuple[list[str], str | None]:
    """The ids on this page and the marker for the next page (None at the end)."""
    store = ctx.store
    st = state(store)
    key, preds = _filters(ctx, detail)
    spec = _sort_spec(ctx)
    default_sort = spec == [("created_at", True), ("uuid", True)]
    limit = _limit(ctx)
    marker = ctx.request.query_params.get("marker")
    servers = servers_of(store)
    if not preds and default_sort:
        # The fast path: walk the maintained (created, id) order backwards.
        order = st.order
        if marker is None:
            end = len(order)
        else:
            p = st.positions().get(marker)
            if p is None:
                raise bad_request(f"marker [{marker}] not found")
            end = p
        ids = order[max(0, end - limit):end][::-1]
        more = end - limit > 0
    else:
        cache_key = (key, tuple(spec))
        hit = st.listings.get(cache_key)
        if hit is None or hit[0] != st.generation:
            if default_sort:
                order = st.order
                chosen = [sid for sid in reversed(order)
                          if all(p(servers[sid]) for p in preds)]
            else:
                chosen = _sorted_ids(store, [sid for sid in st.order
                                             if all(p(servers[sid]) for p in preds)], spec)
            hit = (st.generation, chosen, {sid: i for i, sid in enumerate(chosen)})
            if len(st.listings) > 64:
                st.listings.clear()
            st.listings[cache_key] = hit
        _, chosen, where = hit
        start = 0
        if marker is not None:
            if marker in where:
                start = where[marker] + 1
            elif marker in servers:
                start = _insertion_point(store, chosen, servers[marker], spec)
            else:
                raise bad_request(f"marker [{marker}] not found")
        ids = chosen[start:start + limit]
        more = start + limit < len(chosen)
    # Nova links to a next page whenever a page is full (it cannot know it is the last).
    next_marker = ids[-1] if ids and (len(ids) == limit) else None
    del more
    return ids, next_marker


def _insertion_point(store: Store, chosen: list[str], marker: Server,
                     spec: list[tuple[str, bool]]) -> int:
    """Where a marker that is not in the filtered list would sort (it was filtered out)."""
    servers = servers_of(store)

    def after(rec: Server) -> bool:
        for k, desc in spec:
            g = _SORT_FIELDS.get(k, lambda s: "")
            a, b = g(rec), g(marker)
            if a != b:
                return bool(a < b) if desc else bool(a > b)
        return False

    for i, sid in enumerate(chosen):
        if after(servers[sid]):
            return i
    return len(chosen)


def _next_link(ctx: Ctx, marker: str) -> str:
    from urllib.parse import urlencode

    params = [(k, v) for k, v in ctx.request.query_params.multi_items() if k != "marker"]
    params.append(("marker", marker))
    return f"{ctx.base}{ctx.request.url.path}?{urlencode(params)}"


async def list_servers(request: Request) -> Response:
    return _listing(context(request), detail=False)


async def list_servers_detail(request: Request) -> Response:
    return _listing(context(request), detail=True)


def _listing(ctx: Ctx, detail: bool) -> Response:
    ids, next_marker = _page(ctx, detail)
    servers = servers_of(ctx.store)
    base = ctx.base
    if detail:
        page = servers_page_json(ctx.store, base, [servers[sid] for sid in ids], ctx.mv,
                                 ctx.admin)
    else:
        page = b"[" + b",".join([server_summary_json(ctx.store, base, servers[sid])
                                 for sid in ids]) + b"]"
    links = b""
    if next_marker is not None:
        links = b',"servers_links":' + orjson.dumps(
            [{"href": _next_link(ctx, next_marker), "rel": "next"}])
    body = b"".join((b'{"servers":', page, links, b"}"))
    return raw_json_response(body, headers=ctx.headers)


