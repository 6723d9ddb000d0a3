"""Cinder (Block Storage v3) mounted at ``/volume``: volumes in :mod:`.volumes`,
snapshots, backups, types and volume actions in :mod:`.extra`, quotas, pools, services and
the version documents in :mod:`.admin`.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from ... import world
from ...store import Store
from . import admin, extra, volumes
from .volumes import PREFIX, seed

__all__ = ["CATALOG", "PREFIX", "STYLE", "routes", "seed", "wire"]

STYLE = "nova"
CATALOG = [("block-storage", "cinder", "/volume/v3/{project_id}"),
           ("volumev3", "cinderv3", "/volume/v3/{project_id}")]


def wire(store: Store) -> None:
    """What Cinder serves the others (see :mod:`...world` for the topics)."""
    store.subscribe(world.VOLUME_ATTACH, volumes.attach)
    store.subscribe(world.VOLUME_DETACH, volumes.detach)
    store.subscribe(world.VOLUMES_ATTACHED, volumes.attached_volumes)
    store.subscribe(world.SERVER_DELETED, volumes.detach_all)


def routes() -> list[BaseRoute]:
    return [
        Route("/", admin.versions, methods=["GET"]),
        *volumes.both("/volumes", volumes.volumes_index, ["GET"]),
        *volumes.both("/volumes", volumes.volume_create, ["POST"]),
        *volumes.both("/volumes/detail", volumes.volumes_detail, ["GET"]),
        *volumes.both("/volumes/{volume_id}", volumes.volume_show, ["GET"]),
        *volumes.both("/volumes/{volume_id}", volumes.volume_update, ["PUT"]),
        *volumes.both("/volumes/{volume_id}", volumes.volume_delete, ["DELETE"]),
        *volumes.both("/volumes/{volume_id}/action", extra.volume_action, ["POST"]),
        *extra.routes(),
        *admin.routes(),
        Route("/v3", admin.version_v3, methods=["GET"]),
        Route("/v3/", admin.version_v3, methods=["GET"]),
        Route("/v3/{project_id}", admin.version_v3, methods=["GET"]),
        Route("/v3/{project_id}/", admin.version_v3, methods=["GET"]),
    ]
