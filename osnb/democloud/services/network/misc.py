"""Version documents, extensions, agents, availability zones, IP availability and tags."""

from __future__ import annotations

import datetime as _dt
import ipaddress
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx, Field
from ...http import ApiError, auth, json_body, json_response, raw_json_response
from ...store import Record, Store, now
from . import model
from ._common import BOOL, RO, TAGGABLE, NeutronCollection, admin_ctx, bad, matching, strip_json
from .core import NETWORKS, PORTS, SUBNETS
from .l3 import FLOATINGIPS, ROUTERS
from .security import SECURITY_GROUP_RULES, SECURITY_GROUPS

__all__ = ["AGENTS", "EXTENSIONS", "routes"]

EXTENSIONS: list[list[str]] = [line.split(" | ") for line in """
agent | agent | The agent management extension.
allowed-address-pairs | Allowed Address Pairs | Provides allowed address pairs
availability_zone | Availability Zone | The availability zone extension.
binding | Port Binding | Expose port bindings of a virtual port to external application
default-subnetpools | Default Subnetpools | Provides ability to mark and use a subnetpool as the default.
dhcp_agent_scheduler | DHCP Agent Scheduler | Schedule networks among dhcp agents
dns-integration | DNS Integration | Provides integration with DNS.
external-net | Neutron external network | Adds external network attribute to network resource.
extra_dhcp_opt | Neutron Extra DHCP options | Extra options configuration for DHCP.
extraroute | Neutron Extra Route | Extra routes configuration for L3 router
fip-port-details | Floating IP Port Details Extension | Add port_details attribute to Floating IP resource
ip-substring-filtering | IP address substring filtering | Provides IP address substring filtering
l3_agent_scheduler | L3 Agent Scheduler | Schedule routers among l3 agents
multi-provider | Multi Provider Network | Expose mapping of virtual networks to multiple physical networks
net-mtu | Network MTU | Provides MTU attribute for a network resource.
network-ip-availability | Network IP Availability | Provides IP availability data for each network and subnet.
network_availability_zone | Network Availability Zone | Availability zone support for network.
pagination | Pagination support | Extension that indicates that pagination is enabled.
port-security | Port Security | Provides port security
project-id | project_id field enabled | Extension that indicates that project_id field is enabled.
provider | Provider Network | Expose mapping of virtual networks to physical networks
quotas | Quota management support | Expose functions for quotas management per project
quota_details | Quota details management support | Expose functions for quotas usage statistics per project
router | Neutron L3 Router | Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.
router_availability_zone | Router Availability Zone | Availability zone support for router.
security-group | security-group | The security groups extension.
sorting | Sorting support | Extension that indicates that sorting is enabled.
standard-attr-description | standard-attr-description | Extension to add descriptions to standard attributes
standard-attr-revisions | Resource revision numbers | This extension will display the revision number of neutron resources.
standard-attr-tag | Tag support for resources with standard attribute | Enables to set tag on resources with standard attribute.
standard-attr-timestamp | Resource timestamps | Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.
stateful-security-group | Stateful security group | Indicates if the security group is stateful or not
subnet_allocation | Subnet Allocation | Enables allocation of subnets from a subnet pool
filter-validation | Filter parameters validation | Provides validation on filter parameters.
empty-string-filtering | Empty String Filtering Extension | Allow filtering by attributes with empty string value
rbac-policies | RBAC Policies | Allows creation and modification of policies that control tenant access to resources.
rbac-security-groups | Add security_group type to network RBAC | Add security_group type to network RBAC
qos | Quality of Service | The Quality of Service extension.
qos-default | QoS default policy | Expose the QoS default policy per project
qos-rule-type-details | Details of QoS rule types | Expose details about QoS rule types supported by loaded backend drivers
qos-bw-minimum-ingress | Ingress direction for QoS minimum bandwidth rule | Allow to configure QoS minumum bandwidth rule with ingress direction.
qos-bw-limit-direction | Direction for QoS bandwidth limit rule | Allow to configure QoS bandwidth limit rule with specific direction: ingress or egress
port-resource-request | Port Resource Request | Expose resource request to Port
port-resource-request-groups | Port Resource Request Groups | Support requesting multiple groups of resources
trunk | Trunk Extension | Provides support for trunk ports
trunk-details | Trunk port details | Expose trunk port details
data-plane-status | Port data plane status extension | Status of the underlying data plane of a port.
dns-domain-ports | dns_domain for ports | Allows the DNS domain to be specified for a network port
port-hardware-offload-type | Port hardware offload type | Add a new field, 'hardware_offload_type', to the port
port-trusted-vif | Port trusted vif | Expose port 'trusted' attribute directly.
qinq | QinQ | Allows the VLAN QinQ mode of the network to be specified
vlan-transparent | Vlan transparent | Provides Vlan Transparent Networks
address-scope | Address scope | Address scopes extension.
subnetpool-prefix-ops | Subnet Pool Prefix Operations | Provides support for adjusting the prefix list of subnet pools
rbac-subnetpool | Add subnetpool type to network RBAC | Add subnetpool type to network RBAC
rbac-address-scope | Add address_scope type to RBAC | Add address_scope type to RBAC
segment | Segment | Segments extension.
service-type | Neutron Service Type Management | API for retrieving service providers for Neutron advanced services
subnet-external-network | Subnet External Network | Informs if the subnet is associated to an external network.
binding-extended | Port Bindings Extended | Expose port bindings of a virtual port to external application
floating-ip-port-forwarding | Floating IP Port Forwarding | Provides floating IP port forwarding
expose-port-forwarding-in-fip | Expose port forwarding in floating IP | Expose the port forwardings of a floating IP in its body
l3-conntrack-helper | Conntrack Helper | Provides conntrack helpers on routers
l3-ndp-proxy | L3 NDP Proxy | Router support for the NDP proxy of IPv6 addresses
floatingip-pools | Floating IP Pools Extension | Provides a floating IP pools API.
address-group | Address Group | Support address group
security-groups-remote-address-group | Remote address group id field for security group rules | Add new field of remote address group id in security group rules
security-groups-default-rules | Default rules for security groups | Configure the default set of security group rules used in newly created security groups
local_ip | Local IP | Support Local IP
network-segment-range | Network Segment Range | Provides support for the network segment range management
auto-allocated-topology | Auto Allocated Topology Services | Auto Allocated Topology Services.
flavors | Neutron Service Flavors | Flavor specification for Neutron advanced services.
qos-pps | QoS packet rate limit rule | Adds QoS packet rate limit rule
qos-pps-minimum | QoS minimum packet rate rule | Adds QoS minimum packet rate rule
extraroute-atomic | Atomically add/remove extra routes | Edit extra routes of a router on server side by atomically adding/removing extra routes
subnet_onboard | Subnet Onboard | Provides support for onboarding subnets into subnet pools
floating-ip-router-writable | Floating IP Router (writable) | Provides a writable router_id attribute for a floating IP resource.
security-groups-default-statefulness | Default statefulness of security groups | Configure the default statefulness of new security groups, cloud-wide or per project
quota-check-limit | Quota engine limit check | Support for checking the resource usage before applying a new quota limit
qos-rules-alias | Quality of Service rules alias API | API to enable GET, PUT and DELETE operations on QoS policy rules without specifying policy ID
""".strip().splitlines()]
"""The extensions Neutron lists: alias | name | description."""
_UPDATED = "2019-07-01T10:00:00-00:00"


def _extension(alias: str, name: str, description: str) -> Record:
    return {"alias": alias, "name": name, "description": description, "updated": _UPDATED,
            "links": []}


async def versions(request: Request) -> Response:
    base = str(request.base_url).rstrip("/")
    return json_response({"versions": [{"id": "v2.0", "status": "CURRENT", "links": [
        {"href": f"{base}/network/v2.0/", "rel": "self"}]}]})


async def resources(request: Request) -> Response:
    base = str(request.base_url).rstrip("/") + "/network/v2.0"
    return json_response({"resources": [
        {"name": c.singular, "collection": c.plural,
         "links": [{"href": f"{base}/{c.plural}", "rel": "self"}]}
        for c in (SUBNETS, NETWORKS, PORTS, ROUTERS, FLOATINGIPS, SECURITY_GROUPS,
                  SECURITY_GROUP_RULES)]})


async def list_extensions(request: Request) -> Response:
    auth(request)
    return json_response({"extensions": [_extension(*e) for e in EXTENSIONS]})


async def show_extension(request: Request) -> Response:
    auth(request)
    alias = strip_json(request.path_params["alias"])
    for ext in EXTENSIONS:
        if ext[0] == alias:
            return json_response({"extension": _extension(*ext)})
    raise ApiError(404, f"Extension with alias {alias} does not exist", type="NotFound")


# -- agents ----------------------------------------------------------------------------

def _agent_time(at: _dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S")


def _hosts(store: Store) -> list[str]:
    hosts = [str(host) for hv in store.table("hypervisors").values()
             if (host := (hv.get("service") or {}).get("host") or hv.get("hypervisor_hostname"))]
    return hosts or [f"compute-{i:02d}" for i in range(1, 7)]


def ensure_agents(store: Store) -> dict[str, Record]:
    """The agents, generated on first use (compute hosts exist only after compute seeds)."""
    agents = store.table("network_agents")
    if agents:
        return agents
    from .seed import NETWORK_NODES

    rng = store.rng
    started = now() - _dt.timedelta(days=41)
    down_hosts = {str((hv.get("service") or {}).get("host") or hv.get("hypervisor_hostname"))
                  for hv in store.table("hypervisors").values() if hv.get("state") == "down"}

    def add(agent_type: str, binary: str, host: str, topic: str, az: str | None,
            configurations: dict[str, Any], alive: bool = True) -> None:
        beat = now() - _dt.timedelta(seconds=rng.randrange(2, 25) if alive
                                     else rng.randrange(900, 86400 * 3))
        aid = store.uuid()
        agents[aid] = {
            "id": aid, "agent_type": agent_type, "binary": binary, "host": host,
            "topic": topic, "availability_zone": az, "admin_state_up": True, "alive": alive,
            "created_at": _agent_time(started), "started_at": _agent_time(started),
            "heartbeat_timestamp": _agent_time(beat), "description": None,
            "configurations": configurations, "resources_synced": None,
            "_resource_versions": {}}

    # the keys of each agent's report in neutron 29 (ovs_neutron_agent.py, dhcp/agent.py,
    # l3/agent.py), as real Neutron 29 shows them
    inventory = {"allocation_ratio": 1.0, "min_unit": 1, "step_size": 1, "reserved": 0}
    ovs = {"bridge_mappings": {"physnet1": "br-ex"}, "integration_bridge": "br-int",
           "resource_provider_bandwidths": {}, "resource_provider_hypervisors": {},
           "resource_provider_inventory_defaults": inventory,
           "resource_provider_packet_processing_without_direction": {},
           "resource_provider_packet_processing_with_direction": {},
           "resource_provider_packet_processing_inventory_defaults": inventory,
           "tunnel_types": ["vxlan"], "tunneling_ip": "", "l2_population": True,
           "arp_responder_enabled": True, "enable_distributed_routing": False,
           "log_agent_heartbeats": False, "extensions": [], "datapath_type": "system",
           "ovs_capabilities": {"datapath_types": ["netdev", "system"],
                                "iface_types": ["internal", "system", "vxlan"]},
           "vhostuser_socket_dir": "/var/run/openvswitch", "ovs_hybrid_plug": False,
           "baremetal_smartnic": False}

    def dhcp() -> dict[str, Any]:
        return {"dhcp_driver": "neutron.agent.linux.dhcp.Dnsmasq",
                "dhcp_lease_duration": 86400, "log_agent_heartbeats": False,
                "networks": 0, "subnets": 0, "ports": 0}

    for node in NETWORK_NODES:
        add("DHCP agent", "neutron-dhcp-agent", node, "dhcp_agent", model.AZ, dhcp())
        add("L3 agent", "neutron-l3-agent", node, "l3_agent", model.AZ,
            {"agent_mode": "legacy", "handle_internal_only_routers": True,
             "interface_driver": "openvswitch", "log_agent_heartbeats": False,
             "extensions": [], "routers": 0, "ex_gw_ports": 0, "interfaces": 0,
             "floating_ips": 0})
        add("Metadata agent", "neutron-metadata-agent", node, "N/A", None,
            {"metadata_proxy_socket": "/var/lib/neutron/metadata_proxy"})
        add("Open vSwitch agent", "neutron-openvswitch-agent", node, "N/A", None, ovs)
    hosts = _hosts(store)
    stale = {hosts[-1]} if len(hosts) > 3 else set()
    for host in hosts:
        add("Open vSwitch agent", "neutron-openvswitch-agent", host, "N/A", None, ovs,
            alive=host not in down_hosts and host not in stale)
    # A DHCP agent on a decommissioned node that nobody removed.
    add("DHCP agent", "neutron-dhcp-agent", "network-00", "dhcp_agent", model.AZ, dhcp(),
        alive=False)
    return agents


class Agents(NeutronCollection):
    """The agents: an admin's to see, switch off and remove. ``/agents`` shows the
    attributes of Neutron's agent extension; the versions of the RPC resources an agent
    speaks (kept as ``_resource_versions``) show only in the scheduler's views
    (``/networks/{id}/dhcp-agents``, ``/routers/{id}/l3-agents``), as Neutron's."""

    stamped = False
    private = True

    def records(self, store: Store) -> dict[str, Record]:
        return ensure_agents(store)

    async def index(self, request: Request) -> Response:
        if not Ctx.of(request).admin:  # before the query is read, as Neutron's policy
            raise self.dialect.forbidden("get_agent")
        return await super().index(request)

    def get(self, ctx: Ctx, ident: str) -> Record:
        if not ctx.admin:
            action = {"PUT": "update", "DELETE": "delete"}.get(ctx.request.method, "get")
            raise self.dialect.forbidden(f"{action}_agent")
        return super().get(ctx, ident)


AGENTS = Agents("agent", "agents", table="network_agents", visibility="admin",
                write="admin", allow_create=False, project_key=None, fields={
                    **{key: RO for key in (
                        "id", "agent_type", "binary", "host", "topic", "availability_zone",
                        "alive", "created_at", "started_at", "heartbeat_timestamp",
                        "configurations", "resources_synced")},
                    "admin_state_up": BOOL, "description": Field(max_length=255,
                                                                 nullable=True)})


# -- availability zones, IP availability -------------------------------------------------

async def availability_zones(request: Request) -> Response:
    auth(request)
    zones = [{"name": model.AZ, "resource": r, "state": "available"}
             for r in ("network", "router")]
    return json_response({"availability_zones": matching(request, zones,
                                                         ("name", "resource", "state"))})


def _availability(store: Store, net: Record) -> Record:
    subnets = store.table("subnets")
    per = []
    for sid in net["subnets"]:
        s = subnets.get(sid)
        if s is None:
            continue
        total = sum(hi - lo + 1 for lo, hi in s["_ranges"])
        cidr = ipaddress.ip_network(s["cidr"])
        size = cidr.num_addresses - (2 if cidr.version == 4 and cidr.prefixlen < 31 else 0)
        per.append({"subnet_id": sid, "subnet_name": s["name"], "cidr": s["cidr"],
                    "ip_version": s["ip_version"], "total_ips": total,
                    "used_ips": s["_pool_used"], "ip_availability_details": {
                        "total_ips_in_subnet": size, "total_ips_in_allocation_pool": total,
                        "used_ips_in_subnet": len(s["_used"]),
                        "used_ips_in_allocation_pool": s["_pool_used"]}})
    details = {key: sum(p["ip_availability_details"][key] for p in per) for key in (
        "total_ips_in_subnet", "total_ips_in_allocation_pool", "used_ips_in_subnet",
        "used_ips_in_allocation_pool")}
    return {"network_id": net["id"], "network_name": net["name"],
            "tenant_id": net["project_id"], "project_id": net["project_id"],
            "total_ips": sum(p["total_ips"] for p in per),
            "used_ips": sum(p["used_ips"] for p in per), "subnet_ip_availability": per,
            "ip_availability_details": details}


async def list_ip_availability(request: Request) -> Response:
    store = admin_ctx(request, "get_network_ip_availability").store
    items = matching(request, (_availability(store, n) for n in store.table("networks").values()),
                     ("network_id", "network_name", "project_id", "tenant_id"))
    versions = request.query_params.getlist("ip_version")
    if versions:
        for item in items:
            item["subnet_ip_availability"] = [s for s in item["subnet_ip_availability"]
                                              if str(s["ip_version"]) in versions]
        items = [i for i in items if i["subnet_ip_availability"]]
    return _counts({"network_ip_availabilities": items})


async def show_ip_availability(request: Request) -> Response:
    ctx = admin_ctx(request, "get_network_ip_availability")
    net = NETWORKS.get(ctx, request.path_params["id"])
    return _counts({"network_ip_availability": _availability(ctx.store, net)})


def _counts(body: Record) -> Response:
    """IP counts as Neutron sends them: an IPv6 /64 holds 2**64 - 2 addresses, past the
    64-bit integers orjson encodes, so these answers go through the standard encoder."""
    return raw_json_response(json.dumps(body).encode())


# -- tags --------------------------------------------------------------------------------

def _tag_target(request: Request, write: bool) -> Record:
    ctx = Ctx.of(request)
    coll = TAGGABLE.get(request.path_params["resource"])
    if coll is None:
        raise ApiError(404, "The resource could not be found.", type="NotFound")
    record = coll.get(ctx, request.path_params["id"])
    if write:
        coll.may_change(ctx, record, "update")
    return record


def _check_tag(tag: str) -> str:
    if not tag or len(tag) > 255 or "," in tag or "/" in tag:
        raise bad(f"Invalid input for operation: '{tag}' is not a valid tag.",
                  type="InvalidInput")
    return tag


_MAX_TAGS = 50
"""The most tags one request may give (Neutron's ``tagging.MAX_TAGS_COUNT``)."""


def _no_tag(tag: str) -> ApiError:
    return ApiError(404, f"Tag {tag} could not be found.", type="TagNotFound")


async def get_tags(request: Request) -> Response:
    return json_response({"tags": _tag_target(request, False)["tags"]})


async def replace_tags(request: Request) -> Response:
    record = _tag_target(request, True)
    body = await json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("tags"), list):
        raise bad("Invalid input for operation: tags is required and must be a list.",
                  type="InvalidInput")
    record["tags"] = list(dict.fromkeys(_check_tag(str(t)) for t in body["tags"]))
    model.stamp(record)
    return json_response({"tags": record["tags"]})


async def add_tags(request: Request) -> Response:
    """``POST …/tags``: the given tags join the record's (those it has are left as they
    are); the answer is the body, as Neutron's tag plugin returns it, with 201."""
    record = _tag_target(request, True)
    body = await json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("tags"), list):
        raise bad("Invalid input for operation: tags is required and must be a list.",
                  type="InvalidInput")
    given = [_check_tag(str(t)) for t in body["tags"]]
    if len(set(given)) > _MAX_TAGS:
        raise bad(f"The number of tags exceed the per-resource limit of {_MAX_TAGS}",
                  type="BadRequest")
    added = [t for t in dict.fromkeys(given) if t not in record["tags"]]
    if added:
        record["tags"].extend(added)
        model.stamp(record)
    return json_response({"tags": given}, 201)


async def clear_tags(request: Request) -> Response:
    record = _tag_target(request, True)
    record["tags"] = []
    model.stamp(record)
    return json_response(None, 204)


async def check_tag(request: Request) -> Response:
    tag = request.path_params["tag"]
    if tag not in _tag_target(request, False)["tags"]:
        raise _no_tag(tag)
    return json_response(None, 204)


async def add_tag(request: Request) -> Response:
    record = _tag_target(request, True)
    tag = _check_tag(request.path_params["tag"])
    if tag not in record["tags"]:
        record["tags"].append(tag)
        model.stamp(record)
    return json_response(None, 201)


async def remove_tag(request: Request) -> Response:
    record = _tag_target(request, True)
    tag = request.path_params["tag"]
    if tag not in record["tags"]:
        raise _no_tag(tag)
    record["tags"].remove(tag)
    model.stamp(record)
    return json_response(None, 204)


def routes() -> list[BaseRoute]:
    tags = "/v2.0/{resource:path}/{id}/tags"
    out: list[BaseRoute] = [
        Route("/", versions, methods=["GET"]),
        Route("/v2.0", resources, methods=["GET"]),
        Route("/v2.0/", resources, methods=["GET"]),
        Route("/v2.0/extensions/{alias}", show_extension, methods=["GET"]),
        *AGENTS.routes(),
        Route("/v2.0/network-ip-availabilities/{id}", show_ip_availability,
              methods=["GET"]),
        Route(tags, get_tags, methods=["GET"]),
        Route(tags, replace_tags, methods=["PUT"]),
        Route(tags, add_tags, methods=["POST"]),
        Route(tags, clear_tags, methods=["DELETE"]),
        Route(tags + "/{tag}", check_tag, methods=["GET"]),
        Route(tags + "/{tag}", add_tag, methods=["PUT"]),
        Route(tags + "/{tag}", remove_tag, methods=["DELETE"]),
    ]
    for suffix in ("", ".json"):
        out += [Route("/v2.0/extensions" + suffix, list_extensions, methods=["GET"]),
                Route("/v2.0/availability_zones" + suffix, availability_zones,
                      methods=["GET"]),
                Route("/v2.0/network-ip-availabilities" + suffix, list_ip_availability,
                      methods=["GET"])]
    return out
