"""RBAC policies: an object shared with one project or every project (``access_as_shared``),
or a network offered as external (``access_as_external``).

A wildcard (``*``) policy and the object's ``shared`` (``router:external``) flag are one
fact: the flag makes its policy when the policies are read, and creating or deleting the
wildcard policy sets the flag. A policy for one project makes the object visible to that
project and to nobody else; removing it while the target still uses the object is
Neutron's 409 ``RbacPolicyInUse``.
"""

from __future__ import annotations

import uuid
import weakref
from typing import Any

from starlette.routing import BaseRoute

from ...engine import Ctx, Field
from ...http import ApiError
from ...store import Record, Store
from . import model
from ._common import ONCE, RO, NeutronCollection, bad, conflict
from .quotas import check_quota

__all__ = ["RBAC_POLICIES", "reaches", "routes", "shared_with"]

OBJECTS: dict[str, tuple[str, str, str]] = {
    "network": ("networks", "Network", "NetworkNotFound"),
    "qos_policy": ("qos_policies", "QoS policy", "QosPolicyNotFound"),
    "security_group": ("security_groups", "Security group", "SecurityGroupNotFound"),
    "subnetpool": ("subnetpools", "Subnet pool", "SubnetPoolNotFound"),
    "address_scope": ("address_scopes", "Address scope", "AddressScopeNotFound"),
}
"""object_type → (table, its 404's words, its 404's type)."""
FLAGS: dict[tuple[str, str], str] = {
    ("network", "access_as_shared"): "shared",
    ("network", "access_as_external"): "router:external",
    ("qos_policy", "access_as_shared"): "shared",
    ("security_group", "access_as_shared"): "shared",
    ("subnetpool", "access_as_shared"): "shared",
    ("address_scope", "access_as_shared"): "shared",
}
"""(object_type, action) → the object's flag its wildcard policy stands for."""
_NAMESPACE = uuid.UUID("6b0c6a8e-7d0f-4c1e-9a55-2f6c8e3d1b07")

_REACH: weakref.WeakKeyDictionary[Store, dict[tuple[str, str, str], set[str]]] = \
    weakref.WeakKeyDictionary()


def _wildcard_id(object_type: str, object_id: str, action: str) -> str:
    """The id of a flag's own policy: the same for a seed, drawing nothing from its rng."""
    return str(uuid.uuid5(_NAMESPACE, f"{object_type}:{object_id}:{action}"))


def _sync(store: Store) -> dict[str, Record]:
    """The policies, with each flag's wildcard policy present exactly when the flag is
    set, and none left for an object that is gone."""
    table = store.table("rbac_policies")
    wild = {(p["object_type"], p["object_id"], p["action"]): pid
            for pid, p in table.items() if p["target_tenant"] == "*"}
    for (object_type, action), flag in FLAGS.items():
        for obj in store.table(OBJECTS[object_type][0]).values():
            key = (object_type, obj["id"], action)
            if obj.get(flag) and key not in wild:
                pid = _wildcard_id(*key)
                table[pid] = _policy(pid, obj["project_id"], object_type, obj["id"], action,
                                     "*")
            elif not obj.get(flag) and key in wild:
                del table[wild[key]]
    gone = [pid for pid, p in table.items()
            if p["object_id"] not in store.table(OBJECTS[p["object_type"]][0])]
    for pid in gone:
        del table[pid]
    if gone:
        _REACH.pop(store, None)
    return table


def _policy(pid: str, project_id: str, object_type: str, object_id: str, action: str,
            target: str) -> Record:
    return {"id": pid, "project_id": project_id, "tenant_id": project_id,
            "object_type": object_type, "object_id": object_id, "action": action,
            "target_tenant": target}


def _targets(store: Store) -> dict[tuple[str, str, str], set[str]]:
    """(object_type, object_id, action) → the projects its one-project policies name."""
    reach = _REACH.get(store)
    if reach is None:
        reach = {}
        for p in store.table("rbac_policies").values():
            if p["target_tenant"] != "*":
                reach.setdefault((p["object_type"], p["object_id"], p["action"]),
                                 set()).add(p["target_tenant"])
        _REACH[store] = reach
    return reach


def reaches(store: Store, object_type: str, object_id: str, project_id: str | None) -> bool:
    """Whether a policy for ``project_id`` (not a wildcard: the flags say those) lets it
    see the object."""
    reach = _targets(store)
    return any(project_id in reach.get((object_type, object_id, action), ())
               for action in ("access_as_shared", "access_as_external"))


def shared_with(store: Store, object_type: str, object_id: str,
                project_id: str | None) -> bool:
    """Whether an ``access_as_shared`` policy names ``project_id`` itself (Neutron's
    ``_is_network_shared`` matches ``*`` or the caller's project: the flag says ``*``)."""
    return project_id in _targets(store).get((object_type, object_id, "access_as_shared"),
                                             ())


def _in_use(store: Store, policy: Record, target: str) -> None:
    """Neutron's 409 when ``target`` (``*``: any project but the owner) still uses the
    object through ``policy``."""
    obj_id = policy["object_id"]
    obj = store.table(OBJECTS[policy["object_type"]][0]).get(obj_id) or {}
    owner = obj.get("project_id", policy["project_id"])
    others = {p["target_tenant"] for p in store.table("rbac_policies").values()
              if p["id"] != policy["id"] and p["object_id"] == obj_id
              and p["action"] == policy["action"]}
    if "*" in others:
        return

    def depends(project: str) -> bool:
        if not project or project == owner or project in others:
            return False
        return target == "*" or project == target

    users: list[str] = []
    if policy["object_type"] == "network" and policy["action"] == "access_as_shared":
        ports = store.table("ports")
        users = [ports[i]["project_id"] for i in model.index(store).ports_by_network.get(
            obj_id, {}) if i in ports]
    elif policy["object_type"] == "network":
        users = [f["project_id"] for f in store.table("floatingips").values()
                 if f["floating_network_id"] == obj_id]
        users += [r["project_id"] for r in store.table("routers").values()
                  if (r.get("external_gateway_info") or {}).get("network_id") == obj_id]
    elif policy["object_type"] == "qos_policy":
        users = [r["project_id"] for name in ("ports", "networks")
                 for r in store.table(name).values() if r.get("qos_policy_id") == obj_id]
    if any(map(depends, users)):
        raise conflict(f"RBAC policy on object {obj_id} cannot be removed because other "
                       "objects depend on it.", "RbacPolicyInUse")


class RbacPolicies(NeutronCollection):
    """The policies: each owner's own; a wildcard needs an admin."""

    stamped = False

    def records(self, store: Store) -> dict[str, Record]:
        return _sync(store)

    def _target(self, ctx: Ctx, target: str, action: str) -> None:
        if target == "*" and not ctx.admin:
            raise self.dialect.forbidden(f"{self.rule(action)}:target_tenant")

    def _duplicate(self, ctx: Ctx, policy: dict[str, Any], skip: str = "") -> None:
        key = ("object_type", "object_id", "action", "target_tenant")
        for other in self.records(ctx.store).values():
            if other["id"] != skip and all(other[k] == policy[k] for k in key):
                raise conflict("An RBAC policy already exists with those values.",
                               "DuplicateRbacPolicy")

    def _set_flag(self, store: Store, policy: Record, value: bool) -> None:
        flag = FLAGS[policy["object_type"], policy["action"]]
        obj = store.table(OBJECTS[policy["object_type"]][0]).get(policy["object_id"])
        if obj is not None and bool(obj.get(flag)) != value:
            obj[flag] = value
            model.stamp(obj)

    def make(self, ctx: Ctx, project_id: str, attrs: dict[str, Any]) -> Record:
        object_type, action = attrs["object_type"], attrs["action"]
        if (object_type, action) not in FLAGS:
            valid = sorted(a for t, a in FLAGS if t == object_type)
            raise bad(f"Invalid action '{action}' for object type '{object_type}'. Valid "
                      f"actions: {valid}", type="InvalidActionForType")
        table, words, type_ = OBJECTS[object_type]
        obj = ctx.store.table(table).get(attrs["object_id"])
        visible = obj is not None and (
            ctx.admin or obj["project_id"] == ctx.token.project_id or bool(obj.get("shared"))
            or reaches(ctx.store, object_type, obj["id"], ctx.token.project_id))
        if obj is None or not visible:
            raise ApiError(404, f"{words} {attrs['object_id']} could not be found.",
                           type=type_)
        if not ctx.admin and obj["project_id"] != ctx.token.project_id:
            raise bad("Invalid input for operation: Only admins can manipulate policies on "
                      "objects they do not own.", type="InvalidInput")
        self._target(ctx, attrs["target_tenant"], "create")
        owner = project_id if ctx.admin else obj["project_id"]
        if attrs["target_tenant"] == "*":
            policy = _policy(_wildcard_id(object_type, obj["id"], action), owner,
                             object_type, obj["id"], action, "*")
        else:
            policy = _policy(self.dialect.new_id(), owner, object_type, obj["id"], action,
                             attrs["target_tenant"])
        self._duplicate(ctx, policy)
        check_quota(ctx.store, owner, "rbac_policy")
        if policy["target_tenant"] == "*":
            self._set_flag(ctx.store, policy, True)
        _REACH.pop(ctx.store, None)
        return policy

    def change(self, ctx: Ctx, record: Record, changes: dict[str, Any]) -> None:
        target = str(changes.get("target_tenant", record["target_tenant"]))
        if target == record["target_tenant"]:
            return
        self._target(ctx, target, "update")
        self._duplicate(ctx, {**record, "target_tenant": target}, skip=record["id"])
        _in_use(ctx.store, record, record["target_tenant"])
        if record["target_tenant"] == "*":
            self._set_flag(ctx.store, record, False)
        if target == "*":
            self._set_flag(ctx.store, record, True)
        _REACH.pop(ctx.store, None)

    def on_delete(self, ctx: Ctx, record: Record) -> None:
        _in_use(ctx.store, record, record["target_tenant"])
        if record["target_tenant"] == "*":
            self._set_flag(ctx.store, record, False)
        _REACH.pop(ctx.store, None)


RBAC_POLICIES = RbacPolicies(
    "rbac_policy", "rbac_policies", path="rbac-policies", tags=False, fields={
        "id": RO, "project_id": ONCE, "tenant_id": ONCE,
        "object_type": Field(type="any", required=True, create_only=True,
                             choices=tuple(OBJECTS)),
        "object_id": Field(max_length=36, required=True, create_only=True),
        "action": Field(type="any", required=True, create_only=True,
                        choices=("access_as_shared", "access_as_external")),
        "target_tenant": Field(max_length=255, required=True),
    })


def routes() -> list[BaseRoute]:
    return RBAC_POLICIES.routes()
