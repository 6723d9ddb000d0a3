"""Cinder (Block Storage v3) mounted at ``/volume``: how it speaks in :mod:`._dialect`,
its world (records, attachments, seed) in :mod:`.volumes`, volumes, snapshots, backups and
types declared in :mod:`.extra`, the attachments API in :mod:`.attachments`, transfers
in :mod:`.transfers`, backup restore, export and import in :mod:`.backup_actions`, the volume actions in :mod:`.actions` and :mod:`.lifecycle`,
manageable volumes and snapshots and the snapshot actions in :mod:`.manage`, volume metadata and the
summary in :mod:`.volume_metadata`, QoS specs and type access in :mod:`.qos`, type
encryption in :mod:`.encryption`, group types in :mod:`.group_types`, groups and
group snapshots in :mod:`.groups`, the legacy consistency groups in
:mod:`.consistency_groups`, projects' default types in
:mod:`.default_types`, user messages in :mod:`.messages`, quotas,
pools, services and the version documents in :mod:`.admin`, what operators do to services,
hosts, clusters and quota classes in :mod:`.operators`.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from ... import world
from ...store import Store
from . import (
    actions,
    admin,
    attachments,
    backup_actions,
    consistency_groups,
    default_types,
    encryption,
    extra,
    group_types,
    groups,
    manage,
    messages,
    operators,
    qos,
    quota_usage,
    transfers,
    volume_metadata,
    volumes,
)
from ._dialect import PREFIX

__all__ = ["CATALOG", "PREFIX", "STYLE", "routes", "seed", "wire"]

STYLE = "nova"
CATALOG = [("block-storage", "cinder", "/volume/v3/{project_id}"),
           ("volumev3", "cinderv3", "/volume/v3/{project_id}")]


def seed(store: Store) -> None:
    """Types, services and (deferred) volumes, then the QoS specs of the types."""
    group_types.seed(store)
    volumes.seed(store, then=groups.seed_group, also=groups.TABLES)
    qos.seed(store)
    encryption.seed(store)


def wire(store: Store) -> None:
    """What Cinder serves the others (see :mod:`...world` for the topics)."""
    store.subscribe(world.VOLUME_ATTACH, volumes.attach)
    store.subscribe(world.VOLUME_DETACH, volumes.detach)
    store.subscribe(world.VOLUMES_ATTACHED, volumes.attached_volumes)
    store.subscribe(world.SERVER_DELETED, volumes.detach_all)
    quota_usage.wire(store)


def routes() -> list[BaseRoute]:
    return [
        Route("/", admin.versions, methods=["GET"]),
        *volume_metadata.routes(),  # /volumes/summary before /volumes/{id}
        *actions.routes(),
        *attachments.routes(),
        *transfers.routes(),
        *encryption.routes(),
        *qos.routes(),  # /types/{id}/action and the access list before extra's /types
        *default_types.routes(),  # before /v3/{project_id}/
        *messages.MESSAGES.routes(),
        *group_types.routes(),
        *groups.routes(),
        *consistency_groups.routes(),
        *backup_actions.routes(),
        *manage.routes(),  # /backups/import_record before extra's /backups/{id}
        *extra.routes(),
        *admin.routes(),
        *operators.routes(),
        *(Route(path, admin.version_v3, methods=["GET"])
          for path in ("/v3", "/v3/", "/v3/{project_id}", "/v3/{project_id}/")),
    ]
