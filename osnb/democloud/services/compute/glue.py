"""Nova's calls into its neighbours: Neutron ports and floating IPs, Cinder volumes, Glance
images and the compute quotas. Neutron and Cinder are reached through the store's topics
(:mod:`..world`), never imported.

Every call degrades gracefully when the neighbour is not there (a world seeded without
networks still gets servers, with an address synthesized from the server's index).
"""

from __future__ import annotations

from typing import Any

from ...store import Record, Store
from ...world import (
    NETWORK_OF_PROJECT,
    PORT_CREATE,
    PORT_FLOATING_IPS,
    PORT_REBOUND,
    VOLUMES_ATTACHED,
)
from .common import Server, servers_of

__all__ = [
    "addresses",
    "attach_volumes",
    "check_quota",
    "image_properties",
    "interfaces",
    "plug",
    "project_users",
    "project_network_id",
    "sync_server",
    "volume_attachments",
]


def project_network_id(store: Store, project_id: str) -> str | None:
    try:
        found = store.ask(NETWORK_OF_PROJECT, project_id=project_id)
    except Exception:  # noqa: BLE001 - no external network etc.: boot without a port
        return None
    return None if found is None else str(found)


def plug(store: Store, server: Server, *, network_id: str | None = None,
         port_id: str | None = None, fixed_ip: str | None = None) -> Record | None:
    """Give ``server`` a port (a new one on ``network_id``, or the existing ``port_id``)."""
    if not store.subscribers.get(PORT_CREATE):
        return None
    az = server.get("OS-EXT-AZ:availability_zone") or "nova"
    host = server.get("OS-EXT-SRV-ATTR:host")
    if port_id is not None:
        port: Record = store.table("ports")[port_id]
        old = dict(port)
        port.update(device_id=server["id"], device_owner=f"compute:{az}",
                    **{"binding:host_id": host or ""})
        store.publish(PORT_REBOUND, port=port, old=old)
    else:
        if network_id is None:
            network_id = project_network_id(store, server["tenant_id"])
            if network_id is None:
                return None
        port = store.ask(PORT_CREATE, project_id=server["tenant_id"], network_id=network_id,
                         device_id=server["id"], device_owner=f"compute:{az}", host=host,
                         fixed_ips=[{"ip_address": fixed_ip}] if fixed_ip else None)
    server.port_ids = [*server.port_ids, port["id"]]
    return port


def _ports(store: Store, server: Server) -> list[Record]:
    ports = store.table("ports")
    return [ports[p] for p in server.port_ids if p in ports]


def addresses(store: Store, server: Server) -> dict[str, list[dict[str, Any]]]:
    """Nova's ``addresses``: per network name, fixed then floating addresses."""
    port_ids = server.port_ids
    if not port_ids:
        return {}
    nets = store.table("networks")
    ports = store.table("ports")
    fips = store.table("floatingips")
    fips_by_port: dict[str, dict[str, None]] = store.ask(PORT_FLOATING_IPS) or {}
    out: dict[str, list[dict[str, Any]]] = {}
    for port_id in port_ids:
        port = ports.get(port_id)
        if port is None:
            continue
        network = nets.get(port["network_id"])
        name = str(network and network.get("name") or port["network_id"])
        entries = out.setdefault(name, [])
        mac = port["mac_address"]
        for ip in port["fixed_ips"]:
            entries.append({"version": 6 if ":" in ip["ip_address"] else 4,
                            "addr": ip["ip_address"], "OS-EXT-IPS:type": "fixed",
                            "OS-EXT-IPS-MAC:mac_addr": mac})
        for fip_id in fips_by_port.get(port_id, ()):
            fip = fips.get(fip_id)
            if fip is not None and fip.get("floating_ip_address"):
                entries.append({"version": 4, "addr": fip["floating_ip_address"],
                                "OS-EXT-IPS:type": "floating", "OS-EXT-IPS-MAC:mac_addr": mac})
    return out


def sync_server(store: Store, server_id: str) -> None:
    """Re-derive what a server shows of its neighbours after one of them changed it:
    ``addresses`` from its Neutron ports and floating IPs, ``security_groups`` from its
    ports' groups (as Nova's view asks Neutron), the attached volumes from
    Cinder's attachments; then drop its cached JSON. Neutron and Cinder publish
    ``server.changed`` for this."""
    from .common import invalidate

    server = servers_of(store).get(server_id)
    if server is None:
        return
    server["addresses"] = addresses(store, server)
    ports = _ports(store, server)
    if ports:  # Nova reads a server's security groups off its ports
        groups = store.table("security_groups")
        names = dict.fromkeys(groups[g]["name"] for port in ports
                              for g in port.get("security_groups") or () if g in groups)
        server["security_groups"] = [{"name": n} for n in names] or None
    index = store.table("_server_volumes").get(server_id)
    if index is not None:
        volumes = store.table("volumes")
        key = "os-extended-volumes:volumes_attached"
        flags = {v["id"]: v.get("delete_on_termination", False) for v in server[key]}
        server[key] = [
            {"id": vid, "delete_on_termination": flags.get(vid, False)}
            for vid in index["volume_ids"]
            if any(a.get("server_id") == server_id
                   for a in (volumes.get(vid) or {}).get("attachments", ()))]
    invalidate(store, server_id)


def interfaces(store: Store, server: Server) -> list[dict[str, Any]]:
    """``os-interface`` attachments for the server's ports."""
    return [{"fixed_ips": [{"ip_address": ip["ip_address"], "subnet_id": ip["subnet_id"]}
                           for ip in port["fixed_ips"]],
             "mac_addr": port["mac_address"], "net_id": port["network_id"],
             "port_id": port["id"], "port_state": port.get("status", "ACTIVE"), "tag": None}
            for port in _ports(store, server)]


def attach_volumes(store: Store, servers: list[Record], *, sizes: list[int],
                   names: list[str], created: list[str]) -> None:
    """A new data volume, the only one, attached to each of ``servers`` (world
    generation); ``created`` are Cinder's timestamp texts."""
    volume_ids = store.ask(VOLUMES_ATTACHED, servers=servers, sizes=sizes, names=names,
                           created=created)
    for server, vid in zip(servers, volume_ids, strict=True):
        server["os-extended-volumes:volumes_attached"] = [
            {"id": vid, "delete_on_termination": False}]


def volume_attachments(store: Store, server: Record) -> list[dict[str, Any]]:
    """``os-volume_attachments`` rows (2.89 shape plus ``id``; the handler trims)."""
    volumes = store.table("volumes")
    out: list[dict[str, Any]] = []
    for i, att in enumerate(server.get("os-extended-volumes:volumes_attached") or []):
        vol = volumes.get(att["id"]) or {}
        row: dict[str, Any] = next((a for a in vol.get("attachments", []) if a.get("server_id") ==
                    server["id"]), {})
        out.append({"device": row.get("device") or f"/dev/vd{chr(98 + i)}",
                    "id": att["id"], "serverId": server["id"], "volumeId": att["id"],
                    "tag": None, "delete_on_termination": att.get("delete_on_termination",
                                                                  False),
                    "attachment_id": row.get("attachment_id"),
                    "bdm_uuid": row.get("attachment_id")})
    return out


def image_properties(image: Record) -> dict[str, Any]:
    """What Nova keeps of an image's properties in the instance (2.98 ``image.properties``)."""
    cached: dict[str, Any] | None = image.get("_nova_properties")
    if cached is not None:
        return dict(cached)
    props: dict[str, Any] = {}
    for key, value in image.items():
        if key.startswith(("hw_", "os_", "img_")) and isinstance(value, (str, int, bool)) \
                and not key.startswith(("os_hash", "os_hidden")):
            props[key] = value
    image["_nova_properties"] = props
    return dict(props)


def project_users(store: Store) -> dict[str, list[str]]:
    """User ids by default project (for realistic ``user_id`` on seeded servers)."""
    out: dict[str, list[str]] = {}
    for user in store.table("users").values():
        pid = user.get("default_project_id")
        if pid:
            out.setdefault(pid, []).append(user["id"])
    return out


def check_quota(store: Store, project_id: str, *, instances: int, cores: int,
                ram: int) -> None:
    """Raise Nova's 403 when the project's compute quotas would be exceeded."""
    from ...http import ApiError
    from . import quota as compute_quota

    usage_of = getattr(compute_quota, "usage_of", None)
    limits_of = getattr(compute_quota, "limits_of", None)
    if usage_of is None or limits_of is None:
        return
    used = usage_of(store).get(project_id, {})
    limits = limits_of(store, project_id)
    for resource, wanted in (("instances", instances), ("cores", cores), ("ram", ram)):
        limit = limits.get(resource, -1)
        have = int(used.get(resource, 0))
        if limit >= 0 and have + wanted > limit:
            raise ApiError(403, f"Quota exceeded for {resource}: Requested {wanted}, but "
                                f"already used {have} of {limit} {resource}")
