"""Glance (Image v2) mounted at ``/image``: images, members, tags and JSON-patch in
:mod:`.images`, the version documents and JSON schemas in :mod:`.schemas`.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from . import images, schemas
from .formats import PREFIX
from .images import seed

__all__ = ["CATALOG", "PREFIX", "STYLE", "routes", "seed"]

STYLE = "glance"
CATALOG = [("image", "glance", "/image")]


def routes() -> list[BaseRoute]:
    return [
        Route("/", schemas.versions_root, methods=["GET"]),
        Route("/versions", schemas.versions, methods=["GET"]),
        Route("/v2/images", images.list_images, methods=["GET"]),
        Route("/v2/images", images.create_image, methods=["POST"]),
        Route("/v2/images/{image_id}", images.show_image, methods=["GET"]),
        Route("/v2/images/{image_id}", images.update_image, methods=["PATCH"]),
        Route("/v2/images/{image_id}", images.delete_image, methods=["DELETE"]),
        Route("/v2/images/{image_id}/actions/{action}", images.image_action, methods=["POST"]),
        Route("/v2/images/{image_id}/file", images.upload, methods=["PUT"]),
        Route("/v2/images/{image_id}/tags/{tag}", images.tag, methods=["PUT", "DELETE"]),
        Route("/v2/images/{image_id}/members", images.list_members, methods=["GET"]),
        Route("/v2/schemas/image", schemas.image_schema, methods=["GET"]),
        Route("/v2/schemas/images", schemas.images_schema, methods=["GET"]),
    ]
