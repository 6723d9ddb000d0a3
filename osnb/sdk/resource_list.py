"""ResourceList: what every proxy list method returns.

A small listing holds the raw records as the server sent them and builds Resource objects
only when they are asked for, so a DataFrame can be made straight from the records.

A listing that reaches :data:`COLUMNS_FROM` records (1,000: a full Nova page) is fetched
whole as well, so a page that fails still raises at the list call, but each page is
pulled into the columns of the listing's frame as it arrives (the next page fetched
ahead meanwhile, the collector paused) and its records are let go: what the list keeps
is those columns and the pages' bytes as received (compressed on a thread of their own if
:data:`PACK_LEVEL` is set). ``to_pandas()`` then only converts the columns, and the peak is the
frame, not every record plus the frame; ``records``, iteration and indexing decode the
records again from the bytes, exactly as sent, the first time they are asked for (and
keep them; the columns go then, and a frame is made of the records as before). Keeping
the frame alone would lose what it does not show (a server's flavor is three columns of
it, its addresses a list of IPs), and listing again would not give the same rows (a
finder indexes the list by the rows of its frame). Other ``columns`` are made of the
records decoded page by page.

A listing made inside :func:`deferred` fetches its first page at once and the others when
the list is first used, as the pages of a frame if that use is ``to_pandas()``; with
``keep_records=False`` nothing is kept of them.
"""

from __future__ import annotations

import queue
import threading
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Generic, TypeVar, overload

import requests

from . import exceptions as exc
from . import hooks
from .resource import Resource, _json, collector_paused

__all__ = ["Pages", "ResourceList", "deferred"]

_DEFERRED: ContextVar[tuple[bool, bool]] = ContextVar("osnb_deferred_pages",
                                                      default=(False, True))


@contextmanager
def deferred(*, keep_records: bool = True) -> Iterator[None]:
    """Listings made in this block fetch their first page at once and the rest when first
    used, so that ``to_pandas()`` can build its frame page by page::

        with deferred():
            frame = conn.compute.servers(all_projects=True).to_pandas()

    A page that fails (or Ctrl-C) then raises where the list is first used, with
    ``partial`` as always. ``keep_records=False``: a list whose pages went into a frame
    keeps nothing of them (not even their bytes, about a third of the records' memory),
    so asking it for its records afterwards is an error; its length, ``complete`` and
    ``pages`` stay known."""
    token = _DEFERRED.set((True, keep_records))
    try:
        yield
    finally:
        _DEFERRED.reset(token)


def deferring() -> bool:
    """Whether listings made now are deferred (:func:`deferred`)."""
    return _DEFERRED.get()[0]


PACK_LEVEL = 0
"""zlib level of the kept pages' bytes; 0: kept as received. Level 1 makes a page of Nova
servers about a seventh of its size (a 50,000-server listing's 99 MiB into 14 MiB: its
peak 0.72x -> 0.56x the hand-written floor's) for about 12 ms of CPU a page, on a thread
of its own with the GIL released. Where pages take time to come (30 ms a request) that
CPU is free: the listing took 0.69x the floor's time packed, 0.67x not. Where they come at
once it is not: on the 2-core machine, with the demo cloud on one core, 0.90x instead of
0.65x (50,000 servers, paired medians of 9 rounds). So it is off unless set, and a page
is packed at :data:`WAITED_PACK_LEVEL` where the listing had to wait for it."""

WAITED_PACK_LEVEL = 1
"""zlib level of a kept page the listing had to wait for (the page fetched ahead was not
in yet when it was wanted, or, fetched in turn, took 12 ms or more): the network, not
this process, is what the listing waits on then, and the packer's CPU costs nothing. 0:
such pages are kept as received too."""


class _Kept:
    """A page's bytes, kept where its records were let go: enough to decode them again as
    the listing did (the same decoder, the same ``_records``), without the request (whose
    headers carry the token). Compressed, once :func:`_pack` had them, on its thread."""

    __slots__ = ("content", "packed", "level", "count", "url", "encoding", "status_code",
                 "headers")

    def __init__(self, response: Any, count: int) -> None:
        self.content: bytes | None = response.content
        self.packed: bytes | None = None
        self.level = PACK_LEVEL or (WAITED_PACK_LEVEL if getattr(
            response, "osnb_waited", False) else 0)
        """zlib level it gets: :data:`PACK_LEVEL`, or :data:`WAITED_PACK_LEVEL` where the
        listing waited for this page (``osnb_waited``, set by ``Resource._responses``)."""
        self.count = count
        self.url = response.url
        self.encoding = response.encoding
        self.status_code = response.status_code
        self.headers = response.headers

    def pack(self) -> None:
        content = self.content
        if content is not None and self.level:
            self.packed = zlib.compress(content, self.level)
            self.content = None  # after: a reader that finds no content finds it packed

    def records(self, resource_type: type[Resource]) -> list[dict[str, Any]]:
        content = self.content
        response = requests.Response()
        response._content = zlib.decompress(self.packed) if content is None and \
            self.packed is not None else content
        response.url, response.encoding = self.url, self.encoding
        response.status_code, response.headers = self.status_code, self.headers
        return resource_type._records(_json(response), response)


_PACKING: queue.SimpleQueue[_Kept] = queue.SimpleQueue()
_PACKER: list[threading.Thread] = []
_PACKER_LOCK = threading.Lock()


def _pack(kept: _Kept) -> None:
    """``kept`` compressed soon, on the packer thread (started on first use): zlib lets
    the GIL go, so it runs beside the listing's decoding."""
    if not kept.level:
        return
    _PACKING.put(kept)
    if not _PACKER:
        with _PACKER_LOCK:
            if not _PACKER:
                thread = threading.Thread(target=_packer, name="osnb-pack", daemon=True)
                thread.start()
                _PACKER.append(thread)


def _packer() -> None:
    while True:
        _PACKING.get().pack()


class Pages(Iterable[list[dict[str, Any]]]):
    """A listing's records page by page, for a frame built as they arrive: what
    ``to_pandas()`` hands :func:`osnb.frames.records_to_frame` (see :func:`deferred`)."""

    def __init__(self, listing: ResourceList[Any]) -> None:
        self.listing = listing

    def __iter__(self) -> Iterator[list[dict[str, Any]]]:
        return self.listing._frame_pages()


COLUMNS_FROM = 1000
"""A listing that reaches this many records keeps the columns of its frame and its pages'
bytes instead of its records (:meth:`ResourceList._gather`); a smaller one keeps its
records, as it costs little either way and needs no pandas."""

R = TypeVar("R", bound=Resource)


class ResourceList(Sequence[R], Generic[R]):
    """A complete (or, after a failure, partial) listing of one resource type."""

    def __init__(self, resource_type: type[R], records: list[dict[str, Any]] | None = None,
                 uri: Mapping[str, Any] | None = None, *, complete: bool = True,
                 pages: int = 0, proxy: Any = None) -> None:
        self.resource_type = resource_type
        self._records: list[dict[str, Any]] | None = records if records is not None else []
        self.uri = dict(uri or {})
        self._complete = complete
        self._pages = pages
        self.proxy = proxy
        """The proxy that listed these; resources built from the list keep it."""
        self._built: list[R | None] = [None] * len(self._records)
        self._count = len(self._records)
        self._pending: Iterator[tuple[list[dict[str, Any]], Any]] | None = None
        """The listing's pages not fetched yet (a deferred listing); None: all are in."""
        self._kept: list[_Kept] = []
        """The bytes of the pages fetched while deferred: while ``_records`` is None, the
        only copy of their records."""
        self._lock = threading.RLock()
        self._shown: Any = None
        self._keep_bytes = True
        """False: a frame that takes the records keeps nothing of them (``deferred``)."""
        self._builder: Any = None
        """The default frame's raw columns, filled as the pages arrived (:meth:`_gather`);
        None while the records are kept."""

    @property
    def records(self) -> list[dict[str, Any]]:
        """The records as the server sent them (decoded again from the kept bytes, once,
        where a frame took them)."""
        with self._lock:
            self._drain()
            if self._records is None:
                self._records = self._decode_kept()
                self._kept, self._builder = [], None  # the frame is built of them again
                self._built = [None] * len(self._records)
            return self._records

    def _decode_kept(self) -> list[dict[str, Any]]:
        """The records of the pages whose bytes were kept; an error where none were."""
        if not self._keep_bytes:
            raise exc.InvalidRequest(
                f"the records of this listing of {self._count:,} "
                f"{self.resource_type.__name__} went into a frame and were not kept "
                "(deferred(keep_records=False)): use that frame, or list again")
        with collector_paused():
            return [r for page in self._kept for r in page.records(self.resource_type)]

    @property
    def complete(self) -> bool:
        """False when the listing stopped early (an error, an interrupt): a partial view."""
        self._drain()
        return self._complete

    @complete.setter
    def complete(self, value: bool) -> None:
        self._complete = value

    @property
    def pages(self) -> int:
        """How many pages the listing took."""
        self._drain()
        return self._pages

    def __len__(self) -> int:
        self._drain()
        return self._count

    @overload
    def __getitem__(self, index: int) -> R: ...

    @overload
    def __getitem__(self, index: slice) -> ResourceList[R]: ...

    def __getitem__(self, index: int | slice) -> R | ResourceList[R]:
        records = self.records
        if isinstance(index, slice):
            return ResourceList(self.resource_type, records[index], self.uri,
                                complete=self._complete, proxy=self.proxy)
        if index < 0:
            index += len(records)
        if not 0 <= index < len(records):
            raise IndexError("ResourceList index out of range")
        built = self._built[index]
        if built is None:
            built = self.resource_type._from_body(records[index], self.uri, self.proxy)
            self._built[index] = built
        return built

    def __iter__(self) -> Iterator[R]:
        for i in range(len(self.records)):
            yield self[i]

    def _extend(self, records: list[dict[str, Any]]) -> None:
        own = self.records
        own.extend(records)
        self._built.extend([None] * len(records))
        self._count += len(records)
        self._pages += 1

    # -- a listing arriving -------------------------------------------------------------
    def _follow(self, pages: Iterator[tuple[list[dict[str, Any]], Any]]) -> None:
        """Take the listing's pages from ``pages`` (``Resource._responses``): all of them
        now (a large listing into columns, :meth:`_gather`), or, inside
        :func:`deferred`, the first now and the rest on first use."""
        self._pending = pages
        self._keep_bytes = _DEFERRED.get()[1]
        self._progress()
        if not deferring():
            self._gather()
            return
        with self._lock, self._failing():
            for records, response in pages:
                self._take(records, response, keep_records=True, keep_bytes=True)
                break
            else:
                self._pending = None

    def _take(self, records: list[dict[str, Any]], response: Any, *, keep_records: bool,
              keep_bytes: bool) -> None:
        """One page in: its records kept, or its bytes (a frame took the records), or both
        (the first page of a deferred listing, whose first use is not known yet)."""
        if keep_records:
            assert self._records is not None
            self._records.extend(records)
            self._built.extend([None] * len(records))
        if keep_bytes:
            self._kept.append(_Kept(response, len(records)))
            if not keep_records:
                _pack(self._kept[-1])
        self._count += len(records)
        self._pages += 1
        self._progress().update(f"{self._pages} pages, {self._count:,} items")

    def _progress(self) -> Any:
        progress = self._shown
        if progress is None:
            from ..progress import Progress

            progress = self._shown = Progress(f"listing {self.resource_type.__name__}")
        return progress

    def _done(self, text: str | None = None) -> None:
        progress = self._shown
        if progress is not None:
            progress.close(text or f"{self._pages} pages, {self._count:,} items")
            self._shown = None

    def _gather(self) -> None:
        """Every page now, as :meth:`_drain`; but once the listing reaches
        :data:`COLUMNS_FROM` records (and the frames layer is there), each page is pulled
        into the columns of its frame as it arrives and only its bytes are kept: the
        records go (see the module's docstring)."""
        assert self._pending is not None
        tried = False
        with self._lock, self._failing(), collector_paused():
            for records, response in self._pending:
                if not tried and self._count + len(records) >= COLUMNS_FROM:
                    tried = True
                    self._start_columns()
                columns = self._records is None
                self._take(records, response, keep_records=not columns, keep_bytes=True)
                if columns and self._builder is not None:
                    self._into_columns(records)
            self._pending = None
            if self._records is not None:
                self._kept = []
            self._done()

    def _start_columns(self) -> None:
        """The listing's frame begun with the records taken so far, which then go (their
        bytes stay); nothing where there is no frames layer (the SDK alone)."""
        make = hooks.lookup("frame_builder")
        if make is None or self._records is None:
            return
        self._builder = make(self.resource_type, self.uri)
        if not self._records or self._into_columns(self._records):
            self._records, self._built = None, []
            for kept in self._kept:
                _pack(kept)

    def _into_columns(self, records: list[dict[str, Any]]) -> bool:
        """``records`` added to the listing's frame; on a failure the frame is given up
        (False: the records are in the kept bytes, and a frame is built of them when
        asked), and an interrupt goes on."""
        builder, self._builder = self._builder, None
        try:
            builder.add(records)
        except Exception:  # noqa: BLE001 - a frame's problem must not fail the listing
            return False
        self._builder = builder
        return True

    def _drain(self) -> None:
        """Fetch the pages still pending, keeping their records."""
        if self._pending is None:
            return
        with self._lock:
            if self._pending is None:
                return
            if self._records is None:  # a frame took the first pages: their records back
                self._records = self._decode_kept()
                self._built = [None] * len(self._records)
            with self._failing(), collector_paused():
                for records, response in self._pending:
                    self._take(records, response, keep_records=True, keep_bytes=False)
            self._pending, self._kept = None, []
            self._done()

    def _frame_pages(self) -> Iterator[list[dict[str, Any]]]:
        """The records page by page, for a frame: the pages fetched so far, then each page
        as it arrives; a deferred listing's records are let go as the frame takes them
        (their bytes stay, see the module's docstring)."""
        with self._lock:
            if self._pending is None:
                if self._records is not None:
                    yield self._records
                elif not self._keep_bytes:
                    self._decode_kept()  # raises: nothing was kept
                else:
                    for page in self._kept:
                        yield page.records(self.resource_type)
                return
            records, self._records, self._built = self._records, None, []
            if records:
                yield records
            del records
            if not self._keep_bytes:
                self._kept = []
            with self._failing():
                for records, response in self._pending:
                    self._take(records, response, keep_records=False,
                               keep_bytes=self._keep_bytes)
                    yield records
            self._pending = None
            self._done()

    @contextmanager
    def _failing(self) -> Iterator[None]:
        """A page that fails, or Ctrl-C, ends the listing: the exception (the interrupt
        goes on, so a loop of listings stops) carries this list, ``complete`` False, as
        ``partial``; nothing already fetched is lost."""
        try:
            yield
        except KeyboardInterrupt as err:
            self._stop(err, "interrupted")
            raise
        except (exc.SDKException, requests.RequestException) as err:
            self._stop(err, "failed")
            if isinstance(err, exc.SDKException) and self.proxy is not None and \
                    hasattr(self.proxy, "error_context"):
                err.annotate(**self.proxy.error_context())
            raise
        except GeneratorExit:  # the frame being built stopped (its own error)
            self._stop(None, "stopped")
            raise

    def _stop(self, err: BaseException | None, how: str) -> None:
        pending, self._pending = self._pending, None
        if pending is not None and hasattr(pending, "close"):
            pending.close()  # the page fetched ahead is abandoned
        self._complete = False
        if self._records is not None:
            self._kept = []
        self._done(f"{how} after {self._count:,} items")
        if err is not None:
            err.partial = self  # type: ignore[attr-defined]

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
        with self._lock:
            source: Any = self._records if self._pending is None and \
                self._records is not None else Pages(self)
            builder = self._builder if columns is None or columns == "default" else None
            try:
                if builder is not None and self._pending is None:
                    with collector_paused():
                        frame = builder.frame(flatten, keep=True)
                else:
                    frame = hooks.require("frame", "to_pandas()")(
                        self.resource_type, source, columns=columns, flatten=flatten,
                        uri=self.uri)
            except KeyboardInterrupt as err:  # while converting: the listing stopped too
                if not self._complete and not hasattr(err, "partial"):
                    err.partial = self  # type: ignore[attr-defined]
                raise
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
