"""Volume type encryption (``/types/{id}/encryption``, admins): the provider, cipher, key
size and control location a type's volumes are encrypted with. A volume made of an
encrypted type is ``encrypted`` and holds a key id (shown from 3.64); the specification
of a type in use by any volume can be neither created, changed nor deleted.

The demo world has two more types (ids derived from their names, so the seeded world's
other ids stay): ``ssd-luks``, LUKS-encrypted SSD, and ``tenant-gold``, private to one
project.
"""

from __future__ import annotations

import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ... import http
from ...engine import Ctx, Field, check_body
from ...http import ApiError
from ...store import Record, Store
from ._dialect import CINDER, both, cinder_time, envelope
from .extra import TYPES

__all__ = ["KEY", "encryption_of", "routes", "seed"]

KEY = "_encryption"
"""Where a type record keeps its encryption specification."""
FIELDS = {"provider": Field(max_length=255), "cipher": Field(nullable=True, max_length=255),
          "key_size": Field(type="int", nullable=True, minimum=0),
          "control_location": Field(choices=("front-end", "back-end"))}


def encryption_of(vtype: Record | None) -> Record | None:
    """The encryption specification of ``vtype`` (None: not encrypted)."""
    return None if vtype is None else vtype.get(KEY)


def _in_use(ctx: Ctx, vtype: Record, verb: str) -> None:
    if any(v["volume_type_id"] == vtype["id"] for v in ctx.store.table("volumes").values()):
        raise CINDER.bad(f"Cannot {verb} encryption specification. Volume type in use.")


def _type(request: Request) -> tuple[Ctx, Record]:
    ctx = Ctx.of(request)
    action = {"GET": "get", "POST": "create", "PUT": "update", "DELETE": "delete"}
    http.require_admin(ctx.token, "volume_extension:volume_type_encryption:"
                       + action[request.method])
    return ctx, TYPES.get(ctx, request.path_params["id"])


def _shown(spec: Record) -> Record:
    return {k: v for k, v in spec.items() if k not in ("deleted", "deleted_at",
                                                       "created_at", "updated_at")}


async def index(request: Request) -> Response:
    """The specification (``{}`` for a type that is not encrypted), or a new one."""
    ctx, vtype = _type(request)
    if request.method == "GET":
        return http.json_response(dict(encryption_of(vtype) or {}))
    if encryption_of(vtype) is not None:
        raise CINDER.bad(f"Volume type encryption for type {vtype['id']} already exists.")
    _in_use(ctx, vtype, "create")
    body = envelope(await http.json_body(request), "encryption")
    if not isinstance(body.get("provider"), str) or not body["provider"]:
        raise CINDER.bad("Invalid input for field/attribute provider. 'provider' is a "
                         "required property")
    values = check_body(CINDER, FIELDS, body, create=True)
    spec = vtype[KEY] = _new(vtype["id"], values)
    return http.json_response({"encryption": _shown(spec)})


def _new(type_id: str, values: dict[str, Any], created: str | None = None) -> Record:
    return {"volume_type_id": type_id, "control_location": values.get("control_location",
                                                                     "front-end"),
            "deleted": False, "created_at": created or cinder_time(), "updated_at": None,
            "encryption_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"encryption:{type_id}")),
            "key_size": values.get("key_size"), "provider": values["provider"],
            "deleted_at": None, "cipher": values.get("cipher")}


async def one(request: Request) -> Response:
    """``GET`` one key of it; ``PUT``/``DELETE`` it by its ``encryption_id``."""
    ctx, vtype = _type(request)
    spec, key = encryption_of(vtype), request.path_params["key"]
    if request.method == "GET":
        if spec is None or key not in spec:
            raise ApiError(404, "The resource could not be found.")
        return http.json_response({key: spec[key]})
    if spec is None or spec["encryption_id"] != key:
        raise ApiError(404, f"Volume type encryption for type {vtype['id']} does not "
                            "exist.")
    if request.method == "DELETE":
        _in_use(ctx, vtype, "delete")
        del vtype[KEY]
        return http.json_response(None, 202)
    _in_use(ctx, vtype, "update")
    body = envelope(await http.json_body(request), "encryption")
    values = check_body(CINDER, FIELDS, body, create=False)
    spec.update(values, updated_at=cinder_time())
    return http.json_response({"encryption": values})


SEEDED = [("ssd-luks", "LUKS-encrypted SSD volumes", {"volume_backend_name": "ceph-ssd"},
           True, {"provider": "luks", "cipher": "aes-xts-plain64", "key_size": 256,
                  "control_location": "front-end"}),
          ("tenant-gold", "Gold tier, for the projects it is shared with",
           {"volume_backend_name": "ceph-ssd"}, False, None)]


def seed(store: Store) -> None:
    """``ssd-luks`` (encrypted) and ``tenant-gold`` (private: the first project beside the
    demo's own logins may use it)."""
    types = store.table("volume_types")
    mine = (store.meta.get("admin_project_id"), store.meta.get("member_project_id"))
    skip = store.meta.get("service_project_id")
    other = next((p["id"] for p in store.table("projects").values()
                  if not p.get("is_domain") and p["id"] not in (*mine, skip)), None)
    for name, desc, specs, public, encryption in SEEDED:
        tid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"volume-type:{store.config.seed}:{name}"))
        types[tid] = {"id": tid, "name": name, "description": desc, "is_public": public,
                      "os-volume-type-access:is_public": public, "qos_specs_id": None,
                      "extra_specs": dict(specs), "_backend": specs["volume_backend_name"]}
        if not public:
            types[tid]["_access"] = [other] if other else []
        if encryption is not None:
            types[tid][KEY] = _new(tid, encryption, cinder_time())


def routes() -> list[BaseRoute]:
    return [*both("/types/{id}/encryption", index, ["GET", "POST"]),
            *both("/types/{id}/encryption/{key}", one, ["GET", "PUT", "DELETE"])]
