"""``conn.network``: the Networking (Neutron) v2.0 proxy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from ...exceptions import NotFound
from ...proxy import Proxy as _BaseProxy
from ...resource import Resource
from ...resource_list import ResourceList
from ._tag import TagMixin
from .address_group import AddressGroup
from .agent import Agent
from .auto_allocated_topology import AutoAllocatedTopology
from .availability_zone import AvailabilityZone
from .bgp import BgpPeer, BgpSpeaker
from .bgpvpn import (
    BgpVpn,
    BgpVpnNetworkAssociation,
    BgpVpnPortAssociation,
    BgpVpnRouterAssociation,
)
from .default_security_group_rule import DefaultSecurityGroupRule
from .extension import Extension
from .firewall import FirewallGroup, FirewallPolicy, FirewallRule
from .flavor import Flavor
from .floating_ip import FloatingIP
from .floating_ip_pool import FloatingIPPool
from .hosting import (
    DHCPAgentHostingNetwork,
    L3AgentRouter,
    NetworkHostingDHCPAgent,
    RouterL3Agent,
)
from .l3_conntrack_helper import ConntrackHelper
from .local_ip import LocalIP, LocalIPAssociation
from .log import Log, LoggableResource
from .metering import MeteringLabel, MeteringLabelRule
from .ndp_proxy import NDPProxy
from .network import Network
from .network_ip_availability import NetworkIPAvailability
from .network_segment_range import NetworkSegmentRange
from .port import Port
from .port_binding import PortBinding
from .port_forwarding import PortForwarding
from .qos_packet_rate_rule import QoSMinimumPacketRateRule, QoSPacketRateLimitRule
from .qos_policy import QoSPolicy
from .qos_rule import (
    QoSBandwidthLimitRule,
    QoSDSCPMarkingRule,
    QoSMinimumBandwidthRule,
    QoSRuleType,
)
from .quota import Quota, QuotaDefault, QuotaDetails
from .rbac_policy import RBACPolicy
from .router import Router
from .security_group import SecurityGroup
from .security_group_rule import SecurityGroupRule
from .security_groups_default_statefulness import SecurityGroupsDefaultStatefulness
from .segment import Segment
from .service_profile import ServiceProfile
from .service_provider import ServiceProvider
from .sfc import (
    SfcFlowClassifier,
    SfcPortChain,
    SfcPortPair,
    SfcPortPairGroup,
    SfcServiceGraph,
)
from .subnet import Subnet
from .subnet_pool import AddressScope, SubnetPool
from .tap import TapFlow, TapMirror, TapService
from .trunk import Trunk
from .vpn import (
    VpnEndpointGroup,
    VpnIkePolicy,
    VpnIpsecPolicy,
    VpnIPSecSiteConnection,
    VpnService,
)

__all__ = ["Proxy"]

R = TypeVar("R", bound=Resource)


def _id(value: Any) -> Any:
    return value.id if isinstance(value, Resource) else value


class Proxy(_BaseProxy):
    """Networking API: networks, subnets, ports, routers, floating IPs, security groups."""

    service_type = "network"
    api_version = "2"

    # -- networks -------------------------------------------------------------------------
    def networks(self, **query: Any) -> ResourceList[Network]:
        """List networks: ``is_shared``, ``is_router_external``, ``project_id``, tags…"""
        return self._list(Network, **query)

    def get_network(self, network: str | Network) -> Network:
        return self._get(Network, network)

    def find_network(self, name_or_id: str, ignore_missing: bool = False,
                     **query: Any) -> Network | None:
        """By id, then by exact name (NotFound, or None with ``ignore_missing``)."""
        return self._find(Network, name_or_id, ignore_missing=ignore_missing, **query)

    def create_network(self, **attrs: Any) -> Network:
        return self._create(Network, **attrs)

    def update_network(self, network: str | Network, **attrs: Any) -> Network:
        return self._update(Network, network, **attrs)

    def delete_network(self, network: str | Network, ignore_missing: bool = True) -> None:
        self._delete(Network, network, ignore_missing=ignore_missing)

    # -- subnets --------------------------------------------------------------------------
    def subnets(self, **query: Any) -> ResourceList[Subnet]:
        """List subnets: ``network_id``, ``ip_version``, ``cidr``, ``is_dhcp_enabled``…"""
        return self._list(Subnet, **query)

    def get_subnet(self, subnet: str | Subnet) -> Subnet:
        return self._get(Subnet, subnet)

    def find_subnet(self, name_or_id: str, ignore_missing: bool = False,
                    **query: Any) -> Subnet | None:
        return self._find(Subnet, name_or_id, ignore_missing=ignore_missing, **query)

    def create_subnet(self, **attrs: Any) -> Subnet:
        """Create a subnet: ``network_id``, ``ip_version``, ``cidr``, …"""
        return self._create(Subnet, **attrs)

    def update_subnet(self, subnet: str | Subnet, **attrs: Any) -> Subnet:
        return self._update(Subnet, subnet, **attrs)

    def delete_subnet(self, subnet: str | Subnet, ignore_missing: bool = True) -> None:
        self._delete(Subnet, subnet, ignore_missing=ignore_missing)

    # -- ports ----------------------------------------------------------------------------
    def ports(self, **query: Any) -> ResourceList[Port]:
        """List ports: ``device_id``, ``device_owner``, ``network_id``, ``binding_host_id``…"""
        return self._list(Port, **query)

    def get_port(self, port: str | Port) -> Port:
        return self._get(Port, port)

    def find_port(self, name_or_id: str, ignore_missing: bool = False,
                  **query: Any) -> Port | None:
        return self._find(Port, name_or_id, ignore_missing=ignore_missing, **query)

    def create_port(self, **attrs: Any) -> Port:
        return self._create(Port, **attrs)

    def update_port(self, port: str | Port, **attrs: Any) -> Port:
        return self._update(Port, port, **attrs)

    def delete_port(self, port: str | Port, ignore_missing: bool = True) -> None:
        self._delete(Port, port, ignore_missing=ignore_missing)

    def port_bindings(self, port: str | Port, **query: Any) -> ResourceList[PortBinding]:
        """A port's bindings (admin): ``host``, ``status``…"""
        return self._list(PortBinding, port_id=_id(port), **query)

    def create_port_binding(self, port: str | Port, **attrs: Any) -> PortBinding:
        """Bind a port to ``host`` (admin); inactive when it is bound elsewhere already."""
        return self._create(PortBinding, port_id=_id(port), **attrs)

    def activate_port_binding(self, port: str | Port, host: str) -> PortBinding:
        """Move the port to its binding on ``host``."""
        return self._resource(PortBinding, host, port_id=_id(port)).activate(self)

    def delete_port_binding(self, port: str | Port, host: str,
                            ignore_missing: bool = True) -> None:
        self._delete(PortBinding, host, ignore_missing=ignore_missing, port_id=_id(port))

    # -- routers --------------------------------------------------------------------------
    def routers(self, **query: Any) -> ResourceList[Router]:
        return self._list(Router, **query)

    def get_router(self, router: str | Router) -> Router:
        return self._get(Router, router)

    def find_router(self, name_or_id: str, ignore_missing: bool = False,
                    **query: Any) -> Router | None:
        return self._find(Router, name_or_id, ignore_missing=ignore_missing, **query)

    def create_router(self, **attrs: Any) -> Router:
        return self._create(Router, **attrs)

    def update_router(self, router: str | Router, **attrs: Any) -> Router:
        return self._update(Router, router, **attrs)

    def delete_router(self, router: str | Router, ignore_missing: bool = True) -> None:
        self._delete(Router, router, ignore_missing=ignore_missing)

    def add_interface_to_router(self, router: str | Router, subnet: str | Subnet | None = None,
                                port: str | Port | None = None) -> dict[str, Any]:
        """Attach a subnet (a new port on its gateway IP) or an existing port."""
        body = {"port_id": _id(port)} if port else {"subnet_id": _id(subnet)}
        return self._resource(Router, router).add_interface(self, **body)

    def remove_interface_from_router(self, router: str | Router,
                                     subnet: str | Subnet | None = None,
                                     port: str | Port | None = None) -> dict[str, Any]:
        body = {"port_id": _id(port)} if port else {"subnet_id": _id(subnet)}
        return self._resource(Router, router).remove_interface(self, **body)

    # -- floating IPs ---------------------------------------------------------------------
    def ips(self, **query: Any) -> ResourceList[FloatingIP]:
        """List floating IPs: ``floating_network_id``, ``port_id``, ``status``…"""
        return self._list(FloatingIP, **query)

    floating_ips = ips

    def get_ip(self, floating_ip: str | FloatingIP) -> FloatingIP:
        return self._get(FloatingIP, floating_ip)

    def find_ip(self, name_or_id: str, ignore_missing: bool = False,
                **query: Any) -> FloatingIP | None:
        """By id, then by floating IP address."""
        return self._find(FloatingIP, name_or_id, ignore_missing=ignore_missing, **query)

    def create_ip(self, **attrs: Any) -> FloatingIP:
        """Allocate a floating IP: ``floating_network_id``, optionally ``port_id``."""
        return self._create(FloatingIP, **attrs)

    def update_ip(self, floating_ip: str | FloatingIP, **attrs: Any) -> FloatingIP:
        """Associate (``port_id=…``) or disassociate (``port_id=None``), or describe."""
        return self._update(FloatingIP, floating_ip, **attrs)

    def delete_ip(self, floating_ip: str | FloatingIP, ignore_missing: bool = True) -> None:
        self._delete(FloatingIP, floating_ip, ignore_missing=ignore_missing)

    # -- security groups ------------------------------------------------------------------
    def security_groups(self, **query: Any) -> ResourceList[SecurityGroup]:
        return self._list(SecurityGroup, **query)

    def get_security_group(self, security_group: str | SecurityGroup) -> SecurityGroup:
        return self._get(SecurityGroup, security_group)

    def find_security_group(self, name_or_id: str, ignore_missing: bool = False,
                            **query: Any) -> SecurityGroup | None:
        return self._find(SecurityGroup, name_or_id, ignore_missing=ignore_missing, **query)

    def create_security_group(self, **attrs: Any) -> SecurityGroup:
        return self._create(SecurityGroup, **attrs)

    def update_security_group(self, security_group: str | SecurityGroup,
                              **attrs: Any) -> SecurityGroup:
        return self._update(SecurityGroup, security_group, **attrs)

    def delete_security_group(self, security_group: str | SecurityGroup,
                              ignore_missing: bool = True) -> None:
        self._delete(SecurityGroup, security_group, ignore_missing=ignore_missing)

    def security_group_rules(self, **query: Any) -> ResourceList[SecurityGroupRule]:
        """List rules: ``security_group_id``, ``direction``, ``ether_type``, ``protocol``…"""
        return self._list(SecurityGroupRule, **query)

    def get_security_group_rule(self, rule: str | SecurityGroupRule) -> SecurityGroupRule:
        return self._get(SecurityGroupRule, rule)

    def find_security_group_rule(self, name_or_id: str, ignore_missing: bool = False,
                                 **query: Any) -> SecurityGroupRule | None:
        return self._find(SecurityGroupRule, name_or_id, ignore_missing=ignore_missing,
                          **query)

    def create_security_group_rule(self, **attrs: Any) -> SecurityGroupRule:
        """Create a rule: ``security_group_id``, ``direction``, ``ether_type``, …"""
        return self._create(SecurityGroupRule, **attrs)

    def delete_security_group_rule(self, rule: str | SecurityGroupRule,
                                   ignore_missing: bool = True) -> None:
        self._delete(SecurityGroupRule, rule, ignore_missing=ignore_missing)

    # -- RBAC policies --------------------------------------------------------------------
    def rbac_policies(self, **query: Any) -> ResourceList[RBACPolicy]:
        """List RBAC policies: ``object_id``, ``object_type``, ``action``,
        ``target_project_id``…"""
        return self._list(RBACPolicy, **query)

    def get_rbac_policy(self, rbac_policy: str | RBACPolicy) -> RBACPolicy:
        return self._get(RBACPolicy, rbac_policy)

    def find_rbac_policy(self, rbac_policy: str, ignore_missing: bool = False,
                         **query: Any) -> RBACPolicy | None:
        return self._find(RBACPolicy, rbac_policy, ignore_missing=ignore_missing, **query)

    def create_rbac_policy(self, **attrs: Any) -> RBACPolicy:
        """Share an object: ``object_type``, ``object_id``, ``action``,
        ``target_project_id`` (``*`` needs the admin role)."""
        return self._create(RBACPolicy, **attrs)

    def update_rbac_policy(self, rbac_policy: str | RBACPolicy, **attrs: Any) -> RBACPolicy:
        """Move the grant to another ``target_project_id``."""
        return self._update(RBACPolicy, rbac_policy, **attrs)

    def delete_rbac_policy(self, rbac_policy: str | RBACPolicy,
                           ignore_missing: bool = True) -> None:
        """Revoke the grant (409 while the target still uses the object)."""
        self._delete(RBACPolicy, rbac_policy, ignore_missing=ignore_missing)

    # -- QoS policies and rules -----------------------------------------------------------
    def qos_policies(self, **query: Any) -> ResourceList[QoSPolicy]:
        """List QoS policies: ``name``, ``is_shared``, ``is_default``, ``project_id``…"""
        return self._list(QoSPolicy, **query)

    def get_qos_policy(self, qos_policy: str | QoSPolicy) -> QoSPolicy:
        return self._get(QoSPolicy, qos_policy)

    def find_qos_policy(self, name_or_id: str, ignore_missing: bool = False,
                        **query: Any) -> QoSPolicy | None:
        return self._find(QoSPolicy, name_or_id, ignore_missing=ignore_missing, **query)

    def create_qos_policy(self, **attrs: Any) -> QoSPolicy:
        """Create a policy (admin): ``name``, ``description``, ``is_shared``,
        ``is_default``."""
        return self._create(QoSPolicy, **attrs)

    def update_qos_policy(self, qos_policy: str | QoSPolicy, **attrs: Any) -> QoSPolicy:
        return self._update(QoSPolicy, qos_policy, **attrs)

    def delete_qos_policy(self, qos_policy: str | QoSPolicy,
                          ignore_missing: bool = True) -> None:
        """Delete a policy and its rules (409 while a port or network uses it)."""
        self._delete(QoSPolicy, qos_policy, ignore_missing=ignore_missing)

    def _update_rule(self, kind: type[R], rule: Any, qos_policy: Any, attrs: Any) -> R:
        res = self._resource(kind, rule, qos_policy_id=qos_policy)
        res._set(attrs)
        return res.update(self)

    def qos_bandwidth_limit_rules(self, qos_policy: str | QoSPolicy,
                                  **query: Any) -> ResourceList[QoSBandwidthLimitRule]:
        return self._list(QoSBandwidthLimitRule, qos_policy_id=_id(qos_policy), **query)

    def get_qos_bandwidth_limit_rule(self, qos_rule: str | QoSBandwidthLimitRule,
                                     qos_policy: str | QoSPolicy) -> QoSBandwidthLimitRule:
        return self._get(QoSBandwidthLimitRule, qos_rule, qos_policy_id=_id(qos_policy))

    def find_qos_bandwidth_limit_rule(self, qos_rule_id: str, qos_policy: str | QoSPolicy,
                                      ignore_missing: bool = False,
                                      **query: Any) -> QoSBandwidthLimitRule | None:
        return self._find(QoSBandwidthLimitRule, qos_rule_id, ignore_missing=ignore_missing,
                          qos_policy_id=_id(qos_policy), **query)

    def create_qos_bandwidth_limit_rule(self, qos_policy: str | QoSPolicy,
                                        **attrs: Any) -> QoSBandwidthLimitRule:
        """Add a cap (admin): ``max_kbps``, ``max_burst_kbps``, ``direction``."""
        return self._create(QoSBandwidthLimitRule, qos_policy_id=_id(qos_policy), **attrs)

    def update_qos_bandwidth_limit_rule(self, qos_rule: str | QoSBandwidthLimitRule,
                                        qos_policy: str | QoSPolicy,
                                        **attrs: Any) -> QoSBandwidthLimitRule:
        return self._update_rule(QoSBandwidthLimitRule, qos_rule, _id(qos_policy), attrs)

    def delete_qos_bandwidth_limit_rule(self, qos_rule: str | QoSBandwidthLimitRule,
                                        qos_policy: str | QoSPolicy,
                                        ignore_missing: bool = True) -> None:
        self._delete(QoSBandwidthLimitRule, qos_rule, ignore_missing=ignore_missing,
                     qos_policy_id=_id(qos_policy))

    def qos_dscp_marking_rules(self, qos_policy: str | QoSPolicy,
                               **query: Any) -> ResourceList[QoSDSCPMarkingRule]:
        return self._list(QoSDSCPMarkingRule, qos_policy_id=_id(qos_policy), **query)

    def get_qos_dscp_marking_rule(self, qos_rule: str | QoSDSCPMarkingRule,
                                  qos_policy: str | QoSPolicy) -> QoSDSCPMarkingRule:
        return self._get(QoSDSCPMarkingRule, qos_rule, qos_policy_id=_id(qos_policy))

    def find_qos_dscp_marking_rule(self, qos_rule_id: str, qos_policy: str | QoSPolicy,
                                   ignore_missing: bool = False,
                                   **query: Any) -> QoSDSCPMarkingRule | None:
        return self._find(QoSDSCPMarkingRule, qos_rule_id, ignore_missing=ignore_missing,
                          qos_policy_id=_id(qos_policy), **query)

    def create_qos_dscp_marking_rule(self, qos_policy: str | QoSPolicy,
                                     **attrs: Any) -> QoSDSCPMarkingRule:
        """Add a mark (admin): ``dscp_mark`` (one of the valid DSCP values)."""
        return self._create(QoSDSCPMarkingRule, qos_policy_id=_id(qos_policy), **attrs)

    def update_qos_dscp_marking_rule(self, qos_rule: str | QoSDSCPMarkingRule,
                                     qos_policy: str | QoSPolicy,
                                     **attrs: Any) -> QoSDSCPMarkingRule:
        return self._update_rule(QoSDSCPMarkingRule, qos_rule, _id(qos_policy), attrs)

    def delete_qos_dscp_marking_rule(self, qos_rule: str | QoSDSCPMarkingRule,
                                     qos_policy: str | QoSPolicy,
                                     ignore_missing: bool = True) -> None:
        self._delete(QoSDSCPMarkingRule, qos_rule, ignore_missing=ignore_missing,
                     qos_policy_id=_id(qos_policy))

    def qos_minimum_bandwidth_rules(self, qos_policy: str | QoSPolicy,
                                    **query: Any) -> ResourceList[QoSMinimumBandwidthRule]:
        return self._list(QoSMinimumBandwidthRule, qos_policy_id=_id(qos_policy), **query)

    def get_qos_minimum_bandwidth_rule(self, qos_rule: str | QoSMinimumBandwidthRule,
                                       qos_policy: str | QoSPolicy
                                       ) -> QoSMinimumBandwidthRule:
        return self._get(QoSMinimumBandwidthRule, qos_rule, qos_policy_id=_id(qos_policy))

    def find_qos_minimum_bandwidth_rule(self, qos_rule_id: str, qos_policy: str | QoSPolicy,
                                        ignore_missing: bool = False,
                                        **query: Any) -> QoSMinimumBandwidthRule | None:
        return self._find(QoSMinimumBandwidthRule, qos_rule_id,
                          ignore_missing=ignore_missing, qos_policy_id=_id(qos_policy),
                          **query)

    def create_qos_minimum_bandwidth_rule(self, qos_policy: str | QoSPolicy,
                                          **attrs: Any) -> QoSMinimumBandwidthRule:
        """Add a guarantee (admin): ``min_kbps``, ``direction``; ports on provider
        networks then ask placement for it (``resource_request``)."""
        return self._create(QoSMinimumBandwidthRule, qos_policy_id=_id(qos_policy), **attrs)

    def update_qos_minimum_bandwidth_rule(self, qos_rule: str | QoSMinimumBandwidthRule,
                                          qos_policy: str | QoSPolicy,
                                          **attrs: Any) -> QoSMinimumBandwidthRule:
        return self._update_rule(QoSMinimumBandwidthRule, qos_rule, _id(qos_policy), attrs)

    def delete_qos_minimum_bandwidth_rule(self, qos_rule: str | QoSMinimumBandwidthRule,
                                          qos_policy: str | QoSPolicy,
                                          ignore_missing: bool = True) -> None:
        self._delete(QoSMinimumBandwidthRule, qos_rule, ignore_missing=ignore_missing,
                     qos_policy_id=_id(qos_policy))

    def qos_rule_types(self, **query: Any) -> ResourceList[QoSRuleType]:
        """The kinds of rule the cloud supports."""
        return self._list(QoSRuleType, **query)

    def get_qos_rule_type(self, qos_rule_type: str | QoSRuleType) -> QoSRuleType:
        """One kind, with its drivers' parameters."""
        return self._get(QoSRuleType, qos_rule_type)

    def find_qos_rule_type(self, rule_type_name: str, ignore_missing: bool = False
                           ) -> QoSRuleType | None:
        return self._find(QoSRuleType, rule_type_name, ignore_missing=ignore_missing)

    # -- trunks ---------------------------------------------------------------------------
    def trunks(self, **query: Any) -> ResourceList[Trunk]:
        """List trunks: ``port_id``, ``status``, ``is_admin_state_up``…"""
        return self._list(Trunk, **query)

    def get_trunk(self, trunk: str | Trunk) -> Trunk:
        return self._get(Trunk, trunk)

    def find_trunk(self, name_or_id: str, ignore_missing: bool = False,
                   **query: Any) -> Trunk | None:
        return self._find(Trunk, name_or_id, ignore_missing=ignore_missing, **query)

    def create_trunk(self, **attrs: Any) -> Trunk:
        """Create a trunk on ``port_id`` (and optional ``sub_ports``)."""
        return self._create(Trunk, **attrs)

    def update_trunk(self, trunk: str | Trunk, **attrs: Any) -> Trunk:
        return self._update(Trunk, trunk, **attrs)

    def delete_trunk(self, trunk: str | Trunk, ignore_missing: bool = True) -> None:
        """Delete a trunk (409 while its parent port is bound to a server)."""
        self._delete(Trunk, trunk, ignore_missing=ignore_missing)

    def add_trunk_subports(self, trunk: str | Trunk,
                           subports: list[dict[str, Any]]) -> Trunk:
        """Add ``[{"port_id", "segmentation_type", "segmentation_id"}, …]``."""
        return self._resource(Trunk, trunk).add_subports(self, subports)

    def delete_trunk_subports(self, trunk: str | Trunk,
                              subports: Iterable[dict[str, Any]]) -> Trunk:
        """Remove ``[{"port_id": …}, …]``."""
        return self._resource(Trunk, trunk).delete_subports(self, subports)

    def get_trunk_subports(self, trunk: str | Trunk) -> dict[str, Any]:
        return self._resource(Trunk, trunk).get_subports(self)

    # -- subnet pools and address scopes -------------------------------------------------
    def subnet_pools(self, **query: Any) -> ResourceList[SubnetPool]:
        """List subnet pools: ``ip_version``, ``is_default``, ``address_scope_id``…"""
        return self._list(SubnetPool, **query)

    def get_subnet_pool(self, subnet_pool: str | SubnetPool) -> SubnetPool:
        return self._get(SubnetPool, subnet_pool)

    def find_subnet_pool(self, name_or_id: str, ignore_missing: bool = False,
                         **query: Any) -> SubnetPool | None:
        return self._find(SubnetPool, name_or_id, ignore_missing=ignore_missing, **query)

    def create_subnet_pool(self, **attrs: Any) -> SubnetPool:
        """Create a pool: ``prefixes``, ``minimum_prefix_length``,
        ``default_prefix_length``, ``maximum_prefix_length``, ``address_scope_id``…"""
        return self._create(SubnetPool, **attrs)

    def update_subnet_pool(self, subnet_pool: str | SubnetPool, **attrs: Any) -> SubnetPool:
        return self._update(SubnetPool, subnet_pool, **attrs)

    def delete_subnet_pool(self, subnet_pool: str | SubnetPool,
                           ignore_missing: bool = True) -> None:
        """Delete a pool (409 while subnets hold blocks of it)."""
        self._delete(SubnetPool, subnet_pool, ignore_missing=ignore_missing)

    def onboard_network_subnets(self, subnet_pool: str | SubnetPool,
                                network: str | Network) -> list[dict[str, str]]:
        """Move a network's subnets into ``subnet_pool`` (their CIDRs join its prefixes);
        the subnets onboarded, ``[{"id", "cidr"}]``."""
        return self._resource(SubnetPool, subnet_pool).subnet_onboard(self, _id(network))

    def address_scopes(self, **query: Any) -> ResourceList[AddressScope]:
        return self._list(AddressScope, **query)

    def get_address_scope(self, address_scope: str | AddressScope) -> AddressScope:
        return self._get(AddressScope, address_scope)

    def find_address_scope(self, name_or_id: str, ignore_missing: bool = False,
                           **query: Any) -> AddressScope | None:
        return self._find(AddressScope, name_or_id, ignore_missing=ignore_missing, **query)

    def create_address_scope(self, **attrs: Any) -> AddressScope:
        """Create a scope: ``name``, ``ip_version``, ``is_shared`` (admin)."""
        return self._create(AddressScope, **attrs)

    def update_address_scope(self, address_scope: str | AddressScope,
                             **attrs: Any) -> AddressScope:
        return self._update(AddressScope, address_scope, **attrs)

    def delete_address_scope(self, address_scope: str | AddressScope,
                             ignore_missing: bool = True) -> None:
        """Delete a scope (409 while pools are in it)."""
        self._delete(AddressScope, address_scope, ignore_missing=ignore_missing)

    # -- segments, service providers ------------------------------------------------------
    def segments(self, **query: Any) -> ResourceList[Segment]:
        """List segments (admin): ``network_id``, ``physical_network``…"""
        return self._list(Segment, **query)

    def get_segment(self, segment: str | Segment) -> Segment:
        return self._get(Segment, segment)

    def find_segment(self, name_or_id: str, ignore_missing: bool = False,
                     **query: Any) -> Segment | None:
        return self._find(Segment, name_or_id, ignore_missing=ignore_missing, **query)

    def create_segment(self, **attrs: Any) -> Segment:
        """Add a segment to a network (admin): ``network_id``, ``network_type``,
        ``physical_network``, ``segmentation_id``."""
        return self._create(Segment, **attrs)

    def update_segment(self, segment: str | Segment, **attrs: Any) -> Segment:
        """Change ``name`` or ``description``."""
        return self._update(Segment, segment, **attrs)

    def delete_segment(self, segment: str | Segment, ignore_missing: bool = True) -> None:
        """Delete a segment (409 while subnets are bound to it)."""
        self._delete(Segment, segment, ignore_missing=ignore_missing)

    def service_providers(self, **query: Any) -> ResourceList[ServiceProvider]:
        """Which driver serves each advanced service."""
        return self._list(ServiceProvider, **query)

    # -- extensions -----------------------------------------------------------------------
    def extensions(self, **query: Any) -> ResourceList[Extension]:
        """The API extensions this Neutron serves."""
        return self._list(Extension, **query)

    def get_extension(self, extension: str | Extension) -> Extension:
        """One extension by alias."""
        return self._get(Extension, extension)

    def find_extension(self, name_or_id: str, ignore_missing: bool = False
                       ) -> Extension | None:
        """By alias, then by name."""
        return self._find(Extension, name_or_id, ignore_missing=ignore_missing)

    # -- quotas ---------------------------------------------------------------------------
    def quotas(self, **query: Any) -> ResourceList[Quota]:
        """Projects whose quota differs from the defaults (admin)."""
        return self._list(Quota, **query)

    def get_quota(self, quota: str | Quota | Any,
                  details: bool = False) -> Quota | QuotaDetails:
        """A project's limits (``quota`` is its id); with ``details``, use per resource."""
        if details:
            return self._get(QuotaDetails, None, project=_id(quota))
        return self._get(Quota, quota)

    def get_quota_default(self, quota: str | Quota | Any) -> QuotaDefault:
        return self._get(QuotaDefault, None, project=_id(quota))

    def update_quota(self, quota: str | Quota | Any, **attrs: Any) -> Quota:
        """Set limits: ``networks=20``, ``ports=-1`` (unlimited)…"""
        return self._update(Quota, _id(quota), **attrs)

    def delete_quota(self, quota: str | Quota | Any, ignore_missing: bool = True) -> None:
        """Reset a project's limits to the defaults."""
        self._delete(Quota, _id(quota), ignore_missing=ignore_missing)

    # -- agents, zones, IP availability ---------------------------------------------------
    def agents(self, **query: Any) -> ResourceList[Agent]:
        """List agents (admin): ``agent_type``, ``host``, ``is_alive``…"""
        return self._list(Agent, **query)

    def get_agent(self, agent: str | Agent) -> Agent:
        return self._get(Agent, agent)

    def update_agent(self, agent: str | Agent, **attrs: Any) -> Agent:
        """Change ``is_admin_state_up`` or ``description``."""
        return self._update(Agent, agent, **attrs)

    def delete_agent(self, agent: str | Agent, ignore_missing: bool = True) -> None:
        self._delete(Agent, agent, ignore_missing=ignore_missing)

    def availability_zones(self, **query: Any) -> ResourceList[AvailabilityZone]:
        return self._list(AvailabilityZone, **query)

    def network_ip_availabilities(self, **query: Any) -> ResourceList[NetworkIPAvailability]:
        """Used and total addresses per network (admin)."""
        return self._list(NetworkIPAvailability, **query)

    def get_network_ip_availability(self, network: str | Network | NetworkIPAvailability
                                    ) -> NetworkIPAvailability:
        return self._get(NetworkIPAvailability, _id(network))

    def find_network_ip_availability(self, name_or_id: str, ignore_missing: bool = False,
                                     **query: Any) -> NetworkIPAvailability | None:
        return self._find(NetworkIPAvailability, name_or_id, ignore_missing=ignore_missing,
                          **query)

    # -- tags (openstacksdk's TagMixin) -----------------------------------------------------
    @staticmethod
    def _taggable(resource: Any) -> TagMixin:
        if not isinstance(resource, TagMixin):
            raise TypeError(f"{type(resource).__name__} has no tags; taggable: networks, "
                            "subnets, ports, routers, floating IPs, security groups, "
                            "QoS policies, trunks, subnet pools, segment ranges")
        return resource

    def get_tags(self, resource: Resource) -> list[str]:
        """The tags the cloud lists for ``resource`` now."""
        return list(self._taggable(resource).fetch_tags(self).tags or [])

    def set_tags(self, resource: R, tags: list[str]) -> R:
        """Replace every tag of ``resource``."""
        self._taggable(resource).set_tags(self, tags)
        return resource

    def add_tag(self, resource: R, tag: str) -> R:
        self._taggable(resource).add_tag(self, tag)
        return resource

    def add_tags(self, resource: R, tags: list[str]) -> R:
        """Add ``tags`` to those ``resource`` carries, in one ``POST …/tags``."""
        self._taggable(resource).add_tags(self, tags)
        return resource

    def remove_tag(self, resource: R, tag: str) -> R:
        """Remove one tag (NotFound when ``resource`` does not carry it)."""
        self._taggable(resource).remove_tag(self, tag)
        return resource

    def remove_all_tags(self, resource: R) -> R:
        self._taggable(resource).remove_all_tags(self)
        return resource

    def check_tag(self, resource: Resource, tag: str) -> bool:
        """Whether ``resource`` carries ``tag``."""
        try:
            self._taggable(resource).check_tag(self, tag)
        except NotFound:
            return False
        return True

    # -- port forwardings -------------------------------------------------------------------
    def _update_in(self, kind: type[R], value: Any, attrs: Any, **uri: Any) -> R:
        res = self._resource(kind, value, **uri)
        res._set(attrs)
        return res.update(self)

    def port_forwardings(self, floating_ip: str | FloatingIP,
                         **query: Any) -> ResourceList[PortForwarding]:
        """A floating IP's port forwardings: ``protocol``, ``external_port``…"""
        return self._list(PortForwarding, floatingip_id=_id(floating_ip), **query)

    floating_ip_port_forwardings = port_forwardings

    def get_port_forwarding(self, port_forwarding: str | PortForwarding,
                            floating_ip: str | FloatingIP) -> PortForwarding:
        return self._get(PortForwarding, port_forwarding, floatingip_id=_id(floating_ip))

    def get_floating_ip_port_forwarding(self, floating_ip: str | FloatingIP,
                                        port_forwarding: str | PortForwarding
                                        ) -> PortForwarding:
        return self.get_port_forwarding(port_forwarding, floating_ip)

    def find_port_forwarding(self, pf_id: str, floating_ip: str | FloatingIP,
                             ignore_missing: bool = False,
                             **query: Any) -> PortForwarding | None:
        return self._find(PortForwarding, pf_id, ignore_missing=ignore_missing,
                          floatingip_id=_id(floating_ip), **query)

    def create_port_forwarding(self, **attrs: Any) -> PortForwarding:
        """Forward a port: ``floatingip_id``, ``protocol``, ``internal_port_id``,
        ``internal_ip_address``, ``internal_port``, ``external_port`` (409 when the
        external port is taken on that floating IP and protocol)."""
        return self._create(PortForwarding, **attrs)

    def create_floating_ip_port_forwarding(self, floating_ip: str | FloatingIP,
                                           **attrs: Any) -> PortForwarding:
        return self._create(PortForwarding, floatingip_id=_id(floating_ip), **attrs)

    def update_port_forwarding(self, port_forwarding: str | PortForwarding,
                               floating_ip: str | FloatingIP,
                               **attrs: Any) -> PortForwarding:
        return self._update_in(PortForwarding, port_forwarding, attrs,
                               floatingip_id=_id(floating_ip))

    def update_floating_ip_port_forwarding(self, floating_ip: str | FloatingIP,
                                           port_forwarding: str | PortForwarding,
                                           **attrs: Any) -> PortForwarding:
        return self.update_port_forwarding(port_forwarding, floating_ip, **attrs)

    def delete_port_forwarding(self, port_forwarding: str | PortForwarding,
                               floating_ip: str | FloatingIP,
                               ignore_missing: bool = True) -> None:
        self._delete(PortForwarding, port_forwarding, ignore_missing=ignore_missing,
                     floatingip_id=_id(floating_ip))

    def delete_floating_ip_port_forwarding(self, floating_ip: str | FloatingIP,
                                           port_forwarding: str | PortForwarding,
                                           ignore_missing: bool = True) -> None:
        self.delete_port_forwarding(port_forwarding, floating_ip, ignore_missing)

    def floating_ip_pools(self, **query: Any) -> ResourceList[FloatingIPPool]:
        """The external subnets floating IPs come from."""
        return self._list(FloatingIPPool, **query)

    # -- conntrack helpers, NDP proxies -------------------------------------------------------
    def conntrack_helpers(self, router: str | Router,
                          **query: Any) -> ResourceList[ConntrackHelper]:
        return self._list(ConntrackHelper, router_id=_id(router), **query)

    def get_conntrack_helper(self, conntrack_helper: str | ConntrackHelper,
                             router: str | Router) -> ConntrackHelper:
        return self._get(ConntrackHelper, conntrack_helper, router_id=_id(router))

    def create_conntrack_helper(self, router: str | Router,
                                **attrs: Any) -> ConntrackHelper:
        """Run ``helper`` for ``protocol``/``port`` on the router (409 when it does)."""
        return self._create(ConntrackHelper, router_id=_id(router), **attrs)

    def update_conntrack_helper(self, conntrack_helper: str | ConntrackHelper,
                                router: str | Router, **attrs: Any) -> ConntrackHelper:
        return self._update_in(ConntrackHelper, conntrack_helper, attrs,
                               router_id=_id(router))

    def delete_conntrack_helper(self, conntrack_helper: str | ConntrackHelper,
                                router: str | Router, ignore_missing: bool = True) -> None:
        self._delete(ConntrackHelper, conntrack_helper, ignore_missing=ignore_missing,
                     router_id=_id(router))

    def ndp_proxies(self, **query: Any) -> ResourceList[NDPProxy]:
        return self._list(NDPProxy, **query)

    def get_ndp_proxy(self, ndp_proxy: str | NDPProxy) -> NDPProxy:
        return self._get(NDPProxy, ndp_proxy)

    def find_ndp_proxy(self, ndp_proxy_id: str, ignore_missing: bool = False,
                       **query: Any) -> NDPProxy | None:
        return self._find(NDPProxy, ndp_proxy_id, ignore_missing=ignore_missing, **query)

    def create_ndp_proxy(self, **attrs: Any) -> NDPProxy:
        """Announce ``ip_address`` of ``port_id`` through ``router_id``."""
        return self._create(NDPProxy, **attrs)

    def update_ndp_proxy(self, ndp_proxy: str | NDPProxy, **attrs: Any) -> NDPProxy:
        return self._update(NDPProxy, ndp_proxy, **attrs)

    def delete_ndp_proxy(self, ndp_proxy: str | NDPProxy, ignore_missing: bool = True) -> None:
        self._delete(NDPProxy, ndp_proxy, ignore_missing=ignore_missing)

    # -- address groups, local IPs, default security group rules -----------------------------
    def address_groups(self, **query: Any) -> ResourceList[AddressGroup]:
        return self._list(AddressGroup, **query)

    def get_address_group(self, address_group: str | AddressGroup) -> AddressGroup:
        return self._get(AddressGroup, address_group)

    def find_address_group(self, name_or_id: str, ignore_missing: bool = False,
                           **query: Any) -> AddressGroup | None:
        return self._find(AddressGroup, name_or_id, ignore_missing=ignore_missing, **query)

    def create_address_group(self, **attrs: Any) -> AddressGroup:
        """A named set of ``addresses`` (CIDRs) for security group rules."""
        return self._create(AddressGroup, **attrs)

    def update_address_group(self, address_group: str | AddressGroup,
                             **attrs: Any) -> AddressGroup:
        return self._update(AddressGroup, address_group, **attrs)

    def delete_address_group(self, address_group: str | AddressGroup,
                             ignore_missing: bool = True) -> None:
        """Delete a group (409 while a security group rule names it)."""
        self._delete(AddressGroup, address_group, ignore_missing=ignore_missing)

    def add_addresses_to_address_group(self, address_group: str | AddressGroup,
                                       addresses: list[str]) -> AddressGroup:
        return self._resource(AddressGroup, address_group).add_addresses(self, addresses)

    def remove_addresses_from_address_group(self, address_group: str | AddressGroup,
                                            addresses: list[str]) -> AddressGroup:
        return self._resource(AddressGroup, address_group).remove_addresses(self, addresses)

    def local_ips(self, **query: Any) -> ResourceList[LocalIP]:
        return self._list(LocalIP, **query)

    def get_local_ip(self, local_ip: str | LocalIP) -> LocalIP:
        return self._get(LocalIP, local_ip)

    def find_local_ip(self, name_or_id: str, ignore_missing: bool = False,
                      **query: Any) -> LocalIP | None:
        return self._find(LocalIP, name_or_id, ignore_missing=ignore_missing, **query)

    def create_local_ip(self, **attrs: Any) -> LocalIP:
        """A local IP on ``network_id`` (or on ``local_port_id``'s address)."""
        return self._create(LocalIP, **attrs)

    def update_local_ip(self, local_ip: str | LocalIP, **attrs: Any) -> LocalIP:
        return self._update(LocalIP, local_ip, **attrs)

    def delete_local_ip(self, local_ip: str | LocalIP, ignore_missing: bool = True) -> None:
        """Delete a local IP (409 while ports are associated with it)."""
        self._delete(LocalIP, local_ip, ignore_missing=ignore_missing)

    def local_ip_associations(self, local_ip: str | LocalIP,
                              **query: Any) -> ResourceList[LocalIPAssociation]:
        return self._list(LocalIPAssociation, local_ip_id=_id(local_ip), **query)

    def create_local_ip_association(self, local_ip: str | LocalIP,
                                    **attrs: Any) -> LocalIPAssociation:
        """Associate ``fixed_port_id`` (and ``fixed_ip``) with the local IP."""
        return self._create(LocalIPAssociation, local_ip_id=_id(local_ip), **attrs)

    def delete_local_ip_association(self, local_ip: str | LocalIP, fixed_port_id: str,
                                    ignore_missing: bool = True) -> None:
        self._delete(LocalIPAssociation, fixed_port_id, ignore_missing=ignore_missing,
                     local_ip_id=_id(local_ip))

    def default_security_group_rules(self, **query: Any
                                     ) -> ResourceList[DefaultSecurityGroupRule]:
        """The rules every new security group starts with."""
        return self._list(DefaultSecurityGroupRule, **query)

    def get_default_security_group_rule(self, default_security_group_rule: str
                                        | DefaultSecurityGroupRule
                                        ) -> DefaultSecurityGroupRule:
        return self._get(DefaultSecurityGroupRule, default_security_group_rule)

    def create_default_security_group_rule(self, **attrs: Any) -> DefaultSecurityGroupRule:
        """Add a rule to the template (admin): ``direction``, ``protocol``…"""
        return self._create(DefaultSecurityGroupRule, **attrs)

    def delete_default_security_group_rule(self, default_security_group_rule: str
                                           | DefaultSecurityGroupRule,
                                           ignore_missing: bool = True) -> None:
        self._delete(DefaultSecurityGroupRule, default_security_group_rule,
                     ignore_missing=ignore_missing)

    # -- segment ranges, auto-allocated topology ----------------------------------------------
    def network_segment_ranges(self, **query: Any) -> ResourceList[NetworkSegmentRange]:
        """The segment id ranges (admin), each with its ``used`` and ``available`` ids."""
        return self._list(NetworkSegmentRange, **query)

    def get_network_segment_range(self, network_segment_range: str | NetworkSegmentRange
                                  ) -> NetworkSegmentRange:
        return self._get(NetworkSegmentRange, network_segment_range)

    def find_network_segment_range(self, name_or_id: str, ignore_missing: bool = False,
                                   **query: Any) -> NetworkSegmentRange | None:
        return self._find(NetworkSegmentRange, name_or_id, ignore_missing=ignore_missing,
                          **query)

    def create_network_segment_range(self, **attrs: Any) -> NetworkSegmentRange:
        """A range (admin): ``network_type``, ``physical_network``, ``minimum``,
        ``maximum``, ``shared`` or ``project_id`` (409 when it overlaps another)."""
        return self._create(NetworkSegmentRange, **attrs)

    def update_network_segment_range(self, network_segment_range: str | NetworkSegmentRange,
                                     **attrs: Any) -> NetworkSegmentRange:
        return self._update(NetworkSegmentRange, network_segment_range, **attrs)

    def delete_network_segment_range(self, network_segment_range: str | NetworkSegmentRange,
                                     ignore_missing: bool = True) -> None:
        self._delete(NetworkSegmentRange, network_segment_range,
                     ignore_missing=ignore_missing)

    def get_auto_allocated_topology(self, project: str | None = None
                                    ) -> AutoAllocatedTopology:
        """The project's (the caller's by default) network, router and subnet, made on
        the first ask."""
        return self._get(AutoAllocatedTopology, project or self.get_project_id())

    def validate_auto_allocated_topology(self, project: str | None = None
                                         ) -> AutoAllocatedTopology:
        """Whether the project's topology could be made now, without making it: ``id``
        ``dry-run=pass``, or :class:`Conflict` naming what is missing."""
        return self._resource(AutoAllocatedTopology,
                              project or self.get_project_id()).validate(self)

    def delete_auto_allocated_topology(self, project: str | None = None,
                                       ignore_missing: bool = False) -> None:
        self._delete(AutoAllocatedTopology, project or self.get_project_id(),
                     ignore_missing=ignore_missing)

    # -- agent scheduling ---------------------------------------------------------------------
    def dhcp_agent_hosting_networks(self, agent: str | Agent,
                                    **query: Any) -> ResourceList[DHCPAgentHostingNetwork]:
        """The networks a DHCP agent serves (admin)."""
        return self._list(DHCPAgentHostingNetwork, agent_id=_id(agent), **query)

    def network_hosting_dhcp_agents(self, network: str | Network,
                                    **query: Any) -> ResourceList[NetworkHostingDHCPAgent]:
        """The DHCP agents serving a network (admin)."""
        return self._list(NetworkHostingDHCPAgent, network_id=_id(network), **query)

    def add_dhcp_agent_to_network(self, agent: str | Agent,
                                  network: str | Network) -> dict[str, Any]:
        """Have a DHCP agent serve a network too (409 when it does)."""
        self.post(f"/agents/{_id(agent)}/dhcp-networks", json={"network_id": _id(network)})
        return {"network_id": _id(network)}

    def remove_dhcp_agent_from_network(self, agent: str | Agent,
                                       network: str | Network) -> None:
        self.delete(f"/agents/{_id(agent)}/dhcp-networks/{_id(network)}")

    def agent_hosted_routers(self, agent: str | Agent,
                             **query: Any) -> ResourceList[L3AgentRouter]:
        """The routers an L3 agent hosts (admin)."""
        return self._list(L3AgentRouter, agent_id=_id(agent), **query)

    def routers_hosting_l3_agents(self, router: str | Router,
                                  **query: Any) -> ResourceList[RouterL3Agent]:
        """The L3 agent hosting a router (admin)."""
        return self._list(RouterL3Agent, router_id=_id(router), **query)

    def add_router_to_agent(self, agent: str | Agent, router: str | Router) -> dict[str, Any]:
        """Host a router on an L3 agent (409 while another hosts it)."""
        self.post(f"/agents/{_id(agent)}/l3-routers", json={"router_id": _id(router)})
        return {"router_id": _id(router)}

    def remove_router_from_agent(self, agent: str | Agent, router: str | Router) -> None:
        self.delete(f"/agents/{_id(agent)}/l3-routers/{_id(router)}")

    # -- flavors, service profiles, packet-rate QoS rules -------------------------------------
    def flavors(self, **query: Any) -> ResourceList[Flavor]:
        return self._list(Flavor, **query)

    def get_flavor(self, flavor: str | Flavor) -> Flavor:
        return self._get(Flavor, flavor)

    def find_flavor(self, name_or_id: str, ignore_missing: bool = False,
                    **query: Any) -> Flavor | None:
        return self._find(Flavor, name_or_id, ignore_missing=ignore_missing, **query)

    def create_flavor(self, **attrs: Any) -> Flavor:
        """A flavor (admin): ``name``, ``service_type``, ``is_enabled``."""
        return self._create(Flavor, **attrs)

    def update_flavor(self, flavor: str | Flavor, **attrs: Any) -> Flavor:
        return self._update(Flavor, flavor, **attrs)

    def delete_flavor(self, flavor: str | Flavor, ignore_missing: bool = True) -> None:
        self._delete(Flavor, flavor, ignore_missing=ignore_missing)

    def associate_flavor_with_service_profile(self, flavor: str | Flavor,
                                              service_profile: str | ServiceProfile
                                              ) -> dict[str, Any]:
        return self._resource(Flavor, flavor).associate_flavor_with_service_profile(
            self, _id(service_profile))

    def disassociate_flavor_from_service_profile(self, flavor: str | Flavor,
                                                 service_profile: str | ServiceProfile
                                                 ) -> None:
        self._resource(Flavor, flavor).disassociate_flavor_from_service_profile(
            self, _id(service_profile))

    def service_profiles(self, **query: Any) -> ResourceList[ServiceProfile]:
        return self._list(ServiceProfile, **query)

    def get_service_profile(self, service_profile: str | ServiceProfile) -> ServiceProfile:
        return self._get(ServiceProfile, service_profile)

    def find_service_profile(self, name_or_id: str, ignore_missing: bool = False,
                             **query: Any) -> ServiceProfile | None:
        return self._find(ServiceProfile, name_or_id, ignore_missing=ignore_missing, **query)

    def create_service_profile(self, **attrs: Any) -> ServiceProfile:
        """A profile (admin): ``driver`` and/or ``meta_info``."""
        return self._create(ServiceProfile, **attrs)

    def update_service_profile(self, service_profile: str | ServiceProfile,
                               **attrs: Any) -> ServiceProfile:
        return self._update(ServiceProfile, service_profile, **attrs)

    def delete_service_profile(self, service_profile: str | ServiceProfile,
                               ignore_missing: bool = True) -> None:
        """Delete a profile (409 while a flavor uses it)."""
        self._delete(ServiceProfile, service_profile, ignore_missing=ignore_missing)

    def qos_packet_rate_limit_rules(self, qos_policy: str | QoSPolicy,
                                    **query: Any) -> ResourceList[QoSPacketRateLimitRule]:
        return self._list(QoSPacketRateLimitRule, qos_policy_id=_id(qos_policy), **query)

    def get_qos_packet_rate_limit_rule(self, qos_rule: str | QoSPacketRateLimitRule,
                                       qos_policy: str | QoSPolicy) -> QoSPacketRateLimitRule:
        return self._get(QoSPacketRateLimitRule, qos_rule, qos_policy_id=_id(qos_policy))

    def create_qos_packet_rate_limit_rule(self, qos_policy: str | QoSPolicy,
                                          **attrs: Any) -> QoSPacketRateLimitRule:
        """Cap packets (admin): ``max_kpps``, ``max_burst_kpps``, ``direction``."""
        return self._create(QoSPacketRateLimitRule, qos_policy_id=_id(qos_policy), **attrs)

    def update_qos_packet_rate_limit_rule(self, qos_rule: str | QoSPacketRateLimitRule,
                                          qos_policy: str | QoSPolicy,
                                          **attrs: Any) -> QoSPacketRateLimitRule:
        return self._update_rule(QoSPacketRateLimitRule, qos_rule, _id(qos_policy), attrs)

    def delete_qos_packet_rate_limit_rule(self, qos_rule: str | QoSPacketRateLimitRule,
                                          qos_policy: str | QoSPolicy,
                                          ignore_missing: bool = True) -> None:
        self._delete(QoSPacketRateLimitRule, qos_rule, ignore_missing=ignore_missing,
                     qos_policy_id=_id(qos_policy))

    def qos_minimum_packet_rate_rules(self, qos_policy: str | QoSPolicy, **query: Any
                                      ) -> ResourceList[QoSMinimumPacketRateRule]:
        return self._list(QoSMinimumPacketRateRule, qos_policy_id=_id(qos_policy), **query)

    def get_qos_minimum_packet_rate_rule(self, qos_rule: str | QoSMinimumPacketRateRule,
                                         qos_policy: str | QoSPolicy
                                         ) -> QoSMinimumPacketRateRule:
        return self._get(QoSMinimumPacketRateRule, qos_rule, qos_policy_id=_id(qos_policy))

    def create_qos_minimum_packet_rate_rule(self, qos_policy: str | QoSPolicy,
                                            **attrs: Any) -> QoSMinimumPacketRateRule:
        """Guarantee packets (admin): ``min_kpps``, ``direction`` (``any`` for both)."""
        return self._create(QoSMinimumPacketRateRule, qos_policy_id=_id(qos_policy), **attrs)

    def update_qos_minimum_packet_rate_rule(self, qos_rule: str | QoSMinimumPacketRateRule,
                                            qos_policy: str | QoSPolicy,
                                            **attrs: Any) -> QoSMinimumPacketRateRule:
        return self._update_rule(QoSMinimumPacketRateRule, qos_rule, _id(qos_policy), attrs)

    def delete_qos_minimum_packet_rate_rule(self, qos_rule: str | QoSMinimumPacketRateRule,
                                            qos_policy: str | QoSPolicy,
                                            ignore_missing: bool = True) -> None:
        self._delete(QoSMinimumPacketRateRule, qos_rule, ignore_missing=ignore_missing,
                     qos_policy_id=_id(qos_policy))

    # -- security groups' default statefulness, extra routes -------------------------------
    def security_groups_default_statefulness(self, **query: Any
                                             ) -> ResourceList[SecurityGroupsDefaultStatefulness]:
        """The defaults: the cloud's (``project_id`` None) and per project."""
        return self._list(SecurityGroupsDefaultStatefulness, **query)

    def get_security_groups_default_statefulness(
            self, security_groups_default_statefulness: str | SecurityGroupsDefaultStatefulness
    ) -> SecurityGroupsDefaultStatefulness:
        return self._get(SecurityGroupsDefaultStatefulness,
                         security_groups_default_statefulness)

    def create_security_groups_default_statefulness(
            self, **attrs: Any) -> SecurityGroupsDefaultStatefulness:
        """Set a default (admin): ``stateful`` and ``project_id`` (None: cloud-wide; left
        out: the caller's project)."""
        return self._create(SecurityGroupsDefaultStatefulness, **attrs)

    def update_security_groups_default_statefulness(
            self, security_groups_default_statefulness: str | SecurityGroupsDefaultStatefulness,
            **attrs: Any) -> SecurityGroupsDefaultStatefulness:
        return self._update(SecurityGroupsDefaultStatefulness,
                            security_groups_default_statefulness, **attrs)

    def delete_security_groups_default_statefulness(
            self, security_groups_default_statefulness: str | SecurityGroupsDefaultStatefulness,
            ignore_missing: bool = True) -> None:
        self._delete(SecurityGroupsDefaultStatefulness, security_groups_default_statefulness,
                     ignore_missing=ignore_missing)

    def add_extra_routes_to_router(self, router: str | Router,
                                   body: dict[str, Any]) -> Router:
        """Add ``{"router": {"routes": [...]}}`` to the router's routes, atomically."""
        return self._resource(Router, router).add_extra_routes(self, body)

    def remove_extra_routes_from_router(self, router: str | Router,
                                        body: dict[str, Any]) -> Router:
        """Remove ``{"router": {"routes": [...]}}`` from the router's routes, atomically."""
        return self._resource(Router, router).remove_extra_routes(self, body)
    # == service plugins: metering, FWaaS, VPNaaS, BGP, BGPVPN, SFC, TaaS ==================
    # -- metering labels --------------------------------------------------------
    def metering_labels(self, **query: Any) -> ResourceList[MeteringLabel]:
        """List metering labels."""
        return self._list(MeteringLabel, **query)

    def get_metering_label(self, metering_label: str | MeteringLabel) -> MeteringLabel:
        return self._get(MeteringLabel, metering_label)

    def find_metering_label(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> MeteringLabel | None:
        return self._find(MeteringLabel, name_or_id, ignore_missing=ignore_missing, **query)

    def create_metering_label(self, **attrs: Any) -> MeteringLabel:
        return self._create(MeteringLabel, **attrs)

    def update_metering_label(
        self, metering_label: str | MeteringLabel, **attrs: Any
    ) -> MeteringLabel:
        return self._update(MeteringLabel, metering_label, **attrs)

    def delete_metering_label(
        self, metering_label: str | MeteringLabel, ignore_missing: bool = True
    ) -> None:
        self._delete(MeteringLabel, metering_label, ignore_missing=ignore_missing)

    # -- metering label rules ---------------------------------------------------
    def metering_label_rules(self, **query: Any) -> ResourceList[MeteringLabelRule]:
        """List metering label rules."""
        return self._list(MeteringLabelRule, **query)

    def get_metering_label_rule(
        self, metering_label_rule: str | MeteringLabelRule
    ) -> MeteringLabelRule:
        return self._get(MeteringLabelRule, metering_label_rule)

    def find_metering_label_rule(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> MeteringLabelRule | None:
        return self._find(MeteringLabelRule, name_or_id, ignore_missing=ignore_missing, **query)

    def create_metering_label_rule(self, **attrs: Any) -> MeteringLabelRule:
        return self._create(MeteringLabelRule, **attrs)

    def update_metering_label_rule(
        self, metering_label_rule: str | MeteringLabelRule, **attrs: Any
    ) -> MeteringLabelRule:
        return self._update(MeteringLabelRule, metering_label_rule, **attrs)

    def delete_metering_label_rule(
        self, metering_label_rule: str | MeteringLabelRule, ignore_missing: bool = True
    ) -> None:
        self._delete(MeteringLabelRule, metering_label_rule, ignore_missing=ignore_missing)

    # -- firewall rules ---------------------------------------------------------
    def firewall_rules(self, **query: Any) -> ResourceList[FirewallRule]:
        """List firewall rules."""
        return self._list(FirewallRule, **query)

    def get_firewall_rule(self, firewall_rule: str | FirewallRule) -> FirewallRule:
        return self._get(FirewallRule, firewall_rule)

    def find_firewall_rule(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> FirewallRule | None:
        return self._find(FirewallRule, name_or_id, ignore_missing=ignore_missing, **query)

    def create_firewall_rule(self, **attrs: Any) -> FirewallRule:
        return self._create(FirewallRule, **attrs)

    def update_firewall_rule(
        self, firewall_rule: str | FirewallRule, **attrs: Any
    ) -> FirewallRule:
        return self._update(FirewallRule, firewall_rule, **attrs)

    def delete_firewall_rule(
        self, firewall_rule: str | FirewallRule, ignore_missing: bool = True
    ) -> None:
        self._delete(FirewallRule, firewall_rule, ignore_missing=ignore_missing)

    # -- firewall policys -------------------------------------------------------
    def firewall_policies(self, **query: Any) -> ResourceList[FirewallPolicy]:
        """List firewall policys."""
        return self._list(FirewallPolicy, **query)

    def get_firewall_policy(self, firewall_policy: str | FirewallPolicy) -> FirewallPolicy:
        return self._get(FirewallPolicy, firewall_policy)

    def find_firewall_policy(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> FirewallPolicy | None:
        return self._find(FirewallPolicy, name_or_id, ignore_missing=ignore_missing, **query)

    def create_firewall_policy(self, **attrs: Any) -> FirewallPolicy:
        return self._create(FirewallPolicy, **attrs)

    def update_firewall_policy(
        self, firewall_policy: str | FirewallPolicy, **attrs: Any
    ) -> FirewallPolicy:
        return self._update(FirewallPolicy, firewall_policy, **attrs)

    def delete_firewall_policy(
        self, firewall_policy: str | FirewallPolicy, ignore_missing: bool = True
    ) -> None:
        self._delete(FirewallPolicy, firewall_policy, ignore_missing=ignore_missing)

    # -- firewall groups --------------------------------------------------------
    def firewall_groups(self, **query: Any) -> ResourceList[FirewallGroup]:
        """List firewall groups."""
        return self._list(FirewallGroup, **query)

    def get_firewall_group(self, firewall_group: str | FirewallGroup) -> FirewallGroup:
        return self._get(FirewallGroup, firewall_group)

    def find_firewall_group(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> FirewallGroup | None:
        return self._find(FirewallGroup, name_or_id, ignore_missing=ignore_missing, **query)

    def create_firewall_group(self, **attrs: Any) -> FirewallGroup:
        return self._create(FirewallGroup, **attrs)

    def update_firewall_group(
        self, firewall_group: str | FirewallGroup, **attrs: Any
    ) -> FirewallGroup:
        return self._update(FirewallGroup, firewall_group, **attrs)

    def delete_firewall_group(
        self, firewall_group: str | FirewallGroup, ignore_missing: bool = True
    ) -> None:
        self._delete(FirewallGroup, firewall_group, ignore_missing=ignore_missing)

    # -- vpn ike policys --------------------------------------------------------
    def vpn_ike_policies(self, **query: Any) -> ResourceList[VpnIkePolicy]:
        """List vpn ike policys."""
        return self._list(VpnIkePolicy, **query)

    def get_vpn_ike_policy(self, ike_policy: str | VpnIkePolicy) -> VpnIkePolicy:
        return self._get(VpnIkePolicy, ike_policy)

    def find_vpn_ike_policy(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> VpnIkePolicy | None:
        return self._find(VpnIkePolicy, name_or_id, ignore_missing=ignore_missing, **query)

    def create_vpn_ike_policy(self, **attrs: Any) -> VpnIkePolicy:
        return self._create(VpnIkePolicy, **attrs)

    def update_vpn_ike_policy(self, ike_policy: str | VpnIkePolicy, **attrs: Any) -> VpnIkePolicy:
        return self._update(VpnIkePolicy, ike_policy, **attrs)

    def delete_vpn_ike_policy(
        self, ike_policy: str | VpnIkePolicy, ignore_missing: bool = True
    ) -> None:
        self._delete(VpnIkePolicy, ike_policy, ignore_missing=ignore_missing)

    # -- vpn ipsec policys ------------------------------------------------------
    def vpn_ipsec_policies(self, **query: Any) -> ResourceList[VpnIpsecPolicy]:
        """List vpn ipsec policys."""
        return self._list(VpnIpsecPolicy, **query)

    def get_vpn_ipsec_policy(self, ipsec_policy: str | VpnIpsecPolicy) -> VpnIpsecPolicy:
        return self._get(VpnIpsecPolicy, ipsec_policy)

    def find_vpn_ipsec_policy(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> VpnIpsecPolicy | None:
        return self._find(VpnIpsecPolicy, name_or_id, ignore_missing=ignore_missing, **query)

    def create_vpn_ipsec_policy(self, **attrs: Any) -> VpnIpsecPolicy:
        return self._create(VpnIpsecPolicy, **attrs)

    def update_vpn_ipsec_policy(
        self, ipsec_policy: str | VpnIpsecPolicy, **attrs: Any
    ) -> VpnIpsecPolicy:
        return self._update(VpnIpsecPolicy, ipsec_policy, **attrs)

    def delete_vpn_ipsec_policy(
        self, ipsec_policy: str | VpnIpsecPolicy, ignore_missing: bool = True
    ) -> None:
        self._delete(VpnIpsecPolicy, ipsec_policy, ignore_missing=ignore_missing)

    # -- vpn services -----------------------------------------------------------
    def vpn_services(self, **query: Any) -> ResourceList[VpnService]:
        """List vpn services."""
        return self._list(VpnService, **query)

    def get_vpn_service(self, vpn_service: str | VpnService) -> VpnService:
        return self._get(VpnService, vpn_service)

    def find_vpn_service(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> VpnService | None:
        return self._find(VpnService, name_or_id, ignore_missing=ignore_missing, **query)

    def create_vpn_service(self, **attrs: Any) -> VpnService:
        return self._create(VpnService, **attrs)

    def update_vpn_service(self, vpn_service: str | VpnService, **attrs: Any) -> VpnService:
        return self._update(VpnService, vpn_service, **attrs)

    def delete_vpn_service(
        self, vpn_service: str | VpnService, ignore_missing: bool = True
    ) -> None:
        self._delete(VpnService, vpn_service, ignore_missing=ignore_missing)

    # -- vpn endpoint groups ----------------------------------------------------
    def vpn_endpoint_groups(self, **query: Any) -> ResourceList[VpnEndpointGroup]:
        """List vpn endpoint groups."""
        return self._list(VpnEndpointGroup, **query)

    def get_vpn_endpoint_group(
        self, vpn_endpoint_group: str | VpnEndpointGroup
    ) -> VpnEndpointGroup:
        return self._get(VpnEndpointGroup, vpn_endpoint_group)

    def find_vpn_endpoint_group(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> VpnEndpointGroup | None:
        return self._find(VpnEndpointGroup, name_or_id, ignore_missing=ignore_missing, **query)

    def create_vpn_endpoint_group(self, **attrs: Any) -> VpnEndpointGroup:
        return self._create(VpnEndpointGroup, **attrs)

    def update_vpn_endpoint_group(
        self, vpn_endpoint_group: str | VpnEndpointGroup, **attrs: Any
    ) -> VpnEndpointGroup:
        return self._update(VpnEndpointGroup, vpn_endpoint_group, **attrs)

    def delete_vpn_endpoint_group(
        self, vpn_endpoint_group: str | VpnEndpointGroup, ignore_missing: bool = True
    ) -> None:
        self._delete(VpnEndpointGroup, vpn_endpoint_group, ignore_missing=ignore_missing)

    # -- vpn ipsec site connections ---------------------------------------------
    def vpn_ipsec_site_connections(self, **query: Any) -> ResourceList[VpnIPSecSiteConnection]:
        """List vpn ipsec site connections."""
        return self._list(VpnIPSecSiteConnection, **query)

    def get_vpn_ipsec_site_connection(
        self, ipsec_site_connection: str | VpnIPSecSiteConnection
    ) -> VpnIPSecSiteConnection:
        return self._get(VpnIPSecSiteConnection, ipsec_site_connection)

    def find_vpn_ipsec_site_connection(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> VpnIPSecSiteConnection | None:
        return self._find(
            VpnIPSecSiteConnection, name_or_id, ignore_missing=ignore_missing, **query
        )

    def create_vpn_ipsec_site_connection(self, **attrs: Any) -> VpnIPSecSiteConnection:
        return self._create(VpnIPSecSiteConnection, **attrs)

    def update_vpn_ipsec_site_connection(
        self, ipsec_site_connection: str | VpnIPSecSiteConnection, **attrs: Any
    ) -> VpnIPSecSiteConnection:
        return self._update(VpnIPSecSiteConnection, ipsec_site_connection, **attrs)

    def delete_vpn_ipsec_site_connection(
        self, ipsec_site_connection: str | VpnIPSecSiteConnection, ignore_missing: bool = True
    ) -> None:
        self._delete(VpnIPSecSiteConnection, ipsec_site_connection, ignore_missing=ignore_missing)

    # -- bgp speakers -----------------------------------------------------------
    def bgp_speakers(self, **query: Any) -> ResourceList[BgpSpeaker]:
        """List bgp speakers."""
        return self._list(BgpSpeaker, **query)

    def get_bgp_speaker(self, speaker: str | BgpSpeaker) -> BgpSpeaker:
        return self._get(BgpSpeaker, speaker)

    def find_bgp_speaker(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> BgpSpeaker | None:
        return self._find(BgpSpeaker, name_or_id, ignore_missing=ignore_missing, **query)

    def create_bgp_speaker(self, **attrs: Any) -> BgpSpeaker:
        return self._create(BgpSpeaker, **attrs)

    def update_bgp_speaker(self, speaker: str | BgpSpeaker, **attrs: Any) -> BgpSpeaker:
        return self._update(BgpSpeaker, speaker, **attrs)

    def delete_bgp_speaker(self, speaker: str | BgpSpeaker, ignore_missing: bool = True) -> None:
        self._delete(BgpSpeaker, speaker, ignore_missing=ignore_missing)

    # -- bgp peers --------------------------------------------------------------
    def bgp_peers(self, **query: Any) -> ResourceList[BgpPeer]:
        """List bgp peers."""
        return self._list(BgpPeer, **query)

    def get_bgp_peer(self, peer: str | BgpPeer) -> BgpPeer:
        return self._get(BgpPeer, peer)

    def find_bgp_peer(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> BgpPeer | None:
        return self._find(BgpPeer, name_or_id, ignore_missing=ignore_missing, **query)

    def create_bgp_peer(self, **attrs: Any) -> BgpPeer:
        return self._create(BgpPeer, **attrs)

    def update_bgp_peer(self, peer: str | BgpPeer, **attrs: Any) -> BgpPeer:
        return self._update(BgpPeer, peer, **attrs)

    def delete_bgp_peer(self, peer: str | BgpPeer, ignore_missing: bool = True) -> None:
        self._delete(BgpPeer, peer, ignore_missing=ignore_missing)

    # -- bgpvpns ----------------------------------------------------------------
    def bgpvpns(self, **query: Any) -> ResourceList[BgpVpn]:
        """List bgpvpns."""
        return self._list(BgpVpn, **query)

    def get_bgpvpn(self, bgpvpn: str | BgpVpn) -> BgpVpn:
        return self._get(BgpVpn, bgpvpn)

    def find_bgpvpn(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> BgpVpn | None:
        return self._find(BgpVpn, name_or_id, ignore_missing=ignore_missing, **query)

    def create_bgpvpn(self, **attrs: Any) -> BgpVpn:
        return self._create(BgpVpn, **attrs)

    def update_bgpvpn(self, bgpvpn: str | BgpVpn, **attrs: Any) -> BgpVpn:
        return self._update(BgpVpn, bgpvpn, **attrs)

    def delete_bgpvpn(self, bgpvpn: str | BgpVpn, ignore_missing: bool = True) -> None:
        self._delete(BgpVpn, bgpvpn, ignore_missing=ignore_missing)

    # -- bgpvpn network associations --------------------------------------------
    def bgpvpn_network_associations(
        self, bgpvpn: str | BgpVpn, **query: Any
    ) -> ResourceList[BgpVpnNetworkAssociation]:
        """List bgpvpn network associations."""
        return self._list(BgpVpnNetworkAssociation, bgpvpn_id=_id(bgpvpn), **query)

    def get_bgpvpn_network_association(
        self, bgpvpn: str | BgpVpn, net_association: str | BgpVpnNetworkAssociation
    ) -> BgpVpnNetworkAssociation:
        return self._get(BgpVpnNetworkAssociation, net_association, bgpvpn_id=_id(bgpvpn))

    def create_bgpvpn_network_association(
        self, bgpvpn: str | BgpVpn, **attrs: Any
    ) -> BgpVpnNetworkAssociation:
        return self._create(BgpVpnNetworkAssociation, bgpvpn_id=_id(bgpvpn), **attrs)

    def delete_bgpvpn_network_association(
        self,
        bgpvpn: str | BgpVpn,
        net_association: str | BgpVpnNetworkAssociation,
        ignore_missing: bool = True,
    ) -> None:
        self._delete(
            BgpVpnNetworkAssociation,
            net_association,
            ignore_missing=ignore_missing,
            bgpvpn_id=_id(bgpvpn),
        )

    # -- bgpvpn router associations ---------------------------------------------
    def bgpvpn_router_associations(
        self, bgpvpn: str | BgpVpn, **query: Any
    ) -> ResourceList[BgpVpnRouterAssociation]:
        """List bgpvpn router associations."""
        return self._list(BgpVpnRouterAssociation, bgpvpn_id=_id(bgpvpn), **query)

    def get_bgpvpn_router_association(
        self, bgpvpn: str | BgpVpn, router_association: str | BgpVpnRouterAssociation
    ) -> BgpVpnRouterAssociation:
        return self._get(BgpVpnRouterAssociation, router_association, bgpvpn_id=_id(bgpvpn))

    def create_bgpvpn_router_association(
        self, bgpvpn: str | BgpVpn, **attrs: Any
    ) -> BgpVpnRouterAssociation:
        return self._create(BgpVpnRouterAssociation, bgpvpn_id=_id(bgpvpn), **attrs)

    def update_bgpvpn_router_association(
        self, bgpvpn: str | BgpVpn, router_association: str | BgpVpnRouterAssociation, **attrs: Any
    ) -> BgpVpnRouterAssociation:
        return self._update(
            BgpVpnRouterAssociation, router_association, bgpvpn_id=_id(bgpvpn), **attrs
        )

    def delete_bgpvpn_router_association(
        self,
        bgpvpn: str | BgpVpn,
        router_association: str | BgpVpnRouterAssociation,
        ignore_missing: bool = True,
    ) -> None:
        self._delete(
            BgpVpnRouterAssociation,
            router_association,
            ignore_missing=ignore_missing,
            bgpvpn_id=_id(bgpvpn),
        )

    # -- bgpvpn port associations -----------------------------------------------
    def bgpvpn_port_associations(
        self, bgpvpn: str | BgpVpn, **query: Any
    ) -> ResourceList[BgpVpnPortAssociation]:
        """List bgpvpn port associations."""
        return self._list(BgpVpnPortAssociation, bgpvpn_id=_id(bgpvpn), **query)

    def get_bgpvpn_port_association(
        self, bgpvpn: str | BgpVpn, port_association: str | BgpVpnPortAssociation
    ) -> BgpVpnPortAssociation:
        return self._get(BgpVpnPortAssociation, port_association, bgpvpn_id=_id(bgpvpn))

    def find_bgpvpn_port_association(
        self, bgpvpn: str | BgpVpn, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> BgpVpnPortAssociation | None:
        return self._find(
            BgpVpnPortAssociation,
            name_or_id,
            ignore_missing=ignore_missing,
            bgpvpn_id=_id(bgpvpn),
            **query,
        )

    def create_bgpvpn_port_association(
        self, bgpvpn: str | BgpVpn, **attrs: Any
    ) -> BgpVpnPortAssociation:
        return self._create(BgpVpnPortAssociation, bgpvpn_id=_id(bgpvpn), **attrs)

    def update_bgpvpn_port_association(
        self, bgpvpn: str | BgpVpn, port_association: str | BgpVpnPortAssociation, **attrs: Any
    ) -> BgpVpnPortAssociation:
        return self._update(
            BgpVpnPortAssociation, port_association, bgpvpn_id=_id(bgpvpn), **attrs
        )

    def delete_bgpvpn_port_association(
        self,
        bgpvpn: str | BgpVpn,
        port_association: str | BgpVpnPortAssociation,
        ignore_missing: bool = True,
    ) -> None:
        self._delete(
            BgpVpnPortAssociation,
            port_association,
            ignore_missing=ignore_missing,
            bgpvpn_id=_id(bgpvpn),
        )

    # -- sfc port pairs ---------------------------------------------------------
    def sfc_port_pairs(self, **query: Any) -> ResourceList[SfcPortPair]:
        """List sfc port pairs."""
        return self._list(SfcPortPair, **query)

    def get_sfc_port_pair(self, port_pair: str | SfcPortPair) -> SfcPortPair:
        return self._get(SfcPortPair, port_pair)

    def find_sfc_port_pair(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> SfcPortPair | None:
        return self._find(SfcPortPair, name_or_id, ignore_missing=ignore_missing, **query)

    def create_sfc_port_pair(self, **attrs: Any) -> SfcPortPair:
        return self._create(SfcPortPair, **attrs)

    def update_sfc_port_pair(self, port_pair: str | SfcPortPair, **attrs: Any) -> SfcPortPair:
        return self._update(SfcPortPair, port_pair, **attrs)

    def delete_sfc_port_pair(
        self, port_pair: str | SfcPortPair, ignore_missing: bool = True
    ) -> None:
        self._delete(SfcPortPair, port_pair, ignore_missing=ignore_missing)

    # -- sfc port pair groups ---------------------------------------------------
    def sfc_port_pair_groups(self, **query: Any) -> ResourceList[SfcPortPairGroup]:
        """List sfc port pair groups."""
        return self._list(SfcPortPairGroup, **query)

    def get_sfc_port_pair_group(self, port_pair_group: str | SfcPortPairGroup) -> SfcPortPairGroup:
        return self._get(SfcPortPairGroup, port_pair_group)

    def find_sfc_port_pair_group(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> SfcPortPairGroup | None:
        return self._find(SfcPortPairGroup, name_or_id, ignore_missing=ignore_missing, **query)

    def create_sfc_port_pair_group(self, **attrs: Any) -> SfcPortPairGroup:
        return self._create(SfcPortPairGroup, **attrs)

    def update_sfc_port_pair_group(
        self, port_pair_group: str | SfcPortPairGroup, **attrs: Any
    ) -> SfcPortPairGroup:
        return self._update(SfcPortPairGroup, port_pair_group, **attrs)

    def delete_sfc_port_pair_group(
        self, port_pair_group: str | SfcPortPairGroup, ignore_missing: bool = True
    ) -> None:
        self._delete(SfcPortPairGroup, port_pair_group, ignore_missing=ignore_missing)

    # -- sfc flow classifiers ---------------------------------------------------
    def sfc_flow_classifiers(self, **query: Any) -> ResourceList[SfcFlowClassifier]:
        """List sfc flow classifiers."""
        return self._list(SfcFlowClassifier, **query)

    def get_sfc_flow_classifier(
        self, flow_classifier: str | SfcFlowClassifier
    ) -> SfcFlowClassifier:
        return self._get(SfcFlowClassifier, flow_classifier)

    def find_sfc_flow_classifier(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> SfcFlowClassifier | None:
        return self._find(SfcFlowClassifier, name_or_id, ignore_missing=ignore_missing, **query)

    def create_sfc_flow_classifier(self, **attrs: Any) -> SfcFlowClassifier:
        return self._create(SfcFlowClassifier, **attrs)

    def update_sfc_flow_classifier(
        self, flow_classifier: str | SfcFlowClassifier, **attrs: Any
    ) -> SfcFlowClassifier:
        return self._update(SfcFlowClassifier, flow_classifier, **attrs)

    def delete_sfc_flow_classifier(
        self, flow_classifier: str | SfcFlowClassifier, ignore_missing: bool = True
    ) -> None:
        self._delete(SfcFlowClassifier, flow_classifier, ignore_missing=ignore_missing)

    # -- sfc port chains --------------------------------------------------------
    def sfc_port_chains(self, **query: Any) -> ResourceList[SfcPortChain]:
        """List sfc port chains."""
        return self._list(SfcPortChain, **query)

    def get_sfc_port_chain(self, port_chain: str | SfcPortChain) -> SfcPortChain:
        return self._get(SfcPortChain, port_chain)

    def find_sfc_port_chain(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> SfcPortChain | None:
        return self._find(SfcPortChain, name_or_id, ignore_missing=ignore_missing, **query)

    def create_sfc_port_chain(self, **attrs: Any) -> SfcPortChain:
        return self._create(SfcPortChain, **attrs)

    def update_sfc_port_chain(self, port_chain: str | SfcPortChain, **attrs: Any) -> SfcPortChain:
        return self._update(SfcPortChain, port_chain, **attrs)

    def delete_sfc_port_chain(
        self, port_chain: str | SfcPortChain, ignore_missing: bool = True
    ) -> None:
        self._delete(SfcPortChain, port_chain, ignore_missing=ignore_missing)

    # -- sfc service graphs -----------------------------------------------------
    def sfc_service_graphs(self, **query: Any) -> ResourceList[SfcServiceGraph]:
        """List sfc service graphs."""
        return self._list(SfcServiceGraph, **query)

    def get_sfc_service_graph(self, service_graph: str | SfcServiceGraph) -> SfcServiceGraph:
        return self._get(SfcServiceGraph, service_graph)

    def find_sfc_service_graph(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> SfcServiceGraph | None:
        return self._find(SfcServiceGraph, name_or_id, ignore_missing=ignore_missing, **query)

    def create_sfc_service_graph(self, **attrs: Any) -> SfcServiceGraph:
        return self._create(SfcServiceGraph, **attrs)

    def update_sfc_service_graph(
        self, service_graph: str | SfcServiceGraph, **attrs: Any
    ) -> SfcServiceGraph:
        return self._update(SfcServiceGraph, service_graph, **attrs)

    def delete_sfc_service_graph(
        self, service_graph: str | SfcServiceGraph, ignore_missing: bool = True
    ) -> None:
        self._delete(SfcServiceGraph, service_graph, ignore_missing=ignore_missing)

    # -- tap services -----------------------------------------------------------
    def tap_services(self, **query: Any) -> ResourceList[TapService]:
        """List tap services."""
        return self._list(TapService, **query)

    def get_tap_service(self, tap_service: str | TapService) -> TapService:
        return self._get(TapService, tap_service)

    def find_tap_service(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> TapService | None:
        return self._find(TapService, name_or_id, ignore_missing=ignore_missing, **query)

    def create_tap_service(self, **attrs: Any) -> TapService:
        return self._create(TapService, **attrs)

    def update_tap_service(self, tap_service: str | TapService, **attrs: Any) -> TapService:
        return self._update(TapService, tap_service, **attrs)

    def delete_tap_service(
        self, tap_service: str | TapService, ignore_missing: bool = True
    ) -> None:
        self._delete(TapService, tap_service, ignore_missing=ignore_missing)

    # -- tap flows --------------------------------------------------------------
    def tap_flows(self, **query: Any) -> ResourceList[TapFlow]:
        """List tap flows."""
        return self._list(TapFlow, **query)

    def get_tap_flow(self, tap_flow: str | TapFlow) -> TapFlow:
        return self._get(TapFlow, tap_flow)

    def find_tap_flow(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> TapFlow | None:
        return self._find(TapFlow, name_or_id, ignore_missing=ignore_missing, **query)

    def create_tap_flow(self, **attrs: Any) -> TapFlow:
        return self._create(TapFlow, **attrs)

    def update_tap_flow(self, tap_flow: str | TapFlow, **attrs: Any) -> TapFlow:
        return self._update(TapFlow, tap_flow, **attrs)

    def delete_tap_flow(self, tap_flow: str | TapFlow, ignore_missing: bool = True) -> None:
        self._delete(TapFlow, tap_flow, ignore_missing=ignore_missing)

    # -- tap mirrors ------------------------------------------------------------
    def tap_mirrors(self, **query: Any) -> ResourceList[TapMirror]:
        """List tap mirrors."""
        return self._list(TapMirror, **query)

    def get_tap_mirror(self, tap_mirror: str | TapMirror) -> TapMirror:
        return self._get(TapMirror, tap_mirror)

    def find_tap_mirror(
        self, name_or_id: str, ignore_missing: bool = True, **query: Any
    ) -> TapMirror | None:
        return self._find(TapMirror, name_or_id, ignore_missing=ignore_missing, **query)

    def create_tap_mirror(self, **attrs: Any) -> TapMirror:
        return self._create(TapMirror, **attrs)

    def update_tap_mirror(self, tap_mirror: str | TapMirror, **attrs: Any) -> TapMirror:
        return self._update(TapMirror, tap_mirror, **attrs)

    def delete_tap_mirror(self, tap_mirror: str | TapMirror, ignore_missing: bool = True) -> None:
        self._delete(TapMirror, tap_mirror, ignore_missing=ignore_missing)

    # -- firewall policy actions, BGP speaker actions and dragent scheduling ---------------
    def insert_rule_into_policy(
        self,
        firewall_policy: str | FirewallPolicy,
        firewall_rule: str | FirewallRule,
        insert_after: str | None = None,
        insert_before: str | None = None,
    ) -> FirewallPolicy:
        """Put a rule into a policy, before ``insert_before`` or after ``insert_after``."""
        policy = self._resource(FirewallPolicy, firewall_policy)
        return policy.insert_rule(
            self,
            firewall_rule_id=_id(firewall_rule),
            insert_after=insert_after,
            insert_before=insert_before,
        )

    def remove_rule_from_policy(
        self, firewall_policy: str | FirewallPolicy, firewall_rule: str | FirewallRule
    ) -> FirewallPolicy:
        policy = self._resource(FirewallPolicy, firewall_policy)
        return policy.remove_rule(self, firewall_rule_id=_id(firewall_rule))

    def add_bgp_peer_to_speaker(
        self, speaker: str | BgpSpeaker, peer: str | BgpPeer
    ) -> dict[str, Any]:
        return self._resource(BgpSpeaker, speaker).add_bgp_peer(self, _id(peer))

    def remove_bgp_peer_from_speaker(self, speaker: str | BgpSpeaker, peer: str | BgpPeer) -> None:
        self._resource(BgpSpeaker, speaker).remove_bgp_peer(self, _id(peer))

    def add_gateway_network_to_speaker(
        self, speaker: str | BgpSpeaker, network: str | Network
    ) -> dict[str, Any]:
        return self._resource(BgpSpeaker, speaker).add_gateway_network(self, _id(network))

    def remove_gateway_network_from_speaker(
        self, speaker: str | BgpSpeaker, network: str | Network
    ) -> None:
        self._resource(BgpSpeaker, speaker).remove_gateway_network(self, _id(network))

    def get_advertised_routes_of_speaker(self, speaker: str | BgpSpeaker) -> dict[str, Any]:
        """``{"advertised_routes": [{"cidr", "nexthop"}…]}``."""
        return self._resource(BgpSpeaker, speaker).get_advertised_routes(self)

    def get_bgp_dragents_hosting_speaker(self, speaker: str | BgpSpeaker) -> ResourceList[Agent]:
        records = self._resource(BgpSpeaker, speaker).get_bgp_dragents(self)["agents"]
        return ResourceList(Agent, records, proxy=self)

    def add_bgp_speaker_to_dragent(
        self, bgp_agent: str | Agent, bgp_speaker: str | BgpSpeaker
    ) -> None:
        self.request(
            f"/agents/{_id(bgp_agent)}/bgp-drinstances",
            "POST",
            json={"bgp_speaker_id": _id(bgp_speaker)},
        )

    def get_bgp_speakers_hosted_by_dragent(
        self, bgp_agent: str | Agent
    ) -> ResourceList[BgpSpeaker]:
        records = self.request(f"/agents/{_id(bgp_agent)}/bgp-drinstances", "GET").json()[
            "bgp_speakers"
        ]
        return ResourceList(BgpSpeaker, records, proxy=self)

    def remove_bgp_speaker_from_dragent(
        self, bgp_agent: str | Agent, bgp_speaker: str | BgpSpeaker
    ) -> None:
        self.request(f"/agents/{_id(bgp_agent)}/bgp-drinstances/{_id(bgp_speaker)}", "DELETE")

    # -- network logging (no openstacksdk counterpart: Neutron's names) ----------------------
    def logs(self, **query: Any) -> ResourceList[Log]:
        """List logs (admin): ``resource_type``, ``resource_id``, ``event``…"""
        return self._list(Log, **query)

    def get_log(self, log: str | Log) -> Log:
        return self._get(Log, log)

    def find_log(self, name_or_id: str, ignore_missing: bool = True,
                 **query: Any) -> Log | None:
        return self._find(Log, name_or_id, ignore_missing=ignore_missing, **query)

    def create_log(self, **attrs: Any) -> Log:
        """Log ``resource_type`` (``security_group``, ``firewall_group``) packets."""
        # Not through ``_create``: its first parameter is named ``resource_type`` too.
        return Log(**attrs).create(self)

    def update_log(self, log: str | Log, **attrs: Any) -> Log:
        """Change ``name``, ``description`` or ``is_enabled``."""
        return self._update(Log, log, **attrs)

    def delete_log(self, log: str | Log, ignore_missing: bool = True) -> None:
        self._delete(Log, log, ignore_missing=ignore_missing)

    def loggable_resources(self, **query: Any) -> ResourceList[LoggableResource]:
        """The resource types this cloud can log."""
        return self._list(LoggableResource, **query)
