"""A real Neutron (``neutron`` from PyPI) on loopback, so the demo cloud's Neutron and the
network api-ref samples can be held to it.

Neutron pins its own oslo libraries, so it lives in a venv of its own
(``OSNB_NEUTRON_VENV``, default ``~/.cache/osnb/neutron-venv``), installed on first use
and reused afterwards: :data:`NEUTRON` is the release whose neutron-lib is the one the
conformance tier's network api-ref comes from (neutron-lib 5.0.1).

The recipe (each step is Neutron's own code; nothing of it is simulated):

- ``neutron.conf``: core plugin ML2, the service plugins the api-ref documents that ship
  inside neutron (:data:`SERVICE_PLUGINS`), oslo.messaging's ``fake:/`` transport (no
  agents, no RPC), sqlite. ML2 with the flat, VLAN, VXLAN and Geneve type drivers, the
  ``openvswitch`` mechanism driver and the extension drivers that add the documented port and network attributes.
- The database: ``neutron-db-manage upgrade heads`` cannot run on sqlite (alembic refuses
  ``ALTER`` of constraints), so the schema is made as Neutron's own unit tests make it,
  from its models (``neutron.db.migration.models.head``), once, into a template in the
  venv; each run copies it. The data the migrations insert (none that a GET of the
  api-ref shows on an empty cloud) is not there.
- Authentication: the ``keystone`` pipeline of Neutron's ``api-paste.ini`` without
  ``authtoken``, so ``NeutronKeystoneContext`` builds the request context from the
  ``X-User-Id``/``X-Project-Id``/``X-Roles`` headers, exactly as it does behind
  keystonemiddleware, which sets them from a validated token (:func:`headers`). Neutron's
  ``noauth`` pipeline cannot express a project scope: it makes every request admin of a
  project named ``fake_project_id``.
- Agents: none runs; an Open vSwitch, a DHCP and an L3 agent's first reports are handed
  to Neutron's own agent database code when the template is made (:data:`_AGENTS`), their
  heartbeat renewed at each start, so the OVS mechanism driver binds ports on their host.
  Networks and routers are not scheduled to them: that is the RPC server's work, not run.
- Served: ``neutron.wsgi.api:application`` (Neutron's WSGI entry point) with gunicorn, one
  worker, configured by file (Neutron hands ``sys.argv`` to oslo.config), health ``GET /``.

What each step costs, and why it is so: ``tests/realcloud/NOTES-neutron.md``.

Install ahead of the tests (CI does)::

    python -m tests.realcloud.neutron install

Or serve it by hand until Ctrl-C::

    python -m tests.realcloud.neutron serve
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from . import keystone

__all__ = ["NEUTRON", "SERVICE_PLUGINS", "NeutronUnavailable", "ensure_installed",
           "ensure_template", "headers", "running", "venv_path"]

NEUTRON = "29.0.0"
PACKAGES = (f"neutron=={NEUTRON}", "gunicorn")
SCRIPTS = ("neutron-db-manage", "gunicorn")
SERVICE_PLUGINS = (
    "router", "qos", "trunk", "segments", "tag", "network_ip_availability",
    "port_forwarding", "local_ip", "ndp_proxy", "metering", "conntrack_helper",
    "network_segment_range", "auto_allocate", "flavors", "timestamp", "revisions", "log",
    "pvlan")
"""Every service plugin shipped in neutron that the api-ref documents (FWaaS, VPNaaS,
BGP, BGPVPN, SFC and TaaS are separate projects); address scopes, subnet pools, RBAC,
address groups, security groups and quotas are the core plugin's."""
EXTENSION_DRIVERS = (
    "port_security", "qos", "dns_domain_ports", "data_plane_status",
    "port_hardware_offload_type", "port_trusted", "uplink_status_propagation",
    "port_numa_affinity_policy", "port_device_profile", "subnet_dns_publish_fixed_ip")
INSTALL_TIMEOUT = 900.0
_READY = "osnb-ready.json"
_TEMPLATE = "osnb-neutron-template-2"  # bump when the template's schema or agents change
_DB = "neutron.db"
PROJECT = "4f0c2a9e8b7d4c1fa3e65d2b90c81e47"
"""The project (a Keystone-shaped id) real Neutron's requests are scoped to."""
USER = "9d1e7b3c5a2f4e68b0c4d7a1e3f5b829"


class NeutronUnavailable(keystone.ServiceUnavailable):
    """A real Neutron cannot be had here: the install, the schema or the start failed."""


def venv_path() -> Path:
    """``OSNB_NEUTRON_VENV``, else ``$XDG_CACHE_HOME/osnb/neutron-venv``."""
    return keystone.cached_venv("OSNB_NEUTRON_VENV", "neutron-venv")


def _ready(venv: Path) -> bool:
    return (venv / _READY).is_file() and all(
        (venv / "bin" / s).is_file() for s in SCRIPTS) and json.loads(
        (venv / _READY).read_text()).get("neutron") == NEUTRON


def ensure_installed(venv: Path | None = None, *, log: bool = False) -> Path:
    """The venv with :data:`PACKAGES`, created and installed under a lock when missing.

    Raises:
        NeutronUnavailable: pip could not install them (no network to PyPI, a failure).
    """
    venv = venv or venv_path()
    if _ready(venv):
        return venv
    with keystone.locked(venv):
        if _ready(venv):
            return venv
        started = time.monotonic()
        if not (venv / "bin" / "python").is_file():
            if venv.exists() and any(venv.iterdir()):
                raise NeutronUnavailable(f"{venv} exists and is not a venv; point "
                                         "OSNB_NEUTRON_VENV elsewhere or remove it")
            keystone.run_tool([sys.executable, "-m", "venv", str(venv)],
                              what="creating the Neutron venv", timeout=120,
                              error=NeutronUnavailable)
        if log:
            print(f"installing {' '.join(PACKAGES)} into {venv}", flush=True)
        env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        env.pop("PIP_REQUIRE_VIRTUALENV", None)
        keystone.run_tool([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                           "--retries", "2", "--timeout", "30", *PACKAGES],
                          what="pip install " + " ".join(PACKAGES),
                          timeout=INSTALL_TIMEOUT, env=env, error=NeutronUnavailable)
        code = ("import json; from importlib.metadata import version; "
                "print(json.dumps({p: version(p) for p in ('neutron', 'neutron-lib')}))")
        out = keystone.run_tool([str(venv / "bin" / "python"), "-c", code],
                                what="reading the installed versions", timeout=60,
                                error=NeutronUnavailable)
        versions = json.loads(out.strip().splitlines()[-1])
        seconds = round(time.monotonic() - started, 1)
        (venv / _READY).write_text(json.dumps({**versions, "installed_at": time.time(),
                                               "seconds": seconds}))
        if log:
            print(f"neutron {versions['neutron']} (neutron-lib {versions['neutron-lib']}) "
                  f"installed in {seconds} s", flush=True)
    return venv


def _write_config(data: Path, venv: Path) -> None:
    """``neutron.conf``, ``plugins/ml2/ml2_conf.ini`` and ``api-paste.ini`` in ``data``."""
    (data / "lock").mkdir(exist_ok=True)
    (data / "plugins" / "ml2").mkdir(parents=True, exist_ok=True)
    (data / "neutron.conf").write_text(f"""\
[DEFAULT]
core_plugin = ml2
service_plugins = {",".join(SERVICE_PLUGINS)}
auth_strategy = keystone
api_paste_config = {data}/api-paste.ini
transport_url = fake:/
state_path = {data}
api_workers = 1
rpc_workers = 0
rpc_state_report_workers = 0
log_file = {data}/neutron.log
# the agents reported once (:data:`_AGENTS`); their heartbeat is renewed at each start
agent_down_time = 86400
[database]
connection = sqlite:///{data}/{_DB}
[oslo_concurrency]
lock_path = {data}/lock
""")
    (data / "plugins" / "ml2" / "ml2_conf.ini").write_text(f"""\
[ml2]
type_drivers = flat,vlan,vxlan,geneve
tenant_network_types = vxlan
mechanism_drivers = openvswitch
extension_drivers = {",".join(EXTENSION_DRIVERS)}
[ml2_type_flat]
flat_networks = *
[ml2_type_vlan]
network_vlan_ranges = physnet1:100:199
[ml2_type_vxlan]
vni_ranges = 1:1000
[ml2_type_geneve]
vni_ranges = 1:1000
""")
    paste = (venv / "etc" / "neutron" / "api-paste.ini").read_text()
    keystone_line = ("keystone = cors http_proxy_to_wsgi request_id catch_errors osprofiler "
                     "authtoken keystonecontext extensions neutronapiapp_v2_0")
    if keystone_line not in paste:
        raise NeutronUnavailable("Neutron's api-paste.ini has no keystone pipeline of the "
                                 "expected form: " + paste[:400])
    (data / "api-paste.ini").write_text(
        paste.replace(keystone_line, keystone_line.replace(" authtoken", "")))


_SCHEMA = """\
import sys
import sqlalchemy as sa
from neutron.db.migration.models import head
metadata = head.get_metadata()
metadata.create_all(sa.create_engine('sqlite:///' + sys.argv[1]))
print('osnb-tables', len(metadata.tables))
"""


def ensure_template(venv: Path, *, log: bool = False) -> Path:
    """A directory in the venv holding ``neutron.db``, its schema made from Neutron's
    models and the agents' reports taken (:data:`_AGENTS`); made once under a lock, each
    run copies it and renews the agents' heartbeats."""
    template = venv / _TEMPLATE
    if (template / _DB).is_file():
        return template
    with keystone.locked(template):
        if (template / _DB).is_file():
            return template
        started = time.monotonic()
        work = Path(tempfile.mkdtemp(prefix=f"{_TEMPLATE}.", dir=venv))
        try:
            out = keystone.run_tool([str(venv / "bin" / "python"), "-c", _SCHEMA,
                                     str(work / _DB)], what="Neutron's schema",
                                    timeout=300, error=NeutronUnavailable)
            tables = int(out.split("osnb-tables ", 1)[1].split()[0])
            if tables < 100:
                raise NeutronUnavailable(f"Neutron's models made only {tables} tables")
            _write_config(work, venv)
            _report_agents(venv, work)
            for leftover in work.iterdir():
                if leftover.name != _DB:
                    shutil.rmtree(leftover) if leftover.is_dir() else leftover.unlink()
            work.rename(template)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if log:
            print(f"neutron database template ({tables} tables) made in "
                  f"{time.monotonic() - started:.1f} s", flush=True)
    return template


AGENT_HOST = "osnb-neutron-host"
"""The host whose Open vSwitch, DHCP and L3 agents report to Neutron (:data:`_AGENTS`)."""

_AGENTS = """\
import sys
from neutron.common import config
data, host = sys.argv[1:3]
config.register_common_config_options()
config.init(["--config-file", f"{data}/neutron.conf",
             "--config-file", f"{data}/plugins/ml2/ml2_conf.ini"])
from neutron_lib import context
from neutron.db import agents_db
defaults = {"allocation_ratio": 1.0, "min_unit": 1, "step_size": 1, "reserved": 0}
states = [
    {"binary": "neutron-openvswitch-agent", "host": host, "topic": "N/A",
     "agent_type": "Open vSwitch agent", "start_flag": True, "configurations": {
         "bridge_mappings": {"physnet1": "br-physnet1"},
         "resource_provider_bandwidths": {},
         "resource_provider_inventory_defaults": defaults,
         "resource_provider_packet_processing_without_direction": {},
         "resource_provider_packet_processing_with_direction": {},
         "resource_provider_packet_processing_inventory_defaults": defaults,
         "resource_provider_hypervisors": {}, "integration_bridge": "br-int",
         "tunnel_types": ["vxlan"], "tunneling_ip": "127.0.0.1", "l2_population": False,
         "arp_responder_enabled": False, "enable_distributed_routing": False,
         "log_agent_heartbeats": False, "extensions": [], "datapath_type": "system",
         "ovs_capabilities": {"datapath_types": ["netdev", "system"],
                              "iface_types": ["internal", "system", "vxlan"]},
         "vhostuser_socket_dir": "/var/run/openvswitch", "ovs_hybrid_plug": False,
         "baremetal_smartnic": False}},
    {"binary": "neutron-dhcp-agent", "host": host, "topic": "dhcp_agent",
     "agent_type": "DHCP agent", "availability_zone": "nova", "start_flag": True,
     "configurations": {"dhcp_driver": "neutron.agent.linux.dhcp.Dnsmasq",
                        "dhcp_lease_duration": 86400, "log_agent_heartbeats": False,
                        "networks": 0, "subnets": 0, "ports": 0}},
    {"binary": "neutron-l3-agent", "host": host, "topic": "l3_agent",
     "agent_type": "L3 agent", "availability_zone": "nova", "start_flag": True,
     "configurations": {"agent_mode": "legacy", "handle_internal_only_routers": True,
                        "interface_driver": "openvswitch", "log_agent_heartbeats": False,
                        "extensions": [], "routers": 0, "ex_gw_ports": 0,
                        "interfaces": 0, "floating_ips": 0}},
]
db, ctx = agents_db.AgentDbMixin(), context.get_admin_context()
for state in states:
    print("osnb-agent", db.create_or_update_agent(ctx, state)[0], state["agent_type"])
"""
"""The first ``report_state`` of an Open vSwitch, a DHCP and an L3 agent on
:data:`AGENT_HOST`, handed to Neutron's own ``AgentDbMixin.create_or_update_agent`` (what
its RPC callback does with an agent's report): each state has the keys the agent's code
in neutron 29 reports (``ovs_neutron_agent.py``, ``dhcp/agent.py``, ``l3/agent.py``),
with devstack-like values. No agent process runs: the OVS mechanism driver then binds a
port on that host, the schedulers place networks and routers on those agents."""


def _report_agents(venv: Path, data: Path) -> None:
    out = keystone.run_tool([str(venv / "bin" / "python"), "-c", _AGENTS, str(data),
                             AGENT_HOST], what="the agents' reports", timeout=120,
                            error=NeutronUnavailable)
    if out.count("osnb-agent new") != 3:
        raise NeutronUnavailable(f"the agents' reports were not taken:\n{out[-800:]}")


def _heartbeat(data: Path) -> None:
    """The agents' heartbeats set to now (UTC, as Neutron stores them): they report alive."""
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    db = sqlite3.connect(data / _DB)
    try:
        with db:
            beating = db.execute("UPDATE agents SET heartbeat_timestamp = ?", (now,)).rowcount
    finally:
        db.close()
    if beating != 3:
        raise NeutronUnavailable(f"expected the template's 3 agents, found {beating}")


def headers(project: str = PROJECT, *, roles: str = "admin,member,reader",
            user: str = USER) -> dict[str, str]:
    """What keystonemiddleware puts on a request with a valid token of ``user`` scoped to
    ``project`` with ``roles``: Neutron's request context is made from these."""
    return {"X-User-Id": user, "X-Project-Id": project, "X-Roles": roles,
            "X-Identity-Status": "Confirmed"}


@contextlib.contextmanager
def running(data_root: Path, *, venv: Path | None = None) -> Iterator[keystone.Service]:
    """Install if needed, start Neutron on a free loopback port, stop it on exit.

    Raises:
        NeutronUnavailable: with the reason (pip, the schema, gunicorn or Neutron's log).
    """
    t0 = time.monotonic()
    venv = ensure_installed(venv)
    t_installed = time.monotonic()
    template = ensure_template(venv)
    port = keystone.free_port()
    data = data_root / "neutron"
    shutil.copytree(template, data)
    _write_config(data, venv)
    _heartbeat(data)
    try:
        with keystone.served("Neutron", venv, data, port, app="neutron.wsgi.api:application",
                             config_env="OS_NEUTRON_CONFIG_DIR", health="/", t0=t0) as svc:
            svc.timings = {"install_check_s": t_installed - t0, **svc.timings}
            yield svc
    except NeutronUnavailable:
        raise
    except keystone.ServiceUnavailable as err:
        raise NeutronUnavailable(str(err)) from None


def main(argv: list[str]) -> int:
    """``install``: the venv and the database template; ``serve``: run until Ctrl-C."""
    command = argv[0] if argv else "install"
    try:
        if command == "install":
            started = time.monotonic()
            venv = ensure_installed(log=True)
            ensure_template(venv, log=True)
            ready = json.loads((venv / _READY).read_text())
            print(f"neutron {ready['neutron']} ready in {venv} "
                  f"({time.monotonic() - started:.1f} s)", flush=True)
            return 0
        if command == "serve":
            with tempfile.TemporaryDirectory() as tmp, running(Path(tmp)) as svc:
                print(f"serving Neutron at {svc.url} (pid {svc.pid}); requests carry "
                      f"{headers()}; Ctrl-C stops", flush=True)
                keystone.serve_until_interrupted()
            return 0
    except keystone.KeystoneUnavailable as err:
        print(f"real Neutron unavailable: {err}", file=sys.stderr)
        return 1
    print(f"usage: python -m tests.realcloud.neutron [install|serve] (not {command!r})",
          file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
