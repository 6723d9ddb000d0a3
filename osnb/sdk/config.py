"""Cloud configuration: ``clouds.yaml``/``secure.yaml``, ``OS_*`` variables, one CloudRegion.

Files are looked for where openstacksdk looks (``OS_CLIENT_CONFIG_FILE``, ``./``,
``~/.config/openstack/``, ``/etc/openstack/``); the first ``clouds.yaml`` found wins and
``secure.yaml`` beside the same search path is merged over it. Any keystoneauth auth type
works (``password``, ``token``, ``v3applicationcredential``, …): the plugin is built through
``keystoneauth1.loading`` and its options are checked here, so a typo names the key and
the file instead of failing later inside a request.
"""

from __future__ import annotations

import copy
import os
import re
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .exceptions import ConfigError, safe_url

__all__ = [
    "CloudRegion",
    "SECRET_KEYS",
    "config_files",
    "get_cloud_region",
    "known_clouds",
    "load_config",
    "mask",
    "mask_text",
]

SECRET_KEYS = frozenset({
    "password", "token", "auth_token", "application_credential_secret", "secret",
    "passcode", "client_secret", "access_token", "totp", "key", "refresh_token",
})
"""Keys whose values are credentials: masked wherever a config is shown."""

MASK = "***"

_ENV_AUTH_KEYS = {
    "OS_AUTH_URL": "auth_url", "OS_USERNAME": "username", "OS_USER_ID": "user_id",
    "OS_PASSWORD": "password", "OS_PROJECT_NAME": "project_name",
    "OS_TENANT_NAME": "project_name", "OS_PROJECT_ID": "project_id",
    "OS_TENANT_ID": "project_id", "OS_USER_DOMAIN_NAME": "user_domain_name",
    "OS_USER_DOMAIN_ID": "user_domain_id", "OS_PROJECT_DOMAIN_NAME": "project_domain_name",
    "OS_PROJECT_DOMAIN_ID": "project_domain_id", "OS_DOMAIN_NAME": "domain_name",
    "OS_DOMAIN_ID": "domain_id", "OS_TOKEN": "token",
    "OS_APPLICATION_CREDENTIAL_ID": "application_credential_id",
    "OS_APPLICATION_CREDENTIAL_NAME": "application_credential_name",
    "OS_APPLICATION_CREDENTIAL_SECRET": "application_credential_secret",
    "OS_SYSTEM_SCOPE": "system_scope",
}
_ENV_KEYS = {
    "OS_REGION_NAME": "region_name", "OS_INTERFACE": "interface",
    "OS_AUTH_TYPE": "auth_type", "OS_CACERT": "cacert", "OS_CERT": "cert", "OS_KEY": "key",
    "OS_INSECURE": "insecure", "OS_IDENTITY_API_VERSION": "identity_api_version",
}


MASK_DEPTH = 32
"""Nesting below this is shown as ``…``: deeper than any configuration or API object, and
a hostile body 600 levels deep must neither overflow the stack nor show a secret."""


def mask(value: Any, _depth: int = 0) -> Any:
    """A copy of ``value`` with every credential replaced by ``***``, ``user:password@``
    in URLs included."""
    if isinstance(value, (Mapping, list)) and _depth >= MASK_DEPTH:
        return "…"
    if isinstance(value, Mapping):
        return {k: (MASK if str(k).lower() in SECRET_KEYS and v not in (None, "")
                    else mask(v, _depth + 1)) for k, v in value.items()}
    if isinstance(value, list):
        return [mask(v, _depth + 1) for v in value]
    if isinstance(value, str):
        return safe_url(value)
    return value


def config_files(name: str = "clouds") -> list[Path]:
    """Where ``clouds.yaml`` (or ``secure.yaml``) is looked for, in order."""
    places: list[Path] = []
    env_file = os.environ.get("OS_CLIENT_CONFIG_FILE")
    if name == "clouds" and env_file:
        places.append(Path(env_file))
    for folder in (Path.cwd(), Path.home() / ".config" / "openstack", Path("/etc/openstack")):
        for ext in ("yaml", "yml"):
            places.append(folder / f"{name}.{ext}")
    return places


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ConfigError(f"cannot read {path}: {err.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[:err.start].count(b"\n") + 1
        raise ConfigError(f"{path} at line {line}: not valid UTF-8 (byte {err.start}); "
                          "save the file as UTF-8") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(err, "problem", None) or "invalid YAML"
        raise ConfigError(f"{path}{where}: {problem}") from None
    if data is None:
        return {}
    _check_size(path, data)
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    if "clouds" in data and not isinstance(data["clouds"], dict):
        raise ConfigError(f"{path}: 'clouds' must be a mapping of cloud names")
    return data


MAX_NODES = 100_000
"""A clouds.yaml expands to at most this many values (a YAML alias bomb to billions)."""


def _check_size(path: Path, data: Any) -> None:
    count = 0
    stack: list[tuple[Any, frozenset[int]]] = [(data, frozenset())]
    while stack:
        item, parents = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ConfigError(f"{path}: expands to more than {MAX_NODES:,} values through "
                              "YAML aliases (&/*); refusing it as an alias bomb")
        if isinstance(item, (dict, list)):
            if id(item) in parents:
                raise ConfigError(f"{path}: a YAML alias refers to itself (a cycle)")
            inner = parents | {id(item)}
            values = item.values() if isinstance(item, dict) else item
            stack.extend((v, inner) for v in values)


def load_config(files: list[Path] | None = None) -> tuple[dict[str, Any], Path | None]:
    """The merged ``clouds`` mapping and the clouds.yaml it came from (None: none found)."""
    clouds_path = next((p for p in (files or config_files("clouds")) if p.is_file()), None)
    data = _read_yaml(clouds_path) if clouds_path else {}
    clouds: dict[str, Any] = copy.deepcopy(data.get("clouds") or {})
    secure_path = next((p for p in config_files("secure") if p.is_file()), None)
    if secure_path:
        secure = _read_yaml(secure_path).get("clouds") or {}
        if not isinstance(secure, dict):
            raise ConfigError(f"{secure_path}: 'clouds' must be a mapping of cloud names")
        for name, extra in secure.items():
            if isinstance(extra, dict):
                _check_secure(name, clouds.get(name), extra, secure_path, clouds_path)
                clouds[name] = _merge(clouds.get(name) or {}, extra)
    return clouds, clouds_path


TRUST_SECURE_ENV = "OSNB_TRUST_SECURE_YAML"
"""Set to ``1`` to let a ``secure.yaml`` from another directory redirect a cloud."""


def _redirecting_keys(base: Mapping[str, Any], extra: Mapping[str, Any]) -> list[str]:
    """Keys of ``extra`` that change where or how credentials are sent."""
    changed = []
    auth = extra.get("auth")
    if isinstance(auth, Mapping) and "auth_url" in auth and \
            auth["auth_url"] != (base.get("auth") or {}).get("auth_url"):
        changed.append("auth.auth_url")
    for key, value in extra.items():
        if (key.endswith("endpoint_override") or key in ("verify", "insecure", "cacert",
                                                         "auth_type", "profile")) \
                and value != base.get(key):
            changed.append(key)
    return changed


def _check_secure(name: str, base: Any, extra: Mapping[str, Any], secure_path: Path,
                  clouds_path: Path | None) -> None:
    """A secure.yaml beside another clouds.yaml (the working directory's, say) may add
    secrets to a cloud, not send them elsewhere: changing ``auth_url``, an endpoint
    override or TLS settings of a cloud defined in another file needs an opt-in."""
    if not isinstance(base, Mapping) or clouds_path is None:
        return
    if secure_path.parent.resolve() == clouds_path.parent.resolve():
        return
    changed = _redirecting_keys(base, extra)
    if changed and os.environ.get(TRUST_SECURE_ENV) != "1":
        raise ConfigError(
            f"{secure_path} changes {', '.join(changed)} of cloud {name!r} defined in "
            f"{clouds_path}: its credentials would go where another file says. Move those "
            f"keys into {clouds_path}, delete {secure_path} if you did not write it, or set "
            f"{TRUST_SECURE_ENV}=1 to accept it")


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _env_cloud() -> dict[str, Any] | None:
    auth = {v: os.environ[k] for k, v in _ENV_AUTH_KEYS.items() if os.environ.get(k)}
    if "auth_url" not in auth:
        return None
    cloud: dict[str, Any] = {"auth": auth}
    cloud.update({v: os.environ[k] for k, v in _ENV_KEYS.items() if os.environ.get(k)})
    return cloud


def known_clouds(config: Mapping[str, Any] | None = None) -> list[str]:
    """Names of the configured clouds (plus ``envvars`` when ``OS_AUTH_URL`` is set)."""
    clouds = dict((config or {}).get("clouds") or {}) if config else load_config()[0]
    names = sorted(clouds)
    if _env_cloud() is not None:
        names.append("envvars")
    return names


@dataclass
class CloudRegion:
    """One cloud in one region: its settings (masked in repr) and a keystoneauth Session."""

    name: str
    region_name: str | None
    config: dict[str, Any]
    session: Any = field(repr=False)
    source: str = ""
    """The file the cloud came from (or ``environment``, ``arguments``)."""

    @property
    def interface(self) -> str:
        return str(self.config.get("interface") or "public")

    @property
    def auth_url(self) -> str | None:
        """The auth URL to show: ``user:password@`` in it is masked (the session has the
        real one)."""
        url = (self.config.get("auth") or {}).get("auth_url")
        return str(safe_url(str(url))) if url else None

    def service_setting(self, service_type: str, key: str) -> Any:
        """A per-service setting such as ``compute_api_version`` or
        ``block_storage_endpoint_override`` (dashes and underscores alike)."""
        prefix = service_type.replace("-", "_")
        return self.config.get(f"{prefix}_{key}")

    def __repr__(self) -> str:
        return (f"CloudRegion(name={self.name!r}, region_name={self.region_name!r}, "
                f"source={self.source!r}, config={mask(self.config)!r})")


def get_cloud_region(cloud: str | None = None, *, region_name: str | None = None,
                     config: Mapping[str, Any] | None = None, **overrides: Any) -> CloudRegion:
    """Resolve a cloud by name (default ``OS_CLOUD``) into a CloudRegion with a Session.

    ``config`` is a ``clouds.yaml``-shaped mapping used instead of the files; keyword
    ``overrides`` replace settings (``auth=…`` is merged key by key).
    """
    if config is not None:
        clouds: dict[str, Any] = dict(config.get("clouds") or {})
        source = "arguments"
        files: list[str] = []
    else:
        clouds, path = load_config()
        source = str(path) if path else ""
        files = [str(p) for p in config_files("clouds")]
    name = cloud or os.environ.get("OS_CLOUD")
    settings: dict[str, Any]
    if name and name in clouds:
        settings = copy.deepcopy(clouds[name]) or {}
        if not isinstance(settings, dict):
            raise ConfigError(f"{source}: cloud {name!r} must be a mapping")
    elif name in (None, "envvars") and _env_cloud() is not None:
        name, settings, source = "envvars", _env_cloud() or {}, "environment"
    elif name is None and len(clouds) == 1:
        name = next(iter(clouds))
        settings = copy.deepcopy(clouds[name]) or {}
    elif name is None and not overrides.get("auth"):
        known = ", ".join(sorted(clouds)) or "none"
        raise ConfigError(f"no cloud named and OS_CLOUD is not set; known clouds: {known}")
    elif name is None:
        name, settings, source = "arguments", {}, "arguments"
    else:
        known = ", ".join(sorted(clouds)) or "none"
        where = source or ("no clouds.yaml found; searched " + ", ".join(files))
        raise ConfigError(f"unknown cloud {name!r}; known clouds: {known} ({where})")
    for key, value in overrides.items():
        if value is None:
            continue
        if key == "auth" and isinstance(value, Mapping):
            settings["auth"] = {**(settings.get("auth") or {}), **value}
        else:
            settings[key] = value
    _validate(name, settings, source)
    region = _pick_region(name, settings, region_name, source)
    session = _make_session(name, settings, source)
    return CloudRegion(name=name, region_name=region, config=settings, session=session,
                       source=source)


_NUMBERS: dict[str, tuple[type, float, str]] = {
    "api_timeout": (float, 0.0, "seconds, above 0"),
    "timeout": (float, 0.0, "seconds, above 0"),
    "status_code_retries": (int, -1, "a whole number, 0 or more"),
    "connect_retries": (int, -1, "a whole number, 0 or more"),
    "retry_backoff": (float, -1e-12, "seconds, 0 or more"),
    "retry_max_delay": (float, -1e-12, "seconds, 0 or more"),
    "max_response_size": (int, 0, "bytes, above 0"),
}
_VERSION = re.compile(r"^v?\d+(\.\d+)?$|^latest$")


def _validate(name: str, settings: dict[str, Any], source: str) -> None:
    """Settings osnb reads later, checked now so an error names the file and key."""
    where = f"{source or 'arguments'}: clouds.{name}"
    for key, (kind, floor, expected) in _NUMBERS.items():
        value = settings.get(key)
        if value is None:
            continue
        try:
            if isinstance(value, bool) or (kind is int and isinstance(value, float)
                                           and not value.is_integer()):
                raise ValueError
            number = kind(value)
            if number != number or number <= floor:  # NaN, or too small
                raise ValueError
        except (TypeError, ValueError):
            raise ConfigError(f"{where}.{key} is {value!r}; expected {expected}") from None
        settings[key] = number
    for key, value in settings.items():
        if key.endswith("_api_version") and value is not None and \
                not _VERSION.match(str(value)):
            raise ConfigError(f"{where}.{key} is {value!r}; expected a version such as "
                              "'2' or '2.79'")
    regions = settings.get("regions")
    if regions is not None:
        if not isinstance(regions, list):
            raise ConfigError(f"{where}.regions is {regions!r}; expected a list such as "
                              f"[{regions!s}] (a YAML list: '- RegionOne' or [RegionOne])")
        for item in regions:
            if not (isinstance(item, str) or (isinstance(item, dict) and
                                              isinstance(item.get("name"), str))):
                raise ConfigError(f"{where}.regions has {item!r}; each region is a name "
                                  "or a mapping with a 'name'")


def _pick_region(name: str, settings: dict[str, Any], wanted: str | None,
                 source: str) -> str | None:
    regions = settings.get("regions") or []
    names = [r["name"] if isinstance(r, dict) else str(r) for r in regions]
    region = wanted or settings.get("region_name") or os.environ.get("OS_REGION_NAME") or (
        names[0] if names else None)
    if wanted and names and wanted not in names:
        raise ConfigError(f"cloud {name!r} has no region {wanted!r}; its regions: "
                          f"{', '.join(names)} ({source})")
    settings["region_name"] = region
    return str(region) if region else None


_warned_insecure: set[str] = set()


def _verify(name: str, settings: dict[str, Any]) -> bool | str:
    insecure = settings.get("insecure")
    verify = settings.get("verify", True)
    if isinstance(insecure, str):
        insecure = insecure.lower() in ("1", "true", "yes")
    if insecure or verify is False or str(verify).lower() == "false":
        if name not in _warned_insecure:
            _warned_insecure.add(name)
            warnings.warn(f"cloud {name!r}: TLS certificate verification is OFF "
                          "(insecure/verify: false); traffic can be intercepted",
                          stacklevel=4)
        return False
    cacert = settings.get("cacert")
    return str(cacert) if cacert else True


def _auth_type(auth: Mapping[str, Any], settings: Mapping[str, Any]) -> str:
    explicit = settings.get("auth_type")
    if explicit:
        return str(explicit)
    if auth.get("application_credential_secret"):
        return "v3applicationcredential"
    if auth.get("token") and not auth.get("password"):
        return "v3token"
    return "password"


def _make_session(name: str, settings: dict[str, Any], source: str) -> Any:
    from keystoneauth1 import loading

    from ._http import DEFAULT_MAX_RESPONSE_SIZE, Session
    from .redact import install
    from .version import __version__

    install()

    auth = settings.get("auth") or {}
    if not isinstance(auth, dict):
        raise ConfigError(f"{source}: clouds.{name}.auth must be a mapping")
    auth_type = _auth_type(auth, settings)
    try:
        loader: Any = loading.get_plugin_loader(auth_type)
    except Exception:  # keystoneauth raises NoMatchingPlugin
        available = ", ".join(sorted(loading.get_available_plugin_names()))
        raise ConfigError(f"{source}: clouds.{name}.auth_type {auth_type!r} is unknown; "
                          f"available: {available}") from None
    options = {o.dest: o for o in loader.get_options()}
    kwargs: dict[str, Any] = {}
    for key, value in auth.items():
        dest = key.replace("-", "_")
        if dest not in options:
            known = ", ".join(sorted(options))
            raise ConfigError(f"{source}: clouds.{name}.auth.{key} is not an option of auth "
                              f"type {auth_type!r}; its options: {known}")
        kwargs[dest] = value
    missing = [o.dest for o in options.values() if o.required and kwargs.get(o.dest) is None]
    if "auth_url" in options and not kwargs.get("auth_url"):
        missing.insert(0, "auth_url")
    if missing:
        raise ConfigError(f"{source}: clouds.{name}.auth is missing "
                          f"{', '.join(sorted(set(missing)))} (auth type {auth_type!r})")
    try:
        plugin = loader.load_from_options(**kwargs)
    except Exception as err:  # keystoneauth's MissingRequiredOptions and friends
        raise ConfigError(f"{source}: clouds.{name}.auth: {type(err).__name__}: "
                          f"{mask_text(str(err), auth)}") from None
    timeout = settings.get("api_timeout", settings.get("timeout", 60))
    cert = settings.get("cert")
    key = settings.get("key")
    return Session(
        auth=plugin, verify=_verify(name, settings),
        cert=(str(cert), str(key)) if cert and key else (str(cert) if cert else None),
        timeout=float(timeout) if timeout else None, app_name="osnb",
        app_version=__version__, collect_timing=False,
        max_response_size=int(settings.get("max_response_size")
                              or DEFAULT_MAX_RESPONSE_SIZE))


def mask_text(text: str, secrets_from: Mapping[str, Any]) -> str:
    """``text`` with every credential value of ``secrets_from`` replaced by ``***``."""
    for key, value in secrets_from.items():
        if str(key).lower() in SECRET_KEYS and isinstance(value, str) and value:
            text = text.replace(value, MASK)
    return text
