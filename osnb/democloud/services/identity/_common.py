"""What Keystone's collections and handlers share: :class:`Resource` (a collection under
Keystone's policy), ids, secrets, links, the roles a user holds, token revocation."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import hashlib
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...engine import Collection, Ctx, Filter, Query, coerce
from ...http import ApiError, json_response, store_of
from ...store import Record, Store, now
from ._dialect import KEYSTONE, KeystoneDialect

__all__ = ["INHERITED", "V3", "future_time", "Handler", "Resource", "base_url", "challenge", "check_password", "checks",
           "effective_role_ids", "endpoint_url", "enforce", "expand_implied", "flag", "hash_secret", "hex_id",
           "implications", "link", "link_toggle", "listing", "purge", "reachable", "related", "record_revocation", "refuse_additional", "revoke_where", "truth", "user_group_ids"]

V3 = "/identity/v3"
_ACTIONS = {"GET": "show", "HEAD": "show", "POST": "create", "PATCH": "update",
            "PUT": "update", "DELETE": "delete"}


def hex_id(store: Store) -> str:
    """A seeded Keystone-style id: a uuid4 as 32 hex digits, no dashes."""
    return store.uuid().replace("-", "")


def hash_secret(salt: str, secret: str) -> str:
    return hashlib.sha256(f"{salt}:{secret}".encode()).hexdigest()


def check_password(user: Record, password: str) -> bool:
    stored = user.get("_password_hash")
    return bool(stored) and stored == hash_secret(user["id"], password)


def base_url(request: Request) -> str:
    return store_of(request).base_url or str(request.base_url).rstrip("/")


def endpoint_url(store: Store, endpoint: Record) -> str:
    """The endpoint's url as Keystone stores it (``$(project_id)s`` left in place)."""
    url: str = endpoint["url"]
    return store.base_url + url if endpoint.get("_relative") else url


def truth(name: str, text: str) -> bool:
    """A boolean query parameter as Keystone reads it (a bare ``?name`` is true)."""
    try:
        return not text.strip() or bool(coerce("bool", text, lenient=True))
    except ValueError:
        raise ApiError(400, f"Invalid value {text!r} for boolean parameter {name}.") from None


def flag(name: str) -> Filter:
    """The filter ``?name=true`` on a boolean attribute."""
    def match(values: list[str]) -> Callable[[Any], bool]:
        wanted = truth(name, values[-1])
        return lambda value: value is wanted
    return Filter(match=match)


def enforce(ctx: Ctx, action: str, *, allow_self: str | None = None,
            allow_project: str | None = None) -> None:
    """Keystone's policy for ``action``: admins always; a member only on itself
    (``allow_self`` = a user id) or its own project (``allow_project`` = a project id)."""
    token = ctx.token
    if not (token.is_admin or (allow_self is not None and allow_self == token.user_id) or
            (allow_project is not None and allow_project == token.project_id)):
        raise KEYSTONE.forbidden(action)


def link_toggle(store: Store, method: str, table: str, key: str, record: Record,
                missing: str) -> None:
    """A link between two records (a group member, a project's endpoint): ``PUT`` makes it,
    ``GET``/``HEAD``/``DELETE`` of one that is not there answer 404 with ``missing``,
    ``DELETE`` removes it."""
    links = store.table(table)
    if method == "PUT":
        links[key] = record
    elif key not in links:
        raise ApiError(404, missing)
    elif method == "DELETE":
        del links[key]


def checks(create: str, check: str, delete: str) -> dict[str, str]:
    """The policy rules of a link's ``PUT``, ``GET``/``HEAD`` and ``DELETE``."""
    return {"PUT": create, "GET": check, "HEAD": check, "DELETE": delete}


End = tuple[str, "Resource", str]
"""One end of a link: the path parameter, the collection it names, the link's key."""


def link(rules: Mapping[str, str], table: str, ends: tuple[End, End], missing: str,
         shown: Callable[[str, str], Record] | None = None) -> Handler:
    """The handler of one link between two records (a group member, a project's endpoint):
    after ``rules``, both ends looked up, then ``PUT`` makes it, ``GET``/``HEAD``/``DELETE``
    of one that is not there answer 404 with ``missing`` (formatted with both ids),
    ``DELETE`` removes it; 204, or ``shown(a, b)`` for a ``GET`` when given."""
    async def handler(request: Request) -> Response:
        ctx = Ctx.of(request)
        enforce(ctx, rules[request.method])
        a, b = (coll.lookup(ctx.store, request.path_params[param])["id"]
                for param, coll, _ in ends)
        link_toggle(ctx.store, request.method, table, f"{a}|{b}",
                    {ends[0][2]: a, ends[1][2]: b}, missing.format(a, b))
        if shown is not None and request.method in ("GET", "HEAD"):
            return json_response(shown(a, b) if request.method == "GET" else None)
        return json_response(None, 204)
    return handler


def related(rule: str, table: str, owner: End, child: End, *, allow_self: bool = False,
            extra: Mapping[str, Any] | None = None) -> Handler:
    """The handler listing the ``child`` records linked in ``table`` to the ``owner`` one
    the path names (a group's users, an endpoint's projects), in the links' order; after
    ``rule`` (``allow_self``: a user may list its own), each shown with ``extra``."""
    (param, owners, owner_key), (_, children, child_key) = owner, child

    async def handler(request: Request) -> Response:
        ctx = Ctx.of(request)
        oid = request.path_params[param]
        enforce(ctx, rule, allow_self=oid if allow_self else None)
        oid = owners.lookup(ctx.store, oid)["id"]
        records = children.records(ctx.store)
        return listing(request, children.plural, [
            {**children.render(ctx, records[v[child_key]]), **(extra or {})}
            for v in ctx.store.table(table).values()
            if v[owner_key] == oid and v[child_key] in records])
    return handler


def purge(table: dict[str, Record], match: Callable[[str, Record], bool]) -> None:
    """Delete the rows of ``table`` whose key and record ``match`` (a cascade)."""
    for key in [k for k, record in table.items() if match(k, record)]:
        del table[key]


def listing(request: Request, plural: str, rendered: list[Record]) -> Response:
    """An unpaged list document (``links.next`` null), as Keystone's lists but two are."""
    return json_response(KEYSTONE.page_body(request, plural, rendered, rendered, limit=None,
                                            more=False))


@dataclass(eq=False)
class Resource(Collection):
    """A Keystone collection: PATCH to update, ids as 32 hex digits, no project owner or
    timestamps, attributes beyond the declared ones kept (Keystone's ``extra``), and
    Keystone's policy checked before the record is looked up: admins only, except the
    ``open`` actions and a ``reads`` record.
    """

    dialect: KeystoneDialect = KEYSTONE
    project_key: str | None = None
    visibility: str | Callable[[Ctx, Record], bool] = "admin"
    write: str = "admin"
    timestamps: tuple[str, str] | None = None
    free_form: bool = True
    update_methods: tuple[str, ...] = ("PATCH",)
    open: frozenset[str] = frozenset()
    """Actions any authenticated caller may do (``list`` and ``show`` for regions)."""
    reads: Callable[[Ctx, str], bool] | None = None
    """Whether a caller who is not an admin may show record ``id`` (its own user)."""
    immutable: tuple[str, ...] = ("id",)
    """Keys an update may send only unchanged."""
    unique_names: bool = False
    """Names are unique within a domain (``domain_id``; all of them for domains)."""
    columns: frozenset[str] = frozenset()
    """The model's own attributes: the others are Keystone's ``extra``, which a PATCH
    response shows (``to_dict(include_extra_dict=True)``)."""
    user_key: str | None = None
    """The key naming the user whose records these are, served under
    ``/v3/users/{uid}``: the list holds that user's, another user's is a 404."""

    def __post_init__(self) -> None:
        self.dialect = dataclasses.replace(self.dialect, subject=self.singular)
        super().__post_init__()

    def rule(self, action: str) -> str:
        named = {"list": f"list_{self.plural}", "show": f"get_{self.singular}"}
        return self.rules.get(action) or named.get(action, f"{action}_{self.singular}")

    def authorize(self, ctx: Ctx, action: str, ident: str | None = None) -> None:
        if ctx.admin or action in self.open or (
                action == "show" and ident is not None and self.reads is not None and
                self.reads(ctx, ident)):
            return
        raise self.dialect.forbidden(self.rule(action))

    def lookup(self, store: Store, ident: str) -> Record:
        """The record ``ident``, or Keystone's 404 (no policy: the caller's was checked)."""
        record = self.records(store).get(ident)
        if record is None:
            raise self.dialect.not_found(self.singular, ident)
        return record

    def get(self, ctx: Ctx, ident: str) -> Record:
        self.authorize(ctx, _ACTIONS.get(ctx.request.method, "show"), ident)
        record = self.lookup(ctx.store, ident)
        if self.user_key and record[self.user_key] != ctx.request.path_params["uid"]:
            raise self.dialect.not_found(self.singular, ident)
        return record

    def candidates(self, ctx: Ctx, query: Query) -> Iterable[Record] | None:
        if self.user_key is None:
            return None
        uid = ctx.request.path_params["uid"]
        if uid not in ctx.store.table("users"):
            raise self.dialect.not_found("user", uid)
        return [r for r in self.records(ctx.store).values() if r[self.user_key] == uid]

    def may_change(self, ctx: Ctx, record: Record | None, action: str) -> None:
        if record is None:  # create; an update or delete was authorized by get()
            self.authorize(ctx, action)

    async def index(self, request: Request) -> Response:
        self.authorize(Ctx.of(request), "list")  # before the query is read, as Keystone
        return await super().index(request)

    def visible_records(self, ctx: Ctx, query: Query) -> Iterable[Record]:
        source = self.candidates(ctx, query)
        return self.records(ctx.store).values() if source is None else source

    def shape(self, ctx: Ctx, record: Record) -> Record:
        record["links"] = {"self": f"{base_url(ctx.request)}{V3}/{self.path}/{record['id']}"}
        if self.columns and ctx.request.method == "PATCH":
            record["extra"] = {k: v for k, v in record.items()
                               if k not in self.columns and k != "links"}
        return record

    def unique(self, store: Store, name: str, domain_id: str | None,
               skip: str | None = None) -> None:
        for other in self.records(store).values():
            if other["name"] == name and other.get("domain_id") == domain_id and \
                    other["id"] != skip:
                where = f" at domain ID {domain_id}" if domain_id else ""
                raise self.dialect.conflict(self.singular, f"Duplicate entry found with "
                                                           f"name {name}{where}")

    def _sent(self, values: dict[str, Any], body: Mapping[str, Any]) -> None:
        """Drop what a body may not set (private keys, ``links``); refuse a blank name."""
        for key in [k for k in values if k[:1] == "_" or k == "links"]:
            del values[key]
        for key in ("name", "id"):
            if isinstance(body.get(key), str) and not body[key].strip():
                raise self.dialect.bad(f"Invalid input for field '{key}': '' is too short.")

    def on_create(self, ctx: Ctx, record: Record, body: Mapping[str, Any]) -> None:
        self._sent(record, body)

    def on_update(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        self._sent(changes, changes)
        for key in self.immutable:
            if key in changes:
                if changes.pop(key) != record.get(key):
                    raise self.dialect.bad(f"Update of `{key}` is not allowed.")
        if self.unique_names and "name" in changes:
            self.unique(ctx.store, changes["name"], record.get("domain_id"), record["id"])


def refuse_additional(singular: str, allowed: Iterable[str], raw: Mapping[str, Any]) -> None:
    """Keystone's 400 for a body key its JSON schema does not allow
    (``additionalProperties: false``)."""
    unexpected = [k for k in raw if k not in set(allowed)]
    if unexpected:
        raise ApiError(400, f"Invalid input for field/attribute {singular}. Value: "
                            f"{dict(raw)}. Additional properties are not allowed "
                            f"('{unexpected[0]}' was unexpected)")


def future_time(value: Any, *, offsets: bool = True) -> _dt.datetime:
    """An ``expires_at`` as Keystone reads it: ISO 8601, naive meaning UTC, and in the
    future. Application credentials parse with Keystone's own formats (naive or ``Z``,
    ``offsets=False``); trusts take any offset."""
    try:
        when = _dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        raise ApiError(400, f"Invalid input for field 'expires_at': {value!r} is not a "
                            "valid date-time.") from None
    if not offsets and when.tzinfo is not None and not str(value).endswith("Z"):
        raise ApiError(400, "Timestamp not in expected format. The server could not "
                            "comply with the request since it is either malformed or "
                            "otherwise incorrect. The client is assumed to be in error.")
    if when.tzinfo is None:
        when = when.replace(tzinfo=_dt.timezone.utc)
    if when <= now():
        raise ApiError(400, "The provided expires_at is in the past.")
    return when


def revoke_where(store: Store, *, event: bool = True, **match: str) -> None:
    """Revoke every token whose ``user_id``, ``project_id``, ``domain_id`` or
    ``application_credential_id`` is the one given (it went away or was disabled)."""
    for token in store.tokens.values():
        if any(getattr(token, key) == value for key, value in match.items()):
            token.revoked = True
    if event:
        record_revocation(store, **match)


def record_revocation(store: Store, **match: str) -> None:
    """An OS-REVOKE event: tokens matching every key, issued before now, are revoked."""
    stamp = now().strftime("%Y-%m-%dT%H:%M:%S.000000Z")
    events = store.table("revoke_events")
    events[str(len(events))] = {**match, "issued_before": stamp, "revoked_at": stamp}


def user_group_ids(store: Store, user_id: str) -> list[str]:
    return [m["group_id"] for m in store.table("group_members").values()
            if m["user_id"] == user_id]


def reachable(store: Store, user_id: str, scope: str) -> list[str]:
    """The projects or domains (``scope``) the user holds a role on, itself or through a
    group, in the order of the grants."""
    groups = set(user_group_ids(store, user_id))
    projects = store.table("projects")
    found: dict[str, None] = {}
    for a in store.table("role_assignments").values():
        if not (a.get("user", {}).get("id") == user_id or
                a.get("group", {}).get("id") in groups):
            continue
        inherited = a["scope"].get("OS-INHERIT:inherited_to") == "projects"
        target = a["scope"].get(scope)
        if target is not None and not inherited:
            found[target["id"]] = None
        elif inherited and scope == "project":  # the projects below the grant's target
            where = a["scope"].get("domain") or a["scope"].get("project")
            for pid in projects:
                if pid != where["id"] and where["id"] in (
                        h[1] for h in _heritage(store, "project", pid)):
                    found[pid] = None
    return list(found)


def implications(store: Store) -> dict[str, list[str]]:
    """Each prior role's implied roles."""
    out: dict[str, list[str]] = {}
    for rule in store.table("implied_roles").values():
        out.setdefault(rule["prior_role_id"], []).append(rule["implied_role_id"])
    return out


def effective_role_ids(store: Store, user_id: str, scope_type: str, scope_id: str,
                       group_ids: list[str] | None = None) -> list[str]:
    """Roles the user holds on a project or domain: direct, through groups, and implied."""
    assignments = store.table("role_assignments")
    actors = [("user", user_id)] + [("group", g) for g in (
        group_ids if group_ids is not None else user_group_ids(store, user_id))]
    sources = [f"{scope_type}|{scope_id}|{{}}"] + [
        f"{kind}|{ident}|{{}}{INHERITED}" for kind, ident in _heritage(store, scope_type,
                                                                     scope_id)]
    roles = store.table("roles")
    direct = [r for r in roles
              if any(f"{t}|{a}|" + source.format(r) in assignments
                     for t, a in actors for source in sources)]
    # A domain-specific role stands only for the global roles it implies.
    return [r for r in expand_implied(store, direct) if not roles[r].get("domain_id")]


INHERITED = "|inherited"
"""The key suffix of an OS-INHERIT grant (``…|role_id|inherited``): the projects below its
target inherit it."""


def _heritage(store: Store, scope_type: str, scope_id: str) -> list[tuple[str, str]]:
    """Whence a project inherits grants: its domain and every project above it."""
    if scope_type != "project":
        return []
    projects = store.table("projects")
    project = projects.get(scope_id)
    out: list[tuple[str, str]] = []
    seen = {scope_id}
    while project is not None:
        parent = project.get("parent_id")
        if parent is None or parent in seen or parent not in projects:
            break
        seen.add(parent)
        out.append(("project", parent))
        project = projects[parent]
    if project is not None or scope_id in projects:
        out.append(("domain", projects[scope_id]["domain_id"]))
    return out


def expand_implied(store: Store, role_ids: list[str]) -> list[str]:
    """``role_ids`` plus every role they imply, transitively, in a stable order."""
    implied = implications(store)
    out: list[str] = []
    todo = list(role_ids)
    while todo:
        rid = todo.pop(0)
        if rid not in out:
            out.append(rid)
            todo.extend(implied.get(rid, []))
    return out


Handler = Callable[[Request], Awaitable[Response]]


def challenge(handler: Handler) -> Handler:
    """``handler`` with Keystone's ``WWW-Authenticate: Keystone uri="…/v3"`` on its 401s,
    naming where to authenticate (Keystone's ``application._handle_keystone_exception``)."""
    @functools.wraps(handler)
    async def wrapped(request: Request) -> Response:
        try:
            return await handler(request)
        except ApiError as err:
            if err.status == 401:
                err.headers.setdefault("WWW-Authenticate",
                                       f'Keystone uri="{base_url(request)}{V3}"')
            raise
    return wrapped
