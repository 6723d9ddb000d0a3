"""Network logging: which packets of a security group (or a port under it, or a firewall
group) to log (Neutron ``/log/logs`` and ``/log/loggable-resources``; admin only).

A log names a loggable ``resource_type``; its ``resource_id`` and ``target_id`` must
exist, and a port target must be under the resource logged. Only ``name``,
``description`` and ``enabled`` change after creation.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field
from ...http import json_response
from ...store import Record, Store
from ._common import RO, admin_ctx, bad
from ._plugin import NAME, OWNER, TRUE, PluginCollection, missing

__all__ = ["LOGGABLE", "LOGS", "routes", "seed"]

LOGGABLE = ("security_group", "firewall_group")
"""The resource types this cloud's logging drivers log."""
_TABLES = {"security_group": ("security_groups", "SecurityGroupNotFound",
                              "Security group {} does not exist"),
           "firewall_group": ("firewall_groups", "FirewallGroupNotFound",
                              "Firewall group {} could not be found.")}


class Logs(PluginCollection):
    """Logs of security groups and firewall groups."""

    stamped = True
    stamped_on_create = True

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        if not create:
            return
        kind = record["resource_type"]
        if kind not in LOGGABLE:
            raise bad(f"Invalid input for operation: Resource type {kind} is not "
                      "loggable.", type="InvalidLogResourceType")
        table, type_, text = _TABLES[kind]
        resource = None
        if record.get("resource_id") is not None:
            resource = ctx.store.table(table).get(record["resource_id"])
            if resource is None:
                raise missing(type_, text.format(record["resource_id"]))
        target = record.get("target_id")
        if target is not None:
            port = ctx.store.table("ports").get(target)
            if port is None:
                raise missing("PortNotFound", f"Port {target} could not be found.")
            if kind == "security_group" and resource is not None and \
                    resource["id"] not in port.get("security_groups", []):
                raise bad(f"Target resource {target} is not bound to security group "
                          f"{resource['id']}.", type="InvalidResourceConstraint")
            if kind == "firewall_group" and resource is not None and \
                    target not in resource.get("ports", []):
                raise bad(f"Target resource {target} is not bound to firewall group "
                          f"{resource['id']}.", type="InvalidResourceConstraint")


_ONCE_NULL = Field(type="uuid", nullable=True, create_only=True, default=None)
LOGS = Logs("log", "logs", visibility="admin", write="admin", fields={
    "id": RO, **OWNER, "name": NAME, "description": NAME, "created_at": RO,
    "updated_at": RO, "revision_number": RO, "enabled": TRUE,
    "resource_type": Field(required=True, create_only=True, max_length=36),
    "resource_id": _ONCE_NULL, "target_id": _ONCE_NULL,
    "event": Field(choices=("ALL", "ACCEPT", "DROP"), default="ALL", create_only=True)})


async def loggable_resources(request: Request) -> Response:
    admin_ctx(request, "get_loggable_resource")
    return json_response({"loggable_resources": [{"type": t} for t in LOGGABLE]})


def seed(store: Store, project_id: str) -> None:
    """The log a security audit leaves on: dropped packets of the admin project's default
    security group."""
    group = next((g for g in store.table("security_groups").values()
                  if g["project_id"] == project_id and g["name"] == "default"), None)
    if group is None:
        return
    LOGS.seeded(store, project_id, "log:default-sg", name="default-sg-drops",
                description="Dropped packets, kept for audit", resource_type="security_group",
                resource_id=group["id"], event="DROP")


def routes() -> list[BaseRoute]:
    return [*LOGS.routes("/v2.0/log"),
            Route("/v2.0/log/loggable-resources", loggable_resources, methods=["GET"])]
