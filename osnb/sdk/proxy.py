"""Proxy: one per service and version, a keystoneauth Adapter with the generic CRUD once.

A service proxy method is one line over :meth:`Proxy._list`, :meth:`Proxy._get`,
:meth:`Proxy._find`, :meth:`Proxy._create`, :meth:`Proxy._update`, :meth:`Proxy._delete`
or :meth:`Proxy._head`. Every request comes back through :meth:`Proxy.request`, which
turns an error status into the matching :mod:`~osnb.sdk.exceptions` class, and carries the
microversion negotiated for the resource type (:meth:`Proxy.microversion_for`).
"""

from __future__ import annotations

import copy
import dataclasses
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import requests
from keystoneauth1 import discover
from keystoneauth1.adapter import Adapter

from . import exceptions as exc
from .resource import Resource
from .resource_list import ResourceList
from .retry import RetryPolicy

log = logging.getLogger("osnb.http")

__all__ = ["Proxy", "WaitCallback"]

R = TypeVar("R", bound=Resource)
WaitCallback = Callable[[Resource, Any, float], None]
"""Called on every poll of a wait with (resource, current status, elapsed seconds)."""


_AUTH_TYPES = {"Password": "password", "Token": "v3token",
               "ApplicationCredential": "v3applicationcredential"}
"""keystoneauth plugin class → auth type, to pick the hint of a refused authentication."""


class Proxy(Adapter):
    """Base of the service proxies (``conn.compute``, ``conn.network``, …)."""

    service_type: str = ""
    api_version: str | None = None
    """The major version to discover (``"2"`` for compute); None: use the catalog URL."""

    def __init__(self, session: Any, *, connection: Any = None,
                 retry_policy: RetryPolicy | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("service_type", self.service_type)
        if self.api_version and "endpoint_override" not in kwargs:
            kwargs.setdefault("version", self.api_version)
        super().__init__(session, **kwargs)
        self.connection = connection
        self.retry_policy = retry_policy or RetryPolicy()
        self.request_timeout: float | None = None
        self.fetch_ahead = True
        """Listings request the next page while decoding this one (see
        :meth:`Resource.list_pages`); False: one page after another."""
        self._microversions: dict[type, str | None] = {}

    def with_options(self, *, retries: int | None = None, connect_retries: int | None = None,
                     timeout: float | None = None, fetch_ahead: bool | None = None) -> Proxy:
        """A copy of this proxy with another retry budget, request timeout or listing
        pipeline (per call: ``conn.compute.with_options(retries=0).servers()``)."""
        clone = copy.copy(self)
        changes = {k: v for k, v in (("retries", retries), ("connect_retries",
                                                             connect_retries)) if v is not None}
        clone.retry_policy = dataclasses.replace(self.retry_policy, **changes)
        if timeout is not None:
            clone.request_timeout = timeout
        if fetch_ahead is not None:
            clone.fetch_ahead = fetch_ahead
        return clone

    # -- transport ----------------------------------------------------------------------
    def error_context(self) -> dict[str, Any]:
        """Where this proxy talks to: cloud, region and service, for error messages."""
        config = getattr(self.connection, "config", None)
        return {"cloud": getattr(config, "name", None), "region": self.region_name,
                "service": self.service_type or None}

    def translate(self, err: BaseException) -> exc.SDKException:
        """The osnb exception for a keystoneauth one raised under this proxy."""
        config = getattr(self.connection, "config", None)
        settings = getattr(config, "config", None) or {}
        auth = settings.get("auth") if isinstance(settings.get("auth"), dict) else {}
        auth_type = getattr(getattr(self.session, "auth", None), "__class__", type).__name__
        version = self.version if isinstance(self.version, str) and \
            self.version != self.api_version else None  # a version the cloud asked for
        return exc.from_keystoneauth(err, auth=auth, auth_type=_AUTH_TYPES.get(auth_type),
                                     version=version, **self.error_context())

    def _guarded(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """``call(*args, **kwargs)`` with keystoneauth's exceptions turned into osnb's and
        osnb's given this proxy's context."""
        from keystoneauth1 import exceptions as ks

        try:
            return call(*args, **kwargs)
        except exc.SDKException as err:
            err.annotate(**self.error_context())
            raise
        except ks.ClientException as err:
            translated = self.translate(err)
        # raised outside the except block: no __context__ pointing at keystoneauth's
        # exception, whose response still holds the request (and its credentials)
        raise translated

    def request(self, url: str, method: str, **kwargs: Any) -> requests.Response:
        """Send through keystoneauth, retrying as :class:`RetryPolicy` allows; an error
        status raises the matching HttpException subclass, a keystoneauth failure
        (authentication, catalog, connection) its :mod:`~osnb.sdk.exceptions` class."""
        response: requests.Response = self._guarded(self._send, url, method, **kwargs)
        return response

    def get_endpoint(self, auth: Any = None, **kwargs: Any) -> str | None:
        """The service's URL, as keystoneauth finds it; failures as osnb exceptions."""
        endpoint: str | None = self._guarded(super().get_endpoint, auth, **kwargs)
        return endpoint

    def get_endpoint_data(self, auth: Any = None) -> Any:
        """keystoneauth's endpoint data (versions, microversions); failures as osnb
        exceptions."""
        return self._guarded(super().get_endpoint_data, auth)

    def _send(self, url: str, method: str, **kwargs: Any) -> requests.Response:
        from keystoneauth1 import exceptions as ks

        kwargs.setdefault("raise_exc", False)
        if self.request_timeout is not None:
            kwargs.setdefault("timeout", self.request_timeout)
        policy = self.retry_policy
        attempt = connect_attempt = 0
        while True:
            try:
                response: requests.Response = super().request(url, method, **kwargs)
            except (ks.ConnectFailure, ks.ConnectTimeout, ks.UnknownConnectionError) as err:
                if not policy.should_retry_connection(method, connect_attempt):
                    raise
                wait = policy.delay(connect_attempt)
                log.warning("%s %s failed (%s); retrying in %.1fs", method, url, err, wait)
                connect_attempt += 1
                time.sleep(wait)
                continue
            if kwargs["raise_exc"] or response.status_code < 400:
                return response
            if policy.should_retry_status(method, response.status_code, attempt):
                wait = policy.delay(attempt, exc.retry_after(response.headers))
                log.warning("%s %s answered %s (request-id %s); retry %d/%d in %.1fs",
                            method, response.url or url, response.status_code,
                            exc.request_id(response.headers), attempt + 1, policy.retries,
                            wait)
                attempt += 1
                time.sleep(wait)
                continue
            raise exc.from_response(response, method, response.url or url)

    def microversion_for(self, resource_type: type[Resource]) -> str | None:
        """The highest microversion both the resource class and the service support."""
        if resource_type.max_microversion is None:
            return None
        if resource_type in self._microversions:
            return self._microversions[resource_type]
        data = self.get_endpoint_data()
        server_max = getattr(data, "max_microversion", None) if data else None
        server_min = getattr(data, "min_microversion", None) if data else None
        chosen: str | None = None
        if server_max:
            client_max = discover.normalize_version_number(resource_type.max_microversion)
            client_min = discover.normalize_version_number(
                resource_type.min_microversion or resource_type.max_microversion.split(".")[0]
                + ".0")
            best = min(tuple(client_max), tuple(server_max))
            floor = max(tuple(client_min), tuple(server_min or (0, 0)))
            if best < floor:
                raise exc.SDKException(
                    f"{resource_type.__name__} needs {self.service_type} microversion "
                    f"{discover.version_to_string(client_min)}–"
                    f"{discover.version_to_string(client_max)}, but the service offers "
                    f"{discover.version_to_string(server_min or (0, 0))}–"
                    f"{discover.version_to_string(server_max)}")
            chosen = discover.version_to_string(best)
        self._microversions[resource_type] = chosen
        return chosen

    # -- generic CRUD -------------------------------------------------------------------
    def _resource(self, resource_type: type[R], value: Any, **uri: Any) -> R:
        """``value`` (an instance, another resource, or an id) as a ``resource_type``."""
        if isinstance(value, resource_type):
            for key, item in uri.items():
                setattr(value, key, item.id if isinstance(item, Resource) else item)
            return value
        ident = value.id if isinstance(value, Resource) else value
        if value is None and not resource_type.requires_id:
            return resource_type._from_body({}, {k: (v.id if isinstance(v, Resource) else v)
                                                 for k, v in uri.items()})
        if ident is None or ident == "":
            raise exc.InvalidRequest(f"{resource_type.__name__}: an id is required")
        key = resource_type._id_prop.server_key if resource_type._id_prop else "id"
        uri_values = {k: (v.id if isinstance(v, Resource) else v) for k, v in uri.items()}
        return resource_type._from_body({key: ident}, uri_values)

    def _list(self, resource_type: type[R], *, base_path: str | None = None,
              **params: Any) -> ResourceList[R]:
        """Every object of ``resource_type`` matching ``params``, all pages fetched (inside
        :func:`~osnb.sdk.resource_list.deferred`, the first now and the rest on first use).

        If a page fails, or Ctrl-C interrupts, the exception (``KeyboardInterrupt``
        included, which then goes on) carries ``partial``: the ResourceList fetched so far
        (``complete`` False), so nothing already fetched is lost.
        """
        uri_values, _ = resource_type._split_params(params)
        result: ResourceList[R] = ResourceList(resource_type, [], uri_values, proxy=self)
        # Decoded without the cyclic collector (see collector_paused); inside
        # resource_list.deferred() only the first page is fetched now.
        result._follow(resource_type._responses(self, base_path=base_path, **params))
        return result

    def _get(self, resource_type: type[R], value: Any = None, *, base_path: str | None = None,
             **params: Any) -> R:
        """GET one object (``value`` None for a singleton, ``requires_id = False``);
        ``params`` fill ``base_path``'s URI values, the rest is its query."""
        uri, query = resource_type._split_params(params)
        return self._resource(resource_type, value, **uri).get(self, base_path=base_path,
                                                                **query)

    def _find(self, resource_type: type[R], name_or_id: str, *, ignore_missing: bool = False,
              **params: Any) -> R | None:
        return resource_type.find(self, name_or_id, ignore_missing=ignore_missing, **params)

    def _create(self, resource_type: type[R], *, base_path: str | None = None,
                **attrs: Any) -> R:
        return resource_type(**attrs).create(self, base_path=base_path)

    def _update(self, resource_type: type[R], value: Any, **attrs: Any) -> R:
        res = self._resource(resource_type, value)
        res._set(attrs)
        return res.update(self)

    def _delete(self, resource_type: type[R], value: Any, *, ignore_missing: bool = True,
                **uri: Any) -> R | None:
        res = self._resource(resource_type, value, **uri)
        try:
            return res.delete(self)
        except exc.NotFound:
            if ignore_missing:
                return None
            raise

    def _head(self, resource_type: type[R], value: Any, **uri: Any) -> R:
        return self._resource(resource_type, value, **uri).head(self)

    # -- waiting ------------------------------------------------------------------------
    def wait_for_status(self, res: R, status: str, failures: Iterable[str] = ("ERROR",),
                        interval: float = 2.0, wait: float = 120.0, attribute: str = "status",
                        callback: WaitCallback | None = None) -> R:
        """Poll ``res`` until its ``attribute`` is ``status``.

        Raises ResourceFailure on a status in ``failures`` and ResourceTimeout after
        ``wait`` seconds, each carrying the last state seen.
        """
        from ..progress import Progress

        failed = {f.lower() for f in failures}
        start = time.monotonic()
        progress = Progress(f"waiting for {type(res).__name__} {res.id} to be {status}")
        while True:
            res = res.get(self)
            current = getattr(res, attribute)
            elapsed = time.monotonic() - start
            progress.update(f"{attribute} {current}")
            if callback is not None:
                callback(res, current, elapsed)
            text = str(current).lower() if current is not None else None
            if text == status.lower():
                progress.close(f"{attribute} {current}")
                return res
            if text in failed:
                progress.close(f"{attribute} {current} (failed)")
                raise exc.ResourceFailure(
                    f"{type(res).__name__} {res.id} went to {attribute} {current!r} while "
                    f"waiting for {status!r}", res)
            if elapsed >= wait:
                progress.close(f"{attribute} {current} (timed out)")
                raise exc.ResourceTimeout(
                    f"{type(res).__name__} {res.id} is still {attribute} {current!r} after "
                    f"{wait:g}s waiting for {status!r}", res)
            time.sleep(min(interval, max(0.0, wait - elapsed)))

    def wait_for_delete(self, res: R, interval: float = 2.0, wait: float = 120.0,
                        callback: WaitCallback | None = None) -> R:
        """Poll ``res`` until a GET says 404; ResourceTimeout after ``wait`` seconds."""
        from ..progress import Progress

        start = time.monotonic()
        progress = Progress(f"waiting for {type(res).__name__} {res.id} to be deleted")
        while True:
            try:
                res = res.get(self)
            except exc.NotFound:
                progress.close("deleted")
                return res
            elapsed = time.monotonic() - start
            progress.update(f"status {getattr(res, 'status', None)}")
            if callback is not None:
                callback(res, getattr(res, "status", None), elapsed)
            if elapsed >= wait:
                raise exc.ResourceTimeout(
                    f"{type(res).__name__} {res.id} still exists after {wait:g}s", res)
            time.sleep(min(interval, max(0.0, wait - elapsed)))
