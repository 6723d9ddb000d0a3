"""openstacksdk's ``TagMixin`` for Neutron: a taggable resource's ``/tags`` calls."""

from __future__ import annotations

from typing import Any

__all__ = ["TagMixin"]


class TagMixin:
    """``set_tags``, ``add_tag``, ``add_tags``, ``remove_tag``, ``remove_all_tags``, ``check_tag`` and
    ``fetch_tags`` on ``<item>/tags``; the object's ``tags`` follow what the cloud
    answers."""

    __slots__ = ()

    def _tags_url(self, tag: str | None = None) -> str:
        path: str = self._item_path()  # type: ignore[attr-defined]
        return f"{path}/tags" + (f"/{tag}" if tag is not None else "")

    def _keep_tags(self, tags: list[str]) -> None:
        self._body["tags"] = list(tags)  # type: ignore[attr-defined]

    def fetch_tags(self, session: Any) -> Any:
        """The tags as the cloud lists them now."""
        self._keep_tags(session.get(self._tags_url()).json()["tags"])
        return self

    def set_tags(self, session: Any, tags: list[str]) -> Any:
        """Replace every tag with ``tags``."""
        self._keep_tags(session.put(self._tags_url(), json={"tags": list(tags)}).json()[
            "tags"])
        return self

    def add_tag(self, session: Any, tag: str) -> Any:
        session.put(self._tags_url(tag))
        tags = list(self._body.get("tags") or [])  # type: ignore[attr-defined]
        self._keep_tags(tags + [tag] if tag not in tags else tags)
        return self

    def add_tags(self, session: Any, tags: list[str]) -> Any:
        """Add ``tags`` to the object's (``POST …/tags``: those it has stay once)."""
        session.post(self._tags_url(), json={"tags": list(tags)})
        have = list(self._body.get("tags") or [])  # type: ignore[attr-defined]
        self._keep_tags(have + [t for t in dict.fromkeys(tags) if t not in have])
        return self

    def remove_tag(self, session: Any, tag: str) -> Any:
        """Remove ``tag`` (NotFound when the object does not carry it)."""
        session.delete(self._tags_url(tag))
        self._keep_tags([t for t in self._body.get("tags") or []  # type: ignore[attr-defined]
                         if t != tag])
        return self

    def remove_all_tags(self, session: Any) -> Any:
        session.delete(self._tags_url())
        self._keep_tags([])
        return self

    def check_tag(self, session: Any, tag: str) -> Any:
        """The object if it carries ``tag``; NotFound otherwise."""
        session.get(self._tags_url(tag))
        return self
