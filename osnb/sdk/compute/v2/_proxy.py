"""``conn.compute``: the Compute (Nova) v2.1 proxy."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone
from typing import Any

from ...exceptions import NotFound
from ...proxy import Proxy as _BaseProxy
from ...proxy import WaitCallback
from ...resource import Resource
from ...resource_list import ResourceList
from .aggregate import Aggregate
from .availability_zone import AvailabilityZone
from .flavor import Flavor
from .hypervisor import Hypervisor
from .keypair import Keypair
from .limits import Limits
from .migration import Migration
from .quota_class_set import QuotaClassSet
from .quota_set import QuotaSet
from .server import UNSET, Server
from .server_action import ServerAction
from .server_diagnostics import ServerDiagnostics
from .server_group import ServerGroup
from .server_interface import ServerInterface
from .server_migration import ServerMigration
from .server_remote_console import ConsoleAuthToken, ServerRemoteConsole
from .service import Service
from .usage import Usage
from .volume_attachment import VolumeAttachment

__all__ = ["Proxy"]


class Proxy(_BaseProxy):
    """Compute API: servers, flavors and their neighbours."""

    service_type = "compute"
    api_version = "2"

    # -- servers --------------------------------------------------------------------------
    def servers(self, details: bool = True, all_projects: bool = False,
                **query: Any) -> ResourceList[Server]:
        """List servers (``/servers/detail`` unless ``details=False``); ``all_projects``
        needs the admin role."""
        base = Server.base_path + ("/detail" if details else "")
        return self._list(Server, base_path=base, all_projects=all_projects or None, **query)

    def get_server(self, server: str | Server) -> Server:
        return self._get(Server, server)

    def find_server(self, name_or_id: str, ignore_missing: bool = False, *,
                    details: bool = True, all_projects: bool = False) -> Server | None:
        """By id, then by exact name (NotFound, or None with ``ignore_missing``)."""
        return self._find(Server, name_or_id, ignore_missing=ignore_missing,
                          base_path=Server.base_path + ("/detail" if details else ""),
                          all_projects=all_projects or None)

    def create_server(self, **attrs: Any) -> Server:
        """Create a server: ``name``, ``flavor_id``, ``image_id``, ``networks``, …"""
        return self._create(Server, **attrs)

    def update_server(self, server: str | Server, **attrs: Any) -> Server:
        return self._update(Server, server, **attrs)

    def delete_server(self, server: str | Server, ignore_missing: bool = True) -> None:
        self._delete(Server, server, ignore_missing=ignore_missing)

    def wait_for_server(self, server: Server, status: str = "ACTIVE",
                        failures: Iterable[str] = ("ERROR",), interval: float = 2.0,
                        wait: float = 120.0, callback: WaitCallback | None = None) -> Server:
        """Poll until the server reaches ``status``; ResourceFailure on ``failures``."""
        return self.wait_for_status(server, status, failures, interval, wait,
                                    callback=callback)

    # -- flavors --------------------------------------------------------------------------
    def flavors(self, details: bool = True, **query: Any) -> ResourceList[Flavor]:
        """List flavors; public and private ones unless ``is_public`` says otherwise
        (Nova's ``is_public=None``, as openstacksdk sends it)."""
        base = Flavor.base_path + ("/detail" if details else "")
        if query.get("is_public") is None:
            query["is_public"] = "None"
        return self._list(Flavor, base_path=base, **query)

    def get_flavor(self, flavor: str | Flavor) -> Flavor:
        return self._get(Flavor, flavor)

    def find_flavor(self, name_or_id: str, ignore_missing: bool = False) -> Flavor | None:
        return self._find(Flavor, name_or_id, ignore_missing=ignore_missing,
                          base_path=Flavor.base_path + "/detail")

    def create_flavor(self, **attrs: Any) -> Flavor:
        """Create a flavor: ``name``, ``vcpus``, ``ram``, ``disk``, optionally ``id``…"""
        return self._create(Flavor, **attrs)

    def update_flavor(self, flavor: str | Flavor, **attrs: Any) -> Flavor:
        """Change a flavor's ``description`` (the only mutable field, from 2.55)."""
        return self._update(Flavor, flavor, **attrs)

    def delete_flavor(self, flavor: str | Flavor, ignore_missing: bool = True) -> None:
        self._delete(Flavor, flavor, ignore_missing=ignore_missing)

    def fetch_flavor_extra_specs(self, flavor: str | Flavor) -> Flavor:
        """The flavor with ``extra_specs`` filled (a flavor carries them from 2.61)."""
        return self._get(Flavor, flavor)

    # -- server actions -------------------------------------------------------------------
    def start_server(self, server: str | Server) -> None:
        self._resource(Server, server).start(self)

    def stop_server(self, server: str | Server) -> None:
        self._resource(Server, server).stop(self)

    def reboot_server(self, server: str | Server, reboot_type: str) -> None:
        """Reboot: ``reboot_type`` is ``"SOFT"`` (ask the guest) or ``"HARD"`` (power cycle)."""
        self._resource(Server, server).reboot(self, reboot_type)

    def pause_server(self, server: str | Server) -> None:
        self._resource(Server, server).pause(self)

    def unpause_server(self, server: str | Server) -> None:
        self._resource(Server, server).unpause(self)

    def suspend_server(self, server: str | Server) -> None:
        self._resource(Server, server).suspend(self)

    def resume_server(self, server: str | Server) -> None:
        self._resource(Server, server).resume(self)

    def lock_server(self, server: str | Server, locked_reason: str | None = None) -> None:
        """Lock a server against changes by non-admins; ``locked_reason`` from 2.73."""
        self._resource(Server, server).lock(self, locked_reason=locked_reason)

    def unlock_server(self, server: str | Server) -> None:
        self._resource(Server, server).unlock(self)

    # -- moves: resize, migrations, evacuate, shelve --------------------------------------
    def resize_server(self, server: str | Server, flavor: Any) -> None:
        """Resize to ``flavor`` (an id or a Flavor): RESIZE, then VERIFY_RESIZE."""
        self._resource(Server, server).resize(self, _id(flavor))

    def confirm_server_resize(self, server: str | Server) -> None:
        """Keep the new flavor: the source host's allocation is freed."""
        self._resource(Server, server).confirm_resize(self)

    def revert_server_resize(self, server: str | Server) -> None:
        """Back to the old flavor on the source host."""
        self._resource(Server, server).revert_resize(self)

    def migrate_server(self, server: str | Server, *, host: str | None = None) -> None:
        """Cold-migrate (admin); then confirm or revert as a resize. ``host`` from 2.56."""
        self._resource(Server, server).migrate(self, host=host)

    def live_migrate_server(self, server: str | Server, host: str | None = None,
                            force: bool = False, block_migration: bool | str | None = None,
                            disk_over_commit: bool | None = None) -> None:
        """Live-migrate (admin): MIGRATING, then ACTIVE on ``host`` (or the scheduler's)."""
        self._resource(Server, server).live_migrate(
            self, host, force=force, block_migration=block_migration,
            disk_over_commit=disk_over_commit)

    def evacuate_server(self, server: str | Server, host: str | None = None,
                        admin_pass: str | None = None, force: bool | None = None,
                        on_shared_storage: bool | None = None) -> None:
        """Rebuild elsewhere a server whose host's compute service is down (admin)."""
        self._resource(Server, server).evacuate(
            self, host=host, admin_pass=admin_pass, force=force,
            on_shared_storage=on_shared_storage)

    def shelve_server(self, server: str | Server) -> None:
        self._resource(Server, server).shelve(self)

    def shelve_offload_server(self, server: str | Server) -> None:
        """Free the host of a SHELVED server (admin)."""
        self._resource(Server, server).shelve_offload(self)

    def unshelve_server(self, server: str | Server, *, availability_zone: Any = UNSET,
                        host: str | None = None) -> None:
        """Unshelve; for an offloaded server ``availability_zone`` (2.77; None unpins
        it, 2.91) and ``host`` (2.91, admin)."""
        self._resource(Server, server).unshelve(self, availability_zone, host=host)

    def server_migrations(self, server: str | Server) -> ResourceList[ServerMigration]:
        """The server's live migrations in progress (admin)."""
        return self._list(ServerMigration, server_id=server)

    def get_server_migration(self, server_migration: Any, server: str | Server,
                             ignore_missing: bool = True) -> ServerMigration | None:
        """One in-progress live migration, by Nova's integer id."""
        try:
            return self._get(ServerMigration, server_migration, server_id=server)
        except NotFound:
            if ignore_missing:
                return None
            raise

    def abort_server_migration(self, server_migration: Any, server: str | Server,
                               ignore_missing: bool = True) -> None:
        """Abort a live migration in progress: the server stays on its source."""
        self._delete(ServerMigration, server_migration, ignore_missing=ignore_missing,
                     server_id=server)

    def force_complete_server_migration(self, server_migration: Any,
                                        server: str | Server | None = None) -> None:
        """Make a running live migration complete now."""
        self._resource(ServerMigration, server_migration,
                       **_given(server_id=server)).force_complete(self)

    # -- rebuild, images, rescue, deletion, password, state ---------------------------------
    def rebuild_server(self, server: str | Server, image: Any, **attrs: Any) -> Server:
        """Rebuild from ``image``: REBUILD, then ACTIVE; the answer carries ``adminPass``."""
        return self._resource(Server, server).rebuild(self, image, **attrs)

    def create_server_image(self, server: str | Server, name: str,
                            metadata: dict[str, str] | None = None) -> str | None:
        """Snapshot a server into an image; its id (openstacksdk fetches the Image:
        ``conn.image.get_image(id)``)."""
        return self._resource(Server, server).create_image(self, name, metadata)

    def backup_server(self, server: str | Server, name: str, backup_type: str,
                      rotation: int) -> str | None:
        """A backup image, the newest ``rotation`` of ``backup_type`` kept; its id."""
        return self._resource(Server, server).backup(self, name, backup_type, rotation)

    def rescue_server(self, server: str | Server, admin_pass: str | None = None,
                      image: Any = None) -> None:
        self._resource(Server, server).rescue(self, admin_pass=admin_pass, image=image)

    def unrescue_server(self, server: str | Server) -> None:
        self._resource(Server, server).unrescue(self)

    def force_delete_server(self, server: str | Server) -> None:
        """Delete a SOFT_DELETED server now."""
        self._resource(Server, server).force_delete(self)

    def restore_server(self, server: str | Server) -> None:
        """Bring back a SOFT_DELETED server (clouds that reclaim deleted servers later)."""
        self._resource(Server, server).restore(self)

    def change_server_password(self, server: str | Server, new_password: str) -> None:
        self._resource(Server, server).change_password(self, new_password)

    def get_server_password(self, server: str | Server) -> str | None:
        """The encrypted password the guest posted to the metadata service."""
        return self._resource(Server, server).get_password(self)

    def clear_server_password(self, server: str | Server) -> None:
        self._resource(Server, server).clear_password(self)

    def reset_server_state(self, server: str | Server, state: str) -> None:
        """Force the vm_state to ``active`` or ``error`` (admin)."""
        self._resource(Server, server).reset_state(self, state)

    def trigger_server_crash_dump(self, server: str | Server) -> None:
        self._resource(Server, server).trigger_crash_dump(self)

    def add_security_group_to_server(self, server: str | Server, security_group: Any) -> None:
        """Add a security group (name, id, or a network SecurityGroup) to the server."""
        self._resource(Server, server).add_security_group(self, _group_name(security_group))

    def remove_security_group_from_server(self, server: str | Server,
                                          security_group: Any) -> None:
        """Remove a security group (name, id, or a network SecurityGroup) from it."""
        self._resource(Server, server).remove_security_group(self,
                                                             _group_name(security_group))

    def fetch_server_security_groups(self, server: str | Server) -> Server:
        """The server with ``security_groups`` as the full groups of its ports."""
        return self._resource(Server, server).fetch_security_groups(self)

    def get_server_diagnostics(self, server: str | Server) -> ServerDiagnostics:
        """The hypervisor's counters of a running server (admin)."""
        return self._get(ServerDiagnostics, server_id=server)

    # -- consoles -----------------------------------------------------------------------------
    def get_server_console_output(self, server: str | Server,
                                  length: int | None = None) -> dict[str, Any]:
        """``{"output": …}``: the last ``length`` lines of the serial console log."""
        return self._resource(Server, server).get_console_output(self, length=length)

    def create_server_remote_console(self, server: str | Server,
                                     **attrs: Any) -> ServerRemoteConsole:
        """A console URL: ``protocol`` and ``type`` (2.6+)."""
        return self._create(ServerRemoteConsole, server_id=_id(server), **attrs)

    def get_server_console_url(self, server: str | Server,
                               console_type: str) -> dict[str, Any]:
        """A console URL by the pre-2.6 actions: ``{"type", "url"}``."""
        return self._resource(Server, server).get_console_url(self, console_type)

    def create_console(self, server: str | Server, console_type: str,
                       console_protocol: str | None = None) -> dict[str, Any]:
        """A console URL of ``console_type`` (remote consoles; the protocol guessed from
        the type when not given): ``{"protocol", "type", "url"}``."""
        protocol = console_protocol or CONSOLE_PROTOCOLS.get(console_type, "vnc")
        console = self.create_server_remote_console(server, protocol=protocol,
                                                    type=console_type)
        return {"protocol": console.protocol, "type": console.type, "url": console.url}

    def validate_console_auth_token(self, console_token: str) -> ConsoleAuthToken:
        """Where a console token connects (admin)."""
        return self._get(ConsoleAuthToken, console_token)

    # -- server interfaces, volume attachments, actions -----------------------------------
    def server_interfaces(self, server: str | Server,
                          **query: Any) -> ResourceList[ServerInterface]:
        return self._list(ServerInterface, server_id=server, **query)

    def get_server_interface(self, server_interface: str | ServerInterface,
                             server: str | Server | None = None) -> ServerInterface:
        """By port id; ``server`` is needed unless ``server_interface`` is a listed one."""
        return self._get(ServerInterface, server_interface, **_given(server_id=server))

    def create_server_interface(self, server: str | Server, **attrs: Any) -> ServerInterface:
        """Attach a port: ``port_id``, or ``net_id`` (and ``fixed_ips``) for a new one."""
        return self._create(ServerInterface, server_id=_id(server), **attrs)

    def delete_server_interface(self, server_interface: str | ServerInterface,
                                server: str | Server | None = None,
                                ignore_missing: bool = True) -> None:
        self._delete(ServerInterface, server_interface, ignore_missing=ignore_missing,
                     **_given(server_id=server))

    def volume_attachments(self, server: str | Server,
                           **query: Any) -> ResourceList[VolumeAttachment]:
        return self._list(VolumeAttachment, server_id=server, **query)

    def get_volume_attachment(self, server: str | Server, volume: Any) -> VolumeAttachment:
        """The attachment of ``volume`` (an id or a volume) to ``server``."""
        return self._get(VolumeAttachment, volume, server_id=server)

    def create_volume_attachment(self, server: str | Server, volume: Any = None,
                                 **attrs: Any) -> VolumeAttachment:
        """Attach ``volume``; ``device``, ``tag``, ``delete_on_termination`` optional."""
        return self._create(VolumeAttachment, server_id=_id(server),
                            **_given(volume_id=_id(volume)), **attrs)

    def delete_volume_attachment(self, server: str | Server, volume: Any,
                                 ignore_missing: bool = True) -> None:
        """Detach ``volume`` from ``server``."""
        self._delete(VolumeAttachment, volume, ignore_missing=ignore_missing,
                     server_id=server)

    def server_actions(self, server: str | Server, **query: Any) -> ResourceList[ServerAction]:
        """The server's action log, newest first (``changes_since`` to narrow it)."""
        return self._list(ServerAction, server_id=server, **query)

    def get_server_action(self, server_action: str | ServerAction,
                          server: str | Server) -> ServerAction:
        """One action by request id, with its ``events``."""
        return self._get(ServerAction, server_action, server_id=server)

    # -- keypairs -------------------------------------------------------------------------
    def keypairs(self, **query: Any) -> ResourceList[Keypair]:
        """The caller's keypairs; an admin may pass ``user_id``."""
        return self._list(Keypair, **query)

    def get_keypair(self, keypair: str | Keypair) -> Keypair:
        return self._get(Keypair, keypair)

    def find_keypair(self, name_or_id: str, ignore_missing: bool = False) -> Keypair | None:
        return self._find(Keypair, name_or_id, ignore_missing=ignore_missing)

    def create_keypair(self, **attrs: Any) -> Keypair:
        """Import ``public_key`` under ``name``; without one Nova generates the pair and
        returns ``private_key`` this once."""
        return self._create(Keypair, **attrs)

    def delete_keypair(self, keypair: str | Keypair, ignore_missing: bool = True) -> None:
        self._delete(Keypair, keypair, ignore_missing=ignore_missing)

    # -- server groups --------------------------------------------------------------------
    def server_groups(self, all_projects: bool = False,
                      **query: Any) -> ResourceList[ServerGroup]:
        """List server groups; ``all_projects`` needs the admin role."""
        return self._list(ServerGroup, all_projects=all_projects or None, **query)

    def get_server_group(self, server_group: str | ServerGroup) -> ServerGroup:
        return self._get(ServerGroup, server_group)

    def find_server_group(self, name_or_id: str, ignore_missing: bool = False, *,
                          all_projects: bool = False) -> ServerGroup | None:
        return self._find(ServerGroup, name_or_id, ignore_missing=ignore_missing,
                          all_projects=all_projects or None)

    def create_server_group(self, **attrs: Any) -> ServerGroup:
        """Create a group: ``name``, ``policy`` (``anti-affinity``…), optional ``rules``."""
        return self._create(ServerGroup, **attrs)

    def delete_server_group(self, server_group: str | ServerGroup,
                            ignore_missing: bool = True) -> None:
        self._delete(ServerGroup, server_group, ignore_missing=ignore_missing)

    # -- hypervisors, services, availability zones ----------------------------------------
    def hypervisors(self, details: bool = True, **query: Any) -> ResourceList[Hypervisor]:
        """List hypervisors, with capacity and usage unless ``details=False``."""
        base = Hypervisor.base_path + ("/detail" if details else "")
        return self._list(Hypervisor, base_path=base, **query)

    def get_hypervisor(self, hypervisor: str | Hypervisor) -> Hypervisor:
        return self._get(Hypervisor, hypervisor)

    def find_hypervisor(self, name_or_id: str, ignore_missing: bool = False, *,
                        details: bool = True) -> Hypervisor | None:
        """By id, then by exact hypervisor hostname."""
        return self._find(Hypervisor, name_or_id, ignore_missing=ignore_missing,
                          base_path=Hypervisor.base_path + ("/detail" if details else ""))

    def services(self, **query: Any) -> ResourceList[Service]:
        """List compute services; filter by ``binary`` and ``host``."""
        return self._list(Service, **query)

    def update_service(self, service: str | Service, **attrs: Any) -> Service:
        return self._update(Service, service, **attrs)

    def enable_service(self, service: str | Service) -> Service:
        return self._update(Service, service, status="enabled")

    def disable_service(self, service: str | Service,
                        disabled_reason: str | None = None) -> Service:
        """Stop scheduling to a nova-compute service; the reason is shown to operators."""
        return self._update(Service, service, status="disabled",
                            **_given(disabled_reason=disabled_reason))

    def update_service_forced_down(self, service: str | Service,
                                   forced: bool = True) -> Service:
        """Mark a fenced host's service down so its servers can be evacuated."""
        return self._update(Service, service, is_forced_down=forced)

    def delete_service(self, service: str | Service, ignore_missing: bool = True) -> None:
        self._delete(Service, service, ignore_missing=ignore_missing)

    def availability_zones(self, details: bool = False) -> ResourceList[AvailabilityZone]:
        """List zones; ``details`` (admin) adds each zone's hosts and their services."""
        base = AvailabilityZone.base_path + ("/detail" if details else "")
        return self._list(AvailabilityZone, base_path=base)

    # -- aggregates -----------------------------------------------------------------------
    def aggregates(self, **query: Any) -> ResourceList[Aggregate]:
        return self._list(Aggregate, **query)

    def get_aggregate(self, aggregate: str | Aggregate) -> Aggregate:
        return self._get(Aggregate, aggregate)

    def find_aggregate(self, name_or_id: str, ignore_missing: bool = False
                       ) -> Aggregate | None:
        return self._find(Aggregate, name_or_id, ignore_missing=ignore_missing)

    def create_aggregate(self, **attrs: Any) -> Aggregate:
        """Create an aggregate: ``name``, optionally ``availability_zone``."""
        return self._create(Aggregate, **attrs)

    def update_aggregate(self, aggregate: str | Aggregate, **attrs: Any) -> Aggregate:
        return self._update(Aggregate, aggregate, **attrs)

    def delete_aggregate(self, aggregate: str | Aggregate, ignore_missing: bool = True) -> None:
        self._delete(Aggregate, aggregate, ignore_missing=ignore_missing)

    def add_host_to_aggregate(self, aggregate: str | Aggregate, host: str) -> Aggregate:
        return self._resource(Aggregate, aggregate).add_host(self, host)

    def remove_host_from_aggregate(self, aggregate: str | Aggregate, host: str) -> Aggregate:
        return self._resource(Aggregate, aggregate).remove_host(self, host)

    def set_aggregate_metadata(self, aggregate: str | Aggregate,
                               metadata: dict[str, str | None]) -> Aggregate:
        """Merge ``metadata`` into the aggregate's; a None value removes that key."""
        return self._resource(Aggregate, aggregate).set_metadata(self, metadata)

    def aggregate_precache_images(self, aggregate: str | Aggregate,
                                  images: str | list[str]) -> None:
        """Have the aggregate's hosts pre-cache one image id or several (admin, 2.81)."""
        ids = [images] if isinstance(images, str) else list(images)
        self._resource(Aggregate, aggregate).precache_images(self, [{"id": i} for i in ids])

    # -- limits, quotas, usage ------------------------------------------------------------
    def get_limits(self, **query: Any) -> Limits:
        """The project's absolute limits and usage; an admin may pass ``project_id``."""
        return self._get(Limits, None, **query)

    def get_quota_set(self, project: Any, usage: bool = False, **query: Any) -> QuotaSet:
        """A project's quotas; with ``usage`` each is ``{limit, in_use, reserved}``."""
        return self._get(QuotaSet, None, project_id=project,
                         base_path=QuotaSet.base_path + "/detail" if usage else None, **query)

    def get_quota_set_defaults(self, project: Any) -> QuotaSet:
        """The default quotas (what a project without overrides gets)."""
        return self._get(QuotaSet, None, project_id=project,
                         base_path=QuotaSet.base_path + "/defaults")

    def update_quota_set(self, project: Any, **attrs: Any) -> QuotaSet:
        """Set quotas: ``cores=40, ram=102400``…; ``force=True`` to go below usage."""
        return self._update(QuotaSet, None, project_id=_id(project), **attrs)

    def revert_quota_set(self, project: Any) -> None:
        """Drop the project's overrides, back to the defaults."""
        self._delete(QuotaSet, None, ignore_missing=False, project_id=project)

    def get_quota_class_set(self, quota_class_set: Any = "default") -> QuotaClassSet:
        """A quota class (admin); ``default`` holds every project's defaults."""
        return self._get(QuotaClassSet, quota_class_set)

    def update_quota_class_set(self, quota_class_set: Any, **attrs: Any) -> QuotaClassSet:
        """Set a quota class's limits (admin): ``update_quota_class_set("default",
        instances=40)`` raises the default of every project without its own."""
        return self._update(QuotaClassSet, quota_class_set, **attrs)

    def usages(self, start: datetime | None = None, end: datetime | None = None,
               detailed: bool = False, **query: Any) -> ResourceList[Usage]:
        """Every project's usage between ``start`` and ``end`` (admin); ``detailed``
        adds each server's share."""
        return self._list(Usage, start=_usage_time(start), end=_usage_time(end),
                          detailed=detailed or None, **query)

    def get_usage(self, project: Any, start: datetime | None = None,
                  end: datetime | None = None, **query: Any) -> Usage:
        """One project's usage between ``start`` and ``end``, with its servers."""
        return self._get(Usage, project, start=_usage_time(start), end=_usage_time(end),
                         **query)

    # -- migrations -----------------------------------------------------------------------
    def migrations(self, **query: Any) -> ResourceList[Migration]:
        """Every migration (admin); filter by ``status``, ``server_id``, ``host``…"""
        return self._list(Migration, **query)


CONSOLE_PROTOCOLS = {"novnc": "vnc", "xvpvnc": "vnc", "spice-html5": "spice",
                     "spice-direct": "spice", "rdp-html5": "rdp", "serial": "serial",
                     "webmks": "mks"}
"""The remote console protocol of each console type."""


def _group_name(group: Any) -> str:
    """What Nova's security group actions take: a group's name, else its id."""
    if isinstance(group, Resource):
        return str(getattr(group, "name", None) or group.id)
    return str(group)


def _id(value: Any) -> Any:
    return value.id if isinstance(value, Resource) else value


def _given(**values: Any) -> dict[str, Any]:
    """The arguments that were given: None means "not given", not "set to null"."""
    return {k: v for k, v in values.items() if v is not None}


def _usage_time(when: datetime | None) -> str | None:
    """Nova's usage API reads naive UTC times only (an offset is a 400)."""
    if when is None:
        return None
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc).replace(tzinfo=None)
    return when.isoformat()
