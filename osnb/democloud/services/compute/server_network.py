"""A server's security groups changed through Nova (``addSecurityGroup`` and
``removeSecurityGroup``): Nova finds the group and changes every port of the server in
Neutron, which here answers on the store's ``server.security_group`` topic."""

from __future__ import annotations

from typing import Any

from ...engine import Action, ActionHandler, Field
from ...http import ApiError
from ...world import SERVER_SECURITY_GROUP
from ._dialect import NOVA, Ctx
from .common import Server
from .servers import SERVER_ACTIONS

__all__: list[str] = []

_NAME = {"name": Field(type="str", required=True)}
# What Neutron found wrong (``server.security_group``'s answer) -> Nova's answer.
_REFUSALS = {
    "not_found": (404, "Security group {name} is not found for project {project}"),
    "many": (409, "Multiple security_group matches found for name '{name}', use an ID to "
                  "be more specific."),
    "no_ports": (404, "instance_id {server} could not be found as device id on any ports"),
    "cannot_apply": (400, "Network requires port_security_enabled and subnet associated in "
                          "order to apply security groups."),
    "not_associated": (404, "Security group {name} not associated with the instance "
                            "{server}"),
}


def _group(ctx: Ctx, server: Server, action: str, arg: Any, add: bool) -> None:
    name = NOVA.member({action: arg}, action, _NAME, path=True)["name"]
    if not name:
        raise NOVA.schema(f"{action}/name", name, "'' is too short")
    if not name.strip():
        raise NOVA.bad("Security group name cannot be empty")
    project = ctx.token.project_id or ""
    wrong = ctx.store.ask(SERVER_SECURITY_GROUP, server_id=server["id"], project_id=project,
                          group=name, add=add)
    if wrong in _REFUSALS:
        status, words = _REFUSALS[wrong]
        raise ApiError(status, words.format(name=name, project=project, server=server["id"]))


def _handler(action: str, add: bool) -> ActionHandler:
    def handler(ctx: Ctx, server: Server, arg: Any) -> None:
        _group(ctx, server, action, arg, add=add)
    return handler


SERVER_ACTIONS.add(*(Action(name, _handler(name, add), guarded=False) for name, add in (
    ("addSecurityGroup", True), ("removeSecurityGroup", False))))
