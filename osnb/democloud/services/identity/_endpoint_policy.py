"""OS-ENDPOINT-POLICY: which stored policy an endpoint uses.

A policy is associated with an endpoint, a service, or a service in one region; one
target has one policy (a new association replaces the old). An endpoint's effective
policy is its own, else its service's in its region, else its service's.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx
from ...http import ApiError, json_response
from ...store import Record, Store
from ._catalog import ENDPOINTS, REGIONS, SERVICES
from ._common import enforce, listing
from ._policies import POLICIES

__all__ = ["effective_policy", "routes"]

EPP = "OS-ENDPOINT-POLICY"
_RULES = {"PUT": "create_policy_association_for_{}",
          "GET": "check_policy_association_for_{}",
          "HEAD": "check_policy_association_for_{}",
          "DELETE": "delete_policy_association_for_{}"}


def _target(endpoint_id: str | None, service_id: str | None,
            region_id: str | None) -> str:
    return f"{endpoint_id or ''}|{service_id or ''}|{region_id or ''}"


async def association(request: Request) -> Response:
    """Associate (``PUT``), check (``GET``/``HEAD``) or dissociate a policy and a target."""
    ctx, p = Ctx.of(request), request.path_params
    kind = "endpoint" if "eid" in p else "region_and_service" if "rid" in p else "service"
    enforce(ctx, _RULES[request.method].format(kind))
    pid = POLICIES.lookup(ctx.store, p["pid"])["id"]
    eid = ENDPOINTS.lookup(ctx.store, p["eid"])["id"] if "eid" in p else None
    sid = SERVICES.lookup(ctx.store, p["sid"])["id"] if "sid" in p else None
    rid = REGIONS.lookup(ctx.store, p["rid"])["id"] if "rid" in p else None
    table, key = ctx.store.table("policy_associations"), _target(eid, sid, rid)
    if request.method == "PUT":
        table[key] = {"policy_id": pid, "endpoint_id": eid, "service_id": sid,
                      "region_id": rid}
    elif table.get(key, {}).get("policy_id") != pid:
        raise ApiError(404, f"Could not find policy association: {pid}.")
    elif request.method == "DELETE":
        del table[key]
    return json_response(None, 204)


def effective_policy(store: Store, endpoint: Record) -> str | None:
    """The id of the policy ``endpoint`` uses, or None."""
    table = store.table("policy_associations")
    for key in (_target(endpoint["id"], None, None),
                _target(None, endpoint["service_id"], endpoint.get("region_id")),
                _target(None, endpoint["service_id"], None)):
        if key in table and table[key]["policy_id"] in POLICIES.records(store):
            return str(table[key]["policy_id"])
    return None


async def policy_endpoints(request: Request) -> Response:
    """The endpoints a policy applies to, directly or through their service."""
    ctx = Ctx.of(request)
    enforce(ctx, "list_endpoints_for_policy")
    pid = POLICIES.lookup(ctx.store, request.path_params["pid"])["id"]
    return listing(request, "endpoints", [
        ENDPOINTS.render(ctx, e) for e in ENDPOINTS.records(ctx.store).values()
        if effective_policy(ctx.store, e) == pid])


async def endpoint_policy(request: Request) -> Response:
    ctx = Ctx.of(request)
    enforce(ctx, "get_policy_for_endpoint")
    endpoint = ENDPOINTS.lookup(ctx.store, request.path_params["eid"])
    pid = effective_policy(ctx.store, endpoint)
    if pid is None:
        raise ApiError(404, f"No policy is associated with endpoint {endpoint['id']}.")
    policy = POLICIES.lookup(ctx.store, pid)
    return json_response({"policy": POLICIES.render(ctx, policy)})


def routes() -> list[BaseRoute]:
    base, methods = "/v3/policies/{pid}/" + EPP, ["PUT", "GET", "HEAD", "DELETE"]
    return [Route(base + "/endpoints/{eid}", association, methods=methods),
            Route(base + "/services/{sid}", association, methods=methods),
            Route(base + "/services/{sid}/regions/{rid}", association, methods=methods),
            Route(base + "/endpoints", policy_endpoints, methods=["GET"]),
            Route("/v3/endpoints/{eid}/" + EPP + "/policy", endpoint_policy,
                  methods=["GET", "HEAD"])]
