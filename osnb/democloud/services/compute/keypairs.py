"""Nova keypairs (per user) and server groups."""

from __future__ import annotations

import base64
import hashlib
import struct
import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx as EngineCtx
from ...engine import Field, Query, check_body, parse, select
from ...http import ApiError, json_body
from ...store import Record, Store, isotime, now
from ._dialect import NOVA, NOVA_ADMIN, Ctx, NovaCollection

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
        raise NOVA.bad("Keypair data is invalid: failed to generate fingerprint")
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except ValueError:
        raise NOVA.bad("Keypair data is invalid: failed to generate fingerprint") from None
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


KEYPAIR = NovaCollection(
    "keypair", "keypairs", replace(NOVA_ADMIN, path="keypair", default_sort=(("name", "asc"),),
                                   bad_limit_words="Invalid input for query parameters limit.",
                                   negative_limit_words="Invalid input for query parameters "
                                                        "limit.",
                                   marker_words="Marker {marker} could not be found.",
                                   next_when_full=False, ignored_params=frozenset(
                                       {"fields", "page_reverse", "sort_key", "sort_dir"}),
                                   reasons={"type": "is not one of ['ssh', 'x509']",
                                            "public_key": "is not of type 'string'"}),
    fields={"name": Field(nullable=True), "public_key": Field(),
            "type": Field(choices=("ssh", "x509"), default="ssh"),
            "user_id": Field(nullable=True)},
    project_key=None)


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
    ctx = KEYPAIR.context(request)
    prefix = f"{_target_user(ctx)}/"
    mine = {r["name"]: r for k, r in KEYPAIR.records(ctx.store).items() if k.startswith(prefix)}
    query = parse(request, KEYPAIR, ctx.admin) if ctx.at_least(2, 35) else Query()
    recs, more = select(KEYPAIR, query, mine.values(), mine)
    body: dict[str, Any] = {"keypairs": [{"keypair": _kp_view(ctx, r, detail=False)}
                                         for r in recs]}
    if more and recs:
        body["keypairs_links"] = [{"rel": "next", "href": (
            f"{ctx.base}{request.url.path}?limit={query.limit}&marker={recs[-1]['name']}")}]
    return KEYPAIR.respond(ctx, body)


def _keypair(request: Request) -> tuple[Ctx, str, str]:
    ctx = KEYPAIR.context(request)
    user, name = _target_user(ctx), request.path_params["name"]
    if f"{user}/{name}" not in KEYPAIR.records(ctx.store):
        raise ApiError(404, f"Keypair {name} not found for user {user}")
    return ctx, user, name


async def show_keypair(request: Request) -> Response:
    ctx, user, name = _keypair(request)
    rec = KEYPAIR.records(ctx.store)[f"{user}/{name}"]
    return KEYPAIR.respond(ctx, {"keypair": _kp_view(ctx, rec, detail=True)})


async def create_keypair(request: Request) -> Response:
    ctx = KEYPAIR.context(request)
    body = await json_body(request)
    if not isinstance(body, dict) or "keypair" not in body:
        raise NOVA.body_missing("keypair")
    spec = KEYPAIR.dialect.check_keys(body["keypair"], {
        "name", "public_key", *(("type",) if ctx.at_least(2, 2) else ()),
        *(("user_id",) if ctx.at_least(2, 10) else ())})
    name = spec.get("name")
    if not isinstance(name, str) or not name or len(name) > 255 or \
            not set(name) <= _KP_NAME_OK or name != name.strip():
        raise NOVA.bad("Keypair data is invalid: Keypair name contains unsafe characters"
                       if isinstance(name, str) and name else
                       f"Invalid input for field/attribute name. Value: {name}.")
    values = check_body(KEYPAIR.dialect, KEYPAIR.fields, spec, create=True)
    user = spec.get("user_id") or ctx.token.user_id
    if user != ctx.token.user_id:
        ctx.require_admin("os_compute_api:os-keypairs:create")
    if f"{user}/{name}" in KEYPAIR.records(ctx.store):
        raise ApiError(409, f"Key pair '{name}' already exists.")
    public_key, private_key = values.get("public_key"), None
    if public_key is None:
        if ctx.at_least(2, 92):
            raise NOVA.schema("keypair", spec, "'public_key' is a required property")
        public_key, private_key = _generate()
    rec = new_keypair(ctx.store, user_id=user, name=name, public_key=public_key,
                      key_type=values.get("type", "ssh"))
    out = _kp_view(ctx, rec, detail=False)
    out["user_id"] = user
    if private_key is not None:
        out["private_key"] = private_key
    return KEYPAIR.respond(ctx, {"keypair": out}, 201 if ctx.at_least(2, 2) else 200)


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
    ctx, user, name = _keypair(request)
    del KEYPAIR.records(ctx.store)[f"{user}/{name}"]
    return KEYPAIR.respond(ctx, None, 204 if ctx.at_least(2, 2) else 202)


# -- server groups ------------------------------------------------------------------------

_POLICIES = ("anti-affinity", "affinity", "soft-anti-affinity", "soft-affinity")


def new_server_group(store: Store, *, name: str, policy: str, project_id: str, user_id: str,
                     rules: dict[str, Any] | None = None, gid: str | None = None) -> Record:
    rec: Record = {"id": gid or store.uuid(), "name": name, "policy": policy,
                   "rules": dict(rules or {}), "members": [], "project_id": project_id,
                   "user_id": user_id}
    SERVER_GROUP.records(store)[rec["id"]] = rec
    return rec


class ServerGroups(NovaCollection):
    """A project's server groups: ``policy``/``rules`` from 2.64, ``policies`` before."""

    def shape(self, ctx: EngineCtx, rec: Record) -> Record:
        assert isinstance(ctx, Ctx)
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

    async def index(self, request: Request) -> Response:
        """Nova pages server groups by ``offset`` and ``limit``."""
        ctx = self.context(request)
        q = request.query_params
        everyone = ctx.admin and q.get("all_projects", "").lower() in (
            "1", "true", "yes", "on", "t")
        recs = [r for r in self.records(ctx.store).values()
                if everyone or r["project_id"] == ctx.token.project_id]
        try:
            offset = int(q.get("offset", 0))
            limit = int(q["limit"]) if "limit" in q else None
        except ValueError:
            raise NOVA.bad("Invalid input for query parameters limit/offset.") from None
        recs = recs[offset:offset + limit] if limit is not None else recs[offset:]
        return self.respond(ctx, {"server_groups": [self.render(ctx, r) for r in recs]})

    async def body(self, request: Request) -> dict[str, Any]:
        """``{name, policy, rules}`` from either microversion's body."""
        ctx = self.context(request)
        spec = NOVA.inner(await json_body(request), "server_group")
        name = spec.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 255:
            raise NOVA.schema("server_group/name", name, "is not a valid name")
        rules: dict[str, Any] = {}
        if ctx.at_least(2, 64):
            extra = set(spec) - {"name", "policy", "rules"}
            if extra or "policy" not in spec:
                raise NOVA.schema("server_group", spec, "'policy' is a required property"
                                  if not extra else "Additional properties are not allowed")
            policy = spec["policy"]
            rules = spec.get("rules") or {}
            if not isinstance(rules, dict) or (rules and policy != "anti-affinity"):
                raise NOVA.bad("Only anti-affinity policy supports rules.")
        else:
            extra = set(spec) - {"name", "policies"}
            pols = spec.get("policies")
            if extra or not isinstance(pols, list) or len(pols) != 1:
                raise NOVA.schema("server_group", spec, "'policies' is a required property")
            policy = pols[0]
        allowed = _POLICIES if ctx.at_least(2, 15) else _POLICIES[:2]
        if policy not in allowed:
            raise NOVA.schema("server_group/policy", policy,
                              f"{policy!r} is not one of {list(allowed)}")
        return {"name": name, "policy": policy, "rules": rules}

    def on_create(self, ctx: EngineCtx, record: Record, body: Mapping[str, Any]) -> None:
        record["members"] = []
        record["user_id"] = ctx.token.user_id


SERVER_GROUP = ServerGroups(
    "server_group", "server_groups", replace(NOVA_ADMIN, not_found_words="Instance group {ident} "
                                                                   "could not be found."),
    fields={"name": Field(), "policy": Field(), "rules": Field(type="dict")},
    path="os-server-groups", timestamps=None, create_status=200)


def routes() -> list[BaseRoute]:
    return [
        Route("/v2.1/os-keypairs", list_keypairs, methods=["GET"]),
        Route("/v2.1/os-keypairs", create_keypair, methods=["POST"]),
        Route("/v2.1/os-keypairs/{name}", show_keypair, methods=["GET"]),
        Route("/v2.1/os-keypairs/{name}", delete_keypair, methods=["DELETE"]),
        *SERVER_GROUP.routes("/v2.1"),
    ]
