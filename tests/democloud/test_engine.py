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
from starlette.routing import Mount

from osnb.democloud._serve import Served, serve_app
from osnb.democloud.engine import Collection, Ctx, Dialect, Field, Filter
from osnb.democloud.http import ApiError, error_response
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
        "nova": Widgets("widget", "widgets", NOVA, **common),  # type: ignore[arg-type]
        "glance": Widgets("widget", "widgets", GLANCE, update_methods=("PATCH",),
                          free_form=True, **common),  # type: ignore[arg-type]
        "keystone": Widgets("widget", "widgets", KEYSTONE, **common),  # type: ignore[arg-type]
        "placement": Widgets("widget", "widgets", PLACEMENT, write="admin",
                             **common),  # type: ignore[arg-type]
    }


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
