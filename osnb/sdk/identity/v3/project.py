"""Projects: the unit of ownership and quota (Keystone ``/v3/projects``)."""

from __future__ import annotations

from typing import Any

from ...exceptions import NotFound
from ...resource import Query, Resource, prop, uri

__all__ = ["EndpointGroupProject", "EndpointProject", "Project", "UserProject"]


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

    # -- tags (``/v3/projects/{id}/tags``), openstacksdk's TagMixin names ----------------
    def fetch_tags(self, session: Any) -> Project:
        """Read the tags afresh into ``tags``."""
        answer = session.get(f"{self._item_path()}/tags")
        self._body["tags"] = answer.json()["tags"]
        return self

    def set_tags(self, session: Any, tags: list[str]) -> Project:
        """Replace every tag (admin); at most 80, none with ``,`` or ``/``."""
        answer = session.put(f"{self._item_path()}/tags", json={"tags": list(tags)})
        self._body["tags"] = answer.json()["tags"]
        return self

    def remove_all_tags(self, session: Any) -> Project:
        session.delete(f"{self._item_path()}/tags")
        self._body["tags"] = []
        return self

    def check_tag(self, session: Any, tag: str) -> bool:
        """Whether the project has ``tag`` (Keystone answers 204 or 404)."""
        try:
            session.get(f"{self._item_path()}/tags/{tag}")
        except NotFound:
            return False
        return True

    def add_tag(self, session: Any, tag: str) -> Project:
        """Add one tag (admin; a tag it has already is a 400)."""
        session.put(f"{self._item_path()}/tags/{tag}")
        self._body["tags"] = [*(self._body.get("tags") or []), tag]
        return self

    def remove_tag(self, session: Any, tag: str) -> Project:
        session.delete(f"{self._item_path()}/tags/{tag}")
        self._body["tags"] = [t for t in self._body.get("tags") or [] if t != tag]
        return self


class UserProject(Project):
    """A project a user holds a role on (``/v3/users/{user_id}/projects``)."""

    base_path = "/users/%(user_id)s/projects"
    allow_create = allow_retrieve = allow_update = allow_delete = False
    allow_list = True

    user_id: str | None = uri("user_id")


class EndpointProject(Project):
    """A project an endpoint is associated with (``/v3/OS-EP-FILTER/endpoints/
    {endpoint_id}/projects``)."""

    base_path = "/OS-EP-FILTER/endpoints/%(endpoint_id)s/projects"
    allow_create = allow_retrieve = allow_update = allow_delete = False
    allow_list = True

    endpoint_id: str | None = uri("endpoint_id")


class EndpointGroupProject(Project):
    """A project an endpoint group is associated with."""

    base_path = "/OS-EP-FILTER/endpoint_groups/%(endpoint_group_id)s/projects"
    allow_create = allow_retrieve = allow_update = allow_delete = False
    allow_list = True

    endpoint_group_id: str | None = uri("endpoint_group_id")
