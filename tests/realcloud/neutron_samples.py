"""Neutron's documented GETs asked of a real Neutron and of the demo cloud, objects made
the same way in both: the evidence for which network api-ref samples are stale.

:func:`prepare` makes, over HTTP and with the same bodies in either service, what the
documented GETs are about (an address scope and a subnet pool, a QoS policy with a rule of
each type, an external network, a network with a subnet from the pool and a tag, ports, a
security group and rule, a default security group rule, a router with a gateway and an
interface, a floating IP with a port forwarding, a conntrack helper, a trunk with a
subport, a segment, an RBAC policy, a local IP with a port association, an address group,
a metering label and rule, a network segment range, a flavor and a service profile).
:func:`answers` then sends every GET of the network api-ref (:func:`documented`: those
with a JSON response sample, :func:`sampled`, and those without), its placeholders filled
with those objects; lists are cut to the made objects.
Answers are compared with the conformance probe's :func:`tests.conformance.probe.
first_difference` (every difference: :func:`.keystone_samples.differences`).

``python -m tests.realcloud.neutron_samples`` rewrites the facts files the docs are
generated from (it starts a real Neutron): ``tests/conformance/neutron_real.json``, the
skeleton of each JSON answer, and ``neutron_status_real.json``, each call's status and what
a skeleton cannot show (:func:`statuses`); ``tests/realcloud/test_neutron_samples.py``
fails while they are stale.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from tests.conformance.probe import Endpoint, _load, endpoints, first_difference
from tests.conformance.realfacts import NEUTRON as FACTS
from tests.conformance.realfacts import NEUTRON_STATUS as STATUS
from tests.conformance.realfacts import skeleton

from .keystone_samples import _json, _mine, dumps
from .keystone_samples import stale as keystone_stale

__all__ = ["FACTS", "NAME", "STATUS", "Api", "Made", "Reply", "answers", "clean", "demo_gap",
           "documented", "facts", "lists_nothing", "prepare", "sampled", "stale", "statuses",
           "write"]

NAME = "Neutron 29"
TIMEOUT = 30
SERVICE = "network"


def documented() -> list[Endpoint]:
    """Neutron's documented GETs."""
    return [ep for ep in endpoints("neutron-lib") if ep.method == "GET"]


def sampled() -> list[Endpoint]:
    """Neutron's documented GETs that have a JSON response sample."""
    return [ep for ep in documented()
            if _load(next(iter(ep.responses.values()), None)) is not None]


class Api:
    """Plain JSON calls to one Neutron (``root`` ends before ``/v2.0``) with fixed headers
    (a token for the demo cloud; what keystonemiddleware sets, for real Neutron)."""

    def __init__(self, root: str, headers: dict[str, str], project_id: str) -> None:
        self.root, self.headers, self.project_id = root.rstrip("/"), headers, project_id

    def __call__(self, method: str, path: str, body: Any = None) -> requests.Response:
        return requests.request(method, self.root + path, json=body, timeout=TIMEOUT,
                                headers=self.headers)

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        answer = self(method, path, body)
        assert answer.ok, (method, path, body, answer.status_code, answer.text[:400])
        return answer.json() if answer.content else None


@dataclass
class Made:
    """What :func:`prepare` made in one Neutron: placeholder → id, and how to undo it."""

    ids: dict[str, str]
    undo: list[str] = field(default_factory=list)


def prepare(api: Api) -> Made:
    """Make, with the same bodies in either Neutron, what the documented GETs ask about."""
    mark = uuid.uuid4().hex[:8]
    made = Made({"project_id": api.project_id, "alias": "router",
                 "rule_type": "bandwidth_limit", "resource_type": "networks"})
    ids, undo = made.ids, made.undo

    def create(path: str, key: str, body: dict[str, Any], name: str = "",
               undo_path: str | None = None) -> dict[str, Any]:
        record: dict[str, Any] = api.ok("POST", path, {key: body})[key]
        undo.append(f"{undo_path or path}/{record['id']}")
        if name:
            ids[name] = record["id"]
        return record

    named = f"osnb-samples-{mark}"
    scope = create("/v2.0/address-scopes", "address_scope",
                   {"name": named, "ip_version": 4}, "address_scope_id")
    create("/v2.0/subnetpools", "subnetpool", {
        "name": named, "prefixes": ["10.231.0.0/16"], "default_prefixlen": 24,
        "address_scope_id": scope["id"], "description": "samples"}, "subnetpool_id")
    if not api.ok("GET", "/v2.0/subnetpools?is_default=true&ip_version=4")["subnetpools"]:
        create("/v2.0/subnetpools", "subnetpool", {
            "name": f"osnb-default-{mark}", "prefixes": ["10.232.0.0/16"],
            "default_prefixlen": 26, "is_default": True})
    policy = create("/v2.0/qos/policies", "policy", {"name": named, "description": "samples"},
                    "policy_id")
    rules = f"/v2.0/qos/policies/{policy['id']}"
    for kind, body in (
            ("bandwidth_limit_rule", {"max_kbps": 10000, "max_burst_kbps": 0,
                                      "direction": "egress"}),
            ("dscp_marking_rule", {"dscp_mark": 26}),
            ("minimum_bandwidth_rule", {"min_kbps": 1000, "direction": "egress"}),
            ("minimum_packet_rate_rule", {"min_kpps": 1000, "direction": "egress"}),
            ("packet_rate_limit_rule", {"max_kpps": 1000, "max_burst_kpps": 0,
                                        "direction": "egress"})):
        create(f"{rules}/{kind}s", kind, body, kind + "s")
        ids[f"alias_{kind}s"] = ids[kind + "s"]  # the same rule, by its id alone
    ids["dscp_rule_id"] = ids["dscp_marking_rules"]
    # auto-allocation needs a default external network and a default subnet pool: made
    # so where the cloud has none (the demo cloud's ``public`` is one; Neutron allows one)
    defaults = api.ok("GET", "/v2.0/networks?router:external=true&is_default=true")
    external = create("/v2.0/networks", "network", {
        "name": f"osnb-ext-{mark}", "router:external": True,
        "is_default": not defaults["networks"]})
    create("/v2.0/subnets", "subnet", {
        "name": f"osnb-ext-{mark}", "network_id": external["id"], "ip_version": 4,
        "cidr": "198.51.100.0/24"})
    network = create("/v2.0/networks", "network", {"name": named, "description": "samples"},
                     "network_id")
    subnet = create("/v2.0/subnets", "subnet", {
        "name": named, "network_id": network["id"], "ip_version": 4,
        "subnetpool_id": ids["subnetpool_id"]}, "subnet_id")
    api.ok("PUT", f"/v2.0/networks/{network['id']}/tags/tag-{mark}")
    ids["resource_id"], ids["tag"] = network["id"], f"tag-{mark}"
    group = create("/v2.0/security-groups", "security_group",
                   {"name": named, "description": "samples"}, "security_group_id")
    create("/v2.0/security-group-rules", "security_group_rule", {
        "security_group_id": group["id"], "direction": "ingress", "ethertype": "IPv4",
        "protocol": "tcp", "port_range_min": 22, "port_range_max": 22,
        "remote_ip_prefix": "0.0.0.0/0"}, "security_group_rule_id")
    # a server's port (only those have bindings to list), bound on a host with an Open
    # vSwitch agent
    ovs = api.ok("GET", "/v2.0/agents?agent_type=Open%20vSwitch%20agent")["agents"]
    port = create("/v2.0/ports", "port", {
        "name": named, "network_id": network["id"], "security_groups": [group["id"]],
        "device_owner": "compute:nova", "device_id": str(uuid.uuid4()),
        "binding:host_id": ovs[0]["host"]}, "port_id")
    ids["agent_id"] = ovs[0]["id"]
    for kind, name in (("DHCP%20agent", "dhcp_agent_id"), ("L3%20agent", "l3_agent_id")):
        found = api.ok("GET", f"/v2.0/agents?agent_type={kind}")["agents"]
        if found:  # the other kinds of agent, asked about too (:data:`ALSO`)
            ids[name] = found[0]["id"]
    parent = create("/v2.0/ports", "port", {"name": f"osnb-parent-{mark}",
                                            "network_id": network["id"]})
    child = create("/v2.0/ports", "port", {"name": f"osnb-child-{mark}",
                                           "network_id": network["id"]})
    router = create("/v2.0/routers", "router", {
        "name": named, "external_gateway_info": {"network_id": external["id"]}},
        "router_id")
    api.ok("PUT", f"/v2.0/routers/{router['id']}/add_router_interface",
           {"subnet_id": subnet["id"]})
    undo.append(f"PUT /v2.0/routers/{router['id']}/remove_router_interface "
                + json.dumps({"subnet_id": subnet["id"]}))
    fip = create("/v2.0/floatingips", "floatingip", {"floating_network_id": external["id"],
                                                    "description": "samples"},
                 "floatingip_id")
    create(f"/v2.0/floatingips/{fip['id']}/port_forwardings", "port_forwarding", {
        "protocol": "tcp", "internal_port_id": port["id"], "internal_port": 22,
        "external_port": 2222, "description": "samples",
        "internal_ip_address": port["fixed_ips"][0]["ip_address"]}, "port_forwarding_id")
    create(f"/v2.0/routers/{router['id']}/conntrack_helpers", "conntrack_helper",
           {"protocol": "tcp", "port": 21, "helper": "ftp"}, "conntrack_helper_id")
    create("/v2.0/trunks", "trunk", {
        "name": named, "port_id": parent["id"], "description": "samples",
        "sub_ports": [{"port_id": child["id"], "segmentation_type": "vlan",
                       "segmentation_id": 101}]}, "trunk_id")
    segmented = create("/v2.0/networks", "network", {"name": f"osnb-segments-{mark}"})
    create("/v2.0/segments", "segment", {
        "network_id": segmented["id"], "network_type": "vlan",
        "physical_network": "physnet1", "segmentation_id": 150, "name": named,
        "description": "samples"}, "segment_id")
    create("/v2.0/rbac-policies", "rbac_policy", {
        "object_type": "network", "object_id": network["id"], "action": "access_as_shared",
        "target_tenant": uuid.uuid4().hex}, "rbac_policy_id")
    local = create("/v2.0/local_ips", "local_ip", {
        "name": named, "network_id": network["id"], "description": "samples"},
        "local_ip_id")
    api.ok("POST", f"/v2.0/local_ips/{local['id']}/port_associations",
           {"port_association": {"fixed_port_id": port["id"]}})
    undo.append(f"/v2.0/local_ips/{local['id']}/port_associations/{port['id']}")
    create("/v2.0/address-groups", "address_group", {
        "name": named, "description": "samples", "addresses": ["192.0.2.0/28"]},
        "address_group_id")
    label = create("/v2.0/metering/metering-labels", "metering_label",
                   {"name": named, "description": "samples"}, "metering_label_id")
    create("/v2.0/metering/metering-label-rules", "metering_label_rule", {
        "metering_label_id": label["id"], "direction": "ingress",
        "remote_ip_prefix": "10.0.0.0/24"}, "metering_label_rule_id")
    create("/v2.0/network_segment_ranges", "network_segment_range", {
        "name": named, "description": "samples", "network_type": "vxlan",
        "minimum": 2000, "maximum": 2100, "shared": False,
        "project_id": api.project_id}, "network_segment_range_id")
    create("/v2.0/default-security-group-rules", "default_security_group_rule", {
        "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp",
        "port_range_min": 8080, "port_range_max": 8080, "remote_ip_prefix": "0.0.0.0/0",
        "description": "samples", "used_in_default_sg": False,
        "used_in_non_default_sg": False}, "default_security_group_rule_id")
    create("/v2.0/flavors", "flavor", {"name": named, "service_type": "L3_ROUTER_NAT",
                                       "description": "samples"}, "flavor_id")
    create("/v2.0/service_profiles", "service_profile", {
        "description": "samples", "metainfo": json.dumps({"samples": mark})}, "profile_id")
    api.ok("PUT", f"/v2.0/quotas/{api.project_id}", {"quota": {"network": 123}})
    undo.append(f"/v2.0/quotas/{api.project_id}")  # back to the defaults
    create("/v2.0/log/logs", "log", {
        "name": named, "description": "samples", "resource_type": "security_group",
        "resource_id": group["id"], "event": "ALL"}, "log_id")
    # the GET makes it; undone first (its router has a gateway on our external network)
    undo.append(f"/v2.0/auto-allocated-topology/{api.project_id}")
    # children before parents
    made.undo = list(reversed(undo))
    return made


def clean(api: Api, made: Made) -> None:
    """Delete what :func:`prepare` made, children first (a failure is left behind: the
    next run makes objects of its own names)."""
    for step in made.undo:
        if step.startswith("PUT "):
            path, body = step.split(" ", 2)[1:]
            api("PUT", path, json.loads(body))
        else:
            api("DELETE", step)


_RULE = re.compile(r"/(\w+_rules)/\{rule_id\}")


def fill(path: str, ids: dict[str, str]) -> str | None:
    """``path`` with its placeholders filled from ``ids``; None when one has no object
    (a QoS ``{rule_id}`` is the rule of the kind its collection names)."""
    path = _RULE.sub(lambda m: f"/{m[1]}/{ids.get(m[1], '{missing}')}", path)
    names = re.findall(r"\{([^}]+)\}", path)
    if any(n not in ids for n in names):
        return None
    return re.sub(r"\{([^}]+)\}", lambda m: ids[m[1]], path)


ALSO: dict[str, list[dict[str, str]]] = {
    "/v2.0/agents/{agent_id}": [{"agent_id": "dhcp_agent_id"}, {"agent_id": "l3_agent_id"}]}
"""Calls asked again about other kinds of object: placeholder → the made object to use (an
agent's ``configurations`` are what its kind reports)."""


@dataclass
class Reply:
    """One documented GET asked of one Neutron."""

    endpoint: Endpoint
    status: int
    """0 when the path has a placeholder nothing was made for."""
    body: Any
    """The JSON answer (None when refused or not JSON), a list cut to the made objects."""
    note: str = ""
    """What a JSON body cannot show: a refusal's message, ``no body``, or the media type of
    a body that is not JSON (made ids given back as their placeholders)."""
    also: list[Any] = field(default_factory=list)
    """The JSON answers about the other objects :data:`ALSO` names."""


def answers(api: Api, made: Made) -> Iterator[Reply]:
    """Every documented GET (lists cut to the made objects where they hold some)."""
    # the project is not an object of ours: every object of the admin's names it
    mine = {v for k, v in made.ids.items()
            if (k.endswith("_id") or k.endswith("_rules")) and k != "project_id"}
    for ep in documented():
        path = fill(ep.path, made.ids)
        if path is None:
            yield Reply(ep, 0, None)
            continue
        answer = api("GET", path)
        also = [_json(api("GET", str(fill(ep.path, {**made.ids, **{
            k: made.ids[v] for k, v in kind.items()}})))) for kind in ALSO.get(ep.path, [])
            if all(v in made.ids for v in kind.values())]
        yield Reply(ep, answer.status_code, _mine(_json(answer), mine),
                    _note(answer, made.ids), also)


def _note(answer: requests.Response, ids: dict[str, str]) -> str:
    """``no body``, a body's media type when it is not JSON, or a refusal's message; ""
    for a JSON answer."""
    if answer.ok and not answer.content:
        return "no body"
    if answer.ok:
        kind = answer.headers.get("Content-Type", "").split(";")[0]
        return "" if _json(answer) is not None else kind or "a body that is not JSON"
    try:
        text = str(answer.json()["NeutronError"]["message"])
    except (ValueError, KeyError, TypeError):
        text = answer.reason or ""
    for name, value in sorted(ids.items(), key=lambda kv: -len(kv[1])):
        if len(value) > 8:  # ids, not words
            text = text.replace(value, "{" + name + "}")
    return text


def demo_gap(real: Any, demo: Any, **how: Any) -> str | None:
    """The first difference of the demo cloud's answer from real Neutron's (the probe's
    :func:`first_difference`), a listing's items each compared with each of real
    Neutron's: the least of those of the items that match none, so it depends on neither
    list's order; None when every item matches one of real Neutron's."""
    if isinstance(demo, dict) and isinstance(real, dict):
        for key, items in demo.items():
            kinds = real.get(key)
            if isinstance(items, list) and items and isinstance(kinds, list) and kinds:
                found: set[str] = set()
                for item in items:
                    each = [first_difference({**real, key: [kind]}, {**demo, key: [item]},
                                             **how) for kind in kinds]
                    if None not in each:
                        found.add(min(str(e) for e in each))
                return min(found, default=None)
    return first_difference(real, demo, **how)


def stale(ep: Endpoint, real: Any) -> dict[str, str]:
    """Where real Neutron's answer differs from ``ep``'s sample, each worded "real Neutron
    29 sends X; sample shows Y" (:func:`.keystone_samples.stale`)."""
    return keystone_stale(ep, real, name=NAME, service=SERVICE)


def lists_nothing(body: Any) -> bool:
    """Whether ``body`` is a listing with no item (it shows no item's keys: real Neutron
    here has no agent, so no availability zone, and no NDP proxy was made)."""
    return isinstance(body, dict) and any(value == [] for value in body.values())


def facts(real: dict[str, Any], also: dict[str, list[Any]] | None = None
          ) -> dict[str, list[Any]]:
    """The facts file: the skeletons of real Neutron's answers to each documented GET it
    served with something to compare (not an empty listing), that about the made object
    then those about the others :data:`ALSO` names (``also``: call → their answers)."""
    out: dict[str, list[Any]] = {}
    for ep in documented():
        for body in (real.get(ep.path), *(also or {}).get(ep.path, [])):
            if body is not None and not lists_nothing(body) and \
                    skeleton(body) not in out.setdefault(ep.path, []):
                out[ep.path].append(skeleton(body))
    return {path: kinds for path, kinds in out.items() if kinds}


def statuses(replies: list[Reply]) -> dict[str, list[Any]]:
    """The status facts file: each documented GET asked, ``[status, note]``
    (:attr:`Reply.note`)."""
    return {r.endpoint.path: [r.status, r.note] for r in replies if r.status}


def real_answers(url: str) -> list[Reply]:
    """Each documented GET's answer from the real Neutron at ``url`` (objects made, then
    deleted)."""
    from . import neutron

    api = Api(url, neutron.headers(), neutron.PROJECT)
    made = prepare(api)
    try:
        return list(answers(api, made))
    finally:
        clean(api, made)


def write(replies: list[Reply], skeletons: Path = FACTS, status: Path = STATUS) -> None:
    """Write both facts files from real Neutron's replies."""
    skeletons.write_text(dumps(facts({r.endpoint.path: r.body for r in replies},
                                     {r.endpoint.path: r.also for r in replies})),
                         encoding="utf-8")
    status.write_text(dumps(statuses(replies)), encoding="utf-8")


def main() -> None:
    """Start a real Neutron, write both facts files."""
    from . import neutron

    with tempfile.TemporaryDirectory() as tmp, neutron.running(Path(tmp)) as svc:
        write(real_answers(svc.url))
    print(f"wrote {FACTS} and {STATUS}", file=sys.stderr)


if __name__ == "__main__":
    main()
