"""Extension through conn.network, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.extension import Extension


def test_declaration() -> None:
    assert (Extension.base_path, Extension.resource_key) == ("/extensions", "extension")
    assert Extension._props["alias"].alternate_id and not Extension.allow_create


def test_list_get_find(member) -> None:
    extensions = member.network.extensions()
    aliases = {e.alias for e in extensions}
    assert {"trunk", "qos", "rbac-policies", "segment", "subnet_allocation"} <= aliases
    assert len(extensions.to_pandas()) == len(extensions)
    trunk = member.network.get_extension("trunk")
    assert trunk.name == "Trunk Extension" and trunk.updated_at is not None
    assert member.network.find_extension("qos").alias == "qos"
    with pytest.raises(exc.NotFound):
        member.network.get_extension("no-such-extension")
