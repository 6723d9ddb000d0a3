"""Value conversion for props: strict towards the server, lenient from it.

A request must never carry a value the API would misread, so :func:`to_wire` refuses
what it cannot convert exactly. A response must never break a listing because one cloud
sends ``"8"`` where another sends ``8``, so :func:`from_wire` converts what it can and
keeps anything else as sent.
"""

from __future__ import annotations

import datetime as _dt
import re
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Conversion", "ConversionError", "conversion_for", "parse_datetime"]

_TRUE = frozenset({"true", "t", "yes", "y", "on", "1"})
_FALSE = frozenset({"false", "f", "no", "n", "off", "0"})
_FRACTION = re.compile(r"\.(\d+)")


class ConversionError(ValueError):
    """A value that cannot be converted to the declared type (strict direction)."""


@dataclass(frozen=True)
class Conversion:
    """How one prop's values are converted: a base type and, for lists, an item type."""

    kind: type | None = None
    item: Conversion | None = None

    def from_wire(self, value: Any) -> Any:
        """Convert a server value if it is unambiguous; otherwise return it unchanged."""
        kind = self.kind
        if value is None or kind is None:
            return value
        try:
            if kind is bool:
                if isinstance(value, bool):
                    return value
                if isinstance(value, str) and value.lower() in _TRUE | _FALSE:
                    return value.lower() in _TRUE
                return value
            if kind is int:
                if isinstance(value, int) and not isinstance(value, bool):
                    return value
                if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
                    return int(value)
                if isinstance(value, float) and value.is_integer():
                    return int(value)
                return value
            if kind is float:
                if isinstance(value, (int, float)) and not isinstance(value, bool):
                    return float(value)
                if isinstance(value, str):
                    return float(value)
                return value
            if kind is _dt.datetime:
                if isinstance(value, str):
                    return parse_datetime(value)
                return value
            if kind is list:
                if isinstance(value, list) and self.item is not None:
                    return [self.item.from_wire(v) for v in value]
                return value
            if _is_resource(kind) and isinstance(value, Mapping):
                return kind._from_body(dict(value))  # type: ignore[attr-defined]
        except (ValueError, OverflowError):
            return value
        return value

    def to_wire(self, value: Any) -> Any:
        """Convert a caller's value to what the API expects, or raise ConversionError."""
        kind = self.kind
        if value is None or kind is None:
            return value
        if kind is bool:
            if isinstance(value, bool):
                return value
            if isinstance(value, int) and value in (0, 1):
                return bool(value)
            if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
                return value.strip().lower() in _TRUE
            raise ConversionError("expected a boolean")
        if kind is int:
            if isinstance(value, bool):
                raise ConversionError("expected an integer, not a boolean")
            if isinstance(value, int):
                return value
            if isinstance(value, float) and value.is_integer():
                return int(value)
            if isinstance(value, str):
                try:
                    return int(value.strip())
                except ValueError:
                    pass
            raise ConversionError("expected an integer")
        if kind is float:
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return float(value)
            if isinstance(value, str):
                try:
                    return float(value.strip())
                except ValueError:
                    pass
            raise ConversionError("expected a number")
        if kind is str:
            if isinstance(value, str):
                return value
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return str(value)
            raise ConversionError("expected a string")
        if kind is _dt.datetime:
            when = value
            if isinstance(value, str):
                when = parse_datetime(value)
                if not isinstance(when, _dt.datetime):
                    raise ConversionError("expected an ISO-8601 date and time")
            if not isinstance(when, _dt.datetime):
                raise ConversionError("expected a datetime or an ISO-8601 string")
            if when.tzinfo is None:
                when = when.replace(tzinfo=_dt.timezone.utc)
            return when.isoformat()
        if kind is list:
            if isinstance(value, (list, tuple)):
                if self.item is not None:
                    return [self.item.to_wire(v) for v in value]
                return list(value)
            raise ConversionError("expected a list")
        if kind is dict:
            if isinstance(value, Mapping):
                return dict(value)
            raise ConversionError("expected a mapping")
        if _is_resource(kind):
            if isinstance(value, kind):
                return value._wire_body()  # type: ignore[attr-defined]
            if isinstance(value, Mapping):
                try:
                    return kind(**value)._wire_body()
                except (TypeError, ValueError) as exc:
                    raise ConversionError(str(exc)) from None
            raise ConversionError(f"expected a {kind.__name__} or a mapping")
        if isinstance(value, kind):
            return value
        raise ConversionError(f"expected {kind.__name__}")


def parse_datetime(text: str) -> _dt.datetime | str:
    """Parse ISO-8601 as the services write it; naive times are UTC. Unparseable: as is."""
    raw = text.strip()
    if not raw:
        return text
    norm = raw[:-1] + "+00:00" if raw[-1] in "Zz" else raw
    # Python 3.10 accepts only 3 or 6 fractional digits.
    norm = _FRACTION.sub(lambda m: "." + (m.group(1) + "000000")[:6], norm, count=1)
    try:
        when = _dt.datetime.fromisoformat(norm)
    except ValueError:
        return text
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    return when


def _is_resource(kind: type) -> bool:
    return isinstance(kind, type) and hasattr(kind, "_from_body")


_CACHE: dict[Any, Conversion] = {}


def conversion_for(annotation: Any) -> Conversion:
    """The conversion for a type or annotation: ``int``, ``str | None``, ``list[Foo]``…"""
    try:
        return _CACHE[annotation]
    except (KeyError, TypeError):
        pass
    conv = _build(annotation)
    try:
        _CACHE[annotation] = conv
    except TypeError:
        pass
    return conv


def _build(annotation: Any) -> Conversion:
    if annotation is None or annotation is Any:
        return Conversion()
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _build(args[0]) if len(args) == 1 else Conversion()
    if origin in (list, tuple, set, frozenset) or annotation in (list, tuple):
        params = typing.get_args(annotation)
        item = _build(params[0]) if params else None
        return Conversion(list, item if item is not None and item.kind else None)
    if origin in (dict, Mapping) or annotation in (dict, Mapping):
        return Conversion(dict)
    if isinstance(annotation, type) and annotation in (bool, int, float, str, _dt.datetime):
        return Conversion(annotation)
    if isinstance(annotation, type):
        return Conversion(annotation)
    return Conversion()
