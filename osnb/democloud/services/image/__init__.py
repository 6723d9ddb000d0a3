"""Glance (Image v2) mounted at ``/image``: images, tags and JSON-patch in :mod:`.images`,
their data, staging and import in :mod:`.data` (bytes and hashes in :mod:`.payload`),
members in :mod:`.members`, tasks in :mod:`.tasks`, discovery and locations in
:mod:`.info`, the metadata definitions catalog in :mod:`.metadefs`, the version
documents and JSON schemas in :mod:`.schemas`, the fields and dialect they share in
:mod:`.formats`.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from ... import world
from ...store import Store
from . import data, images, info, members, metadef_writes, metadefs, schemas, tasks
from .formats import PREFIX

__all__ = ["CATALOG", "PREFIX", "STYLE", "routes", "seed", "wire"]

STYLE = "glance"
CATALOG = [("image", "glance", "/image")]


def seed(store: Store) -> None:
    """Images and members, then (from their own random source, so the world's ids stay)
    the newest image, tasks and the metadefs catalog."""
    images.seed(store)
    images.seed_latest(store)
    tasks.seed_tasks(store)
    metadefs.seed_metadefs(store)


def wire(store: Store) -> None:
    """What Glance serves the others (see :mod:`...world` for the topics)."""
    store.subscribe(world.IMAGE_SNAPSHOT, images.snapshot)
    store.subscribe(world.IMAGE_OF, images.image_of)
    store.subscribe(world.IMAGE_FROM_VOLUME, images.from_volume)


def routes() -> list[BaseRoute]:
    one, ns = "/v2/images/{id}", "/v2/metadefs/namespaces/{namespace}"
    return [
        Route("/", schemas.versions_root, methods=["GET"]),
        Route("/versions", schemas.versions, methods=["GET"]),
        *images.IMAGES.routes("/v2"),
        Route(one + "/actions/{action}", images.image_action, methods=["POST"]),
        Route(one + "/file", data.upload, methods=["PUT"]),
        Route(one + "/file", data.download, methods=["GET"]),
        Route(one + "/stage", data.stage, methods=["PUT"]),
        Route(one + "/import", data.import_image, methods=["POST"]),
        Route(one + "/tasks", data.image_tasks, methods=["GET"]),
        Route(one + "/locations", info.list_locations, methods=["GET"]),
        Route(one + "/locations", info.add_location, methods=["POST"]),
        Route(one + "/tags/{tag}", images.tag, methods=["PUT", "DELETE"]),
        Route(one + "/members", members.list_members, methods=["GET"]),
        Route(one + "/members", members.create_member, methods=["POST"]),
        Route(one + "/members/{member_id}", members.show_member, methods=["GET"]),
        Route(one + "/members/{member_id}", members.update_member, methods=["PUT"]),
        Route(one + "/members/{member_id}", members.delete_member, methods=["DELETE"]),
        *tasks.TASKS.routes("/v2"),
        Route("/v2/info/import", info.import_info, methods=["GET"]),
        Route("/v2/info/stores", info.stores, methods=["GET"]),
        Route("/v2/info/stores/detail", info.stores_detail, methods=["GET"]),
        Route("/v2/info/usage", info.usage, methods=["GET"]),
        Route("/v2/stores/{store_id}/{id}", info.delete_from_store, methods=["DELETE"]),
        Route("/v2/cache", data.cache_list, methods=["GET"]),
        Route("/v2/cache", data.cache_clear, methods=["DELETE"]),
        Route("/v2/cache/prune", data.cache_prune, methods=["POST"]),
        Route("/v2/cache/{id}", data.cache_image, methods=["PUT", "DELETE"]),
        Route("/v2/metadefs/namespaces", metadefs.list_namespaces, methods=["GET"]),
        Route("/v2/metadefs/namespaces", metadefs.create_namespace, methods=["POST"]),
        Route(ns, metadefs.show_namespace, methods=["GET"]),
        Route(ns, metadefs.delete_namespace, methods=["DELETE"]),
        Route(ns, metadef_writes.update_namespace, methods=["PUT"]),
        Route(ns + "/tags", metadef_writes.delete_tags, methods=["DELETE"]),
        Route(ns + "/{kind:str}", metadef_writes.create_child, methods=["POST"]),
        Route(ns + "/tags/{name:str}", metadef_writes.create_child, methods=["POST"]),
        Route(ns + "/{kind:str}/{name:str}", metadef_writes.update_child, methods=["PUT"]),
        Route(ns + "/{kind:str}/{name:str}", metadef_writes.delete_child,
              methods=["DELETE"]),
        Route(ns + "/resource_types", metadefs.list_associations, methods=["GET"]),
        Route(ns + "/{kind:str}", metadefs.list_children, methods=["GET"]),
        Route(ns + "/{kind:str}/{name:str}", metadefs.show_child, methods=["GET"]),
        Route("/v2/metadefs/resource_types", metadefs.list_resource_types, methods=["GET"]),
        Route("/v2/schemas/image", schemas.image_schema, methods=["GET"]),
        Route("/v2/schemas/images", schemas.images_schema, methods=["GET"]),
        Route("/v2/schemas/metadefs/{name}", schemas.schema, methods=["GET"]),
        Route("/v2/schemas/{name}", schemas.schema, methods=["GET"]),
    ]
