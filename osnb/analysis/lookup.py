"""Lookup: what is this id, name or address? Every covered service is asked at once."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from ..sdk import exceptions as exc
from ..sdk.compute.v2.flavor import Flavor
from ._common import (
    analysis_frame,
    error_table,
    error_text,
    fixed_ip_text,
    gib,
    is_admin,
    run_all,
    widen_pool,
)

if TYPE_CHECKING:
    import pandas as pd

    from ..sdk.block_storage.v3.volume import Volume
    from ..sdk.compute.v2.hypervisor import Hypervisor
    from ..sdk.compute.v2.server import Server
    from ..sdk.connection import Connection
    from ..sdk.identity.v3.project import Project
    from ..sdk.identity.v3.user import User
    from ..sdk.image.v2.image import Image
    from ..sdk.network.v2.floating_ip import FloatingIP
    from ..sdk.network.v2.network import Network
    from ..sdk.network.v2.port import Port
    from ..sdk.network.v2.router import Router
    from ..sdk.network.v2.security_group import SecurityGroup
    from ..sdk.network.v2.subnet import Subnet

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
# Each reads the objects it finds through their attributes (the SDK's props own the wire
# keys: a server's project is ``project_id``, whatever Nova calls it).

def _by_id(get: Callable[[str], Any], text: str) -> list[Any]:
    """The object with id ``text``, if any: a 404, a malformed id (400) or an id the
    caller may not read (403) is none, and the search by name goes on."""
    try:
        return [get(text)]
    except (exc.NotFound, exc.BadRequest, exc.Forbidden):
        return []


def _by_name(by_id: list[Any], listing: Callable[[], Any]) -> list[Any]:
    """The listing's objects. A caller that may read the object by id but not list its
    kind (a member and ``GET /v3/projects``) keeps the id's hit; with no hit the refusal
    stands and is reported."""
    try:
        return _listed(listing)
    except exc.Forbidden:
        if by_id:
            return []
        raise


def _listed(listing: Callable[[], Any]) -> list[Any]:
    """A listing's objects; Nova answers a hostname pattern matching nothing with 404."""
    try:
        return list(listing())
    except exc.NotFound:
        return []


def _exact(found: Iterable[Any], attribute: str, text: str) -> list[Any]:
    """Filters that are regular expressions or prefixes server-side, made exact."""
    return [r for r in found if getattr(r, attribute) == text]


def _ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _servers(conn: Connection, text: str, admin: bool) -> list[Row]:
    found: list[Server] = _by_id(conn.compute.get_server, text)
    # Nova's name filter is a regular expression: a name with "[", "(" or "." must be
    # escaped to match itself (and only itself).
    found += _exact(conn.compute.servers(all_projects=admin, name=f"^{_regex(text)}$"),
                    "name", text)
    if _ip(text):
        found += conn.compute.servers(all_projects=admin, ip=f"^{_regex(text)}$")
    return [("server", s.id, s.name, s.project_id, s.status,
             _join(f"host {s.compute_host}" if s.compute_host else None,
                   f"flavor {_flavor_name(s.flavor)}", _addresses(s.addresses)))
            for s in found]


def _ports(conn: Connection, text: str, admin: bool) -> list[Row]:
    found: list[Port] = _by_id(conn.network.get_port, text)
    found += conn.network.ports(name=text)
    if _ip(text):
        found += conn.network.ports(fixed_ips=f"ip_address={text}")
    elif text.count(":") == 5:
        found += conn.network.ports(mac_address=text.lower())
    return [("port", p.id, p.name, p.project_id, p.status,
             _join(fixed_ip_text(p.fixed_ips) or None, p.mac_address,
                   f"{p.device_owner or 'no owner'} {p.device_id or ''}".strip()))
            for p in found]


def _volumes(conn: Connection, text: str, admin: bool) -> list[Row]:
    found: list[Volume] = _by_id(conn.block_storage.get_volume, text)
    found += _exact(conn.block_storage.volumes(all_projects=admin, name=text), "name", text)
    return [("volume", v.id, v.name, v.project_id, v.status,
             _join(f"{v.size} GiB", v.volume_type,
                   *(f"on server {a.get('server_id')}" for a in v.attachments or []
                     if isinstance(a, dict)))) for v in found]


def _networks(conn: Connection, text: str, admin: bool) -> list[Row]:
    found: list[Network] = _by_id(conn.network.get_network, text)
    found += _by_name(found, lambda: conn.network.networks(name=text))
    return [("network", n.id, n.name, n.project_id, n.status,
             _join("external" if n.is_router_external else None,
                   "shared" if n.is_shared else None,
                   f"{len(n.subnet_ids or [])} subnets")) for n in found]


def _subnets(conn: Connection, text: str, admin: bool) -> list[Row]:
    found: list[Subnet] = _by_id(conn.network.get_subnet, text)
    found += _by_name(found, lambda: conn.network.subnets(name=text))
    if "/" in text:
        found += conn.network.subnets(cidr=text)
    return [("subnet", s.id, s.name, s.project_id, None,
             _join(s.cidr, f"network {s.network_id}")) for s in found]


def _routers(conn: Connection, text: str, admin: bool) -> list[Row]:
    found: list[Router] = _by_id(conn.network.get_router, text)
    found += _by_name(found, lambda: conn.network.routers(name=text))
    return [("router", r.id, r.name, r.project_id, r.status,
             _join("gateway " + str((r.external_gateway_info or {}).get("network_id"))
                   if r.external_gateway_info else "no gateway")) for r in found]


def _floating_ips(conn: Connection, text: str, admin: bool) -> list[Row]:
    found: list[FloatingIP] = _by_id(conn.network.get_ip, text)
    if _ip(text):
        found += conn.network.ips(floating_ip_address=text)
        found += conn.network.ips(fixed_ip_address=text)
    return [("floating_ip", f.id, f.floating_ip_address, f.project_id, f.status,
             _join(f"→ {f.fixed_ip_address} (port {f.port_id})" if f.port_id
                   else "not associated")) for f in found]


def _security_groups(conn: Connection, text: str, admin: bool) -> list[Row]:
    found: list[SecurityGroup] = _by_id(conn.network.get_security_group, text)
    found += conn.network.security_groups(name=text)
    return [("security_group", g.id, g.name, g.project_id, None,
             _join(f"{len(g.security_group_rules or [])} rules", g.description))
            for g in found]


def _images(conn: Connection, text: str, admin: bool) -> list[Row]:
    found: list[Image] = _by_id(conn.image.get_image, text)
    found += _by_name(found, lambda: conn.image.images(name=text))
    return [("image", i.id, i.name, i.owner, i.status,
             _join(i.visibility, i.disk_format,
                   f"{i.size / 2**30:.1f} GiB" if isinstance(i.size, (int, float)) and i.size
                   else None)) for i in found]


def _flavors(conn: Connection, text: str, admin: bool) -> list[Row]:
    found: list[Flavor] = _by_id(conn.compute.get_flavor, text)
    found += _exact(conn.compute.flavors(), "name", text)
    return [("flavor", f.id, f.name, None, "disabled" if f.is_disabled else None,
             _join(f"{f.vcpus} vCPU", f"{gib(f.ram)} RAM", f"{f.disk} GiB disk",
                   "private" if f.is_public is False else None)) for f in found]


def _projects(conn: Connection, text: str, admin: bool) -> list[Row]:
    found: list[Project] = _by_id(conn.identity.get_project, text)
    found += _by_name(found, lambda: conn.identity.projects(name=text))
    return [("project", p.id, p.name, p.id,
             "disabled" if p.is_enabled is False else "enabled",
             _join(f"domain {p.domain_id}", p.description)) for p in found]


def _users(conn: Connection, text: str, admin: bool) -> list[Row]:
    found: list[User] = _by_id(conn.identity.get_user, text)
    found += _by_name(found, lambda: conn.identity.users(name=text))
    return [("user", u.id, u.name, u.default_project_id,
             "disabled" if u.is_enabled is False else "enabled",
             _join(f"domain {u.domain_id}", u.email)) for u in found]


def _hypervisors(conn: Connection, text: str, admin: bool) -> list[Row]:
    if not admin:
        return []
    found: list[Hypervisor] = _by_id(conn.compute.get_hypervisor, text)
    found += _exact(_listed(lambda: conn.compute.hypervisors(
        hypervisor_hostname_pattern=text)), "name", text)
    if _ip(text):
        found += _exact(conn.compute.hypervisors(), "host_ip", text)
    return [("hypervisor", h.id, h.name, None, h.status,
             _join(f"state {h.state}", h.host_ip,
                   f"{h.running_vms} servers" if h.running_vms is not None else None))
            for h in found]


LOOKUP_KINDS: dict[str, Callable[[Connection, str, bool], list[Row]]] = {
    "server": _servers, "port": _ports, "volume": _volumes, "network": _networks,
    "subnet": _subnets, "router": _routers, "floating_ip": _floating_ips,
    "security_group": _security_groups, "image": _images, "flavor": _flavors,
    "project": _projects, "user": _users, "hypervisor": _hypervisors,
}
"""Kind → its searcher; each runs in its own thread."""


def _join(*parts: Any) -> str:
    return " · ".join(str(p) for p in parts if p not in (None, ""))


def _flavor_name(flavor: Any) -> Any:
    """A server's flavor by name: its ``original_name`` (from compute 2.47 on), else its
    id; an old or broken cloud's bare string as sent."""
    return flavor.original_name if isinstance(flavor, Flavor) else flavor


def _addresses(addresses: Any) -> str | None:
    ips = [a.get("addr") for net in (addresses if isinstance(addresses, dict) else {}).values()
           for a in (net if isinstance(net, list) else []) if isinstance(a, dict)]
    return ", ".join(str(ip) for ip in ips) or None


def _regex(text: str) -> str:
    import re

    return re.escape(text)
