"""What Neutron's service plugins (metering, logging, FWaaS, VPNaaS, BGP, BGPVPN, SFC,
TaaS) share on the collection engine: records with only the keys their api-ref shows,
the owner's project kept privately where the record does not show it, and seeded ids
derived from names (no draw from the world's random generator)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ...engine import MISSING, Ctx, Field, default_of
from ...http import ApiError
from ...store import Record, Store
from . import model
from ._common import ONCE, NeutronCollection, bad

__all__ = ["FALSE", "NAME", "OWNER", "TRUE", "PluginCollection", "missing", "port_range",
           "seed_id"]

OWNER = {"tenant_id": ONCE, "project_id": ONCE}
"""The owner's keys, for a resource that shows both."""
_NAMESPACE = uuid.UUID("6b2f4d1e-8c3a-4f5b-9e7d-1a2b3c4d5e6f")


def seed_id(store: Store, text: str) -> str:
    """A seeded record's id, derived from the admin project and ``text``."""
    return str(uuid.uuid5(_NAMESPACE, f"{model.admin_project_id(store)}:{text}"))


def missing(type_: str, text: str) -> ApiError:
    """Neutron's 404 ``type_`` (a referenced object that does not exist)."""
    return ApiError(404, text, type=type_)


@dataclass(eq=False)
class PluginCollection(NeutronCollection):
    """A service plugin's resource: the declared fields (with their defaults), the owner
    under ``owner_keys``, and :meth:`check` for what a create must satisfy beyond the
    fields. No standard attributes unless declared."""

    tags: bool = False
    owner_keys: tuple[str, ...] = ("tenant_id", "project_id")
    project_key: str | None = "_project_id"

    private: ClassVar[bool] = True
    stamped: ClassVar[bool] = False
    stamped_on_create: ClassVar[bool] = False
    """Whether records carry ``created_at``, ``updated_at`` and ``revision_number``."""

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        record = self.filled(self.dialect.new_id(), project_id, attrs)
        self.check(ctx, record, create=True)
        return record

    def filled(self, ident: str, project_id: str, attrs: Mapping[str, Any]) -> Record:
        """A record ``ident`` of ``project_id``: ``attrs``, the declared fields' defaults
        for what they leave out, the owner under :attr:`owner_keys` and privately."""
        record: Record = {"id": ident}
        for key in self.owner_keys:
            record[key] = project_id
        for name, f in self.fields.items():
            if name in attrs:
                record[name] = attrs[name]
            elif name not in record and (value := default_of(f)) is not MISSING:
                record[name] = value
        for name, value in attrs.items():
            record.setdefault(name, value)
        record["_project_id"] = project_id
        if self.stamped_on_create:
            ts = model.timestamp()
            record.update(created_at=ts, updated_at=ts, revision_number=0)
        return record

    def seeded(self, store: Store, project_id: str, key: str, **attrs: Any) -> Record:
        """A seeded record, stored: :meth:`filled`, its id derived from ``key``
        (:func:`seed_id`), so a world's seed draws nothing for it."""
        record = self.filled(seed_id(store, key), project_id, attrs)
        self.records(store)[record["id"]] = record
        return record

    def check(self, ctx: Ctx, record: Record, *, create: bool) -> None:
        """Refuse (raise) a record a create or an update would leave invalid."""

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        self.check(ctx, {**record, **changes}, create=False)



def port_range(name: str, value: Any) -> None:
    """A firewall rule's port or ``low:high`` range (400 otherwise)."""
    if value is None:
        return
    parts = str(value).split(":")
    try:
        nums = [int(p) for p in parts]
    except ValueError:
        nums = []
    if not 1 <= len(parts) <= 2 or len(nums) != len(parts) or \
            not all(0 <= n <= 65535 for n in nums):
        raise bad(f"Invalid input for {name}. Reason: Invalid port '{value}'.")
    if len(nums) == 2 and nums[0] > nums[1]:
        raise bad(f"Invalid input for {name}. Reason: Invalid port range '{value}': the "
                  "first port is greater than the last.")


NAME = Field(max_length=255, default="")
FALSE = Field(type="bool", lenient=True, default=False)
TRUE = Field(type="bool", lenient=True, default=True)

