"""Policy through conn.identity, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.policy import Policy


def test_declaration() -> None:
    assert (Policy.base_path, Policy.resources_key, Policy.commit_method) == \
        ("/policies", "policies", "PATCH")


def test_create_list_update_delete(conn, member, unique) -> None:
    kind = f"application/{unique}"
    policy = conn.identity.create_policy(blob='{"a": "role:admin"}', type=kind)
    try:
        assert policy.id and policy.type == kind and policy.links["self"].endswith(policy.id)
        listed = conn.identity.policies(type=kind)
        assert listed.ids() == [policy.id]
        assert listed.to_pandas().loc[policy.id, "type"] == kind
        assert conn.identity.update_policy(policy, blob="{}").blob == "{}"
        assert conn.identity.get_policy(policy.id).blob == "{}"
        with pytest.raises(exc.Forbidden):
            member.identity.policies()
    finally:
        conn.identity.delete_policy(policy)
    with pytest.raises(exc.NotFound):
        conn.identity.get_policy(policy.id)
