"""Domain-specific configuration: ``/v3/domains/{id}/config[/{group}[/{option}]]`` and
the defaults (``/v3/domains/config[/{group}[/{option}]]/default``).

Only the ``identity`` and ``ldap`` groups, and their options, may be set per domain (403
otherwise, as Keystone answers); a ``PUT`` of the whole configuration replaces it (201
the first time, 200 after), a ``PATCH`` merges into the groups and options that exist and
answers the whole configuration (a group's body names only that group, an option's only
that option, under ``config``: ``{"config": {"url": …}}``).
"""

from __future__ import annotations

import copy
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx
from ...http import ApiError, json_body, json_response
from ._common import enforce
from ._resources import DOMAINS

__all__ = ["DEFAULTS", "routes"]

DEFAULTS: dict[str, dict[str, Any]] = {'identity': {'driver': 'sql', 'list_limit': None},
     'ldap': {'url': 'ldap://localhost',
              'user': None,
              'suffix': 'cn=example,cn=com',
              'query_scope': 'one',
              'page_size': 0,
              'alias_dereferencing': 'default',
              'debug_level': None,
              'chase_referrals': None,
              'user_tree_dn': None,
              'user_filter': None,
              'user_objectclass': 'inetOrgPerson',
              'user_id_attribute': 'cn',
              'user_name_attribute': 'sn',
              'user_mail_attribute': 'mail',
              'user_description_attribute': 'description',
              'user_pass_attribute': 'userPassword',
              'user_enabled_attribute': 'enabled',
              'user_enabled_invert': False,
              'user_enabled_mask': 0,
              'user_enabled_default': 'True',
              'user_attribute_ignore': ['default_project_id'],
              'user_default_project_id_attribute': None,
              'user_enabled_emulation': False,
              'user_enabled_emulation_dn': None,
              'user_enabled_emulation_use_group_config': False,
              'user_additional_attribute_mapping': [],
              'group_tree_dn': None,
              'group_filter': None,
              'group_objectclass': 'groupOfNames',
              'group_id_attribute': 'cn',
              'group_name_attribute': 'ou',
              'group_members_are_ids': False,
              'group_member_attribute': 'member',
              'group_desc_attribute': 'description',
              'group_attribute_ignore': [],
              'group_additional_attribute_mapping': [],
              'tls_cacertfile': None,
              'tls_cacertdir': None,
              'use_tls': False,
              'tls_req_cert': 'demand',
              'use_pool': True,
              'pool_size': 10,
              'pool_retry_max': 3,
              'pool_retry_delay': 0.1,
              'pool_connection_timeout': -1,
              'pool_connection_lifetime': 600,
              'use_auth_pool': True,
              'auth_pool_size': 100,
              'auth_pool_connection_lifetime': 60}}
"""Keystone 30's defaults for the options a domain may override (what its
``GET /v3/domains/config/default`` answers)."""


def _supported(group: str, option: str | None = None) -> None:
    if group not in DEFAULTS:
        raise ApiError(403, f"Invalid domain specific configuration: Group {group} is not "
                            "supported for domain specific configurations.")
    if option is not None and option not in DEFAULTS[group]:
        raise ApiError(403, f"Invalid domain specific configuration: Option {option} in "
                            f"group {group} is not supported for domain specific "
                            "configurations.")


def _invalid(reason: str) -> ApiError:
    """Keystone's ``InvalidDomainConfig`` (a 403)."""
    return ApiError(403, f"Invalid domain specific configuration: {reason}.")


def _check(config: Any) -> dict[str, dict[str, Any]]:
    if not config:
        raise _invalid("No options specified")
    if not isinstance(config, dict):
        raise ApiError(400, "Invalid input for field 'config': expected a non-empty object.")
    for group, options in config.items():
        _supported(group)
        if not isinstance(options, dict):
            raise ApiError(400, f"Invalid input for field '{group}': expected an object.")
        for option in options:
            _supported(group, option)
    return config


async def _body(request: Request) -> Any:
    """The body's ``config``; none is an empty one (Keystone reads
    ``request_body_json.get('config', {})`` and refuses it as no options, 403)."""
    doc = await json_body(request)
    if not isinstance(doc, dict):
        raise ApiError(400, "Invalid input for field 'config': 'config' is a required "
                            "property.")
    return doc.get("config") or {}


def _one(sent: dict[str, Any], kind: str, name: str, group: str) -> None:
    """A group's or an option's update names that one and nothing else (Keystone's
    ``_assert_valid_update``)."""
    where = f"option {name} in group {group}" if kind == "option" else f"group {name}"
    if len(sent) != 1:
        raise _invalid(f"Trying to update {where}, so that, and only that, {kind} must be "
                       f"specified {' ' if kind == 'option' else ''}in the config")
    if name not in sent:
        if kind == "option":
            raise _invalid(f"Trying to update {where}, but config provided contains "
                           f"option {next(iter(sent))} instead")
        raise _invalid(f"request to update group {name}, but config provided contains "
                       f"group {next(iter(sent))} instead")


async def domain_config(request: Request) -> Response:
    """The whole configuration of a domain: show, create or replace (``PUT``), merge
    (``PATCH``), delete."""
    ctx, p = Ctx.of(request), request.path_params
    rule = {"GET": "get_domain_config", "HEAD": "get_domain_config",
            "PUT": "create_domain_config", "PATCH": "update_domain_config",
            "DELETE": "delete_domain_config"}[request.method]
    enforce(ctx, rule)
    did = DOMAINS.lookup(ctx.store, p["did"])["id"]
    configs = ctx.store.table("domain_configs")
    group: str | None = p.get("group")
    option: str | None = p.get("option")
    if group is not None:
        _supported(group, option)
    if request.method == "PUT":
        config = _check(await _body(request))
        existed = did in configs
        configs[did] = copy.deepcopy(config)
        return json_response({"config": configs[did]}, 200 if existed else 201)
    current = configs.get(did)
    if current is None:
        raise ApiError(404, "Could not find any options in domain configuration for "
                            f"domain {did}.")
    if group is not None and group not in current:
        raise ApiError(404, f"Could not find group {group} in domain configuration for "
                            f"domain {did}.")
    if option is not None and option not in current[str(group)]:
        raise ApiError(404, f"Could not find option {option} in group {group} in domain "
                            f"configuration for domain {did}.")
    if request.method == "DELETE":
        if option is not None:
            del current[str(group)][option]
        elif group is not None:
            del current[group]
        if option is None and group is None or not any(current.values()):
            configs.pop(did, None)
        return json_response(None, 204)
    if request.method == "PATCH":  # answers the whole configuration, as Keystone
        sent = await _body(request)
        if option is not None:
            _check({str(group): sent})
            _one(sent, "option", option, str(group))
            current[str(group)][option] = sent[option]
        else:
            sent = _check(sent)
            if group is not None:
                _one(sent, "group", group, group)
            for name, options in sent.items():
                current.setdefault(name, {}).update(options)
        return json_response({"config": current})
    if option is not None:
        return json_response({"config": {option: current[str(group)][option]}})
    if group is not None:
        return json_response({"config": {group: current[group]}})
    return json_response({"config": current})


async def default_config(request: Request) -> Response:
    """Keystone's defaults for what a domain may override, all, a group or an option."""
    enforce(Ctx.of(request), "get_domain_config_default")
    group, option = request.path_params.get("group"), request.path_params.get("option")
    if group is None:
        return json_response({"config": DEFAULTS})
    _supported(group, option)
    if option is None:
        return json_response({"config": {group: DEFAULTS[group]}})
    return json_response({"config": {option: DEFAULTS[group][str(option)]}})


def routes() -> list[BaseRoute]:
    base, methods = "/v3/domains/{did}/config", ["GET", "HEAD", "PATCH", "DELETE"]
    return [Route("/v3/domains/config/default", default_config, methods=["GET"]),
            Route("/v3/domains/config/{group}/default", default_config, methods=["GET"]),
            Route("/v3/domains/config/{group}/{option}/default", default_config,
                  methods=["GET"]),
            Route(base, domain_config, methods=["PUT", *methods]),
            Route(base + "/{group}", domain_config, methods=methods),
            Route(base + "/{group}/{option}", domain_config, methods=methods)]
