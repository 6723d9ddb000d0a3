"""Images: bootable disk images (Glance ``/v2/images``) and their named actions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import IO, Any

from ...resource import Query, Resource, prop

__all__ = ["Image"]

OCTETS = {"Content-Type": "application/octet-stream"}


class Image(Resource):
    """An image record and its data. Names follow openstacksdk's ``Image``.

    Glance sends images unwrapped and updates them with JSON-patch. Its properties are
    free-form: ``create_image(hw_firmware_type="uefi")`` sends any property, declared or
    not, and ``properties`` holds those not declared here (``image_type``…). The data
    goes up with :meth:`upload` (or :meth:`stage` then :meth:`import_image`) and comes
    down with :meth:`download`, both streamed.
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

    def deactivate(self, session: Any) -> None:
        """Make the data unavailable to all but administrators (an administrator's)."""
        session.post(self._item_path() + "/actions/deactivate")

    def reactivate(self, session: Any) -> None:
        session.post(self._item_path() + "/actions/reactivate")

    def add_tag(self, session: Any, tag: str) -> None:
        session.put(f"{self._item_path()}/tags/{tag}")

    def remove_tag(self, session: Any, tag: str) -> None:
        session.delete(f"{self._item_path()}/tags/{tag}")

    def upload(self, session: Any, data: bytes | IO[bytes] | Iterable[bytes]) -> None:
        """``PUT /file``: the data in one request (queued -> active)."""
        session.put(self._item_path() + "/file", data=data, headers=OCTETS)

    def stage(self, session: Any, data: bytes | IO[bytes] | Iterable[bytes]) -> None:
        """``PUT /stage``: the data kept aside for a ``glance-direct`` import."""
        session.put(self._item_path() + "/stage", data=data, headers=OCTETS)

    def import_image(self, session: Any, method: str = "glance-direct", *,
                     uri: str | None = None, stores: list[str] | None = None,
                     all_stores: bool | None = None,
                     all_stores_must_succeed: bool | None = None) -> Any:
        """``POST /import``: Glance makes the image active from the staged data
        (``glance-direct``), a URL (``web-download``) or copies it to more stores
        (``copy-image``); the image is ``importing`` until its task is done."""
        body: dict[str, Any] = {"method": {"name": method}}
        if uri is not None:
            body["method"]["uri"] = uri
        for key, value in (("stores", stores), ("all_stores", all_stores),
                           ("all_stores_must_succeed", all_stores_must_succeed)):
            if value is not None:
                body[key] = value
        return session.post(self._item_path() + "/import", json=body)

    def download(self, session: Any, *, stream: bool = False,
                 byte_range: tuple[int, int] | None = None) -> Any:
        """``GET /file``: the response (its ``iter_content`` streams when ``stream``);
        ``byte_range`` (first, last) asks for part of it (206)."""
        headers = {"Range": f"bytes={byte_range[0]}-{byte_range[1]}"} if byte_range else {}
        return session.get(self._item_path() + "/file", stream=stream, headers=headers)

    @staticmethod
    def chunks(data: bytes | IO[bytes] | Iterable[bytes], size: int) -> Iterator[bytes]:
        """``data`` as pieces of at most ``size`` bytes (a file is read as it goes)."""
        if isinstance(data, (bytes, bytearray, memoryview)):
            view = memoryview(data)
            for at in range(0, len(view), size):
                yield bytes(view[at:at + size])
        elif hasattr(data, "read"):
            while piece := data.read(size):
                yield piece
        else:
            yield from data

    @property
    def properties(self) -> dict[str, Any]:
        """The image's free-form properties this class does not declare (openstacksdk's
        ``properties``)."""
        return self.extra
