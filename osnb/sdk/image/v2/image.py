"""Images: bootable disk images (Glance ``/v2/images``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["Image"]


class Image(Resource):
    """An image record (data upload is not covered). Names follow openstacksdk's ``Image``.

    Glance sends images unwrapped and updates them with JSON-patch. Its properties are
    free-form: ``create_image(hw_firmware_type="uefi")`` sends any property, declared or
    not, and ``properties`` holds those not declared here (``image_type``…).
    """

    resource_key = None
    resources_key = "images"
    base_path = "/images"
    service = "image"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    free_form = True
    commit_method = "PATCH"
    commit_patch_type = "application/openstack-images-v2.1-json-patch"
    query = Query(
        "id", "name", "visibility", "member_status", "owner", "status", "size_min",
        "size_max", "protected", "sort_key", "sort_dir", "sort", "tag", "created_at",
        "updated_at", is_hidden="os_hidden",
    )

    status: str | None = prop("status")
    visibility: str | None = prop("visibility")
    owner: str | None = prop("owner")
    is_protected: bool | None = prop("protected")
    is_hidden: bool | None = prop("os_hidden")
    disk_format: str | None = prop("disk_format")
    container_format: str | None = prop("container_format")
    size: int | None = prop("size")
    virtual_size: int | None = prop("virtual_size")
    min_disk: int | None = prop("min_disk")
    min_ram: int | None = prop("min_ram")
    checksum: str | None = prop("checksum")
    hash_algo: str | None = prop("os_hash_algo")
    hash_value: str | None = prop("os_hash_value")
    tags: list[str] | None = prop("tags")
    file: str | None = prop("file")
    schema: str | None = prop("schema")
    self_link: str | None = prop("self")
    locations: list[dict] | None = prop("locations")
    direct_url: str | None = prop("direct_url")
    store: str | None = prop("store")
    stores: str | None = prop("stores")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")
    # Well-known properties (Glance's "common image properties").
    architecture: str | None = prop("architecture")
    hypervisor_type: str | None = prop("hypervisor_type")
    instance_uuid: str | None = prop("instance_uuid")
    kernel_id: str | None = prop("kernel_id")
    ramdisk_id: str | None = prop("ramdisk_id")
    os_distro: str | None = prop("os_distro")
    os_version: str | None = prop("os_version")
    os_type: str | None = prop("os_type")
    os_admin_user: str | None = prop("os_admin_user")
    os_command_line: str | None = prop("os_command_line")
    os_shutdown_timeout: int | None = prop("os_shutdown_timeout")
    os_require_quiesce: bool | None = prop("os_require_quiesce")
    needs_secure_boot: str | None = prop("os_secure_boot")
    needs_config_drive: str | None = prop("img_config_drive")
    has_auto_disk_config: str | None = prop("auto_disk_config")
    vm_mode: str | None = prop("vm_mode")
    instance_type_rxtx_factor: float | None = prop("instance_type_rxtx_factor")
    hw_cpu_sockets: int | None = prop("hw_cpu_sockets")
    hw_cpu_cores: int | None = prop("hw_cpu_cores")
    hw_cpu_threads: int | None = prop("hw_cpu_threads")
    hw_cpu_policy: str | None = prop("hw_cpu_policy")
    hw_cpu_thread_policy: str | None = prop("hw_cpu_thread_policy")
    hw_disk_bus: str | None = prop("hw_disk_bus")
    hw_scsi_model: str | None = prop("hw_scsi_model")
    hw_machine_type: str | None = prop("hw_machine_type")
    hw_rng_model: str | None = prop("hw_rng_model")
    hw_serial_port_count: int | None = prop("hw_serial_port_count")
    hw_video_model: str | None = prop("hw_video_model")
    hw_video_ram: int | None = prop("hw_video_ram")
    hw_watchdog_action: str | None = prop("hw_watchdog_action")
    hw_vif_model: str | None = prop("hw_vif_model")
    is_hw_vif_multiqueue_enabled: bool | None = prop("hw_vif_multiqueue_enabled")
    is_hw_boot_menu_enabled: bool | None = prop("hw_boot_menu")
    hw_qemu_guest_agent: str | None = prop("hw_qemu_guest_agent")
    vmware_adaptertype: str | None = prop("vmware_adaptertype")
    vmware_ostype: str | None = prop("vmware_ostype")

    @property
    def properties(self) -> dict[str, Any]:
        """The image's free-form properties this class does not declare (openstacksdk's
        ``properties``)."""
        return self.extra
