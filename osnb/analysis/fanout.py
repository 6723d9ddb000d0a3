"""Fan-out: run one function over many connections (clouds, regions, projects) at once.

``fan_out(lambda c: c.compute.servers(), conn.for_projects(projects))`` gives one frame
with ``cloud``, ``region`` and ``project`` columns, and a table of the targets that failed
(nothing is thrown away because some did).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Union

from ._common import analysis_frame, error_text, project_names, run_all

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import RenderableType

    from ..sdk.connection import Connection

__all__ = ["FanOut", "Target", "connections_for_projects", "fan_out"]

Target = Union["Connection", tuple[str, "Connection"]]
"""A Connection, or a ``(label, Connection)`` pair."""

TARGET_COLUMNS = ("cloud", "region", "project")
ERROR_COLUMNS = ("target", "error_type", "message")


@dataclass
class FanOut:
    """The combined result of a fan-out: ``frame`` (all successes) and ``errors``
    (one row per failed target: ``target, error_type, message``)."""

    frame: pd.DataFrame
    errors: pd.DataFrame
    targets: list[str] = field(default_factory=list)
    """Every target's label, in the order given."""

    @property
    def ok(self) -> bool:
        """True when no target failed."""
        return self.errors.empty

    def __repr__(self) -> str:
        from ._render import plural

        return (f"<FanOut {plural(len(self.targets), 'target')}: "
                f"{plural(len(self.frame), 'row')}, {len(self.errors)} failed>")

    def _repr_html_(self) -> str:
        from ..notebook.render import section, warning_html
        from ._render import frame_html, plural

        body = frame_html(self.frame, title=f"{plural(len(self.frame), 'row')} from "
                          f"{len(self.targets) - len(self.errors)} of "
                          f"{plural(len(self.targets), 'target')}")
        if not self.errors.empty:
            body += (warning_html("⚠ some targets failed; their rows are missing")
                     + frame_html(self.errors, title=plural(len(self.errors),
                                                            "failed target")))
        return section(repr(self), body)

    def __rich__(self) -> RenderableType:
        from rich.console import Group

        from ._render import frame_rich, plural

        parts = [frame_rich(self.frame, title=plural(len(self.frame), "row"))]
        if not self.errors.empty:
            parts.append(frame_rich(self.errors, title=plural(len(self.errors),
                                                              "failed target")))
        return Group(*parts)


def fan_out(fn: Callable[[Connection], Any], targets: Iterable[Target], *,
            max_workers: int = 8) -> FanOut:
    """``fn(conn)`` for every target, ``max_workers`` at a time, concatenated.

    ``fn`` returns a ResourceList (turned into a frame with ``to_pandas()``) or a
    DataFrame. Each target's rows get ``cloud``, ``region`` and ``project`` columns (the
    project is the one the target's token is scoped to). A target that raises is listed
    in ``errors`` and the others are kept. A column that is integer in every target's
    frame stays integer when some targets lack it (``Int64``, missing where absent).
    """
    import pandas as pd

    pairs = [_labelled(t) for t in targets]

    def run(index: int) -> pd.DataFrame:
        conn = pairs[index][1]
        result = fn(conn)
        frame = result.to_pandas() if hasattr(result, "to_pandas") else result
        if not isinstance(frame, pd.DataFrame):
            raise TypeError(f"fan_out: fn returned {type(result).__name__}; return a "
                            "ResourceList or a DataFrame")
        cloud, region, project = _describe(conn)
        frame = frame.copy()
        for position, (name, value) in enumerate((("cloud", cloud), ("region", region),
                                                   ("project", project))):
            if name in frame.columns:
                frame = frame.drop(columns=name)
            frame.insert(position, name, value)
        return frame

    frames, errors = [], []
    for index, frame, err in run_all(run, range(len(pairs)), max_workers=max_workers):
        if err is not None or frame is None:
            text = error_text(err) if err is not None else "no result"
            errors.append((pairs[index][0], type(err).__name__,
                           text.split(": ", 1)[-1]))
        else:
            frames.append(frame)
    non_empty = [f for f in frames if not f.empty]
    if non_empty:
        combined = _concat(non_empty)
    elif frames:
        combined = frames[0]
    else:
        combined = pd.DataFrame(columns=list(TARGET_COLUMNS))
    return FanOut(analysis_frame(combined),
                  pd.DataFrame(errors, columns=list(ERROR_COLUMNS)),
                  [label for label, _ in pairs])


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """The frames one under the other; integer columns that only some frames have become
    ``Int64`` with missing values, not floats (``4.0``) as ``pd.concat`` makes them."""
    import pandas as pd
    from pandas.api.types import is_integer_dtype

    if len(frames) == 1:
        return frames[0]
    combined = pd.concat(frames)
    if not combined.columns.is_unique:
        return combined
    for column in combined.columns:
        parts = [f[column].dtype for f in frames if column in f.columns]
        if parts and all(is_integer_dtype(d) for d in parts) and \
                not is_integer_dtype(combined[column].dtype):
            combined[column] = combined[column].astype("Int64")
    return combined


def _labelled(target: Any) -> tuple[str, Connection]:
    if isinstance(target, tuple) and len(target) == 2:
        return str(target[0]), target[1]
    cloud, region, project = _configured(target)
    return "/".join(str(p) for p in (cloud, region, project) if p), target


def _configured(conn: Connection) -> tuple[str | None, str | None, str | None]:
    """Cloud, region and project as configured (no request)."""
    auth = conn.config.config.get("auth") or {}
    return (conn.config.name, conn.config.region_name,
            auth.get("project_name") or auth.get("project_id"))


def _describe(conn: Connection) -> tuple[str | None, str | None, str | None]:
    """Cloud, region and the project the token is scoped to (configured if unknown)."""
    cloud, region, project = _configured(conn)
    try:
        access = conn.session.auth.get_access(conn.session)
        project = access.project_name or access.project_id or project
    except Exception:  # no token info from this auth plugin: keep the configured name
        pass
    return cloud, region, project


def connections_for_projects(conn: Connection, projects: Iterable[Any]
                             ) -> list[tuple[str, Connection]]:
    """A Connection per project, same cloud and credentials, scoped to that project.

    ``projects`` are Projects, ids or names. Returns ``(project name, Connection)`` pairs,
    ready for :func:`fan_out`. No request is made until a connection is used; a project the
    user has no role on fails then (Unauthorized), as a fan-out error.
    """
    from ..sdk.config import get_cloud_region
    from ..sdk.connection import Connection

    names = None
    out = []
    for item in projects:
        pid = getattr(item, "id", None)
        label = getattr(item, "name", None)
        if pid is None:
            if names is None:
                names = project_names(conn)
            by_name = {n: i for i, n in names.items() if n}
            pid = item if item in names or item not in by_name else by_name[item]
            label = names.get(pid) or str(item)
        settings = copy.deepcopy(conn.config.config)
        auth = dict(settings.get("auth") or {})
        for key in ("project_name", "project_domain_name", "project_domain_id",
                    "tenant_name", "tenant_id", "domain_id", "domain_name",
                    "system_scope"):
            auth.pop(key, None)
        auth["project_id"] = pid
        settings["auth"] = auth
        region = get_cloud_region(conn.config.name, region_name=conn.config.region_name,
                                  config={"clouds": {conn.config.name: settings}})
        out.append((str(label or pid), Connection(region)))
    return out
