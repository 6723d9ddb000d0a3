"""Service function chaining: port pairs (a service function's ingress and egress ports),
their groups, flow classifiers, the port chains steering classified traffic through the
groups, and service graphs joining chains (networking-sfc ``/v1.0/sfc/…``).

A port pair belongs to at most one group and a flow classifier to one chain (409
``PortPairInUse``, ``FlowClassifierInUse``); groups are shared by chains, but two chains
may not steer through the same list of groups (409 ``InvalidPortPairGroups``, as
networking-sfc's ``_validate_port_pair_groups``); what is used cannot be deleted; a chain
needs a group; a chain in a service graph keeps its groups and classifiers (409
``ServiceGraphPortChainInUse``). A service graph's ``port_chains`` maps a chain's id to
the chains that follow it: its keys are data.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from starlette.routing import BaseRoute

from ...engine import Ctx, Field
from ...store import Record, Store
from ._common import RO, InUse, bad, conflict
from ._plugin import NAME, OWNER, PluginCollection, missing

__all__ = ["CHAINS", "CLASSIFIERS", "GRAPHS", "GROUPS", "PAIRS", "routes", "seed"]

_TENANT = {"tenant_id": Field(max_length=255, create_only=True)}


def _port(ctx: Ctx, ident: Any) -> Record:
    port = ctx.store.table("ports").get(str(ident))
    if port is None or not (ctx.admin or port["project_id"] == ctx.token.project_id):
        raise missing("PortNotFound", f"Port {ident} could not be found.")
    return port


def _function_parameters(value: Any) -> dict[str, Any]:
    """A pair's ``service_function_parameters`` with networking-sfc's defaults: no
    correlation, weight 1."""
    params = {"correlation": None, "weight": 1, **(value or {})}
    unknown = sorted(set(params) - {"correlation", "weight"})
    if unknown:
        raise bad("Invalid input for service_function_parameters. Reason: Validation of "
                  "dictionary's keys failed. Expected keys: ['correlation', 'weight'] "
                  f"Provided keys: {unknown}.")
    if params["correlation"] not in (None, "mpls", "nsh"):
        raise bad(f"Invalid input for service_function_parameters. Reason: "
                  f"'{params['correlation']}' is not in [None, 'mpls', 'nsh'].")
    try:
        params["weight"] = int(params["weight"])
    except (TypeError, ValueError):
        params["weight"] = -1
    if params["weight"] < 0:
        raise bad("Invalid input for service_function_parameters. Reason: "
                  f"'{value}' has a weight that is not a non-negative integer.")
    return params


class Pairs(PluginCollection):
    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        if not create:
            return
        record["service_function_parameters"] = _function_parameters(
            record.get("service_function_parameters"))
        ingress, egress = _port(ctx, record["ingress"]), _port(ctx, record["egress"])
        if ingress["network_id"] != egress["network_id"]:
            raise bad("The ingress and egress ports of a port pair must be on the same "
                      "network.", type="PortPairIngressEgressDifferentHost")
        for other in self.records(ctx.store).values():
            if (other["ingress"], other["egress"]) == (ingress["id"], egress["id"]):
                raise conflict(f"Port Pair with ingress port {ingress['id']} and egress "
                               f"port {egress['id']} is already used by another Port Pair "
                               f"{other['id']}", "PortPairIngressEgressInUse")


_LB_FIELDS = ("eth_src", "eth_dst", "ip_src", "ip_dst", "tcp_src", "tcp_dst", "udp_src",
              "udp_dst")
_N_TUPLE = ("source_ip_prefix", "destination_ip_prefix", "source_port_range_min",
            "source_port_range_max", "destination_port_range_min",
            "destination_port_range_max")


def _group_parameters(value: Any) -> dict[str, Any]:
    """A group's ``port_pair_group_parameters`` with networking-sfc's defaults: the fields
    its flows are balanced on, the n-tuple rewritten on the way in and out."""
    params = dict(value or {})
    unknown = sorted(set(params) - {"lb_fields", "ppg_n_tuple_mapping"})
    if unknown:
        raise bad(f"Invalid input for port_pair_group_parameters. Reason: Validation of "
                  f"dictionary's keys failed. Expected keys: ['lb_fields', "
                  f"'ppg_n_tuple_mapping'] Provided keys: {unknown}.")
    fields = params.setdefault("lb_fields", [])
    if not isinstance(fields, list) or set(fields) - set(_LB_FIELDS):
        raise bad(f"Invalid input for port_pair_group_parameters. Reason: Illegal values "
                  f"in a list: {fields}.")
    mapping = params.setdefault("ppg_n_tuple_mapping",
                                {"ingress_n_tuple": {}, "egress_n_tuple": {}})
    if not isinstance(mapping, dict):
        raise bad("Invalid input for port_pair_group_parameters. Reason: "
                  f"'{mapping}' is not a dictionary.")
    for side in ("ingress_n_tuple", "egress_n_tuple"):
        mapping.setdefault(side, {})
        for key in mapping[side] or {}:
            if key not in _N_TUPLE:
                raise bad(f"Invalid Port Pair Group N-Tuple Mapping parameters: Unknow "
                          f"key {key}. Supported PPG classifier N-Tuple Mapping parameters "
                          f"are {dict.fromkeys(_N_TUPLE)}.",
                          type="PPGParametersInvalidNTupleMappingParameter")
    return params


def _chain_parameters(value: Any) -> dict[str, Any]:
    """A chain's ``chain_parameters`` with networking-sfc's defaults: MPLS correlation,
    not symmetric."""
    params = {"correlation": "mpls", "symmetric": False, **(value or {})}
    if params["correlation"] not in ("mpls", "nsh"):
        raise bad(f"Invalid input for chain_parameters. Reason: "
                  f"'{params['correlation']}' is not in ['mpls', 'nsh'].")
    if not isinstance(params["symmetric"], bool):
        raise bad(f"Invalid input for chain_parameters. Reason: "
                  f"'{params['symmetric']}' cannot be converted to boolean.")
    return params


class Groups(PluginCollection):
    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        if create:
            record["port_pair_group_parameters"] = _group_parameters(
                record.get("port_pair_group_parameters"))
        if record["tap_enabled"] and len(record["port_pairs"]) > 1:
            raise bad("Multiple port pairs in a tap port pair group are not supported.",
                      type="MultiplePortPairsInTapPPGNotSupported")
        for pid in record["port_pairs"]:  # in no other group
            PAIRS.refuse_used(ctx.store, PAIRS.get(ctx, str(pid)), but=record["id"])


def _overlap(a: Any, b: Any) -> bool:
    """Whether two optional values (None: any) of a classifier can both match."""
    return a is None or b is None or a == b


def _ranges_overlap(first: Record, second: Record, side: str) -> bool:
    low1, high1, low2, high2 = (r.get(f"{side}_port_range_{end}") for r in (first, second)
                                for end in ("min", "max"))
    return (low1 is None or high2 is None or low1 <= high2) and \
        (high1 is None or low2 is None or low2 <= high1)


def _prefixes_overlap(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return True
    return ipaddress.ip_network(a, strict=False).overlaps(ipaddress.ip_network(b, strict=False))


def conflicting(first: Record, second: Record) -> bool:
    """Whether two flow classifiers can match one packet (networking-sfc's
    ``flowclassifier_conflict``: same ethertype, overlapping protocol, prefixes, port
    ranges and logical ports)."""
    return first["ethertype"] == second["ethertype"] and \
        _overlap(first.get("protocol"), second.get("protocol")) and \
        all(_prefixes_overlap(first.get(f"{side}_ip_prefix"), second.get(f"{side}_ip_prefix"))
            and _ranges_overlap(first, second, side) for side in ("source", "destination")) \
        and all(_overlap(first.get(f"logical_{side}_port"), second.get(f"logical_{side}_port"))
                for side in ("source", "destination"))


class Classifiers(PluginCollection):
    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        if create:
            self.normalize(ctx, record)
        protocol = (record.get("protocol") or "").lower()
        for side in ("source", "destination"):
            low, high = (record.get(f"{side}_port_range_{end}") for end in ("min", "max"))
            if (low is not None or high is not None) and protocol not in ("tcp", "udp"):
                raise bad(f"Invalid input for {side}_port_range: ports need protocol tcp "
                          "or udp.", type="FlowClassifierProtocolPortInvalid")
            if low is not None and high is not None and low > high:
                raise bad(f"Invalid input for operation: {side} port range min {low} is "
                          f"greater than max {high}.", type="FlowClassifierInvalidPortRange")
            prefix = record.get(f"{side}_ip_prefix")
            if prefix is not None:
                try:
                    ipaddress.ip_network(prefix, strict=False)
                except ValueError:
                    raise bad(f"Invalid input for {side}_ip_prefix. Reason: '{prefix}' is "
                              "not a valid IP subnet.") from None
                version = ipaddress.ip_network(prefix, strict=False).version
                if f"IPv{version}" != record["ethertype"]:
                    raise bad(f"IP prefix {prefix} format conflicts with ethertype "
                              f"{record['ethertype']}.",
                              type="FlowClassifierIpPrefixFormatConflictWithEthertype")
        if create:
            for other in self.records(ctx.store).values():
                if conflicting(record, other):
                    raise bad(f"Flow Classifier conflicts with another Flow Classifier "
                              f"{other['id']}.", type="FlowClassifierInConflict")

    def normalize(self, ctx: Ctx, record: Record) -> None:
        """networking-sfc's conversions: ethertype ``IPv4`` unless given (in any case),
        the protocol in lower case, no L7 parameters (it supports none), logical ports
        that exist."""
        ethertype = record.get("ethertype") or "IPv4"
        found = next((e for e in ("IPv4", "IPv6") if str(ethertype).lower() == e.lower()), None)
        if found is None:
            raise bad(f"Flow Classifier does not support ethertype {ethertype}. Supported "
                      "ethertype values are ['IPv4', 'IPv6'].",
                      type="FlowClassifierInvalidEthertype")
        record["ethertype"] = found
        if record.get("protocol") is not None:
            record["protocol"] = str(record["protocol"]).lower()
        record["l7_parameters"] = record.get("l7_parameters") or {}
        for key in record["l7_parameters"]:
            raise bad(f"Invalid Flow Classifier parameters: Unknown key {key}. Supported flow "
                      "classifier parameters are {}.", type="FlowClassifierInvalidL7Parameter")
        for side in ("source", "destination"):
            port = record.get(f"logical_{side}_port")
            if port is not None and str(port) not in ctx.store.table("ports"):
                raise missing("FlowClassifierPortNotFound",
                              f"Flow Classifier Neutron Port {port} not found.")


class Chains(PluginCollection):
    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        if not record["port_pair_groups"]:
            raise bad("Invalid input for port_pair_groups. Reason: a port chain needs at "
                      "least one port pair group.")
        if create:
            record["chain_parameters"] = _chain_parameters(record.get("chain_parameters"))
        tapped = False
        for ident in record["port_pair_groups"]:
            group = GROUPS.get(ctx, str(ident))
            if tapped and group["tap_enabled"]:
                raise bad("Consecutive tap port pair groups in a port chain are not "
                          "supported.", type="ConsecutiveTapPPGNotSupported")
            tapped = group["tap_enabled"]
        for other in self.records(ctx.store).values():
            if other["id"] != record["id"] and \
                    other["port_pair_groups"] == record["port_pair_groups"]:
                raise conflict(f"Port Pair Group(s) {record['port_pair_groups']} in use by "
                               f"Port Chain {other['id']}.", "InvalidPortPairGroups")
        for ident in record["flow_classifiers"]:  # in no other chain
            CLASSIFIERS.refuse_used(ctx.store, CLASSIFIERS.get(ctx, str(ident)),
                                    but=record["id"])

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        if ("port_pair_groups" in changes or "flow_classifiers" in changes) and \
                _in_graph(ctx.store, record["id"]):
            raise conflict(f"Port Chain {record['id']} in use.", "ServiceGraphPortChainInUse")
        super().change(ctx, record, changes)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        graph = _in_graph(ctx.store, record["id"])
        if graph is not None:
            raise conflict(f"Port Chain {record['id']} in use by Service Graph "
                           f"{graph['id']}", "PortChainInUseByGraph")


def _in_graph(store: Store, chain_id: str, but: str = "") -> Record | None:
    """The service graph (other than ``but``) that ``chain_id`` is a source or a
    destination of."""
    for graph in store.table("service_graphs").values():
        if graph["id"] != but and (chain_id in graph["port_chains"] or any(
                chain_id in dst for dst in graph["port_chains"].values())):
            return graph
    return None


class Graphs(PluginCollection):
    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        graph = record["port_chains"]
        if not graph:
            raise bad("Invalid input for port_chains. Reason: a service graph needs at "
                      "least one port chain.")
        for src, dsts in graph.items():
            if not isinstance(dsts, list) or not dsts:
                raise bad(f"Invalid input for port_chains. Reason: '{dsts}' is not a "
                          "non-empty list of port chains.")
            for ident in (src, *dsts):
                CHAINS.get(ctx, str(ident))
                if _in_graph(ctx.store, str(ident), but=record["id"]) is not None:
                    raise conflict(f"Some of the Port Chain(s): {graph}, are already in "
                                   "use by a Service Graph.",
                                   "ServiceGraphInvalidPortChains")
            if len(set(dsts)) != len(dsts):
                raise bad(f"Port chain {src} branches to one chain twice.",
                          type="ServiceGraphPortChainInConflict")
        if _has_loop(graph):
            raise bad("There is a loop in the service graph.",
                      type="ServiceGraphLoopDetected")


def _has_loop(graph: dict[str, list[str]]) -> bool:
    """Whether following ``graph`` from some chain comes back to it."""
    state: dict[str, int] = {}  # 1: on the path being followed, 2: no loop from it

    def visit(node: str) -> bool:
        if state.get(node) == 1:
            return True
        if state.get(node) == 2:
            return False
        state[node] = 1
        if any(visit(nxt) for nxt in graph.get(node, [])):
            return True
        state[node] = 2
        return False

    return any(visit(src) for src in graph)


_NULL_PORT = Field(type="int", lenient=True, nullable=True, default=None, minimum=0,
                   maximum=65535)
_NULL_PREFIX = Field(max_length=64, nullable=True, default=None)
_IDS = Field(type="list", items="str", default=list)
_NULL_PORT_ID = Field(type="uuid", nullable=True, default=None, create_only=True)
PAIRS = Pairs("port_pair", "port_pairs", owner_keys=("tenant_id",), in_use=(InUse(
    "port_pair_groups", ("port_pairs",), "Port Pair {id} in use by Port Pair Group {user}",
    "PortPairInUse"),), fields={
    "id": RO, **_TENANT, "name": NAME, "description": NAME,
    "ingress": Field(type="uuid", required=True, create_only=True),
    "egress": Field(type="uuid", required=True, create_only=True),
    "service_function_parameters": Field(type="dict", nullable=True, create_only=True)})
GROUPS = Groups("port_pair_group", "port_pair_groups", owner_keys=("tenant_id",), in_use=(InUse(
    "port_chains", ("port_pair_groups",), "Port Pair Group {id} in use by Port Chain {user}",
    "PortPairGroupInUse"),), fields={
    "id": RO, **_TENANT, "name": NAME, "description": NAME, "port_pairs": _IDS,
    "port_pair_group_parameters": Field(type="dict", nullable=True, create_only=True),
    "tap_enabled": Field(type="bool", lenient=True, default=False, create_only=True)})
CLASSIFIERS = Classifiers("flow_classifier", "flow_classifiers", owner_keys=("tenant_id",),
                          in_use=(InUse("port_chains", ("flow_classifiers",),
                                        "Flow Classifier {id} in use by Port Chain {user}",
                                        "FlowClassifierInUse"),),
                          fields={
                              "id": RO, **_TENANT, "name": NAME, "description": NAME,
                              "protocol": Field(nullable=True, default=None, choices=(
                                  "TCP", "UDP", "ICMP", "tcp", "udp", "icmp", None),
                                  create_only=True),
                              **{f"{side}_port_range_{end}": _NULL_PORT
                                 for side in ("source", "destination")
                                 for end in ("min", "max")},
                              "source_ip_prefix": _NULL_PREFIX,
                              "destination_ip_prefix": _NULL_PREFIX,
                              "ethertype": Field(nullable=True, create_only=True),
                              "logical_source_port": _NULL_PORT_ID,
                              "logical_destination_port": _NULL_PORT_ID,
                              "l7_parameters": Field(type="dict", nullable=True,
                                                     create_only=True)})
CHAINS = Chains("port_chain", "port_chains", owner_keys=("tenant_id",), fields={
    "id": RO, **_TENANT, "name": NAME, "description": NAME,
    "port_pair_groups": Field(type="list", items="str", required=True),
    "flow_classifiers": _IDS,
    "chain_parameters": Field(type="dict", nullable=True, create_only=True)})
GRAPHS = Graphs("service_graph", "service_graphs", fields={
    "id": RO, **OWNER, "name": NAME, "description": NAME,
    "port_chains": Field(type="dict", required=True, create_only=True)})


def seed(store: Store) -> None:
    """A firewall appliance chained in front of a project's web traffic: two unattached
    ports of the first project that has them as a pair, in a group, HTTP classified onto
    the chain."""
    free: dict[tuple[str, str], list[Record]] = {}
    for port in store.table("ports").values():
        if port["project_id"] and not port["device_owner"] and not port["device_id"] \
                and "trunk_details" not in port:
            free.setdefault((port["project_id"], port["network_id"]), []).append(port)
    found = next(((key, ports) for key, ports in free.items() if len(ports) >= 2), None)
    if found is None:
        return
    (project_id, network_id), ports = found
    web_tier = next((s["cidr"] for s in store.table("subnets").values()
                     if s["network_id"] == network_id and s["ip_version"] == 4), None)
    def make(c: PluginCollection, key: str, **values: Any) -> Record:
        return c.seeded(store, project_id, f"sfc:{project_id}:{key}", **values)

    def pair_chain(key: str, name: str, description: str, ingress: Record, egress: Record,
                   classifiers: list[str]) -> Record:
        """A pair of ``ingress`` and ``egress``, its group and the chain through it."""
        pair = make(PAIRS, f"pair{key}", name=f"fw-appliance{name}",
                    description=f"Firewall VNF{description}", ingress=ingress["id"],
                    egress=egress["id"], service_function_parameters=_function_parameters(None))
        group = make(GROUPS, f"group{key}", name=f"firewalls{name}",
                     description=f"Firewall VNF instances{description}",
                     port_pairs=[pair["id"]], port_pair_group_parameters=_group_parameters(None))
        return make(CHAINS, f"chain{key}", name="web-return" if key else "web-through-firewall",
                    port_pair_groups=[group["id"]], flow_classifiers=classifiers,
                    chain_parameters=_chain_parameters(None))

    fc = make(CLASSIFIERS, "fc", name="web", description="HTTP to the web tier",
              ethertype="IPv4", protocol="tcp", destination_port_range_min=80,
              destination_port_range_max=80, destination_ip_prefix=web_tier, l7_parameters={})
    chain = pair_chain("", "", "", ports[0], ports[1], [fc["id"]])
    # The return path through the same appliance, its ports the other way round, and the
    # graph that follows the web chain with it.
    back_chain = pair_chain("-back", "-return", ", return path", ports[1], ports[0], [])
    make(GRAPHS, "graph", name="web-graph", description="The web chain, then its return path",
         port_chains={chain["id"]: [back_chain["id"]]})


def routes() -> list[BaseRoute]:
    """Under ``/v2.0/sfc``, where networking-sfc serves them (and clients ask), and under
    ``/v1.0/sfc``, where its api-ref writes them."""
    return [route for prefix in ("/v2.0/sfc", "/v1.0/sfc")
            for c in (PAIRS, GROUPS, CLASSIFIERS, CHAINS, GRAPHS)
            for route in c.routes(prefix)]
