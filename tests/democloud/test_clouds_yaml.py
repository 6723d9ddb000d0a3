"""``write_clouds_yaml`` and ``osnb demo-cloud --write-clouds-yaml`` (issue #13, item 5):
the file holds both passwords, so it is owner-only from its first byte, written in place
of (never through) whatever was at the path, and a planted symbolic link is refused."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from osnb import democloud


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: whatever mode the file gets, it asked for."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _passwords(cloud: democloud.DemoCloud) -> list[str]:
    meta = cloud.store.meta
    return [meta["admin_password"], meta["member_password"]]


def test_new_file_is_owner_only_and_nothing_is_left_beside_it(
        cloud: democloud.DemoCloud, tmp_path: Path, open_umask: None) -> None:
    target = tmp_path / "conf" / "clouds.yaml"
    assert cloud.write_clouds_yaml(target) == target
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert yaml.safe_load(target.read_text()) == cloud.clouds
    assert sorted(p.name for p in target.parent.iterdir()) == ["clouds.yaml"]


def test_a_reader_of_the_old_file_never_sees_the_passwords(
        cloud: democloud.DemoCloud, tmp_path: Path, open_umask: None) -> None:
    # Someone opened the world-readable file that was there before. Writing into that
    # file (then chmod-ing it) would hand them the passwords through their open handle.
    target = tmp_path / "clouds.yaml"
    target.write_text("clouds: {}\n")
    target.chmod(0o644)
    with open(target, encoding="utf-8") as spy:
        cloud.write_clouds_yaml(target)
        seen = spy.read()
    assert seen == "clouds: {}\n"
    assert all(p not in seen for p in _passwords(cloud))
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert all(p in target.read_text() for p in _passwords(cloud))


def test_a_planted_symlink_is_refused_and_not_followed(cloud: democloud.DemoCloud,
                                                       tmp_path: Path) -> None:
    elsewhere = tmp_path / "public" / "loot.txt"
    elsewhere.parent.mkdir()
    link = tmp_path / "clouds.yaml"
    link.symlink_to(elsewhere)
    with pytest.raises(FileExistsError, match="symbolic link"):
        cloud.write_clouds_yaml(link)
    assert not elsewhere.exists()
    assert link.is_symlink()
    elsewhere.write_text("x")  # a link to an existing file is refused just the same
    with pytest.raises(FileExistsError):
        cloud.write_clouds_yaml(link)
    assert elsewhere.read_text() == "x"


def test_a_directory_is_refused(cloud: democloud.DemoCloud, tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError, match="directory"):
        cloud.write_clouds_yaml(tmp_path)


def test_the_command_refuses_a_symlink_with_one_line(tmp_path: Path) -> None:
    elsewhere = tmp_path / "loot.txt"
    link = tmp_path / "clouds.yaml"
    link.symlink_to(elsewhere)
    proc = subprocess.run([sys.executable, "-m", "osnb.cli", "demo-cloud", "--servers", "4",
                           "--projects", "2", "--write-clouds-yaml", str(link)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith("osnb demo-cloud: cannot write clouds.yaml: refusing")
    assert "Traceback" not in proc.stderr
    assert not elsewhere.exists()
