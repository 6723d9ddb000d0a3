"""Projects: the unit of ownership and quota (Keystone ``/v3/projects``)."""

from __future__ import annotations

from ...resource import Query, Resource, prop, uri

__all__ = ["Project", "UserProject"]


class Project(Resource):
    """A project (tenant); a project with ``is_domain`` is a domain seen as a project."""

    resource_key = "project"
    resources_key = "projects"
    base_path = "/projects"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_method = "PATCH"
    query = Query("domain_id", "is_domain", "name", "parent_id", "tags",
                  is_enabled="enabled", any_tags="tags-any", not_tags="not-tags",
                  not_any_tags="not-tags-any")

    description: str | None = prop("description")
    domain_id: str | None = prop("domain_id")
    is_domain: bool | None = prop("is_domain")
    is_enabled: bool | None = prop("enabled")
    parent_id: str | None = prop("parent_id")
    tags: list[str] | None = prop("tags")
    options: dict | None = prop("options")
    links: dict | None = prop("links")
    parents: list | None = prop("parents")  # ?parents_as_list
    subtree: list | None = prop("subtree")  # ?subtree_as_list


class UserProject(Project):
    """A project a user holds a role on (``/v3/users/{user_id}/projects``)."""

    base_path = "/users/%(user_id)s/projects"
    allow_create = allow_retrieve = allow_update = allow_delete = False
    allow_list = True

    user_id: str | None = uri("user_id")
