"""A Neutron resource that lives under another's path (a floating IP's port forwardings,
a router's conntrack helpers, a local IP's port associations): seen by whoever sees its
parent, changed by the parent's project or an admin."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ...engine import Ctx, Query
from ...http import ApiError
from ...store import Record
from ._common import NeutronCollection, strip_json

__all__ = ["Nested"]


@dataclass(eq=False)
class Nested(NeutronCollection):
    """Records keyed to their parent by a private ``_parent`` key."""

    parent: NeutronCollection | None = None
    param: str = ""
    """The path parameter naming the parent (``floatingip_id``)."""
    missing: tuple[str, str] = ("NotFound", "{singular} {id} could not be found.")
    """The 404's type and words for a record not under this parent."""
    project_key: str | None = None
    project_aliases: tuple[str, ...] = ()
    visibility: Any = "public"
    tags: bool = False
    stamped = False
    private = True

    def owner(self, ctx: Ctx) -> Record:
        """The parent record of this request's path (its 404 if the caller cannot see
        it)."""
        assert self.parent is not None
        return self.parent.get(ctx, strip_json(ctx.request.path_params[self.param]))

    def candidates(self, ctx: Ctx, query: Query) -> Iterable[Record] | None:
        pid = self.owner(ctx)["id"]
        return [r for r in self.records(ctx.store).values() if r["_parent"] == pid]

    def get(self, ctx: Ctx, ident: str) -> Record:
        parent = self.owner(ctx)
        ident = strip_json(ident)
        record = self.records(ctx.store).get(ident)
        if record is None or record["_parent"] != parent["id"]:
            type_, text = self.missing
            raise ApiError(404, text.format(singular=self.singular, id=ident,
                                            parent=parent["id"]), type=type_)
        return record

    def may_change(self, ctx: Ctx, record: Record | None, action: str) -> None:
        if ctx.admin:
            return
        if self.write == "admin" or \
                self.owner(ctx).get("project_id") != ctx.token.project_id:
            raise self.dialect.forbidden(self.rule(action))
