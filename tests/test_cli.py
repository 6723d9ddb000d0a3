"""``osnb demo-cloud`` as a user runs it: a process that serves until interrupted."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import yaml

import osnb


def test_demo_cloud_serves_and_writes_clouds_yaml(tmp_path: Path) -> None:
    path = tmp_path / "clouds.yaml"
    proc = subprocess.Popen([sys.executable, "-m", "osnb.cli", "demo-cloud", "--servers", "12",
                             "--projects", "3", "--write-clouds-yaml", str(path)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert first.startswith("osnb demo cloud serving at http://127.0.0.1:")
        assert "wrote" in proc.stdout.readline()
        clouds = yaml.safe_load(path.read_text())
        assert set(clouds["clouds"]) == {"demo", "demo-member"}
        assert path.stat().st_mode & 0o077 == 0  # credentials: owner-only
        conn = osnb.connect("demo", config=clouds)
        assert len(conn.compute.servers(all_projects=True)) == 12
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0 and "stopping" in out
