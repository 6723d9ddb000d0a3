"""Nova's consoles: ``POST /servers/{id}/remote-consoles`` (2.6+) and the older
``os-getVNCConsole`` / ``os-getSPICEConsole`` / ``os-getSerialConsole`` /
``os-getRDPConsole`` actions hand out a URL whose token
``GET /os-console-auth-tokens/{token}`` (admin) resolves to the hypervisor's console
endpoint, until it expires (Nova's ``[consoleauth] token_ttl``, 600 s).

The cloud's hypervisors are QEMU/libvirt: VNC, SPICE and serial consoles are offered;
RDP (Hyper-V) and MKS (VMware) are not.
"""

from __future__ import annotations

import time
import uuid
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Action, Field
from ...http import ApiError, json_body
from ...store import Record
from ._dialect import NOVA, Ctx
from .common import Server
from .servers import SERVER_ACTIONS, SERVERS

__all__ = ["TOKEN_TTL", "routes"]

TOKEN_TTL = 600.0
# protocol -> (its console types, the base URL of its proxy, the hypervisor port)
_PROTOCOLS: dict[str, tuple[tuple[str, ...], str, int]] = {
    "vnc": (("novnc", "xvpvnc"), "http://127.0.0.1:6080/vnc_auto.html?path=%3Ftoken%3D", 5900),
    "spice": (("spice-html5", "spice-direct"),
              "http://127.0.0.1:6082/spice_auto.html?token=", 5900),
    "serial": (("serial",), "ws://127.0.0.1:6083/?token=", 10000),
    "rdp": (("rdp-html5",), "", 0),
    "mks": (("webmks",), "", 0),
}
_AVAILABLE = ("vnc", "spice", "serial")
_LEGACY = {"os-getVNCConsole": "vnc", "os-getSPICEConsole": "spice",
           "os-getSerialConsole": "serial", "os-getRDPConsole": "rdp"}


def _token(ctx: Ctx, server: Server, protocol: str, kind: str) -> str:
    """A new console's URL, its token kept for the auth-token lookup."""
    if kind == "spice-direct" and not ctx.at_least(2, 99):
        raise NOVA.bad(f"Invalid input for field/attribute remote_console/type. Value: "
                       f"{kind}. 'spice-direct' is not one of "
                       f"{['novnc', 'xvpvnc', 'rdp-html5', 'spice-html5', 'serial', 'webmks']}")
    if protocol not in _AVAILABLE:
        raise NOVA.bad(f"Unavailable console type {kind}.")
    if not server.get("OS-EXT-SRV-ATTR:host") or server["OS-EXT-STS:vm_state"] not in (
            "active", "paused", "rescued", "resized"):
        raise ApiError(409, f"Instance {server['id']} is not ready")
    token = str(uuid.uuid4())
    hyp_id = ctx.store.table("hypervisors")
    host_ip = next((h["host_ip"] for h in hyp_id.values() if h["hypervisor_hostname"] ==
                    server["OS-EXT-SRV-ATTR:hypervisor_hostname"]), "127.0.0.1")
    _, base, port = _PROTOCOLS[protocol]
    slot = int(server["OS-EXT-SRV-ATTR:instance_name"].rsplit("-", 1)[-1], 16) % 100
    record: Record = {"instance_uuid": server["id"], "host": host_ip, "port": port + slot,
                      "internal_access_path": None, "_type": kind,
                      "_expires": time.monotonic() + TOKEN_TTL}
    if kind == "spice-direct":
        record["tls_port"] = port + slot + 1
    ctx.store.table("console_auth_tokens")[token] = record
    return base + token


def _check(protocol: Any, kind: Any) -> None:
    types = _PROTOCOLS.get(protocol, ((), "", 0))[0] if isinstance(protocol, str) else ()
    if not types:
        raise NOVA.schema("remote_console/protocol", protocol,
                          f"{protocol!r} is not one of {list(_PROTOCOLS)}")
    if kind not in types:
        raise NOVA.bad(f"Unsupported console type {kind} for protocol {protocol}.")


async def remote_console(request: Request) -> Response:
    ctx, server = SERVERS.target(request)
    NOVA.gate(ctx.request, (2, 6))
    body = NOVA.member(await json_body(request), "remote_console",
                       {"protocol": Field(type="any", required=True),
                        "type": Field(type="any", required=True)}, path=True)
    protocol, kind = body["protocol"], body["type"]
    if protocol == "mks" and not ctx.at_least(2, 8):
        raise NOVA.schema("remote_console/protocol", protocol,
                          f"{protocol!r} is not one of ['vnc', 'spice', 'rdp', 'serial']")
    _check(protocol, kind)
    url = _token(ctx, server, protocol, kind)
    return ctx.reply({"remote_console": {"protocol": protocol, "type": kind, "url": url}})


def legacy_console(action: str) -> Any:
    protocol = _LEGACY[action]

    def handler(ctx: Ctx, server: Server, arg: Any) -> Response:
        kind = NOVA.member({action: arg}, action, {"type": Field(type="any", required=True)},
                           path=True)["type"]
        _check(protocol, kind)
        return ctx.reply({"console": {"type": kind, "url": _token(ctx, server, protocol,
                                                                    kind)}})
    return handler


async def console_auth_token(request: Request) -> Response:
    ctx = Ctx.of(request)
    ctx.require_admin("os_compute_api:os-console-auth-tokens")
    token = request.path_params["token"]
    record = ctx.store.table("console_auth_tokens").get(token)
    if record is None or record["_expires"] < time.monotonic():
        raise ApiError(404, "Token not found")
    if not ctx.at_least(2, 31) and record["_type"] != "rdp-html5":
        raise NOVA.bad("The requested console type details are not accessible")
    out = {k: v for k, v in record.items() if k[0] != "_"}
    if not ctx.at_least(2, 99):
        out.pop("tls_port", None)
    return ctx.reply({"console": out})


SERVER_ACTIONS.add(*(Action(action, legacy_console(action), guarded=False)
                     for action in _LEGACY))


def routes() -> list[BaseRoute]:
    return [
        Route("/v2.1/servers/{server_id}/remote-consoles", remote_console, methods=["POST"]),
        Route("/v2.1/os-console-auth-tokens/{token}", console_auth_token, methods=["GET"]),
    ]
