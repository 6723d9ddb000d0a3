"""The generated identity world: domains, projects, users, groups, roles, the catalog."""

from __future__ import annotations

import hashlib
import json
import random
import string
import uuid

from ...store import Record, Store
from ._common import hash_secret, hex_id

__all__ = ["seed"]

_TEAMS = ("payments checkout search recommendations data-platform ml-research web-frontend "
          "mobile-api observability ci-runners billing analytics media-transcode edge-cache "
          "support-tools inventory logistics fraud-detection notifications identity-gateway "
          "catalog pricing warehouse streaming customer-portal partner-api geo-services "
          "messaging").split()
_ENVS = ["prod", "staging", "dev", "qa", "sandbox", "perf"]
_FIRST = ("alice bob carol dmitri elena farid grace hiro ines jamal kira luca maya nikolai "
          "olga priya quentin rosa sven tariq uma viktor wen ximena yusuf zoe amara bjorn "
          "chen diego").split()
_LAST = ("nguyen smith garcia mueller rossi kowalski tanaka okafor johansson silva novak "
         "patel dubois kim haddad larsen moreau ivanova brown costa sato fischer ahmed walsh "
         "romero berg").split()
_GROUPS = [("sre", "Site reliability engineers: member on every production project"),
           ("developers", "Application developers"),
           ("auditors", "Read-only access for compliance reviews")]
_SERVICE_USERS = ["nova", "neutron", "cinder", "glance", "placement"]


def _password(store: Store, length: int = 20) -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(store.rng.choice(alphabet) for _ in range(length))


def _grant(store: Store, actor: str, actor_id: str, scope: str, scope_id: str,
           role_id: str) -> None:
    key = f"{actor}|{actor_id}|{scope}|{scope_id}|{role_id}"
    target = {"all": True} if scope == "system" else {"id": scope_id}
    store.table("role_assignments")[key] = {
        "role": {"id": role_id}, "scope": {scope: target}, actor: {"id": actor_id}}


def _user(store: Store, name: str, domain_id: str, password: str, *,
          email: str | None = None, default_project_id: str | None = None,
          description: str | None = None) -> Record:
    uid = hex_id(store)
    user: Record = {"id": uid, "name": name, "domain_id": domain_id, "enabled": True,
                    "password_expires_at": None, "options": {},
                    "_password_hash": hash_secret(uid, password)}
    optional = {"email": email, "description": description,
                "default_project_id": default_project_id}
    user.update((k, v) for k, v in optional.items() if v)
    store.table("users")[uid] = user
    return user


def _project(store: Store, name: str, domain_id: str, description: str, *,
             parent_id: str | None = None, system: bool = False) -> Record:
    pid = hex_id(store)
    project: Record = {"id": pid, "name": name, "domain_id": domain_id,
                       "description": description, "enabled": True,
                       "parent_id": parent_id or domain_id, "is_domain": False,
                       "tags": [], "options": {}, **({"_system": True} if system else {})}
    store.table("projects")[pid] = project
    return project


def _project_names(store: Store, count: int) -> list[str]:
    teams = list(_TEAMS)
    store.rng.shuffle(teams)
    names = list(teams)
    names += [f"{t}-{e}" for e in _ENVS for t in teams]
    i = 2
    while len(names) < count:
        names += [f"{t}-{e}-{i}" for e in _ENVS for t in teams]
        i += 1
    return names[:count]


def _user_names(store: Store) -> list[str]:
    """Every first.last combination, shuffled; numbered when a big world needs more."""
    names = [f"{f}.{last}" for f in _FIRST for last in _LAST]
    store.rng.shuffle(names)
    return names


def seed(store: Store) -> None:
    """Fill the identity tables. Runs first: other services read ``projects``."""
    cfg = store.config
    domains, roles = store.table("domains"), store.table("roles")
    for table in ("users", "groups", "group_members", "role_assignments",
                  "application_credentials"):
        store.table(table)
    domains["default"] = {"id": "default", "name": "Default", "enabled": True,
                          "description": "The default domain", "tags": [], "options": {}}
    partners = hex_id(store)
    domains[partners] = {"id": partners, "name": "Partners", "enabled": True,
                         "description": "Projects run with external partners",
                         "tags": [], "options": {}}

    role_ids: dict[str, str] = {}
    for name in ("admin", "member", "reader", "service"):
        rid = hex_id(store)
        role_ids[name] = rid
        roles[rid] = {"id": rid, "name": name, "domain_id": None, "description": None,
                      "options": {"immutable": True}}

    admin_project = _project(store, "admin", "default", "Bootstrap project for the cloud "
                             "administrators", system=True)
    service_project = _project(store, "service", "default", "Service users of the "
                               "OpenStack services", system=True)
    admin_password = _password(store)
    # As ``keystone-manage bootstrap`` makes it: no default project, so an unscoped
    # password login gives an unscoped token.
    admin = _user(store, "admin", "default", admin_password, email="cloud-admin@example.org")
    _grant(store, "user", admin["id"], "project", admin_project["id"], role_ids["admin"])
    _grant(store, "user", admin["id"], "domain", "default", role_ids["admin"])
    # keystone-manage bootstrap gives the admin the admin role on the system as well.
    _grant(store, "user", admin["id"], "system", "all", role_ids["admin"])
    for name in _SERVICE_USERS:
        svc = _user(store, name, "default", _password(store),
                    description=f"{name} service user")
        _grant(store, "user", svc["id"], "project", service_project["id"], role_ids["admin"])
        _grant(store, "user", svc["id"], "project", service_project["id"],
               role_ids["service"])

    # Groups per domain.
    groups: dict[tuple[str, str], str] = {}
    for domain_id in ("default", partners):
        for gname, gdesc in _GROUPS:
            gid = hex_id(store)
            store.table("groups")[gid] = {"id": gid, "name": gname, "domain_id": domain_id,
                                          "description": gdesc}
            groups[(domain_id, gname)] = gid

    # Ordinary projects: every fourth in Partners, some nested under an earlier one.
    user_names = _user_names(store)
    next_user = 0
    top_level: dict[str, list[str]] = {"default": [], partners: []}
    member_meta: dict[str, str] = {}
    for i, name in enumerate(_project_names(store, cfg.projects)):
        domain_id = partners if i % 4 == 3 else "default"
        parent = None
        if top_level[domain_id] and store.rng.random() < 0.15:
            parent = store.rng.choice(top_level[domain_id])
        team = name.split("-")[0]
        project = _project(store, name, domain_id, f"{name.replace('-', ' ').title()} "
                           f"({team} team)", parent_id=parent)
        if parent is None:
            top_level[domain_id].append(project["id"])
        pid = project["id"]
        for j in range(store.rng.randint(2, 4)):
            if next_user >= len(user_names):
                base = user_names[next_user % len(user_names)]
                uname = f"{base}{next_user // len(user_names) + 1}"
            else:
                uname = user_names[next_user]
            next_user += 1
            password = _password(store)
            user = _user(store, uname, domain_id, password, email=f"{uname}@example.org",
                         default_project_id=pid)
            role = "reader" if j == 3 else "member"
            _grant(store, "user", user["id"], "project", pid, role_ids[role])
            if not member_meta and domain_id == "default":
                member_meta = {"member_user": uname, "member_password": password,
                               "member_project": name, "member_project_id": pid}
            roll = store.rng.random()
            if roll < 0.25:
                _join(store, groups[(domain_id, "developers")], user["id"])
            elif roll < 0.35:
                _join(store, groups[(domain_id, "sre")], user["id"])
        if name.endswith("-prod") or i % 3 == 0:
            _grant(store, "group", groups[(domain_id, "sre")], "project", pid,
                   role_ids["member"])
        if i % 2 == 0:
            _grant(store, "group", groups[(domain_id, "auditors")], "project", pid,
                   role_ids["reader"])

    _seed_catalog(store)
    _seed_manager(store, role_ids)
    store.meta.update({
        "admin_user": "admin", "admin_password": admin_password, "admin_project": "admin",
        "admin_project_id": admin_project["id"], "service_project_id": service_project["id"],
        "region": "RegionOne", "role_ids": dict(role_ids), **member_meta})
    _seed_tags(store)
    _seed_limits(store)
    _seed_credentials(store)
    _seed_trust(store)
    _seed_policy(store)
    _seed_federation(store, partners)
    _seed_oauth1(store)


def _seed_manager(store: Store, role_ids: dict[str, str]) -> None:
    """Keystone's bootstrap chain admin > manager > member > reader.

    ``manager`` came later than the other roles; its id comes from a generator of its own
    (seeded from the world's seed) so that the ids drawn after it, in every service, stay
    what they were.
    """
    rid = uuid.UUID(int=random.Random(f"{store.config.seed}:manager").getrandbits(128),
                    version=4).hex
    role_ids["manager"] = rid
    store.table("roles")[rid] = {"id": rid, "name": "manager", "domain_id": None,
                                 "description": None, "options": {"immutable": True}}
    implied = store.table("implied_roles")
    for prior, nxt in (("admin", "manager"), ("manager", "member"), ("member", "reader")):
        implied[f"{role_ids[prior]}|{role_ids[nxt]}"] = {
            "prior_role_id": role_ids[prior], "implied_role_id": role_ids[nxt]}


def _join(store: Store, group_id: str, user_id: str) -> None:
    store.table("group_members")[f"{group_id}|{user_id}"] = {"group_id": group_id,
                                                              "user_id": user_id}


def _seed_catalog(store: Store) -> None:
    """Services and endpoints from the catalog entries the app hands in
    (``store.meta["catalog"]``: every service's ``CATALOG``, in order); urls relative until
    the server is bound (``_relative``), rendered with ``store.base_url``."""
    regions = store.table("regions")
    names = ["RegionOne", "RegionTwo"][:max(1, min(2, store.config.regions))]
    for name in names:
        regions[name] = {"id": name, "description": "", "parent_region_id": None}
    services, endpoints = store.table("services"), store.table("endpoints")
    for entries in store.meta.get("catalog", ()):
        for stype, sname, path in entries:
            sid = hex_id(store)
            services[sid] = {"id": sid, "type": stype, "name": sname, "enabled": True,
                             "description": f"OpenStack {stype} service"}
            template = path.replace("{project_id}", "$(project_id)s")
            for region in names:
                for interface in ("public", "internal", "admin"):
                    eid = hex_id(store)
                    endpoints[eid] = {"id": eid, "interface": interface, "region": region,
                                      "region_id": region, "service_id": sid,
                                      "url": template, "enabled": True, "_relative": True}


# Nova's and Glance's unified-limit resources (nova.limit, glance's [oslo_limit]) with
# the defaults a deployment registers.
_REGISTERED = {"compute": [("servers", 10), ("class:VCPU", 20), ("class:MEMORY_MB", 51200),
                           ("server_key_pairs", 100), ("server_groups", 10)],
               "image": [("image_size_total", 1000), ("image_count_total", 100)]}


def _extra_rng(store: Store, topic: str) -> random.Random:
    """A generator of its own for records added after the others were drawn, so the ids
    every service drew before stay what they were."""
    return random.Random(f"{store.config.seed}:{topic}")


def _extra_id(rng: random.Random) -> str:
    return uuid.UUID(int=rng.getrandbits(128), version=4).hex


def _seed_tags(store: Store) -> None:
    """Each ordinary project tagged with its team and, where its name has one, its
    environment (``team:payments``, ``env:prod``)."""
    for project in store.table("projects").values():
        if project.get("_system") or project["is_domain"]:
            continue
        team, *rest = project["name"].split("-")
        envs = [part for part in rest if part in _ENVS]
        project["tags"] = [f"team:{team}", *(f"env:{e}" for e in envs[:1])]


def _seed_limits(store: Store) -> None:
    """Registered limits for compute and image, and a raised ``servers`` limit on the
    member's project."""
    rng = _extra_rng(store, "limits")
    services = {s["type"]: s["id"] for s in store.table("services").values()}
    registered, limits = store.table("registered_limits"), store.table("limits")
    for stype, resources in _REGISTERED.items():
        if stype not in services:
            continue
        for name, default in resources:
            rid = _extra_id(rng)
            registered[rid] = {"id": rid, "service_id": services[stype], "region_id": None,
                               "resource_name": name, "default_limit": default,
                               "description": None}
    servers = next((r for r in registered.values() if r["resource_name"] == "servers"), None)
    project_id = store.meta.get("member_project_id")
    if servers is not None and project_id:
        lid = _extra_id(rng)
        limits[lid] = {"id": lid, "service_id": servers["service_id"], "region_id": None,
                       "resource_name": "servers", "project_id": project_id,
                       "domain_id": None, "resource_limit": 20,
                       "description": "Raised for the launch",
                       "_registered_limit_id": servers["id"]}


def _seed_credentials(store: Store) -> None:
    """An EC2 credential for the member user, as ``openstack ec2 credentials create``
    makes it (the id is the SHA-256 of the access key)."""
    rng = _extra_rng(store, "credentials")
    credentials = store.table("credentials")
    user = next((u for u in store.table("users").values()
                 if u["name"] == store.meta.get("member_user")), None)
    if user is None:
        return
    access, secret = _extra_id(rng), _extra_id(rng)
    cid = hashlib.sha256(access.encode()).hexdigest()
    credentials[cid] = {
        "id": cid, "type": "ec2", "user_id": user["id"],
        "project_id": store.meta["member_project_id"],
        "blob": json.dumps({"access": access, "secret": secret, "trust_id": None})}


def _seed_trust(store: Store) -> None:
    """The member delegates its ``member`` role on its project to a colleague there (no
    impersonation, no expiry), as one does for a holiday."""
    project_id, name = store.meta.get("member_project_id"), store.meta.get("member_user")
    users = store.table("users")
    trustor = next((u for u in users.values() if u["name"] == name), None)
    role_id = store.meta.get("role_ids", {}).get("member")
    colleague = next((u for u in users.values() if trustor is not None and
                      u["id"] != trustor["id"] and u.get("default_project_id") == project_id),
                     None)
    if trustor is None or colleague is None or not role_id:
        return
    tid = _extra_id(_extra_rng(store, "trusts"))
    store.table("trusts")[tid] = {
        "id": tid, "trustor_user_id": trustor["id"], "trustee_user_id": colleague["id"],
        "project_id": project_id, "impersonation": False, "roles": [{"id": role_id}],
        "expires_at": None, "remaining_uses": None, "redelegation_count": 0,
        "redelegated_trust_id": None, "deleted_at": None}


def _seed_policy(store: Store) -> None:
    """One stored policy blob (the deprecated ``/v3/policies`` store), the compute
    override the api-ref shows."""
    pid = _extra_id(_extra_rng(store, "policies"))
    store.table("policies")[pid] = {"id": pid, "type": "application/json",
                                    "blob": json.dumps({"foobar_user": ["role:compute-user"]})}


def _seed_federation(store: Store, partners: str) -> None:
    """The Partners domain signs in through its partners' SAML2 identity provider (a
    mapping puts every federated user in the domain's ``developers`` group) and keeps its
    users in their LDAP (a domain-specific configuration); the cloud trusts an edge cloud
    as a service provider."""
    group = next((g for g in store.table("groups").values()
                  if g["domain_id"] == partners and g["name"] == "developers"), None)
    if group is None:
        return
    store.table("fed_mappings")["partner-sso-mapping"] = {
        "id": "partner-sso-mapping", "schema_version": "1.0", "rules": [{
            "local": [{"user": {"name": "{0}"}}, {"group": {"id": group["id"]}}],
            "remote": [{"type": "REMOTE_USER"}]}]}
    store.table("identity_providers")["partner-sso"] = {
        "id": "partner-sso", "domain_id": partners, "enabled": True,
        "description": "Single sign-on of the partner organisations",
        "remote_ids": ["https://sso.partners.example.org/idp"], "authorization_ttl": None}
    store.table("fed_protocols")["partner-sso|saml2"] = {
        "id": "saml2", "mapping_id": "partner-sso-mapping", "remote_id_attribute": None,
        "idp_id": "partner-sso"}
    store.table("service_providers")["edge-cloud"] = {
        "id": "edge-cloud", "enabled": True, "description": "The edge sites' cloud",
        "auth_url": "https://edge.example.org/identity/v3/OS-FEDERATION/identity_providers/"
                    "central/protocols/saml2/auth",
        "sp_url": "https://edge.example.org/Shibboleth.sso/SAML2/ECP",
        "relay_state_prefix": "ss:mem:"}
    store.table("domain_configs")[partners] = {
        "identity": {"driver": "ldap"},
        "ldap": {"url": "ldap://ldap.partners.example.org",
                 "user_tree_dn": "ou=Users,dc=partners,dc=example,dc=org"}}
    policy = next(iter(store.table("policies")), None)
    compute = next((s["id"] for s in store.table("services").values()
                    if s["type"] == "compute"), None)
    if policy and compute:
        store.table("policy_associations")[f"|{compute}|"] = {
            "policy_id": policy, "endpoint_id": None, "service_id": compute,
            "region_id": None}
    # An endpoint group ready for projects that reach the cloud only from outside (none
    # associated yet: every project's catalog is whole).
    gid = _extra_id(_extra_rng(store, "endpoint_groups"))
    store.table("endpoint_groups")[gid] = {
        "id": gid, "name": "public-endpoints", "filters": {"interface": "public"},
        "description": "The public endpoints, for projects that reach the cloud from outside"}


def _seed_oauth1(store: Store) -> None:
    """A CI dashboard registered as an OAuth1 consumer, holding the member's delegation of
    its ``member`` role on its project."""
    rng = _extra_rng(store, "oauth1")
    consumer_id, token_id = _extra_id(rng), _extra_id(rng)
    store.table("oauth1_consumers")[consumer_id] = {"id": consumer_id,
                                                    "description": "CI dashboard"}
    user = next((u for u in store.table("users").values()
                 if u["name"] == store.meta.get("member_user")), None)
    role_id = store.meta.get("role_ids", {}).get("member")
    if user is None or not role_id:
        return
    store.table("oauth1_tokens")[token_id] = {
        "id": token_id, "consumer_id": consumer_id,
        "project_id": store.meta["member_project_id"], "authorizing_user_id": user["id"],
        "expires_at": None, "_role_ids": [role_id]}
