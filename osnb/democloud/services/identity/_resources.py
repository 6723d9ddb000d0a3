"""Domains, projects, users, groups and roles: declarations, and what each does when made,
changed or deleted (default domains, the project tree, passwords, cascades)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field, Query, check_body
from ...http import ApiError, json_response, store_of
from ...store import Record, Store
from ._common import (
    Resource,
    check_password,
    flag,
    hash_secret,
    purge,
    record_revocation,
    revoke_where,
    truth,
)
from ._dialect import PAGED_PROJECTS, PAGED_USERS

__all__ = ["DOMAINS", "GROUPS", "PROJECTS", "ROLES", "USERS", "resource_routes"]


def _default_domain(ctx: Ctx, domain_id: str | None) -> str:
    """``domain_id`` as sent, else the domain the caller's token is scoped in."""
    token, projects = ctx.token, ctx.store.table("projects")
    if domain_id is None:
        if token.domain_id:
            domain_id = token.domain_id
        elif token.project_id and token.project_id in projects:
            domain_id = projects[token.project_id]["domain_id"]
        else:
            domain_id = "default"
    return str(DOMAINS.lookup(ctx.store, str(domain_id))["id"])


def _drop_assignments(store: Store, ident: str) -> None:
    purge(store.table("role_assignments"), lambda k, _: f"|{ident}|" in f"|{k}|")


def _forget(store: Store, table: str, ident: str) -> None:
    """Delete a project, user or group and everything that hangs off it."""
    store.table(table).pop(ident, None)
    _drop_assignments(store, ident)
    if table == "projects":
        revoke_where(store, project_id=ident)
        # Keystone's delete_limits_for_project
        purge(store.table("limits"), lambda _, lim: lim.get("project_id") == ident)
    elif table in ("users", "groups"):
        actor = "user_id" if table == "users" else "group_id"
        purge(store.table("group_members"), lambda _, m: m[actor] == ident)
        if table == "users":
            revoke_where(store, user_id=ident)
            # and (Keystone's delete_credentials_for_user) its EC2 credentials
            for creds in ("application_credentials", "credentials"):
                purge(store.table(creds), lambda _, c: c["user_id"] == ident)
            # a trustor's or trustee's trusts go too
            purge(store.table("trusts"), lambda _, t: ident in (t["trustor_user_id"],
                                                                t["trustee_user_id"]))


def _disabled(record: Record, changes: Mapping[str, Any]) -> bool:
    return not {**record, **changes}.get("enabled", True)


# --- domains ------------------------------------------------------------------------------

class _Domains(Resource):
    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        super().on_create(ctx, record, body)
        self.unique(ctx.store, record["name"], None)
        record["id"] = record.pop("explicit_domain_id", None) or record["id"]

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        super().on_update(ctx, record, changes)
        if _disabled(record, changes):  # no revocation event: validation checks the domain
            revoke_where(ctx.store, event=False, domain_id=record["id"])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if record.get("enabled", True):
            raise ApiError(403, "Cannot delete a domain that is enabled, please disable it "
                                "first.")
        store, did = ctx.store, record["id"]
        for table in ("projects", "users", "groups"):
            for rid in [r["id"] for r in store.table(table).values() if r["domain_id"] == did]:
                _forget(store, table, rid)
        _drop_assignments(store, did)
        record_revocation(store, project_id=did)  # Keystone: the domain as a project


def _own_domain(ctx: Ctx, did: str) -> bool:
    project = ctx.store.table("projects").get(ctx.token.project_id or "")
    return ctx.token.domain_id == did or (project is not None and project["domain_id"] == did)


DOMAINS = _Domains("domain", "domains", fields={
    "name": Field(required=True, filter="exact"),
    "description": Field(nullable=True, default=""),
    "enabled": Field(type="bool", default=True),
    "tags": Field(type="list", default=[]),
    "options": Field(type="dict", default={}),
    "explicit_domain_id": Field(create_only=True),
}, filters={"enabled": flag("enabled")}, reads=_own_domain, unique_names=True)


# --- projects -----------------------------------------------------------------------------

class _Projects(Resource):
    def candidates(self, ctx: Ctx, query: Query) -> Iterable[Record] | None:
        """``?is_domain=true`` lists the domains, as the projects that act as them."""
        asked = query.filters.get("is_domain")
        if not asked or not truth("is_domain", asked[-1]):
            return None
        return [{**d, "domain_id": None, "parent_id": None, "is_domain": True}
                for d in DOMAINS.records(ctx.store).values()]

    def shape(self, ctx: Ctx, record: Record) -> Record:
        super().shape(ctx, record)
        for key in ("domain_id", "parent_id", "is_domain") if record["is_domain"] else ():
            record[key] = record.pop(key)  # a domain's own keys first, as it was listed
        return record

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        super().on_create(ctx, record, body)
        if record["is_domain"]:
            raise ApiError(400, "Invalid input for field 'is_domain': create a domain with "
                                "POST /v3/domains.")
        store, parent_id = ctx.store, record["parent_id"]
        if parent_id is not None and parent_id not in DOMAINS.records(store):
            parent = self.lookup(store, parent_id)
            domain_id = record["domain_id"] or parent["domain_id"]
            if domain_id != parent["domain_id"]:
                raise ApiError(400, "Cannot create project, the parent is in a different "
                                    "domain.")
        else:
            domain_id = parent_id or _default_domain(ctx, record["domain_id"])
        self.unique(store, record["name"], domain_id)
        record.update(domain_id=domain_id, parent_id=parent_id or domain_id)

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        super().on_update(ctx, record, changes)
        if _disabled(record, changes):  # no revocation event: validation checks the project
            revoke_where(ctx.store, event=False, project_id=record["id"])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        if any(p.get("parent_id") == record["id"] for p in self.records(ctx.store).values()):
            raise ApiError(403, f"Cannot delete the project {record['id']} since it is not a "
                                "leaf in the hierarchy. Use the cascade option if you want to "
                                "delete a whole subtree.")
        _forget(ctx.store, "projects", record["id"])


PROJECTS = _Projects("project", "projects", PAGED_PROJECTS, fields={
    "name": Field(required=True, filter="exact"),
    "domain_id": Field(nullable=True, default=None, filter="exact"),
    "description": Field(nullable=True, default=""),
    "enabled": Field(type="bool", default=True),
    "parent_id": Field(nullable=True, default=None, filter="exact"),
    "is_domain": Field(type="bool", default=False),
    "tags": Field(type="list", default=[]),
    "options": Field(type="dict", default={}),
}, filters={"enabled": flag("enabled"), "is_domain": flag("is_domain")}, tags=True,
    reads=lambda ctx, pid: pid == ctx.token.project_id, unique_names=True,
    immutable=("id", "domain_id", "parent_id", "is_domain"),
    columns=frozenset({"id", "name", "domain_id", "description", "enabled", "parent_id",
                       "is_domain", "tags", "options"}))


# --- users --------------------------------------------------------------------------------

class _Users(Resource):
    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        super().on_create(ctx, record, body)
        record["domain_id"] = _default_domain(ctx, record["domain_id"])
        self.unique(ctx.store, record["name"], record["domain_id"])
        password = record.pop("password", None)
        if password:
            record["_password_hash"] = hash_secret(record["id"], password)
        federated = record.pop("federated", None)
        if federated:  # Keystone keeps them apart, as the user's shadow objects
            record["_federated"] = federated
        for key in [k for k in body if k in record and k not in self.columns]:
            record[key] = record.pop(key)  # Keystone's extra, in the order sent

    def shape(self, ctx: Ctx, record: Record) -> Record:
        """A user's federated identities show on that user (created or read), never in a
        list, as Keystone's ``get_user`` adds them (``identity/core.py:1189``)."""
        record = super().shape(ctx, record)
        federated = self.records(ctx.store).get(record["id"], {}).get("_federated")
        one = ctx.request.method == "POST" or ctx.request.path_params.get("id") == record["id"]
        if federated and one:
            record["federated"] = federated
        return record

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        super().on_update(ctx, record, changes)
        password = changes.pop("password", None)
        if password:
            record["_password_hash"] = hash_secret(record["id"], password)
        if password or _disabled(record, changes):
            revoke_where(ctx.store, user_id=record["id"])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        _forget(ctx.store, "users", record["id"])


USERS = _Users("user", "users", PAGED_USERS, fields={
    "name": Field(required=True, filter="exact"),
    "domain_id": Field(default=None, filter="exact"),
    "enabled": Field(type="bool", default=True),
    "password_expires_at": Field(read_only=True, default=None),
    "options": Field(type="dict", default={}),
    "description": Field(nullable=True),
    "email": Field(nullable=True),
    "default_project_id": Field(nullable=True),
    "password": Field(nullable=True),
}, filters={"enabled": flag("enabled")}, reads=lambda ctx, uid: uid == ctx.token.user_id,
    unique_names=True, immutable=("id", "domain_id"),
    columns=frozenset({"id", "name", "domain_id", "enabled", "default_project_id",
                       "password_expires_at", "options"}))

_PASSWORDS = {"password": Field(required=True), "original_password": Field(required=True)}


async def change_password(request: Request) -> Response:
    """``POST /v3/users/{id}/password``: the old password proves who asks (no token)."""
    body = check_body(USERS.dialect, _PASSWORDS, await USERS.body(request), create=True,
                      extra=lambda _k: True)
    store = store_of(request)
    user = USERS.lookup(store, request.path_params["id"])
    if not check_password(user, body["original_password"]):
        raise ApiError(401, "The request you have made requires authentication.")
    user["_password_hash"] = hash_secret(user["id"], body["password"])
    revoke_where(store, user_id=user["id"])
    return json_response(None, 204)


# --- groups and roles ---------------------------------------------------------------------

class _Groups(Resource):
    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        super().on_create(ctx, record, body)
        record["domain_id"] = _default_domain(ctx, record["domain_id"])
        self.unique(ctx.store, record["name"], record["domain_id"])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        _forget(ctx.store, "groups", record["id"])


GROUPS = _Groups("group", "groups", fields={
    "name": Field(required=True, filter="exact"),
    "domain_id": Field(default=None, filter="exact"),
    "description": Field(nullable=True, default=""),
}, unique_names=True, immutable=("id", "domain_id"))


class _Roles(Resource):
    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        super().on_create(ctx, record, body)
        if record["domain_id"] is not None:
            DOMAINS.lookup(ctx.store, record["domain_id"])
        self.unique(ctx.store, record["name"], record["domain_id"])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        _drop_assignments(ctx.store, record["id"])
        purge(ctx.store.table("implied_roles"), lambda k, _: record["id"] in k.split("|"))


ROLES = _Roles("role", "roles", fields={
    "name": Field(required=True, filter="exact"),
    "domain_id": Field(nullable=True, default=None, filter="exact"),
    "description": Field(nullable=True, default=None),
    "options": Field(type="dict", default={}),
}, unique_names=True, immutable=("id", "domain_id"))


def resource_routes() -> list[BaseRoute]:
    """The routes of domains, projects, users, groups and roles, relative to ``/identity``."""
    out: list[BaseRoute] = [Route("/v3/users/{id}/password", change_password,
                                  methods=["POST"])]
    for coll in (DOMAINS, PROJECTS, USERS, GROUPS, ROLES):
        out += coll.routes("/v3")
    return out
