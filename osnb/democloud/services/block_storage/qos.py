"""QoS specs (``/qos-specs``, admins only) and their volume types; type access lists.

A QoS spec is a name, a consumer (``front-end``, ``back-end``, ``both``) and free-form
specs (every create key but the first two, ``PUT`` adds or changes, ``delete_keys``
removes). Associating it with a volume type sets the type's ``qos_specs_id`` (a type has
at most one: a second is a 400); a spec still associated is deleted only with
``force``, which disassociates it first.

A private type (``is_public`` false) is seen by admins and by the projects on its access
list (``addProjectAccess``/``removeProjectAccess`` actions, the list at
``/types/{id}/os-volume-type-access``): those projects list, show and create volumes of
it; public types have no list (404) and cannot take one (400).
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ... import http
from ...engine import Ctx, Field
from ...http import ApiError
from ...store import Record, Store
from ._dialect import CINDER, Cinder, admin_ctx, both, envelope, links
from .extra import TYPES
from .volumes import type_by_name

__all__ = ["QOS_SPECS", "routes", "seed"]

CONSUMERS = ("front-end", "back-end", "both")
ACCESS = "_access"
"""A private type's projects (a list in the type record)."""


def _links(request: Request, record: Record, project: str) -> list[dict[str, str]]:
    return links(request, f"{project}/qos-specs/{record['id']}")


def _specs_of(obj: dict[str, Any]) -> dict[str, str]:
    specs = {k: v for k, v in obj.items() if k not in ("name", "consumer")}
    if not all(isinstance(v, str) and len(v) <= 255 for v in specs.values()):
        raise CINDER.bad(f"Invalid input for field/attribute qos_specs. Value: {obj!r}. "
                         "Spec values must be texts of at most 255 characters")
    return specs


def _types_of(ctx: Ctx, qos_id: str) -> list[Record]:
    return [t for t in TYPES.records(ctx.store).values() if t.get("qos_specs_id") == qos_id]


@dataclass(eq=False)
class QosSpecs(Cinder):
    """QoS specs: a create's free-form keys become ``specs``; answers carry ``links``."""

    def get(self, ctx: Ctx, ident: str) -> Record:
        """The policy answers a member before the lookup does: 403, not 404."""
        if not ctx.admin:
            raise self.dialect.forbidden(self.rule("show"))
        return super().get(ctx, ident)

    async def body(self, request: Request) -> dict[str, Any]:
        obj = envelope(await http.json_body(request), self.singular)
        if request.method == "POST":
            if not isinstance(obj.get("name"), str) or not obj["name"].strip():
                raise CINDER.bad(f"Invalid input for field/attribute qos_specs. Value: "
                                 f"{obj!r}. 'name' is a required property")
            return {"name": obj["name"], "consumer": obj.get("consumer", "back-end"),
                    "specs": _specs_of(obj)}
        return obj

    def on_create(self, ctx: Ctx, record: Record, body: Any) -> None:
        if any(q["name"] == record["name"] for q in self.records(ctx.store).values()):
            raise ApiError(409, f"QoS Specs {record['name']} already exists.")

    async def create(self, request: Request) -> Response:
        response = await super().create(request)
        doc = json.loads(bytes(response.body))
        doc["links"] = _links(request, doc["qos_specs"], Ctx.of(request).token.project_id
                              or "")
        return http.json_response(doc, 200)

    async def show(self, request: Request) -> Response:
        ctx = Ctx.of(request)
        record = self.get(ctx, request.path_params["id"])
        return http.json_response({"qos_specs": self.render(ctx, record),
                                   "links": _links(request, record,
                                                   ctx.token.project_id or "")})

    async def update(self, request: Request) -> Response:
        """``PUT``: set specs (and ``consumer``); the answer echoes what was set."""
        ctx = Ctx.of(request)
        record = self.get(ctx, request.path_params["id"])
        self.may_change(ctx, record, "update")
        obj = await self.body(request)
        if "consumer" in obj:
            if obj["consumer"] not in CONSUMERS:
                raise CINDER.invalid("consumer", obj["consumer"], "choices", choices=CONSUMERS)
            record["consumer"] = obj["consumer"]
        if "name" in obj:
            raise CINDER.bad("Invalid input received: the name of a QoS spec cannot change.")
        record["specs"].update(_specs_of(obj))
        return http.json_response({"qos_specs": obj})

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        types = _types_of(ctx, record["id"])
        if types and not http.query_bool(ctx.request, "force"):
            raise CINDER.bad(f"QoS Specs {record['id']} is still associated with entities.")
        for t in types:
            t["qos_specs_id"] = None


QOS_SPECS = QosSpecs(
    "qos_specs", "qos_specs", path="qos-specs", project_key=None, visibility="admin",
    write="admin", timestamps=None, create_status=200, update_methods=("PUT",),
    default_sort_keys=(("name", "asc"),),
    rules=dict.fromkeys(("list", "show", "create", "update", "delete"),
                        "volume_extension:qos_specs_manage"),
    fields={"name": Field(max_length=255, create_only=True, filter="exact"),
            "consumer": Field(choices=CONSUMERS, default="back-end"),
            "specs": Field(type="dict", items="str", default={})})


_VERBS = ("associate", "disassociate", "disassociate_all", "associations", "delete_keys")


async def qos_verb(request: Request) -> Response:
    """``associate``, ``disassociate`` (``?vol_type_id=``), ``disassociate_all``,
    ``associations`` and ``delete_keys``."""
    verb = request.path_params["verb"]
    if (request.method == "PUT") != (verb == "delete_keys") or verb not in _VERBS:
        raise ApiError(404, "The resource could not be found.")
    ctx = admin_ctx(request, "volume_extension:qos_specs_manage")
    record = QOS_SPECS.get(ctx, request.path_params["id"])
    if verb == "associations":
        return http.json_response({"qos_associations": [
            {"association_type": "volume_type", "name": t["name"], "id": t["id"]}
            for t in _types_of(ctx, record["id"])]})
    if verb == "disassociate_all":
        for t in _types_of(ctx, record["id"]):
            t["qos_specs_id"] = None
        return http.json_response(None, 202)
    if verb == "delete_keys":
        doc = await http.json_body(request)
        keys = doc.get("keys") if isinstance(doc, dict) else None
        if not isinstance(keys, list):
            raise CINDER.bad("Missing required element 'keys' in request body.")
        for key in keys:
            if key not in record["specs"]:
                raise ApiError(404, f"QoS spec {record['id']} has no key {key}.")
        for key in keys:
            del record["specs"][key]
        return http.json_response(None, 202)
    type_id = request.query_params.get("vol_type_id")
    if not type_id:
        raise CINDER.bad("Volume Type id must not be None.")
    vtype = TYPES.records(ctx.store).get(type_id)
    if vtype is None:
        raise ApiError(404, f"Volume type {type_id} could not be found.")
    current = vtype.get("qos_specs_id")
    if verb == "associate":
        if current and current != record["id"]:
            raise CINDER.bad(f"Type {type_id} is already associated with another qos specs: "
                             f"{current}")
        vtype["qos_specs_id"] = record["id"]
    else:
        if current != record["id"]:
            raise CINDER.bad(f"Type {type_id} is not associated with qos specs "
                             f"{record['id']}.")
        vtype["qos_specs_id"] = None
    return http.json_response(None, 202)


async def type_access(request: Request) -> Response:
    """A private type's access list (admins)."""
    ctx = admin_ctx(request, "volume_extension:volume_type_access")
    vtype = TYPES.get(ctx, request.path_params["id"])
    if vtype["is_public"]:
        raise ApiError(404, "Access list not available for public volume types.")
    return http.json_response({"volume_type_access": [
        {"volume_type_id": vtype["id"], "project_id": p} for p in vtype.get(ACCESS, [])]})


async def type_action(request: Request) -> Response:
    """``addProjectAccess`` and ``removeProjectAccess`` (admins, private types)."""
    ctx = Ctx.of(request)
    raw = await http.json_body(request)
    action = next(iter(raw), None) if isinstance(raw, dict) and len(raw) == 1 else None
    if action not in ("addProjectAccess", "removeProjectAccess"):
        raise CINDER.bad(f"There is no such action: {action}")
    http.require_admin(ctx.token, f"volume_extension:volume_type_access:"
                                  f"{'add' if action[0] == 'a' else 'remove'}Project")
    vtype = TYPES.get(ctx, request.path_params["id"])
    arg = envelope(raw, action)
    project = arg.get("project")
    if not isinstance(project, str) or not project:
        raise CINDER.bad("Missing required element 'project' in request body.")
    if vtype["is_public"]:
        raise CINDER.bad("Invalid volume type: Type access modification is not applicable "
                         "to public volume type.")
    access: list[str] = vtype.setdefault(ACCESS, [])
    if action == "addProjectAccess":
        if project in access:
            raise ApiError(409, f"Volume type access for {vtype['id']} / {project} "
                                "combination already exists.")
        access.append(project)
    else:
        if project not in access:
            raise ApiError(404, f"Volume type access not found for {vtype['id']} / "
                                f"{project} combination.")
        access.remove(project)
    return http.json_response(None, 202)


SEEDED = [("ssd-iops-limit", "front-end", {"total_iops_sec": "5000",
                                             "total_bytes_sec": "524288000"}, "ssd"),
          ("hdd-throttle", "back-end", {"read_iops_sec": "500", "write_iops_sec": "300"},
           None)]


def seed(store: Store) -> None:
    """A front-end limit on the ``ssd`` type and a spare back-end one."""
    table = store.table(QOS_SPECS.table)
    for name, consumer, specs, type_name in SEEDED:
        qid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"qos-specs:{store.config.seed}:{name}"))
        table[qid] = {"id": qid, "name": name, "consumer": consumer, "specs": dict(specs)}
        vtype = type_by_name(store, type_name) if type_name else None
        if vtype is not None:
            vtype["qos_specs_id"] = qid


def routes() -> list[BaseRoute]:
    return [*both("/qos-specs/{id}/{verb:str}", qos_verb, ["GET", "PUT"]),
            *QOS_SPECS.routes(),
            *both("/types/{id}/os-volume-type-access", type_access, ["GET"]),
            *both("/types/{id}/action", type_action, ["POST"])]
