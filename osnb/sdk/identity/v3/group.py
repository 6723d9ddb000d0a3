"""Groups of users, and group membership (Keystone ``/v3/groups``)."""

from __future__ import annotations

from datetime import datetime

from ...resource import Query, Resource, prop, uri
from .user import User

__all__ = ["Group", "GroupUser", "UserGroup"]


class Group(Resource):
    """A group: role grants to it reach every member."""

    resource_key = "group"
    resources_key = "groups"
    base_path = "/groups"
    service = "identity"
    allow_create = allow_retrieve = allow_update = allow_delete = allow_list = True
    commit_method = "PATCH"
    query = Query("domain_id", "name")

    description: str | None = prop("description")
    domain_id: str | None = prop("domain_id")
    links: dict | None = prop("links")


class UserGroup(Group):
    """A group a user belongs to (``/v3/users/{user_id}/groups``)."""

    base_path = "/users/%(user_id)s/groups"
    allow_create = allow_retrieve = allow_update = allow_delete = False
    allow_list = True

    user_id: str | None = uri("user_id")
    membership_expires_at: datetime | None = prop("membership_expires_at")  # federated


class GroupUser(User):
    """A membership: a user in ``/v3/groups/{group_id}/users``; PUT adds, HEAD checks,
    DELETE removes."""

    base_path = "/groups/%(group_id)s/users"
    create_method = "PUT"
    allow_create = allow_head = allow_delete = allow_list = True
    allow_retrieve = allow_update = False
    query = Query("password_expires_at")

    group_id: str | None = uri("group_id")
