"""Group types (``/group_types``, 3.11) and their group specs: what a generic volume
group is (``consistent_group_snapshot_enabled``…). Admins write them
(``group:group_types_manage``); one a group uses stays; ``default`` is the cloud's
``default_group_type``. Every Cinder has ``default_cgsnapshot_type`` (its Queens
migration made it for the consistency groups); the demo cloud also has ``generic``, its
default. The pieces every group resource shares (:class:`Gated`) are here too.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ...engine import Ctx, Field, Filter
from ...http import ApiError
from ...store import Record, Store
from ._dialect import CINDER, Cinder, both, specs_answer

__all__ = ["CG_TYPE", "GROUP_TYPES", "brief", "ident", "routes", "seed"]

CG_TYPE = "default_cgsnapshot_type"
TYPES_SINCE = (3, 11)


def brief(record: Record) -> Record:
    """A group or group snapshot as its list (and its create) shows it."""
    return {"id": record["id"], "name": record.get("name")}


def ident(namespace: str, name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"cinder-{namespace}:{name}"))


# --- group types --------------------------------------------------------------------------

@dataclass(eq=False)
class GroupTypes(Cinder):
    """Found by id or name; ``default`` is the cloud's ``default_group_type``; one a group
    uses stays."""

    def get(self, ctx: Ctx, ident: str) -> Record:
        table = self.records(ctx.store)
        if ident == "default" and ctx.request.method == "GET":
            found = table.get(ctx.store.meta.get("_cinder_default_group_type", ""))
            if found is None:
                raise ApiError(404, "Default group type can not be found.")
            return found
        rec = table.get(ident) or next((t for t in table.values() if t["name"] == ident),
                                       None)
        if rec is None or not self.visible(ctx, rec):
            raise ApiError(404, f"Group type {ident} could not be found.")
        return rec

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        if any(t["name"] == record["name"] for t in self.records(ctx.store).values()):
            raise ApiError(409, f"Group Type {record['name']} already exists.")
        record["is_public"] = record.get("is_public", True) in (True, "true", "True", "1")
        record["group_specs"] = dict(record.get("group_specs") or {})
        record.setdefault("description", None)

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if not changes:
            raise CINDER.bad("Specify group type name, description or a combination "
                             "thereof.")
        if "is_public" in changes:
            changes["is_public"] = changes["is_public"] in (True, "true", "True", "1")

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if any(g["group_type"] == record["id"]
               for g in ctx.store.table("volume_groups").values()):
            raise CINDER.bad(f"Target group type with id {record['id']} is still in use.")


GROUP_TYPES = GroupTypes(
    "group_type", "group_types", project_key=None, write="admin", timestamps=None,
    visibility=lambda _ctx, r: bool(r["is_public"]), create_status=200, since=TYPES_SINCE,
    default_sort_keys=(("name", "asc"),),
    rules=dict.fromkeys(("create", "update", "delete"), "group:group_types_manage"),
    fields={"name": Field(required=True, max_length=255),
            "description": Field(nullable=True, max_length=255),
            "is_public": Field(type="any"),
            "group_specs": Field(type="dict", items="str", create_only=True)},
    filters={"is_public": Filter(admin_only=True, match=lambda v: lambda value: str(
        value).lower() == v[-1].lower())})


def _no_spec(rec: Record, key: str | None) -> ApiError:
    return ApiError(404, f"Group Type {rec['id']} has no specs with key {key}.")


async def group_specs(request: Request) -> Response:
    """A group type's specs: read by whoever sees the type, written by admins."""
    CINDER.gate(request, TYPES_SINCE)
    ctx = Ctx.of(request)
    rec = GROUP_TYPES.get(ctx, request.path_params["id"])
    return await specs_answer(request, ctx.token, rec["group_specs"], "group_specs",
                              "group:group_types_specs", lambda key: _no_spec(rec, key))


# --- the seed -----------------------------------------------------------------------------

def seed(store: Store) -> None:
    """The group type Cinder's migration makes and a generic one the cloud names its
    default (the seeded group comes with the volumes: :func:`seed_group`)."""
    types = store.table("group_types")
    for name, desc, specs in (
            (CG_TYPE, "Default group type for migrating cgsnapshot",
             {"consistent_group_snapshot_enabled": "<is> True"}),
            ("generic", "Volumes managed together", {})):
        tid = ident(f"{store.config.seed}:group-type", name)
        types[tid] = {"id": tid, "name": name, "description": desc, "is_public": True,
                      "group_specs": specs}
    store.meta["_cinder_default_group_type"] = ident(f"{store.config.seed}:group-type",
                                                      "generic")


def routes() -> list[BaseRoute]:
    return [*GROUP_TYPES.routes(),
            *both("/group_types/{id}/group_specs", group_specs, ["GET", "POST"]),
            *both("/group_types/{id}/group_specs/{key}", group_specs,
                  ["GET", "PUT", "DELETE"])]
