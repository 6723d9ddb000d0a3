"""Shared plumbing of the analyses: bounded concurrency, project names, pool sizing, and
the frame type the analyses return (plain numbers when displayed)."""

from __future__ import annotations

import numbers
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, TypeVar

from ..sdk import exceptions as exc

if TYPE_CHECKING:
    from ..sdk.connection import Connection

__all__ = ["MIB_PER_GIB", "analysis_frame", "blank", "blank_rows", "error_table",
           "error_text", "fixed_ip_text", "gib", "int_column", "is_admin", "name_of",
           "project_names", "run_all", "widen_pool"]

MIB_PER_GIB = 1024
"""Nova counts RAM in MiB; the analyses show GiB. Nova's and Cinder's "GB" of disk are GiB
(2**30 bytes) already."""

T = TypeVar("T")
K = TypeVar("K")

_pool_lock = threading.Lock()


def run_all(fn: Callable[[K], T], keys: Iterable[K], *, max_workers: int = 8,
            sequential: bool = False) -> list[tuple[K, T | None, Exception | None]]:
    """``fn(key)`` for every key, at most ``max_workers`` at a time, in key order.

    A key whose call raises yields its exception instead of a result: one failure never
    throws the others' results away. ``sequential`` runs them one by one in this thread
    (a baseline for benchmarks, and a way to debug).
    """
    items = list(keys)

    def call(key: K) -> tuple[K, T | None, Exception | None]:
        try:
            return key, fn(key), None
        except Exception as err:  # collected per key, reported by the caller
            return key, None, err

    if sequential or max_workers <= 1 or len(items) <= 1:
        return [call(k) for k in items]
    with ThreadPoolExecutor(max_workers=min(max_workers, len(items)),
                            thread_name_prefix="osnb-analysis") as pool:
        return list(pool.map(call, items))


def widen_pool(conn: Connection, size: int) -> None:
    """Let ``conn``'s HTTP session keep ``size`` connections per host open.

    requests keeps 10 by default: with more worker threads, urllib3 opens and discards
    extra connections and logs "Connection pool is full" for each one.
    """
    from keystoneauth1.session import TCPKeepAliveAdapter

    http = getattr(conn.session, "session", None)
    if http is None or not hasattr(http, "get_adapter"):
        return
    with _pool_lock:
        for scheme in ("https://", "http://"):
            current = http.get_adapter(scheme + "x")
            if getattr(current, "_pool_maxsize", size) >= size:
                continue
            http.mount(scheme, TCPKeepAliveAdapter(pool_connections=size, pool_maxsize=size,
                                                   max_retries=current.max_retries))


def project_names(conn: Connection) -> dict[Any, Any]:
    """Project id → name for every project the caller may list; empty if it may not."""
    try:
        return {p.id: p.name for p in conn.identity.projects() if p.id is not None}
    except (exc.Forbidden, exc.NotFound):
        return {}


def blank(value: Any) -> bool:
    """True for what a service sends to mean "none": absent (None, NaN, NA), ``""``,
    ``[]`` or ``{}``. A frame's cell of any type, never an exception."""
    if value is None:
        return True
    try:
        return not value or bool(value != value)
    except (TypeError, ValueError):  # pandas' NA, an array
        return type(value).__name__ == "NAType"


def blank_rows(column: Any) -> Any:
    """:func:`blank` for each value of ``column`` (a frame's column), as a bool array."""
    import numpy as np

    values = column.to_numpy(dtype=object) if hasattr(column, "to_numpy") else list(column)
    return np.fromiter(map(blank, values), dtype=bool, count=len(values))


def int_column(values: Any) -> Any:
    """``values`` as a nullable integer column (``Int64``): what is not a whole number
    within 64 bits is missing, so one odd value never breaks a frame."""
    import pandas as pd

    if isinstance(getattr(values, "dtype", None), pd.Int64Dtype):  # a frame's, typed already
        return pd.array(values, dtype="Int64")

    def whole(value: Any) -> int | None:
        if isinstance(value, bool) or blank(value):
            return None
        if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
            value = int(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, numbers.Integral) and -2**63 <= int(value) < 2**63:
            return int(value)
        return None

    plain = values.tolist() if hasattr(values, "tolist") else values
    return pd.array([whole(v) for v in plain], dtype="Int64")


def fixed_ip_text(fixed_ips: Any) -> str:
    """A port's fixed IPs (its ``fixed_ips``) as ``"10.0.0.5, fd00::5"``; ``""`` for
    none. Entries that are not objects are skipped."""
    return ", ".join(str(ip.get("ip_address")) for ip in
                     (fixed_ips if isinstance(fixed_ips, list) else ()) if isinstance(ip, dict))


def name_of(names: dict[str, str], ident: Any) -> str | None:
    """The name of ``ident`` in an ``id → name`` map (``conn.names.resolve``), or None."""
    return names.get(ident) if isinstance(ident, str) else None


def services_in_catalog(conn: Connection, services: Iterable[str]
                        ) -> tuple[list[str], list[tuple[str, str]]]:
    """The services of ``services`` (proxy names) the cloud's catalog has, and
    ``(service, error)`` for each it lacks: an analysis skips those and says so, rather
    than failing once per project."""
    present: list[str] = []
    missing: list[tuple[str, str]] = []
    for service in services:
        try:
            getattr(conn, service).get_endpoint()
        except exc.EndpointNotFound as err:
            missing.append((service, error_text(err)))
        else:
            present.append(service)
    return present, missing


def is_admin(conn: Connection) -> bool:
    """True if the connection's token carries the admin role."""
    try:
        access = conn.session.auth.get_access(conn.session)
        return "admin" in (access.role_names or [])
    except Exception:  # no token to inspect (an auth plugin without access info)
        return False


def error_text(err: BaseException) -> str:
    """``Type: message`` on one line, for error tables."""
    message = " ".join(str(err).split())
    return f"{type(err).__name__}: {message}" if message else type(err).__name__


def error_table(rows: list[tuple[Any, ...]], columns: list[str]) -> Any:
    """A DataFrame of failures (:class:`~osnb.analysis._frame.ErrorTable`), safe to keep in
    another frame's ``attrs``."""
    from ._frame import ErrorTable

    return ErrorTable(rows, columns=columns)


def gib(mib: Any) -> str:
    """An amount of MiB (Nova's RAM) as ``"1.5 GiB"``; ``"—"`` when unknown."""
    if mib is None:
        return "—"
    text = f"{float(mib) / MIB_PER_GIB:,.2f}".rstrip("0").rstrip(".")
    return f"{text} GiB"


def analysis_frame(frame: Any) -> Any:
    """``frame`` as an :class:`~osnb.analysis._frame.AnalysisFrame`, its ``attrs`` kept:
    floats display as plain numbers, never in scientific notation."""
    from ._frame import AnalysisFrame

    if isinstance(frame, AnalysisFrame):
        return frame
    out = AnalysisFrame(frame)
    out.attrs.update(frame.attrs)
    return out
