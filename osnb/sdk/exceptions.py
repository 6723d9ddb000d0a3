"""The errors osnb raises, all rooted in :class:`SDKException`.

::

    SDKException                           cloud, region, service, url, request_id, hint
    ├── ConfigError (ValueError)           bad clouds.yaml, unknown cloud, auth type…
    ├── InvalidRequest (ValueError)        refused before any HTTP is sent
    │   ├── InvalidValue                   a prop value that cannot be converted
    │   └── InvalidQuery                   an unknown list filter
    ├── MethodNotSupported                 the resource does not allow that operation
    ├── DuplicateResource (LookupError)    find() matched several
    ├── InvalidResponse                    a body we cannot read, a looping paginator
    │   ├── RedirectRefused                a redirect to another host (credentials stay)
    │   └── ResponseTooLarge               a body over ``max_response_size``
    ├── ResourceTimeout (TimeoutError)     wait_for_* gave up
    ├── ResourceFailure                    wait_for_* saw a failure status
    ├── ConnectionFailed (ConnectionError) refused, unreachable, DNS, TLS
    ├── RequestTimeout (TimeoutError)      no answer, or a body slower than api_timeout
    ├── EndpointNotFound (LookupError)     the catalog has no such service
    ├── DiscoveryFailure                   version discovery found no usable version
    └── HttpException                      the service said no
        ├── BadRequest                     400
        ├── Unauthorized                   401
        │   └── AuthenticationFailed       Keystone refused the credentials (any status)
        ├── Forbidden (PermissionError)    403
        ├── NotFound (LookupError)         404
        ├── Conflict                       409
        ├── RateLimited                    429
        └── ServerError                    5xx

:func:`from_response` is the one place a response becomes an exception; it reads the
message in each service's own format. :func:`from_keystoneauth` is the one place a
keystoneauth exception becomes an osnb one: none escapes a public call.

No exception holds a credential: a kept ``response`` has its request's token headers and
body masked, URLs lose their ``user:password@``, and a pickled exception carries only
plain values (no response, no session, no partial listing).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import requests

from .redact import redact, safe_url

__all__ = [
    "AuthenticationFailed",
    "BadRequest",
    "Conflict",
    "ConfigError",
    "ConnectionFailed",
    "DiscoveryFailure",
    "DuplicateResource",
    "EndpointNotFound",
    "Forbidden",
    "HttpException",
    "InvalidQuery",
    "InvalidRequest",
    "InvalidResponse",
    "InvalidValue",
    "MethodNotSupported",
    "NotFound",
    "RateLimited",
    "RedirectRefused",
    "RequestTimeout",
    "ResourceFailure",
    "ResourceTimeout",
    "ResponseTooLarge",
    "SDKException",
    "ServerError",
    "Unauthorized",
    "extract_message",
    "from_keystoneauth",
    "from_response",
    "request_id",
    "retry_after",
    "safe_url",
]

_PLAIN = (str, int, float, bool, type(None))
_CONTEXT = ("cloud", "region", "service", "url", "request_id", "hint")


def _restore(cls: type[SDKException], message: str, state: dict[str, Any]) -> SDKException:
    obj = cls.__new__(cls)
    Exception.__init__(obj, message)
    obj.__dict__.update(state)
    return obj


class SDKException(Exception):
    """Base of every osnb error: what happened, where (cloud, region, service, URL,
    request id) and, in ``hint``, what to do next."""

    cloud: str | None = None
    region: str | None = None
    service: str | None = None
    url: str | None = None
    request_id: str | None = None
    hint: str | None = None

    def __init__(self, message: str = "", *, cloud: str | None = None,
                 region: str | None = None, service: str | None = None,
                 url: str | None = None, request_id: str | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.annotate(cloud=cloud, region=region, service=service, url=url,
                      request_id=request_id, hint=hint)

    def annotate(self, **context: Any) -> SDKException:
        """Fill in context not already known (``cloud=``, ``region=``, ``service=``, …)."""
        for key, value in context.items():
            if value is not None and getattr(self, key, None) is None:
                setattr(self, key, safe_url(value) if key == "url" else value)
        return self

    def _where(self) -> str:
        parts = [f"cloud {self.cloud}" if self.cloud else "",
                 f"region {self.region}" if self.region else "",
                 f"service {self.service}" if self.service else ""]
        return ", ".join(p for p in parts if p)

    def __str__(self) -> str:
        text = self.message
        if self.url and self.url not in text:
            text += f" [{self.url}]"
        if self.request_id and self.request_id not in text:
            text += f" request-id {self.request_id}"
        where = self._where()
        if where:
            text += f" ({where})"
        if self.hint:
            text += f". Hint: {self.hint}"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        # Only plain values cross a pickle: never a response (its request carried the
        # token or password), a session, a partial listing or a resource.
        state = {k: v for k, v in self.__dict__.items()
                 if isinstance(v, _PLAIN) or (isinstance(v, tuple) and
                                              all(isinstance(i, _PLAIN) for i in v))}
        return _restore, (type(self), self.message, state)


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


class RedirectRefused(InvalidResponse):
    """A redirect to another scheme, host or port: following it would hand the token
    (or, for ``POST /v3/auth/tokens``, the password) to that host."""


class ResponseTooLarge(InvalidResponse):
    """A body larger than the cloud's ``max_response_size`` (after decompression)."""


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


class ConnectionFailed(SDKException, ConnectionError):
    """The service could not be reached: connection refused, no route, DNS, TLS."""


class RequestTimeout(SDKException, TimeoutError):
    """No answer in time, or a body still arriving when ``api_timeout`` ran out."""


class EndpointNotFound(SDKException, LookupError):
    """The token's catalog has no endpoint for that service, interface and region."""


class DiscoveryFailure(SDKException):
    """Version discovery found no version of the service that osnb can use."""


class HttpException(SDKException):
    """An HTTP error from a service, with everything needed to report or look it up."""

    def __init__(self, message: str = "", *, status_code: int | None = None,
                 method: str | None = None, url: str | None = None,
                 request_id: str | None = None, details: str | None = None,
                 response: requests.Response | None = None, **context: Any) -> None:
        super().__init__(message, url=url, request_id=request_id, **context)
        self.status_code = status_code
        self.method = method
        self.details = details
        self.response = _scrubbed(response)

    def __str__(self) -> str:
        head = f"{self.status_code} {self.message}".strip() if self.status_code else \
            self.message
        where = " ".join(p for p in (self.method, self.url) if p)
        parts = [head]
        if self.details and self.details != self.message:
            parts.append(f"({self.details})")
        if where:
            parts.append(f"[{where}]")
        if self.request_id:
            parts.append(f"request-id {self.request_id}")
        context = self._where()
        if context:
            parts.append(f"({context})")
        text = " ".join(parts)
        return f"{text}. Hint: {self.hint}" if self.hint else text


class BadRequest(HttpException):
    """400."""


class Unauthorized(HttpException):
    """401: the credentials or token were refused; check them."""


class AuthenticationFailed(Unauthorized):
    """Keystone refused to issue a token: wrong password, unknown user or project, a
    revoked token or application credential. ``status_code`` is what Keystone answered."""


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


_TOKEN_HEADERS = ("x-auth-token", "x-subject-token", "x-service-token", "authorization")


def _scrubbed(response: requests.Response | None) -> requests.Response | None:
    """``response`` with its request's token headers and body masked, and no live
    connection: what an exception may keep."""
    if response is None:
        return None
    for item in [*getattr(response, "history", []), response]:
        request = getattr(item, "request", None)
        if request is not None:
            clean = request.copy()
            for name in list(clean.headers or {}):
                if name.lower() in _TOKEN_HEADERS:
                    clean.headers[name] = "***"
            body = clean.body
            if isinstance(body, bytes):
                body = body.decode("utf-8", "replace")
            clean.body = redact(body) if isinstance(body, str) else None
            clean.url = safe_url(clean.url)
            item.request = clean
        for name in list(item.headers or {}):
            if name.lower() in _TOKEN_HEADERS:
                item.headers[name] = "***"
        item.raw = None
        item.connection = None
    return response


_BY_STATUS: dict[int, type[HttpException]] = {
    400: BadRequest, 401: Unauthorized, 403: Forbidden, 404: NotFound, 409: Conflict,
    429: RateLimited,
}
_TAGS = re.compile(r"<[^>]+>")
_STATUS_HINTS = {
    401: "the token was refused even after authenticating again; check the credentials "
         "and that the user still has a role on the project",
    403: "the token's roles do not allow this; use a cloud entry with the needed role "
         "(admin for all_projects and most host-level calls)",
}


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
        return _html_message(text), None
    return None, None


_TITLE = re.compile(r"<(title|style|script)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_STATUS_LINE = re.compile(r"^(\d{3}) ")


def _html_message(text: str) -> str | None:
    """The text of an error page once: webob's (Glance, Swift) and proxies' pages repeat
    ``404 Not Found`` in the title and the heading; the status is shown by the
    exception, so a leading status line is dropped before a sentence and kept (as "Bad
    Gateway: nginx") before a bare signature or nothing."""
    plain = " ".join(html.unescape(_TAGS.sub(" ", _TITLE.sub(" ", text))).split())
    reason = ""
    while True:
        match = _STATUS_LINE.match(plain)
        if not match:
            break
        try:
            phrase = HTTPStatus(int(match.group(1))).phrase
        except ValueError:
            break
        head = f"{match.group(1)} {phrase}"
        if not plain.startswith(head):
            break
        reason, plain = phrase, plain[len(head):].lstrip()
    if reason:
        # A service's sentence stands alone, as its JSON formats' message would
        # ("No image found with ID …"); a proxy's bare signature ("nginx") keeps the phrase.
        plain = plain if " " in plain else (f"{reason}: {plain}" if plain else reason)
    return plain[:500] or None


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
              details=details, response=response, hint=_STATUS_HINTS.get(status))
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


_AUTH_HINTS = {
    "password": "check username, password, project and their domains for this cloud "
                "(clouds.yaml, secure.yaml or OS_* variables)",
    "v3applicationcredential": "check application_credential_id/name and secret; the "
                               "credential may have expired or been deleted",
    "v3token": "the token was refused (expired or revoked): get a new one",
    "token": "the token was refused (expired or revoked): get a new one",
}


def from_keystoneauth(err: BaseException, *, cloud: str | None = None,
                      region: str | None = None, service: str | None = None,
                      auth: Mapping[str, Any] | None = None,
                      auth_type: str | None = None, version: str | None = None
                      ) -> SDKException:
    """The osnb exception for a keystoneauth one, with the context a caller needs.

    ``auth`` (the cloud's auth settings) names the user, project and auth URL of a refused
    authentication; credentials in it are never copied. The result holds no reference to
    ``err`` (raise it outside the ``except`` block, so ``__context__`` stays empty too).
    """
    from keystoneauth1 import exceptions as ks

    auth = auth or {}
    context: dict[str, Any] = {"cloud": cloud, "region": region, "service": service}
    auth_url = safe_url(auth.get("auth_url"))
    message = _ks_message(err)
    if isinstance(err, ks.HttpError):
        response = err.response
        status = err.http_status or (response.status_code if response is not None else None)
        url = safe_url(err.url or (response.url if response is not None else None))
        rid = err.request_id or (request_id(response.headers) if response is not None else None)
        if response is not None:
            try:
                body: Any = response.json()
            except ValueError:
                body = None
            found, details = extract_message(body, "" if body is not None else response.text)
            message = found or message
        if (url and "/auth/tokens" in url) or isinstance(err, ks.Unauthorized):
            who = ", ".join(f"{label} {auth[key]!r}" for label, key in (
                ("user", "username"), ("user", "user_id"),
                ("application credential", "application_credential_name"),
                ("application credential", "application_credential_id"),
                ("project", "project_name"), ("project", "project_id"),
                ("domain", "domain_name"), ("domain", "domain_id"),
                ("system", "system_scope")) if auth.get(key))
            text = (f"authentication failed{' as ' + who if who else ''} at "
                    f"{auth_url or url}: {message}")
            return AuthenticationFailed(
                text, status_code=status, method=err.method, url=url, request_id=rid,
                hint=_AUTH_HINTS.get(auth_type or "password", _AUTH_HINTS["password"]),
                **context)
        cls = _BY_STATUS.get(status or 0) or (ServerError if (status or 0) >= 500
                                              else HttpException)
        return cls(message, status_code=status, method=err.method, url=url, request_id=rid,
                   **context)
    if isinstance(err, ks.SSLError):
        return ConnectionFailed(
            f"TLS failed talking to cloud {cloud!r}: {message}", **context,
            hint="check cacert (the CA bundle) for this cloud; never turn verify off "
                 "against a real cloud")
    if isinstance(err, ks.ConnectTimeout):  # requests' connect and read timeouts both
        return RequestTimeout(f"timed out: {message}", **context,
                              hint="check the host is reachable (VPN, firewall), or raise "
                                   "api_timeout for this cloud")
    if isinstance(err, ks.ConnectionError):
        return ConnectionFailed(f"cannot connect: {message}", **context,
                                hint="check auth_url and endpoints are reachable from "
                                     "here (VPN, firewall, proxy) and the service is up")
    if isinstance(err, ks.EndpointNotFound):
        prefix = (service or "<service>").replace("-", "_")
        return EndpointNotFound(
            f"the catalog of cloud {cloud!r} has no {service or 'such'} endpoint"
            f"{' offering version ' + str(version) if version else ''}"
            f"{' in region ' + repr(region) if region else ''}: {message}", **context,
            hint=(f"check {prefix}_api_version, region_name and interface" if version else
                  "check region_name and interface") + f", or set {prefix}_endpoint_override")
    if isinstance(err, ks.DiscoveryFailure):
        return DiscoveryFailure(f"version discovery failed: {message}", **context,
                                hint="set <service>_api_version or an endpoint override "
                                     "that names the version")
    if isinstance(err, (ks.AuthorizationFailure, ks.AuthPluginException,
                        ks.MissingAuthMethods)):
        return AuthenticationFailed(f"authentication failed at {auth_url}: {message}",
                                    hint=_AUTH_HINTS.get(auth_type or "password"), **context)
    return SDKException(f"{type(err).__name__}: {message}", **context)


def _ks_message(err: BaseException) -> str:

    text = " ".join(str(getattr(err, "message", None) or err).split())
    # keystoneauth's connection errors repeat urllib3's pool repr; keep the reason
    reason = re.search(r"\[Errno -?\d+\][^'\")]*|Connection refused|Name or service not "
                       r"known|timed out|certificate verify failed[^'\")]*", text)
    if reason and ("Unable to establish connection" in text or "SSL exception" in text):
        url = re.search(r"(?:connection|connecting) to (\S+?):? ", text)
        text = f"{url.group(1) + ': ' if url else ''}{reason.group(0).strip()}"
    return redact(safe_url(text))[:500]
