"""Service function chaining: port pairs, their groups, flow classifiers, port chains
and service graphs (networking-sfc ``/sfc/…``)."""

from __future__ import annotations

from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["SfcFlowClassifier", "SfcPortChain", "SfcPortPair", "SfcPortPairGroup",
           "SfcServiceGraph"]


class SfcPortPair(Resource):
    """A port pair (Neutron ``/sfc/port_pairs``)."""

    resource_key = "port_pair"
    resources_key = "port_pairs"
    base_path = "/sfc/port_pairs"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("description", "name", "egress", "ingress", "project_id", "tenant_id")

    name: str | None = prop("name")
    description: str | None = prop("description")
    ingress: Any = prop("ingress")
    egress: Any = prop("egress")
    service_function_parameters: dict | None = prop("service_function_parameters")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")


class SfcPortPairGroup(Resource):
    """A port pair group (Neutron ``/sfc/port_pair_groups``)."""

    resource_key = "port_pair_group"
    resources_key = "port_pair_groups"
    base_path = "/sfc/port_pair_groups"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("description", "name", "project_id", "tenant_id")

    name: str | None = prop("name")
    description: str | None = prop("description")
    port_pairs: list | None = prop("port_pairs")
    port_pair_group_parameters: dict | None = prop("port_pair_group_parameters")
    is_tap_enabled: bool | None = prop("tap_enabled")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")


class SfcFlowClassifier(Resource):
    """A flow classifier (Neutron ``/sfc/flow_classifiers``)."""

    resource_key = "flow_classifier"
    resources_key = "flow_classifiers"
    base_path = "/sfc/flow_classifiers"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("description", "name", "project_id", "tenant_id", "ethertype", "protocol",
                  "source_port_range_min", "source_port_range_max",
                  "destination_port_range_min", "destination_port_range_max",
                  "logical_source_port", "logical_destination_port")

    name: str | None = prop("name")
    description: str | None = prop("description")
    ethertype: Any = prop("ethertype")
    protocol: Any = prop("protocol")
    source_port_range_min: int | None = prop("source_port_range_min")
    source_port_range_max: int | None = prop("source_port_range_max")
    destination_port_range_min: int | None = prop("destination_port_range_min")
    destination_port_range_max: int | None = prop("destination_port_range_max")
    source_ip_prefix: Any = prop("source_ip_prefix")
    destination_ip_prefix: Any = prop("destination_ip_prefix")
    logical_source_port: Any = prop("logical_source_port")
    logical_destination_port: Any = prop("logical_destination_port")
    l7_parameters: dict | None = prop("l7_parameters")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")


class SfcPortChain(Resource):
    """A port chain (Neutron ``/sfc/port_chains``)."""

    resource_key = "port_chain"
    resources_key = "port_chains"
    base_path = "/sfc/port_chains"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("description", "name", "project_id", "tenant_id")

    name: str | None = prop("name")
    description: str | None = prop("description")
    port_pair_groups: list | None = prop("port_pair_groups")
    flow_classifiers: list | None = prop("flow_classifiers")
    chain_parameters: dict | None = prop("chain_parameters")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")


class SfcServiceGraph(Resource):
    """A service graph (Neutron ``/sfc/service_graphs``)."""

    resource_key = "service_graph"
    resources_key = "service_graphs"
    base_path = "/sfc/service_graphs"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("description", "name", "project_id", "tenant_id")

    name: str | None = prop("name")
    description: str | None = prop("description")
    port_chains: Any = prop("port_chains")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
