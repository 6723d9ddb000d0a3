"""Traits: qualitative facts about providers (``/traits``, a list of names)."""

from __future__ import annotations

from typing import Any

from ... import exceptions as exc
from ...resource import Query, Records, Resource, prop

__all__ = ["Trait"]


class Trait(Resource):
    """A trait (``HW_CPU_X86_AVX2``, ``CUSTOM_RAID``); ``id`` is its name.

    Custom traits (``CUSTOM_…``) are made with a PUT of the name; standard ones cannot be
    deleted, nor a trait a provider carries. Listing filters: ``name`` (``in:A,B`` or
    ``startswith:CUSTOM_``) and ``associated`` (carried by some provider, or by none).
    """

    # The list is ``{"traits": [names]}``: not records under a key, so no resources_key;
    # _records takes it apart.
    base_path = "/traits"
    service = "placement"
    create_method = "PUT"
    allow_create = allow_retrieve = allow_delete = allow_list = True
    max_microversion = "1.6"
    query = Query("name", "associated")

    name: str | None = prop("name", alternate_id=True)

    @classmethod
    def _records(cls, body: Any, response: Any) -> Records:
        """Placement lists traits as bare names: one record per name."""
        names = body.get("traits") if isinstance(body, dict) else None
        if not isinstance(names, list):
            raise exc.InvalidResponse(f"Trait list: the response from {response.url} has "
                                      "no 'traits' list")
        return [{"name": name} for name in names]
