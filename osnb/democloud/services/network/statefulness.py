"""The default statefulness of new security groups (Neutron
``/security-groups-default-statefulness``): system-wide (no project) or per project, an
admin's to set. A security group created without ``stateful`` takes its project's
default, else the system-wide one, else stateful."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from starlette.routing import BaseRoute

from ...engine import Ctx, Field
from ...http import ApiError
from ...store import Record, Store
from ._common import RO, NeutronCollection, conflict, strip_json

__all__ = ["DEFAULT_STATEFULNESS", "default_stateful", "routes", "seed"]

_NAMESPACE = uuid.UUID("4b2d6f8a-0c1e-4a3b-9d5f-7e8a9b0c1d2e")


def default_stateful(store: Store, project_id: str) -> bool:
    """Whether a new security group of ``project_id`` is stateful by default."""
    system = True
    for record in store.table("sg_default_statefulness").values():
        if record["project_id"] == project_id:
            return bool(record["stateful"])
        if record["project_id"] is None:
            system = bool(record["stateful"])
    return system


def _visible(ctx: Ctx, record: Record) -> bool:
    return record["project_id"] in (None, ctx.token.project_id)


class DefaultStatefulness(NeutronCollection):
    """One record per project (and one system-wide, ``project_id`` null)."""

    stamped = False

    def new_record(self, ctx: Ctx, values: Mapping[str, Any]) -> Record:
        system = "project_id" in values and values["project_id"] is None
        record = super().new_record(ctx, values)
        if system:
            record["project_id"] = None
        for other in self.records(ctx.store).values():
            if other["project_id"] == record["project_id"]:
                raise conflict("A security group default statefulness setting already "
                               f"exists for project '{record['project_id'] or 'system-wide'}'.",
                               "SecurityGroupDefaultStatefulnessAlreadyExists")
        return record

    def get(self, ctx: Ctx, ident: str) -> Record:
        record = self.records(ctx.store).get(strip_json(ident))
        if record is None or not self.visible(ctx, record):
            raise ApiError(404, f"Security group default statefulness {strip_json(ident)} "
                           "could not be found.",
                           type="SecurityGroupDefaultStatefulnessNotFound")
        return record

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        return {"id": self.dialect.new_id(), "project_id": project_id,
                "stateful": attrs.get("stateful", True)}


DEFAULT_STATEFULNESS = DefaultStatefulness(
    "security_groups_default_statefulness", "security_groups_default_statefulness",
    path="security-groups-default-statefulness", table="sg_default_statefulness",
    project_aliases=(), visibility=_visible, write="admin", tags=False,
    fields={"id": RO, "project_id": Field(max_length=255, nullable=True, create_only=True),
            "stateful": Field(type="bool", lenient=True)})


def seed(store: Store) -> None:
    """The system-wide default an operator starts from: stateful."""
    rid = str(uuid.uuid5(_NAMESPACE, "system"))
    store.table("sg_default_statefulness")[rid] = {"id": rid, "project_id": None,
                                                   "stateful": True}


def routes() -> list[BaseRoute]:
    return DEFAULT_STATEFULNESS.routes()
