"""The ``<item>/metadata`` API that Cinder's volumes and snapshots share."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import quote

from ...resource import Resource

__all__ = ["_HasMetadata"]

R = TypeVar("R", bound="_HasMetadata")


class _HasMetadata(Resource):
    """A resource whose ``metadata`` has its own URL (``GET``/``POST``/``DELETE key``)."""

    def fetch_metadata(self: R, session: Any) -> R:
        """Read the metadata into ``metadata``."""
        response = session.get(f"{self._item_path()}/metadata",
                               **self._request_args(session))
        self._body["metadata"] = response.json()["metadata"]
        return self

    def set_metadata(self: R, session: Any, metadata: dict[str, str]) -> R:
        """Add or change ``metadata`` keys (the others stay); ``metadata`` is then all."""
        response = self._action(session, {"metadata": metadata}, path="metadata")
        self._body["metadata"] = response.json()["metadata"]
        return self

    def delete_metadata_item(self, session: Any, key: str) -> None:
        session.delete(f"{self._item_path()}/metadata/{quote(key, safe='')}",
                       **self._request_args(session))
        (self._body.get("metadata") or {}).pop(key, None)
