"""Declared fields: what a resource's records hold, and how a request body is checked.

A :class:`Field` says a key's JSON type, whether a caller must, may or must not send it,
its default, bounds and choices, and who sees it. :func:`check_body` reads a create or
update body against a collection's fields and raises the service's own 400 (its wording
comes from the collection's :class:`~.dialect.Dialect`), so one declaration is both the
validation and the error text.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

__all__ = ["MISSING", "TYPES", "Field", "check_body", "coerce", "default_of"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()
"""No default: the key is absent from a record made without it."""

TYPES = ("str", "int", "float", "bool", "dict", "list", "any", "uuid", "ip", "cidr")
"""The JSON types a field may declare (``uuid``, ``ip`` and ``cidr`` are checked texts)."""

_TRUE = frozenset({"true", "1", "t", "yes", "y", "on"})
_FALSE = frozenset({"false", "0", "f", "no", "n", "off"})


@dataclass(frozen=True)
class Field:
    """One key of a resource.

    ``read_only`` keys are set by the service (a body that sends one gets the dialect's
    answer: refused or ignored); ``create_only`` ones are accepted on create and refused on
    update; ``admin_only`` ones are shown to admins only. ``filter`` names how a list query
    parameter of the same name selects on it (see :mod:`.query`); ``sort`` whether it is a
    sort key. ``default`` is a value or a function of nothing (called per record).
    """

    type: str = "str"
    required: bool = False
    read_only: bool = False
    create_only: bool = False
    nullable: bool = False
    default: Any = MISSING
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[Any, ...] | None = None
    items: str | None = None
    """The type of a list's items or a dict's values (checked like a field's)."""
    item_max_length: int | None = None
    """The longest text a list's item may be."""
    admin_only: bool = False
    filter: str | None = None
    sort: bool = False
    lenient: bool = False
    """Texts are converted (``"3"`` for an int, ``"true"`` for a bool), as Neutron and
    Keystone's query-string-minded validators do; otherwise the JSON type must match."""

    def __post_init__(self) -> None:
        if self.type not in TYPES:
            raise ValueError(f"unknown field type {self.type!r}; one of {TYPES}")


class Words(Protocol):
    """What the checks ask of a :class:`~.dialect.Dialect` (which imports this module):
    its 400s and how it takes read-only keys."""

    @property
    def read_only_refused(self) -> bool: ...
    @property
    def read_only_unknown(self) -> bool: ...
    def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> Exception: ...
    def unknown(self, names: Sequence[str]) -> Exception: ...


def default_of(field: Field) -> Any:
    """The field's default for a new record (``MISSING`` when it has none)."""
    value = field.default
    if callable(value):
        return value()
    if isinstance(value, (dict, list)):
        return type(value)(value)  # never share a mutable default between records
    return value


def coerce(kind: str, value: Any, *, lenient: bool = False) -> Any:
    """``value`` as JSON type ``kind``, or :class:`ValueError` naming what it is not."""
    if kind == "any":
        return value
    if kind == "str":
        if isinstance(value, str):
            return value
        raise ValueError("is not a valid string")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if lenient and isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise ValueError("cannot be converted to boolean")
    if kind in ("int", "float"):
        if isinstance(value, bool):
            raise ValueError(f"is not {'an integer' if kind == 'int' else 'a number'}")
        if kind == "int" and isinstance(value, int):
            return value
        if kind == "float" and isinstance(value, (int, float)):
            return value
        if lenient and isinstance(value, (str, float, int)):
            try:
                return int(value) if kind == "int" else float(value)
            except ValueError:
                pass
        raise ValueError(f"is not {'an integer' if kind == 'int' else 'a number'}")
    if kind == "dict":
        if isinstance(value, dict):
            return value
        raise ValueError("is not a dictionary")
    if kind == "list":
        if isinstance(value, list):
            return value
        raise ValueError("is not a list")
    if kind == "uuid":
        try:
            return str(uuid.UUID(str(value))) if isinstance(value, str) else _no()
        except ValueError:
            raise ValueError("is not a valid UUID") from None
    if kind == "ip":
        try:
            return str(ipaddress.ip_address(value))
        except (TypeError, ValueError):
            raise ValueError("is not a valid IP address") from None
    try:  # cidr
        return str(ipaddress.ip_network(value, strict=False))
    except (TypeError, ValueError):
        raise ValueError("is not a valid IP subnet") from None


def _no() -> Any:
    raise ValueError


def _check(dialect: Words, name: str, field: Field, value: Any) -> Any:
    """``value`` checked and converted; each 400 also hears the ``field`` (and the failing
    ``item`` of a list), so a dialect can word it as its service does."""
    if value is None:
        if field.nullable:
            return None
        raise dialect.invalid(name, value, "null", field=field)
    try:
        value = coerce(field.type, value, lenient=field.lenient)
    except ValueError as exc:
        raise dialect.invalid(name, value, "type", detail=str(exc), field=field,
                              expected=field.type) from None
    if field.items and field.type == "list":
        items = []
        for item in value:
            try:
                items.append(coerce(field.items, item, lenient=field.lenient))
            except ValueError as exc:
                raise dialect.invalid(name, value, "type", detail=str(exc), field=field,
                                      item=item, expected=field.items) from None
            if field.item_max_length is not None and isinstance(item, str) and \
                    len(item) > field.item_max_length:
                raise dialect.invalid(name, value, "max_length", field=field, item=item,
                                      limit=field.item_max_length)
        value = items
    elif field.items and field.type == "dict":
        try:
            value = {k: coerce(field.items, v, lenient=field.lenient) for k, v in value.items()}
        except ValueError as exc:
            raise dialect.invalid(name, value, "type", detail=str(exc), field=field,
                                  expected=field.items) from None
    if field.max_length is not None and isinstance(value, str) and \
            len(value) > field.max_length:
        raise dialect.invalid(name, value, "max_length", limit=field.max_length, field=field)
    if field.minimum is not None and isinstance(value, (int, float)) and \
            value < field.minimum:
        raise dialect.invalid(name, value, "minimum", limit=field.minimum,
                              low=field.minimum, high=field.maximum, field=field)
    if field.maximum is not None and isinstance(value, (int, float)) and \
            value > field.maximum:
        raise dialect.invalid(name, value, "maximum", limit=field.maximum,
                              low=field.minimum, high=field.maximum, field=field)
    if field.choices is not None and value not in field.choices:
        raise dialect.invalid(name, value, "choices", choices=field.choices, field=field)
    return value


def check_body(dialect: Words, fields: Mapping[str, Field], body: Mapping[str, Any], *,
               create: bool, extra: Callable[[str], bool] | None = None) -> dict[str, Any]:
    """The checked and converted attributes of a create (``create=True``) or update body.

    Unknown keys (those not in ``fields`` and not accepted by ``extra``, for free-form
    properties; read-only ones too where the dialect says so) are refused, then read-only and (on update) create-only keys are refused
    or dropped as the dialect says, then each value is checked; on create every required
    field must be present. Errors are the dialect's 400s, the first one found.
    """
    def settable(f: Field | None) -> bool:
        return f is not None and not (dialect.read_only_unknown and (
            f.read_only or (f.create_only and not create)))

    unknown = sorted(k for k in body
                     if not settable(fields.get(k)) and not (extra and extra(k)))
    if unknown:
        raise dialect.unknown(unknown)
    out: dict[str, Any] = {}
    for name, value in body.items():
        field = fields.get(name)
        if field is None:
            out[name] = value
            continue
        if field.read_only or (field.create_only and not create):
            if dialect.read_only_refused:
                raise dialect.invalid(name, value, "read_only", field=field)
            continue
        out[name] = _check(dialect, name, field, value)
    if create:
        for name, field in fields.items():
            if field.required and name not in out:
                raise dialect.invalid(name, None, "required", field=field)
    return out
