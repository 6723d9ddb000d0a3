"""ResourceList: what every proxy list method returns.

It holds the raw records as the server sent them and builds Resource objects only when
they are asked for, so a 50,000-server listing costs one dict per server, and a DataFrame
can be made straight from the records.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Generic, TypeVar, overload

from . import exceptions as exc
from . import hooks
from .resource import Resource

__all__ = ["ResourceList"]

R = TypeVar("R", bound=Resource)


class ResourceList(Sequence[R], Generic[R]):
    """A complete (or, after a failure, partial) listing of one resource type."""

    def __init__(self, resource_type: type[R], records: list[dict[str, Any]] | None = None,
                 uri: Mapping[str, Any] | None = None, *, complete: bool = True,
                 pages: int = 0, proxy: Any = None) -> None:
        self.resource_type = resource_type
        self.records: list[dict[str, Any]] = records if records is not None else []
        self.uri = dict(uri or {})
        self.complete = complete
        """False when the listing stopped early (an error, an interrupt): a partial view."""
        self.pages = pages
        self.proxy = proxy
        """The proxy that listed these; resources built from the list keep it."""
        self._built: list[R | None] = [None] * len(self.records)

    def __len__(self) -> int:
        return len(self.records)

    @overload
    def __getitem__(self, index: int) -> R: ...

    @overload
    def __getitem__(self, index: slice) -> ResourceList[R]: ...

    def __getitem__(self, index: int | slice) -> R | ResourceList[R]:
        if isinstance(index, slice):
            return ResourceList(self.resource_type, self.records[index], self.uri,
                                complete=self.complete, proxy=self.proxy)
        if index < 0:
            index += len(self.records)
        if not 0 <= index < len(self.records):
            raise IndexError("ResourceList index out of range")
        built = self._built[index]
        if built is None:
            built = self.resource_type._from_body(self.records[index], self.uri, self.proxy)
            self._built[index] = built
        return built

    def __iter__(self) -> Iterator[R]:
        for i in range(len(self.records)):
            yield self[i]

    def _extend(self, records: list[dict[str, Any]]) -> None:
        self.records.extend(records)
        self._built.extend([None] * len(records))
        self.pages += 1

    def ids(self) -> list[Any]:
        return [r.id for r in self]

    def to_pandas(self, columns: str | Sequence[str] | None = None, flatten: bool = False,
                  names: bool = False) -> Any:
        """A DataFrame straight from the records: PEP-8 columns, indexed by id.

        By default the columns are what a response carries, nested values as flat columns
        (a server's ``flavor_name``, ``vcpus``, ``ram_mb``, ``disk_gb``, ``image_id``,
        ``ip_addresses``); ``columns="all"`` gives every attribute as sent, or pass a list
        of names. Datetimes are tz-aware ``datetime64``, bools and ints nullable dtypes,
        status-like columns categorical; ``flatten`` expands the remaining dict columns
        into ``fault.message``-style columns. ``names=True`` adds ``project_name``,
        ``user_name``, ``image_name`` … beside their ids, from one listing per kind cached
        on the connection (``conn.names``).
        """
        frame = hooks.require("frame", "to_pandas()")(self.resource_type, self.records, columns=columns,
                                 flatten=flatten, uri=self.uri)
        if names:
            frame = hooks.require("add_names", "to_pandas(names=True)")(
                frame, self._connection().names)
        return frame

    def child_frame(self, name: str) -> Any:
        """A tidy frame of a nested collection, one row per item, led by the parent's id
        and name: ``servers.child_frame("addresses")`` (also ``servers.addresses()``)."""
        return hooks.require("child_frame", "child_frame()")(self.resource_type, self.records, name)

    def _connection(self) -> Any:
        connection = getattr(self.proxy, "connection", None)
        if connection is None:
            raise exc.InvalidRequest(
                f"this list of {self.resource_type.__name__} has no connection to look "
                "names up with; list it through a Connection (conn.compute.servers())")
        return connection

    def __getattr__(self, name: str) -> Any:
        if not name.startswith("_") and name in self.resource_type.child_frames:
            return lambda: self.child_frame(name)
        raise AttributeError(f"{type(self).__name__!s} has no attribute {name!r}")

    def __dir__(self) -> list[str]:
        return sorted({*super().__dir__(), *self.resource_type.child_frames})

    # -- notebook reprs ---------------------------------------------------------------
    def _repr_html_(self) -> str:
        render = hooks.lookup("list_html")
        return hooks.plain_html(self) if render is None else str(render(self))

    def __rich__(self) -> Any:
        render = hooks.lookup("list_rich")
        return repr(self) if render is None else render(self)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        render = hooks.lookup("list_pretty")
        if cycle:
            lines = [repr(self)]
        elif render is not None:
            lines = render(self)
        else:  # the SDK alone: the first ten
            lines = [repr(self)] + ["  " + repr(res) for res in self[:10]]
            lines += [f"  … {len(self) - 10} more"] if len(self) > 10 else []
        for i, line in enumerate(lines):
            if i:
                printer.break_()
            printer.text(line)

    def widget(self) -> Any:
        """An interactive table: filter box, sortable columns, column chooser, detail pane."""
        return hooks.require("list_widget", "ResourceList.widget()")(self)

    def __repr__(self) -> str:
        state = "" if self.complete else ", incomplete"
        return f"<ResourceList of {len(self)} {self.resource_type.__name__}{state}>"
