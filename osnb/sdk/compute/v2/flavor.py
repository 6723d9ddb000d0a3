"""Flavors: the sizes servers come in (Nova ``/flavors``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop

__all__ = ["Flavor"]


class Flavor(Resource):
    """A server size; also the shape of a server's embedded ``flavor`` from 2.47 on."""

    resource_key = "flavor"
    resources_key = "flavors"
    base_path = "/flavors"
    service = "compute"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    allow_update = True  # description only, from 2.55
    min_microversion = "2.1"
    max_microversion = "2.75"  # 2.75: swap is 0, not "", when there is none
    display_columns = ("name", "vcpus", "ram", "disk", "ephemeral", "swap", "is_public")
    query = Query("sort_key", "sort_dir", "is_public", min_disk="minDisk", min_ram="minRam")

    # A server's embedded flavor (2.47+) has no id and names itself ``original_name``;
    # like openstacksdk, its name and id answer that name. A top-level flavor keeps its own.
    id: str | None = prop("id", alias="original_name")
    name: str | None = prop("name", alias="original_name")
    description: str | None = prop("description")
    original_name: str | None = prop("original_name")
    vcpus: int | None = prop("vcpus")
    ram: int | None = prop("ram")
    disk: int | None = prop("disk")
    # An embedded flavor sends the bare ``ephemeral``.
    ephemeral: int | None = prop("OS-FLV-EXT-DATA:ephemeral", alias="ephemeral")
    swap: int | None = prop("swap")
    rxtx_factor: float | None = prop("rxtx_factor")
    is_public: bool | None = prop("os-flavor-access:is_public")
    is_disabled: bool | None = prop("OS-FLV-DISABLED:disabled")
    extra_specs: dict | None = prop("extra_specs")
    links: list | None = prop("links")
