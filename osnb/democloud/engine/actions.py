"""Declared actions: what ``POST …/{id}/action`` does, one declaration per body key.

A resource's actions (Cinder's ``{"os-extend": {"new_size": 3}}``, Nova's
``{"pause": null}``) each say the microversions that have them, who may ask, the states
they start from and the service's own refusal otherwise, their argument's fields (the
validation and the service's 400 from the same declaration, as a create's) and the
status they answer; a handler holds only the action's real behaviour::

    EXTEND = Action("os-extend", extend, fields={"new_size": Field(type="int")},
                    states=("available",), refused="Invalid volume: Volume {id} status "
                    "must be available, but current status is: {status}.")
    VOLUME_ACTIONS = Actions(CINDER, VOLUMES.get, [EXTEND, ...])
    Route("/volumes/{id}/action", VOLUME_ACTIONS.endpoint, methods=["POST"])

:meth:`Actions.endpoint` reads the body, finds the record (the service's 404), picks the
action by the body's one key (the dialect's "no such action", also outside the action's
microversions), then checks, in this order, the argument
(:meth:`~.dialect.Dialect.action_arg`; Nova's and Cinder's schema decorators run before
the method's policy check), the policy (:attr:`Action.rule`), the service's own guard (a
lock, a maintenance state) and the states, calls the handler and answers its response,
or nothing with :attr:`Action.status`.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..http import ApiError, json_body, json_response
from ..store import Record
from .collection import Ctx
from .dialect import Dialect
from .fields import Field

__all__ = ["Action", "ActionHandler", "Actions"]

ActionHandler = Callable[[Any, Any, Any], "Awaitable[Response | None] | Response | None"]
"""``handler(ctx, record, arg)``: the action's behaviour (``arg``: the checked argument);
a response, or None for the action's :attr:`~Action.status` with no body."""


@dataclass(frozen=True)
class Action:
    """One action of a resource: the body's key and everything checked before its
    handler runs."""

    name: str
    """The body's one key (``os-extend``, ``pause``)."""
    handler: ActionHandler | None = None
    """The behaviour; None: the declared checks are all it does."""
    fields: Mapping[str, Field] | Callable[[Any], Mapping[str, Field]] | None = None
    """The argument's keys (checked by the dialect's :meth:`~.dialect.Dialect.action_arg`),
    or a function of the request's context that gives them (keys a microversion adds);
    None: the argument is passed as sent."""
    since: tuple[int, int] | None = None
    """The first microversion that has the action (before: the dialect's no such action)."""
    until: tuple[int, int] | None = None
    """The last microversion that has it."""
    rule: str | None = None
    """The policy of an admin-only action: others get the dialect's 403 naming it."""
    states: tuple[str, ...] | None = None
    """The states the record must be in (None: any)."""
    refused: str | None = None
    """The service's message when it is not, formatted with the record's keys, ``status``
    (its state) and ``action`` (default: the dispatcher's :attr:`Actions.refuse`)."""
    conflict: int = 400
    """The status of that refusal (Cinder 400, Nova and Cinder's revert 409)."""
    status: int = 202
    """The documented status of an answer with no body."""
    guarded: bool = True
    """The dispatcher's guard (a lock, a maintenance state) applies."""

    def serves(self, version: tuple[int, int] | None) -> bool:
        """Whether the microversion asked for has the action."""
        return version is None or ((self.since is None or version >= self.since)
                                   and (self.until is None or version <= self.until))


@dataclass
class Actions:
    """The actions of one resource, and the one endpoint that serves them."""

    dialect: Dialect
    find: Callable[[Any, str], Record]
    """The record the path names, as the caller may see it (the collection's ``get``)."""
    actions: Iterable[Action] = ()
    param: str = "id"
    """The path parameter that names the record."""
    since: tuple[int, int] | None = None
    """The route's first microversion (before it: the dialect's 404, see
    :meth:`~.dialect.Dialect.gate`)."""
    context: Callable[[Request], Any] = Ctx.of
    guard: Callable[[Any, Any, Action], None] | None = None
    """A check of the service's own after the argument's, for :attr:`Action.guarded`
    actions (Nova's lock, Cinder's maintenance)."""
    state_of: Callable[[Record], Any] = field(default=lambda record: record["status"])
    refuse: Callable[[Any, Any, Action], ApiError] | None = None
    """The refusal of an action with no :attr:`Action.refused` message (Nova's one
    ``Cannot '<action>' instance … while it is in vm_state …``; it may raise its own)."""
    done: Callable[[Any, Any, Response | None], None] | None = None
    """What every action leaves on its record, given the handler's answer (Cinder stamps
    ``updated_at`` when there is none, Nova every time)."""
    respond: Callable[[Any, Any, int], Response] | None = None
    """The answer with a body and a status (default: plain JSON)."""

    def __post_init__(self) -> None:
        self.by_name: dict[str, Action] = {}
        self.add(*self.actions)

    def add(self, *actions: Action) -> None:
        for action in actions:
            self.by_name[action.name] = action

    def check_state(self, ctx: Any, record: Record, action: Action) -> None:
        if action.states is None:
            return
        status = self.state_of(record)
        if status in action.states:
            return
        if action.refused is None:
            assert self.refuse is not None, f"{action.name}: no refusal declared"
            raise self.refuse(ctx, record, action)
        raise ApiError(action.conflict, action.refused.format_map(
            {**record, "status": status, "action": action.name}))

    async def endpoint(self, request: Request) -> Response:
        """``POST …/{id}/action``: the body's action, checked and done."""
        if self.since is not None:
            self.dialect.gate(request, self.since)
        ctx = self.context(request)
        raw = await json_body(request)
        record = self.find(ctx, request.path_params[self.param])
        name, arg = self.dialect.action_of(raw)
        action = self.by_name.get(name) if isinstance(name, str) else None
        if action is None or not action.serves(self.dialect.version(request)):
            raise self.dialect.no_action(name)
        if action.fields is not None:
            fields = action.fields(ctx) if callable(action.fields) else action.fields
            arg = self.dialect.action_arg(action.name, arg, fields)
        if action.rule is not None and not ctx.token.is_admin:
            raise self.dialect.forbidden(action.rule)
        if action.guarded and self.guard is not None:
            self.guard(ctx, record, action)
        self.check_state(ctx, record, action)
        answer = action.handler(ctx, record, arg) if action.handler else None
        if inspect.isawaitable(answer):
            answer = await answer
        if self.done is not None:
            self.done(ctx, record, answer)
        if answer is not None:
            return answer
        if self.respond is not None:
            return self.respond(ctx, None, action.status)
        return json_response(None, action.status)
