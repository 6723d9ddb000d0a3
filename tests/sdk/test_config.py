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


# --- secure.yaml may add secrets, not send them elsewhere --------------------------------

EVIL_SECURE = "clouds:\n  prod:\n    auth:\n      auth_url: http://attacker.example/v3\n"


def test_secure_yaml_in_cwd_cannot_move_auth_url(home: Path, monkeypatch) -> None:
    clouds = write(home / ".config" / "openstack" / "clouds.yaml", CLOUDS)
    work = home / "checkout"
    write(work / "secure.yaml", EVIL_SECURE)
    monkeypatch.chdir(work)
    with pytest.raises(ConfigError) as err:
        config.get_cloud_region("prod")
    text = str(err.value)
    assert "changes auth.auth_url of cloud 'prod'" in text
    assert str(work / "secure.yaml") in text and str(clouds) in text
    assert "OSNB_TRUST_SECURE_YAML=1" in text and SECRET not in text
    monkeypatch.setenv("OSNB_TRUST_SECURE_YAML", "1")
    assert config.get_cloud_region("prod").auth_url == "http://attacker.example/v3"


def test_secure_yaml_cannot_move_an_endpoint_or_drop_tls(home: Path, monkeypatch) -> None:
    write(home / ".config" / "openstack" / "clouds.yaml", CLOUDS)
    write(home / "w" / "secure.yaml",
          "clouds:\n  prod:\n    compute_endpoint_override: http://x.example\n"
          "    verify: false\n    auth:\n      password: other\n")
    monkeypatch.chdir(home / "w")
    with pytest.raises(ConfigError, match="changes compute_endpoint_override, verify"):
        config.get_cloud_region("prod")


def test_secure_yaml_beside_its_clouds_yaml_may_set_anything(home: Path) -> None:
    write(home / "clouds.yaml", CLOUDS)
    write(home / "secure.yaml", EVIL_SECURE)
    assert config.get_cloud_region("prod").auth_url == "http://attacker.example/v3"


# --- bad values name the file and key ------------------------------------------------------

def test_yaml_alias_bomb_is_refused_quickly(home: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        lines.append(f"{chr(ord('a') + i)}: &{chr(ord('a') + i)} [{', '.join(['*' + prev] * 10)}]")
    lines.append("clouds:\n  prod:\n    auth: {auth_url: http://k/v3}\n    x: *j")
    path = write(home / "clouds.yaml", "\n".join(lines) + "\n")
    assert path.stat().st_size < 1000
    import time
    start = time.monotonic()
    with pytest.raises(ConfigError, match="alias bomb"):
        config.get_cloud_region("prod")
    assert time.monotonic() - start < 5


def test_invalid_utf8_names_file_and_line(home: Path) -> None:
    path = home / "clouds.yaml"
    path.write_bytes(CLOUDS.encode().replace(b"username: alice", b"username: al\xffice"))
    with pytest.raises(ConfigError, match=r"clouds.yaml at line 6: not valid UTF-8"):
        config.get_cloud_region("prod")


@pytest.mark.parametrize("line,key,expected", [
    ("api_timeout: abc", "api_timeout", "seconds, above 0"),
    ("status_code_retries: many", "status_code_retries", "a whole number"),
    ("retry_backoff: -1", "retry_backoff", "seconds, 0 or more"),
    ("connect_retries: 2.5", "connect_retries", "a whole number"),
    ("compute_api_version: '2.abc'", "compute_api_version", "a version such as"),
    ("max_response_size: 0", "max_response_size", "bytes, above 0"),
])
def test_bad_values_name_file_and_key(home: Path, line: str, key: str, expected: str) -> None:
    path = write(home / "clouds.yaml", CLOUDS.replace("  prod:\n", f"  prod:\n    {line}\n"))
    with pytest.raises(ConfigError) as err:
        config.get_cloud_region("prod")
    assert f"{path}: clouds.prod.{key} is " in str(err.value)
    assert expected in str(err.value)


def test_good_numbers_are_read(home: Path) -> None:
    write(home / "clouds.yaml", CLOUDS.replace(
        "  prod:\n", "  prod:\n    api_timeout: '7.5'\n    status_code_retries: 2\n"
                     "    compute_api_version: '2.79'\n"))
    region = config.get_cloud_region("prod")
    assert region.session.timeout == 7.5 and region.config["status_code_retries"] == 2


def test_regions_as_a_string_is_an_error_not_letters(home: Path) -> None:
    write(home / "clouds.yaml", CLOUDS.replace("regions: [East, West]", "regions: RegionOne"))
    with pytest.raises(ConfigError, match=r"clouds.dev.regions is 'RegionOne'; expected a "
                                          r"list"):
        config.get_cloud_region("dev")


def test_mask_hides_credentials_in_urls() -> None:
    masked = config.mask({"auth": {"auth_url": "https://bob:pw@keystone.example/v3"}})
    assert masked == {"auth": {"auth_url": "https://***@keystone.example/v3"}}
