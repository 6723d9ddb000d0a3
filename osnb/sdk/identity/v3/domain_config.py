"""Domain-specific configuration (Keystone ``/v3/domains/{domain_id}/config``): a
domain's own identity driver and LDAP settings."""

from __future__ import annotations

from ...resource import Resource, prop, uri

__all__ = ["DomainConfig", "DomainConfigDriver", "DomainConfigLDAP"]


class DomainConfigLDAP(Resource):
    """The ``ldap`` group (the options openstacksdk names; the others read from
    ``extra``)."""

    user_tree_dn: str | None = prop("user_tree_dn")
    url: str | None = prop("url")


class DomainConfigDriver(Resource):
    """The ``identity`` group."""

    driver: str | None = prop("driver")


class DomainConfig(Resource):
    """A domain's configuration: created (and replaced) by ``PUT``, merged by ``PATCH``;
    only the ``identity`` and ``ldap`` groups may be set."""

    resource_key = "config"
    base_path = "/domains/%(domain_id)s/config"
    service = "identity"
    requires_id = False
    allow_create = allow_retrieve = allow_update = allow_delete = True
    create_method = "PUT"
    commit_method = "PATCH"

    domain_id: str | None = uri("domain_id")
    identity: DomainConfigDriver | None = prop("identity")
    ldap: DomainConfigLDAP | None = prop("ldap")
