"""The magics in a real IPython InteractiveShell, against the demo cloud."""

from __future__ import annotations

import warnings

import pytest
from IPython.core.error import UsageError
from IPython.core.getipython import get_ipython
from IPython.testing.globalipapp import start_ipython
from IPython.utils.capture import capture_output

from osnb.notebook.registry import Registry


@pytest.fixture(scope="module")
def ip():
    shell = start_ipython() or get_ipython()  # one shell per process
    shell.display_formatter.formatters["text/html"].enabled = True  # as in Jupyter
    shell.run_line_magic("load_ext", "osnb")
    return shell


@pytest.fixture
def fresh(ip, os_config):
    """A clean registry for each test, clouds.yaml pointing at the test's demo cloud."""
    magics = ip.magics_manager.registry["OsnbMagics"]
    magics.registry = Registry()
    yield ip, magics
    with capture_output():
        ip.run_line_magic("os_disconnect", "")


def test_connect_binds_conn_and_shows_a_summary(fresh, cloud) -> None:
    ip, magics = fresh
    with capture_output() as out:
        ip.run_line_magic("os_connect", "demo")
    conn = ip.user_ns["conn"]
    assert conn.config.name == "demo"
    shown = out.outputs[0].data
    password = cloud.clouds["clouds"]["demo"]["auth"]["password"]
    for text in (shown["text/plain"], shown["text/html"]):
        assert "demo" in text and cloud.auth_url in text and "admin" in text
        assert "compute" in text and "/compute/v2.1" in text
        assert password not in text


def test_second_connect_is_cached_unless_refresh(fresh) -> None:
    ip, magics = fresh
    with capture_output():
        ip.run_line_magic("os_connect", "demo")
        first = ip.user_ns["conn"]
        ip.run_line_magic("os_connect", "demo")
        assert ip.user_ns["conn"] is first
        ip.run_line_magic("os_connect", "demo --refresh")
        assert ip.user_ns["conn"] is not first


def test_a_cloud_that_moved_is_connected_again(fresh, cloud, os_config, tmp_path,
                                                monkeypatch) -> None:
    """clouds.yaml edited after %os_connect (another auth URL: the cloud moved, or a
    typo was fixed): the cached connection is not reused; an unchanged one still is."""
    import yaml

    ip, magics = fresh
    with capture_output():
        ip.run_line_magic("os_connect", "demo")
        first = ip.user_ns["conn"]
        ip.run_line_magic("os_connect", "demo")
        assert ip.user_ns["conn"] is first
    moved = yaml.safe_load(os_config.read_text())
    moved["clouds"]["demo"]["auth"]["auth_url"] = "http://127.0.0.1:9/identity/v3"
    elsewhere = tmp_path / "clouds.yaml"
    elsewhere.write_text(yaml.safe_dump(moved))
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(elsewhere))
    with pytest.raises(UsageError, match="127.0.0.1:9"):  # connects anew, to where it is
        ip.run_line_magic("os_connect", "demo")
    assert ip.user_ns["conn"] is first  # the failed attempt rebinds nothing


def test_as_name_and_project_scope(fresh, cloud) -> None:
    ip, magics = fresh
    project = cloud.store.meta["member_project"]
    with capture_output():
        ip.run_line_magic("os_connect", f"demo-member --project {project} --as other")
    other = ip.user_ns["other"]
    assert other.current_project_id == cloud.store.meta["member_project_id"]
    assert "conn" not in ip.user_ns
    with pytest.raises(UsageError, match=f"no role on project '{project}'"):
        ip.run_line_magic("os_connect", f"demo --project {project}")


def test_unknown_cloud_is_one_line_listing_the_known(fresh) -> None:
    ip, _ = fresh
    with pytest.raises(UsageError, match="unknown cloud 'nope'; known clouds: demo, demo-member"):
        ip.run_line_magic("os_connect", "nope")


def test_wrong_password_hints_at_credentials(fresh, cloud, tmp_path, monkeypatch) -> None:
    ip, _ = fresh
    import copy

    import yaml
    bad = copy.deepcopy(cloud.clouds)
    bad["clouds"]["demo"]["auth"]["password"] = "wrong-password"
    path = tmp_path / "clouds.yaml"
    path.write_text(yaml.safe_dump(bad))
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    with pytest.raises(UsageError, match="credentials were refused"):
        ip.run_line_magic("os_connect", "demo --refresh")


def test_clouds_lists_masked(fresh, cloud) -> None:
    ip, _ = fresh
    with capture_output() as out:
        ip.run_line_magic("os_clouds", "")
    password = cloud.clouds["clouds"]["demo"]["auth"]["password"]
    for text in out.outputs[0].data.values():
        assert "demo-member" in text and cloud.auth_url in text and password not in text


def test_disconnect(fresh) -> None:
    ip, magics = fresh
    with capture_output() as out:
        ip.run_line_magic("os_connect", "demo")
        ip.run_line_magic("os_disconnect", "conn")
    assert "conn" not in ip.user_ns and "disconnected: conn" in out.stdout
    with pytest.raises(UsageError, match="no connection is bound"):
        ip.run_line_magic("os_disconnect", "conn")


def test_completion_offers_cloud_names(fresh) -> None:
    ip, _ = fresh
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        _, matches = ip.complete("dem", "%os_connect dem", 15)
    assert {"demo", "demo-member"} <= set(matches)


def _chooser(ip):
    box = ip.run_line_magic("os_connect", "--choose")
    return box._osnb


def test_chooser_authenticates_nothing_until_a_cloud_is_picked(fresh, cloud) -> None:
    ip, magics = fresh
    chooser = _chooser(ip)
    assert chooser.cloud.value is None
    assert {"demo", "demo-member"} <= set(chooser.cloud.options[i][1]
                                          for i in range(1, len(chooser.cloud.options)))
    assert magics.registry.connections == {}  # no token was asked for
    assert chooser.project.options == () and chooser.go.disabled
    assert "nothing is sent" in chooser.status.value


def test_chooser_preselects_region_and_token_project(fresh, cloud) -> None:
    ip, magics = fresh
    chooser = _chooser(ip)
    chooser.cloud.value = "demo-member"
    chooser.join(30)
    member = cloud.store.meta["member_project"]
    assert chooser.project.value == member  # the token's project
    region = cloud.clouds["clouds"]["demo-member"].get("region_name")
    assert chooser.region.value == (region or chooser.region.options[0])
    assert chooser.region.value and chooser.region.value != "(default)"
    assert not chooser.go.disabled
    with capture_output():
        chooser.go.click()
    assert ip.user_ns["conn"].current_project_id == cloud.store.meta["member_project_id"]
    assert ip.user_ns["conn"].config.region_name == chooser.region.value


def test_chooser_gives_up_on_a_silent_cloud(fresh, cloud, tmp_path, monkeypatch) -> None:
    """A Keystone that accepts connections and never answers: the kernel stays free, the
    progress shows, and after the cloud's api_timeout one line says why."""
    import copy
    import socket
    import time

    import yaml

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    url = f"http://127.0.0.1:{silent.getsockname()[1]}/identity/v3"
    config = copy.deepcopy(cloud.clouds)
    config["clouds"]["silent"] = {**copy.deepcopy(config["clouds"]["demo"]),
                                  "api_timeout": 1.5}
    config["clouds"]["silent"]["auth"]["auth_url"] = url
    path = tmp_path / "clouds.yaml"
    path.write_text(yaml.safe_dump(config))
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    try:
        ip, _ = fresh
        chooser = _chooser(ip)
        start = time.monotonic()
        chooser.cloud.value = "silent"
        assert time.monotonic() - start < 1.0  # the kernel is not held (1.5 s timeout)
        time.sleep(0.6)
        assert chooser.progress.layout.visibility == "visible"
        assert "connecting to silent" in chooser.status.value
        chooser.join(15)
        took = time.monotonic() - start
        assert 1.4 < took < 9, took  # gave up after api_timeout (loaded CI: some slack)
        assert "no answer from" in chooser.status.value and "1.5 s" in chooser.status.value
        assert url in chooser.status.value and "\n" not in chooser.status.value
        assert chooser.go.disabled
    finally:
        silent.close()


def test_chooser_says_why_credentials_fail(fresh, cloud, tmp_path, monkeypatch) -> None:
    import copy

    import yaml

    bad = copy.deepcopy(cloud.clouds)
    bad["clouds"]["demo"]["auth"]["password"] = "wrong-password"
    path = tmp_path / "clouds.yaml"
    path.write_text(yaml.safe_dump(bad))
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    ip, _ = fresh
    chooser = _chooser(ip)
    chooser.cloud.value = "demo"
    chooser.join(30)
    assert "credentials were refused (401)" in chooser.status.value
    assert "wrong-password" not in chooser.status.value
