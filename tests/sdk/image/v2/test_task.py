"""Glance tasks and an image's import tasks through conn.image, over real HTTP."""

from __future__ import annotations

import uuid

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.image.v2.task import ImageTasks, Task


def test_declaration() -> None:
    assert (Task.base_path, ImageTasks.base_path) == ("/tasks", "/images/%(image_id)s/tasks")
    assert Task._props["owner_id"].server_key == "owner"
    assert Task.query.mapping["sort_key"] == "sort_key"


def test_seeded_tasks_and_a_legacy_import(conn, member) -> None:
    seeded = conn.image.tasks(type="import")
    assert seeded and all(t.type == "import" for t in seeded)
    frame = seeded.to_pandas()
    assert {"type", "status"} <= set(frame.columns)
    with pytest.raises(exc.Forbidden):
        member.image.tasks()
    task = conn.image.create_task(type="import", input={
        "import_from": "https://example.org/sdk.qcow2", "import_from_format": "qcow2",
        "image_properties": {"name": f"sdk-task-{uuid.uuid4().hex[:6]}",
                             "disk_format": "qcow2", "container_format": "bare"}})
    assert task.status == "pending"
    done = conn.image.wait_for_task(task, interval=0.05, wait=20)
    assert done.status == "success" and done.expires_at is not None
    image_id = done.result["image_id"]
    try:
        assert conn.image.get_task(task.id).result == {"image_id": image_id}
        assert conn.image.get_image(image_id).status == "active"
    finally:
        conn.image.delete_image(image_id)


def test_image_tasks(member) -> None:
    image = member.image.create_image(f"sdk-tasks-{uuid.uuid4().hex[:6]}",
                                      disk_format="raw", container_format="bare",
                                      data=b"staged" * 100, use_import=True)
    try:
        tasks = member.image.image_tasks(image)
        assert len(tasks) == 1
        only = tasks[0]
        assert (only.type, only.status, only.image_id) == \
            ("api_image_import", "success", image.id)
        assert only.request_id and only.user_id
        assert only.input["import_req"]["method"]["name"] == "glance-direct"
    finally:
        member.image.delete_image(image)
