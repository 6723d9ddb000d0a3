"""The errors osnb raises, all rooted in :class:`SDKException`.

::

    SDKException
    ├── ConfigError (ValueError)           bad clouds.yaml, unknown cloud, auth type…
    ├── InvalidRequest (ValueError)        refused before any HTTP is sent
    │   ├── InvalidValue                   a prop value that cannot be converted
    │   └── InvalidQuery                   an unknown list filter
    ├── MethodNotSupported                 the resource does not allow that operation
    ├── DuplicateResource (LookupError)    find() matched several
    ├── InvalidResponse                    a body we cannot read, a looping paginator
    ├── ResourceTimeout (TimeoutError)     wait_for_* gave up
    ├── ResourceFailure                    wait_for_* saw a failure status
    └── HttpException                      the service said no
        ├── BadRequest                     400
        ├── Unauthorized                   401
        ├── Forbidden (PermissionError)    403
        ├── NotFound (LookupError)         404
        ├── Conflict                       409
        ├── RateLimited                    429
        └── ServerError                    5xx

:func:`from_response` is the one place a response becomes an exception; it reads the
message in each service's own error format.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

import requests

__all__ = [
    "BadRequest",
    "Conflict",
    "ConfigError",
    "DuplicateResource",
    "Forbidden",
    "HttpException",
    "InvalidQuery",
    "InvalidRequest",
    "InvalidResponse",
    "InvalidValue",
    "MethodNotSupported",
    "NotFound",
    "RateLimited",
    "ResourceFailure",
    "ResourceTimeout",
    "SDKException",
    "ServerError",
    "Unauthorized",
    "extract_message",
    "from_response",
    "request_id",
    "retry_after",
]


class SDKException(Exception):
    """Base of every osnb error."""

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(SDKException, ValueError):
    """Cloud configuration that cannot be used; says which file and key."""


class InvalidRequest(SDKException, ValueError):
    """A request refused before sending: a missing URI parameter, a bad argument."""


class InvalidValue(InvalidRequest):
    """A value that cannot be converted to a prop's declared type."""


class InvalidQuery(InvalidRequest):
    """A query parameter the resource's list does not accept."""


class MethodNotSupported(SDKException):
    """The resource does not allow that operation (its ``allow_*`` flag is off)."""

    def __init__(self, resource: type | object, method: str) -> None:
        cls = resource if isinstance(resource, type) else type(resource)
        super().__init__(f"{cls.__name__} does not support {method!r}")
        self.resource_type = cls
        self.method = method


class DuplicateResource(SDKException, LookupError):
    """``find()`` matched more than one resource by name."""


class InvalidResponse(SDKException):
    """A response we cannot use: not JSON, missing its key, a paginator that loops."""


class ResourceTimeout(SDKException, TimeoutError):
    """A wait ran out of time; ``resource`` is the last state seen."""

    def __init__(self, message: str, resource: Any = None) -> None:
        super().__init__(message)
        self.resource = resource


class ResourceFailure(SDKException):
    """A wait saw a failure status; ``resource`` is the last state seen."""

    def __init__(self, message: str, resource: Any = None) -> None:
        super().__init__(message)
        self.resource = resource


class HttpException(SDKException):
    """An HTTP error from a service, with everything needed to report or look it up."""

    def __init__(self, message: str = "", *, status_code: int | None = None,
                 method: str | None = None, url: str | None = None,
                 request_id: str | None = None, details: str | None = None,
                 response: requests.Response | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.method = method
        self.url = url
        self.request_id = request_id
        self.details = details
        self.response = response

    def __str__(self) -> str:
        head = f"{self.status_code} {self.message}".strip()
        where = " ".join(p for p in (self.method, self.url) if p)
        parts = [head]
        if self.details and self.details != self.message:
            parts.append(f"({self.details})")
        if where:
            parts.append(f"[{where}]")
        if self.request_id:
            parts.append(f"request-id {self.request_id}")
        return " ".join(parts)


class BadRequest(HttpException):
    """400."""


class Unauthorized(HttpException):
    """401: the credentials or token were refused; check them."""


class Forbidden(HttpException, PermissionError):
    """403: the token's roles do not allow this."""


class NotFound(HttpException, LookupError):
    """404, or ``find()`` matched nothing."""


class Conflict(HttpException):
    """409: the object's state forbids it now."""


class RateLimited(HttpException):
    """429: slow down; ``retry_after`` is the server's hint in seconds, if any."""

    retry_after: float | None = None


class ServerError(HttpException):
    """5xx."""


_BY_STATUS: dict[int, type[HttpException]] = {
    400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict,
    429: RateLimited,
}
_TAGS = re.compile(r"<[^>]+>")


def extract_message(body: Any, text: str = "") -> tuple[str | None, str | None]:
    """Read ``(message, details)`` from an error body in any core service's format.

    Keystone ``{"error": {"message"}}``; Nova and Cinder ``{"itemNotFound": {"message"}}``;
    Neutron ``{"NeutronError": {"type", "message", "detail"}}``; Placement
    ``{"errors": [{"detail"}]}``; Glance ``{"message"}`` or an HTML page.
    """
    if isinstance(body, dict):
        if isinstance(body.get("NeutronError"), dict):
            err = body["NeutronError"]
            message = _text(err.get("message"))
            kind = _text(err.get("type"))
            return message, (f"{kind}: {_text(err.get('detail'))}".rstrip(": ") if kind else None)
        if isinstance(body.get("errors"), list) and body["errors"]:
            first = body["errors"][0]
            if isinstance(first, dict):
                return _text(first.get("detail") or first.get("title")), _text(first.get("code"))
        if isinstance(body.get("error"), dict):
            err = body["error"]
            return _text(err.get("message")), _text(err.get("title"))
        if "message" in body and not isinstance(body["message"], dict):
            return _text(body["message"]), _text(body.get("title"))
        if len(body) == 1:
            (name, value), = body.items()
            if isinstance(value, dict) and "message" in value:
                return _text(value["message"]), str(name)
    if text:
        plain = " ".join(html.unescape(_TAGS.sub(" ", text)).split())
        return (plain[:500] or None), None
    return None, None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def from_response(response: requests.Response, method: str | None = None,
                  url: str | None = None) -> HttpException:
    """The exception for an error ``response`` (status >= 400)."""
    status = response.status_code
    try:
        body: Any = response.json()
    except ValueError:
        body = None
    message, details = extract_message(body, "" if body is not None else response.text)
    request = response.request
    req_method = method or (request.method if request is not None else None)
    req_url = url or response.url or (request.url if request is not None else None)
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else HttpException)
    exc = cls(message or response.reason or "HTTP error", status_code=status,
              method=req_method, url=req_url, request_id=request_id(response.headers),
              details=details,
              response=response)
    if isinstance(exc, RateLimited):
        exc.retry_after = retry_after(response.headers)
    return exc


def request_id(headers: Mapping[str, str]) -> str | None:
    """The service's request id (``x-openstack-request-id``, or Nova's own header)."""
    return headers.get("x-openstack-request-id") or headers.get("x-compute-request-id")


def retry_after(headers: Mapping[str, str]) -> float | None:
    """``Retry-After`` in seconds (a number or an HTTP date), or None."""
    value = headers.get("retry-after")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime
        try:
            import datetime as _dt
            when = parsedate_to_datetime(value)
            return max(0.0, (when - _dt.datetime.now(when.tzinfo)).total_seconds())
        except (TypeError, ValueError):
            return None
