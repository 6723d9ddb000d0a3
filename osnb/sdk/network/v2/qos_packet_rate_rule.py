"""The packet-rate rules of a QoS policy: a cap and a guarantee in kilo-packets per second
(Neutron ``/qos/policies/{id}/packet_rate_limit_rules`` and
``…/minimum_packet_rate_rules``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop, uri

__all__ = ["QoSMinimumPacketRateRule", "QoSPacketRateLimitRule"]


class QoSPacketRateLimitRule(Resource):
    """A cap: ``max_kpps`` (bursting to ``max_burst_kpps``) in one ``direction``."""

    resource_key = "packet_rate_limit_rule"
    resources_key = "packet_rate_limit_rules"
    base_path = "/qos/policies/%(qos_policy_id)s/packet_rate_limit_rules"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("id", "max_kpps", "max_burst_kpps", "direction", "fields", "sort_key",
                  "sort_dir")

    qos_policy_id: str | None = uri("qos_policy_id")
    max_kpps: int | None = prop("max_kpps")
    max_burst_kpps: int | None = prop("max_burst_kpps")
    direction: str | None = prop("direction")


class QoSMinimumPacketRateRule(Resource):
    """A guarantee: ``min_kpps`` in ``direction`` (``any`` covers both)."""

    resource_key = "minimum_packet_rate_rule"
    resources_key = "minimum_packet_rate_rules"
    base_path = "/qos/policies/%(qos_policy_id)s/minimum_packet_rate_rules"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("id", "min_kpps", "direction", "fields", "sort_key", "sort_dir")

    qos_policy_id: str | None = uri("qos_policy_id")
    min_kpps: int | None = prop("min_kpps")
    direction: str | None = prop("direction")
