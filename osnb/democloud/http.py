"""What every demo-cloud service handler shares: JSON, errors, auth, microversions, paging.

A handler is a Starlette endpoint ``async def handler(request) -> Response``. It reaches
the world through :func:`store_of`, the caller through :func:`auth` (which raises the
401 a real keystonemiddleware would), and signals failure by raising :class:`ApiError`;
the app renders that in the error format of the service the request was for (Nova's
``{"itemNotFound": …}``, Neutron's ``NeutronError``, Keystone's ``error``, …).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import orjson
from starlette.requests import Request
from starlette.responses import Response

from .glance_errors import glance_error
from .store import Record, Store, Token

__all__ = [
    "ApiError",
    "auth",
    "error_body",
    "error_payload",
    "error_response",
    "json_body",
    "json_response",
    "microversion",
    "page",
    "query_bool",
    "query_int",
    "require_admin",
    "store_of",
    "url_for",
]

JSON = "application/json"
IDENTITY_PREFIX = "/identity"
"""Where Keystone is mounted: the one service that serves unscoped tokens."""


class ApiError(Exception):
    """An error response: status, message and, for Neutron, the exception type name."""

    def __init__(self, status: int, message: str, *, type: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.type = type
        self.headers = headers or {}


_TITLES = {
    400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
    405: "Method Not Allowed", 406: "Not Acceptable", 409: "Conflict",
    413: "Request Entity Too Large", 415: "Unsupported Media Type", 429: "Too Many Requests",
    500: "Internal Server Error", 501: "Not Implemented", 503: "Service Unavailable",
}
# The fault names of the webob-based services (Nova, Cinder).
_FAULTS = {
    400: "badRequest", 401: "unauthorized", 403: "forbidden", 404: "itemNotFound",
    405: "badMethod", 406: "notAcceptable", 409: "conflictingRequest", 413: "overLimit",
    415: "badMediaType", 429: "overLimit", 501: "notImplemented",
}
_NEUTRON_TYPES = {
    400: "BadRequest", 401: "NotAuthorized", 403: "PolicyNotAuthorized", 404: "NotFound",
    409: "Conflict", 429: "OverQuota", 503: "ServiceUnavailable",
}


def error_body(style: str, status: int, message: str, *, type: str | None = None,
               request_id: str = "") -> dict[str, Any]:
    """The error document a service of ``style`` sends for ``status``.

    Styles: ``keystone``, ``nova`` (also Cinder), ``neutron``, ``glance``, ``placement``.
    """
    title = _TITLES.get(status, "Error")
    if style == "keystone" or status == 401:
        # keystonemiddleware answers every service's 401 in Keystone's format.
        return {"error": {"code": status, "title": title, "message": message}}
    if style == "nova":
        name = _FAULTS.get(status, "computeFault")
        return {name: {"code": status, "message": message}}
    if style == "neutron":
        return {"NeutronError": {"type": type or _NEUTRON_TYPES.get(status, "NeutronError"),
                                 "message": message, "detail": ""}}
    if style == "placement":
        return {"errors": [{"status": status, "title": title, "detail": message,
                            "request_id": request_id}]}
    # Glance: webob's JSON, as a client that asks for JSON gets it (see glance_errors).
    return {"code": f"{status} {title}", "title": title, "message": message}


def error_payload(style: str, status: int, message: str, *, accept: str | None = None,
                  type: str | None = None, request_id: str = "") -> tuple[bytes, str]:
    """The bytes and content type of the error a service of ``style`` sends.

    Glance renders its errors with webob, which picks the format from ``Accept``: an HTML
    page for ``*/*`` (what requests and keystoneauth send) or ``text/html``, webob's JSON
    for ``application/json`` preferred, plain text with no ``Accept`` at all. Every other
    service answers JSON (:func:`error_body`).
    """
    if style != "glance" or status == 401:
        body = error_body(style, status, message, type=type, request_id=request_id)
        return orjson.dumps(body), JSON
    return glance_error(status, _TITLES.get(status, "Error"), message, accept)


def error_response(request: Request, style: str, status: int, message: str, *,
                   type: str | None = None, request_id: str = "",
                   headers: dict[str, str] | None = None) -> Response:
    """The error response for ``request`` (see :func:`error_payload`)."""
    payload, media = error_payload(style, status, message, type=type, request_id=request_id,
                                   accept=request.headers.get("accept"))
    return Response(payload, status_code=status, headers=headers, media_type=media)


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """Encode ``body`` with orjson; ``None`` gives an empty body (204s)."""
    if body is None:
        return Response(status_code=status, headers=headers)
    return Response(orjson.dumps(body), status_code=status, headers=headers, media_type=JSON)


def raw_json_response(payload: bytes, status: int = 200,
                      headers: dict[str, str] | None = None) -> Response:
    """Send bytes that are already JSON (pre-encoded pages)."""
    return Response(payload, status_code=status, headers=headers, media_type=JSON)


async def json_body(request: Request, *, required: bool = True) -> Any:
    """The request's JSON document, or a 400 naming what is wrong with it."""
    raw = await request.body()
    if not raw:
        if required:
            raise ApiError(400, "The request body is empty; a JSON document is required.")
        return None
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise ApiError(400, f"Malformed request body: {exc}") from None


def store_of(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def auth(request: Request) -> Token:
    """The caller's valid token, or the 401 keystonemiddleware would send."""
    token_id = request.headers.get("x-auth-token")
    if not token_id:
        raise ApiError(401, "The request you have made requires authentication.")
    token = store_of(request).tokens.get(token_id)
    if token is None or token.revoked or token.expired():
        raise ApiError(401, "The request you have made requires authentication.")
    if token.project_id is None and not token.is_admin and \
            not request.url.path.startswith(IDENTITY_PREFIX + "/"):
        # An unscoped token carries no roles, and a domain-scoped one no project: every
        # project policy of Nova, Neutron, Cinder, Glance and Placement refuses them.
        raise ApiError(403, "Policy doesn't allow this request without a project: the "
                            "token is not scoped to a project; ask for a project-scoped "
                            "token.")
    return token


def require_admin(token: Token, what: str = "this operation") -> None:
    if not token.is_admin:
        raise ApiError(403, f"Policy doesn't allow {what} to be performed.")


def query_bool(request: Request, name: str, default: bool = False) -> bool:
    """A boolean query parameter as the services read it (``1``/``true``/``yes``/``on``)."""
    value = request.query_params.get(name)
    if value is None:
        return default
    low = value.strip().lower()
    if low in ("1", "true", "t", "yes", "y", "on", ""):
        return True
    if low in ("0", "false", "f", "no", "n", "off"):
        return False
    raise ApiError(400, f"Invalid value {value!r} for boolean parameter {name}.")


def query_int(request: Request, name: str, default: int | None = None, *,
              minimum: int = 0) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ApiError(400, f"Invalid value {value!r} for parameter {name}: "
                            "must be an integer.") from None
    if number < minimum:
        raise ApiError(400, f"Invalid value {value!r} for parameter {name}: "
                            f"must be >= {minimum}.")
    return number


_MV = re.compile(r"^(\d+)\.(\d+)$")


def microversion(request: Request, service: str, minimum: str, maximum: str,
                 legacy_header: str | None = None) -> tuple[int, int]:
    """The microversion asked for, as ``(major, minor)``; the minimum when none is.

    Reads ``OpenStack-API-Version: <service> X.Y`` and, where given, the legacy header
    (``X-OpenStack-Nova-API-Version``). ``latest`` means ``maximum``. Out of range is 406,
    as in Nova.
    """
    wanted: str | None = None
    header = request.headers.get("openstack-api-version")
    if header:
        for part in header.split(","):
            words = part.strip().split()
            if len(words) == 2 and words[0].lower() == service:
                wanted = words[1]
    if wanted is None and legacy_header:
        wanted = request.headers.get(legacy_header)
    lo, hi = _parse_mv(minimum), _parse_mv(maximum)
    if wanted is None:
        return lo
    if wanted.strip().lower() == "latest":
        return hi
    match = _MV.match(wanted.strip())
    if not match:
        raise ApiError(400, f"Invalid format for microversion {wanted!r}; expected X.Y.")
    asked = (int(match.group(1)), int(match.group(2)))
    if not lo <= asked <= hi:
        raise ApiError(406, f"Version {wanted} is not supported by the API. "
                            f"Minimum is {minimum} and maximum is {maximum}.")
    return asked


def _parse_mv(text: str) -> tuple[int, int]:
    major, minor = text.split(".")
    return int(major), int(minor)


def microversion_headers(service: str, version: tuple[int, int],
                         legacy_header: str | None = None) -> dict[str, str]:
    """Response headers that echo the microversion served."""
    text = f"{version[0]}.{version[1]}"
    headers = {"OpenStack-API-Version": f"{service} {text}",
               "Vary": "OpenStack-API-Version"}
    if legacy_header:
        headers[legacy_header] = text
        headers["Vary"] += ", " + legacy_header
    return headers


def page(items: Sequence[Record], marker: str | None, limit: int | None,
         max_limit: int = 1000, id_key: str = "id") -> tuple[Sequence[Record], str | None]:
    """One page of ``items`` after ``marker``; returns the page and the next marker.

    The next marker is ``None`` when the page reached the end. An unknown marker is a
    400 (Nova and Neutron both refuse it). ``limit`` is capped at ``max_limit``.
    """
    start = 0
    if marker is not None:
        for i, item in enumerate(items):
            if item[id_key] == marker:
                start = i + 1
                break
        else:
            raise ApiError(400, f"marker [{marker}] not found")
    size = max_limit if limit is None else min(limit, max_limit)
    chunk = items[start:start + size]
    more = start + size < len(items)
    return chunk, (chunk[-1][id_key] if more and chunk else None)


def url_for(request: Request, path: str | None = None, **params: Any) -> str:
    """An absolute URL on this server: the request's own path (or ``path``) with ``params``
    replacing its query parameters of the same name."""
    base = str(request.base_url).rstrip("/")
    target = path if path is not None else request.url.path
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in params]
    query += [(k, str(v)) for k, v in params.items() if v is not None]
    return base + target + ("?" + urlencode(query) if query else "")
