"""Raw records → pandas DataFrame, column by column (the fast path).

A listing keeps the JSON records the server sent. Building a DataFrame from them never
creates a Resource per row nor a dict per object: each declared prop becomes one column
pulled straight from the records, then converted in one vectorised step per column.
Columns are the PEP-8 prop names in declaration order, indexed by ``id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .sdk._types import Conversion
from .sdk.resource import SECRET_MASK, Resource, _Prop

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["CATEGORICAL_SUFFIXES", "frame_columns", "records_to_frame"]

CATEGORICAL_SUFFIXES = ("status", "state", "visibility", "device_owner", "interface",
                        "binary", "zone_state", "power_state")
"""Prop names ending so hold a few repeated values: categorical columns."""



def frame_columns(resource_type: type[Resource]) -> list[str]:
    """The columns a frame of ``resource_type`` has, in declaration order (``id`` is the
    index)."""
    return [name for name, p in resource_type._props.items() if name != "id"]


def records_to_frame(resource_type: type[Resource], records: Sequence[dict[str, Any]],
                     *, columns: Sequence[str] | None = None, flatten: bool = False,
                     uri: dict[str, Any] | None = None) -> pd.DataFrame:
    """A DataFrame of ``records`` (raw server bodies) of ``resource_type``.

    ``columns`` picks and orders PEP-8 names; ``flatten`` expands dict-valued columns into
    ``flavor.vcpus``-style columns. Values the declared type does not fit are kept as
    sent (the column then has dtype object); in a datetime column an empty string, which
    some services send for "never", becomes ``NaT``.
    """
    import numpy as np
    import pandas as pd

    props = resource_type._props
    wanted = list(columns) if columns is not None else frame_columns(resource_type)
    unknown = [c for c in wanted if c not in props]
    if unknown:
        known = ", ".join(frame_columns(resource_type))
        raise KeyError(f"{resource_type.__name__} has no column(s) {', '.join(unknown)}; "
                       f"known: {known}")
    id_key = "id"
    if resource_type._id_prop is not None and not any("id" in r for r in records[:1]):
        id_key = resource_type._id_prop.server_key
    records = [r if isinstance(r, dict) else {} for r in records]
    keys = list(dict.fromkeys([id_key] + [k for n in wanted if not props[n].in_uri
                                          for k in (props[n].server_key, props[n].alias)
                                          if k]))
    # One C-level pass pulls every wanted key out of every record, untouched (object).
    raw = pd.DataFrame(records, columns=keys, dtype=object) if records else None
    data: dict[str, Any] = {}
    for name in wanted:
        p = props[name]
        if p.in_uri or raw is None:
            value = (uri or {}).get(name) if p.in_uri else None
            column = np.empty(len(records), dtype=object)
            column[:] = [value] * len(records)
        else:
            column = raw[p.server_key].to_numpy(dtype=object, copy=True)
            if p.alias is not None:
                absent = np.array([p.server_key not in r for r in records], dtype=bool)
                column[absent] = raw[p.alias].to_numpy(dtype=object)[absent]
        data[name] = _column(p, column)
    ids = raw[id_key].to_numpy(dtype=object) if raw is not None else []
    index = pd.Index(ids, name="id", dtype=object)
    frame = pd.DataFrame(data, index=index, columns=wanted)
    if flatten:
        frame = _flatten(frame, resource_type)
    return frame


def _column(p: _Prop, values: Any) -> Any:
    """One column (an object ndarray) with the best dtype its values allow."""
    import pandas as pd
    from pandas.api.types import infer_dtype

    if p.secret:
        return pd.array([None if v is None else SECRET_MASK for v in values], dtype=object)
    conv: Conversion = p.conversion
    kind = conv.kind
    inferred = infer_dtype(values, skipna=True)
    if kind is bool and inferred in ("boolean", "empty"):
        return pd.array(values, dtype="boolean")
    if kind is int and inferred in ("integer", "empty"):
        return pd.array(values, dtype="Int64")
    if kind is float and inferred in ("integer", "floating", "mixed-integer-float", "empty"):
        return pd.array(values, dtype="Float64")
    if kind is not None and getattr(kind, "__name__", "") == "datetime":
        if inferred in ("string", "empty"):
            try:
                return pd.to_datetime(pd.Series(values, dtype=object), utc=True,
                                      format="ISO8601").array
            except (ValueError, TypeError, OverflowError):
                pass
        return pd.array(values, dtype=object)
    if kind is str and inferred == "string" and p.name.endswith(CATEGORICAL_SUFFIXES):
        return pd.Categorical(values)
    if kind in (int, float, bool):
        # Declared numeric but sent otherwise somewhere: convert what converts, keep the rest.
        return pd.array([conv.from_wire(v) for v in values], dtype=object)
    return pd.array(values, dtype=object)


def _flatten(frame: pd.DataFrame, resource_type: type[Resource]) -> pd.DataFrame:
    """Expand dict columns one level into ``name.key`` columns, keeping column order."""
    import pandas as pd

    parts: list[pd.DataFrame | pd.Series] = []
    for name in frame.columns:
        column = frame[name]
        if column.dtype == object and column.map(lambda v: isinstance(v, dict)).any():
            nested_type = resource_type._props[name].conversion.kind
            rename = _nested_names(nested_type)
            keys: list[str] = []
            for value in column:
                if isinstance(value, dict):
                    for key in value:
                        if key not in keys:
                            keys.append(key)
            expanded = pd.DataFrame(
                {f"{name}.{rename.get(k, k)}": [v.get(k) if isinstance(v, dict) else None
                                                for v in column] for k in keys},
                index=frame.index)
            parts.append(expanded)
        else:
            parts.append(column)
    return pd.concat(parts, axis=1) if parts else frame


def _nested_names(kind: Any) -> dict[str, str]:
    if isinstance(kind, type) and issubclass(kind, Resource):
        return {p.server_key: name for name, p in kind._props.items() if not p.in_uri}
    return {}
