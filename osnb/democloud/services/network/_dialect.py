"""How Neutron words its errors and pages its lists: the engine's defaults, plus its own
404 texts, ``rule:… is disallowed by policy`` 403s, no page-size cap, read-only keys
refused as unrecognized and ranges named by both bounds."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from ...engine import Dialect
from ...http import ApiError

__all__ = ["NEUTRON", "NeutronDialect"]

_MISSING: dict[str, tuple[str, str]] = {
    "router": ("RouterNotFound", "Router {id} could not be found"),
    "floatingip": ("FloatingIPNotFound", "Floating IP {id} could not be found"),
    "security_group": ("SecurityGroupNotFound", "Security group {id} does not exist"),
    "security_group_rule": ("SecurityGroupRuleNotFound",
                            "Security group rule {id} does not exist"),
    "agent": ("AgentNotFound", "Agent {id} could not be found"),
}
"""The 404s whose words are not the engine's ``<Singular> <id> could not be found.``."""


@dataclass(frozen=True)
class NeutronDialect(Dialect):
    """Neutron's words where the engine's defaults are not them."""

    max_limit: int = sys.maxsize

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
        if reason == "read_only":  # a key a request may not send is one it does not know
            return self.unknown([name])
        if reason in ("minimum", "maximum"):
            return self.bad(f"Invalid input for {name}. Reason: '{value}' is not in range "
                            f"{facts.get('low')} through {facts.get('high')}.")
        return super().invalid(name, value, reason, **facts)


NEUTRON = NeutronDialect()
