"""``conn.identity``: the Identity (Keystone) v3 proxy."""

from __future__ import annotations

from typing import Any, TypeVar

from ... import exceptions as exc
from ...proxy import Proxy as _BaseProxy
from ...resource import Resource
from ...resource_list import ResourceList
from .access_rule import AccessRule
from .application_credential import ApplicationCredential
from .credential import Credential
from .domain import Domain
from .domain_config import DomainConfig
from .endpoint import Endpoint, EndpointGroupEndpoint, ProjectEndpoint
from .endpoint_group import EndpointGroup, ProjectEndpointGroup
from .federation_protocol import FederationProtocol
from .group import Group, GroupUser, UserGroup
from .identity_provider import IdentityProvider
from .limit import Limit
from .mapping import Mapping
from .policy import Policy
from .project import EndpointGroupProject, EndpointProject, Project, UserProject
from .region import Region
from .registered_limit import RegisteredLimit
from .role import Role
from .role_assignment import RoleAssignment
from .role_grant import (
    RoleDomainGroupAssignment,
    RoleDomainUserAssignment,
    RoleProjectGroupAssignment,
    RoleProjectUserAssignment,
    RoleSystemGroupAssignment,
    RoleSystemUserAssignment,
)
from .service import Service
from .service_provider import ServiceProvider
from .token import Token
from .trust import Trust
from .user import User

__all__ = ["Proxy"]

R = TypeVar("R", bound=Resource)

RoleGrant = (RoleDomainGroupAssignment | RoleDomainUserAssignment
             | RoleProjectGroupAssignment | RoleProjectUserAssignment
             | RoleSystemGroupAssignment | RoleSystemUserAssignment)


class Proxy(_BaseProxy):
    """Identity API: projects, domains, users, groups, roles, grants and the catalog."""

    service_type = "identity"
    api_version = "3"

    # -- projects -------------------------------------------------------------------------
    def projects(self, **query: Any) -> ResourceList[Project]:
        """List projects: ``domain_id``, ``name``, ``parent_id``, ``is_enabled``, tags…"""
        return self._list(Project, **query)

    def user_projects(self, user: str | User, **query: Any) -> ResourceList[UserProject]:
        """The projects ``user`` holds a role on, directly or through a group."""
        return self._list(UserProject, user_id=user, **query)

    def get_project(self, project: str | Project) -> Project:
        return self._get(Project, project)

    def find_project(self, name_or_id: str, ignore_missing: bool = False,
                     **query: Any) -> Project | None:
        """By id, then by exact name (pass ``domain_id`` when names repeat)."""
        return self._find(Project, name_or_id, ignore_missing=ignore_missing, **query)

    def create_project(self, **attrs: Any) -> Project:
        """Create a project: ``name``, ``domain_id``, ``parent_id``, ``description``…"""
        return self._create(Project, **attrs)

    def update_project(self, project: str | Project, **attrs: Any) -> Project:
        return self._update(Project, project, **attrs)

    def delete_project(self, project: str | Project, ignore_missing: bool = True) -> None:
        self._delete(Project, project, ignore_missing=ignore_missing)

    # -- domains --------------------------------------------------------------------------
    def domains(self, **query: Any) -> ResourceList[Domain]:
        return self._list(Domain, **query)

    def get_domain(self, domain: str | Domain) -> Domain:
        return self._get(Domain, domain)

    def find_domain(self, name_or_id: str, ignore_missing: bool = False) -> Domain | None:
        return self._find(Domain, name_or_id, ignore_missing=ignore_missing)

    def create_domain(self, **attrs: Any) -> Domain:
        return self._create(Domain, **attrs)

    def update_domain(self, domain: str | Domain, **attrs: Any) -> Domain:
        return self._update(Domain, domain, **attrs)

    def delete_domain(self, domain: str | Domain, ignore_missing: bool = True) -> None:
        """Delete a domain; Keystone refuses (403) unless it was disabled first."""
        self._delete(Domain, domain, ignore_missing=ignore_missing)

    # -- users ----------------------------------------------------------------------------
    def users(self, **query: Any) -> ResourceList[User]:
        return self._list(User, **query)

    def get_user(self, user: str | User) -> User:
        return self._get(User, user)

    def find_user(self, name_or_id: str, ignore_missing: bool = False,
                  **query: Any) -> User | None:
        """By id, then by exact name (pass ``domain_id`` when names repeat)."""
        return self._find(User, name_or_id, ignore_missing=ignore_missing, **query)

    def create_user(self, **attrs: Any) -> User:
        """Create a user: ``name``, ``domain_id``, ``password``, ``default_project_id``…"""
        return self._create(User, **attrs)

    def update_user(self, user: str | User, **attrs: Any) -> User:
        return self._update(User, user, **attrs)

    def update_password(self, user: str | User, current_password: str,
                        password: str) -> None:
        """Change a user's own password (``POST /v3/users/{id}/password``); the current
        one proves who asks, and the user's tokens are revoked."""
        self.post(f"/users/{_id(user)}/password", json={"user": {
            "password": password, "original_password": current_password}})

    def delete_user(self, user: str | User, ignore_missing: bool = True) -> None:
        self._delete(User, user, ignore_missing=ignore_missing)

    def user_groups(self, user: str | User) -> ResourceList[UserGroup]:
        """The groups ``user`` is a member of."""
        return self._list(UserGroup, user_id=user)

    # -- groups ---------------------------------------------------------------------------
    def groups(self, **query: Any) -> ResourceList[Group]:
        return self._list(Group, **query)

    def get_group(self, group: str | Group) -> Group:
        return self._get(Group, group)

    def find_group(self, name_or_id: str, ignore_missing: bool = False,
                   **query: Any) -> Group | None:
        return self._find(Group, name_or_id, ignore_missing=ignore_missing, **query)

    def create_group(self, **attrs: Any) -> Group:
        return self._create(Group, **attrs)

    def update_group(self, group: str | Group, **attrs: Any) -> Group:
        return self._update(Group, group, **attrs)

    def delete_group(self, group: str | Group, ignore_missing: bool = True) -> None:
        self._delete(Group, group, ignore_missing=ignore_missing)

    def group_users(self, group: str | Group, **query: Any) -> ResourceList[GroupUser]:
        """The members of ``group``."""
        return self._list(GroupUser, group_id=group, **query)

    def add_user_to_group(self, user: str | User, group: str | Group) -> None:
        self._resource(GroupUser, user, group_id=group).create(self)

    def remove_user_from_group(self, user: str | User, group: str | Group) -> None:
        """Remove a member; NotFound if ``user`` is not in ``group``."""
        self._delete(GroupUser, user, ignore_missing=False, group_id=group)

    def check_user_in_group(self, user: str | User, group: str | Group) -> bool:
        return self._exists(GroupUser, user, group_id=group)

    # -- roles ----------------------------------------------------------------------------
    def roles(self, **query: Any) -> ResourceList[Role]:
        return self._list(Role, **query)

    def get_role(self, role: str | Role) -> Role:
        return self._get(Role, role)

    def find_role(self, name_or_id: str, ignore_missing: bool = False,
                  **query: Any) -> Role | None:
        return self._find(Role, name_or_id, ignore_missing=ignore_missing, **query)

    def create_role(self, **attrs: Any) -> Role:
        return self._create(Role, **attrs)

    def update_role(self, role: str | Role, **attrs: Any) -> Role:
        return self._update(Role, role, **attrs)

    def delete_role(self, role: str | Role, ignore_missing: bool = True) -> None:
        self._delete(Role, role, ignore_missing=ignore_missing)

    # -- role assignments and grants ------------------------------------------------------
    def role_assignments(self, **query: Any) -> ResourceList[RoleAssignment]:
        """List assignments: ``user_id``, ``group_id``, ``role_id``, ``scope_project_id``,
        ``scope_domain_id``, ``effective``, ``include_names``, ``include_subtree``…"""
        return self._list(RoleAssignment, **query)

    def role_assignments_filter(self, domain: str | Domain | None = None,
                                project: str | Project | None = None,
                                system: str | None = None,
                                group: str | Group | None = None,
                                user: str | User | None = None) -> ResourceList[Any]:
        """The roles granted directly to one user or group on one project, domain or the
        system (``system="all"``)."""
        if [domain, project, system].count(None) != 2 or (group is None) == (user is None):
            raise exc.InvalidRequest("role_assignments_filter needs exactly one of "
                                     "domain, project or system, and one of group or user")
        if system is not None:
            grant: type[RoleGrant] = RoleSystemUserAssignment if user is not None \
                else RoleSystemGroupAssignment
            return self._list(grant, **({"user_id": user} if user is not None
                                        else {"group_id": group}))
        grant, uri = self._grant_type(domain, project, group, user)
        return self._list(grant, **uri)

    def assign_project_role_to_user(self, project: str | Project, user: str | User,
                                    role: str | Role) -> None:
        self._grant(RoleProjectUserAssignment, role, project_id=project, user_id=user)

    def unassign_project_role_from_user(self, project: str | Project, user: str | User,
                                        role: str | Role) -> None:
        """Revoke a grant; NotFound if it was not there."""
        self._revoke(RoleProjectUserAssignment, role, project_id=project, user_id=user)

    def validate_user_has_project_role(self, project: str | Project, user: str | User,
                                       role: str | Role) -> bool:
        """Whether ``role`` is granted directly to ``user`` on ``project``."""
        return self._exists(RoleProjectUserAssignment, role, project_id=project,
                            user_id=user)

    def assign_project_role_to_group(self, project: str | Project, group: str | Group,
                                     role: str | Role) -> None:
        self._grant(RoleProjectGroupAssignment, role, project_id=project, group_id=group)

    def unassign_project_role_from_group(self, project: str | Project, group: str | Group,
                                         role: str | Role) -> None:
        self._revoke(RoleProjectGroupAssignment, role, project_id=project, group_id=group)

    def validate_group_has_project_role(self, project: str | Project, group: str | Group,
                                        role: str | Role) -> bool:
        return self._exists(RoleProjectGroupAssignment, role, project_id=project,
                            group_id=group)

    def assign_domain_role_to_user(self, domain: str | Domain, user: str | User,
                                   role: str | Role, *, inherited: bool = False) -> None:
        """``inherited``: an OS-INHERIT grant the domain's projects hold, the domain not."""
        if inherited:
            self._inherited("PUT", "domains", domain, "users", user, role)
            return
        self._grant(RoleDomainUserAssignment, role, domain_id=domain, user_id=user)

    def unassign_domain_role_from_user(self, domain: str | Domain, user: str | User,
                                       role: str | Role, *, inherited: bool = False) -> None:
        if inherited:
            self._inherited("DELETE", "domains", domain, "users", user, role)
            return
        self._revoke(RoleDomainUserAssignment, role, domain_id=domain, user_id=user)

    def validate_user_has_domain_role(self, domain: str | Domain, user: str | User,
                                      role: str | Role, *, inherited: bool = False) -> bool:
        if inherited:
            return self._inherited("HEAD", "domains", domain, "users", user, role)
        return self._exists(RoleDomainUserAssignment, role, domain_id=domain, user_id=user)

    def assign_domain_role_to_group(self, domain: str | Domain, group: str | Group,
                                    role: str | Role, *, inherited: bool = False) -> None:
        """``inherited``: an OS-INHERIT grant the domain's projects hold, the domain not."""
        if inherited:
            self._inherited("PUT", "domains", domain, "groups", group, role)
            return
        self._grant(RoleDomainGroupAssignment, role, domain_id=domain, group_id=group)

    def unassign_domain_role_from_group(self, domain: str | Domain, group: str | Group,
                                        role: str | Role, *, inherited: bool = False) -> None:
        if inherited:
            self._inherited("DELETE", "domains", domain, "groups", group, role)
            return
        self._revoke(RoleDomainGroupAssignment, role, domain_id=domain, group_id=group)

    def validate_group_has_domain_role(self, domain: str | Domain, group: str | Group,
                                       role: str | Role, *, inherited: bool = False) -> bool:
        if inherited:
            return self._inherited("HEAD", "domains", domain, "groups", group, role)
        return self._exists(RoleDomainGroupAssignment, role, domain_id=domain,
                            group_id=group)

    # ``system`` is openstacksdk's argument; Keystone has one system, ``all``.
    def assign_system_role_to_user(self, user: str | User, role: str | Role,
                                   system: str = "all") -> None:
        """Grant ``role`` on the whole deployment (admin; not a domain-specific role)."""
        self._grant(RoleSystemUserAssignment, role, user_id=user)

    def unassign_system_role_from_user(self, user: str | User, role: str | Role,
                                       system: str = "all") -> None:
        self._revoke(RoleSystemUserAssignment, role, user_id=user)

    def validate_user_has_system_role(self, user: str | User, role: str | Role,
                                      system: str = "all") -> bool:
        return self._exists(RoleSystemUserAssignment, role, user_id=user)

    def assign_system_role_to_group(self, group: str | Group, role: str | Role,
                                    system: str = "all") -> None:
        self._grant(RoleSystemGroupAssignment, role, group_id=group)

    def unassign_system_role_from_group(self, group: str | Group, role: str | Role,
                                        system: str = "all") -> None:
        self._revoke(RoleSystemGroupAssignment, role, group_id=group)

    def validate_group_has_system_role(self, group: str | Group, role: str | Role,
                                       system: str = "all") -> bool:
        return self._exists(RoleSystemGroupAssignment, role, group_id=group)

    # -- services, endpoints, regions -----------------------------------------------------
    def services(self, **query: Any) -> ResourceList[Service]:
        return self._list(Service, **query)

    def get_service(self, service: str | Service) -> Service:
        return self._get(Service, service)

    def find_service(self, name_or_id: str, ignore_missing: bool = False) -> Service | None:
        return self._find(Service, name_or_id, ignore_missing=ignore_missing)

    def create_service(self, **attrs: Any) -> Service:
        """Create a catalog service: ``type``, ``name``, ``description``, ``is_enabled``."""
        return self._create(Service, **attrs)

    def update_service(self, service: str | Service, **attrs: Any) -> Service:
        return self._update(Service, service, **attrs)

    def delete_service(self, service: str | Service, ignore_missing: bool = True) -> None:
        """Delete a service and, in Keystone, its endpoints."""
        self._delete(Service, service, ignore_missing=ignore_missing)

    def endpoints(self, **query: Any) -> ResourceList[Endpoint]:
        return self._list(Endpoint, **query)

    def get_endpoint(self, endpoint: str | Endpoint | None = None,  # type: ignore[override]
                     **kwargs: Any) -> Any:
        """The Endpoint record ``endpoint``; with no argument, this proxy's own URL, as the
        keystoneauth Adapter's ``get_endpoint()`` gives it (the core relies on that)."""
        if endpoint is None:
            return super().get_endpoint(**kwargs)
        return self._get(Endpoint, endpoint)

    def find_endpoint(self, name_or_id: str, ignore_missing: bool = False
                      ) -> Endpoint | None:
        return self._find(Endpoint, name_or_id, ignore_missing=ignore_missing)

    def create_endpoint(self, **attrs: Any) -> Endpoint:
        """Create an endpoint: ``service_id``, ``interface``, ``url``, ``region_id``."""
        return self._create(Endpoint, **attrs)

    def update_endpoint(self, endpoint: str | Endpoint, **attrs: Any) -> Endpoint:
        return self._update(Endpoint, endpoint, **attrs)

    def delete_endpoint(self, endpoint: str | Endpoint, ignore_missing: bool = True) -> None:
        self._delete(Endpoint, endpoint, ignore_missing=ignore_missing)

    def regions(self, **query: Any) -> ResourceList[Region]:
        return self._list(Region, **query)

    def get_region(self, region: str | Region) -> Region:
        return self._get(Region, region)

    def find_region(self, name_or_id: str, ignore_missing: bool = False) -> Region | None:
        return self._find(Region, name_or_id, ignore_missing=ignore_missing)

    def create_region(self, **attrs: Any) -> Region:
        """Create a region; ``id`` chooses its name (else Keystone makes one up)."""
        return self._create(Region, **attrs)

    def update_region(self, region: str | Region, **attrs: Any) -> Region:
        return self._update(Region, region, **attrs)

    def delete_region(self, region: str | Region, ignore_missing: bool = True) -> None:
        self._delete(Region, region, ignore_missing=ignore_missing)

    # -- application credentials ----------------------------------------------------------
    def application_credentials(self, user: str | User, **query: Any
                                ) -> ResourceList[ApplicationCredential]:
        return self._list(ApplicationCredential, user_id=user, **query)

    def get_application_credential(self, user: str | User,
                                   application_credential: str | ApplicationCredential
                                   ) -> ApplicationCredential:
        return self._get(ApplicationCredential, application_credential, user_id=user)

    def find_application_credential(self, user: str | User, name_or_id: str,
                                    ignore_missing: bool = False
                                    ) -> ApplicationCredential | None:
        return self._find(ApplicationCredential, name_or_id, ignore_missing=ignore_missing,
                          user_id=user)

    def create_application_credential(self, user: str | User, name: str,
                                      **attrs: Any) -> ApplicationCredential:
        """Create one for ``user`` (only the user itself may): keep ``.secret`` now, it is
        not shown again. ``roles``, ``expires_at``, ``unrestricted``, ``access_rules``."""
        return self._create(ApplicationCredential, user_id=_id(user), name=name, **attrs)

    def delete_application_credential(self, user: str | User,
                                      application_credential: str | ApplicationCredential,
                                      ignore_missing: bool = True) -> None:
        self._delete(ApplicationCredential, application_credential,
                     ignore_missing=ignore_missing, user_id=user)

    # -- credentials ----------------------------------------------------------------------
    def credentials(self, **query: Any) -> ResourceList[Credential]:
        """List credentials: ``user_id``, ``type``; a member sees only its own."""
        return self._list(Credential, **query)

    def get_credential(self, credential: str | Credential) -> Credential:
        return self._get(Credential, credential)

    def find_credential(self, name_or_id: str, ignore_missing: bool = False
                        ) -> Credential | None:
        return self._find(Credential, name_or_id, ignore_missing=ignore_missing)

    def create_credential(self, **attrs: Any) -> Credential:
        """Create one: ``type`` (``ec2``, ``totp``, ``cert``), ``user_id``, ``blob`` (a
        JSON text; an ``ec2`` blob names its ``access`` key) and, for ``ec2``,
        ``project_id``."""
        return self._create(Credential, **attrs)

    def update_credential(self, credential: str | Credential, **attrs: Any) -> Credential:
        """Change the ``blob`` (an ``ec2`` one keeps its ``trust_id``; its id stays even
        when the access key changes)."""
        return self._update(Credential, credential, **attrs)

    def delete_credential(self, credential: str | Credential,
                          ignore_missing: bool = True) -> None:
        self._delete(Credential, credential, ignore_missing=ignore_missing)

    # -- unified limits -------------------------------------------------------------------
    def registered_limits(self, **query: Any) -> ResourceList[RegisteredLimit]:
        """List registered (default) limits: ``service_id``, ``region_id``,
        ``resource_name``."""
        return self._list(RegisteredLimit, **query)

    def get_registered_limit(self, registered_limit: str | RegisteredLimit
                             ) -> RegisteredLimit:
        return self._get(RegisteredLimit, registered_limit)

    def create_registered_limit(self, **attrs: Any) -> RegisteredLimit:
        """Register a default (admin): ``service_id``, ``resource_name``,
        ``default_limit``, optionally ``region_id`` and ``description``."""
        return self._create(RegisteredLimit, **attrs)

    def update_registered_limit(self, registered_limit: str | RegisteredLimit,
                                **attrs: Any) -> RegisteredLimit:
        """Refused (403) while a limit refers to it."""
        return self._update(RegisteredLimit, registered_limit, **attrs)

    def delete_registered_limit(self, registered_limit: str | RegisteredLimit,
                                ignore_missing: bool = True) -> None:
        """Refused (403) while a limit refers to it."""
        self._delete(RegisteredLimit, registered_limit, ignore_missing=ignore_missing)

    def limits(self, **query: Any) -> ResourceList[Limit]:
        """List project and domain limits: ``service_id``, ``region_id``,
        ``resource_name``, ``project_id``, ``domain_id``; a member sees its project's."""
        return self._list(Limit, **query)

    def get_limit(self, limit: str | Limit) -> Limit:
        return self._get(Limit, limit)

    def create_limit(self, **attrs: Any) -> Limit:
        """Override a registered limit (admin): ``service_id``, ``resource_name``,
        ``resource_limit`` and one of ``project_id``/``domain_id``; 403 when no
        registered limit matches."""
        return self._create(Limit, **attrs)

    def update_limit(self, limit: str | Limit, **attrs: Any) -> Limit:
        """Only ``resource_limit`` and ``description`` change."""
        return self._update(Limit, limit, **attrs)

    def delete_limit(self, limit: str | Limit, ignore_missing: bool = True) -> None:
        self._delete(Limit, limit, ignore_missing=ignore_missing)

    # -- policies -------------------------------------------------------------------------
    def policies(self, **query: Any) -> ResourceList[Policy]:
        """List stored policies (admin): ``type``."""
        return self._list(Policy, **query)

    def get_policy(self, policy: str | Policy) -> Policy:
        return self._get(Policy, policy)

    def find_policy(self, name_or_id: str, ignore_missing: bool = True) -> Policy | None:
        """By id (a policy has no name)."""
        return self._find(Policy, name_or_id, ignore_missing=ignore_missing)

    def create_policy(self, **attrs: Any) -> Policy:
        """Store one: ``blob`` (a text) and ``type`` (its MIME type)."""
        return self._create(Policy, **attrs)

    def update_policy(self, policy: str | Policy, **attrs: Any) -> Policy:
        return self._update(Policy, policy, **attrs)

    def delete_policy(self, policy: str | Policy, ignore_missing: bool = True) -> None:
        self._delete(Policy, policy, ignore_missing=ignore_missing)

    # -- trusts ---------------------------------------------------------------------------
    def trusts(self, **query: Any) -> ResourceList[Trust]:
        """List trusts: ``trustor_user_id`` or ``trustee_user_id`` (one's own, unless
        admin); with neither, admin only."""
        return self._list(Trust, **query)

    def get_trust(self, trust: str | Trust) -> Trust:
        return self._get(Trust, trust)

    def find_trust(self, name_or_id: str, ignore_missing: bool = False) -> Trust | None:
        return self._find(Trust, name_or_id, ignore_missing=ignore_missing)

    def create_trust(self, **attrs: Any) -> Trust:
        """Delegate (as the trustor itself): ``trustor_user_id``, ``trustee_user_id``,
        ``impersonation``, ``project_id`` with ``roles`` (``[{"name": "member"}]``) the
        trustor holds there, optionally ``expires_at`` and ``remaining_uses``."""
        return self._create(Trust, **attrs)

    def delete_trust(self, trust: str | Trust, ignore_missing: bool = True) -> None:
        """The trustor or an admin."""
        self._delete(Trust, trust, ignore_missing=ignore_missing)

    # -- tokens ---------------------------------------------------------------------------
    def validate_token(self, token: str, nocatalog: bool = False,
                       allow_expired: bool = False) -> Token:
        """The token ``token`` as Keystone validates it (your own, or any as an admin)."""
        params = {k: True for k, v in (("nocatalog", nocatalog),
                                       ("allow_expired", allow_expired)) if v}
        response = self.get("/auth/tokens", headers={"X-Subject-Token": token},
                            params=params or None)
        return Token._from_body(response.json()["token"], proxy=self)

    def check_token(self, token: str, allow_expired: bool = False) -> bool:
        """Whether ``token`` is valid: True on 200, False on 404."""
        try:
            self.head("/auth/tokens", headers={"X-Subject-Token": token},
                      params={"allow_expired": True} if allow_expired else None)
        except exc.NotFound:
            return False
        return True

    def revoke_token(self, token: str) -> None:
        """Revoke ``token`` (an OS-REVOKE event records it)."""
        self.delete("/auth/tokens", headers={"X-Subject-Token": token})

    # -- federation -----------------------------------------------------------------------
    def identity_providers(self, **query: Any) -> ResourceList[IdentityProvider]:
        """List identity providers: ``id``, ``is_enabled``."""
        return self._list(IdentityProvider, **query)

    def get_identity_provider(self, identity_provider: str | IdentityProvider
                              ) -> IdentityProvider:
        return self._get(IdentityProvider, identity_provider)

    def find_identity_provider(self, name_or_id: str, ignore_missing: bool = True
                               ) -> IdentityProvider | None:
        return self._find(IdentityProvider, name_or_id, ignore_missing=ignore_missing)

    def create_identity_provider(self, **attrs: Any) -> IdentityProvider:
        """Register one under ``id`` (or ``name``): ``remote_ids``, ``domain_id``,
        ``is_enabled``, ``description``, ``authorization_ttl``."""
        return self._put_create(IdentityProvider, attrs)

    def update_identity_provider(self, identity_provider: str | IdentityProvider,
                                 **attrs: Any) -> IdentityProvider:
        return self._update(IdentityProvider, identity_provider, **attrs)

    def delete_identity_provider(self, identity_provider: str | IdentityProvider,
                                 ignore_missing: bool = True) -> None:
        """Its protocols go with it."""
        self._delete(IdentityProvider, identity_provider, ignore_missing=ignore_missing)

    def federation_protocols(self, idp: str | IdentityProvider, **query: Any
                             ) -> ResourceList[FederationProtocol]:
        return self._list(FederationProtocol, idp_id=_id(idp), **query)

    def get_federation_protocol(self, idp: str | IdentityProvider | None,
                                protocol: str | FederationProtocol) -> FederationProtocol:
        return self._get(FederationProtocol, protocol, **_idp(idp, protocol))

    def find_federation_protocol(self, idp: str | IdentityProvider, protocol: str,
                                 ignore_missing: bool = True) -> FederationProtocol | None:
        return self._find(FederationProtocol, protocol, ignore_missing=ignore_missing,
                          idp_id=_id(idp))

    def create_federation_protocol(self, idp: str | IdentityProvider,
                                   **attrs: Any) -> FederationProtocol:
        """``id`` (or ``name``: ``saml2``, ``openid``…) and ``mapping_id``, which must
        exist."""
        return self._put_create(FederationProtocol, {**attrs, "idp_id": _id(idp)})

    def update_federation_protocol(self, idp: str | IdentityProvider | None,
                                   protocol: str | FederationProtocol,
                                   **attrs: Any) -> FederationProtocol:
        res = self._resource(FederationProtocol, protocol, **_idp(idp, protocol))
        res._set(attrs)
        return res.update(self)

    def delete_federation_protocol(self, idp: str | IdentityProvider | None,
                                   protocol: str | FederationProtocol,
                                   ignore_missing: bool = True) -> None:
        self._delete(FederationProtocol, protocol, ignore_missing=ignore_missing,
                     **_idp(idp, protocol))

    def mappings(self, **query: Any) -> ResourceList[Mapping]:
        return self._list(Mapping, **query)

    def get_mapping(self, mapping: str | Mapping) -> Mapping:
        return self._get(Mapping, mapping)

    def find_mapping(self, name_or_id: str, ignore_missing: bool = True) -> Mapping | None:
        return self._find(Mapping, name_or_id, ignore_missing=ignore_missing)

    def create_mapping(self, **attrs: Any) -> Mapping:
        """``id`` (or ``name``) and ``rules`` (each with ``local`` and ``remote``)."""
        return self._put_create(Mapping, attrs)

    def update_mapping(self, mapping: str | Mapping, **attrs: Any) -> Mapping:
        return self._update(Mapping, mapping, **attrs)

    def delete_mapping(self, mapping: str | Mapping, ignore_missing: bool = True) -> None:
        self._delete(Mapping, mapping, ignore_missing=ignore_missing)

    def service_providers(self, **query: Any) -> ResourceList[ServiceProvider]:
        return self._list(ServiceProvider, **query)

    def get_service_provider(self, service_provider: str | ServiceProvider
                             ) -> ServiceProvider:
        return self._get(ServiceProvider, service_provider)

    def find_service_provider(self, name_or_id: str, ignore_missing: bool = True
                              ) -> ServiceProvider | None:
        return self._find(ServiceProvider, name_or_id, ignore_missing=ignore_missing)

    def create_service_provider(self, **attrs: Any) -> ServiceProvider:
        """``id`` (or ``name``), ``auth_url`` and ``sp_url``."""
        return self._put_create(ServiceProvider, attrs)

    def update_service_provider(self, service_provider: str | ServiceProvider,
                                **attrs: Any) -> ServiceProvider:
        return self._update(ServiceProvider, service_provider, **attrs)

    def delete_service_provider(self, service_provider: str | ServiceProvider,
                                ignore_missing: bool = True) -> None:
        self._delete(ServiceProvider, service_provider, ignore_missing=ignore_missing)

    # -- endpoint filters -----------------------------------------------------------------
    def endpoint_groups(self, **query: Any) -> ResourceList[EndpointGroup]:
        return self._list(EndpointGroup, **query)

    def get_endpoint_group(self, endpoint_group: str | EndpointGroup) -> EndpointGroup:
        return self._get(EndpointGroup, endpoint_group)

    def find_endpoint_group(self, name_or_id: str, ignore_missing: bool = True
                            ) -> EndpointGroup | None:
        return self._find(EndpointGroup, name_or_id, ignore_missing=ignore_missing)

    def create_endpoint_group(self, **attrs: Any) -> EndpointGroup:
        """``name`` and ``filters`` (``service_id``, ``region_id``, ``interface``)."""
        return self._create(EndpointGroup, **attrs)

    def update_endpoint_group(self, endpoint_group: str | EndpointGroup,
                              **attrs: Any) -> EndpointGroup:
        return self._update(EndpointGroup, endpoint_group, **attrs)

    def delete_endpoint_group(self, endpoint_group: str | EndpointGroup,
                              ignore_missing: bool = True) -> None:
        self._delete(EndpointGroup, endpoint_group, ignore_missing=ignore_missing)

    def endpoint_group_endpoints(self, endpoint_group: str | EndpointGroup,
                                 **query: Any) -> ResourceList[EndpointGroupEndpoint]:
        return self._list(EndpointGroupEndpoint, endpoint_group_id=_id(endpoint_group),
                          **query)

    def endpoint_group_projects(self, endpoint_group: str | EndpointGroup,
                                **query: Any) -> ResourceList[EndpointGroupProject]:
        return self._list(EndpointGroupProject, endpoint_group_id=_id(endpoint_group),
                          **query)

    def project_endpoint_groups(self, project: str | Project,
                                **query: Any) -> ResourceList[ProjectEndpointGroup]:
        return self._list(ProjectEndpointGroup, project_id=_id(project), **query)

    def project_endpoints(self, project: str | Project,
                          **query: Any) -> ResourceList[ProjectEndpoint]:
        """The endpoints the project's tokens carry once it is filtered."""
        return self._list(ProjectEndpoint, project_id=_id(project), **query)

    def endpoint_projects(self, endpoint: str | Endpoint,
                          **query: Any) -> ResourceList[EndpointProject]:
        return self._list(EndpointProject, endpoint_id=_id(endpoint), **query)

    def associate_project_with_endpoint_group(self, endpoint_group: str | EndpointGroup,
                                              project: str | Project) -> None:
        """The project's catalog then holds the group's endpoints (and those associated
        with it directly), no others."""
        self.put(f"/OS-EP-FILTER/endpoint_groups/{_id(endpoint_group)}/projects/"
                 f"{_id(project)}")

    def disassociate_project_from_endpoint_group(self, endpoint_group: str | EndpointGroup,
                                                 project: str | Project) -> None:
        self.delete(f"/OS-EP-FILTER/endpoint_groups/{_id(endpoint_group)}/projects/"
                    f"{_id(project)}")

    def associate_endpoint_with_project(self, project: str | Project,
                                        endpoint: str | Endpoint) -> None:
        self.put(f"/OS-EP-FILTER/projects/{_id(project)}/endpoints/{_id(endpoint)}")

    def disassociate_endpoint_from_project(self, project: str | Project,
                                           endpoint: str | Endpoint) -> None:
        self.delete(f"/OS-EP-FILTER/projects/{_id(project)}/endpoints/{_id(endpoint)}")

    # -- access rules and domain configuration --------------------------------------------
    def access_rules(self, user: str | User, **query: Any) -> ResourceList[AccessRule]:
        return self._list(AccessRule, user_id=_id(user), **query)

    def get_access_rule(self, user: str | User, access_rule: str | AccessRule) -> AccessRule:
        return self._get(AccessRule, access_rule, user_id=_id(user))

    def delete_access_rule(self, user: str | User, access_rule: str | AccessRule,
                           ignore_missing: bool = True) -> None:
        """Refused (403) while an application credential uses it."""
        self._delete(AccessRule, access_rule, ignore_missing=ignore_missing,
                     user_id=_id(user))

    def get_domain_config(self, domain: str | Domain) -> DomainConfig:
        return self._get(DomainConfig, domain_id=_id(domain))

    def create_domain_config(self, domain: str | Domain, **attrs: Any) -> DomainConfig:
        """Set (or replace) it: ``identity={"driver": …}``, ``ldap={…}``."""
        return self._create(DomainConfig, domain_id=_id(domain), **attrs)

    def update_domain_config(self, domain: str | Domain, **attrs: Any) -> DomainConfig:
        """Merge into the groups and options set."""
        res = DomainConfig._from_body({}, {"domain_id": _id(domain)})
        res._set(attrs)
        return res.update(self)

    def delete_domain_config(self, domain: str | Domain, ignore_missing: bool = True
                             ) -> None:
        self._delete(DomainConfig, None, ignore_missing=ignore_missing,
                     domain_id=_id(domain))

    # -- helpers --------------------------------------------------------------------------
    def _grant(self, grant: type[RoleGrant], role: str | Role, **uri: Any) -> None:
        self._resource(grant, role, **uri).create(self)

    def _revoke(self, grant: type[RoleGrant], role: str | Role, **uri: Any) -> None:
        self._delete(grant, role, ignore_missing=False, **uri)

    def _put_create(self, resource_type: type[R], attrs: dict[str, Any]) -> R:
        """Create by ``PUT`` to the id chosen (``id``, else ``name``), which stays out of
        the body (Keystone's schemas refuse it there)."""
        ident = attrs.pop("id", None) or attrs.pop("name", None)
        if not ident:
            raise exc.InvalidRequest(f"{resource_type.__name__}: an id (or name) is "
                                     "required")
        uri = {k: attrs.pop(k) for k in [k for k, p in resource_type._props.items()
                                         if p.in_uri and k in attrs]}
        res = resource_type._from_body({"id": ident}, uri)
        res._set(attrs)
        return res.create(self)

    def _inherited(self, method: str, scope: str, target: Any, actors: str, actor: Any,
                   role: Any) -> bool:
        """An OS-INHERIT grant: ``PUT``, ``HEAD`` (True when held, False on 404) or
        ``DELETE``."""
        url = (f"/OS-INHERIT/{scope}/{_id(target)}/{actors}/{_id(actor)}/roles/{_id(role)}"
               "/inherited_to_projects")
        try:
            self.request(url, method)
        except exc.NotFound:
            if method != "HEAD":
                raise
            return False
        return True

    def _exists(self, resource_type: type[Any], value: Any, **uri: Any) -> bool:
        """HEAD the item: True on 2xx, False on 404."""
        try:
            self._head(resource_type, value, **uri)
        except exc.NotFound:
            return False
        return True

    @staticmethod
    def _grant_type(domain: Any, project: Any, group: Any, user: Any
                    ) -> tuple[type[RoleGrant], dict[str, Any]]:
        if project is not None:
            if user is not None:
                return RoleProjectUserAssignment, {"project_id": project, "user_id": user}
            return RoleProjectGroupAssignment, {"project_id": project, "group_id": group}
        if user is not None:
            return RoleDomainUserAssignment, {"domain_id": domain, "user_id": user}
        return RoleDomainGroupAssignment, {"domain_id": domain, "group_id": group}


def _idp(idp: Any, protocol: Any) -> dict[str, Any]:
    """The ``idp_id`` of a protocol call: given, or the protocol object's own."""
    if idp is None and isinstance(protocol, FederationProtocol):
        return {}
    return {"idp_id": _id(idp)}


def _id(value: Any) -> Any:
    """An id from an id or a Resource (for URI attributes set through the constructor)."""
    return getattr(value, "id", value)
