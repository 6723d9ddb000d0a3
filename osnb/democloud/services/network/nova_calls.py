"""What Nova asks of Neutron for a server's ports, as Nova's Neutron client code does it.

``server.security_group``: Nova's ``addSecurityGroup``/``removeSecurityGroup`` find the
group by id or by name in the caller's project, then change every port of the server
(``nova.network.security_group_api.add_to_instance``/``remove_from_instance``). The
answer is None when done, else what went wrong, for Nova to word:
``not_found``, ``many`` (a name more than one group of the project has), ``no_ports``,
``cannot_apply`` (a port without port security or an address), ``not_associated``.
"""

from __future__ import annotations

from ...store import Store
from .model import ports_of_device, servers_changed, stamp

__all__ = ["server_security_group"]


def server_security_group(store: Store, server_id: str, project_id: str, group: str,
                          add: bool) -> str | None:
    groups = store.table("security_groups")
    if group in groups:
        group_id = group
    else:
        named = [g["id"] for g in groups.values()
                 if g["name"] == group and g.get("project_id") == project_id]
        if len(named) != 1:
            return "many" if named else "not_found"
        group_id = named[0]
    ports = ports_of_device(store, server_id)
    if not ports:
        return "no_ports"
    if add:
        if any(not p.get("port_security_enabled", True) or not p["fixed_ips"] for p in ports):
            return "cannot_apply"
        for port in ports:
            port["security_groups"] = [*port["security_groups"], group_id]
            stamp(port)
    else:
        holding = [p for p in ports if group_id in p["security_groups"]]
        if not holding:
            return "not_associated"
        for port in holding:
            kept = list(port["security_groups"])
            kept.remove(group_id)
            port["security_groups"] = kept
            stamp(port)
    servers_changed(store, *ports)
    return None
