"""Finders: the usual on-call questions, each one listing away from an answer.

Each returns a DataFrame of what was found (empty when all is well) with the columns
needed to act on it, and an admin sees every project. Names stand beside ids
(``project_name`` beside ``project_id``…), from the connection's name cache
(``conn.names``); an id the caller cannot resolve keeps an empty name.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from ._common import MIB_PER_GIB, analysis_frame, is_admin
from ._common import name_of as _name

if TYPE_CHECKING:
    import pandas as pd

    from ..sdk.connection import Connection

__all__ = ["detached_volumes", "orphaned_floating_ips", "ports_without_device",
           "servers_in_error", "servers_per_host"]


def servers_in_error(conn: Connection) -> pd.DataFrame:
    """Servers in ERROR, newest change first: ``id, name, project_id, project_name,
    user_id, user_name, host, flavor`` (its name), ``image_id, image_name, created_at,
    updated_at, fault_code, fault_message, fault_created``."""
    records = conn.compute.servers(all_projects=is_admin(conn), status="ERROR").records
    conn.names.prefetch(["project", "user", "image"])
    projects, users = conn.names.resolve("project"), conn.names.resolve("user")
    images = conn.names.resolve("image")
    rows = []
    for r in records:
        fault = r.get("fault") or {}
        image = (r.get("image") or {}).get("id") if isinstance(r.get("image"), dict) else None
        rows.append((r.get("id"), r.get("name"), r.get("tenant_id"),
                     _name(projects, r.get("tenant_id")), r.get("user_id"),
                     _name(users, r.get("user_id")), r.get("OS-EXT-SRV-ATTR:host"),
                     (r.get("flavor") or {}).get("original_name"), image, _name(images, image),
                     r.get("created"), r.get("updated"), fault.get("code"),
                     fault.get("message"), fault.get("created")))
    frame = _frame(rows, ["id", "name", "project_id", "project_name", "user_id", "user_name",
                          "host", "flavor", "image_id", "image_name", "created_at",
                          "updated_at", "fault_code", "fault_message", "fault_created"],
                   times=("created_at", "updated_at", "fault_created"))
    frame["fault_code"] = frame["fault_code"].astype("Int64")
    return frame.sort_values("updated_at", ascending=False, ignore_index=True)


def servers_per_host(conn: Connection) -> pd.DataFrame:
    """Servers per compute host and status (admin), busiest host first: ``host`` and one
    column per status, ``total``, ``vcpus`` and ``ram_gib`` (from the servers' flavors;
    Nova's MiB divided by 1024). Counts are integers. Servers with no host (failed to
    schedule) are under ``"(none)"``."""
    import pandas as pd

    records = conn.compute.servers(all_projects=True).records
    rows = [((r.get("OS-EXT-SRV-ATTR:host") or "(none)"), r.get("status"),
             (r.get("flavor") or {}).get("vcpus") or 0, (r.get("flavor") or {}).get("ram") or 0)
            for r in records]
    servers = pd.DataFrame(rows, columns=["host", "status", "vcpus", "ram_mb"])
    servers["ram_gib"] = servers["ram_mb"].astype("float64") / MIB_PER_GIB
    counts = pd.crosstab(servers["host"], servers["status"]) if rows else \
        pd.DataFrame(index=pd.Index([], name="host"))
    counts.columns = [str(c) for c in counts.columns]
    counts["total"] = counts.sum(axis=1)
    sums = servers.groupby("host")[["vcpus", "ram_gib"]].sum()
    frame = counts.join(sums).reset_index()
    frame.columns.name = None
    for column in frame.columns[1:]:
        if column != "ram_gib":
            frame[column] = frame[column].astype("int64")
    return analysis_frame(frame.sort_values(["total", "host"], ascending=[False, True],
                                            ignore_index=True))


def orphaned_floating_ips(conn: Connection) -> pd.DataFrame:
    """Floating IPs allocated but associated with no port (they cost addresses and
    often money): ``id, floating_ip_address, project_id, project_name, status,
    floating_network_id, floating_network_name, description, created_at, updated_at``,
    oldest first."""
    records = [r for r in conn.network.ips().records if not r.get("port_id")]
    conn.names.prefetch(["project", "network"])
    names, networks = conn.names.resolve("project"), conn.names.resolve("network")
    rows = [(r.get("id"), r.get("floating_ip_address"), r.get("project_id"),
             _name(names, r.get("project_id")), r.get("status"), r.get("floating_network_id"),
             _name(networks, r.get("floating_network_id")), r.get("description"),
             r.get("created_at"), r.get("updated_at"))
            for r in records]
    frame = _frame(rows, ["id", "floating_ip_address", "project_id", "project_name",
                          "status", "floating_network_id", "floating_network_name",
                          "description", "created_at", "updated_at"],
                   times=("created_at", "updated_at"))
    return frame.sort_values("created_at", ignore_index=True, na_position="last")


def detached_volumes(conn: Connection) -> pd.DataFrame:
    """Volumes attached to nothing: ``id, name, project_id, project_name, status,
    size_gib`` (Cinder's size, whose "GB" are GiB), ``volume_type, created_at, updated_at,
    idle_days`` (days since the last change), the longest idle first. Status
    ``available`` or ``error`` with no attachment."""
    records = [r for r in conn.block_storage.volumes(all_projects=is_admin(conn)).records
               if not r.get("attachments") and r.get("status") not in ("creating",
                                                                         "deleting")]
    names = conn.names.resolve("project")
    rows = [(r.get("id"), r.get("name"), r.get("os-vol-tenant-attr:tenant_id"),
             _name(names, r.get("os-vol-tenant-attr:tenant_id")), r.get("status"), r.get("size"),
             r.get("volume_type"), r.get("created_at"), r.get("updated_at"))
            for r in records]
    frame = _frame(rows, ["id", "name", "project_id", "project_name", "status", "size_gib",
                          "volume_type", "created_at", "updated_at"],
                   times=("created_at", "updated_at"))
    frame["size_gib"] = frame["size_gib"].astype("Int64")
    now = dt.datetime.now(dt.timezone.utc)
    frame["idle_days"] = ((now - frame["updated_at"]).dt.total_seconds() / 86400).round(1)
    return frame.sort_values("idle_days", ascending=False, ignore_index=True)


def ports_without_device(conn: Connection) -> pd.DataFrame:
    """Ports bound to no device (no ``device_id``): ``id, name, project_id, project_name,
    network_id, network_name, status, mac_address, fixed_ips, device_owner, created_at``,
    oldest first.
    Floating-IP, DHCP and router ports have a device and are not listed."""
    records = [r for r in conn.network.ports().records if not r.get("device_id")]
    conn.names.prefetch(["project", "network"])
    names, networks = conn.names.resolve("project"), conn.names.resolve("network")
    rows = [(r.get("id"), r.get("name"), r.get("project_id"), _name(names, r.get("project_id")),
             r.get("network_id"), _name(networks, r.get("network_id")), r.get("status"),
             r.get("mac_address"),
             ", ".join(str(ip.get("ip_address")) for ip in r.get("fixed_ips") or []),
             r.get("device_owner") or None, r.get("created_at")) for r in records]
    frame = _frame(rows, ["id", "name", "project_id", "project_name", "network_id",
                          "network_name", "status", "mac_address", "fixed_ips",
                          "device_owner", "created_at"], times=("created_at",))
    return frame.sort_values("created_at", ignore_index=True, na_position="last")


def _frame(rows: list[tuple[Any, ...]], columns: list[str],
           times: tuple[str, ...] = ()) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows, columns=columns)
    for column in times:
        frame[column] = pd.to_datetime(frame[column], utc=True, errors="coerce",
                                       format="ISO8601")
    return analysis_frame(frame)
