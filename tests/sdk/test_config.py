"""clouds.yaml, secure.yaml and OS_* loading, and the errors bad config gets."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest

from osnb.sdk import config
from osnb.sdk.exceptions import ConfigError

SECRET = "s3cr3t-Pa55"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An isolated place: cwd and HOME in tmp, no OS_* variables."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    import os
    for var in list(os.environ):
        if var.startswith("OS_"):
            monkeypatch.delenv(var)
    return tmp_path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


CLOUDS = f"""
clouds:
  prod:
    auth:
      auth_url: http://keystone.example/v3
      username: alice
      password: {SECRET}
      project_name: ops
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
  dev:
    auth:
      auth_url: http://keystone.example/v3
      application_credential_id: abc
      application_credential_secret: {SECRET}
    regions: [East, West]
"""


def test_loads_from_client_config_file(home: Path, monkeypatch) -> None:
    path = write(home / "elsewhere" / "clouds.yaml", CLOUDS)
    monkeypatch.setenv("OS_CLIENT_CONFIG_FILE", str(path))
    region = config.get_cloud_region("prod")
    assert region.name == "prod" and region.region_name == "RegionOne"
    assert region.source == str(path)
    assert region.session.auth.__class__.__name__ == "Password"


def test_standard_places_and_os_cloud(home: Path, monkeypatch) -> None:
    write(home / ".config" / "openstack" / "clouds.yaml", CLOUDS)
    monkeypatch.setenv("OS_CLOUD", "dev")
    region = config.get_cloud_region()
    assert region.name == "dev" and region.region_name == "East"
    assert region.session.auth.__class__.__name__ == "ApplicationCredential"


def test_unknown_cloud_lists_the_known_ones(home: Path) -> None:
    write(home / "clouds.yaml", CLOUDS)
    with pytest.raises(ConfigError, match=r"unknown cloud 'staging'; known clouds: dev, prod"):
        config.get_cloud_region("staging")


def test_secure_yaml_is_merged(home: Path) -> None:
    write(home / "clouds.yaml", CLOUDS.replace(f"password: {SECRET}", "password: wrong"))
    write(home / ".config" / "openstack" / "secure.yaml",
          f"clouds:\n  prod:\n    auth:\n      password: {SECRET}\n")
    region = config.get_cloud_region("prod")
    assert region.config["auth"]["password"] == SECRET
    assert region.config["auth"]["username"] == "alice"


def test_os_variables_make_a_cloud(home: Path, monkeypatch) -> None:
    monkeypatch.setenv("OS_AUTH_URL", "http://keystone.example/v3")
    monkeypatch.setenv("OS_USERNAME", "bob")
    monkeypatch.setenv("OS_PASSWORD", SECRET)
    monkeypatch.setenv("OS_PROJECT_NAME", "ops")
    monkeypatch.setenv("OS_REGION_NAME", "North")
    region = config.get_cloud_region()
    assert region.name == "envvars" and region.region_name == "North"
    assert config.known_clouds() == ["envvars"]


def test_yaml_errors_name_file_and_line_without_secrets(home: Path) -> None:
    write(home / "clouds.yaml", f"clouds:\n  prod:\n    auth: {{password: {SECRET}\n  x: [\n")
    with pytest.raises(ConfigError) as err:
        config.get_cloud_region("prod")
    text = str(err.value)
    assert "clouds.yaml at line" in text and SECRET not in text


def test_unknown_auth_type_lists_the_available(home: Path) -> None:
    write(home / "clouds.yaml", CLOUDS.replace("  prod:\n", "  prod:\n    auth_type: pasword\n"))
    with pytest.raises(ConfigError, match="auth_type 'pasword' is unknown; available: .*password"):
        config.get_cloud_region("prod")


def test_unknown_auth_key_names_file_and_key(home: Path) -> None:
    write(home / "clouds.yaml", CLOUDS.replace("username: alice", "user_name: alice"))
    with pytest.raises(ConfigError) as err:
        config.get_cloud_region("prod")
    assert "clouds.prod.auth.user_name" in str(err.value)
    assert str(home / "clouds.yaml") in str(err.value)


def test_missing_auth_url(home: Path) -> None:
    write(home / "clouds.yaml", CLOUDS.replace("      auth_url: http://keystone.example/v3\n"
                                               "      username", "      username"))
    with pytest.raises(ConfigError, match="clouds.prod.auth is missing auth_url"):
        config.get_cloud_region("prod")


def test_unknown_region(home: Path) -> None:
    write(home / "clouds.yaml", CLOUDS)
    with pytest.raises(ConfigError, match="no region 'South'; its regions: East, West"):
        config.get_cloud_region("dev", region_name="South")


def test_repr_masks_secrets(home: Path) -> None:
    write(home / "clouds.yaml", CLOUDS)
    for name in ("prod", "dev"):
        region = config.get_cloud_region(name)
        assert SECRET not in repr(region)
        assert "***" in repr(region)


def test_insecure_warns_once(home: Path) -> None:
    write(home / "clouds.yaml", CLOUDS.replace("  dev:\n", "  dev:\n    verify: false\n"))
    config._warned_insecure.discard("dev")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        region = config.get_cloud_region("dev")
        config.get_cloud_region("dev")
    assert region.session.verify is False
    assert len([w for w in caught if "verification is OFF" in str(w.message)]) == 1


def test_config_mapping_and_overrides(home: Path) -> None:
    import yaml
    region = config.get_cloud_region("prod", config=yaml.safe_load(CLOUDS),
                                     auth={"project_name": "other"}, interface="internal")
    assert region.config["auth"]["project_name"] == "other"
    assert region.config["auth"]["username"] == "alice"
    assert region.interface == "internal"


def test_mask_is_recursive() -> None:
    masked = config.mask({"auth": {"password": "p", "token": "t", "username": "u"},
                          "list": [{"secret": "x"}]})
    assert masked == {"auth": {"password": "***", "token": "***", "username": "u"},
                      "list": [{"secret": "***"}]}
