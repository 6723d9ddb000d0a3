"""The collection engine over real HTTP: a toy service declared in a screenful gets
validation with the service's own 400s, policy, filters, sorting and every pagination
style the services use."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route

from osnb.democloud._serve import Served, serve_app
from osnb.democloud.engine import (
    Action,
    Actions,
    Collection,
    Ctx,
    Dialect,
    Field,
    Filter,
    Pairs,
    Query,
    Tags,
    order,
    page,
    parse,
    select,
)
from osnb.democloud.http import ApiError, error_response, json_response
from osnb.democloud.store import Store, Token, now

NEUTRON = Dialect()
NOVA = dataclasses.replace(NEUTRON, style="nova", pagination="links",
                           default_sort=(("created_at", "desc"),), all_projects_param="all_tenants",
                           sort_when_paging_only=False, next_when_full=True)
GLANCE = dataclasses.replace(NEUTRON, style="glance", envelope=False, pagination="glance",
                             default_limit=2, next_when_full=True, sort_param=True,
                             id_follows_last_dir=True, default_sort=(("created_at", "desc"),),
                             sort_when_paging_only=False)
KEYSTONE = dataclasses.replace(NEUTRON, style="keystone", pagination="keystone",
                               id_style="hex", sort_when_paging_only=False)
PLACEMENT = dataclasses.replace(NEUTRON, style="placement", pagination="none",
                                sort_when_paging_only=False)

FIELDS = {
    "name": Field(max_length=10, filter="regex", sort=True, default=""),
    "size": Field(type="int", minimum=1, required=True, filter="exact", sort=True),
    "shared": Field(type="bool", default=False, filter="exact"),
    "color": Field(choices=("red", "blue"), nullable=True, default=None),
    "tags": Field(type="list", items="str", default=[]),
    "labels": Field(type="dict", items="str", default={}),
    "host": Field(admin_only=True, read_only=True, default="node-1", filter="exact"),
    "status": Field(read_only=True, default="ACTIVE", filter="exact"),
}


class Widgets(Collection):
    def on_delete(self, ctx: Ctx, record: dict[str, Any]) -> None:
        if record["name"] == "keep":
            raise ApiError(409, "Widget keep is in use.", type="WidgetInUse")


def _services() -> dict[str, Collection]:
    extra = {"size_min": Filter("min", key="size"), "changes-since": Filter(
        "since", key="updated_at"), "created_at": Filter("range")}
    common = dict(fields=FIELDS, filters=extra, table="widgets")
    return {
        "neutron": Widgets("widget", "widgets", NEUTRON, visibility="shared", tags=True,
                           revision="revision_number", project_aliases=("tenant_id",),
                           **common),  # type: ignore[arg-type]
        "nova": Widgets("widget", "widgets", NOVA, create_status=202, delete_status=202,
                        **common),  # type: ignore[arg-type]
        "glance": Widgets("widget", "widgets", GLANCE, update_methods=("PATCH",),
                          free_form=True, **common),  # type: ignore[arg-type]
        "keystone": Widgets("widget", "widgets", KEYSTONE, **common),  # type: ignore[arg-type]
        "placement": Widgets("widget", "widgets", PLACEMENT, write="admin",
                             **common),  # type: ignore[arg-type]
        "nova-flavors": Stamped("widget", "widgets", dataclasses.replace(
                                    NOVA, sort_dir_alone=True, zero_limit_empty=True),
                                create_status=200, policy_first=True, write="admin",
                                delete_status=202, tie_break=None,
                                sort_by={"weight": "size", "flag": "shared",
                                          "loud": lambda r: r["name"].upper()},
                                default_sort_keys=(("weight", "asc"),),
                                **common),  # type: ignore[arg-type]
    }


class Stamped(Widgets):
    """A service that reads something per request and stamps its answers, and numbers
    its records (kept under their number's text)."""

    def new_record(self, ctx: Ctx, values: Any) -> dict[str, Any]:
        record = super().new_record(ctx, values)
        record["id"] = len(self.records(ctx.store)) + 1000
        return record

    def context(self, request: Request) -> Ctx:
        ctx = super().context(request)
        if request.headers.get("X-Refuse"):
            raise ApiError(406, "refused before anything happened")
        return ctx

    def respond(self, ctx: Ctx, body: Any, status: int = 200) -> Response:
        response = super().respond(ctx, body, status)
        response.headers["X-Stamp"] = ctx.token.project_id or ""
        return response


# Actions: a versioned dialect (widget 1.0 to 1.9), four declared actions and a guard.
VERSIONED = dataclasses.replace(NOVA, versions=("widget", "1.0", "1.9"))


def _paint(ctx: Ctx, record: dict[str, Any], arg: dict[str, Any]) -> None:
    record["color"] = arg["color"]


def _unless_kept(ctx: Ctx, record: dict[str, Any], action: Action) -> None:
    if record["name"] == "keep":
        raise ApiError(409, f"Widget {record['id']} is kept")


def _touched(ctx: Ctx, record: dict[str, Any], answer: Response | None) -> None:
    record["touched"] = record.get("touched", 0) + 1


WIDGET_ACTIONS = Actions(
    VERSIONED, Widgets("widget", "widgets", VERSIONED, fields=FIELDS).get, [
        Action("paint", _paint, {"color": Field(choices=("red", "blue"), required=True)},
               states=("ACTIVE",), refused="Widget {id} is {status}: paint it ACTIVE",
               conflict=409),
        Action("freeze", lambda ctx, r, arg: r.update(status="FROZEN"), {},
               rule="widget:freeze", status=204, guarded=False),
        Action("spin", since=(1, 2), until=(1, 4)),
        Action("weigh", lambda ctx, r, arg: json_response({"size": r["size"]}, 200))],
    guard=_unless_kept, done=_touched, since=(1, 1))


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    style = request.url.path.split("/")[1]
    return error_response(request, style, exc.status, exc.message, type=exc.type)


@pytest.fixture(scope="module")
def toy() -> Iterator[tuple[Served, Store]]:
    store = Store()
    at = now()
    for tid, project, admin in (("admin", "p-admin", True), ("alice", "p-a", False),
                                ("bob", "p-b", False)):
        store.tokens[tid] = Token(id=tid, user_id=tid, methods=["password"], issued_at=at,
                                  expires_at=at.replace(year=at.year + 1), project_id=project,
                                  roles=["admin", "member"] if admin else ["member"])
    routes = [Mount("/" + name, routes=c.routes("/v1")) for name, c in _services().items()]
    # Nova's own paging words: a lone sort_dir, the query kept in the next link, aliases.
    nova2 = dataclasses.replace(NOVA, sort_dir_alone=True, next_repeats_limit=False,
                                default_limit=2)
    routes.insert(0, Mount("/nova/v2", routes=Widgets(
        "widget", "widgets", nova2, fields=FIELDS, table="widgets",
        sort_by={"display_name": "name", "twice": lambda r: -2 * r["size"]}).routes()))
    # Cinder's shape: a brief list and its /detail, the same routes under two prefixes.
    # And a record's map of texts under it (Cinder's metadata).
    cinder = Widgets("widget", "widgets", dataclasses.replace(NOVA, offset_param=True),
                     fields=FIELDS, table="widgets",
                     brief=("id", "name", "nope"))
    routes.insert(0, Mount("/cinder", routes=[
        *cinder.routes_under("/v3", "/v3/{project_id}"),
        *Pairs(cinder, "labels", segment="metadata").routes("/v3"),
        *Tags(cinder).routes("/v3")]))
    routes.insert(0, Mount("/nova/acts", routes=[
        Route("/widgets/{id}/action", WIDGET_ACTIONS.endpoint, methods=["POST"])]))
    app = Starlette(routes=routes, exception_handlers={ApiError: _api_error})
    app.state.store = store
    with serve_app(app) as served:
        yield served, store


def _call(toy: tuple[Served, Store], method: str, path: str, token: str = "alice",
          **kw: Any) -> requests.Response:
    headers = {"X-Auth-Token": token, **kw.pop("headers", {})}
    return requests.request(method, toy[0].url + path, headers=headers, timeout=10, **kw)


@pytest.fixture
def widgets(toy: tuple[Served, Store]) -> Iterator[list[str]]:
    made = []
    for i, (token, name, shared) in enumerate([
            ("alice", "alpha", False), ("alice", "beta", True), ("bob", "gamma", False),
            ("bob", "delta", True), ("alice", "epsilon", False)]):
        r = _call(toy, "POST", "/neutron/v1/widgets", token, json={"widget": {
            "name": name, "size": i + 1, "shared": shared, "tags": [f"t{i % 2}"]}})
        assert r.status_code == 201, r.text
        made.append(r.json()["widget"]["id"])
    yield made
    toy[1].table("widgets").clear()


@pytest.mark.parametrize(("body", "status", "message"), [
    ({"size": 1, "colour": "red"}, 400, "Unrecognized attribute(s) 'colour'"),
    ({"name": "x"}, 400, "Required attribute 'size' not specified"),
    ({"size": "big"}, 400, "Invalid input for size. Reason: 'big' is not an integer."),
    ({"size": 0}, 400, "'0' is not in range 1 through None"),
    ({"size": 1, "name": "n" * 11}, 400, "exceeds maximum length of 10"),
    ({"size": 1, "color": "green"}, 400, "'green' is not in ['red', 'blue']"),
    ({"size": 1, "status": "DOWN"}, 400, "Attribute 'status' not allowed in POST"),
    ({"size": 1, "shared": "yes"}, 400, "'yes' cannot be converted to boolean"),
    ({"size": 1, "labels": {"a": 1}}, 400, "Invalid input for labels. Reason: '{'a': 1}' is "
                                            "not a valid string."),
])
def test_create_checks_the_declaration_in_the_services_words(
        toy: tuple[Served, Store], body: dict[str, Any], status: int, message: str) -> None:
    r = _call(toy, "POST", "/neutron/v1/widgets", json={"widget": body})
    assert r.status_code == status
    assert message in r.json()["NeutronError"]["message"]
    assert r.json()["NeutronError"]["type"] == "HTTPBadRequest"
    assert toy[1].table("widgets") == {}


def test_a_record_is_made_from_defaults_owner_and_stamps(toy: tuple[Served, Store],
                                                          widgets: list[str]) -> None:
    shown = _call(toy, "GET", f"/neutron/v1/widgets/{widgets[0]}").json()["widget"]
    assert shown["project_id"] == shown["tenant_id"] == "p-a"
    assert shown["status"] == "ACTIVE" and shown["color"] is None and shown["revision_number"] == 0
    assert "host" not in shown  # admin-only
    assert _call(toy, "GET", f"/neutron/v1/widgets/{widgets[0]}", "admin").json()[
        "widget"]["host"] == "node-1"
    assert shown["created_at"].endswith("Z")
    r = _call(toy, "PUT", f"/neutron/v1/widgets/{widgets[0]}", json={"widget": {"name": "a2"}})
    assert r.json()["widget"]["name"] == "a2" and r.json()["widget"]["revision_number"] == 1
    assert _call(toy, "GET", f"/neutron/v1/widgets/{widgets[0]}?fields=name&fields=size"
                 ).json() == {"widget": {"name": "a2", "size": 1}}


def test_policy_hides_others_records_and_refuses_changes(toy: tuple[Served, Store],
                                                         widgets: list[str]) -> None:
    assert _call(toy, "GET", f"/neutron/v1/widgets/{widgets[2]}").status_code == 404
    assert _call(toy, "GET", f"/neutron/v1/widgets/{widgets[3]}").status_code == 200  # shared
    r = _call(toy, "DELETE", f"/neutron/v1/widgets/{widgets[3]}")
    assert r.status_code == 403 and r.json()["NeutronError"]["type"] == "PolicyNotAuthorized"
    mine = {w["name"] for w in _call(toy, "GET", "/neutron/v1/widgets").json()["widgets"]}
    assert mine == {"alpha", "beta", "delta", "epsilon"}
    assert len(_call(toy, "GET", "/neutron/v1/widgets", "admin").json()["widgets"]) == 5
    r = _call(toy, "POST", "/placement/v1/widgets", json={"widget": {"size": 1}})
    assert r.status_code == 403 and r.json()["errors"][0]["status"] == 403
    assert _call(toy, "DELETE", f"/neutron/v1/widgets/{widgets[4]}").status_code == 204
    assert widgets[4] not in toy[1].table("widgets")


def test_a_hook_refuses_with_the_services_conflict(toy: tuple[Served, Store],
                                                   widgets: list[str]) -> None:
    _call(toy, "PUT", f"/neutron/v1/widgets/{widgets[0]}", json={"widget": {"name": "keep"}})
    r = _call(toy, "DELETE", f"/neutron/v1/widgets/{widgets[0]}")
    assert r.status_code == 409 and r.json()["NeutronError"]["type"] == "WidgetInUse"
    assert widgets[0] in toy[1].table("widgets")


@pytest.mark.parametrize(("query", "names"), [
    ("shared=true", {"beta", "delta"}),
    ("shared=1&size=2", {"beta"}),
    ("size=1&size=5", {"alpha", "epsilon"}),
    ("name=^[ab]", {"alpha", "beta"}),
    ("size_min=4", {"delta", "epsilon"}),
    ("tags=t0", {"alpha", "gamma", "epsilon"}),
    ("not-tags-any=t0,t1", set()),
    ("changes-since=2000-01-01T00:00:00Z", {"alpha", "beta", "gamma", "delta", "epsilon"}),
    ("created_at=lt:2000-01-01T00:00:00Z", set()),
    ("created_at=2000-01-01T00:00:00Z", set()),  # no operator: eq
    ("host=node-1", {"alpha", "beta", "gamma", "delta", "epsilon"}),
])
def test_filters(toy: tuple[Served, Store], widgets: list[str], query: str,
                 names: set[str]) -> None:
    r = _call(toy, "GET", "/neutron/v1/widgets?" + query, "admin")
    assert r.status_code == 200, r.text
    assert {w["name"] for w in r.json()["widgets"]} == names


@pytest.mark.parametrize(("query", "message"), [
    ("colour=red", "[colour] is invalid attribute for filtering"),
    ("sort_key=color", "color is an invalid attribute for sort_keys"),
    ("sort_key=name&sort_dir=up", "up is an invalid value for sort_dirs"),
    ("limit=ten", "'ten' is not an integer"),
    ("name=(", "Invalid regular expression for name"),
    ("created_at=gte:soon", "Invalid created_at value: gte:soon"),
    ("created_at=soon", "Invalid created_at value: soon"),
])
def test_bad_list_queries_are_the_services_400(toy: tuple[Served, Store], query: str,
                                                message: str) -> None:
    r = _call(toy, "GET", "/neutron/v1/widgets?" + query)
    assert r.status_code == 400 and message in r.json()["NeutronError"]["message"]


def test_admin_only_filter_is_unknown_to_a_member(toy: tuple[Served, Store],
                                                  widgets: list[str]) -> None:
    assert _call(toy, "GET", "/neutron/v1/widgets?host=node-1").status_code == 400


def _walk(toy: tuple[Served, Store], first: str, token: str, nxt: Any) -> list[list[str]]:
    pages, url = [], first
    while url:
        r = requests.get(url if url.startswith("http") else toy[0].url + url,
                         headers={"X-Auth-Token": token}, timeout=10)
        assert r.status_code == 200, r.text
        pages.append([w["name"] for w in r.json()["widgets"]])
        url = nxt(r.json())
        assert len(pages) < 10
    return pages


def test_neutron_pages_both_ways_in_sort_order(toy: tuple[Served, Store],
                                               widgets: list[str]) -> None:
    def nxt(doc: dict[str, Any]) -> str | None:
        return next((ln["href"] for ln in doc.get("widgets_links", ())
                     if ln["rel"] == "next"), None)
    pages = _walk(toy, toy[0].url + "/neutron/v1/widgets?sort_key=name&limit=2", "admin", nxt)
    assert pages == [["alpha", "beta"], ["delta", "epsilon"], ["gamma"]]
    doc = _call(toy, "GET", "/neutron/v1/widgets?sort_key=name&sort_dir=desc&limit=2",
                "admin").json()
    prev = next(ln["href"] for ln in doc["widgets_links"] if ln["rel"] == "previous")
    assert "page_reverse=True" in prev and [w["name"] for w in doc["widgets"]] == [
        "gamma", "epsilon"]
    r = _call(toy, "GET", "/neutron/v1/widgets?marker=nope&limit=1")
    assert r.status_code == 404
    r = _call(toy, "GET", f"/neutron/v1/widgets?marker={widgets[2]}&limit=1")  # bob's
    assert r.status_code == 404
    assert _call(toy, "GET", f"/neutron/v1/widgets?marker={widgets[2]}&limit=1",
                 "admin").status_code == 200


def test_nova_style_pages_newest_first_and_scopes_to_the_project(
        toy: tuple[Served, Store], widgets: list[str]) -> None:
    def nxt(doc: dict[str, Any]) -> str | None:
        return next((ln["href"] for ln in doc.get("widgets_links", ())), None)
    pages = _walk(toy, "/nova/v1/widgets?all_tenants=1&limit=2&sort_key=size", "admin", nxt)
    # Nova links a full page even when it is the last: one more, empty, request.
    assert pages == [["epsilon", "delta"], ["gamma", "beta"], ["alpha"]]
    assert _call(toy, "GET", "/nova/v1/widgets", "admin").json()["widgets"] == []
    r = _call(toy, "GET", "/nova/v1/widgets?all_tenants=1")
    assert r.status_code == 403 and "forbidden" in r.json()
    mine = [w["name"] for w in _call(toy, "GET", "/nova/v1/widgets?sort_key=size").json()[
        "widgets"]]
    assert mine == ["epsilon", "beta", "alpha"]
    assert _call(toy, "GET", "/nova/v1/widgets?marker=nope").status_code == 400


def test_glance_style_pages_with_next_and_first(toy: tuple[Served, Store],
                                                widgets: list[str]) -> None:
    pages = _walk(toy, "/glance/v1/widgets?sort=size:asc", "admin", lambda d: (
        "/glance" + d["next"]) if "next" in d else None)
    assert pages == [["alpha", "beta"], ["gamma", "delta"], ["epsilon"]]
    doc = _call(toy, "GET", "/glance/v1/widgets?sort=size:asc", "admin").json()
    assert doc["first"] == "/v1/widgets?sort=size%3Aasc"
    empty = _call(toy, "GET", "/glance/v1/widgets?limit=0", "admin").json()
    assert empty["widgets"] == [] and "next" not in empty  # Glance: limit=0 is no image
    r = _call(toy, "PATCH", f"/glance/v1/widgets/{widgets[0]}", json=[
        {"op": "replace", "path": "/name", "value": "a3"},
        {"op": "add", "path": "/hw_firmware_type", "value": "uefi"}],
        headers={"Content-Type": "application/openstack-images-v2.1-json-patch"})
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "a3" and r.json()["hw_firmware_type"] == "uefi"


def test_keystone_style_truncates_and_links_next(toy: tuple[Served, Store],
                                                 widgets: list[str]) -> None:
    doc = _call(toy, "GET", "/keystone/v1/widgets?limit=2&sort_key=size", "alice").json()
    assert doc["truncated"] is True and [w["name"] for w in doc["widgets"]] == [
        "alpha", "beta"]
    assert doc["links"]["next"].endswith("marker=" + widgets[1]) and doc["links"][
        "previous"] is None
    doc = _call(toy, "GET", "/keystone/v1/widgets?sort_key=size", "alice").json()
    assert "truncated" not in doc and doc["links"]["next"] is None
    assert len(_call(toy, "POST", "/keystone/v1/widgets", "alice", json={
        "widget": {"size": 3}}).json()["widget"]["id"]) == 32


def test_placement_style_sends_everything_at_once(toy: tuple[Served, Store],
                                                  widgets: list[str]) -> None:
    doc = _call(toy, "GET", "/placement/v1/widgets", "admin").json()
    assert set(doc) == {"widgets"} and len(doc["widgets"]) == 5


def test_a_range_400_can_name_both_bounds() -> None:
    """``invalid`` hears both bounds of a field, so a dialect can word a range as its
    service does (Neutron: ``'0' is not in range 68 through 9216.``)."""
    from osnb.democloud.engine import check_body

    class Ranged(Dialect):
        def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
            if reason in ("minimum", "maximum"):
                return self.bad(f"'{value}' is not in range {facts['low']} through "
                                f"{facts['high']}.")
            return super().invalid(name, value, reason, **facts)

    mtu = {"mtu": Field(type="int", minimum=68, maximum=9216)}
    for value in (0, 10_000):
        with pytest.raises(ApiError) as caught:
            check_body(Ranged(), mtu, {"mtu": value}, create=True)
        assert caught.value.message == f"'{value}' is not in range 68 through 9216."
    with pytest.raises(ApiError) as caught:  # the default words are unchanged
        check_body(NEUTRON, mtu, {"mtu": 0}, create=True)
    assert caught.value.message == "Invalid input for mtu. Reason: '0' is not in range 68 " \
        "through None."


def test_a_dialect_words_a_body_400_by_the_whole_declaration() -> None:
    """Neutron's words: read-only keys are unrecognized with the unknown ones, a list's
    failing item is named, items have a length limit, and a null is the type's error."""
    from osnb.democloud.engine import check_body, coerce

    class Neutronish(Dialect):
        def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
            shown = facts.get("item", value)
            if reason == "null":
                try:
                    coerce(facts["field"].type, None)
                except ValueError as exc:
                    reason, facts = "type", {**facts, "detail": str(exc)}
            return super().invalid(name, shown, reason, **facts)

    dialect = dataclasses.replace(Neutronish(), read_only_unknown=True)
    fields = {"name": Field(), "status": Field(read_only=True),
              "net": Field(create_only=True),
              "hints": Field(type="list", items="str", item_max_length=3)}

    def refusal(body: dict[str, Any], create: bool = True) -> str:
        with pytest.raises(ApiError) as caught:
            check_body(dialect, fields, body, create=create)
        return caught.value.message

    assert refusal({"status": "x", "colour": 1}) == "Unrecognized attribute(s) 'colour, status'"
    assert refusal({"net": "n"}, create=False) == "Unrecognized attribute(s) 'net'"
    assert check_body(dialect, fields, {"net": "n"}, create=True) == {"net": "n"}
    assert refusal({"hints": ["ok", 1]}).endswith("Reason: '1' is not a valid string.")
    assert refusal({"hints": ["long"]}).endswith("Reason: 'long' exceeds maximum length of 3.")
    assert refusal({"name": None}).endswith("Reason: 'None' is not a valid string.")
    with pytest.raises(ApiError) as caught:  # the default dialect's words are unchanged
        check_body(NEUTRON, fields, {"status": "x", "colour": 1}, create=True)
    assert caught.value.message == "Unrecognized attribute(s) 'colour'"
    with pytest.raises(ApiError) as caught:
        check_body(NEUTRON, fields, {"hints": ["ok", 1]}, create=True)
    assert caught.value.message.endswith("Reason: '['ok', 1]' is not a valid string.")
class _Worded(Dialect):
    """A dialect that words a failed field from its declaration."""

    def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
        field = facts["field"]
        return self.bad(f"{name}: {reason} of a {field.type}{'?' if field.nullable else ''}")

    def negative_limit(self, raw: str) -> ApiError:
        return self.bad(f"limit {raw} is below zero")


def test_a_dialect_reads_the_failed_field_and_words_a_negative_limit() -> None:
    from starlette.datastructures import QueryParams

    from osnb.democloud.engine import check_body

    worded = _Worded(style="keystone")
    fields = {"name": Field(required=True), "note": Field(nullable=True, max_length=2)}
    for body, message in (({"name": 3}, "name: type of a str"), ({}, "name: required of a str"),
                          ({"name": "x", "note": "long"}, "note: max_length of a str?")):
        with pytest.raises(ApiError) as err:
            check_body(worded, fields, body, create=True)
        assert err.value.message == message

    class _Request:
        query_params = QueryParams("limit=-1")

    coll = Collection("widget", "widgets", worded, fields=FIELDS)
    with pytest.raises(ApiError) as err:
        parse(_Request(), coll, False)  # type: ignore[arg-type]
    assert err.value.message == "limit -1 is below zero"


def test_ignored_params_are_taken_as_absent() -> None:
    from starlette.datastructures import QueryParams

    quiet = dataclasses.replace(KEYSTONE, ignored_params=frozenset(
        {"limit", "marker", "sort_key", "sort_dir", "fields"}))
    coll = Collection("widget", "widgets", quiet, fields=FIELDS)

    class _Request:
        query_params = QueryParams("limit=2&marker=x&sort_key=nope&fields=name&size=1")

    query = parse(_Request(), coll, False)  # type: ignore[arg-type]
    assert (query.limit, query.marker, query.sort, query.fields) == (None, None, [], [])
    assert list(query.filters) == ["size"]
    loud = Collection("widget", "widgets", KEYSTONE, fields=FIELDS)
    with pytest.raises(ApiError, match="nope is an invalid attribute for sort_keys"):
        parse(_Request(), loud, False)  # type: ignore[arg-type]
def test_nova_sorts_by_aliases_with_a_lone_sort_dir_and_keeps_the_query_in_links(
        toy: tuple[Served, Store], widgets: list[str]) -> None:
    def names(query: str) -> list[str]:
        r = _call(toy, "GET", "/nova/v2/widgets?all_tenants=1&limit=9&" + query, "admin")
        assert r.status_code == 200, r.text
        return [w["name"] for w in r.json()["widgets"]]
    assert names("sort_key=display_name&sort_dir=asc") == [
        "alpha", "beta", "delta", "epsilon", "gamma"]
    assert names("sort_key=twice&sort_key=display_name&sort_dir=asc") == [
        "epsilon", "delta", "gamma", "beta", "alpha"]
    up = _call(toy, "GET", "/nova/v2/widgets?all_tenants=1&limit=9&sort_dir=asc", "admin")
    got = [(w["created_at"], w["id"]) for w in up.json()["widgets"]]
    assert len(got) == 5 and got == sorted(got)  # the default key, ascending
    assert _call(toy, "GET", "/nova/v2/widgets?sort_dir=up", "admin").status_code == 400
    doc = _call(toy, "GET", "/nova/v2/widgets?all_tenants=1&sort_key=size", "admin").json()
    href = doc["widgets_links"][0]["href"]
    assert href.endswith("/nova/v2/widgets?all_tenants=1&sort_key=size&marker=" +
                         widgets[3]), href
    r = _call(toy, "GET", "/nova/v1/widgets?sort_key=size&sort_dir=asc&sort_dir=desc")
    assert r.status_code == 400  # the plain dialect still pairs keys and directions
    r = _call(toy, "GET", "/nova/v1/widgets?limit=-1")
    assert "Limit must be an integer 0 or greater" in r.json()["badRequest"]["message"]


def test_an_order_made_once_pages_as_select_does() -> None:
    """A collection may cache :func:`order` and cut every page from it with :func:`page`."""
    coll = Widgets("widget", "widgets", NOVA, fields=FIELDS, sort_by={"display_name": "name"})
    table = {f"w{i}": {"id": f"w{i}", "name": name, "size": i}
             for i, name in enumerate(["b", "a", "c", "a", "d"])}
    ordered, key = order(coll, Query(sort=[("display_name", "asc")], sorted=True),
                         table.values())
    assert [r["id"] for r in ordered] == ["w1", "w3", "w0", "w2", "w4"]
    for marker in (None, "w1", "w3", "w2", "w4"):
        query = Query(sort=[("display_name", "asc")], sorted=True, limit=2, marker=marker)
        assert page(coll, query, ordered, key, table) == select(coll, query, table.values(),
                                                                table)
    assert page(coll, Query(sorted=True, limit=2, marker="w3"), ordered, key, table)[0] == [
        table["w0"], table["w2"]]
def test_a_collection_answers_its_own_create_and_delete_status(
        toy: tuple[Served, Store]) -> None:
    r = _call(toy, "POST", "/nova/v1/widgets", json={"widget": {"size": 2, "labels": {
        "a": "b"}}})
    assert r.status_code == 202 and r.json()["widget"]["labels"] == {"a": "b"}
    r = _call(toy, "DELETE", f"/nova/v1/widgets/{r.json()['widget']['id']}")
    assert r.status_code == 202 and r.content == b""
    assert toy[1].table("widgets") == {}


def test_a_sort_all_one_way_down_pages_as_the_keys_order_it() -> None:
    from osnb.democloud.engine import Query, select, sort_value

    # Cinder's way: the id breaks ties in the last key's direction.
    coll = Collection("widget", "widgets", dataclasses.replace(NOVA, id_follows_last_dir=True),
                      fields=FIELDS)
    records = [{"id": f"{i:02d}", "size": (None, 3, 3, 1.5, 7)[i % 5],
                "name": ("b", "a", None)[i % 3]} for i in range(30)]
    table = {r["id"]: r for r in records}
    spec = [("size", "desc"), ("name", "desc")]
    expected = sorted(records, key=lambda r: (sort_value(r["size"]), sort_value(r["name"]),
                                              r["id"]), reverse=True)
    pages, marker = [], None
    while True:
        page, more = select(coll, Query(sort=spec, sorted=True, limit=7, marker=marker),
                            records, table)
        pages += page
        if not more:
            break
        marker = page[-1]["id"]
    assert [r["id"] for r in pages] == [r["id"] for r in expected]


def test_hooks_read_the_request_stamp_the_answer_and_pick_statuses(
        toy: tuple[Served, Store], widgets: list[str]) -> None:
    r = _call(toy, "POST", "/nova-flavors/v1/widgets", "admin", json={"widget": {"size": 9}})
    assert r.status_code == 200 and r.headers["X-Stamp"] == "p-admin"
    made = r.json()["widget"]["id"]
    assert isinstance(made, int) and str(made) in toy[1].table("widgets")
    made = str(made)
    r = _call(toy, "GET", f"/nova-flavors/v1/widgets/{made}", "admin")
    assert r.headers["X-Stamp"] == "p-admin"
    r = _call(toy, "DELETE", f"/nova-flavors/v1/widgets/{made}", "admin",
              headers={"X-Refuse": "1"})
    assert r.status_code == 406 and made in toy[1].table("widgets")
    # policy first: a member learns nothing of what exists
    assert _call(toy, "DELETE", f"/nova-flavors/v1/widgets/{made}").status_code == 403
    assert _call(toy, "DELETE", "/nova-flavors/v1/widgets/nope").status_code == 403
    assert _call(toy, "DELETE", "/nova/v1/widgets/nope").status_code == 404
    r = _call(toy, "DELETE", f"/nova-flavors/v1/widgets/{made}", "admin")
    assert r.status_code == 202 and r.content == b"" and made not in toy[1].table("widgets")


def test_sort_map_and_table_order_ties(toy: tuple[Served, Store], widgets: list[str]) -> None:
    def names(query: str) -> list[str]:
        r = _call(toy, "GET", "/nova-flavors/v1/widgets?all_tenants=1&" + query, "admin")
        assert r.status_code == 200, r.text
        return [w["name"] for w in r.json()["widgets"]]
    assert names("") == ["alpha", "beta", "gamma", "delta", "epsilon"]  # weight: size
    assert names("sort_key=loud&sort_dir=desc") == ["gamma", "epsilon", "delta", "beta",
                                                    "alpha"]
    # Equal keys keep the table's order (no id tie-break), both ways; the marker is found
    # by position among the records listed.
    assert names("sort_key=flag&sort_dir=asc") == ["alpha", "gamma", "epsilon", "beta", "delta"]
    assert names("sort_key=flag&sort_dir=desc") == ["beta", "delta", "alpha", "gamma",
                                                      "epsilon"]
    assert names(f"sort_key=flag&sort_dir=asc&marker={widgets[2]}&limit=2") == ["epsilon", "beta"]
    hidden = _call(toy, "GET", f"/nova-flavors/v1/widgets?marker={widgets[2]}")  # bob's
    assert hidden.status_code == 400 and "marker" in hidden.text


def test_a_lone_sort_dir_orders_the_default_key(toy: tuple[Served, Store],
                                                widgets: list[str]) -> None:
    def names(service: str, query: str) -> requests.Response:
        return _call(toy, "GET", f"/{service}/v1/widgets?all_tenants=1&" + query, "admin")
    r = names("nova-flavors", "sort_dir=desc")
    assert [w["name"] for w in r.json()["widgets"]] == ["epsilon", "delta", "gamma", "beta",
                                                        "alpha"]
    r = names("nova-flavors", "sort_key=weight&sort_key=loud&sort_dir=asc")
    assert [w["name"] for w in r.json()["widgets"]][:2] == ["alpha", "beta"]
    assert names("nova", "sort_dir=desc").status_code == 400  # not lenient: refused
    assert names("nova-flavors", "limit=0").json()["widgets"] == []
    assert len(names("nova", "limit=0").json()["widgets"]) == 5  # 0: no limit


def test_a_brief_list_beside_its_detail_under_two_prefixes(toy: tuple[Served, Store],
                                                            widgets: list[str]) -> None:
    for prefix in ("/cinder/v3", "/cinder/v3/p-a"):
        query = "?sort_key=size&sort_dir=asc&limit=2"
        detail = _call(toy, "GET", f"{prefix}/widgets/detail{query}").json()
        brief = _call(toy, "GET", f"{prefix}/widgets{query}").json()
        assert [w["name"] for w in detail["widgets"]] == ["alpha", "beta"]
        assert detail["widgets"][0]["size"] == 1 and detail["widgets"][0]["status"] == "ACTIVE"
        # The brief keys each record has, in their declared order; paged alike.
        assert brief["widgets"] == [{"id": w["id"], "name": w["name"]}
                                    for w in detail["widgets"]]
        assert f"marker={widgets[1]}" in brief["widgets_links"][0]["href"]
        assert "/detail?" in detail["widgets_links"][0]["href"]
    # ``detail`` is the list, never a record's id; a record is still shown whole.
    shown = _call(toy, "GET", f"/cinder/v3/p-a/widgets/{widgets[0]}").json()["widget"]
    assert shown["name"] == "alpha" and shown["size"] == 1


def test_a_records_map_is_served_under_it(toy: tuple[Served, Store],
                                          widgets: list[str]) -> None:
    url = f"/cinder/v3/widgets/{widgets[0]}/metadata"

    def labels(method: str, path: str = "", token: str = "alice", **body: Any
               ) -> requests.Response:
        return _call(toy, method, url + path, token, json=body or None)
    assert labels("GET").json() == {"labels": {}}
    assert labels("POST", labels={"a": "1", "b": "2"}).json() == {"labels": {"a": "1", "b": "2"}}
    assert labels("POST", labels={"b": "3"}).json() == {"labels": {"a": "1", "b": "3"}}  # merged
    assert labels("PUT", labels={"c": "4"}).json() == {"labels": {"c": "4"}}  # replaced
    assert labels("PUT", "/d", meta={"d": "5"}).json() == {"meta": {"d": "5"}}
    assert labels("GET", "/d").json() == {"meta": {"d": "5"}}
    assert labels("DELETE", "/d").status_code == 200
    missing = labels("GET", "/d")
    assert missing.status_code == 404
    assert f"Widget {widgets[0]} has no labels with key d." in missing.text
    assert toy[1].table("widgets")[widgets[0]]["labels"] == {"c": "4"}
    for body, why in (({"meta": {"e": "1"}}, "Request body and URI mismatch"),
                      ({"meta": {"d": "1", "e": "2"}}, "too many items"),
                      ({"meta": {"d": 1}}, "is not of type 'string'"),
                      ({"labels": {"d": "1"}}, "Malformed request body")):
        refused = labels("PUT", "/d", **body)
        assert refused.status_code == 400 and why in refused.text, refused.text
    # Another project's record is as unknown as a made-up one; an admin changes it.
    assert labels("POST", token="bob", labels={"x": "1"}).status_code == 404
    assert labels("POST", token="admin", labels={"x": "1"}).json()["labels"] == {
        "c": "4", "x": "1"}


def test_a_records_tags_are_served_under_it(toy: tuple[Served, Store],
                                            widgets: list[str]) -> None:
    url = f"/cinder/v3/widgets/{widgets[0]}/tags"

    def tags(method: str, path: str = "", token: str = "alice", **body: Any
             ) -> requests.Response:
        return _call(toy, method, url + path, token, json=body or None)
    assert tags("GET").json() == {"tags": ["t0"]}
    assert tags("PUT", tags=["a", "b", "a"]).json() == {"tags": ["a", "b"]}  # each once
    assert tags("PUT", tags="a").status_code == 400
    assert tags("GET", "/a").status_code == 204
    gone = tags("GET", "/z")
    assert gone.status_code == 404 and "Tag z could not be found." in gone.text
    added = tags("PUT", "/c")
    assert added.status_code == 201 and added.headers["Location"].endswith(url + "/c")
    again = tags("PUT", "/c")
    assert again.status_code == 204 and "Location" not in again.headers
    assert tags("DELETE", "/a").status_code == 204
    assert tags("DELETE", "/a").status_code == 404
    assert toy[1].table("widgets")[widgets[0]]["tags"] == ["b", "c"]
    assert tags("PUT", "/d", token="bob").status_code == 404  # not bob's to see
    assert tags("DELETE").status_code == 204
    assert tags("GET").json() == {"tags": []}


def test_an_offset_skips_records_after_the_marker(toy: tuple[Served, Store],
                                                  widgets: list[str]) -> None:
    def names(query: str) -> list[str]:
        r = _call(toy, "GET", "/cinder/v3/widgets/detail?sort_key=size&sort_dir=asc&" + query)
        assert r.status_code == 200, r.text
        return [w["name"] for w in r.json()["widgets"]]
    assert names("") == ["alpha", "beta", "epsilon"]  # alice's
    assert names("offset=1&limit=1") == ["beta"]
    assert names("offset=1") == ["beta", "epsilon"]
    assert names(f"marker={widgets[0]}&offset=1") == ["epsilon"]
    assert names("offset=9") == []
    for bad in ("-1", "x", "1.5"):
        r = _call(toy, "GET", f"/cinder/v3/widgets?offset={bad}")
        assert r.status_code == 400 and "offset must be a non-negative integer" in r.text
    # A dialect without offset paging takes ``offset`` for a filter it does not know.
    assert _call(toy, "GET", "/neutron/v1/widgets?offset=1").status_code == 400


def test_declared_actions_check_version_policy_argument_guard_and_state(
        toy: tuple[Served, Store], widgets: list[str]) -> None:
    """One dispatcher: the body's one key picks the declaration, which says the
    microversions, who may, the argument's fields and the states; the handler only acts."""
    table = toy[1].table("widgets")

    def act(body: Any, ident: str = widgets[0], token: str = "alice",
            version: str = "1.3") -> requests.Response:
        return _call(toy, "POST", f"/nova/acts/widgets/{ident}/action", token, json=body,
                     headers={"OpenStack-API-Version": f"widget {version}"})

    def message(r: requests.Response) -> str:
        return str(next(iter(r.json().values()))["message"])

    # The route's own first microversion (the dialect's gate), then the record's 404.
    assert act({"paint": {"color": "red"}}, version="1.0").status_code == 404
    assert message(act({"paint": {"color": "red"}}, version="1.0")) == \
        "The resource could not be found."
    assert act({"paint": {"color": "red"}}, version="2.0").status_code == 406
    assert act({"paint": {"color": "red"}}, ident="nope").status_code == 404
    assert act({"paint": {"color": "red"}}, ident=widgets[2]).status_code == 404  # bob's
    # The body's one key names the action, within its microversions.
    assert message(act({"paint": {}, "spin": None})) == "Malformed request body"
    assert (act({"juggle": None}).status_code, message(act({"juggle": None}))) == \
        (404, "There is no such action: juggle")
    assert act({"spin": None}, version="1.1").status_code == 404
    assert act({"spin": None}, version="1.5").status_code == 404
    assert act({"spin": None}, version="1.4").status_code == 202
    # The argument before the policy (as the services' schemas); the argument's 400s are
    # the dialect's field words.
    assert act({"freeze": "bad"}).status_code == 400
    refused = act({"freeze": None})
    assert refused.status_code == 403 and message(refused) == \
        "Policy doesn't allow widget:freeze to be performed."
    assert act({"paint": {}}).status_code == 400
    assert "Required attribute 'color' not specified" in message(act({"paint": {}}))
    assert "'green' is not in ['red', 'blue']" in message(act({"paint": {"color": "green"}}))
    assert "is not a dictionary" in message(act({"paint": "red"}))
    # The handler acts; its answer, or the declared status with no body.
    painted = act({"paint": {"color": "blue"}})
    assert (painted.status_code, painted.content) == (202, b"")
    assert table[widgets[0]]["color"] == "blue"
    weighed = act({"weigh": None})
    assert (weighed.status_code, weighed.json()) == (200, {"size": 1})
    assert table[widgets[0]]["touched"] == 3  # spin, paint, weigh: ``done`` after each
    # The states: the declared refusal, with the record's keys and its state.
    frozen = act({"freeze": None}, token="admin")
    assert (frozen.status_code, table[widgets[0]]["status"]) == (204, "FROZEN")
    again = act({"paint": {"color": "red"}})
    assert (again.status_code, message(again)) == (
        409, f"Widget {widgets[0]} is FROZEN: paint it ACTIVE")
    assert table[widgets[0]]["color"] == "blue"
    # The service's guard runs after the argument's checks, for guarded actions only.
    table[widgets[1]]["name"] = "keep"
    assert "Required attribute" in message(act({"paint": {}}, ident=widgets[1]))
    assert message(act({"paint": {"color": "red"}}, ident=widgets[1])) == \
        f"Widget {widgets[1]} is kept"
    assert act({"freeze": {}}, ident=widgets[1], token="admin").status_code == 204
