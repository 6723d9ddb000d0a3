"""Policies: stored policy blobs (Keystone ``/v3/policies``, a deprecated API)."""

from __future__ import annotations

from typing import Any

from ...resource import Query, Resource, prop

__all__ = ["Policy"]


class Policy(Resource):
    """A policy blob and its MIME ``type``; admins only."""

    resource_key = "policy"
    resources_key = "policies"
    base_path = "/policies"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_method = "PATCH"
    query = Query("type")

    # A text to Keystone's schema; the api-ref samples show it as an object: read either.
    blob: Any = prop("blob")
    links: dict | None = prop("links")
    project_id: str | None = prop("project_id")
    type: str | None = prop("type")
    user_id: str | None = prop("user_id")
