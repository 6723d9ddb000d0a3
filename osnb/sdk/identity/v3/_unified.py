"""What registered limits and limits share: Keystone creates them in batches."""

from __future__ import annotations

from typing import Any, TypeVar

from keystoneauth1.adapter import Adapter

from ...resource import Resource

__all__ = ["BatchCreated"]

R = TypeVar("R", bound="BatchCreated")


class BatchCreated(Resource):
    """A resource Keystone creates in a list (``{"limits": [{...}]}``) and answers with a
    list: one object per call here, as openstacksdk does."""

    def create(self: R, session: Adapter, *, base_path: str | None = None) -> R:
        self._require("allow_create", "create")
        body = {self.resources_key: [dict(self._changes)]}
        response = session.post(self._path(self._uri_values(), base_path), json=body)
        made: Any = response.json()
        self._headers, self._proxy = response.headers, session
        self._body = {**self._body, **self._changes, **made[self.resources_key][0]}
        self._changes = {}
        return self
