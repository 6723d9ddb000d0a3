"""Metering: labels that count a router's traffic and their rules (Neutron
``/metering/…``, admin)."""

from __future__ import annotations

from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["MeteringLabel", "MeteringLabelRule"]


class MeteringLabel(Resource):
    """A metering label (Neutron ``/metering/metering-labels``)."""

    resource_key = "metering_label"
    resources_key = "metering_labels"
    base_path = "/metering/metering-labels"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("description", "fields", "name", "project_id", "sort_key", "sort_dir",
                  is_shared="shared")

    name: str | None = prop("name")
    description: str | None = prop("description")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    is_shared: bool | None = prop("shared")


class MeteringLabelRule(Resource):
    """A metering label rule (Neutron ``/metering/metering-label-rules``)."""

    resource_key = "metering_label_rule"
    resources_key = "metering_label_rules"
    base_path = "/metering/metering-label-rules"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("direction", "fields", "metering_label_id", "remote_ip_prefix",
                  "source_ip_prefix", "destination_ip_prefix", "project_id", "sort_key",
                  "sort_dir")

    name: str | None = prop("name")
    direction: Any = prop("direction")
    is_excluded: bool | None = prop("excluded")
    metering_label_id: str | None = prop("metering_label_id")
    project_id: str | None = prop("project_id", alias="tenant_id")
    tenant_id: str | None = prop("tenant_id")
    remote_ip_prefix: Any = prop("remote_ip_prefix")
    source_ip_prefix: Any = prop("source_ip_prefix")
    destination_ip_prefix: Any = prop("destination_ip_prefix")
