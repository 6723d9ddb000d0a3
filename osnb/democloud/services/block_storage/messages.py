"""User messages (``/messages``, microversion 3.3): why an asynchronous operation failed.

Cinder writes one when work behind a 202 fails; a user reads its project's (an admin
every project's with ``all_tenants``) and may delete them; they are kept 30 days
(``guaranteed_until``). The demo world has one for each seeded volume in ``error``: the
scheduler found no backend for it, at the volume's last update.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from dataclasses import dataclass

from ...engine import Ctx, Field
from ...store import Record, Store
from ._dialect import Cinder, cinder_time, links

__all__ = ["MESSAGES", "TABLE", "new_message"]

TABLE = "volume_messages"
SINCE = (3, 3)
TTL = _dt.timedelta(days=30)
NO_BACKEND = ("VOLUME_VOLUME_001_002",
              "schedule allocate volume: Could not find any available weighted backend.")


def new_message(store: Store, *, project: str, resource_uuid: str, event: tuple[str, str],
                at: _dt.datetime, resource_type: str = "VOLUME") -> Record:
    """A message about ``resource_uuid``, stored (its id derived from the resource's)."""
    mid = str(uuid.uuid5(uuid.NAMESPACE_URL, f"cinder-message:{resource_uuid}:{event[0]}"))
    rec: Record = {
        "id": mid, "event_id": event[0], "user_message": event[1],
        "message_level": "ERROR", "resource_type": resource_type,
        "resource_uuid": resource_uuid, "request_id": f"req-{uuid.uuid5(uuid.NAMESPACE_URL, mid)}",
        "created_at": cinder_time(at), "guaranteed_until": cinder_time(at + TTL),
        "_project_id": project}
    store.table(TABLE)[mid] = rec
    return rec


def seed_for_errors(store: Store) -> None:
    """A scheduling failure for each volume in ``error``, dated a few days back from a
    hash of its id (the volume's ``updated_at`` is set to match)."""
    now = _dt.datetime.now(_dt.timezone.utc)
    for vol in store.table("volumes").values():
        if vol["status"] != "error":
            continue
        at = now - _dt.timedelta(hours=int(vol["id"][:4], 16) % (20 * 24))
        vol["updated_at"] = cinder_time(at)
        new_message(store, project=vol["os-vol-tenant-attr:tenant_id"],
                    resource_uuid=vol["id"], event=NO_BACKEND, at=at)


@dataclass(eq=False)
class Messages(Cinder):
    """Read and deleted, never written through the API."""

    def shape(self, ctx: Ctx, record: Record) -> Record:
        record["links"] = links(ctx.request, f"{ctx.token.project_id}/messages/{record['id']}")
        return record


_TEXT = Field(read_only=True, filter="exact")
MESSAGES = Messages(
    "message", "messages", table=TABLE, project_key="_project_id", timestamps=None,
    allow_create=False, allow_update=False, delete_status=204, since=SINCE,
    rules={"list": "message:get_all", "show": "message:get", "delete": "message:delete"},
    fields={"event_id": _TEXT, "message_level": _TEXT, "resource_type": _TEXT,
            "resource_uuid": _TEXT, "request_id": _TEXT,
            "user_message": Field(read_only=True), "created_at": Field(read_only=True),
            "guaranteed_until": Field(read_only=True)})
