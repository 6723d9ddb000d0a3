"""Nova keypairs (per user) and server groups."""

from __future__ import annotations

import base64
import hashlib
import struct
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...http import ApiError, json_body
from ...store import Record, Store, isotime, now
from .common import Ctx, bad_request, context, reply, validation_error

__all__ = ["new_keypair", "new_server_group", "ed25519_public_key", "routes"]

_KP_NAME_OK = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ .@")


def ed25519_public_key(raw: bytes, comment: str) -> str:
    """An OpenSSH ``ssh-ed25519`` public key line for 32 raw key bytes."""
    def s(b: bytes) -> bytes:
        return struct.pack(">I", len(b)) + b
    blob = s(b"ssh-ed25519") + s(raw[:32])
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}"


def fingerprint(public_key: str) -> str:
    """Nova's (MD5, colon-separated) fingerprint of an OpenSSH public key."""
    parts = public_key.split()
    if len(parts) < 2:
        raise bad_request("Keypair data is invalid: failed to generate fingerprint")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except ValueError:
        raise bad_request("Keypair data is invalid: failed to generate fingerprint") from None
    digest = hashlib.md5(blob).hexdigest()  # noqa: S324 - Nova's fingerprint format
    return ":".join(digest[i:i + 2] for i in range(0, 32, 2))


def new_keypair(store: Store, *, user_id: str, name: str, public_key: str,
                key_type: str = "ssh", created_at: str | None = None) -> Record:
    table = store.table("keypairs")
    number = store.meta.get("_nova_keypair_id", 0) + 1
    store.meta["_nova_keypair_id"] = number
    rec: Record = {"name": name, "public_key": public_key, "fingerprint": fingerprint(public_key),
                   "type": key_type, "user_id": user_id, "id": number,
                   "created_at": created_at or isotime(now(), micro=True, zulu=False),
                   "deleted": False, "deleted_at": None, "updated_at": None}
    table[f"{user_id}/{name}"] = rec
    return rec


def _kp_view(ctx: Ctx, rec: Record, *, detail: bool) -> dict[str, Any]:
    out = {"name": rec["name"], "public_key": rec["public_key"],
           "fingerprint": rec["fingerprint"]}
    if ctx.at_least(2, 2):
        out["type"] = rec["type"]
    if detail:
        out.update({k: rec[k] for k in ("user_id", "id", "created_at", "deleted",
                                         "deleted_at", "updated_at")})
    return out


def _target_user(ctx: Ctx) -> str:
    user = ctx.request.query_params.get("user_id")
    if user and user != ctx.token.user_id:
        if not ctx.at_least(2, 10):
            return ctx.token.user_id
        ctx.require_admin("os_compute_api:os-keypairs:index")
        return user
    return ctx.token.user_id


async def list_keypairs(request: Request) -> Response:
    ctx = context(request)
    user = _target_user(ctx)
    prefix = f"{user}/"
    recs = sorted((r for k, r in ctx.store.table("keypairs").items() if k.startswith(prefix)),
                  key=lambda r: r["name"])
    q = request.query_params
    body: dict[str, Any] = {}
    if ctx.at_least(2, 35):
        marker = q.get("marker")
        if marker is not None:
            names = [r["name"] for r in recs]
            if marker not in names:
                raise bad_request(f"Marker {marker} could not be found.")
            recs = recs[names.index(marker) + 1:]
        if "limit" in q:
            try:
                limit = int(q["limit"])
            except ValueError:
                raise bad_request("Invalid input for query parameters limit.") from None
            if len(recs) > limit >= 1:
                body["keypairs_links"] = [{"rel": "next", "href": (
                    f"{ctx.base}{request.url.path}?limit={limit}"
                    f"&marker={recs[limit - 1]['name']}")}]
            recs = recs[:limit]
    body = {"keypairs": [{"keypair": _kp_view(ctx, r, detail=False)} for r in recs], **body}
    return reply(ctx, body)


async def show_keypair(request: Request) -> Response:
    ctx = context(request)
    user = _target_user(ctx)
    name = request.path_params["name"]
    rec = ctx.store.table("keypairs").get(f"{user}/{name}")
    if rec is None:
        raise ApiError(404, f"Keypair {name} not found for user {user}")
    return reply(ctx, {"keypair": _kp_view(ctx, rec, detail=True)})


async def create_keypair(request: Request) -> Response:
    ctx = context(request)
    body = await json_body(request)
    if not isinstance(body, dict) or "keypair" not in body:
        raise bad_request("'keypair' is a required property")
    spec = body["keypair"]
    if not isinstance(spec, dict):
        raise validation_error("keypair", spec, f"{spec!r} is not of type 'object'")
    allowed = {"name", "public_key"}
    if ctx.at_least(2, 2):
        allowed.add("type")
    if ctx.at_least(2, 10):
        allowed.add("user_id")
    extra = set(spec) - allowed
    if extra:
        raise validation_error("keypair", spec, "Additional properties are not allowed "
                               f"({', '.join(repr(e) for e in sorted(extra))} was unexpected)")
    name = spec.get("name")
    if not isinstance(name, str) or not name or len(name) > 255 or \
            not set(name) <= _KP_NAME_OK or name != name.strip():
        raise bad_request("Keypair data is invalid: Keypair name contains unsafe characters"
                          if isinstance(name, str) and name else
                          f"Invalid input for field/attribute name. Value: {name}.")
    key_type = spec.get("type", "ssh")
    if key_type not in ("ssh", "x509"):
        raise validation_error("keypair/type", key_type, "is not one of ['ssh', 'x509']")
    user = spec.get("user_id") or ctx.token.user_id
    if user != ctx.token.user_id:
        ctx.require_admin("os_compute_api:os-keypairs:create")
    if f"{user}/{name}" in ctx.store.table("keypairs"):
        raise ApiError(409, f"Key pair '{name}' already exists.")
    public_key = spec.get("public_key")
    private_key = None
    if public_key is None:
        if ctx.at_least(2, 92):
            raise validation_error("keypair", spec, "'public_key' is a required property")
        public_key, private_key = _generate()
    elif not isinstance(public_key, str):
        raise validation_error("keypair/public_key", public_key, "is not of type 'string'")
    rec = new_keypair(ctx.store, user_id=user, name=name, public_key=public_key,
                      key_type=key_type)
    out = _kp_view(ctx, rec, detail=False)
    out["user_id"] = user
    if private_key is not None:
        out["private_key"] = private_key
    return reply(ctx, {"keypair": out}, 201 if ctx.at_least(2, 2) else 200)


def _generate() -> tuple[str, str]:
    try:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:  # pragma: no cover - cryptography ships with openstacksdk
        raw = uuid.uuid4().bytes + uuid.uuid4().bytes
        return ed25519_public_key(raw, "Generated-by-Nova"), "-----BEGIN OPENSSH PRIVATE KEY-----"
    key = ed25519.Ed25519PrivateKey.generate()
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(serialization.Encoding.OpenSSH,
                                           serialization.PublicFormat.OpenSSH).decode()
    return public + " Generated-by-Nova", private


async def delete_keypair(request: Request) -> Response:
    ctx = context(request)
    user = _target_user(ctx)
    name = request.path_params["name"]
    if ctx.store.table("keypairs").pop(f"{user}/{name}", None) is None:
        raise ApiError(404, f"Keypair {name} not found for user {user}")
    return Response(status_code=204 if ctx.at_least(2, 2) else 202, headers=ctx.headers)


# -- server groups ------------------------------------------------------------------------

_POLICIES = ("anti-affinity", "affinity", "soft-anti-affinity", "soft-affinity")


def new_server_group(store: Store, *, name: str, policy: str, project_id: str, user_id: str,
                     rules: dict[str, Any] | None = None, gid: str | None = None) -> Record:
    rec: Record = {"id": gid or store.uuid(), "name": name, "policy": policy,
                   "rules": dict(rules or {}), "members": [], "project_id": project_id,
                   "user_id": user_id}
    store.table("server_groups")[rec["id"]] = rec
    return rec


def _sg_view(ctx: Ctx, rec: Record) -> dict[str, Any]:
    out: dict[str, Any] = {"id": rec["id"], "name": rec["name"]}
    if ctx.at_least(2, 64):
        out["policy"] = rec["policy"]
        out["rules"] = rec["rules"]
    else:
        out["policies"] = [rec["policy"]]
        out["metadata"] = {}
    out["members"] = list(rec["members"])
    if ctx.at_least(2, 13):
        out["project_id"] = rec["project_id"]
        out["user_id"] = rec["user_id"]
    return out


async def list_server_groups(request: Request) -> Response:
    ctx = context(request)
    q = request.query_params
    all_projects = q.get("all_projects", "").lower() in ("1", "true", "yes", "on", "t")
    if all_projects and not ctx.admin:
        all_projects = False
    recs = [r for r in ctx.store.table("server_groups").values()
            if all_projects or r["project_id"] == ctx.token.project_id]
    try:
        offset = int(q.get("offset", 0))
        limit = int(q["limit"]) if "limit" in q else None
    except ValueError:
        raise bad_request("Invalid input for query parameters limit/offset.") from None
    recs = recs[offset:offset + limit] if limit is not None else recs[offset:]
    return reply(ctx, {"server_groups": [_sg_view(ctx, r) for r in recs]})


def _get_group(ctx: Ctx, gid: str) -> Record:
    rec = ctx.store.table("server_groups").get(gid)
    if rec is None or (not ctx.admin and rec["project_id"] != ctx.token.project_id):
        raise ApiError(404, f"Instance group {gid} could not be found.")
    return rec


async def show_server_group(request: Request) -> Response:
    ctx = context(request)
    return reply(ctx, {"server_group": _sg_view(ctx, _get_group(
        ctx, request.path_params["group_id"]))})


async def create_server_group(request: Request) -> Response:
    ctx = context(request)
    body = await json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("server_group"), dict):
        raise bad_request("'server_group' is a required property")
    spec = body["server_group"]
    name = spec.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise validation_error("server_group/name", name, "is not a valid name")
    rules: dict[str, Any] = {}
    if ctx.at_least(2, 64):
        extra = set(spec) - {"name", "policy", "rules"}
        if extra or "policy" not in spec:
            raise validation_error("server_group", spec, "'policy' is a required property"
                                   if not extra else "Additional properties are not allowed")
        policy = spec["policy"]
        rules = spec.get("rules") or {}
        if not isinstance(rules, dict) or (rules and policy != "anti-affinity"):
            raise bad_request("Only anti-affinity policy supports rules.")
    else:
        extra = set(spec) - {"name", "policies"}
        pols = spec.get("policies")
        if extra or not isinstance(pols, list) or len(pols) != 1:
            raise validation_error("server_group", spec, "'policies' is a required property")
        policy = pols[0]
    allowed = _POLICIES if ctx.at_least(2, 15) else _POLICIES[:2]
    if policy not in allowed:
        raise validation_error("server_group/policy", policy,
                               f"{policy!r} is not one of {list(allowed)}")
    rec = new_server_group(ctx.store, name=name, policy=policy, rules=rules,
                           project_id=ctx.token.project_id or "", user_id=ctx.token.user_id,
                           gid=str(uuid.uuid4()))
    return reply(ctx, {"server_group": _sg_view(ctx, rec)})


async def delete_server_group(request: Request) -> Response:
    ctx = context(request)
    rec = _get_group(ctx, request.path_params["group_id"])
    del ctx.store.table("server_groups")[rec["id"]]
    return Response(status_code=204, headers=ctx.headers)


def routes() -> list[BaseRoute]:
    return [
        Route("/v2.1/os-keypairs", list_keypairs, methods=["GET"]),
        Route("/v2.1/os-keypairs", create_keypair, methods=["POST"]),
        Route("/v2.1/os-keypairs/{name}", show_keypair, methods=["GET"]),
        Route("/v2.1/os-keypairs/{name}", delete_keypair, methods=["DELETE"]),
        Route("/v2.1/os-server-groups", list_server_groups, methods=["GET"]),
        Route("/v2.1/os-server-groups", create_server_group, methods=["POST"]),
        Route("/v2.1/os-server-groups/{group_id}", show_server_group, methods=["GET"]),
        Route("/v2.1/os-server-groups/{group_id}", delete_server_group, methods=["DELETE"]),
    ]
