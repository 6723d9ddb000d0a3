"""Security groups' default statefulness, and a router's extra routes edited atomically,
through conn.network against the demo cloud over HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.security_groups_default_statefulness import (
    SecurityGroupsDefaultStatefulness,
)


def test_declaration() -> None:
    cls = SecurityGroupsDefaultStatefulness
    assert cls.resource_key == cls.resources_key == "security_groups_default_statefulness"
    assert cls.base_path == "/security-groups-default-statefulness"


def test_default_statefulness(conn, member) -> None:
    defaults = conn.network.security_groups_default_statefulness()
    assert [(d.project_id, d.stateful) for d in defaults] == [(None, True)]
    project = member.network.get_project_id()
    with pytest.raises(exc.Forbidden):
        member.network.create_security_groups_default_statefulness(stateful=False)
    mine = conn.network.create_security_groups_default_statefulness(project_id=project,
                                                                    stateful=False)
    try:
        group = member.network.create_security_group(name="osnb-stateless")
        assert group.stateful is False
        member.network.delete_security_group(group)
        conn.network.update_security_groups_default_statefulness(mine, stateful=True)
        assert conn.network.get_security_groups_default_statefulness(mine.id).stateful
    finally:
        conn.network.delete_security_groups_default_statefulness(mine)


def test_extra_routes(member) -> None:
    net = member.network.create_network(name="osnb-er")
    sub = member.network.create_subnet(network_id=net.id, ip_version=4, cidr="10.248.0.0/24")
    router = member.network.create_router(name="osnb-er")
    member.network.add_interface_to_router(router, subnet=sub)
    try:
        route = {"destination": "192.0.2.0/24", "nexthop": "10.248.0.5"}
        out = member.network.add_extra_routes_to_router(router, {"router": {"routes": [route]}})
        assert out.routes == [route]
        with pytest.raises(exc.BadRequest):
            member.network.add_extra_routes_to_router(router, {"router": {"routes": [
                {"destination": "192.0.3.0/24", "nexthop": "172.30.0.1"}]}})
        out = member.network.remove_extra_routes_from_router(router, {"router": {
            "routes": [route]}})
        assert out.routes == []
    finally:
        member.network.remove_interface_from_router(router, subnet=sub)
        member.network.delete_router(router)
        member.network.delete_network(net)
