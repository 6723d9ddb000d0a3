"""Limits: the caller's project's absolute quotas and usage (Nova ``/limits``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["AbsoluteLimits", "Limits", "RateLimit", "RateLimits"]


class AbsoluteLimits(Resource):
    """Quota limits (``max*``) and usage (``total*Used``) of one project."""

    server_meta: int | None = prop("maxServerMeta")
    total_cores: int | None = prop("maxTotalCores")
    instances: int | None = prop("maxTotalInstances")
    keypairs: int | None = prop("maxTotalKeypairs")
    total_ram: int | None = prop("maxTotalRAMSize")
    server_groups: int | None = prop("maxServerGroups")
    server_group_members: int | None = prop("maxServerGroupMembers")
    total_cores_used: int | None = prop("totalCoresUsed")
    instances_used: int | None = prop("totalInstancesUsed")
    total_ram_used: int | None = prop("totalRAMUsed")
    server_groups_used: int | None = prop("totalServerGroupsUsed")
    # Gone in 2.36 (network proxies), 2.39 (image meta) and 2.57 (personality).
    image_meta: int | None = prop("maxImageMeta")
    personality: int | None = prop("maxPersonality")
    personality_size: int | None = prop("maxPersonalitySize")
    security_groups: int | None = prop("maxSecurityGroups")
    security_group_rules: int | None = prop("maxSecurityGroupRules")
    floating_ips: int | None = prop("maxTotalFloatingIps")
    floating_ips_used: int | None = prop("totalFloatingIpsUsed")
    security_groups_used: int | None = prop("totalSecurityGroupsUsed")


class RateLimit(Resource):
    """One verb's rate limit (always empty since Nova dropped rate limiting)."""

    verb: str | None = prop("verb")
    value: int | None = prop("value")
    remaining: int | None = prop("remaining")
    unit: str | None = prop("unit")
    next_available: str | None = prop("next-available")


class RateLimits(Resource):
    """The rate limits of one URI pattern."""

    uri: str | None = prop("uri")
    regex: str | None = prop("regex")
    limits: list[RateLimit] | None = prop("limit")


class Limits(Resource):
    """The project's limits: a singleton, fetched with ``conn.compute.get_limits()``."""

    resource_key = "limits"
    base_path = "/limits"
    service = "compute"
    allow_retrieve = True
    requires_id = False  # the URL names no object (core change)
    min_microversion = "2.1"
    max_microversion = "2.57"
    query = Query("reserved", project_id="tenant_id")

    absolute: AbsoluteLimits | None = prop("absolute")
    rate: list[RateLimits] | None = prop("rate")
