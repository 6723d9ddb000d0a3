"""Keystone (Identity v3): tokens, the catalog, and the admin APIs around them.

Tables: ``domains``, ``projects``, ``users`` (private ``_password_hash``), ``groups``,
``group_members``, ``roles``, ``implied_roles``, ``role_assignments`` (keyed
``actor|actor_id|scope|scope_id|role_id``; the system is scope ``system``, id ``all``),
``services``, ``endpoints``, ``regions``,
``application_credentials`` (private ``_secret_hash``), ``credentials``,
``registered_limits``, ``limits`` (private ``_registered_limit_id``), ``trusts``,
``policies``. Tokens live in ``store.tokens``.

The CRUD resources are collections of the demo cloud's engine (:mod:`._resources`,
:mod:`._catalog`, :mod:`._appcreds`, :mod:`._credentials`, :mod:`._limits`) in Keystone's words and paging (:mod:`._dialect`)
under Keystone's policy (:class:`._common.Resource`); the rest is Keystone's own
behaviour: tokens (:mod:`._tokens`), grants, role assignments, implied roles and group
membership, system grants (:mod:`._assignments`), project tags
(:mod:`._tags`), trusts (:mod:`._trusts`), federation (:mod:`._federation`), OAuth1
consumers and their delegations (:mod:`._oauth1`, :mod:`._oauth1_flow`), federated sign-in without an identity provider in front
(:mod:`._federated_auth`), endpoint filters and policies (:mod:`._ep_filter`,
:mod:`._endpoint_policy`), domain configuration (:mod:`._domain_config`), access rules
(:mod:`._access_rules`), revocation events (:mod:`._revoke`).
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from . import (
    _access_rules,
    _appcreds,
    _assignments,
    _credentials,
    _domain_config,
    _endpoint_policy,
    _ep_filter,
    _federated_auth,
    _federation,
    _limits,
    _oauth1,
    _oauth1_flow,
    _policies,
    _revoke,
    _tags,
    _tokens,
    _trusts,
)
from ._catalog import catalog_routes
from ._common import challenge
from ._resources import resource_routes
from ._seed import seed

__all__ = ["CATALOG", "PREFIX", "ROOT", "STYLE", "routes", "seed"]

PREFIX = "/identity"
STYLE = "keystone"
CATALOG = [("identity", "keystone", "/identity")]
ROOT = _tokens.versions
"""Serves the bare ``/identity`` (no slash), as Keystone does: the 300 versions document."""


def routes() -> list[BaseRoute]:
    """Routes relative to ``/identity``; every 401 names the endpoint to authenticate at."""
    return [Route(r.path, challenge(r.endpoint), methods=r.methods)
            if isinstance(r, Route) else r for r in _routes()]


def _routes() -> list[BaseRoute]:
    return [*_tokens.routes(), *_assignments.routes(), *_appcreds.routes(),
            *resource_routes(), *catalog_routes(), *_credentials.routes(),
            *_limits.routes(), *_tags.routes(),
            *_trusts.routes(), *_policies.routes(), *_federation.routes(),
            *_federated_auth.routes(), *_oauth1.routes(), *_oauth1_flow.routes(),
            *_ep_filter.routes(), *_endpoint_policy.routes(), *_domain_config.routes(),
            *_access_rules.routes(), *_revoke.routes()]
