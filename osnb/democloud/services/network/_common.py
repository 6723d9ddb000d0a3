"""What every Neutron collection shares: policy scoping, the list engine (filters,
``fields``, sorting, pagination with ``<collection>_links``), body validation and the
generic show/delete handlers."""

from __future__ import annotations

import bisect
import ipaddress
import operator
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from ...http import ApiError, auth, json_body, json_response, store_of
from ...store import Record, Store, Token, public

__all__ = ["Kind", "bad", "body_of", "check_attrs", "conflict", "get_visible", "ident",
           "list_response", "not_found", "render", "show", "to_bool", "to_int"]

RESERVED = frozenset({"fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse"})
TAG_FILTERS = frozenset({"tags", "tags-any", "not-tags", "not-tags-any"})
COMMON = ("id", "name", "description", "tenant_id", "project_id", "tags", "created_at",
          "updated_at", "revision_number")

Visible = Callable[[Store, Token, Record], bool]
Candidates = Callable[[Store, Token, dict[str, list[str]]], Iterable[Record] | None]


def _own(store: Store, token: Token, record: Record) -> bool:
    return bool(record.get("project_id") == token.project_id)


@dataclass
class Kind:
    """One Neutron collection: names, table, the 404 it sends and who sees what."""

    singular: str
    plural: str
    table: str
    not_found: str
    missing: str
    fields: frozenset[str]
    admin_fields: frozenset[str] = frozenset()
    visible: Visible = _own
    candidates: Candidates | None = None
    extra_filters: frozenset[str] = frozenset()
    shape: Callable[[Store, Token, Record], Record] | None = None
    private: bool = False
    """Whether records carry ``_`` keys to strip (others are sent as they are stored)."""
    path: str = ""
    """The URL segment when it differs from ``plural`` (``security-groups``)."""

    @property
    def url(self) -> str:
        return self.path or self.plural


def bad(message: str, type: str = "HTTPBadRequest") -> ApiError:
    return ApiError(400, message, type=type)


def conflict(message: str, type: str) -> ApiError:
    return ApiError(409, message, type=type)


def not_found(kind: Kind, ident_: str) -> ApiError:
    return ApiError(404, kind.missing.format(id=ident_), type=kind.not_found)


def ident(request: Request, name: str = "id") -> str:
    """A path parameter, without the ``.json`` suffix Neutron's URLs may carry."""
    value = str(request.path_params[name])
    return value[:-5] if value.endswith(".json") else value


def get_visible(store: Store, token: Token, kind: Kind, ident_: str) -> Record:
    record = store.table(kind.table).get(ident_)
    if record is None or not (token.is_admin or kind.visible(store, token, record)):
        raise not_found(kind, ident_)
    return record


def render(store: Store, token: Token, kind: Kind, record: Record,
           fields: Sequence[str] = ()) -> Record:
    if kind.shape is not None:
        out = kind.shape(store, token, public(record))
    elif kind.private:
        out = public(record)
    elif token.is_admin:
        out = record
    else:
        hidden = kind.admin_fields
        return {k: v for k, v in record.items()
                if k not in hidden and (not fields or k in fields)}
    if not token.is_admin:
        out = {k: v for k, v in out.items() if k not in kind.admin_fields}
    if fields:
        out = {k: out[k] for k in fields if k in out}
    return out


def _fields(request: Request) -> list[str]:
    out: list[str] = []
    for value in request.query_params.getlist("fields"):
        out += [v.strip() for v in value.split(",") if v.strip()]
    return out


def show(store: Store, token: Token, kind: Kind, record: Record,
         request: Request | None = None, status: int = 200) -> Response:
    fields = _fields(request) if request is not None else []
    return json_response({kind.singular: render(store, token, kind, record, fields)}, status)


# -- conversions -----------------------------------------------------------------------

_TRUE = {"true", "1", "t", "yes", "y", "on"}
_FALSE = {"false", "0", "f", "no", "n", "off"}


def to_bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise bad(f"Invalid input for {name}. Reason: '{value}' cannot be converted to boolean.")


def to_int(value: Any, name: str) -> int:
    if isinstance(value, bool):
        raise bad(f"Invalid input for {name}. Reason: '{value}' is not an integer.")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad(f"Invalid input for {name}. Reason: '{value}' is not an integer.") from None


# -- request bodies --------------------------------------------------------------------

async def body_of(request: Request, key: str) -> dict[str, Any]:
    """The ``{key: {...}}`` document of a create or update, or Neutron's 400."""
    try:
        doc = await json_body(request)
    except ApiError:
        raise bad("Malformed request body") from None
    if not isinstance(doc, dict) or key not in doc:
        raise bad(f"Resource body required; expected a JSON object with the key '{key}'.")
    inner = doc[key]
    if not isinstance(inner, dict):
        raise bad(f"Invalid input for {key}. Reason: Resource body required.")
    return inner


Check = Callable[[Any, str], Any]


def check_attrs(body: dict[str, Any], allowed: dict[str, Check]) -> dict[str, Any]:
    """Validate and convert each attribute; unknown ones are Neutron's 400."""
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise bad("Unrecognized attribute(s) '" + ", ".join(unknown) + "'")
    return {k: allowed[k](v, k) for k, v in body.items()}


def v_str(max_len: int = 255, *, nullable: bool = False) -> Check:
    def check(value: Any, name: str) -> Any:
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            raise bad(f"Invalid input for {name}. Reason: '{value}' is not a valid string.")
        if len(value) > max_len:
            raise bad(f"Invalid input for {name}. Reason: '{value}' exceeds maximum "
                      f"length of {max_len}.")
        return value
    return check


def v_bool(value: Any, name: str) -> bool:
    return to_bool(value, name)


def v_int(lo: int | None = None, hi: int | None = None, *, nullable: bool = False) -> Check:
    def check(value: Any, name: str) -> Any:
        if value is None and nullable:
            return None
        number = to_int(value, name)
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            raise bad(f"Invalid input for {name}. Reason: '{number}' is not in range "
                      f"{lo} through {hi}.")
        return number
    return check


def v_list(item: Check | None = None) -> Check:
    def check(value: Any, name: str) -> Any:
        if not isinstance(value, list):
            raise bad(f"Invalid input for {name}. Reason: '{value}' is not a list.")
        return [item(v, name) for v in value] if item else value
    return check


def v_dict(value: Any, name: str) -> Any:
    if not isinstance(value, dict):
        raise bad(f"Invalid input for {name}. Reason: '{value}' is not a dictionary.")
    return value


def v_any(value: Any, name: str) -> Any:
    return value


def v_ip(version: int | None = None, *, nullable: bool = False) -> Check:
    def check(value: Any, name: str) -> Any:
        if value is None and nullable:
            return None
        try:
            address = ipaddress.ip_address(value)
        except (TypeError, ValueError):
            raise bad(f"Invalid input for {name}. Reason: '{value}' is not a valid IP "
                      "address.") from None
        if version and address.version != version:
            raise bad(f"Invalid input for {name}. Reason: '{value}' is not a valid IPv"
                      f"{version} address.")
        return str(address)
    return check


def v_cidr(value: Any, name: str) -> Any:
    try:
        net = ipaddress.ip_network(value, strict=False)
    except (TypeError, ValueError):
        raise bad(f"Invalid input for {name}. Reason: '{value}' is not a valid IP subnet.") \
            from None
    if str(net) != str(value) and str(net.network_address) + f"/{net.prefixlen}" != value:
        raise bad(f"Invalid input for {name}. Reason: '{value}' isn't a recommended CIDR, "
                  f"'{net}' should be specified instead.")
    return str(net)


def v_values(*choices: Any, nullable: bool = False) -> Check:
    def check(value: Any, name: str) -> Any:
        if value is None and nullable:
            return None
        if value not in choices:
            raise bad(f"Invalid input for {name}. Reason: '{value}' is not in "
                      f"{list(choices)}.")
        return value
    return check


# -- the list engine -------------------------------------------------------------------

class _Rev:
    """Inverts ordering, for descending sort keys inside one tuple key."""

    __slots__ = ("v",)

    def __init__(self, v: Any) -> None:
        self.v = v

    def __lt__(self, other: _Rev) -> bool:
        return bool(other.v < self.v)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Rev) and self.v == other.v


def _sortable(value: Any) -> tuple[int, Any]:
    if value is None:
        return (0, "")
    if isinstance(value, (bool, int, float, str)):
        return (1, value)
    return (2, str(value))


def _matcher(values: list[str]) -> Callable[[Any], bool]:
    strs = set(values)
    low = {v.strip().lower() for v in values}
    bools = {v in _TRUE for v in low if v in _TRUE | _FALSE}
    ints = set()
    for v in values:
        try:
            ints.add(int(v))
        except ValueError:
            pass

    def match(value: Any) -> bool:
        if isinstance(value, bool):
            return value in bools
        if isinstance(value, int):
            return value in ints
        if isinstance(value, str):
            return value in strs
        if value is None:
            return bool(strs & {"", "None", "null"})
        if isinstance(value, list):
            return any(match(v) for v in value if not isinstance(v, (list, dict)))
        return str(value) in strs
    return match


def _fixed_ips_matcher(values: list[str]) -> Callable[[Any], bool]:
    want: dict[str, set[str]] = {}
    for value in values:
        key, _, val = value.partition("=")
        if key not in ("ip_address", "subnet_id", "ip_address_substr"):
            raise bad(f"Invalid input for fixed_ips. Reason: '{value}' is not a valid "
                      "filter.", type="InvalidInput")
        want.setdefault(key, set()).add(val)

    def match(ips: Any) -> bool:
        for ip in ips or ():
            if "ip_address" in want and ip["ip_address"] not in want["ip_address"]:
                continue
            if "subnet_id" in want and ip["subnet_id"] not in want["subnet_id"]:
                continue
            if "ip_address_substr" in want and not any(
                    s in ip["ip_address"] for s in want["ip_address_substr"]):
                continue
            return True
        return False
    return match


def _tag_matcher(kind: str, values: list[str]) -> Callable[[Any], bool]:
    tags = {t for v in values for t in v.split(",") if t}
    if kind == "tags":
        return lambda have: tags <= set(have or ())
    if kind == "tags-any":
        return lambda have: bool(tags & set(have or ()))
    if kind == "not-tags":
        return lambda have: not tags <= set(have or ())
    return lambda have: not tags & set(have or ())


def filters_of(request: Request, kind: Kind) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    allowed = kind.fields | kind.extra_filters | TAG_FILTERS
    for key, value in request.query_params.multi_items():
        if key in RESERVED:
            continue
        if key not in allowed:
            raise bad(f"[{key}] is invalid attribute for filtering")
        out.setdefault("project_id" if key == "tenant_id" else key, []).append(value)
    return out


def _page_params(request: Request) -> tuple[int | None, str | None, bool]:
    raw = request.query_params.get("limit")
    limit: int | None = None
    if raw is not None:
        try:
            limit = int(raw)
        except ValueError:
            raise bad(f"Invalid input for limit. Reason: '{raw}' is not an integer.",
                      type="InvalidInput") from None
        if limit < 0:
            raise bad(f"Limit must be an integer 0 or greater and not '{raw}'")
        limit = limit or None
    reverse = to_bool(request.query_params.get("page_reverse", "false"), "page_reverse")
    return limit, request.query_params.get("marker"), reverse


def _links(request: Request, items: list[Record], limit: int | None,
           reverse: bool) -> list[dict[str, str]]:
    if not limit:
        return []
    base = str(request.url.replace(query="")).split("?")[0]
    params = [(k, v) for k, v in request.query_params.multi_items()
              if k not in ("marker", "page_reverse")]
    links = []
    if items and not (len(items) < limit and not reverse):
        links.append({"rel": "next", "href": base + "?" + urlencode(
            params + [("marker", items[-1]["id"])])})
    if items and not (len(items) < limit and reverse):
        links.append({"rel": "previous", "href": base + "?" + urlencode(
            params + [("marker", items[0]["id"]), ("page_reverse", "True")])})
    return links


def list_response(request: Request, kind: Kind, *,
                  extra: Callable[[Record], bool] | None = None) -> Response:
    """GET on a collection, with Neutron's filters, fields, sorting and pagination."""
    store, token = store_of(request), auth(request)
    filters = filters_of(request, kind)
    fields = _fields(request)
    limit, marker, reverse = _page_params(request)
    sort_keys = request.query_params.getlist("sort_key")
    sort_dirs = request.query_params.getlist("sort_dir")
    if sort_dirs and len(sort_dirs) != len(sort_keys):
        raise bad("The number of sort_keys and sort_dirs must be same")
    for key in sort_keys:
        if key not in kind.fields:
            raise bad(f"{key} is an invalid attribute for sort_keys")
    for d in sort_dirs:
        if d not in ("asc", "desc"):
            raise bad(f"{d} is an invalid value for sort_dirs, valid values are "
                      "'asc' and 'desc'")

    table = store.table(kind.table)
    source = kind.candidates(store, token, filters) if kind.candidates else None
    records: Iterable[Record] = table.values() if source is None else source
    checks: list[tuple[str, Callable[[Any], bool]]] = []
    for key, values in filters.items():
        if key in TAG_FILTERS:
            checks.append(("tags", _tag_matcher(key, values)))
        elif key == "fixed_ips":
            checks.append((key, _fixed_ips_matcher(values)))
        elif key in kind.fields:
            checks.append((key, _matcher(values)))
    admin = token.is_admin
    visible = kind.visible
    if admin and not checks and extra is None:
        items = list(records)
    else:
        items = [r for r in records
                 if (admin or visible(store, token, r))
                 and all(check(r.get(key)) for key, check in checks)
                 and (extra is None or extra(r))]

    if sort_keys or limit or marker:
        keys = sort_keys or ["id"]
        dirs = sort_dirs or ["asc"] * len(keys)
        if "id" not in keys:
            keys, dirs = keys + ["id"], dirs + ["asc"]

        def tuple_key(r: Record) -> Any:
            parts: list[Any] = []
            for k, d in zip(keys, dirs, strict=True):
                v = _sortable(r.get(k))
                parts.append(_Rev(v) if d == "desc" else v)
            return tuple(parts)

        # Sorting by id alone (the pagination default) is the hot path: keep it cheap.
        sort_key: Callable[[Record], Any] = \
            operator.itemgetter("id") if keys == ["id"] and dirs == ["asc"] else tuple_key

        items.sort(key=sort_key)
        start, end = 0, len(items)
        if marker is not None:
            mrec = table.get(marker)
            if mrec is None:
                raise not_found(kind, marker)
            mk = sort_key(mrec)
            if reverse:
                end = bisect.bisect_left(items, mk, key=sort_key)
            else:
                start = bisect.bisect_right(items, mk, key=sort_key)
        if limit:
            if reverse:
                start = max(start, end - limit)
            else:
                end = min(end, start + limit)
        items = items[start:end]
    body: dict[str, Any] = {kind.plural: [render(store, token, kind, r, fields)
                                          for r in items]}
    links = _links(request, items, limit, reverse)
    if links:
        body[kind.plural + "_links"] = links
    return json_response(body)


def get_handler(kind: Kind) -> Callable[[Request], Any]:
    async def get_one(request: Request) -> Response:
        store, token = store_of(request), auth(request)
        return show(store, token, kind, get_visible(store, token, kind, ident(request)),
                    request)
    return get_one


def list_handler(kind: Kind) -> Callable[[Request], Any]:
    async def get_all(request: Request) -> Response:
        return list_response(request, kind)
    return get_all
