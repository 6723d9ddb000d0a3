"""Finders: the usual on-call questions, each one listing away from an answer.

Each returns a DataFrame of what was found (empty when all is well) with the columns
needed to act on it, and an admin sees every project. Names stand beside ids
(``project_name`` beside ``project_id``…), from the connection's name cache
(``conn.names``); an id the caller cannot resolve keeps an empty name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from ..sdk.compute.v2.server import ServerFault
from ..sdk.resource import Resource
from ..sdk.resource_list import ResourceList
from ._common import (
    MIB_PER_GIB,
    analysis_frame,
    blank,
    blank_rows,
    fixed_ip_text,
    int_column,
    is_admin,
)
from ._common import name_of as _name

if TYPE_CHECKING:
    import pandas as pd

    from ..sdk.connection import Connection

__all__ = ["detached_volumes", "orphaned_floating_ips", "ports_without_device",
           "servers_in_error", "servers_per_host"]

R = TypeVar("R", bound=Resource)


def servers_in_error(conn: Connection) -> pd.DataFrame:
    """Servers in ERROR, newest change first: ``id, name, project_id, project_name,
    user_id, user_name, host, flavor`` (its name), ``image_id, image_name, created_at,
    updated_at, fault_code, fault_message, fault_created``."""
    servers = _listed(conn.compute.servers(all_projects=is_admin(conn), status="ERROR"),
                      "name", "project_id", "user_id", "compute_host", "flavor_name",
                      "image_id", "created_at", "updated_at", "fault")
    conn.names.prefetch(["project", "user", "image"])
    projects, users = conn.names.resolve("project"), conn.names.resolve("user")
    images = conn.names.resolve("image")
    faults = [ServerFault(f) if isinstance(f, Mapping) else ServerFault()
              for f in servers["fault"]]
    frame = _frame({
        "id": servers["id"], "name": servers["name"], "project_id": servers["project_id"],
        "project_name": _names(projects, servers["project_id"]),
        "user_id": servers["user_id"], "user_name": _names(users, servers["user_id"]),
        "host": servers["compute_host"], "flavor": servers["flavor_name"],
        "image_id": servers["image_id"], "image_name": _names(images, servers["image_id"]),
        "created_at": servers["created_at"], "updated_at": servers["updated_at"],
        "fault_code": int_column([f.code for f in faults]),
        "fault_message": [f.message for f in faults],
        "fault_created": [f.created_at for f in faults],
    }, times=("created_at", "updated_at", "fault_created"))
    return frame.sort_values("updated_at", ascending=False, ignore_index=True)


def servers_per_host(conn: Connection) -> pd.DataFrame:
    """Servers per compute host and status (admin), busiest host first: ``host`` and one
    column per status, ``total``, ``vcpus`` and ``ram_gib`` (from the servers' flavors;
    Nova's MiB divided by 1024). Counts are integers. Servers with no host (failed to
    schedule) are under ``"(none)"``."""
    import pandas as pd

    listed = _listed(conn.compute.servers(all_projects=True), "compute_host", "status",
                     "vcpus", "ram_mb")
    host = listed["compute_host"].astype(object)
    servers = pd.DataFrame({
        "host": host.where(~blank_rows(host), "(none)"),
        "status": listed["status"].astype(object),
        "vcpus": pd.to_numeric(listed["vcpus"], errors="coerce").fillna(0),
        "ram_mb": pd.to_numeric(listed["ram_mb"], errors="coerce").fillna(0)})
    servers["ram_gib"] = servers["ram_mb"].astype("float64") / MIB_PER_GIB
    counts = pd.crosstab(servers["host"], servers["status"]) if len(servers) else \
        pd.DataFrame(index=pd.Index([], name="host"))
    counts.columns = [str(c) for c in counts.columns]
    counts["total"] = counts.sum(axis=1)
    sums = servers.groupby("host")[["vcpus", "ram_gib"]].sum()
    frame = counts.join(sums).reset_index()
    frame.columns.name = None
    for column in frame.columns[1:]:
        if column != "ram_gib":
            frame[column] = frame[column].astype("int64")
        else:
            frame[column] = frame[column].astype("float64")
    return analysis_frame(frame.sort_values(["total", "host"], ascending=[False, True],
                                            ignore_index=True))


def orphaned_floating_ips(conn: Connection) -> pd.DataFrame:
    """Floating IPs allocated but associated with no port (they cost addresses and
    often money): ``id, floating_ip_address, project_id, project_name, status,
    floating_network_id, floating_network_name, description, created_at, updated_at``,
    oldest first."""
    listing = conn.network.ips()
    unbound = blank_rows(listing.to_pandas(columns=["port_id"])["port_id"])
    ips = _listed(_subset(listing, unbound), "floating_ip_address", "project_id", "status",
                  "floating_network_id", "description", "created_at", "updated_at")
    conn.names.prefetch(["project", "network"])
    names, networks = conn.names.resolve("project"), conn.names.resolve("network")
    frame = _frame({
        "id": ips["id"], "floating_ip_address": ips["floating_ip_address"],
        "project_id": ips["project_id"], "project_name": _names(names, ips["project_id"]),
        "status": ips["status"], "floating_network_id": ips["floating_network_id"],
        "floating_network_name": _names(networks, ips["floating_network_id"]),
        "description": ips["description"], "created_at": ips["created_at"],
        "updated_at": ips["updated_at"],
    }, times=("created_at", "updated_at"))
    return frame.sort_values("created_at", ignore_index=True, na_position="last")


def detached_volumes(conn: Connection) -> pd.DataFrame:
    """Volumes attached to nothing: ``id, name, project_id, project_name, status,
    size_gib`` (Cinder's size, whose "GB" are GiB), ``volume_type, created_at, updated_at,
    idle_days`` (days since the last change), the longest idle first. Status
    ``available`` or ``error`` with no attachment."""
    listing = conn.block_storage.volumes(all_projects=is_admin(conn))
    state = listing.to_pandas(columns=["attachments", "status"])
    detached = blank_rows(state["attachments"]) & \
        ~state["status"].astype(object).isin(["creating", "deleting"]).to_numpy(dtype=bool)
    volumes = _listed(_subset(listing, detached), "name", "project_id", "status", "size",
                      "volume_type", "created_at", "updated_at")
    names = conn.names.resolve("project")
    frame = _frame({
        "id": volumes["id"], "name": volumes["name"], "project_id": volumes["project_id"],
        "project_name": _names(names, volumes["project_id"]), "status": volumes["status"],
        "size_gib": int_column(volumes["size"]), "volume_type": volumes["volume_type"],
        "created_at": volumes["created_at"], "updated_at": volumes["updated_at"],
    }, times=("created_at", "updated_at"))
    now = dt.datetime.now(dt.timezone.utc)
    frame["idle_days"] = ((now - frame["updated_at"]).dt.total_seconds() / 86400).round(1)
    return frame.sort_values("idle_days", ascending=False, ignore_index=True)


def ports_without_device(conn: Connection) -> pd.DataFrame:
    """Ports bound to no device (no ``device_id``): ``id, name, project_id, project_name,
    network_id, network_name, status, mac_address, fixed_ips, device_owner, created_at``,
    oldest first.
    Floating-IP, DHCP and router ports have a device and are not listed."""
    listing = conn.network.ports()
    unbound = blank_rows(listing.to_pandas(columns=["device_id"])["device_id"])
    ports = _listed(_subset(listing, unbound), "name", "project_id", "network_id", "status",
                    "mac_address", "fixed_ips", "device_owner", "created_at")
    conn.names.prefetch(["project", "network"])
    names, networks = conn.names.resolve("project"), conn.names.resolve("network")
    frame = _frame({
        "id": ports["id"], "name": ports["name"], "project_id": ports["project_id"],
        "project_name": _names(names, ports["project_id"]), "network_id": ports["network_id"],
        "network_name": _names(networks, ports["network_id"]), "status": ports["status"],
        "mac_address": ports["mac_address"],
        "fixed_ips": [fixed_ip_text(ips) for ips in ports["fixed_ips"]],
        "device_owner": [None if blank(o) else o for o in ports["device_owner"].astype(object)],
        "created_at": ports["created_at"],
    }, times=("created_at",))
    return frame.sort_values("created_at", ignore_index=True, na_position="last")


def _listed(listing: Any, *columns: str) -> pd.DataFrame:
    """The listing's frame with ``columns`` (props' PEP-8 names), ``id`` a column and the
    rows numbered: the analyses read the services' data through the SDK's props."""
    return listing.to_pandas(columns=list(columns)).reset_index()


def _subset(listing: ResourceList[R], keep: Any) -> ResourceList[R]:
    """The listed objects where ``keep`` (a boolean per row of the listing's frame) holds,
    as a listing of their own. A finder decides on one or two narrow columns and builds
    its wide frame for the few it keeps: converting every column of a 50,000-row listing
    costs more than reading the listing."""
    import numpy as np

    kept = [listing[int(i)] for i in np.flatnonzero(np.asarray(keep, dtype=bool))]
    return ResourceList(listing.resource_type, [r.raw for r in kept], listing.uri,
                        proxy=listing.proxy)


def _names(names: dict[str, str], ids: Any) -> list[str | None]:
    return [_name(names, ident) for ident in (ids.tolist() if hasattr(ids, "tolist") else ids)]


def _frame(columns: dict[str, Any], times: tuple[str, ...] = ()) -> pd.DataFrame:
    """A frame of ``columns`` (name → values), numbered from 0; ``times`` as UTC
    datetimes (what does not parse is missing)."""
    import pandas as pd

    frame = pd.DataFrame({name: _values(v) for name, v in columns.items()})
    for column in times:
        frame[column] = pd.to_datetime(frame[column], utc=True, errors="coerce",
                                       format="ISO8601")
    return analysis_frame(frame)


def _values(values: Any) -> Any:
    """A listing frame's column as plain values (``None`` where missing) without its row
    numbers, as the analyses' frames have always held them (a datetime column as it is);
    anything else as given."""
    import pandas as pd

    if not isinstance(values, pd.Series):
        return values
    if isinstance(values.dtype, pd.DatetimeTZDtype):  # converted already: keep it so
        return values.array
    plain = values.astype(object)
    return plain.where(plain.notna(), None).to_numpy()
