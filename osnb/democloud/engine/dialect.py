"""How one service speaks: its 400s, its paging, its sorting, its project scoping.

Every collection of a service shares these, and the services differ in all of them:
Neutron pages with ``<plural>_links`` (next and previous) and sorts ascending, Nova and
Cinder with ``<plural>_links`` (next only) newest first, Glance with top-level ``next``
and ``first``, Keystone with ``links.next`` and ``truncated``, Placement not at all. A
service package declares one :class:`Dialect` (a subclass where its words differ) and
every :class:`~.collection.Collection` of the package names it.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request

from ..http import ApiError, microversion, url_for
from ..store import Record, isotime, now, uuid_text
from .fields import Field, check_body

__all__ = ["PAGINATION", "Dialect"]

PAGINATION = ("links", "neutron", "glance", "keystone", "none")
"""``links``: ``<plural>_links: [{rel: next}]`` (Nova, Cinder); ``neutron``: next and
previous links and ``page_reverse``; ``glance``: top-level ``next``/``first``;
``keystone``: ``links: {self, previous, next}`` and ``truncated``; ``none``: all at once."""


@dataclass(frozen=True)
class Dialect:
    """One service's conventions, with Neutron's words as the defaults."""

    style: str = "neutron"
    """The error format of :func:`..http.error_body`."""
    envelope: bool = True
    """Bodies are ``{"<singular>": {...}}`` (all but Glance and Placement)."""
    pagination: str = "neutron"
    default_sort: tuple[tuple[str, str], ...] = (("id", "asc"),)
    sort_param: bool = False
    """``sort=key:dir,…`` is understood (Cinder, Glance) beside ``sort_key``/``sort_dir``."""
    id_follows_last_dir: bool = False
    """The ``id`` tie-break sorts in the last key's direction (Cinder, Glance), not up."""
    sort_when_paging_only: bool = True
    """Records keep the table's order unless a sort, a limit or a marker is asked for
    (Neutron); otherwise they are always sorted."""
    default_limit: int | None = None
    max_limit: int = 1000
    next_when_full: bool = False
    """A ``next`` link whenever the page is full, even if nothing is left (Nova, Glance),
    rather than only when something is."""
    all_projects_param: str | None = None
    """The query parameter with which an admin lists every project (``all_tenants``);
    without it an admin sees only its own project. ``None``: admins always see all."""
    sort_dir_alone: bool = False
    """A ``sort_dir`` without as many ``sort_key``s is no error: the first applies to the
    keys it lacks, and without a ``sort_key`` to the default sort's first key (Nova)."""
    next_repeats_limit: bool = True
    """The ``links`` style's next link repeats the page's limit even when the request gave
    none; otherwise it is the request's query with the marker added (Nova)."""
    read_only_refused: bool = True
    """A body with a read-only key is a 400 (otherwise the key is ignored)."""
    read_only_unknown: bool = False
    """A read-only key (and a create-only one in an update) is refused as unrecognized,
    with the unknown ones (Neutron), rather than on its own."""
    unknown_filters_refused: bool = True
    id_style: str = "uuid"
    """``uuid`` (``8-4-4-4-12``) or ``hex`` (Keystone's 32 hex digits)."""
    stamp_style: str = "zulu"
    """``zulu`` (``…:09Z``), ``micro`` (Cinder ``…:09.123456``) or ``plain``."""
    zero_limit_empty: bool = False
    """``limit=0`` asks for an empty page (Nova), not for no limit."""
    offset_param: bool = False
    """``offset`` skips that many records after the marker (Nova's ``common.limited``,
    Cinder), rather than being a filter like any other parameter."""
    ignored_params: frozenset[str] = frozenset()
    """List and show query parameters the service does not read, taken as absent:
    Keystone knows no ``sort_key`` or ``fields``, and its unpaged lists no ``limit`` or
    ``marker``."""
    versions: tuple[str, str, str] | None = None
    """``(service, minimum, maximum)`` of the microversions it speaks (``("volume",
    "3.0", "3.71")``); None: it has none."""
    legacy_header: str | None = None
    """The header an older client names the microversion in (Nova's)."""

    # -- microversions -------------------------------------------------------------------

    def version(self, request: Request) -> tuple[int, int] | None:
        """The microversion asked for (406 out of range); None without microversions."""
        if self.versions is None:
            return None
        service, low, high = self.versions
        return microversion(request, service, low, high, self.legacy_header)

    def gate(self, request: Request, since: tuple[int, int],
             until: tuple[int, int] | None = None) -> None:
        """The 404 of a route the microversion asked for does not have (Nova's and
        Cinder's words)."""
        version = self.version(request)
        if version is not None and (version < since or (until and version > until)):
            raise ApiError(404, "The resource could not be found.")

    # -- words ---------------------------------------------------------------------------

    def bad(self, message: str, type: str | None = None) -> ApiError:
        """A 400 of this service."""
        return ApiError(400, message, type=type or ("HTTPBadRequest"
                                                     if self.style == "neutron" else None))

    def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
        """The 400 for attribute ``name`` failing ``reason`` (``type``, ``null``,
        ``max_length``, ``minimum``, ``maximum``, ``choices``, ``read_only``,
        ``required``); ``facts`` give ``detail`` and ``expected`` (the field's type) for
        ``type``, ``limit`` (the bound passed), ``low`` and ``high`` (both bounds of the
        field, for a range) or ``choices``, and the checks of a value the ``field`` itself
        and the failing ``item`` of a list."""
        why = {
            "type": f"'{value}' {facts.get('detail', 'is not valid')}.",
            "null": f"'{value}' is not allowed to be null.",
            "max_length": f"'{value}' exceeds maximum length of {facts.get('limit')}.",
            "minimum": f"'{value}' is not in range {facts.get('limit')} through None.",
            "maximum": f"'{value}' is not in range None through {facts.get('limit')}.",
            "choices": f"'{value}' is not in {list(facts.get('choices') or ())}.",
        }.get(reason)
        if reason == "read_only":
            return self.bad(f"Attribute '{name}' not allowed in POST")
        if reason == "required":
            return self.bad(f"Failed to parse request. Required attribute '{name}' not "
                            "specified")
        return self.bad(f"Invalid input for {name}. Reason: {why}")

    def unknown(self, names: Sequence[str]) -> ApiError:
        """The 400 for attributes the resource does not have."""
        return self.bad("Unrecognized attribute(s) '" + ", ".join(names) + "'")

    def unknown_filter(self, name: str) -> ApiError:
        return self.bad(f"[{name}] is invalid attribute for filtering")

    def bad_sort_key(self, name: str) -> ApiError:
        return self.bad(f"{name} is an invalid attribute for sort_keys")

    def bad_sort_dir(self, direction: str) -> ApiError:
        return self.bad(f"{direction} is an invalid value for sort_dirs, valid values are "
                        "'asc' and 'desc'")

    def bad_limit(self, raw: str) -> ApiError:
        return self.bad(f"Invalid input for limit. Reason: '{raw}' is not an integer.",
                        type="InvalidInput" if self.style == "neutron" else None)

    def negative_limit(self, raw: str) -> ApiError:
        return self.bad(f"Limit must be an integer 0 or greater and not '{raw}'")

    def bad_offset(self, raw: str) -> ApiError:
        return self.bad(f"Invalid input received: offset must be a non-negative integer, "
                        f"not '{raw}'")

    def bad_marker(self, singular: str, marker: str) -> ApiError:
        if self.style == "neutron":
            return ApiError(404, f"{singular.capitalize()} {marker} could not be found.",
                            type=singular.title().replace("_", "") + "NotFound")
        return self.bad(f"marker [{marker}] not found")

    def not_found(self, singular: str, ident: str) -> ApiError:
        """The 404 for a record that does not exist or that the caller may not see."""
        text = singular.replace("_", " ")
        return ApiError(404, f"{text[:1].upper()}{text[1:]} {ident} could not be found.",
                        type=singular.title().replace("_", "") + "NotFound"
                        if self.style == "neutron" else None)

    def forbidden(self, action: str) -> ApiError:
        return ApiError(403, f"Policy doesn't allow {action} to be performed.",
                        type="PolicyNotAuthorized" if self.style == "neutron" else None)

    def body_missing(self, singular: str) -> ApiError:
        return self.bad(f"Resource body required; expected a JSON object with the key "
                        f"'{singular}'.")

    # -- actions (``POST …/action``, see :mod:`.actions`) -----------------------------------

    def action_of(self, body: Any) -> tuple[Any, Any]:
        """The name and argument of an action's body: its one key, or the 400."""
        if not isinstance(body, dict) or len(body) != 1:
            raise self.bad("Malformed request body")
        name, arg = next(iter(body.items()))
        return name, arg

    def no_action(self, name: Any) -> ApiError:
        """The answer to an action the resource does not have (at this microversion)."""
        return ApiError(404, f"There is no such action: {name}")

    def action_arg(self, name: str, arg: Any, fields: Mapping[str, Field]) -> dict[str, Any]:
        """The argument of action ``name`` checked against its ``fields`` (none sent: an
        empty object)."""
        if arg is None:
            arg = {}
        if not isinstance(arg, dict):
            raise self.invalid(name, arg, "type", detail="is not a dictionary",
                               expected="dict")
        return check_body(self, fields, arg, create=True)

    # -- values the service makes --------------------------------------------------------

    def new_id(self, rng_bits: int | None = None) -> str:
        """A fresh id in this service's style (seeded when ``rng_bits`` is given)."""
        bits = secrets.randbits(128) if rng_bits is None else rng_bits
        text = uuid_text(bits)
        return text.replace("-", "") if self.id_style == "hex" else text

    def stamp(self) -> str:
        """Now, as this service writes timestamps."""
        moment = now()
        if self.stamp_style == "micro":
            return isotime(moment, micro=True, zulu=False)
        return isotime(moment, zulu=self.stamp_style == "zulu")

    # -- pages ---------------------------------------------------------------------------

    def page_body(self, request: Request, plural: str, items: list[Record],
                  rendered: list[Record], *, limit: int | None, more: bool,
                  reverse: bool = False, path: str | None = None) -> dict[str, Any]:
        """The list document: ``rendered`` under ``plural`` with this service's links.

        ``items`` are the page's records (their ids make the markers), ``more`` says
        whether records are left after the page (before it, with ``reverse``).
        """
        body: dict[str, Any] = {plural: rendered}
        style = self.pagination
        full = bool(limit) and len(items) >= (limit or 0)
        has_next = bool(items) and (full if self.next_when_full else more)
        if style == "links":
            if has_next:
                more_params: dict[str, Any] = {"limit": limit} if self.next_repeats_limit \
                    else {}
                body[plural + "_links"] = [{"href": url_for(
                    request, marker=items[-1]["id"], **more_params), "rel": "next"}]
        elif style == "neutron":
            links = _neutron_links(request, items, limit, reverse)
            if links:
                body[plural + "_links"] = links
        elif style == "glance":
            # Relative to the service's endpoint, as Glance writes it (``/v2/images?…``).
            target = path or request.url.path[len(request.scope.get("root_path", "")):]
            params = [(k, v) for k, v in request.query_params.multi_items() if k != "marker"]
            body["first"] = target + ("?" + urlencode(params) if params else "")
            if has_next:
                body["next"] = target + "?" + urlencode(params + [("marker",
                                                                   items[-1]["id"])])
        elif style == "keystone":
            body["links"] = {"self": str(request.url), "previous": None, "next": None}
            if limit is not None and (more or (self.next_when_full and full)):
                body["truncated"] = True
                if items:
                    body["links"]["next"] = url_for(request, marker=items[-1]["id"])
        return body


def _neutron_links(request: Request, items: list[Record], limit: int | None,
                   reverse: bool) -> list[dict[str, str]]:
    """Neutron's ``next`` and ``previous`` links: each present unless the page is short in
    its direction."""
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

