"""Network logging through conn.network, against the demo cloud over HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.network.v2.log import Log, LoggableResource


def test_declarations() -> None:
    assert (Log.base_path, LoggableResource.base_path) == ("/log/logs",
                                                          "/log/loggable-resources")
    assert Log.query.mapping["is_enabled"] == "enabled"


def test_logs(conn, member) -> None:
    assert {r.type for r in conn.network.loggable_resources()} == {"security_group",
                                                                   "firewall_group"}
    assert conn.network.loggable_resources().to_pandas().shape[0] == 2
    log = conn.network.create_log(name="osnb-sdk-log", resource_type="security_group",
                                  event="ACCEPT")
    try:
        assert log.is_enabled and log.event == "ACCEPT" and log.revision_number == 0
        log = conn.network.update_log(log, is_enabled=False)
        assert log.is_enabled is False and log.revision_number == 1
        assert conn.network.find_log("osnb-sdk-log").id == log.id
        assert "osnb-sdk-log" in set(conn.network.logs().to_pandas()["name"])
        with pytest.raises(exc.Forbidden):
            member.network.logs()
    finally:
        conn.network.delete_log(log)
