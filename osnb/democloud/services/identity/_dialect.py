"""How Keystone words its errors and pages its lists.

Keystone's 400s come from its JSON schemas (``Invalid input for field 'name': 3 is not of
type 'string'.``), its 403s name the policy rule (``identity:list_projects``), its 404s
the kind of object. Only ``/v3/projects`` and ``/v3/users`` are paged (``limit``,
``marker``, ``links.next`` and ``truncated``; projects truncate on every full page, users
only when something is left); every other list is the whole table in its own order.
Keystone reads no sort keys and no ``fields``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ...engine import Dialect
from ...http import ApiError

__all__ = ["KEYSTONE", "PAGED_PROJECTS", "PAGED_USERS", "KeystoneDialect"]

_JSON_TYPES = {"str": "string", "bool": "boolean", "dict": "object", "list": "array",
               "int": "integer", "float": "number"}
_NOT_READ = frozenset({"sort", "sort_key", "sort_dir", "page_reverse", "fields"})


@dataclass(frozen=True)
class KeystoneDialect(Dialect):
    """Keystone's words; ``subject`` is the body's envelope key (``project``), which its
    missing-attribute 400 names."""

    subject: str = ""
    secret_fields: frozenset[str] = frozenset({"password", "original_password", "secret"})
    """Fields whose value a 400 never repeats (it would land in logs)."""

    def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
        field = facts["field"]
        if reason == "required":
            return self.bad(f"Invalid input for field '{self.subject}': '{name}' is a "
                            "required property.")
        shown = "The value" if name in self.secret_fields else repr(value)
        if reason == "choices":
            pattern = "^(?:" + "|".join(sorted(facts["choices"])) + ")$"
            return self.bad(f"Invalid input for field '{name}': {shown} does not match "
                            f"'{pattern}'.")
        if reason not in ("type", "null"):
            return super().invalid(name, value, reason, **facts)
        kinds = _JSON_TYPES.get(field.type, field.type) + (" or null" if field.nullable
                                                           else "")
        return self.bad(f"Invalid input for field '{name}': {shown} is not of type "
                        f"'{kinds}'.")

    def body_missing(self, singular: str) -> ApiError:
        return self.bad(f"Invalid input for field '{singular}': a JSON object named "
                        f"'{singular}' is required.")

    def not_found(self, singular: str, ident: str) -> ApiError:
        return ApiError(404, f"Could not find {singular.replace('_', ' ')}: {ident}.")

    def forbidden(self, action: str) -> ApiError:
        return ApiError(403, "You are not authorized to perform the requested action: "
                             f"identity:{action}.")

    def conflict(self, singular: str, detail: str) -> ApiError:
        return ApiError(409, f"Conflict occurred attempting to store {singular} - {detail}.")

    def bad_limit(self, raw: str) -> ApiError:
        # Keystone 30 answers 500 for a word and slices oddly for a negative number.
        return self.bad(f"Invalid value {raw!r} for parameter limit: must be an integer "
                        ">= 0.")

    def negative_limit(self, raw: str) -> ApiError:
        return self.bad_limit(raw)

    def bad_marker(self, singular: str, marker: str) -> ApiError:
        return ApiError(404, f"Marker {marker} could not be found.")


KEYSTONE = KeystoneDialect(
    style="keystone", pagination="keystone", id_style="hex", read_only_refused=False,
    unknown_filters_refused=False, max_limit=2**31,
    ignored_params=_NOT_READ | {"limit", "marker"})
"""The unpaged lists: the table's order, ``links.next`` always null."""
PAGED_USERS = dataclasses.replace(KEYSTONE, sort_when_paging_only=False,
                                  ignored_params=_NOT_READ)
"""``/v3/users``: by id, ``truncated`` when records are left."""
PAGED_PROJECTS = dataclasses.replace(PAGED_USERS, next_when_full=True)
"""``/v3/projects``: by id, ``truncated`` on every full page."""
