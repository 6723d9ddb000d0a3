"""Glance (Image v2) mounted at ``/image``: images, members, tags and JSON-patch in
:mod:`.images`, the version documents and JSON schemas in :mod:`.schemas`, the fields and
dialect they share in :mod:`.formats`.
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
    one = "/v2/images/{id}"
    return [
        Route("/", schemas.versions_root, methods=["GET"]),
        Route("/versions", schemas.versions, methods=["GET"]),
        *images.IMAGES.routes("/v2"),
        Route(one + "/actions/{action}", images.image_action, methods=["POST"]),
        Route(one + "/file", images.upload, methods=["PUT"]),
        Route(one + "/tags/{tag}", images.tag, methods=["PUT", "DELETE"]),
        Route(one + "/members", images.list_members, methods=["GET"]),
        Route("/v2/schemas/image", schemas.image_schema, methods=["GET"]),
        Route("/v2/schemas/images", schemas.images_schema, methods=["GET"]),
    ]
