"""Tap as a service through conn.network, against the demo cloud over HTTP."""

from __future__ import annotations

from osnb.sdk.network.v2.tap import TapFlow, TapMirror, TapService


def test_declarations() -> None:
    assert [c.base_path for c in (TapService, TapFlow, TapMirror)] == [
        "/taas/tap_services", "/taas/tap_flows", "/taas/tap_mirrors"]


def test_seeded_and_cascade(conn) -> None:
    service = conn.network.tap_services()[0]
    flows = [f for f in conn.network.tap_flows() if f.tap_service_id == service.id]
    assert flows and flows[0].direction == "BOTH"
    assert len(conn.network.tap_mirrors().to_pandas()) >= 1
    made = conn.network.create_tap_service(name="osnb-tap", port_id=flows[0].source_port,
                                           project_id=service.project_id)
    flow = conn.network.create_tap_flow(tap_service_id=made.id, source_port=service.port_id,
                                        direction="OUT", project_id=service.project_id)
    conn.network.delete_tap_service(made)
    assert conn.network.find_tap_flow(flow.id) is None
