"""How Neutron words its errors and pages its lists: the engine's defaults, plus its own
404 texts, ``rule:… is disallowed by policy`` 403s, no page-size cap, read-only keys
refused as unrecognized, and its validators' words for a body's values."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from ...engine import Dialect, coerce
from ...http import ApiError

__all__ = ["NEUTRON", "NeutronDialect"]

_MISSING: dict[str, tuple[str, str]] = {
    "router": ("RouterNotFound", "Router {id} could not be found"),
    "floatingip": ("FloatingIPNotFound", "Floating IP {id} could not be found"),
    "security_group": ("SecurityGroupNotFound", "Security group {id} does not exist"),
    "security_group_rule": ("SecurityGroupRuleNotFound",
                            "Security group rule {id} does not exist"),
    "agent": ("AgentNotFound", "Agent {id} could not be found"),
    "policy": ("QosPolicyNotFound", "QoS policy {id} could not be found."),
    "subnetpool": ("SubnetPoolNotFound", "Subnet pool {id} could not be found."),
}
"""The 404s whose words are not the engine's ``<Singular> <id> could not be found.``."""


@dataclass(frozen=True)
class NeutronDialect(Dialect):
    """Neutron's words where the engine's defaults are not them."""

    max_limit: int = sys.maxsize
    read_only_unknown: bool = True

    def not_found(self, singular: str, ident: str) -> ApiError:
        if singular in _MISSING:
            type_, text = _MISSING[singular]
            return ApiError(404, text.format(id=ident), type=type_)
        return super().not_found(singular, ident)

    def bad_marker(self, singular: str, marker: str) -> ApiError:
        return self.not_found(singular, marker)

    def forbidden(self, action: str) -> ApiError:
        return ApiError(403, f"rule:{action} is disallowed by policy",
                        type="PolicyNotAuthorized")

    def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
        """Neutron's validators' words: a list's failing item is named, a range by both
        bounds, and a null where none is allowed is the type's (or choices') error."""
        value = facts.get("item", value)
        field = facts.get("field")
        if reason == "null" and field is not None:
            try:
                coerce(field.type, None)
            except ValueError as exc:
                reason, facts = "type", {**facts, "detail": str(exc)}
            else:
                if field.choices is not None:
                    reason, facts = "choices", {**facts, "choices": field.choices}
        if reason in ("minimum", "maximum"):
            return self.bad(f"Invalid input for {name}. Reason: '{value}' is not in range "
                            f"{facts.get('low')} through {facts.get('high')}.")
        return super().invalid(name, value, reason, **facts)


NEUTRON = NeutronDialect()
