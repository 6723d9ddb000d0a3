"""RBACPolicy through conn.network, against the demo cloud over real HTTP."""

from __future__ import annotations

import uuid

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.rbac_policy import RBACPolicy


def test_declaration() -> None:
    assert (RBACPolicy.base_path, RBACPolicy.resource_key, RBACPolicy.resources_key) == \
        ("/rbac-policies", "rbac_policy", "rbac_policies")
    assert RBACPolicy.allow_create and RBACPolicy.allow_retrieve and RBACPolicy.allow_update
    assert RBACPolicy.allow_delete and RBACPolicy.allow_list
    assert RBACPolicy._props["target_project_id"].server_key == "target_tenant"
    assert RBACPolicy.query.mapping["target_project_id"] == "target_tenant"


def test_list_filter_get_frame(conn) -> None:
    wildcard = conn.network.rbac_policies(target_project_id="*", action="access_as_shared",
                                          object_type="network")
    assert len(wildcard) >= 3
    assert all(p.target_project_id == "*" and p.object_type == "network" for p in wildcard)
    shared = {n.id for n in conn.network.networks(is_shared=True)}
    assert {p.object_id for p in wildcard} == shared
    one = conn.network.get_rbac_policy(wildcard[0].id)
    assert one == wildcard[0] and conn.network.find_rbac_policy(one.id) == one
    frame = wildcard.to_pandas()
    assert len(frame) == len(wildcard) and {"object_id", "target_project_id"} <= set(frame)
    with pytest.raises(exc.NotFound):
        conn.network.get_rbac_policy(str(uuid.uuid4()))


def test_share_move_revoke(conn, member) -> None:
    net = member.network.create_network(name=f"osnb-rbac-{uuid.uuid4().hex[:6]}")
    projects = [p.id for p in conn.identity.projects()
                if p.id != net.project_id and p.name not in ("admin", "service")]
    try:
        policy = member.network.create_rbac_policy(
            object_type="network", object_id=net.id, action="access_as_shared",
            target_project_id=projects[0])
        assert policy.project_id == net.project_id and policy.target_project_id == projects[0]
        assert list(member.network.rbac_policies(object_id=net.id)) == [policy]
        with pytest.raises(exc.HttpException) as err:
            member.network.create_rbac_policy(object_type="network", object_id=net.id,
                                              action="access_as_shared",
                                              target_project_id="*")
        assert err.value.status_code == 403
        moved = member.network.update_rbac_policy(policy, target_project_id=projects[1])
        assert moved.target_project_id == projects[1]
        member.network.delete_rbac_policy(policy)
        assert not member.network.rbac_policies(object_id=net.id)
        assert member.network.delete_rbac_policy(policy) is None  # ignore_missing
    finally:
        member.network.delete_network(net)
