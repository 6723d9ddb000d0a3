"""python-openstackclient's server moves against the demo cloud: ``server resize
--wait``, ``resize confirm``/``revert``, ``migrate --wait``, ``shelve``/``unshelve``,
``rebuild``, ``image create`` and ``migration list``, as an operator types them."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from osnb import democloud

from .test_compute import boot, call, flavor_id, image_id, wait_status

__all__ = ["flavor_id", "image_id"]  # fixtures, re-exported for this module's tests


def _osc(*args: str, as_json: bool = True) -> Any:
    exe = str(Path(sys.executable).parent / "openstack")
    out = subprocess.run([exe, "--os-cloud", "demo", *args, *(["-f", "json"] if as_json
                                                               else [])],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout) if as_json else out.stdout


@pytest.fixture
def server(cloud: democloud.DemoCloud, admin_token: str, flavor_id: str,
           image_id: str | None, os_config: Path) -> Iterator[dict[str, Any]]:
    sid = boot(cloud, admin_token, flavor_id, image_id, f"cli-{uuid.uuid4().hex[:6]}")
    yield wait_status(cloud, admin_token, sid, "ACTIVE")
    call(cloud, admin_token, "DELETE", f"/servers/{sid}")


def _show(cloud: democloud.DemoCloud, token: str, sid: str) -> dict[str, Any]:
    shown: dict[str, Any] = call(cloud, token, "GET", f"/servers/{sid}",
                                 "2.100").json()["server"]
    return shown


def test_cli_resize_confirm_revert(cloud: democloud.DemoCloud, admin_token: str,
                                   server: dict[str, Any]) -> None:
    sid, source = server["id"], server["OS-EXT-SRV-ATTR:host"]
    _osc("server", "resize", "--flavor", "m1.small", "--wait", sid, as_json=False)
    resized = _show(cloud, admin_token, sid)
    assert resized["status"] == "VERIFY_RESIZE"
    assert resized["flavor"]["original_name"] == "m1.small"
    _osc("server", "resize", "revert", sid, as_json=False)
    back = wait_status(cloud, admin_token, sid, "ACTIVE")
    assert back["OS-EXT-SRV-ATTR:host"] == source
    assert back["flavor"]["original_name"] == "m1.tiny"
    _osc("server", "resize", "--flavor", "m1.small", "--wait", sid, as_json=False)
    _osc("server", "resize", "confirm", sid, as_json=False)
    assert wait_status(cloud, admin_token, sid, "ACTIVE")["flavor"]["original_name"] == \
        "m1.small"


def test_cli_migrate_and_migration_list(cloud: democloud.DemoCloud, admin_token: str,
                                        server: dict[str, Any]) -> None:
    sid, source = server["id"], server["OS-EXT-SRV-ATTR:host"]
    _osc("server", "migrate", "--wait", sid, as_json=False)
    moved = _show(cloud, admin_token, sid)
    assert moved["status"] == "VERIFY_RESIZE" and moved["OS-EXT-SRV-ATTR:host"] != source
    _osc("server", "resize", "confirm", sid, as_json=False)
    rows = _osc("server", "migration", "list", "--server", sid)
    assert rows and rows[0]["Source Compute"] == source
    assert rows[0]["Status"] == "confirmed" and rows[0]["Type"] == "migration"


def test_cli_shelve_unshelve_rebuild(cloud: democloud.DemoCloud, admin_token: str,
                                     server: dict[str, Any], image_id: str | None) -> None:
    sid = server["id"]
    _osc("server", "shelve", sid, as_json=False)
    assert wait_status(cloud, admin_token, sid, "SHELVED_OFFLOADED")[
        "OS-EXT-SRV-ATTR:host"] is None
    _osc("server", "unshelve", sid, as_json=False)
    assert wait_status(cloud, admin_token, sid, "ACTIVE")["OS-EXT-SRV-ATTR:host"]
    if image_id is None:
        return
    out = _osc("server", "rebuild", "--image", image_id, "--wait", sid, "-f", "json",
               as_json=False)
    rebuilt = json.loads(out[out.index("{"):])  # after --wait's "Complete"
    assert rebuilt["id"] == sid and rebuilt["image"].endswith(f"({image_id})")
    assert _show(cloud, admin_token, sid)["status"] == "ACTIVE"
    assert "rebuild" in {a["action"] for a in call(
        cloud, admin_token, "GET", f"/servers/{sid}/os-instance-actions").json()[
        "instanceActions"]}


def test_cli_server_image_create(server: dict[str, Any]) -> None:
    made = _osc("server", "image", "create", "--name", "cli-snap", server["id"])
    assert made["name"] == "cli-snap"
