"""Volumes: block devices (Cinder ``/volumes``), with their admin actions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ...resource import Query, prop
from ._metadata import _HasMetadata

__all__ = ["Volume"]


class Volume(_HasMetadata):
    """A volume. Attribute names follow openstacksdk's ``Volume``."""

    resource_key = "volume"
    resources_key = "volumes"
    base_path = "/volumes"
    service = "block-storage"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    min_microversion = "3.0"
    max_microversion = "3.71"
    query = Query("name", "status", "user_id", "project_id", "created_at", "updated_at",
                  properties="metadata", all_projects="all_tenants")

    description: str | None = prop("description")
    status: str | None = prop("status")
    size: int | None = prop("size")
    availability_zone: str | None = prop("availability_zone")
    project_id: str | None = prop("os-vol-tenant-attr:tenant_id")
    user_id: str | None = prop("user_id")
    host: str | None = prop("os-vol-host-attr:host")
    attachments: list[dict] | None = prop("attachments")
    is_bootable: bool | None = prop("bootable")
    is_encrypted: bool | None = prop("encrypted")
    is_multiattach: bool | None = prop("multiattach")
    metadata: dict | None = prop("metadata")
    volume_type: str | None = prop("volume_type")
    volume_type_id: str | None = prop("volume_type_id")
    snapshot_id: str | None = prop("snapshot_id")
    source_volume_id: str | None = prop("source_volid")
    backup_id: str | None = prop("backup_id")
    image_id: str | None = prop("imageRef", request_only=True)
    volume_image_metadata: dict | None = prop("volume_image_metadata")
    consistency_group_id: str | None = prop("consistencygroup_id")
    group_id: str | None = prop("group_id")
    replication_status: str | None = prop("replication_status")
    extended_replication_status: str | None = prop("os-volume-replication:extended_status")
    replication_driver_data: str | None = prop("os-volume-replication:driver_data")
    migration_status: str | None = prop("migration_status",
                                         alias="os-vol-mig-status-attr:migstat")
    migration_id: str | None = prop("os-vol-mig-status-attr:name_id")
    provider_id: str | None = prop("provider_id")
    service_uuid: str | None = prop("service_uuid")
    shared_targets: bool | None = prop("shared_targets")
    cluster_name: str | None = prop("cluster_name")
    consumes_quota: bool | None = prop("consumes_quota")
    encryption_key_id: str | None = prop("encryption_key_id")
    scheduler_hints: dict | None = prop("OS-SCH-HNT:scheduler_hints")
    links: list | None = prop("links")
    created_at: datetime | None = prop("created_at")
    updated_at: datetime | None = prop("updated_at")

    def extend(self, session: Any, size: int) -> None:
        """Grow the volume to ``size`` GiB."""
        self._action(session, {"os-extend": {"new_size": size}})

    def reset_status(self, session: Any, status: str | None = None,
                     attach_status: str | None = None,
                     migration_status: str | None = None) -> None:
        """Overwrite the status fields in the database (admin); no backend call is made."""
        body = {"status": status, "attach_status": attach_status,
                "migration_status": migration_status}
        self._action(session, {"os-reset_status": {k: v for k, v in body.items() if v}})

    def set_bootable_status(self, session: Any, bootable: bool = True) -> None:
        self._action(session, {"os-set_bootable": {"bootable": bootable}})

    def reserve(self, session: Any) -> None:
        """Hold an available volume for an attach (status ``attaching``)."""
        self._action(session, {"os-reserve": None})

    def unreserve(self, session: Any) -> None:
        self._action(session, {"os-unreserve": None})

    def begin_detaching(self, session: Any) -> None:
        """Mark an in-use volume ``detaching``."""
        self._action(session, {"os-begin_detaching": None})

    def abort_detaching(self, session: Any) -> None:
        """Back from ``detaching`` to ``in-use``."""
        self._action(session, {"os-roll_detaching": None})

    def attach(self, session: Any, mountpoint: str, instance: str | None = None,
               host_name: str | None = None) -> None:
        """Record an attachment to ``instance`` (or ``host_name``) at ``mountpoint``."""
        body: dict[str, Any] = {"mountpoint": mountpoint}
        if instance is not None:
            body["instance_uuid"] = instance
        if host_name is not None:
            body["host_name"] = host_name
        self._action(session, {"os-attach": body})

    def detach(self, session: Any, attachment: str, force: bool = False,
               connector: dict | None = None) -> None:
        """End the attachment ``attachment`` (``force``: ``os-force_detach``)."""
        if not force:
            self._action(session, {"os-detach": {"attachment_id": attachment}})
            return
        body: dict[str, Any] = {"attachment_id": attachment}
        if connector is not None:
            body["connector"] = connector
        self._action(session, {"os-force_detach": body})

    def retype(self, session: Any, new_type: str, migration_policy: str | None = None
               ) -> None:
        """Change the volume's type; ``migration_policy="on-demand"`` lets it move."""
        body: dict[str, Any] = {"new_type": new_type}
        if migration_policy:
            body["migration_policy"] = migration_policy
        self._action(session, {"os-retype": body})

    def force_delete(self, session: Any) -> None:
        """Delete in any state but attached (admin)."""
        self._action(session, {"os-force_delete": None})

    def revert_to_snapshot(self, session: Any, snapshot_id: str) -> None:
        """Put the volume back to its latest snapshot (3.40)."""
        self._action(session, {"revert": {"snapshot_id": snapshot_id}})

    def migrate(self, session: Any, host: str | None = None, force_host_copy: bool = False,
                lock_volume: bool = False, cluster: str | None = None) -> None:
        """Move the volume to another backend (admin): ``migration_status`` tells."""
        body: dict[str, Any] = {"force_host_copy": force_host_copy,
                                "lock_volume": lock_volume}
        body.update({k: v for k, v in (("host", host), ("cluster", cluster)) if v})
        self._action(session, {"os-migrate_volume": body})

    def complete_migration(self, session: Any, new_volume_id: str,
                           error: bool = False) -> None:
        """Finish a migration Nova made by swapping to ``new_volume_id`` (admin)."""
        self._action(session, {"os-migrate_volume_completion": {
            "new_volume": new_volume_id, "error": error}})

    def upload_to_image(self, session: Any, image_name: str, force: bool = False,
                        disk_format: str | None = None, container_format: str | None = None,
                        visibility: str | None = None, protected: bool | None = None
                        ) -> dict[str, Any]:
        """Make an image of the volume's data; the answer names the image (``image_id``)."""
        body: dict[str, Any] = {"image_name": image_name, "force": force}
        for key, value in (("disk_format", disk_format), ("visibility", visibility),
                           ("container_format", container_format), ("protected", protected)):
            if value is not None:
                body[key] = value
        answer: dict[str, Any] = self._action(
            session, {"os-volume_upload_image": body}).json()["os-volume_upload_image"]
        return answer

    def set_readonly(self, session: Any, readonly: bool = True) -> None:
        """Allow read-only attachments only (or read-write again)."""
        self._action(session, {"os-update_readonly_flag": {"readonly": readonly}})

    def set_image_metadata(self, session: Any, metadata: dict[str, str]) -> dict[str, str]:
        """Add or change keys of ``volume_image_metadata``; all of it, as it now is."""
        answer: dict[str, str] = self._action(
            session, {"os-set_image_metadata": {"metadata": metadata}}).json()["metadata"]
        return answer

    def show_image_metadata(self, session: Any) -> dict[str, str]:
        answer: dict[str, str] = self._action(
            session, {"os-show_image_metadata": {}}).json()["metadata"]
        return answer

    def delete_image_metadata_item(self, session: Any, key: str) -> None:
        self._action(session, {"os-unset_image_metadata": {"key": key}})

    def init_attachment(self, session: Any, connector: dict[str, Any]) -> dict[str, Any]:
        """What ``connector``'s host needs to connect the volume (``connection_info``)."""
        answer: dict[str, Any] = self._action(
            session, {"os-initialize_connection": {"connector": connector}}).json()[
            "connection_info"]
        return answer

    def terminate_attachment(self, session: Any, connector: dict[str, Any]) -> None:
        self._action(session, {"os-terminate_connection": {"connector": connector}})

    def complete_extend(self, session: Any, error: bool = False) -> None:
        """Finish an ``extending`` volume (Nova, 3.71)."""
        self._action(session, {"os-extend_volume_completion": {"error": error}})

    def unmanage(self, session: Any) -> None:
        """Let go of the volume (admin); it stays on its backend, manageable."""
        self._action(session, {"os-unmanage": {}})

    @classmethod
    def manage(cls, session: Any, **attrs: Any) -> Volume:
        """Adopt a volume of a backend (admin): ``host`` (or ``cluster``), ``ref``
        (``{"source-name": …}``), ``name``, ``volume_type``…"""
        response = session.post("/manageable_volumes", json={"volume": attrs},
                                **cls._request_args(session))
        made = cls()
        made._absorb(response, session)
        return made
