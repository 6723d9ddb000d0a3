"""The transport under every osnb request: limits keystoneauth and requests do not set.

* **Redirects stay on the origin.** keystoneauth follows 301/302/303/307/308 to any host
  and re-sends the headers and body, so a redirect of ``POST /v3/auth/tokens`` hands the
  password to the redirect target, and any API redirect hands over the token
  (openstacksdk shares this). :class:`Session` follows a redirect only to the same
  scheme, host and port and raises :class:`~osnb.sdk.exceptions.RedirectRefused` otherwise.
* **A body has a size and a time limit.** :class:`BoundedHTTP` reads each body in chunks
  after decompression, so a gzip bomb stops at ``max_response_size`` (default 256 MiB),
  and ``api_timeout`` bounds the whole body, not only each socket read: a server that
  trickles a byte a second is cut off.
* **One re-authentication for many threads.** When a token is revoked, every thread gets
  a 401 at once; keystoneauth re-authenticates for the first and lets the others fail.
  :meth:`Session.reauthenticate` lets exactly one thread fetch a new token and the others
  retry with it.
* **Per-request bookkeeping is done once.** keystoneauth looks the endpoint up in the
  catalog (a deep copy of it) on every request; :meth:`Session.get_endpoint` keeps the
  answer until the token changes (re-authentication, expiry, ``invalidate()``). requests
  reads the proxy variables and CA bundle from the environment on every request;
  :meth:`BoundedHTTP.merge_environment_settings` keeps them per origin until any
  environment variable changes (checked on each request), so ``HTTPS_PROXY`` or
  ``NO_PROXY`` set in a notebook still applies to the next request.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from keystoneauth1 import session as ks_session
from requests.sessions import merge_setting
from requests.utils import get_environ_proxies

from . import exceptions as exc

__all__ = ["DEFAULT_MAX_RESPONSE_SIZE", "MAX_REDIRECTS", "BoundedHTTP", "Session"]

DEFAULT_MAX_RESPONSE_SIZE = 256 * 1024 * 1024
"""Bytes, after decompression: far above any real page (1,000 Nova servers with details
are ~5 MB), far below what a decompression bomb would take."""
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_ENV_CACHED = sys.platform not in ("darwin", "win32")
"""Where requests' proxies come from the environment alone (urllib reads the system's
settings on macOS and Windows: those are read on every request, as requests does)."""
_CACHE_SIZE = 256


def _origin(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    port = parts.port or {"http": 80, "https": 443}.get(parts.scheme.lower())
    return parts.scheme.lower(), f"{(parts.hostname or '').lower()}:{port}"


def _deadline_seconds(timeout: Any) -> float | None:
    if timeout is None:
        return None
    if isinstance(timeout, tuple):
        parts = [float(t) for t in timeout if t is not None]
        return sum(parts) if parts else None
    return float(timeout)


class BoundedHTTP(requests.Session):
    """A requests Session whose bodies are read with a size cap and a deadline.

    A caller asking for ``stream=True`` (an image download) gets the body unread, as
    requests gives it; everything else is read here, chunk by chunk.
    """

    def __init__(self, max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE) -> None:
        super().__init__()
        self.max_response_size = max_response_size
        self._environ: tuple[dict[Any, Any] | None, dict[Any, Any]] = (None, {})

    def merge_environment_settings(self, url: str | bytes | None, proxies: Any, stream: Any,
                                   verify: Any, cert: Any) -> Any:
        """requests' merge of the call's settings with the environment's, the environment
        read once per origin while no environment variable changes."""
        data = getattr(os.environ, "_data", None)
        if not self.trust_env or not _ENV_CACHED or not isinstance(data, dict) or \
                not isinstance(url, str):
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        snapshot, cache = self._environ
        if data != snapshot:  # a variable was set or removed since: read them again
            snapshot, cache = dict(data), {}
            self._environ = (snapshot, cache)
        no_proxy = proxies.get("no_proxy") if proxies is not None else None
        end = url.find("/", url.find("//") + 2)
        key = (url if end < 0 else url[:end], no_proxy)
        found = cache.get(key)
        if found is None:
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            found = cache[key] = (
                get_environ_proxies(url, no_proxy=no_proxy),
                os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE"))
        env_proxies, bundle = found
        if proxies is not None:
            for name, value in env_proxies.items():
                proxies.setdefault(name, value)
        if verify is True or verify is None:
            verify = bundle or verify
        return {"proxies": merge_setting(proxies, self.proxies),
                "stream": merge_setting(stream, self.stream),
                "verify": merge_setting(verify, self.verify),
                "cert": merge_setting(cert, self.cert)}

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        wants_stream = bool(kwargs.get("stream"))
        kwargs["stream"] = True
        started = time.monotonic()
        response = super().send(request, **kwargs)
        if wants_stream:
            return response
        budget = _deadline_seconds(kwargs.get("timeout"))
        deadline = None if budget is None else started + budget
        try:
            response._content = self._read(response, deadline, budget)
        except BaseException:
            response.close()
            raise
        response._content_consumed = True  # type: ignore[attr-defined]
        release = getattr(response.raw, "release_conn", None)
        if release is not None:
            release()
        return response

    def _read(self, response: requests.Response, deadline: float | None,
              budget: float | None) -> bytes:
        limit = self.max_response_size
        chunks: list[bytes] = []
        size = 0
        raw = response.raw
        stream = raw.stream(_CHUNK, decode_content=True) if hasattr(raw, "stream") else \
            iter(lambda: raw.read(_CHUNK), b"")
        try:
            for chunk in stream:
                size += len(chunk)
                if size > limit:
                    raise exc.ResponseTooLarge(
                        f"{response.request.method} {exc.safe_url(response.url)}: the body "
                        f"is over {limit:,} bytes (decompressed); stopped reading",
                        url=response.url,
                        hint="raise max_response_size for this cloud if the service "
                             "really sends that much")
                chunks.append(chunk)
                if deadline is not None and time.monotonic() > deadline:
                    raise exc.RequestTimeout(
                        f"{response.request.method} {exc.safe_url(response.url)}: the body "
                        f"was still arriving after {budget:g}s (api_timeout) at "
                        f"{size:,} bytes",
                        url=response.url,
                        hint="raise api_timeout for this cloud, or check the network")
        except requests.RequestException:
            raise
        except exc.SDKException:
            raise
        except Exception as err:  # urllib3's ReadTimeoutError, ProtocolError, DecodeError
            from requests.exceptions import ChunkedEncodingError, ContentDecodingError
            from urllib3 import exceptions as u3

            if isinstance(err, u3.ReadTimeoutError):
                raise requests.exceptions.ReadTimeout(err) from None
            if isinstance(err, u3.DecodeError):
                raise ContentDecodingError(err) from None
            raise ChunkedEncodingError(err) from None
        return b"".join(chunks)


class Session(ks_session.Session):
    """A keystoneauth Session that keeps credentials on the origin they were meant for
    and coordinates re-authentication between threads."""

    def __init__(self, *args: Any, max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
                 **kwargs: Any) -> None:
        kwargs.setdefault("session", BoundedHTTP(max_response_size))
        kwargs["redirect"] = False
        super().__init__(*args, **kwargs)
        self.reauth_lock = threading.Lock()
        self._endpoints: dict[Any, tuple[Any, Any, str]] = {}

    def get_endpoint(self, auth: Any = None, *, endpoint_override: str | None = None,
                     **kwargs: Any) -> str | None:
        """keystoneauth's catalog and discovery lookup, kept per plugin and filter until
        the plugin's token changes or needs renewing (then looked up as keystoneauth does,
        authenticating first)."""
        if endpoint_override:
            return endpoint_override
        plugin: Any = auth or self.auth
        needs_token = getattr(plugin, "_needs_reauthenticate", None)
        try:
            key = (id(plugin), frozenset(
                (name, frozenset(value.items()) if isinstance(value, dict) else value)
                for name, value in kwargs.items()))
        except TypeError:  # an unhashable filter value (a list): not kept
            needs_token = None
        if needs_token is None:
            url: str | None = super().get_endpoint(auth, **kwargs)
            return url
        token = None if needs_token() else plugin.auth_ref
        found = self._endpoints.get(key)
        if token is not None and found is not None and found[0] is plugin and \
                found[1] is token:
            return found[2]
        url = super().get_endpoint(auth, **kwargs)
        after = plugin.auth_ref
        if url and token is not None and token is after:  # looked up with this token
            if len(self._endpoints) >= _CACHE_SIZE:
                self._endpoints.clear()
            self._endpoints[key] = (plugin, after, url)
        return url

    def request(self, url: str, method: str,  # type: ignore[override]
                **kwargs: Any) -> requests.Response:
        """keystoneauth's request; redirects are followed here, only to the same origin,
        and a 401 re-authenticates once through :meth:`reauthenticate`."""
        from keystoneauth1 import exceptions as ks

        raise_exc = kwargs.pop("raise_exc", True)
        allow_reauth = kwargs.pop("allow_reauth", True)
        if kwargs.get("authenticated") is False:
            # The auth plugin's own request (POST /v3/auth/tokens, with the old token in
            # its body or header when it is a token plugin): its 401 is the answer, and
            # re-authenticating from inside it would wait on the plugin's own lock.
            allow_reauth = False
        kwargs["redirect"] = False
        hops = 0
        while True:
            response: requests.Response = super().request(
                url, method, raise_exc=False, allow_reauth=False, **kwargs)
            if response.status_code == 401 and allow_reauth and \
                    kwargs.get("authenticated") is not False:  # not the auth plugin's own
                refused = response.request.headers.get("X-Auth-Token") \
                    if response.request is not None else None
                if self.reauthenticate(refused):
                    allow_reauth = False
                    response.close()
                    continue
            location = response.headers.get("location")
            if response.status_code not in _REDIRECTS or not location:
                break
            here = response.url or url
            target = urljoin(here, location)
            if _origin(target) != _origin(here):
                response.close()
                raise exc.RedirectRefused(
                    f"{method} {exc.safe_url(here)} answered {response.status_code} with a "
                    f"redirect to {exc.safe_url(target)}, another "
                    f"{'scheme' if _origin(target)[0] != _origin(here)[0] else 'host'}; "
                    "not following it: the token or password would be sent there",
                    url=here,
                    hint="use the redirect target as auth_url or endpoint if it is "
                         "genuinely the cloud's")
            hops += 1
            if hops > MAX_REDIRECTS:
                raise exc.InvalidResponse(f"{method} {exc.safe_url(url)}: more than "
                                          f"{MAX_REDIRECTS} redirects", url=url)
            url = target
            kwargs.pop("params", None)
            kwargs.pop("endpoint_filter", None)
            if response.status_code == 303 and method.upper() != "HEAD":
                method = "GET"
                for key in ("json", "data"):
                    kwargs.pop(key, None)
        if raise_exc and response.status_code >= 400:
            raise ks.from_response(response, method, url)
        return response

    def reauthenticate(self, refused_token: str | None) -> bool:
        """After a 401 for ``refused_token``: get a new token unless another thread
        already has; True if a request sent again would carry a different token."""
        auth = self.auth
        if auth is None or not refused_token:
            return False
        with self.reauth_lock:
            current = getattr(getattr(auth, "auth_ref", None), "auth_token", None)
            if current == refused_token:
                auth.invalidate()
                current = None
            if current is None:  # ours to fetch, or another request's fetch to wait for
                current = self.get_token()
        return bool(current) and current != refused_token
