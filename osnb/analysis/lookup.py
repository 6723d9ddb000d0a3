"""Lookup: what is this id, name or address? Every covered service is asked at once."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..sdk import exceptions as exc
from ._common import analysis_frame, error_table, error_text, gib, is_admin, run_all, widen_pool

if TYPE_CHECKING:
    import pandas as pd

    from ..sdk.connection import Connection

__all__ = ["LOOKUP_COLUMNS", "LOOKUP_KINDS", "lookup"]

LOOKUP_COLUMNS = ("kind", "id", "name", "project_id", "project_name", "status", "detail")
Row = tuple[str, Any, Any, Any, Any, str]


def lookup(conn: Connection, name_or_id: str, *, max_workers: int = 16) -> pd.DataFrame:
    """Every object whose id or name is ``name_or_id``: one row per match.

    Covers servers, ports (also by fixed IP or MAC address), volumes, networks, subnets
    (also by CIDR), routers, floating IPs (also by address), security groups, images,
    flavors, projects, users and hypervisors, searched concurrently; an admin sees every
    project. Columns: ``kind, id, name, project_id, project_name`` (from the connection's
    name cache, ``conn.names``; empty where the caller cannot see the project), ``status,
    detail``. Services that refused or failed are in ``df.attrs["errors"]``
    (``kind, error``); a 404 is no error.
    """
    import pandas as pd

    text = str(name_or_id).strip()
    admin = is_admin(conn)
    widen_pool(conn, max_workers)
    results = run_all(lambda kind: LOOKUP_KINDS[kind](conn, text, admin), LOOKUP_KINDS,
                      max_workers=max_workers)
    rows: list[Row] = []
    errors = []
    for kind, found, err in results:
        if err is not None:
            errors.append((kind, error_text(err)))
        rows.extend(found or [])
    columns = [c for c in LOOKUP_COLUMNS if c != "project_name"]
    frame = pd.DataFrame(list(dict.fromkeys(rows)), columns=columns)
    frame = frame.drop_duplicates(subset=["kind", "id"], ignore_index=True)
    owners = conn.names.resolve("project", frame["project_id"].dropna()) if len(frame) else {}
    frame.insert(4, "project_name", frame["project_id"].map(owners).astype("object"))
    frame = analysis_frame(frame)
    frame.attrs["errors"] = error_table(errors, ["kind", "error"])
    return frame


# -- one searcher per kind: (conn, text, admin) → rows ------------------------------------

def _by_id(get: Callable[[str], Any], text: str) -> list[dict[str, Any]]:
    """The record with id ``text``, if any: a 404, a malformed id (400) or an id the
    caller may not read (403) is none, and the search by name goes on."""
    try:
        return [get(text).raw]
    except (exc.NotFound, exc.BadRequest, exc.Forbidden):
        return []


def _by_name(by_id: list[dict[str, Any]], listing: Callable[[], Any]) -> list[dict[str, Any]]:
    """The listing's records. A caller that may read the object by id but not list its
    kind (a member and ``GET /v3/projects``) keeps the id's hit; with no hit the refusal
    stands and is reported."""
    try:
        return _listed(listing)
    except exc.Forbidden:
        if by_id:
            return []
        raise


def _listed(listing: Callable[[], Any]) -> list[dict[str, Any]]:
    """A listing's records; Nova answers a hostname pattern matching nothing with 404."""
    try:
        return list(listing().records)
    except exc.NotFound:
        return []


def _exact(records: list[dict[str, Any]], key: str, text: str) -> list[dict[str, Any]]:
    """Filters that are regular expressions or prefixes server-side, made exact."""
    return [r for r in records if r.get(key) == text]


def _ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _servers(conn: Connection, text: str, admin: bool) -> list[Row]:
    found = _by_id(conn.compute.get_server, text)
    # Nova's name filter is a regular expression: a name with "[", "(" or "." must be
    # escaped to match itself (and only itself).
    found += _exact(conn.compute.servers(all_projects=admin, name=f"^{_regex(text)}$").records,
                    "name", text)
    if _ip(text):
        found += conn.compute.servers(all_projects=admin, ip=f"^{_regex(text)}$").records
    return [("server", r.get("id"), r.get("name"), r.get("tenant_id"), r.get("status"),
             _join(f"host {r.get('OS-EXT-SRV-ATTR:host')}" if r.get("OS-EXT-SRV-ATTR:host")
                   else None, f"flavor {(r.get('flavor') or {}).get('original_name')}",
                   _addresses(r.get("addresses")))) for r in found]


def _ports(conn: Connection, text: str, admin: bool) -> list[Row]:
    found = _by_id(conn.network.get_port, text)
    found += conn.network.ports(name=text).records
    if _ip(text):
        found += conn.network.ports(fixed_ips=f"ip_address={text}").records
    elif text.count(":") == 5:
        found += conn.network.ports(mac_address=text.lower()).records
    return [("port", r.get("id"), r.get("name"), r.get("project_id"), r.get("status"),
             _join(_fixed_ips(r.get("fixed_ips")), r.get("mac_address"),
                   f"{r.get('device_owner') or 'no owner'} {r.get('device_id') or ''}".strip()))
            for r in found]


def _volumes(conn: Connection, text: str, admin: bool) -> list[Row]:
    found = _by_id(conn.block_storage.get_volume, text)
    found += _exact(conn.block_storage.volumes(all_projects=admin, name=text).records,
                    "name", text)
    return [("volume", r.get("id"), r.get("name"), r.get("os-vol-tenant-attr:tenant_id"),
             r.get("status"), _join(f"{r.get('size')} GiB", r.get("volume_type"),
                                    *(f"on server {a.get('server_id')}"
                                      for a in r.get("attachments") or []))) for r in found]


def _networks(conn: Connection, text: str, admin: bool) -> list[Row]:
    found = _by_id(conn.network.get_network, text)
    found += _by_name(found, lambda: conn.network.networks(name=text))
    return [("network", r.get("id"), r.get("name"), r.get("project_id"), r.get("status"),
             _join("external" if r.get("router:external") else None,
                   "shared" if r.get("shared") else None,
                   f"{len(r.get('subnets') or [])} subnets")) for r in found]


def _subnets(conn: Connection, text: str, admin: bool) -> list[Row]:
    found = _by_id(conn.network.get_subnet, text)
    found += _by_name(found, lambda: conn.network.subnets(name=text))
    if "/" in text:
        found += conn.network.subnets(cidr=text).records
    return [("subnet", r.get("id"), r.get("name"), r.get("project_id"), None,
             _join(r.get("cidr"), f"network {r.get('network_id')}")) for r in found]


def _routers(conn: Connection, text: str, admin: bool) -> list[Row]:
    found = _by_id(conn.network.get_router, text)
    found += _by_name(found, lambda: conn.network.routers(name=text))
    return [("router", r.get("id"), r.get("name"), r.get("project_id"), r.get("status"),
             _join("gateway " + str((r.get("external_gateway_info") or {}).get("network_id"))
                   if r.get("external_gateway_info") else "no gateway")) for r in found]


def _floating_ips(conn: Connection, text: str, admin: bool) -> list[Row]:
    found = _by_id(conn.network.get_ip, text)
    if _ip(text):
        found += conn.network.ips(floating_ip_address=text).records
        found += conn.network.ips(fixed_ip_address=text).records
    return [("floating_ip", r.get("id"), r.get("floating_ip_address"), r.get("project_id"),
             r.get("status"),
             _join(f"→ {r.get('fixed_ip_address')} (port {r.get('port_id')})"
                   if r.get("port_id") else "not associated")) for r in found]


def _security_groups(conn: Connection, text: str, admin: bool) -> list[Row]:
    found = _by_id(conn.network.get_security_group, text)
    found += conn.network.security_groups(name=text).records
    return [("security_group", r.get("id"), r.get("name"), r.get("project_id"), None,
             _join(f"{len(r.get('security_group_rules') or [])} rules",
                   r.get("description"))) for r in found]


def _images(conn: Connection, text: str, admin: bool) -> list[Row]:
    found = _by_id(conn.image.get_image, text)
    found += _by_name(found, lambda: conn.image.images(name=text))
    return [("image", r.get("id"), r.get("name"), r.get("owner"), r.get("status"),
             _join(r.get("visibility"), r.get("disk_format"),
                   f"{r['size'] / 2**30:.1f} GiB" if r.get("size") else None))
            for r in found]


def _flavors(conn: Connection, text: str, admin: bool) -> list[Row]:
    found = _by_id(conn.compute.get_flavor, text)
    found += _exact(conn.compute.flavors().records, "name", text)
    return [("flavor", r.get("id"), r.get("name"), None,
             "disabled" if r.get("OS-FLV-DISABLED:disabled") else None,
             _join(f"{r.get('vcpus')} vCPU", f"{gib(r.get('ram'))} RAM",
                   f"{r.get('disk')} GiB disk",
                   None if r.get("os-flavor-access:is_public", True) else "private"))
            for r in found]


def _projects(conn: Connection, text: str, admin: bool) -> list[Row]:
    found = _by_id(conn.identity.get_project, text)
    found += _by_name(found, lambda: conn.identity.projects(name=text))
    return [("project", r.get("id"), r.get("name"), r.get("id"),
             "enabled" if r.get("enabled", True) else "disabled",
             _join(f"domain {r.get('domain_id')}", r.get("description"))) for r in found]


def _users(conn: Connection, text: str, admin: bool) -> list[Row]:
    found = _by_id(conn.identity.get_user, text)
    found += _by_name(found, lambda: conn.identity.users(name=text))
    return [("user", r.get("id"), r.get("name"), r.get("default_project_id"),
             "enabled" if r.get("enabled", True) else "disabled",
             _join(f"domain {r.get('domain_id')}", r.get("email"))) for r in found]


def _hypervisors(conn: Connection, text: str, admin: bool) -> list[Row]:
    if not admin:
        return []
    found = _by_id(conn.compute.get_hypervisor, text)
    found += _exact(_listed(lambda: conn.compute.hypervisors(
        hypervisor_hostname_pattern=text)), "hypervisor_hostname", text)
    if _ip(text):
        found += _exact(conn.compute.hypervisors().records, "host_ip", text)
    return [("hypervisor", r.get("id"), r.get("hypervisor_hostname"), None, r.get("status"),
             _join(f"state {r.get('state')}", r.get("host_ip"),
                   f"{r.get('running_vms')} servers" if r.get("running_vms") is not None
                   else None)) for r in found]


LOOKUP_KINDS: dict[str, Callable[[Connection, str, bool], list[Row]]] = {
    "server": _servers, "port": _ports, "volume": _volumes, "network": _networks,
    "subnet": _subnets, "router": _routers, "floating_ip": _floating_ips,
    "security_group": _security_groups, "image": _images, "flavor": _flavors,
    "project": _projects, "user": _users, "hypervisor": _hypervisors,
}
"""Kind → its searcher; each runs in its own thread."""


def _join(*parts: Any) -> str:
    return " · ".join(str(p) for p in parts if p not in (None, ""))


def _fixed_ips(fixed_ips: Any) -> str | None:
    return ", ".join(str(ip.get("ip_address")) for ip in fixed_ips or []) or None


def _addresses(addresses: Any) -> str | None:
    ips = [a.get("addr") for net in (addresses or {}).values() for a in net or []]
    return ", ".join(str(ip) for ip in ips) or None


def _regex(text: str) -> str:
    import re

    return re.escape(text)
