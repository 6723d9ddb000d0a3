"""Tap as a service: mirror a port's traffic to a monitoring port (tap services and their
tap flows) or to a remote collector over GRE/ERSPAN (tap mirrors) (Neutron
``/taas/tap_services``, ``/taas/tap_flows``, ``/taas/tap_mirrors``).

A tap service's port receives the mirrored traffic of its flows' source ports (not its
own port); a flow is made in its service's project (403 ``TapServiceNotBelongToTenant``;
TaaS checks no source port's project: ``taas_plugin.create_tap_flow``, an admin mirrors
any port); a port is the destination of one tap service;
deleting a service deletes its flows. A mirror's tunnel ids are unique per remote IP and
type (409 ``TapMirrorTunnelConflict``). Statuses follow the ports.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from starlette.routing import BaseRoute

from ...engine import Ctx, Field
from ...http import ApiError
from ...store import Record, Store
from ._common import RO, bad, conflict
from ._plugin import NAME, OWNER, PluginCollection, missing

__all__ = ["FLOWS", "MIRRORS", "SERVICES", "routes", "seed"]

_VLANS = re.compile(r"^\d{1,4}(-\d{1,4})?(,\d{1,4}(-\d{1,4})?)*$")


def _port(ctx: Ctx, ident: Any, project_id: str) -> Record:
    port = ctx.store.table("ports").get(str(ident))
    if port is None or not (ctx.admin or port["project_id"] == ctx.token.project_id):
        raise missing("PortNotFound", f"Port {ident} could not be found.")
    if port["project_id"] != project_id:
        raise conflict(f"The specified port {ident} does not belong to the project "
                       f"{project_id}.", "PortDoesNotBelongToTenant")
    return port


def _status(store: Store, port_id: str) -> str:
    port = store.table("ports").get(port_id) or {}
    return "ACTIVE" if port.get("status") == "ACTIVE" else "DOWN"


class Services(PluginCollection):
    def shape(self, ctx: Ctx, record: Record) -> Record:
        return {**record, "status": _status(ctx.store, record["port_id"])}

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        if not create:
            return
        port = _port(ctx, record["port_id"], record["_project_id"])
        for other in self.records(ctx.store).values():
            if other["port_id"] == port["id"]:
                raise conflict(f"Port {port['id']} is already the destination of tap "
                               f"service {other['id']}.", "TapServicePortInUse")

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        flows = FLOWS.records(ctx.store)
        for flow in [f for f in flows.values() if f["tap_service_id"] == record["id"]]:
            del flows[flow["id"]]


class Flows(PluginCollection):
    def shape(self, ctx: Ctx, record: Record) -> Record:
        service = SERVICES.records(ctx.store).get(record["tap_service_id"]) or {}
        up = _status(ctx.store, record["source_port"]) == "ACTIVE" and \
            _status(ctx.store, service.get("port_id", "")) == "ACTIVE"
        return {**record, "status": "ACTIVE" if up else "DOWN"}

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        if not create:
            return
        service = SERVICES.get(ctx, record["tap_service_id"])
        if service["_project_id"] != record["_project_id"]:
            raise ApiError(403, "Specified Tap Service does not belong to the tenant",
                           type="TapServiceNotBelongToTenant")
        port = ctx.store.table("ports").get(str(record["source_port"]))
        if port is None or not (ctx.admin or port["project_id"] == ctx.token.project_id):
            raise missing("PortNotFound", f"Port {record['source_port']} could not be "
                          "found.")
        if port["id"] == service["port_id"]:
            raise bad(f"Port {port['id']} is the tap service's own port: it cannot be "
                      "mirrored to itself.", type="InvalidInput")
        vlans = record.get("vlan_filter")
        if vlans is not None and (not _VLANS.match(vlans) or any(
                not 1 <= int(v) <= 4094 for v in re.split(r"[-,]", vlans))):
            raise bad(f"Invalid input for vlan_filter. Reason: '{vlans}' is not a VLAN "
                      "list such as 9,18,27-36.", type="InvalidVLANFilter")


class Mirrors(PluginCollection):
    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        if not create:
            return
        _port(ctx, record["port_id"], record["_project_id"])
        try:
            ipaddress.ip_address(record["remote_ip"])
        except ValueError:
            raise bad(f"Invalid input for remote_ip. Reason: '{record['remote_ip']}' is "
                      "not a valid IP address.") from None
        directions = record["directions"]
        if not directions or set(directions) - {"IN", "OUT"} or any(
                isinstance(v, bool) or not isinstance(v, int) or v < 0
                for v in directions.values()):
            raise bad(f"Invalid input for directions. Reason: '{directions}' is not a "
                      "mapping of IN and OUT to tunnel ids.")
        for other in self.records(ctx.store).values():
            if (other["remote_ip"], other["mirror_type"]) == \
                    (record["remote_ip"], record["mirror_type"]) and \
                    set(other["directions"].values()) & set(directions.values()):
                raise conflict(f"Tap Mirror with remote_ip {record['remote_ip']} and "
                               f"tunnel ids {sorted(directions.values())} already exists.",
                               "TapMirrorTunnelConflict")


SERVICES = Services("tap_service", "tap_services", project_key="project_id", fields={
    "id": RO, **OWNER, "name": NAME, "description": NAME, "status": RO,
    "port_id": Field(type="uuid", required=True, create_only=True)})
FLOWS = Flows("tap_flow", "tap_flows", project_key="project_id", fields={
    "id": RO, **OWNER, "name": NAME, "description": NAME, "status": RO,
    "tap_service_id": Field(type="uuid", required=True, create_only=True),
    "source_port": Field(type="uuid", required=True, create_only=True),
    "direction": Field(choices=("IN", "OUT", "BOTH"), required=True, create_only=True),
    "vlan_filter": Field(max_length=1024, nullable=True, default=None, create_only=True)})
MIRRORS = Mirrors("tap_mirror", "tap_mirrors", project_key="project_id", fields={
    "id": RO, **OWNER, "name": NAME, "description": NAME,
    "port_id": Field(type="uuid", required=True, create_only=True),
    "directions": Field(type="dict", required=True, create_only=True),
    "remote_ip": Field(required=True, create_only=True),
    "mirror_type": Field(choices=("erspanv1", "gre"), required=True, create_only=True)})


def seed(store: Store) -> None:
    """A project's traffic monitor: an unattached port of the first project with two of
    them receives the other's traffic; the first port is also mirrored to a remote
    collector."""
    free: dict[str, list[Record]] = {}
    for port in store.table("ports").values():
        if port["project_id"] and not port["device_owner"] and not port["device_id"] \
                and "trunk_details" not in port:
            free.setdefault(port["project_id"], []).append(port)
    found = next(((pid, ports) for pid, ports in free.items() if len(ports) >= 2), None)
    if found is None:
        return
    project_id, ports = found
    key = f"taas:{project_id}"
    service = SERVICES.seeded(store, project_id, f"{key}:service", name="ids-monitor",
                              description="Intrusion detection sensor",
                              port_id=ports[-1]["id"])
    FLOWS.seeded(store, project_id, f"{key}:flow", name="mirror-web",
                 tap_service_id=service["id"], source_port=ports[0]["id"], direction="BOTH")
    MIRRORS.seeded(store, project_id, f"{key}:mirror", name="to-collector",
                   description="ERSPAN to the NOC collector", port_id=ports[0]["id"],
                   directions={"IN": 101}, remote_ip="198.51.100.20", mirror_type="erspanv1")


def routes() -> list[BaseRoute]:
    return [route for c in (SERVICES, FLOWS, MIRRORS) for route in c.routes("/v2.0/taas")]
