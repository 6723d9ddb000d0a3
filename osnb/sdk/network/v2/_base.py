"""What every taggable Neutron resource shares: its tag filters."""

from __future__ import annotations

__all__ = ["TAG_QUERY"]

TAG_QUERY: dict[str, str] = {
    "tags": "tags",
    "any_tags": "tags-any",
    "not_tags": "not-tags",
    "not_any_tags": "not-tags-any",
}
"""PEP-8 name → Neutron filter for the tag extension (``tags=a,b`` means all of them)."""
