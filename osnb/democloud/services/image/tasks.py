"""Glance's tasks: the legacy ``/v2/tasks`` import and the interoperable import's
``api_image_import`` tasks an image lists (``/v2/images/{id}/tasks``).

A task walks ``pending`` -> ``processing`` -> ``success`` (or ``failure``), lazily, on the
requests that read images or tasks (:func:`settle`): the first read after it was made
sees it processing, a read after the world's build time sees it done and its image
``active`` with the data the task brought. The tasks API is an administrator's
(Glance's ``tasks_api_access`` is ``role:admin``); an image's tasks are its viewers'.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...engine import Collection, Ctx, Field
from ...http import ApiError
from ...store import Record, Store, isotime, now, uuid_text
from . import payload
from .formats import GLANCE, GlanceDialect, admin_only

__all__ = ["TASKS", "fetched", "new_task", "seed_tasks", "settle", "task_view"]

TYPES = ("import",)
STATUSES = ("pending", "processing", "success", "failure")
_LIST_HIDES = ("input", "result", "message")
"""Keys a task shows by id but not in a list (Glance's list view)."""
TTL = _dt.timedelta(hours=48)
"""How long a finished task is kept (Glance's ``task_time_to_live``)."""


@dataclass(frozen=True)
class TaskDialect(GlanceDialect):
    """Glance's words for tasks."""

    def not_found(self, singular: str, ident: str) -> ApiError:
        return ApiError(404, f"Task with the given ID {ident} could not be found")

    def bad_sort_key(self, name: str) -> ApiError:
        return self.bad(f"Invalid sort key: {name}. It must be one of the following: "
                        "created_at, expires_at, status, type, updated_at.")

    def invalid(self, name: str, value: Any, reason: str, **facts: Any) -> ApiError:
        if reason == "required":
            return self.bad(f"Provided object does not match schema 'task': "
                            f"'{name}' is a required property")
        if reason == "choices":
            return self.bad(f"Invalid type value: {value}")
        return self.bad(f"Provided object does not match schema 'task': {name}: {reason}")


TASK_GLANCE = TaskDialect()


def fetched(uri: str, disk_format: str | None) -> bytes:
    """What a download of ``uri`` brings in the demo cloud, which has no way out: 1 MiB
    derived from the URI, a qcow2 of 1 GiB when the image is declared qcow2."""
    seed = hashlib.sha256(uri.encode()).digest()
    body = (seed * (1024 * 1024 // len(seed)))
    if disk_format != "qcow2":
        return body
    header = bytearray(512)
    header[0:8] = b"QFI\xfb\x00\x00\x00\x03"
    header[20:24] = (16).to_bytes(4, "big")
    header[24:32] = (2**30).to_bytes(8, "big")
    header[100:104] = (104).to_bytes(4, "big")
    return bytes(header) + body[512:]


def new_task(store: Store, *, owner: str | None, kind: str, input: Any,
             image_id: str | None, user_id: str | None, work: Mapping[str, Any]) -> Record:
    """A ``pending`` task that :func:`settle` carries out: ``work`` says what (``data``
    to keep as ``image_id``'s bytes, in ``stores``)."""
    stamp = GLANCE.stamp()
    tid = GLANCE.new_id()
    task: Record = {"id": tid, "type": kind, "status": "pending", "input": input,
                    "result": None, "owner": owner, "message": "", "expires_at": None,
                    "created_at": stamp, "updated_at": stamp, "self": f"/v2/tasks/{tid}",
                    "schema": "/v2/schemas/task", "_image_id": image_id,
                    "_user_id": user_id, "_request_id": "req-" + GLANCE.new_id(),
                    "_due": time.monotonic() + store.config.build_seconds, "_work": dict(work)}
    store.table("tasks")[tid] = task
    return task


def _finish(store: Store, task: Record) -> None:
    work, images = task.pop("_work", {}), store.table("images")
    image = images.get(task.get("_image_id") or "")
    if image is None:
        task["status"], task["message"] = "failure", "Image was deleted during import."
    else:
        if "data" in work:
            payload.keep(store, image, work["data"], work.get("stores"))
        else:  # copy-image: the data reaches more stores
            have = [s for s in (image.get("stores") or "").split(",") if s]
            image["stores"] = ",".join(dict.fromkeys(have + list(work.get("stores", ()))))
            image["status"], image["updated_at"] = "active", GLANCE.stamp()
        task["status"] = "success"
        task["result"] = {"image_id": image["id"]} if task["type"] == "import" else None
    stamp = now()
    task["updated_at"] = isotime(stamp)
    task["expires_at"] = isotime(stamp + TTL)


def settle(store: Store) -> None:
    """Carry the tasks whose time has come one step on (see the module), and finish the
    snapshots Nova asked for (``saving`` -> ``active``)."""
    tasks = store.table("tasks")
    if not store.meta.get("_glance_busy"):
        return
    clock, busy = time.monotonic(), False
    for task in tasks.values():
        if task["status"] == "pending":
            task["status"], task["updated_at"], busy = "processing", GLANCE.stamp(), True
        elif task["status"] == "processing" and "_due" in task:
            if task["_due"] <= clock:
                del task["_due"]
                _finish(store, task)
            else:
                busy = True
    for image in store.table("images").values():
        if image["status"] == "saving" and "_due" in image:
            if image["_due"] <= clock:
                del image["_due"]
                size = image.pop("_snapshot_size")
                seed = f"{image['id']}:{size}".encode()
                image.update(size=size, virtual_size=size, status="active",
                             checksum=hashlib.md5(seed, usedforsecurity=False).hexdigest(),
                             os_hash_algo="sha512", os_hash_value=hashlib.sha512(seed)
                             .hexdigest(), stores=payload.DEFAULT_STORE,
                             updated_at=GLANCE.stamp())
            else:
                busy = True
    store.meta["_glance_busy"] = busy


def task_view(task: Record) -> Record:
    """A task as ``/v2/images/{id}/tasks`` shows it: Glance's database row
    (``request_id`` and ``user_id``, where the api-ref's sample writes ``request-id`` and
    ``user``)."""
    return {"id": task["id"], "image_id": task.get("_image_id"),
            "request_id": task.get("_request_id"), "user_id": task.get("_user_id"),
            "type": task["type"], "status": task["status"], "owner": task["owner"],
            "expires_at": task["expires_at"], "created_at": task["created_at"],
            "updated_at": task["updated_at"], "deleted_at": None, "deleted": False,
            "input": task["input"], "result": task["result"], "message": task["message"]}


class Tasks(Collection):
    """``/v2/tasks``: an administrator's; a legacy ``import`` task makes the image from
    ``image_properties`` and fetches ``import_from`` into it."""

    def context(self, request: Request) -> Ctx:
        ctx = Ctx.of(request)
        admin_only(ctx, "tasks_api_access")
        settle(ctx.store)
        return ctx

    def shape(self, ctx: Ctx, record: Record) -> Record:
        if "id" in ctx.request.path_params or ctx.request.method == "POST":
            return record
        return {k: v for k, v in record.items() if k not in _LIST_HIDES}

    async def create(self, request: Request) -> Response:
        ctx = self.context(request)
        body = await self.body(request)
        kind = body.get("type")
        if kind not in TYPES:
            raise TASK_GLANCE.bad(f"Invalid type value: {kind}")
        given = body.get("input")
        if not isinstance(given, dict):
            raise TASK_GLANCE.bad("Invalid input: the task needs an 'input' object.")
        for key in ("import_from", "import_from_format", "image_properties"):
            if key not in given:
                raise TASK_GLANCE.bad(f"Input does not contain '{key}' field")
        props = given["image_properties"]
        if not isinstance(props, dict):
            raise TASK_GLANCE.bad("Invalid input: 'image_properties' must be an object.")
        from .images import IMAGES  # the image collection declares its own checks
        image = IMAGES.new_record(ctx, IMAGES.vet(ctx, props, create=True))
        IMAGES.finish_new(image)
        ctx.store.table("images")[image["id"]] = image
        task = new_task(ctx.store, owner=ctx.token.project_id, kind=kind, input=given,
                        image_id=image["id"], user_id=ctx.token.user_id,
                        work={"data": fetched(str(given["import_from"]),
                                              image.get("disk_format"))})
        ctx.store.meta["_glance_busy"] = True
        return self.respond(ctx, self.render(ctx, task), 201)


TASKS = Tasks(
    "task", "tasks", TASK_GLANCE, project_key="owner",
    fields={"type": Field(choices=TYPES, filter="exact", sort=True),
            "status": Field(read_only=True, filter="exact", sort=True),
            "created_at": Field(read_only=True, sort=True),
            "updated_at": Field(read_only=True, sort=True),
            "expires_at": Field(read_only=True, sort=True)},
    allow_update=False, allow_delete=False)


def seed_tasks(store: Store) -> None:
    """A few finished legacy imports of the seeded images (their own random source: the
    world's ids stay as they were)."""
    rng = random.Random(f"{store.config.seed}:glance-tasks")
    images = [i for i in store.table("images").values() if i["visibility"] == "public"]
    for image in images[:3]:
        tid = uuid_text(rng.getrandbits(128))
        created = _dt.datetime.fromisoformat(image["created_at"].replace("Z", "+00:00"))
        done = created + _dt.timedelta(minutes=3)
        uri = f"https://images.example.org/{image['name']}.{image['disk_format']}"
        store.table("tasks")[tid] = {
            "id": tid, "type": "import", "status": "success",
            "input": {"import_from": uri, "import_from_format": image["disk_format"],
                      "image_properties": {"disk_format": image["disk_format"],
                                           "container_format": image["container_format"]}},
            "result": {"image_id": image["id"]}, "owner": image["owner"], "message": "",
            "expires_at": isotime(done + TTL), "created_at": isotime(created),
            "updated_at": isotime(done), "self": f"/v2/tasks/{tid}",
            "schema": "/v2/schemas/task", "_image_id": image["id"], "_user_id": None,
            "_request_id": "req-" + uuid_text(rng.getrandbits(128))}
