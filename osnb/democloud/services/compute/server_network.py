"""A server's security groups changed through Nova (``addSecurityGroup`` and
``removeSecurityGroup``): Nova finds the group and changes every port of the server in
Neutron, which here answers on the store's ``server.security_group`` topic."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from ...engine import Field
from ...http import ApiError
from ...world import SERVER_SECURITY_GROUP
from ._dialect import NOVA, Ctx
from .common import Server
from .servers import ACTIONS

__all__ = ["add_security_group", "remove_security_group"]

_NAME = {"name": Field(type="str", required=True)}


def _group(ctx: Ctx, server: Server, action: str, arg: Any, add: bool) -> None:
    name = NOVA.member({action: arg}, action, _NAME, path=True)["name"]
    if not name:
        raise NOVA.schema(f"{action}/name", name, "'' is too short")
    if not name.strip():
        raise NOVA.bad("Security group name cannot be empty")
    project = ctx.token.project_id or ""
    wrong = ctx.store.ask(SERVER_SECURITY_GROUP, server_id=server["id"], project_id=project,
                          group=name, add=add)
    if wrong == "not_found":
        raise ApiError(404, f"Security group {name} is not found for project {project}")
    if wrong == "many":
        raise ApiError(409, f"Multiple security_group matches found for name '{name}', use "
                            "an ID to be more specific.")
    if wrong == "no_ports":
        raise ApiError(404, f"instance_id {server['id']} could not be found as device id "
                            "on any ports")
    if wrong == "cannot_apply":
        raise NOVA.bad("Network requires port_security_enabled and subnet associated in "
                       "order to apply security groups.")
    if wrong == "not_associated":
        raise ApiError(404, f"Security group {name} not associated with the instance "
                            f"{server['id']}")


def add_security_group(ctx: Ctx, server: Server, arg: Any, rid: str) -> Response | None:
    _group(ctx, server, "addSecurityGroup", arg, add=True)
    return None


def remove_security_group(ctx: Ctx, server: Server, arg: Any, rid: str) -> Response | None:
    _group(ctx, server, "removeSecurityGroup", arg, add=False)
    return None


ACTIONS.update({"addSecurityGroup": add_security_group,
                "removeSecurityGroup": remove_security_group})
