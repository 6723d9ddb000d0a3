"""Providers' inventories as last read, each kept with the provider generation it was read
at: an inventory read again only when its provider's generation moved.

Placement bumps a provider's generation on every inventory write (``PUT``/``DELETE`` of
one class or of all, the reshaper: ``ResourceProvider.increment_generation`` in
``placement/objects/resource_provider.py``), so inventories read at generation ``g`` are
still the provider's while a listing shows it at ``g``. Allocation writes move it too:
then unchanged inventories are read again, a request spent, never a wrong answer.
Usages cannot be kept this way: deleting allocations leaves the generation as it was.

One case a generation cannot tell: a provider deleted and made again under the same uuid
(an Ironic node enrolled again) starts its generations over, and may reach the one kept.
``capacity()`` checks what it kept against what placement sums in the same call (the
summaries' capacity, the classes a provider's usages name) and reads again on a mismatch.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

__all__ = ["InventoryCache"]


class InventoryCache:
    """Provider uuid → (generation, inventories by resource class), thread-safe.

    One per placement proxy, so one per Connection (a proxy's ``with_options`` copies
    share it): what one Placement said, for whoever may list its providers. It never
    answers for a provider by itself: the caller names the generation a listing of its
    own just showed, so a token that may not list providers is never served from here.
    Hence it outlives a new token and a change of project scope: inventories belong to
    no project. :meth:`retain` bounds it by the providers of the latest listing.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[int, dict[str, Any]]] = {}

    def get(self, provider_id: Any, generation: Any) -> dict[str, Any] | None:
        """The inventories read at ``generation``, or None (unknown, or read at another)."""
        if not isinstance(generation, int):
            return None
        with self._lock:
            entry = self._entries.get(provider_id)
        return dict(entry[1]) if entry is not None and entry[0] == generation else None

    def put(self, provider_id: Any, generation: Any, inventories: dict[str, Any]) -> None:
        """Keep ``inventories`` as read at ``generation`` (the response's own
        ``resource_provider_generation``; for a provider with none, the one its listing
        showed before they were read: older, so at worst read once more)."""
        if not isinstance(provider_id, str) or not isinstance(generation, int):
            return
        with self._lock:
            self._entries[provider_id] = (generation, dict(inventories))

    def discard(self, provider_id: Any) -> None:
        with self._lock:
            self._entries.pop(provider_id, None)

    def retain(self, provider_ids: Iterable[Any]) -> None:
        """Forget the providers not in ``provider_ids`` (deleted since, or not listed)."""
        keep = set(provider_ids)
        with self._lock:
            for gone in [p for p in self._entries if p not in keep]:
                del self._entries[gone]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __repr__(self) -> str:
        return f"<InventoryCache providers={len(self)}>"
