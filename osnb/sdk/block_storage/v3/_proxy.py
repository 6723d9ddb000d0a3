"""``conn.block_storage``: the Block Storage (Cinder) v3 proxy."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ... import exceptions as exc
from ...proxy import Proxy as _BaseProxy
from ...resource import Resource
from ...resource_list import ResourceList
from .attachment import Attachment
from .availability_zone import AvailabilityZone
from .backup import Backup
from .block_storage_summary import BlockStorageSummary
from .capabilities import Capabilities
from .cluster import Cluster
from .consistency_group import ConsistencyGroup, ConsistencyGroupSnapshot
from .default_type import DefaultType
from .extension import Extension
from .group import Group
from .group_snapshot import GroupSnapshot
from .group_type import GroupType
from .limits import Limits
from .manageable import ManageableSnapshot, ManageableVolume
from .message import Message
from .qos_spec import QoSSpec, QoSSpecAssociation
from .quota_class_set import QuotaClassSet
from .quota_set import QuotaSet, QuotaSetDefaults, QuotaSetUsage
from .resource_filter import ResourceFilter
from .service import LogLevel, Service
from .snapshot import Snapshot
from .stats import Pool
from .transfer import Transfer
from .type import Type, TypeEncryption, TypeExtraSpecs
from .volume import Volume

__all__ = ["Proxy"]


def _id(value: Any) -> Any:
    return value.id if isinstance(value, Resource) else value


def _detail(resource_type: type[Resource], details: bool) -> str:
    return resource_type.base_path + ("/detail" if details else "")


class Proxy(_BaseProxy):
    """Block Storage API: volumes, snapshots, backups, types, quotas and pools."""

    service_type = "block-storage"
    api_version = "3"

    # -- volumes --------------------------------------------------------------------------
    def volumes(self, details: bool = True, all_projects: bool = False,
                **query: Any) -> ResourceList[Volume]:
        """List volumes (``/volumes/detail`` unless ``details=False``); ``all_projects``
        needs the admin role."""
        return self._list(Volume, base_path=_detail(Volume, details),
                          all_projects=all_projects or None, **query)

    def get_volume(self, volume: str | Volume) -> Volume:
        return self._get(Volume, volume)

    def find_volume(self, name_or_id: str, ignore_missing: bool = False, *,
                    details: bool = True, all_projects: bool = False) -> Volume | None:
        """By id, then by exact name (NotFound, or None with ``ignore_missing``)."""
        return self._find(Volume, name_or_id, ignore_missing=ignore_missing,
                          base_path=_detail(Volume, details), all_projects=all_projects or None)

    def create_volume(self, **attrs: Any) -> Volume:
        """Create a volume: ``size`` (GiB), ``name``, ``volume_type``, ``snapshot_id``…"""
        return self._create(Volume, **attrs)

    def update_volume(self, volume: str | Volume, **attrs: Any) -> Volume:
        """Change ``name``, ``description`` or ``metadata``."""
        return self._update(Volume, volume, **attrs)

    def delete_volume(self, volume: str | Volume, ignore_missing: bool = True, *,
                      force: bool = False) -> None:
        """Delete an idle volume; ``force`` (admin) deletes in any state but attached."""
        if not force:
            self._delete(Volume, volume, ignore_missing=ignore_missing)
            return
        try:
            self._resource(Volume, volume).force_delete(self)
        except exc.NotFound:
            if not ignore_missing:
                raise

    def extend_volume(self, volume: str | Volume, size: int) -> None:
        """Grow a volume to ``size`` GiB (it goes through ``extending``)."""
        self._resource(Volume, volume).extend(self, size)

    def reset_volume_status(self, volume: str | Volume, status: str | None = None,
                            attach_status: str | None = None,
                            migration_status: str | None = None) -> None:
        """Overwrite a volume's status fields (admin): the way out of a stuck state."""
        self._resource(Volume, volume).reset_status(self, status, attach_status,
                                                    migration_status)

    def set_volume_bootable_status(self, volume: str | Volume, bootable: bool) -> None:
        self._resource(Volume, volume).set_bootable_status(self, bootable)

    def reserve_volume(self, volume: str | Volume) -> None:
        """Hold an available volume for an attach (status ``attaching``)."""
        self._resource(Volume, volume).reserve(self)

    def unreserve_volume(self, volume: str | Volume) -> None:
        self._resource(Volume, volume).unreserve(self)

    def begin_volume_detaching(self, volume: str | Volume) -> None:
        self._resource(Volume, volume).begin_detaching(self)

    def abort_volume_detaching(self, volume: str | Volume) -> None:
        self._resource(Volume, volume).abort_detaching(self)

    def attach_volume(self, volume: str | Volume, mountpoint: str,
                      instance: str | None = None, host_name: str | None = None) -> None:
        """Record an attachment (the legacy flow; Nova uses :meth:`create_attachment`)."""
        self._resource(Volume, volume).attach(self, mountpoint, instance, host_name)

    def detach_volume(self, volume: str | Volume, attachment: str, force: bool = False,
                      connector: dict | None = None) -> None:
        self._resource(Volume, volume).detach(self, attachment, force, connector)

    def retype_volume(self, volume: str | Volume, new_type: str | Resource,
                      migration_policy: str = "never") -> None:
        """Change a volume's type; ``migration_policy="on-demand"`` lets it change pool."""
        self._resource(Volume, volume).retype(self, _id(new_type), migration_policy)

    def revert_volume_to_snapshot(self, volume: str | Volume,
                                  snapshot: str | Resource) -> None:
        """Revert a detached, available volume to its latest snapshot."""
        self._resource(Volume, volume).revert_to_snapshot(self, _id(snapshot))

    def migrate_volume(self, volume: str | Volume, host: str | None = None,
                       force_host_copy: bool = False, lock_volume: bool = False,
                       cluster: str | None = None) -> None:
        """Move a volume to another backend (admin); watch ``migration_status``."""
        self._resource(Volume, volume).migrate(self, host, force_host_copy, lock_volume,
                                               cluster)

    def complete_volume_migration(self, volume: str | Volume, new_volume: str | Volume,
                                  error: bool = False) -> None:
        self._resource(Volume, volume).complete_migration(self, _id(new_volume), error)

    def upload_volume_to_image(self, volume: str | Volume, image_name: str,
                               force: bool = False, disk_format: str | None = None,
                               container_format: str | None = None,
                               visibility: str | None = None,
                               protected: bool | None = None) -> dict[str, Any]:
        """Make an image of a volume; the answer's ``image_id`` names it."""
        return self._resource(Volume, volume).upload_to_image(
            self, image_name, force, disk_format, container_format, visibility, protected)

    def set_volume_readonly(self, volume: str | Volume, readonly: bool = True) -> None:
        self._resource(Volume, volume).set_readonly(self, readonly)

    def set_volume_image_metadata(self, volume: str | Volume, **metadata: str) -> None:
        """Add or change keys of the volume's ``volume_image_metadata``."""
        self._resource(Volume, volume).set_image_metadata(self, metadata)

    def delete_volume_image_metadata(self, volume: str | Volume,
                                     keys: Iterable[str] | None = None) -> None:
        """Remove ``keys`` of ``volume_image_metadata`` (all when None)."""
        res = self._resource(Volume, volume)
        for key in list(keys if keys is not None else res.show_image_metadata(self)):
            res.delete_image_metadata_item(self, key)

    def init_volume_attachment(self, volume: str | Volume,
                               connector: dict[str, Any]) -> dict[str, Any]:
        """The ``connection_info`` a host (its ``connector``) needs for the volume."""
        return self._resource(Volume, volume).init_attachment(self, connector)

    def terminate_volume_attachment(self, volume: str | Volume,
                                    connector: dict[str, Any]) -> None:
        self._resource(Volume, volume).terminate_attachment(self, connector)

    def complete_volume_extend(self, volume: str | Volume, error: bool = False) -> None:
        self._resource(Volume, volume).complete_extend(self, error)

    def manage_volume(self, **attrs: Any) -> Volume:
        """Adopt a backend's volume (admin): ``host``, ``ref``, ``name``, ``volume_type``."""
        return Volume.manage(self, **attrs)

    def unmanage_volume(self, volume: str | Volume) -> None:
        """Let go of a volume (admin); it stays on its backend."""
        self._resource(Volume, volume).unmanage(self)

    def manageable_volumes(self, *, details: bool = False,
                           **query: Any) -> ResourceList[ManageableVolume]:
        """A backend's volumes (``host=`` or ``cluster=``), safe to manage or not."""
        return self._list(ManageableVolume, base_path=_detail(ManageableVolume, details),
                          **query)

    def fetch_volume_metadata(self, volume: str | Volume) -> Volume:
        """The volume with its ``metadata`` read."""
        return self._resource(Volume, volume).fetch_metadata(self)

    get_volume_metadata = fetch_volume_metadata

    def set_volume_metadata(self, volume: str | Volume, **metadata: str) -> Volume:
        """Add or change metadata keys; the others stay."""
        return self._resource(Volume, volume).set_metadata(self, metadata)

    def delete_volume_metadata(self, volume: str | Volume,
                               keys: Iterable[str] | None = None) -> None:
        """Remove ``keys`` (all keys when None), one request per key."""
        res = self._resource(Volume, volume)
        if keys is None:
            keys = list(res.fetch_metadata(self).metadata or {})
        for key in keys:
            res.delete_metadata_item(self, key)

    def summary(self, all_projects: bool = False) -> BlockStorageSummary:
        """Count and size of the volumes (every project's with ``all_projects``)."""
        return self._get(BlockStorageSummary, None, all_projects=all_projects or None)

    # -- attachments ----------------------------------------------------------------------
    def attachments(self, details: bool = True, **query: Any) -> ResourceList[Attachment]:
        """List attachments (``all_projects`` needs the admin role)."""
        return self._list(Attachment, base_path=_detail(Attachment, details), **query)

    def get_attachment(self, attachment: str | Attachment) -> Attachment:
        return self._get(Attachment, attachment)

    def create_attachment(self, volume: str | Volume, *, instance: str | None = None,
                          connector: dict | None = None, mode: str | None = None
                          ) -> Attachment:
        """Reserve ``volume`` for ``instance``; with a ``connector`` it is ``attaching``
        and the answer carries ``connection_info``."""
        attrs: dict[str, Any] = {"instance_uuid": instance, "connector": connector,
                                 "mode": mode}
        return self._create(Attachment, volume_uuid=_id(volume),
                            **{k: v for k, v in attrs.items() if v is not None})

    def update_attachment(self, attachment: str | Attachment, **attrs: Any) -> Attachment:
        """Give a reserved attachment its ``connector``: it is then ``attaching``."""
        return self._update(Attachment, attachment, **attrs)

    def complete_attachment(self, attachment: str | Attachment) -> None:
        """Mark it attached (3.44): the volume is ``in-use`` on both sides."""
        self._resource(Attachment, attachment).complete(self)

    def delete_attachment(self, attachment: str | Attachment,
                          ignore_missing: bool = True) -> None:
        """Detach; the volume is ``available`` once nothing holds it."""
        self._delete(Attachment, attachment, ignore_missing=ignore_missing)

    # -- transfers ------------------------------------------------------------------------
    def transfers(self, details: bool = True, all_projects: bool = False,
                  **query: Any) -> ResourceList[Transfer]:
        """Transfers offered by the project (every project's with ``all_projects``)."""
        return self._list(Transfer, base_path=_detail(Transfer, details),
                          all_projects=all_projects or None, **query)

    def get_transfer(self, transfer: str | Transfer) -> Transfer:
        return self._get(Transfer, transfer)

    def find_transfer(self, name_or_id: str, ignore_missing: bool = True) -> Transfer | None:
        return self._find(Transfer, name_or_id, ignore_missing=ignore_missing)

    def create_transfer(self, **attrs: Any) -> Transfer:
        """Offer a volume: ``volume_id``, ``name``, ``no_snapshots``; keep ``auth_key``."""
        return self._create(Transfer, **attrs)

    def delete_transfer(self, transfer: str | Transfer, ignore_missing: bool = True) -> None:
        """Withdraw the offer: the volume is ``available`` again."""
        self._delete(Transfer, transfer, ignore_missing=ignore_missing)

    def accept_transfer(self, transfer: str | Transfer, auth_key: str) -> Transfer:
        """Take the volume (and its snapshots) into the caller's project."""
        return self._resource(Transfer, transfer).accept(self, auth_key=auth_key)

    # -- snapshots ------------------------------------------------------------------------
    def snapshots(self, details: bool = True, all_projects: bool = False,
                  **query: Any) -> ResourceList[Snapshot]:
        return self._list(Snapshot, base_path=_detail(Snapshot, details),
                          all_projects=all_projects or None, **query)

    def get_snapshot(self, snapshot: str | Snapshot) -> Snapshot:
        return self._get(Snapshot, snapshot)

    def find_snapshot(self, name_or_id: str, ignore_missing: bool = False, *,
                      details: bool = True, all_projects: bool = False) -> Snapshot | None:
        return self._find(Snapshot, name_or_id, ignore_missing=ignore_missing,
                          base_path=_detail(Snapshot, details),
                          all_projects=all_projects or None)

    def create_snapshot(self, **attrs: Any) -> Snapshot:
        """Snapshot a volume: ``volume_id``, ``name``, ``is_forced`` (if attached)…"""
        return self._create(Snapshot, **attrs)

    def update_snapshot(self, snapshot: str | Snapshot, **attrs: Any) -> Snapshot:
        return self._update(Snapshot, snapshot, **attrs)

    def delete_snapshot(self, snapshot: str | Snapshot, ignore_missing: bool = True) -> None:
        self._delete(Snapshot, snapshot, ignore_missing=ignore_missing)

    def fetch_snapshot_metadata(self, snapshot: str | Snapshot) -> Snapshot:
        """The snapshot with its ``metadata`` read."""
        return self._resource(Snapshot, snapshot).fetch_metadata(self)

    get_snapshot_metadata = fetch_snapshot_metadata

    def set_snapshot_metadata(self, snapshot: str | Snapshot, **metadata: str) -> Snapshot:
        """Add or change metadata keys; the others stay."""
        return self._resource(Snapshot, snapshot).set_metadata(self, metadata)

    def delete_snapshot_metadata(self, snapshot: str | Snapshot,
                                 keys: Iterable[str] | None = None) -> None:
        """Remove ``keys`` (all keys when None), one request per key."""
        res = self._resource(Snapshot, snapshot)
        if keys is None:
            keys = list(res.fetch_metadata(self).metadata or {})
        for key in keys:
            res.delete_metadata_item(self, key)

    def reset_snapshot_status(self, snapshot: str | Snapshot, status: str) -> None:
        """Overwrite a snapshot's status (admin)."""
        self._resource(Snapshot, snapshot).reset_status(self, status)

    reset_snapshot = reset_snapshot_status

    def set_snapshot_status(self, snapshot: str | Snapshot, status: str,
                            progress: str | None = None) -> None:
        self._resource(Snapshot, snapshot).set_status(self, status, progress)

    def manage_snapshot(self, **attrs: Any) -> Snapshot:
        """Adopt a backend's snapshot (admin): ``volume_id``, ``ref``, ``name``."""
        return Snapshot.manage(self, **attrs)

    def unmanage_snapshot(self, snapshot: str | Snapshot) -> None:
        self._resource(Snapshot, snapshot).unmanage(self)

    def manageable_snapshots(self, *, details: bool = False,
                             **query: Any) -> ResourceList[ManageableSnapshot]:
        """A backend's snapshots (``host=`` or ``cluster=``), safe to manage or not."""
        return self._list(ManageableSnapshot, base_path=_detail(ManageableSnapshot, details),
                          **query)

    # -- backups --------------------------------------------------------------------------
    def backups(self, details: bool = True, all_projects: bool = False,
                **query: Any) -> ResourceList[Backup]:
        return self._list(Backup, base_path=_detail(Backup, details),
                          all_projects=all_projects or None, **query)

    def get_backup(self, backup: str | Backup) -> Backup:
        return self._get(Backup, backup)

    def find_backup(self, name_or_id: str, ignore_missing: bool = False, *,
                    details: bool = True, all_projects: bool = False) -> Backup | None:
        return self._find(Backup, name_or_id, ignore_missing=ignore_missing,
                          base_path=_detail(Backup, details), all_projects=all_projects or None)

    def create_backup(self, **attrs: Any) -> Backup:
        """Back a volume up: ``volume_id``, ``name``, ``is_incremental``…"""
        return self._create(Backup, **attrs)

    def update_backup(self, backup: str | Backup, **attrs: Any) -> Backup:
        return self._update(Backup, backup, **attrs)

    def delete_backup(self, backup: str | Backup, ignore_missing: bool = True, *,
                      force: bool = False) -> None:
        """Delete a backup; ``force`` (admin) in any state."""
        if not force:
            self._delete(Backup, backup, ignore_missing=ignore_missing)
            return
        try:
            self._resource(Backup, backup).force_delete(self)
        except exc.NotFound:
            if not ignore_missing:
                raise

    def restore_backup(self, backup: str | Backup, volume: str | Volume | None = None,
                       name: str | None = None) -> dict[str, Any]:
        """Restore into ``volume`` (else a new volume named ``name``); the answer names
        it (``volume_id``)."""
        return self._resource(Backup, backup).restore(
            self, _id(volume) if volume is not None else None, name)

    def export_record(self, backup: str | Backup) -> dict[str, Any]:
        """``backup_service`` and ``backup_url``: what :meth:`import_backup` takes."""
        return self._resource(Backup, backup).export(self)

    export_backup = export_record

    def import_backup(self, service: str, url: str) -> Backup:
        """A backup from an exported record (admin)."""
        return Backup.import_record(self, service, url)

    def reset_backup_status(self, backup: str | Backup, status: str) -> None:
        self._resource(Backup, backup).reset(self, status)

    reset_backup = reset_backup_status

    # -- types ----------------------------------------------------------------------------
    def types(self, **query: Any) -> ResourceList[Type]:
        return self._list(Type, **query)

    def get_type(self, type: str | Type) -> Type:
        return self._get(Type, type)

    def find_type(self, name_or_id: str, ignore_missing: bool = False) -> Type | None:
        return self._find(Type, name_or_id, ignore_missing=ignore_missing)

    def create_type(self, **attrs: Any) -> Type:
        """Create a type: ``name``, ``extra_specs``, ``is_public``…"""
        return self._create(Type, **attrs)

    def update_type(self, type: str | Type, **attrs: Any) -> Type:
        return self._update(Type, type, **attrs)

    def delete_type(self, type: str | Type, ignore_missing: bool = True) -> None:
        self._delete(Type, type, ignore_missing=ignore_missing)

    def update_type_extra_specs(self, type: str | Type, **attrs: Any) -> dict[str, Any]:
        """Set extra specs (``volume_backend_name="ceph"``); returns the keys set."""
        return self._create(TypeExtraSpecs, type_id=_id(type), extra_specs=attrs).extra_specs or {}

    def delete_type_extra_specs(self, type: str | Type, keys: Iterable[str]) -> None:
        """Remove extra specs, one request per key."""
        for key in keys:
            self._delete(TypeExtraSpecs, key, ignore_missing=False, type_id=_id(type))

    def get_type_access(self, type: str | Type) -> list[dict[str, Any]]:
        """The projects that see a private type: ``[{volume_type_id, project_id}]``."""
        return self._resource(Type, type).get_private_access(self)

    def add_type_access(self, type: str | Type, project: str | Resource) -> None:
        """Let ``project`` see and use the private ``type``."""
        self._resource(Type, type).add_private_access(self, _id(project))

    def remove_type_access(self, type: str | Type, project: str | Resource) -> None:
        self._resource(Type, type).remove_private_access(self, _id(project))

    def get_type_encryption(self, volume_type: str | Type) -> TypeEncryption:
        """How a type's volumes are encrypted (no ``provider``: not encrypted)."""
        uri = {"type_id": _id(volume_type)}
        response = self.get(TypeEncryption._path(uri),
                            **TypeEncryption._request_args(self))
        return TypeEncryption._from_body(response.json(), uri, self)

    def create_type_encryption(self, volume_type: str | Type, **attrs: Any) -> TypeEncryption:
        """``provider``, ``cipher``, ``key_size``, ``control_location``; refused while a
        volume has the type."""
        return self._create(TypeEncryption, type_id=_id(volume_type), **attrs)

    def _encryption(self, encryption: Any, volume_type: Any) -> TypeEncryption:
        if isinstance(encryption, TypeEncryption):
            return encryption
        if encryption is None:
            return self.get_type_encryption(volume_type)
        return TypeEncryption._from_body({"encryption_id": encryption},
                                         {"type_id": _id(volume_type)}, self)

    def update_type_encryption(self, encryption: str | TypeEncryption | None = None,
                               volume_type: str | Type | None = None,
                               **attrs: Any) -> TypeEncryption:
        res = self._encryption(encryption, volume_type)
        res._set(attrs)
        return res.update(self)

    def delete_type_encryption(self, encryption: str | TypeEncryption | None = None,
                               volume_type: str | Type | None = None,
                               ignore_missing: bool = True) -> None:
        try:
            self._encryption(encryption, volume_type).delete(self)
        except exc.NotFound:
            if not ignore_missing:
                raise

    # -- groups, group types, group snapshots ---------------------------------------------
    def groups(self, *, details: bool = True, **query: Any) -> ResourceList[Group]:
        return self._list(Group, base_path=_detail(Group, details), **query)

    def get_group(self, group: str | Group) -> Group:
        return self._get(Group, group)

    def find_group(self, name_or_id: str, ignore_missing: bool = True, *,
                   details: bool = True) -> Group | None:
        return self._find(Group, name_or_id, ignore_missing=ignore_missing,
                          base_path=_detail(Group, details))

    def create_group(self, **attrs: Any) -> Group:
        """``group_type``, ``volume_types`` (names or ids), ``name``…"""
        return self._create(Group, **attrs)

    def create_group_from_source(self, **attrs: Any) -> Group:
        """A group like ``group_snapshot_id``'s or ``source_group_id``'s."""
        return Group.create_from_source(self, **attrs)

    def update_group(self, group: str | Group, **attrs: Any) -> Group:
        """``name``, ``description``; ``add_volumes``/``remove_volumes`` (comma-separated
        ids)."""
        res = self._resource(Group, group)
        res._set(attrs)
        res.update(self)
        return self.get_group(res)

    def delete_group(self, group: str | Group, delete_volumes: bool = False,
                     ignore_missing: bool = True) -> None:
        """Delete a group; with ``delete_volumes`` its volumes too."""
        try:
            self._resource(Group, group).delete_group(self, delete_volumes)
        except exc.NotFound:
            if not ignore_missing:
                raise

    def reset_group_status(self, group: str | Group, status: str) -> None:
        self._resource(Group, group).reset_status(self, status)

    reset_group_state = reset_group_status

    def enable_group_replication(self, group: str | Group) -> None:
        self._resource(Group, group).enable_replication(self)

    def disable_group_replication(self, group: str | Group) -> None:
        self._resource(Group, group).disable_replication(self)

    def failover_group_replication(self, group: str | Group, *,
                                   allowed_attached_volume: bool = False,
                                   secondary_backend_id: str | None = None) -> None:
        self._resource(Group, group).failover_replication(self, allowed_attached_volume,
                                                          secondary_backend_id)

    def group_snapshots(self, *, details: bool = True,
                        **query: Any) -> ResourceList[GroupSnapshot]:
        return self._list(GroupSnapshot, base_path=_detail(GroupSnapshot, details), **query)

    def get_group_snapshot(self, group_snapshot: str | GroupSnapshot) -> GroupSnapshot:
        return self._get(GroupSnapshot, group_snapshot)

    def find_group_snapshot(self, name_or_id: str, ignore_missing: bool = True, *,
                            details: bool = True) -> GroupSnapshot | None:
        return self._find(GroupSnapshot, name_or_id, ignore_missing=ignore_missing,
                          base_path=_detail(GroupSnapshot, details))

    def create_group_snapshot(self, **attrs: Any) -> GroupSnapshot:
        """A snapshot of each volume of ``group_id``."""
        return self._create(GroupSnapshot, **attrs)

    def reset_group_snapshot_status(self, group_snapshot: str | GroupSnapshot,
                                    status: str) -> None:
        self._resource(GroupSnapshot, group_snapshot).reset_status(self, status)

    reset_group_snapshot_state = reset_group_snapshot_status

    def delete_group_snapshot(self, group_snapshot: str | GroupSnapshot,
                              ignore_missing: bool = True) -> None:
        self._delete(GroupSnapshot, group_snapshot, ignore_missing=ignore_missing)

    def group_types(self, **query: Any) -> ResourceList[GroupType]:
        return self._list(GroupType, **query)

    def get_group_type(self, group_type: str | GroupType) -> GroupType:
        """A group type by id (``"default"``: the cloud's default one)."""
        return self._get(GroupType, group_type)

    def find_group_type(self, name_or_id: str,
                        ignore_missing: bool = True) -> GroupType | None:
        return self._find(GroupType, name_or_id, ignore_missing=ignore_missing)

    def create_group_type(self, **attrs: Any) -> GroupType:
        return self._create(GroupType, **attrs)

    def update_group_type(self, group_type: str | GroupType, **attrs: Any) -> GroupType:
        return self._update(GroupType, group_type, **attrs)

    def delete_group_type(self, group_type: str | GroupType,
                          ignore_missing: bool = True) -> None:
        self._delete(GroupType, group_type, ignore_missing=ignore_missing)

    def fetch_group_type_group_specs(self, group_type: str | GroupType) -> GroupType:
        return self._resource(GroupType, group_type).fetch_group_specs(self)

    def create_group_type_group_specs(self, group_type: str | GroupType,
                                      group_specs: dict[str, Any]) -> GroupType:
        return self._resource(GroupType, group_type).create_group_specs(self, group_specs)

    def get_group_type_group_specs_property(self, group_type: str | GroupType,
                                            prop: str) -> str | None:
        return self._resource(GroupType, group_type).get_group_specs_property(self, prop)

    def update_group_type_group_specs_property(self, group_type: str | GroupType,
                                               prop: str, val: str) -> str:
        return self._resource(GroupType, group_type).update_group_specs_property(
            self, prop, val)

    def delete_group_type_group_specs_property(self, group_type: str | GroupType,
                                               prop: str, ignore_missing: bool = True
                                               ) -> None:
        try:
            self._resource(GroupType, group_type).delete_group_specs_property(self, prop)
        except exc.NotFound:
            if not ignore_missing:
                raise

    # -- the legacy consistency groups -----------------------------------------------------
    def consistency_groups(self, *, details: bool = True,
                           **query: Any) -> ResourceList[ConsistencyGroup]:
        return self._list(ConsistencyGroup, base_path=_detail(ConsistencyGroup, details),
                          **query)

    def get_consistency_group(self, consistency_group: str | ConsistencyGroup
                              ) -> ConsistencyGroup:
        return self._get(ConsistencyGroup, consistency_group)

    def find_consistency_group(self, name_or_id: str, ignore_missing: bool = True, *,
                               details: bool = True) -> ConsistencyGroup | None:
        return self._find(ConsistencyGroup, name_or_id, ignore_missing=ignore_missing,
                          base_path=_detail(ConsistencyGroup, details))

    def create_consistency_group(self, **attrs: Any) -> ConsistencyGroup:
        """``volume_types`` (names or ids: a list, or comma-separated), ``name``…"""
        if isinstance(attrs.get("volume_types"), (list, tuple)):
            attrs["volume_types"] = ",".join(map(str, attrs["volume_types"]))
        return self._create(ConsistencyGroup, **attrs)

    def create_consistency_group_from_source(
            self, *, consistency_group_snapshot: str | Resource | None = None,
            consistency_group: str | Resource | None = None, name: str | None = None,
            description: str | None = None) -> ConsistencyGroup:
        return ConsistencyGroup.create_from_source(
            self, _id(consistency_group_snapshot) if consistency_group_snapshot else None,
            _id(consistency_group) if consistency_group else None, name, description)

    def delete_consistency_group(self, consistency_group: str | ConsistencyGroup,
                                 force: bool = False) -> None:
        self._resource(ConsistencyGroup, consistency_group).delete_group(self, force)

    def update_consistency_group(self, consistency_group: str | ConsistencyGroup,
                                 **attrs: Any) -> ConsistencyGroup:
        """``name``, ``description``, ``add_volumes``, ``remove_volumes``; read back."""
        self._resource(ConsistencyGroup, consistency_group).change(self, **attrs)
        return self.get_consistency_group(consistency_group)

    def consistency_group_snapshots(self, *, details: bool = True, **query: Any
                                    ) -> ResourceList[ConsistencyGroupSnapshot]:
        return self._list(ConsistencyGroupSnapshot,
                          base_path=_detail(ConsistencyGroupSnapshot, details), **query)

    def get_consistency_group_snapshot(
            self, consistency_group_snapshot: str | ConsistencyGroupSnapshot
    ) -> ConsistencyGroupSnapshot:
        return self._get(ConsistencyGroupSnapshot, consistency_group_snapshot)

    def find_consistency_group_snapshot(self, name_or_id: str, ignore_missing: bool = True,
                                        *, details: bool = True
                                        ) -> ConsistencyGroupSnapshot | None:
        return self._find(ConsistencyGroupSnapshot, name_or_id, ignore_missing=ignore_missing,
                          base_path=_detail(ConsistencyGroupSnapshot, details))

    def create_consistency_group_snapshot(self, **attrs: Any) -> ConsistencyGroupSnapshot:
        """A snapshot of each volume of ``consistencygroup_id``."""
        return self._create(ConsistencyGroupSnapshot, **attrs)

    def delete_consistency_group_snapshot(
            self, consistency_group_snapshot: str | ConsistencyGroupSnapshot,
            ignore_missing: bool = True) -> None:
        self._delete(ConsistencyGroupSnapshot, consistency_group_snapshot,
                     ignore_missing=ignore_missing)

    # -- default types (admin, 3.62) ------------------------------------------------------
    def default_types(self) -> ResourceList[DefaultType]:
        """Every project's default volume type that is set."""
        return self._list(DefaultType)

    def show_default_type(self, project: str | Resource) -> DefaultType:
        return self._get(DefaultType, _id(project))

    def set_default_type(self, project: str | Resource, type: str | Resource) -> DefaultType:
        """Volumes the project creates without a type get ``type`` (a name or id)."""
        res = self._resource(DefaultType, _id(project))
        res.volume_type = _id(type)
        return res.create(self)

    def unset_default_type(self, project: str | Resource) -> None:
        self._delete(DefaultType, _id(project), ignore_missing=False)

    # -- messages -------------------------------------------------------------------------
    def messages(self, all_projects: bool = False, **query: Any) -> ResourceList[Message]:
        """Why operations failed: ``resource_uuid``, ``user_message``…"""
        return self._list(Message, all_projects=all_projects or None, **query)

    def get_message(self, message: str | Message) -> Message:
        return self._get(Message, message)

    def delete_message(self, message: str | Message, ignore_missing: bool = True) -> None:
        self._delete(Message, message, ignore_missing=ignore_missing)

    # -- QoS specs (admin) ----------------------------------------------------------------
    def qos_specs(self, **query: Any) -> ResourceList[QoSSpec]:
        return self._list(QoSSpec, **query)

    def get_qos_spec(self, qos_spec: str | QoSSpec) -> QoSSpec:
        return self._get(QoSSpec, qos_spec)

    def find_qos_spec(self, name_or_id: str, ignore_missing: bool = True) -> QoSSpec | None:
        return self._find(QoSSpec, name_or_id, ignore_missing=ignore_missing)

    def create_qos_spec(self, **attrs: Any) -> QoSSpec:
        """``name``, ``consumer`` and any spec as a keyword (``total_iops_sec="5000"``)."""
        return self._create(QoSSpec, **attrs)

    def update_qos_spec(self, qos_spec: str | QoSSpec, **attrs: Any) -> QoSSpec:
        """Add or change specs (or ``consumer``); returns the spec as it now is."""
        return self._update(QoSSpec, qos_spec, **attrs).get(self)

    def delete_qos_spec(self, qos_spec: str | QoSSpec, ignore_missing: bool = True, *,
                        force: bool = False) -> None:
        """Delete; one still applied to a type needs ``force`` (which detaches it)."""
        if not force:
            self._delete(QoSSpec, qos_spec, ignore_missing=ignore_missing)
            return
        try:
            self._resource(QoSSpec, qos_spec).force_delete(self)
        except exc.NotFound:
            if not ignore_missing:
                raise

    def associate_qos_spec(self, qos_spec: str | QoSSpec, vol_type_id: str) -> None:
        self._resource(QoSSpec, qos_spec).associate(self, _id(vol_type_id))

    def disassociate_qos_spec(self, qos_spec: str | QoSSpec, vol_type_id: str) -> None:
        self._resource(QoSSpec, qos_spec).disassociate(self, _id(vol_type_id))

    def disassociate_all_qos_spec(self, qos_spec: str | QoSSpec) -> None:
        self._resource(QoSSpec, qos_spec).disassociate_all(self)

    def delete_qos_spec_metadata(self, qos_spec: str | QoSSpec, keys: Iterable[str]) -> None:
        """Remove spec keys."""
        self._resource(QoSSpec, qos_spec).delete_keys(self, keys)

    def qos_spec_associations(self, qos_spec: str | QoSSpec
                              ) -> ResourceList[QoSSpecAssociation]:
        """The volume types the spec applies to."""
        return self._list(QoSSpecAssociation, qos_spec_id=_id(qos_spec))

    # -- quotas and limits ----------------------------------------------------------------
    def get_quota_set(self, project: str | Resource, usage: bool = False
                      ) -> QuotaSet | QuotaSetUsage:
        """A project's limits; with ``usage``, limit and use per resource."""
        if usage:
            return self._get(QuotaSetUsage, None, usage=True, project_id=_id(project))
        return self._get(QuotaSet, None, project_id=_id(project))

    def get_quota_set_defaults(self, project: str | Resource) -> QuotaSetDefaults:
        return self._get(QuotaSetDefaults, None, project_id=_id(project))

    def update_quota_set(self, project: str | Resource, **attrs: Any) -> QuotaSet:
        """Set limits: ``volumes=20``, ``gigabytes=-1`` (unlimited)…"""
        return self._update(QuotaSet, QuotaSet(project_id=_id(project)), **attrs)

    def revert_quota_set(self, project: str | Resource) -> None:
        """Reset a project's limits to the defaults (admin)."""
        self._delete(QuotaSet, QuotaSet(project_id=_id(project)), ignore_missing=False)

    def get_limits(self) -> Limits:
        """The current project's absolute limits and usage."""
        return self._get(Limits, None)

    # -- pools and services (admin) -------------------------------------------------------
    def backend_pools(self, **query: Any) -> ResourceList[Pool]:
        """Pools with their capacity: ``pool.capabilities["free_capacity_gb"]``."""
        return self._list(Pool, **query)

    def services(self, **query: Any) -> ResourceList[Service]:
        """Cinder services: ``binary``, ``host``."""
        return self._list(Service, **query)

    def find_service(self, name_or_id: str, ignore_missing: bool = True,
                     **query: Any) -> Service | None:
        """The service whose host (or binary) is ``name_or_id``."""
        found = [s for s in self.services(**query) if name_or_id in (s.host, s.binary)]
        if len(found) == 1:
            return found[0]
        if found:
            raise exc.DuplicateResource(f"more than one service matches {name_or_id!r}")
        if ignore_missing:
            return None
        raise exc.NotFound(f"no service {name_or_id!r}")

    def enable_service(self, service: Service) -> Service:
        return service.enable(self)

    def disable_service(self, service: Service, *, reason: str | None = None) -> Service:
        """Take a service out of scheduling; a disabled volume service takes no volumes."""
        return service.disable(self, reason)

    def freeze_service(self, service: Service) -> Service:
        return service.freeze(self)

    def thaw_service(self, service: Service) -> Service:
        return service.thaw(self)

    def failover_service(self, service: Service, *, cluster: str | None = None,
                         backend_id: str | None = None) -> Service:
        return service.failover(self, cluster, backend_id)

    def set_service_log_levels(self, *, level: str, binary: str | None = None,
                               server: str | None = None, prefix: str | None = None) -> None:
        Service.set_log_levels(self, level=level, binary=binary, server=server,
                               prefix=prefix)

    def get_service_log_levels(self, *, binary: str | None = None, server: str | None = None,
                               prefix: str | None = None) -> ResourceList[LogLevel]:
        return ResourceList(LogLevel, Service.get_log_levels(
            self, binary=binary, server=server, prefix=prefix), proxy=self)

    def get_capabilities(self, host: str | Capabilities) -> Capabilities:
        """What a backend (``host@backend``) offers."""
        return self._get(Capabilities, host)

    def clusters(self, *, details: bool = True, **query: Any) -> ResourceList[Cluster]:
        return self._list(Cluster, base_path=_detail(Cluster, details), **query)

    def get_cluster(self, cluster: str | Cluster) -> Cluster:
        return self._get(Cluster, cluster)

    def find_cluster(self, name_or_id: str, ignore_missing: bool = True) -> Cluster | None:
        return self._find(Cluster, name_or_id, ignore_missing=ignore_missing)

    def enable_cluster(self, cluster: str | Cluster) -> Cluster:
        return self._resource(Cluster, cluster).enable(self)

    def disable_cluster(self, cluster: str | Cluster, *, reason: str | None = None) -> Cluster:
        return self._resource(Cluster, cluster).disable(self, reason)

    def get_quota_class_set(self, quota_class_set: str | QuotaClassSet = "default"
                            ) -> QuotaClassSet:
        """A quota class's limits (``default``: what projects get), admin."""
        return self._get(QuotaClassSet, quota_class_set)

    def update_quota_class_set(self, quota_class_set: str | QuotaClassSet,
                               **attrs: Any) -> QuotaClassSet:
        return self._update(QuotaClassSet, quota_class_set, **attrs)

    def extensions(self) -> ResourceList[Extension]:
        return self._list(Extension)

    def resource_filters(self, **query: Any) -> ResourceList[ResourceFilter]:
        """The filters each list takes (``resource="volume"`` for one)."""
        return self._list(ResourceFilter, **query)

    def availability_zones(self) -> ResourceList[AvailabilityZone]:
        return self._list(AvailabilityZone)
