"""Local IPs: an address ports reach on their own host, and the ports associated with it
(Neutron ``/local_ips`` and ``/local_ips/{id}/port_associations``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop, uri

__all__ = ["LocalIP", "LocalIPAssociation"]


class LocalIP(Resource):
    """``local_ip_address`` on ``network_id``, held by ``local_port_id``."""

    resource_key = "local_ip"
    resources_key = "local_ips"
    base_path = "/local_ips"
    service = "network"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    query = Query("name", "description", "project_id", "network_id", "local_port_id",
                  "local_ip_address", "ip_mode", "fields", "sort_key", "sort_dir")

    description: str | None = prop("description")
    project_id: str | None = prop("project_id")
    tenant_id: str | None = prop("tenant_id")
    local_port_id: str | None = prop("local_port_id")
    network_id: str | None = prop("network_id")
    local_ip_address: str | None = prop("local_ip_address")
    ip_mode: str | None = prop("ip_mode")
    revision_number: int | None = prop("revision_number")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")


class LocalIPAssociation(Resource):
    """A port (``fixed_port_id``, by which it is addressed) using the local IP."""

    resource_key = "port_association"
    resources_key = "port_associations"
    base_path = "/local_ips/%(local_ip_id)s/port_associations"
    service = "network"
    allow_create = allow_delete = allow_list = True
    query = Query("fixed_port_id", "fixed_ip", "host", "fields", "sort_key", "sort_dir")

    local_ip_id: str | None = uri("local_ip_id")
    fixed_port_id: str | None = prop("fixed_port_id", alternate_id=True)
    fixed_ip: str | None = prop("fixed_ip")
    local_ip_address: str | None = prop("local_ip_address")
    host: str | None = prop("host")
