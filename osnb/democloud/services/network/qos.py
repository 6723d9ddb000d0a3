"""QoS policies and their bandwidth-limit, DSCP-marking and minimum-bandwidth rules.

A policy is an admin's to make (members see their own and shared ones, or ones an RBAC
policy shares with them); ports and networks take one by ``qos_policy_id``. A port's
effective policy (its own, else its network's ``qos_network_policy_id``) with minimum
bandwidth rules, on a provider network, asks placement for bandwidth through the port's
``resource_request``. A policy in use cannot be deleted (409 ``QosPolicyInUse``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import MISSING, Ctx, Field, Query, default_of
from ...http import ApiError, auth, json_response, store_of
from ...store import Record, Store
from . import model
from ._common import (
    BOOL,
    RO,
    InUse,
    NeutronCollection,
    bad,
    common,
    conflict,
    document,
    strip_json,
)
from .rbac import reaches

__all__ = ["QOS_POLICIES", "RULES", "check_policy", "refresh_network", "refresh_port",
           "routes", "seed"]

_NAMESPACE = uuid.UUID("0d7f3a52-58b4-4d0e-9e0b-6a1f3c2b9e41")
MAX_KBPS = 2147483647
DSCP_MARKS = (0, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 44, 46,
              48, 56)
"""The DSCP marks Neutron accepts (``neutron_lib.constants.VALID_DSCP_MARKS``)."""


def _visible(ctx: Ctx, policy: Record) -> bool:
    return bool(policy["project_id"] == ctx.token.project_id or policy["shared"]
                or reaches(ctx.store, "qos_policy", policy["id"], ctx.token.project_id))


def _rules_of(store: Store, policy_id: str) -> list[Record]:
    """The policy's rules as its ``rules`` shows them: with their type and policy."""
    out = []
    for kind, coll in RULES.items():
        for rule in coll.records(store).values():
            if rule["_policy_id"] == policy_id:
                out.append({**{k: v for k, v in rule.items() if k[:1] != "_"},
                            "qos_policy_id": policy_id, "type": kind})
    return out


class QosPolicies(NeutronCollection):
    """QoS policies: one default per project; deleting one in use is a 409."""

    private = True  # the engine's render, so that ``shape`` adds the rules

    def shape(self, ctx: Ctx, record: Record) -> Record:
        return {**record, "rules": _rules_of(ctx.store, record["id"])}

    def _one_default(self, ctx: Ctx, project_id: str, skip: str = "") -> None:
        for other in self.records(ctx.store).values():
            if other["is_default"] and other["project_id"] == project_id and \
                    other["id"] != skip:
                raise conflict(f"A default QoS policy exists for project {project_id}.",
                               "QoSPolicyDefaultAlreadyExists")

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        if attrs.get("is_default"):
            self._one_default(ctx, project_id)
        return new_policy(ctx.store, self.dialect.new_id(), project_id,
                          attrs.get("name", ""), attrs.get("description", ""),
                          shared=attrs.get("shared", False),
                          is_default=attrs.get("is_default", False))

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if changes.get("is_default") and not record["is_default"]:
            self._one_default(ctx, record["project_id"], skip=record["id"])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        super().on_delete(ctx, record)
        store, pid = ctx.store, record["id"]
        for coll in RULES.values():
            table = coll.records(store)
            for rid in [r["id"] for r in table.values() if r["_policy_id"] == pid]:
                del table[rid]


def new_policy(store: Store, policy_id: str, project_id: str, name: str,
               description: str = "", *, shared: bool = False,
               is_default: bool = False) -> Record:
    stamp = model.timestamp()
    policy: Record = {
        "id": policy_id, "name": name, "tenant_id": project_id, "project_id": project_id,
        "description": description, "tags": [], "created_at": stamp,
        "updated_at": stamp, "revision_number": 0}
    policy.update({"shared": shared, "is_default": is_default})
    store.table("qos_policies")[policy_id] = policy
    return policy


QOS_POLICIES = QosPolicies("policy", "policies", path="qos/policies", table="qos_policies",
                           write="admin", visibility=_visible, in_use=tuple(
                               InUse(table, ("qos_policy_id",), f"QoS Policy {{id}} is used by "
                                     f"{kind} {{user}}.", "QosPolicyInUse")
                               for kind, table in (("port", "ports"), ("network", "networks"),
                                                   ("floatingip", "floatingips"))),
                           fields=common({
                               "shared": BOOL, "is_default": BOOL, "rules": RO}))


def check_policy(ctx: Ctx, policy_id: Any) -> None:
    """A ``qos_policy_id`` a port or network is given: one the caller sees, or the 404."""
    if policy_id is not None:
        QOS_POLICIES.get(ctx, str(policy_id))


# -- rules -------------------------------------------------------------------------------

_DIRECTION = Field(type="any", choices=("egress", "ingress"), default="egress")
_KBPS = Field(type="int", lenient=True, minimum=0, maximum=MAX_KBPS)
_RATE, _BURST = replace(_KBPS, required=True), replace(_KBPS, default=0)


@dataclass(eq=False)
class QosRules(NeutronCollection):
    """One kind of rule, under its policy's path; at most one per direction."""

    kind: str = ""
    project_key: str | None = None
    write: str = "admin"
    tags: bool = False
    stamped = False
    private = True

    def _policy(self, ctx: Ctx) -> Record:
        return QOS_POLICIES.get(ctx, strip_json(ctx.request.path_params["policy_id"]))

    def candidates(self, ctx: Ctx, query: Query) -> Iterable[Record] | None:
        pid = self._policy(ctx)["id"]
        return [r for r in self.records(ctx.store).values() if r["_policy_id"] == pid]

    def get(self, ctx: Ctx, ident: str) -> Record:
        policy = self._policy(ctx)
        rule = self.records(ctx.store).get(strip_json(ident))
        if rule is None or rule["_policy_id"] != policy["id"]:
            raise ApiError(404, f"QoS rule {strip_json(ident)} for policy {policy['id']} "
                           "could not be found.", type="QosRuleNotFound")
        return rule

    def _conflict(self, ctx: Ctx, policy: Record, direction: Any, skip: str = "") -> None:
        for rule in self.records(ctx.store).values():
            if rule["_policy_id"] == policy["id"] and rule["id"] != skip and (
                    rule.get("direction") == direction
                    or "any" in (rule.get("direction"), direction)):
                raise conflict(f"Rule {self.kind} conflicts with rule {rule['id']} which "
                               f"already exists in QoS Policy {policy['id']}.",
                               "QoSRulesConflict")

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        policy = self._policy(ctx)
        record = new_rule(self, self.dialect.new_id(), policy, attrs, ctx.store, check=ctx)
        if self.kind == "minimum_bandwidth":
            refresh_policy(ctx.store, policy["id"])
        return record

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        policy = self._policy(ctx)
        if "direction" in changes:
            self._conflict(ctx, policy, changes["direction"], skip=record["id"])
        model.stamp(policy)
        if self.kind == "minimum_bandwidth":
            record.update(changes)
            refresh_policy(ctx.store, policy["id"])

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        policy = self._policy(ctx)
        model.stamp(policy)
        self.records(ctx.store).pop(record["id"], None)
        if self.kind == "minimum_bandwidth":
            refresh_policy(ctx.store, policy["id"])


def new_rule(coll: QosRules, rule_id: str, policy: Record, attrs: Mapping[str, Any],
             store: Store, check: Ctx | None = None) -> Record:
    rule: Record = {"id": rule_id}
    for name, f in coll.fields.items():
        if name in attrs:
            rule[name] = attrs[name]
        elif (value := default_of(f)) is not MISSING:
            rule[name] = value
    if check is not None:
        coll._conflict(check, policy, rule.get("direction"))
    rule["_policy_id"] = policy["id"]
    coll.records(store)[rule_id] = rule
    model.stamp(policy)
    return rule


def _rules(kind: str, fields: dict[str, Field]) -> QosRules:
    plural = f"{kind}_rules"
    return QosRules(f"{kind}_rule", plural, path=f"qos/policies/{{policy_id}}/{plural}",
                    table=f"qos_{plural}", kind=kind, visibility="public", fields={"id": RO, **fields},
                    rules={a: f"{a}_policy_{kind}_rule"
                           for a in ("get", "create", "update", "delete")})


RULES: dict[str, QosRules] = {
    "bandwidth_limit": _rules("bandwidth_limit", {
        "max_kbps": _RATE, "max_burst_kbps": _BURST, "direction": _DIRECTION}),
    "dscp_marking": _rules("dscp_marking", {
        "dscp_mark": Field(type="int", lenient=True, choices=DSCP_MARKS, required=True)}),
    "minimum_bandwidth": _rules("minimum_bandwidth", {
        "min_kbps": _RATE, "direction": _DIRECTION}),
    "packet_rate_limit": _rules("packet_rate_limit", {
        "max_kpps": _RATE, "max_burst_kpps": _BURST, "direction": _DIRECTION}),
    "minimum_packet_rate": _rules("minimum_packet_rate", {
        "min_kpps": _RATE,
        "direction": Field(type="any", choices=("any", "egress", "ingress"),
                           default="egress")}),
}


# -- what a policy does to ports ---------------------------------------------------------

def refresh_port(store: Store, port: Record) -> None:
    """The port's ``qos_network_policy_id`` and ``resource_request`` from its network's
    and its own policy: minimum bandwidth on a provider network is asked of placement."""
    net = store.table("networks").get(port["network_id"]) or {}
    port["qos_network_policy_id"] = net.get("qos_policy_id")
    pid = port.get("qos_policy_id") or net.get("qos_policy_id")
    physnet = net.get("provider:physical_network")
    want: dict[str, int] = {}
    if pid and physnet:
        for rule in RULES["minimum_bandwidth"].records(store).values():
            if rule["_policy_id"] == pid:
                key = "NET_BW_EGR_KILOBIT_PER_SEC" if rule["direction"] == "egress" \
                    else "NET_BW_IGR_KILOBIT_PER_SEC"
                want[key] = rule["min_kbps"]
    if not want:
        port["resource_request"] = None
        return
    group = str(uuid.uuid5(_NAMESPACE, f"{port['id']}:{pid}"))
    vnic = str(port.get("binding:vnic_type") or "normal").upper().replace("-", "_")
    port["resource_request"] = {
        "request_groups": [{"id": group, "required": [
            f"CUSTOM_PHYSNET_{str(physnet).upper().replace('-', '_')}",
            f"CUSTOM_VNIC_TYPE_{vnic}"], "resources": want}],
        "same_subtree": [group]}


def refresh_network(store: Store, net: Record) -> None:
    """After a network's policy changed: its ports' view of it."""
    ports = store.table("ports")
    for pid in list(model.index(store).ports_by_network.get(net["id"], {})):
        if pid in ports:
            refresh_port(store, ports[pid])


def refresh_policy(store: Store, policy_id: str) -> None:
    """After a policy's minimum bandwidth changed: the ports it applies to."""
    model.index(store)  # ports still deferred are made first
    nets = {n["id"] for n in store.table("networks").values()
            if n.get("qos_policy_id") == policy_id}
    for port in store.table("ports").values():
        if port.get("qos_policy_id") == policy_id or port["network_id"] in nets:
            refresh_port(store, port)


# -- rule types --------------------------------------------------------------------------

def _parameters(kind: str) -> list[Record]:
    out: list[Record] = []
    for name, f in RULES[kind].fields.items():
        if name == "id":
            continue
        if f.choices is not None:
            out.append({"parameter_name": name, "parameter_type": "choices",
                        "parameter_values": list(f.choices)})
        else:
            out.append({"parameter_name": name, "parameter_type": "range",
                        "parameter_values": {"start": int(f.minimum or 0),
                                             "end": int(f.maximum or MAX_KBPS)}})
    return out


async def list_rule_types(request: Request) -> Response:
    auth(request)
    kinds = list(RULES)
    wanted = request.query_params.getlist("type")
    return json_response({"rule_types": [{"type": k} for k in kinds
                                         if not wanted or k in wanted]})


async def show_rule_type(request: Request) -> Response:
    auth(request)
    kind = strip_json(request.path_params["rule_type"])
    if kind not in RULES:
        raise ApiError(404, f"Rule type {kind} could not be found.", type="NotFound")
    return json_response({"rule_type": {"type": kind, "drivers": [
        {"name": "openvswitch", "supported_parameters": _parameters(kind)}]}})


# -- the seed ----------------------------------------------------------------------------

def seed(store: Store, admin_project_id: str) -> None:
    """Shared policies an operator offers: a premium tier (cap, mark and guarantee), a
    bandwidth cap, a DSCP mark (ids derived from names: the world's random draws are
    untouched)."""
    if not admin_project_id:
        return

    def ident(text: str) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{admin_project_id}:{text}"))

    plans: list[tuple[str, str, list[tuple[str, dict[str, Any]]]]] = [
            ("premium", "Guaranteed 1 Gbit/s egress on provider networks, capped at "
             "10 Gbit/s, marked EF",
             [("bandwidth_limit", {"max_kbps": 10000000, "max_burst_kbps": 1000000}),
              ("dscp_marking", {"dscp_mark": 46}),
              ("minimum_bandwidth", {"min_kbps": 1000000})]),
            ("bw-limit-100M", "Caps a port at 100 Mbit/s each way",
             [("bandwidth_limit", {"max_kbps": 100000, "max_burst_kbps": 10000}),
              ("bandwidth_limit", {"max_kbps": 100000, "max_burst_kbps": 10000,
                                   "direction": "ingress"})]),
            ("voice-af41", "Marks voice traffic AF41", [("dscp_marking", {"dscp_mark": 34})]),
            ("pps-guard", "Caps a port at 50 kpps, guarantees 10 kpps (NFV data planes)",
             [("packet_rate_limit", {"max_kpps": 50000, "max_burst_kpps": 5000}),
              ("minimum_packet_rate", {"min_kpps": 10000, "direction": "any"})])]
    for name, description, rules in plans:
        policy = new_policy(store, ident(name), admin_project_id, name, description,
                            shared=True)
        for i, (kind, attrs) in enumerate(rules):
            new_rule(RULES[kind], ident(f"{name}:{i}"), policy, attrs, store)
        policy["revision_number"] = 0


_NOT_ALIASED = frozenset({"qos_policy_id", "type", "tenant_id", "project_id"})
"""What a rule shows under its policy but not by its id alone: the alias resources of
neutron-lib's ``qos-rules-alias`` have only ``id`` and the rule's own attributes."""


def _alias(coll: QosRules) -> Any:
    """``/qos/alias_<kind>_rules/{rule_id}``: the rule by its id alone, handled as under
    its policy's path (the policy's visibility and the writes' policy included), answered
    as Neutron 29 does: ``alias_<kind>_rule`` (an update's body too), without the
    policy's id and the type."""
    key = f"alias_{coll.singular}"

    async def endpoint(request: Request) -> Response:
        rule_id = strip_json(request.path_params["rule_id"])
        rule = coll.records(store_of(request)).get(rule_id)
        if rule is None:
            auth(request)
            raise ApiError(404, f"QoS rule {rule_id} could not be found.",
                           type="QosRuleNotFound")
        request.scope["path_params"] = {"policy_id": rule["_policy_id"], "id": rule_id}
        if request.method == "PUT":  # the alias's own body key, handed on as the rule's
            doc = await document(request)
            if not isinstance(doc, dict) or key not in doc:
                raise bad(f"Unable to find '{key}' in request body")
            request._body = json.dumps({coll.singular: doc[key]}).encode()
        handler = {"GET": coll.show, "PUT": coll.update, "DELETE": coll.delete}
        response: Response = await handler[request.method](request)
        if request.method == "DELETE" or response.status_code != 200:
            return response
        shown = json.loads(bytes(response.body))[coll.singular]
        return json_response({key: {k: v for k, v in shown.items()
                                    if k not in _NOT_ALIASED}})
    return endpoint


def routes() -> list[BaseRoute]:
    return [Route("/v2.0/qos/rule-types", list_rule_types, methods=["GET"]),
            *(Route(f"/v2.0/qos/alias_{kind}_rules/{{rule_id}}", _alias(coll),
                    methods=["GET", "PUT", "DELETE"]) for kind, coll in RULES.items()),
            Route("/v2.0/qos/rule-types/{rule_type}", show_rule_type, methods=["GET"]),
            *QOS_POLICIES.routes(),
            *(route for coll in RULES.values() for route in coll.routes())]
