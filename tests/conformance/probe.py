"""The demo cloud asked every documented call, over real HTTP, with the api-ref's own samples.

Each current ``rest_method`` of the api-ref (Nova's deprecated and obsolete sections, Cinder's
v2 and Keystone's v2 extensions left out) is an :class:`Endpoint`; an action
(``POST /servers/{server_id}/action``) is one per request sample's key (``resize``). A GET is sent at the
microversion of its newest response sample the demo cloud can speak, with every path
placeholder filled by a real id of the demo world (:class:`Resolver`); a POST/PUT/PATCH with a
request sample sends that sample as its body (ids in it replaced the same way). A GET
answering 404 or 405 is "not served"; a 2xx answer is compared with the sample key by key,
recursively, JSON type by JSON type (:func:`first_difference`). Nothing here fails a test:
it produces the data :mod:`.report` turns into ``docs/conformance.md``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import ipaddress
import json
import re
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import requests

from .index import (
    BASE_VERSIONS,
    SERVICES,
    documented_versions,
    included,
    parameters,
    parse_sections,
    response_key_versions,
    response_parameters,
    sample_version,
)
from .sources import source_dir

__all__ = ["Endpoint", "Outcome", "Resolver", "endpoints", "first_difference", "probe"]

BASES = {"compute": "/compute/v2.1", "block-storage": "/volume", "image": "/image",
         "identity": "/identity", "placement": "/placement", "network": "/network"}
"""Where a service's api-ref paths start on the demo cloud."""
HEADERS = {"compute": "compute", "block-storage": "volume", "placement": "placement"}
WRITES = ("POST", "PUT", "PATCH")
ANSWERS = {"adminPass", "replication_targets"}
"""Top keys of action answers whose samples are not named ``-resp``."""
LAST = {"shelveOffload": 1, "forceDelete": 2, "os-force_delete": 2, "delete": 2,
        "os-unmanage": 2}
"""Actions that take their object away: sent after every other body (a server is shelved
off its host before it is deleted)."""
MAX_VERSIONS = {"compute": (2, 100), "block-storage": (3, 71), "placement": (1, 39)}
_REQUEST = re.compile(r"(^|[-_.])req(uest)?([-_.]|$)")
_UUID = re.compile(r"^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$", re.I)


@dataclasses.dataclass
class Endpoint:
    """One documented call: its response samples and request samples by microversion."""

    service: str
    method: str
    path: str
    responses: dict[str | None, Path] = dataclasses.field(default_factory=dict)
    variants: dict[str | None, list[Path]] = dataclasses.field(default_factory=dict)
    """Every response sample per microversion (``hypervisors-with-servers-resp.json``
    beside ``hypervisors-list-resp.json``): an answer matching one of them is key-exact."""
    requests: dict[str | None, Path] = dataclasses.field(default_factory=dict)
    documented: str | None = None
    """The microversion the section's prose says the call needs (``index.documented_versions``)."""
    action: str | None = None  # ``POST …/action``: the body's key (``resize``, ``os-attach``)
    documented_keys: frozenset[str] = frozenset()
    """The keys the section's Response parameters document: one the sample omits is not
    an extra key in an answer (samples lag behind their parameters: Neutron's list samples
    lack ``tags``, which the parameters document)."""

    @property
    def call(self) -> str:
        return f"{self.method} {self.path}" + (f" {self.action}" if self.action else "")


@dataclasses.dataclass
class Outcome:
    """What the demo cloud answered one endpoint."""

    endpoint: Endpoint
    status: int | None = None
    microversion: str | None = None
    served: bool = False
    compared: bool = False
    difference: str | None = None  # first differing key path; None when key-exact
    note: str = ""
    answer: Any = dataclasses.field(default=None, repr=False, compare=False)
    """The JSON answer of a served GET (held to a real service's by :mod:`.realfacts`)."""

    @property
    def key_exact(self) -> bool:
        return self.compared and self.difference is None


def _current(dist: str, root: Path) -> list[Path]:
    """The .inc files of the current API (what the service's index does not call deprecated)."""
    service = SERVICES[dist]
    files = sorted(root.rglob("*.inc"))
    if service == "compute":
        index = (root / "index.rst").read_text(encoding="utf-8")
        current = index.split("Deprecated APIs")[0]
        names = set(re.findall(r"^\.\. include:: (\S+\.inc)", current, re.M))
        return [f for f in files if f.name in names]
    if service == "block-storage":
        return [f for f in files if f.relative_to(root).parts[0] == "v3"]
    if service == "identity":
        return [f for f in files if f.relative_to(root).parts[0] != "v2-ext"]
    return files


def endpoints(dist: str) -> list[Endpoint]:
    """Every current documented call of ``dist``, in api-ref order."""
    root = source_dir(dist)
    ref = root / "api-ref" / "source"
    service = SERVICES[dist]
    out: dict[tuple[str, str, str | None], Endpoint] = {}
    params = parameters(ref) if service in BASE_VERSIONS else {}
    for inc in _current(dist, ref):
        text = inc.read_text(encoding="utf-8")
        documented = documented_versions(text) if service in BASE_VERSIONS else {}
        implied = response_key_versions(text, params)
        answered = response_parameters(text)
        for method, raw, includes, own in parse_sections(text):
            path = "/" + raw.split("?")[0].lstrip("/")  # Cinder writes one without
            actions = path.endswith("/action") and method == "POST"
            if not actions:
                ep0 = out.setdefault((method, path, None), Endpoint(
                    service, method, path, documented=documented.get((method, raw))))
                ep0.documented_keys |= set(answered.get((method, raw), {}))
            for position, name in enumerate(includes):
                file = included(ref, inc, name)
                if not file.is_file():
                    continue
                version = sample_version(file.relative_to(root.resolve()), service)
                # Nova names many request samples for their action alone
                # (``server-action-confirm-resize.json``): a write section's first sample,
                # and an action's samples that are not a ``-resp``, are requests.
                request = bool(_REQUEST.search(file.stem)) or (
                    method in WRITES and "resp" not in file.stem
                    and (actions or position == 0))
                action = None
                if actions:
                    body = _load(file)
                    if not request or not isinstance(body, dict) or not body:
                        continue  # an action's answer: not compared
                    action = next(iter(body))
                    if action in ANSWERS:
                        continue
                if not request and version is not None and \
                        version == BASE_VERSIONS.get(service):
                    version = _implied(file, implied.get((method, raw), {}), version)
                ep = out.setdefault((method, path, action), Endpoint(
                    service, method, path, action=action,
                    documented=own if actions and service in BASE_VERSIONS else None))
                (ep.requests if request else ep.responses).setdefault(version, file)
                if not request:
                    ep.variants.setdefault(version, []).append(file)
    return list(out.values())


def _keys(body: Any) -> Iterator[str]:
    if isinstance(body, dict):
        for key, value in body.items():
            yield key
            yield from _keys(value)
    elif isinstance(body, list):
        for item in body:
            yield from _keys(item)


def _implied(file: Path, versions: dict[str, str], version: str) -> str:
    """An unversioned sample's microversion: the newest its keys need (see
    :func:`.index.response_key_versions`), else the service's base."""
    needed = [versions[k] for k in set(_keys(_load(file))) if k in versions]
    return max([version, *needed], key=_vt)


# -- comparing ------------------------------------------------------------------------
def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _paging(key: str, value: Any = None) -> bool:
    """A top-level key a service sends only when there is a next page: ``servers_links``,
    Glance's ``next``, and Nova's instance actions' bare ``links`` list (Keystone's
    ``links`` mapping is on every list and stays compared)."""
    return key.endswith("_links") or key in ("next", "previous") or (
        key == "links" and isinstance(value, list))


DATA_AT: dict[tuple[str, str], dict[str, int]] = {
    ("image", "/v2/metadefs/namespaces/{namespace_name}/properties"): {"properties": 1},
    ("image", "/v2/metadefs/namespaces/{namespace_name}"): {"properties": 1},
    ("identity", "/v3/domains/{domain_id}/config/{group}"): {"config": 2},
    ("placement", "/allocation_candidates"): {"provider_summaries": 1},
    ("identity", "/v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}"):
        {"endpoint_group.filters": 1},
    **{("identity", path): {"endpoint_groups[0].filters": 1,
                            "endpoint_groups[0].endpoint_group.filters": 1}
       for path in ("/v3/OS-EP-FILTER/endpoint_groups",
                    "/v3/OS-EP-FILTER/projects/{project_id}/endpoint_groups")},
    ("network", "/v2.0/network_segment_ranges"): {"network_segment_ranges[0].used": 1},
    ("network", "/v2.0/network_segment_ranges/{network_segment_range_id}"):
        {"network_segment_range.used": 1}}
"""Keys that are data in one call's answer only: a metadef namespace's ``properties`` are
keyed by property name (Glance's image schema's ``properties`` are its schema); a Keystone
domain's ``config`` by the group the path names, then by that group's options; an endpoint
group's ``filters`` by the endpoint attributes an operator chose (the api-ref's own list
shows one group with ``service_id`` and one without); a network segment range's ``used`` by
segmentation id; Placement's allocation candidates' ``provider_summaries`` by provider uuid
(real Placement 16 keys them so, ``tests/realcloud/test_placement_samples.py``)."""
DATA_KEY = re.compile(r"^(volumes|gigabytes|snapshots)_\S+$")
"""Keys named after the world's data: Cinder's per-volume-type quotas (``volumes_ssd``)."""
FREE_FORM = {"metadata": 1, "meta": 1, "extra_specs": 1, "addresses": 1, "specs": 1,
             "group_specs": 1, "volume_image_metadata": 1, "hosts": 2,
             "instance_usage_audit_logs.log": 1, "instance_usage_audit_log.log": 1,
             "allocations": 1, "resources": 1, "usages": 1, "mappings": 1,
             "server.image.properties": 1, "servers[0].image.properties": 1,
             "server.scheduler_hints": 1, "servers[0].scheduler_hints": 1,
             "service_graph.port_chains": 1, "service_graphs[0].port_chains": 1}
"""Keys whose own keys are data (a metadata key, a network label, a host name), not schema:
their values are compared with the sample's first value, for this many levels. A dotted
key names one place (the audit log's ``log`` is keyed by host; Neutron's ``log`` is not);
a server's image properties and scheduler hints are data; Placement's ``allocations`` are
keyed by provider or consumer uuid, ``resources`` and
``usages`` by class (or consumer type), ``mappings`` by request group; a service graph's
``port_chains`` by the id of the chain the listed ones follow (networking-sfc
``normalize_service_graph``: every key is a port chain's UUID)."""


def first_difference(sample: Any, answer: Any, path: str = "", free: int = 0,
                     documented: frozenset[str] = frozenset(),
                     data: Mapping[str, int] | None = None) -> str | None:
    """The first key path where ``answer`` differs from ``sample`` in keys or JSON types.

    ``null`` on either side matches any type (samples show an unset value as null, a world
    may have set it, and the reverse); a top-level paging key (``servers_links``, ``next``)
    may be on either side alone; a key the answer has and the sample lacks is extra unless
    ``documented`` (the call's response parameters) names it. An array is compared by its
    first element, when both have one; a mapping whose keys are data (``free`` levels,
    :data:`FREE_FORM`) by its values. None when the structures agree.
    """
    where = path or "(root)"
    if sample is None or answer is None:
        return None
    if _kind(sample) != _kind(answer):
        return f"{where}: {_kind(answer)}, sample has {_kind(sample)}"
    if isinstance(sample, dict) and free:
        model = next(iter(sample.values()), None)
        for key, value in answer.items():
            found = first_difference(model, value, f"{path}.{key}" if path else key,
                                     free - 1, documented, data)
            if found:
                return found
        return None
    if isinstance(sample, dict):
        for key in sample:
            if key not in answer and not (not path and _paging(key, sample[key])):
                return f"{path}.{key}: missing" if path else f"{key}: missing"
        for key in answer:
            if key not in sample and key not in documented and not DATA_KEY.match(key) and not (
                    not path and _paging(key, answer[key])):
                return f"{path}.{key}: extra" if path else f"{key}: extra"
        for key in (k for k in sample if k in answer):
            where = f"{path}.{key}" if path else key
            found = first_difference(sample[key], answer[key], where,
                                     FREE_FORM.get(key, 0) or FREE_FORM.get(where, 0) or
                                     (data or {}).get(where, 0), documented, data)
            if found:
                return found
    if isinstance(sample, list) and sample and answer:
        return first_difference(sample[0], answer[0], f"{path}[0]", 0, documented, data)
    return None


# -- filling the path ---------------------------------------------------------------------
# placeholder → (service, path of a listing, its collection key, the field to take)
LISTINGS: dict[str, tuple[str, str, str, str]] = {
    "server_id": ("compute", "/servers?all_tenants=1", "servers", "id"),
    "instance_id": ("compute", "/servers?all_tenants=1", "servers", "id"),
    "flavor_id": ("compute", "/flavors?is_public=None", "flavors", "id"),
    "keypair_name": ("compute", "/os-keypairs", "keypairs", "keypair.name"),
    "aggregate_id": ("compute", "/os-aggregates", "aggregates", "id"),
    "hypervisor_id": ("compute", "/os-hypervisors", "hypervisors", "id"),
    "hypervisor_hostname_pattern": ("compute", "/os-hypervisors", "hypervisors",
                                    "hypervisor_hostname"),
    "server_group_id": ("compute", "/os-server-groups?all_projects=1", "server_groups", "id"),
    "host_name": ("compute", "/os-hypervisors", "hypervisors", "hypervisor_hostname"),
    "migration_id": ("compute", "/os-migrations", "migrations", "id"),
    "volume_id": ("block-storage", "/v3/{project_id}/volumes?all_tenants=1", "volumes", "id"),
    "snapshot_id": ("block-storage", "/v3/{project_id}/snapshots?all_tenants=1", "snapshots",
                    "id"),
    "backup_id": ("block-storage", "/v3/{project_id}/backups?all_tenants=1", "backups", "id"),
    "volume_type_id": ("block-storage", "/v3/{project_id}/types", "volume_types", "id"),
    "volume_type": ("block-storage", "/v3/{project_id}/types", "volume_types", "id"),
    "qos_id": ("block-storage", "/v3/{project_id}/qos-specs", "qos_specs", "id"),
    "transfer_id": ("block-storage", "/v3/{project_id}/volume-transfers", "transfers", "id"),
    "attachment_id": ("block-storage", "/v3/{project_id}/attachments?all_tenants=1",
                      "attachments", "id"),
    "group_id": ("block-storage", "/v3/{project_id}/groups", "groups", "id"),
    "group_type_id": ("block-storage", "/v3/{project_id}/group_types", "group_types", "id"),
    "group_snapshot_id": ("block-storage", "/v3/{project_id}/group_snapshots",
                          "group_snapshots", "id"),
    "cinder_host": ("block-storage", "/v3/{project_id}/os-services?binary=cinder-volume",
                    "services", "host"),
    "volume_type_name": ("block-storage", "/v3/{project_id}/types?is_public=true",
                         "volume_types", "name"),
    "cinder_zone": ("block-storage", "/v3/{project_id}/os-availability-zone",
                    "availabilityZoneInfo", "zoneName"),
    "message_id": ("block-storage", "/v3/{project_id}/messages", "messages", "id"),
    "image_id": ("image", "/v2/images", "images", "id"),
    "namespace_name": ("image", "/v2/metadefs/namespaces", "namespaces", "namespace"),
    "network_id": ("network", "/v2.0/networks", "networks", "id"),
    "subnet_id": ("network", "/v2.0/subnets", "subnets", "id"),
    "port_id": ("network", "/v2.0/ports", "ports", "id"),
    "router_id": ("network", "/v2.0/routers", "routers", "id"),
    "floatingip_id": ("network", "/v2.0/floatingips", "floatingips", "id"),
    "floating_ip_id": ("network", "/v2.0/floatingips", "floatingips", "id"),
    "security_group_id": ("network", "/v2.0/security-groups", "security_groups", "id"),
    "security_group_rule_id": ("network", "/v2.0/security-group-rules",
                               "security_group_rules", "id"),
    "subnetpool_id": ("network", "/v2.0/subnetpools", "subnetpools", "id"),
    "agent_id": ("network", "/v2.0/agents", "agents", "id"),
    "rule_type": ("network", "/v2.0/qos/rule-types", "rule_types", "type"),
    **{name: ("network", path, key, "id") for name, path, key in (
        ("qos_policy_id", "/v2.0/qos/policies", "policies"),
        ("firewall_rule_id", "/v2.0/fwaas/firewall_rules", "firewall_rules"),
        ("firewall_policy_id", "/v2.0/fwaas/firewall_policies", "firewall_policies"),
        ("metering_label_id", "/v2.0/metering/metering-labels", "metering_labels"),
        ("vpnservice_id", "/v2.0/vpn/vpnservices", "vpnservices"),
        ("ikepolicy_id", "/v2.0/vpn/ikepolicies", "ikepolicies"),
        ("ipsecpolicy_id", "/v2.0/vpn/ipsecpolicies", "ipsecpolicies"),
        ("port_pair_id", "/v2.0/sfc/port_pairs", "port_pairs"),
        ("port_pair_group_id", "/v2.0/sfc/port_pair_groups", "port_pair_groups"),
        ("port_chain_id", "/v2.0/sfc/port_chains", "port_chains"),
        ("flow_classifier_id", "/v2.0/sfc/flow_classifiers", "flow_classifiers"),
        ("tap_service_id", "/v2.0/taas/tap_services", "tap_services"),
        ("bgp_peer_id", "/v2.0/bgp-peers", "bgp_peers"),
        ("bgp_speaker_id", "/v2.0/bgp-speakers", "bgp_speakers"),
        ("bgpvpn_id", "/v2.0/bgpvpn/bgpvpns", "bgpvpns"),
        ("service_profile_id", "/v2.0/service_profiles", "service_profiles"),
        ("address_scope_id", "/v2.0/address-scopes", "address_scopes"),
        ("free_port_id", "/v2.0/ports?device_owner=", "ports"))},
    "user_id": ("identity", "/v3/users", "users", "id"),
    "userId": ("identity", "/v3/users", "users", "id"),
    "domain_id": ("identity", "/v3/domains", "domains", "id"),
    "role_id": ("identity", "/v3/roles", "roles", "id"),
    "region_id": ("identity", "/v3/regions", "regions", "id"),
    "endpoint_id": ("identity", "/v3/endpoints", "endpoints", "id"),
    "credential_id": ("identity", "/v3/credentials", "credentials", "id"),
    "project_id": ("identity", "/v3/projects", "projects", "id"),
    "service_id": ("compute", "/os-services?binary=nova-compute", "services", "id"),
    "compute_host": ("compute", "/os-services?binary=nova-compute", "services", "host"),
    "uuid": ("placement", "/resource_providers", "resource_providers", "uuid"),
    "resource_class": ("placement", "/resource_classes", "resource_classes", "name"),
}
LISTINGS_OF: dict[tuple[str, str], tuple[str, str, str, str]] = {
    ("identity", "group_id"): ("identity", "/v3/groups", "groups", "id"),
    ("identity", "prior_role_id"): ("identity", "/v3/role_inferences", "role_inferences",
                                    "prior_role.id"),
    ("identity", "implies_role_id"): ("identity", "/v3/role_inferences", "role_inferences",
                                      "implies.0.id"),
    ("block-storage", "host_name"): ("block-storage",
                                     "/v3/{project_id}/os-services?binary=cinder-volume",
                                     "services", "host"),
    ("block-storage", "hostname"): ("block-storage",
                                    "/v3/{project_id}/os-services?binary=cinder-volume",
                                    "services", "host"),
}
"""A placeholder one service names differently: Cinder's hosts are its own, not Nova's;
Keystone's groups are not Cinder's; a role inference is one the world has."""
ALIASES = {"tenant_id": "project_id", "admin_project_id": "project_id",
           "project-id": "project_id", "consumer_uuid": "server_id",
           "userId": "user_id", "credentialId": "credential_id"}
"""Placeholders that name another's id (a consumer in placement is a server)."""
BY_LISTING = {("identity", "prior_role_id"), ("identity", "implies_role_id"),
              ("block-storage", "host_name"),
              ("compute", "service_id"),
              ("compute", "hypervisor_hostname_pattern")}

"""Placeholders filled from :data:`LISTINGS` even under their parent path: a service Nova
lets one update is a ``nova-compute`` one, not the first of ``/os-services``; a hostname
pattern is a hypervisor's name, not the first id of ``/os-hypervisors``."""
_AVAILABLE_VOLUME = ("block-storage", "/v3/{project_id}/volumes/detail?all_tenants=1",
                     "volumes", lambda v: v.get("status") == "available"
                     and not v.get("attachments"))
NAMESPACE_WITH: dict[str, Callable[[dict[str, Any]], bool]] = {
    "/v2/metadefs/namespaces/{namespace_name}": lambda ns: bool(ns.get("properties")),
    "/v2/metadefs/namespaces/{namespace_name}/resource_types": lambda ns: any(
        a.get("prefix") for a in ns.get("resource_type_associations", []))}
"""Metadef reads asked of a namespace they say something of: Glance leaves a namespace's
``properties`` out when it has none, and an association's ``prefix`` when it has none."""
QOS_KINDS = ("bandwidth_limit", "dscp_marking", "minimum_bandwidth", "packet_rate_limit",
             "minimum_packet_rate")
CHOSEN: dict[tuple[str, str, str], tuple[str, str, str, Callable[[Any], bool]]] = {
    # (a call's template, or the start of templates when it ends with "/")
    ("compute", "/os-server-groups/{server_group_id}", "server_group_id"):
        ("compute", "/os-server-groups?all_projects=1", "server_groups",
         lambda g: bool(g.get("rules"))),
    ("compute", "/flavors/{flavor_id}/os-flavor-access", "flavor_id"):
        ("compute", "/flavors/detail?is_public=false", "flavors", lambda f: True),
    ("compute", "/flavors/{flavor_id}/action", "flavor_id"):
        ("compute", "/flavors/detail?is_public=false", "flavors", lambda f: True),
    ("compute", "/flavors/{flavor_id}/os-extra_specs/", "flavor_id"):
        ("compute", "/flavors/detail?is_public=None", "flavors",
         lambda f: bool(f.get("extra_specs"))),
    ("compute", "/servers/{server_id}/tags/", "server_id"):
        ("compute", "/servers/detail?all_tenants=1", "servers", lambda v: bool(v.get("tags"))),
    ("compute", "/servers/{server_id}/os-volume_attachments/", "server_id"):
        ("compute", "/servers/detail?all_tenants=1", "servers",
         lambda v: bool(v.get("os-extended-volumes:volumes_attached"))),
    ("network", "/v2.0/agents/{bgp-dragent-id}/bgp-drinstances", "bgp-dragent-id"):
        ("network", "/v2.0/agents?agent_type=BGP%20dynamic%20routing%20agent", "agents",
         lambda a: (a.get("configurations") or {}).get("bgp_speakers", 0) > 0),
    ("network", "/v2.0/{resource_type}/{resource_id}/tags", "resource_id"):
        ("network", "/v2.0/networks", "networks", lambda n: bool(n.get("tags"))),
    ("network", "/v2.0/{resource_type}/{resource_id}/tags/", "resource_id"):
        ("network", "/v2.0/networks", "networks", lambda n: bool(n.get("tags"))),
    **{("block-storage", f"/v3/{{project_id}}/volumes/{{volume_id}}/action {action}",
        "volume_id"): _AVAILABLE_VOLUME
       for action in ("os-reserve", "os-volume_upload_image", "os-update_readonly_flag",
                      "os-retype", "os-migrate_volume", "os-unmanage", "os-force_delete",
                      "os-set_bootable", "os-reimage")},
    **{("block-storage", call, "volume_id"): _AVAILABLE_VOLUME
       for call in ("/v3/{project_id}/backups", "/v3/{project_id}/backups/{backup_id}/restore",
                    "/v3/{project_id}/os-volume-transfer", "/v3/{project_id}/volume-transfers",
                    "/v3/{project_id}/attachments")},
    **{("block-storage", call, "project_id"):
       ("identity", "/v3/projects", "projects", lambda p: p.get("name") not in ("admin",
                                                                               "service"))
       for call in ("/v3/{admin_project_id}/os-quota-sets/{project_id}",
                    "/v3/{admin_project_id}/os-quota-sets/{project_id}/defaults")},
    ("block-storage", "/v3/{project_id}/volumes/{volume_id}/action os-extend", "volume_id"):
        ("block-storage", "/v3/{project_id}/volumes/detail?all_tenants=1", "volumes",
         lambda v: v.get("status") == "available" and v.get("size", 99) < 3),
    ("image", "/v2/images/{image_id}/locations", "image_id"):
        ("image", "/v2/images?status=queued", "images", lambda i: True),
    ("compute", "/servers/{server_id}/os-interface", "port_id"):
        ("network", "/v2.0/ports", "ports", lambda p: not p.get("device_id") and not p.get("device_owner")),
    ("compute", "/servers/{server_id}/os-volume_attachments", "volume_id"):
        ("block-storage", "/v3/{project_id}/volumes/detail?all_tenants=1", "volumes",
         lambda v: v.get("status") == "available"),
    ("network", "/v2.0/security-groups/{security_group_id}", "security_group_id"):
        ("network", "/v2.0/security-groups", "security_groups",
         lambda g: g.get("name") != "default"),
    ("network", "/v2.0/network_segment_ranges/{network_segment_range_id}",
     "network_segment_range_id"):
        ("network", "/v2.0/network_segment_ranges", "network_segment_ranges",
         lambda r: not r.get("default")),
    ("network", "/v2.0/agents/{agent_id}/l3-routers", "agent_id"):
        ("network", "/v2.0/agents", "agents", lambda a: a.get("agent_type") == "L3 agent"
         and a.get("alive")),
    ("network", "/v2.0/agents/{agent_id}/dhcp-networks", "agent_id"):
        ("network", "/v2.0/agents", "agents", lambda a: a.get("agent_type") == "DHCP agent"
         and a.get("alive")),
    ("network", "/v2.0/subnetpools/{subnetpool_id}", "subnetpool_id"):
        ("network", "/v2.0/subnetpools", "subnetpools", lambda p: p.get("ip_version") == 6),
    ("network", "/v2.0/flavors/{flavor_id}/service_profiles", "flavor_id"):
        ("network", "/v2.0/flavors", "flavors", lambda f: not f.get("service_profiles")),
    **{("network", f"/v2.0/qos/policies/{{policy_id}}/{kind}_rules{tail}", "policy_id"):
       ("network", "/v2.0/qos/policies", "policies",
        lambda p, kind=kind: any(r.get("type") == kind for r in p.get("rules", [])))
       for kind in QOS_KINDS for tail in ("", "/")},
    **{("network", f"/v2.0/floatingips/{{floatingip_id}}/port_forwardings{tail}",
        "floatingip_id"):
       ("network", "/v2.0/floatingips", "floatingips", lambda f: bool(f.get("port_forwardings")))
       for tail in ("", "/")},
}
"""(service, call prefix, placeholder) → the listing and the test of the object the call is
about: a flavor's access list exists only for a private flavor (Nova answers 404 for a public
one, as it should), one extra spec only of a flavor that has some, a server group of the sample's kind (one
with rules: the rules of the others are empty, as in Nova); a security group or segment range
one may change (not the ``default`` ones), an agent of the kind the call schedules to, an
IPv6 subnet pool for the sample's IPv6 prefixes, a QoS policy with a rule of the kind a call
reads or changes, a floating IP with port forwardings, a network flavor with no service
profile yet."""
CREATED_IN: dict[tuple[str, str, str], tuple[str, str, str, Callable[[Any], bool]]] = {
    ("network", f"/v2.0/qos/policies/{{policy_id}}/{kind}_rules", "policy_id"):
        ("network", "/v2.0/qos/policies", "policies",
         lambda p, kind=kind: not any(r.get("type") == kind for r in p.get("rules", [])))
    for kind in QOS_KINDS}
""":data:`CHOSEN` for a create (``POST``): a QoS rule goes to a policy without one of its
kind (Neutron allows one of each kind and direction per policy)."""
def _console_token(resolver: Resolver) -> str | None:
    """A console's token, as a remote console's URL carries it (Nova's only way to one): a
    SPICE direct console's, the kind the newest sample (2.99) shows."""
    server = resolver.resolve("compute", "server_id", "")
    answer = requests.post(
        f"{resolver.url}{BASES['compute']}/servers/{server}/remote-consoles", timeout=30,
        json={"remote_console": {"protocol": "spice", "type": "spice-direct"}},
        headers={"X-Auth-Token": resolver.token, "OpenStack-API-Version": "compute 2.99"})
    url = answer.json().get("remote_console", {}).get("url", "") if answer.ok else ""
    found = re.search(r"[?&]token=([^&]+)", urllib.parse.unquote(url))  # noVNC: path=%3Ftoken…
    return found.group(1) if found else None


MADE: dict[tuple[str, str], Callable[[Resolver], str | None]] = {
    ("compute", "console_token"): _console_token}
"""Placeholders for what no listing shows, made the documented way: a console token."""
FIXED = {("network", "resource_type"): "networks", ("compute", "id"): "default", ("block-storage", "quota_class_name"): "default",
         ("compute", "before_timestamp"): "2026-03-15 08:00:00"}
"""Names every cloud has: the quota class ``default``; a time to ask the usage audit before."""


class Resolver:
    """Real ids of the demo world for a path's placeholders, each listing fetched once.

    A placeholder is filled from its parent path's listing first (``/servers/{server_id}/
    metadata/{key}`` takes the first key ``GET /servers/{id}/metadata`` answers), then from
    :data:`LISTINGS`; Cinder's ``{project_id}`` is the admin's project.
    """

    def __init__(self, url: str, token: str, project_id: str) -> None:
        self.url, self.token, self.project_id = url, token, project_id
        self.creating = False  # the call being filled is a POST (an encryption is created
        # on a type without one; read, updated, deleted on one that has one)
        self.cache: dict[tuple[str, str], str | None] = {}

    def call(self, service: str, method: str, path: str, body: Any = None, *,
             version: str | None = None,
             headers: Mapping[str, str] | None = None) -> requests.Response:
        """One request as the probe's admin to ``service`` (at ``version``, if given): the
        side calls that make or find what a documented call applies to."""
        sent = {"X-Auth-Token": self.token, "Accept": "application/json", **(headers or {})}
        if version is not None:
            sent["OpenStack-API-Version"] = f"{HEADERS[service]} {version}"
        return requests.request(method, self.url + BASES[service] + path, json=body,
                                headers=sent, timeout=30)

    def get(self, service: str, path: str) -> Any:
        headers = {"X-Auth-Token": self.token, "Accept": "application/json"}
        if service in HEADERS:
            top = MAX_VERSIONS[service]
            headers["OpenStack-API-Version"] = f"{HEADERS[service]} {top[0]}.{top[1]}"
        try:
            answer = requests.get(self.url + BASES[service] + path, headers=headers,
                                  timeout=30)
            return answer.json() if answer.ok else None
        except (requests.RequestException, ValueError):
            return None

    @staticmethod
    def _first(body: Any, name: str) -> str | None:
        """The first id (or key) of a listing body, for placeholder ``name``."""
        if isinstance(body, dict):
            lists = [v for v in body.values() if isinstance(v, list)]
            if len(lists) == 1:
                body = lists[0]  # a collection beside its links
            elif len(body) == 1:
                body = next(iter(body.values()))
                if isinstance(body, dict) and body and name not in ("id", "uuid"):
                    return str(next(iter(body)))  # a mapping: metadata, extra specs
        if not isinstance(body, list) or not body:
            return None
        item = body[0]
        if isinstance(item, (str, int)):
            return str(item)
        if not isinstance(item, dict):
            return None
        for field in (name, name.removesuffix("_id"), "id", "uuid", "name"):
            if isinstance(item.get(field), (str, int)):
                return str(item[field])
        return None

    def chosen(self, service: str, template: str, name: str) -> str | None:
        """The id :data:`CHOSEN` (:data:`CREATED_IN` for a create) picks for ``name`` in a
        call under ``template``."""
        table = {**CHOSEN, **CREATED_IN} if self.creating else CHOSEN
        for (where, prefix, placeholder), (owner, path, key, test) in table.items():
            call = template.split(" ", 1)[0]  # the path of ``…/action os-reserve``
            if where == service and placeholder == name and (
                    prefix in (template, call) or prefix.endswith("/") and call.startswith(
                        prefix)):
                # asked afresh each time: the object's state moves (a volume reserved by one
                # call is not available to the next)
                items = (self.get(owner, path.replace("{project_id}", self.project_id))
                         or {}).get(key, [])
                return next((str(item["id"]) for item in items if test(item)), None)
        return None

    def chosen_by(self, service: str, template: str, name: str) -> str | None:
        """The id :data:`CHOSEN_BY` finds (or makes) for ``name`` in a call under
        ``template``, once per call and placeholder."""
        call = template.split(" ", 1)[0]
        for (where, prefix, placeholder), find in CHOSEN_BY.items():
            if where == service and placeholder == name and (
                    prefix == call or prefix.endswith("/") and call.startswith(prefix)):
                if ("by", f"{prefix} {name}") not in self.cache:
                    self.cache["by", f"{prefix} {name}"] = find(self)
                return self.cache["by", f"{prefix} {name}"]
        return None

    def encrypted_type(self) -> str | None:
        """A volume type with an encryption spec (a type without one answers ``{}``)."""
        if ("encrypted", "type") not in self.cache:
            found = None
            for vtype in (self.get("block-storage", f"/v3/{self.project_id}/types?is_public=None")
                          or {}).get("volume_types", []):
                spec = self.get("block-storage",
                                f"/v3/{self.project_id}/types/{vtype['id']}/encryption")
                if isinstance(spec, dict) and spec.get("encryption_id"):
                    found = str(vtype["id"])
                    break
            self.cache["encrypted", "type"] = found
        return self.cache["encrypted", "type"]

    def namespace_with(self, template: str) -> str | None:
        """The first metadef namespace whose detail has what :data:`NAMESPACE_WITH` asks
        for the call ``template`` (a namespace's properties are only in its detail)."""
        if ("namespace", template) not in self.cache:
            listing = self.get("image", "/v2/metadefs/namespaces") or {}
            self.cache["namespace", template] = next(
                (ns["namespace"] for ns in listing.get("namespaces", [])
                 if NAMESPACE_WITH[template](
                     self.get("image", f"/v2/metadefs/namespaces/{ns['namespace']}") or {})),
                None)
        return self.cache["namespace", template]

    def qos_rule(self, template: str) -> str | None:
        """A QoS rule of the kind an ``alias_<kind>_rules/{id}`` call names, found in the
        policies' ``rules`` (Neutron lists rules only per policy)."""
        found = re.match(r"/v2\.0/qos/alias_(\w+)_rules/", template)
        if not found:
            return None
        for policy in (self.get("network", "/v2.0/qos/policies") or {}).get("policies", []):
            for rule in policy.get("rules", []):
                if rule.get("type") == found.group(1):
                    return str(rule["id"])
        return None

    def resolve(self, service: str, name: str, parent: str, template: str = "") -> str | None:
        if (service, name) in FIXED:
            return FIXED[service, name]
        if service == "network" and template.startswith("/v2.0/qos/alias_"):
            return self.qos_rule(template)
        if service == "block-storage" and template.startswith(ENCRYPTION) and name in (
                "volume_type_id", "key") and not (template == ENCRYPTION and self.creating):
            return self.encrypted_type() if name == "volume_type_id" else "provider"
        if service == "image" and name == "namespace_name" and template in NAMESPACE_WITH:
            return self.namespace_with(template)
        picked = self.chosen(service, template, name)
        if picked is not None:
            return picked
        picked = self.chosen_by(service, template, name)
        if picked is not None:
            return picked
        if (service, name) in MADE:
            if ("made", name) not in self.cache:
                self.cache["made", name] = MADE[service, name](self)
            return self.cache["made", name]
        if service == "block-storage" and name in ("project_id", "admin_project_id",
                                                   "tenant_id", "project-id"):
            return self.project_id
        if (parent, name) in self.cache:
            return self.cache[(parent, name)]
        value = self._first(self.get(service, parent), name) if parent.strip("/") not in (
            "", "v2", "v3", "v2.0") and "{" not in parent and (
                service, name) not in BY_LISTING else None
        name = ALIASES.get(name, name)
        listing = LISTINGS_OF.get((service, name)) or LISTINGS.get(name)
        if value is None and listing:
            where, path, key, field = listing
            body = self.get(where, path.replace("{project_id}", self.project_id))
            for item in (body or {}).get(key, []):
                for part in field.split("."):
                    if isinstance(item, list):
                        item = item[int(part)] if part.isdigit() and len(item) > int(part) \
                            else None
                    else:
                        item = item.get(part) if isinstance(item, dict) else None
                if item is not None:
                    value = str(item)
                    break
        self.cache[(parent, name)] = value
        return value

    def fill(self, service: str, path: str, template: str = "") -> tuple[str, list[str]]:
        """``path`` with its placeholders filled; the names no id was found for
        (``template``: the call, ``…/action os-reserve``, that :data:`CHOSEN` keys by)."""
        missing: list[str] = []
        filled = ""
        for part in re.split(r"(\{[^}]+\})", path):
            if part.startswith("{") and part.endswith("}"):
                value = self.resolve(service, part[1:-1], filled.rstrip("/"), template or path)
                if value is None:
                    missing.append(part[1:-1])
                    value = "00000000-0000-0000-0000-000000000000"
                filled += value
            else:
                filled += part
        return filled, missing


BODY_IDS = {"imageRef": "image_id", "flavorRef": "flavor_id", "uuid": "network_id",
            "volume_id": "volume_id", "volumeId": "volume_id", "image_id": "image_id",
            "network_id": "network_id", "port_id": "port_id", "snapshot_id": "snapshot_id",
            "server_id": "server_id", "project_id": "project_id", "user_id": "user_id",
            "domain_id": "domain_id", "backup_id": "backup_id",
            "rescue_image_ref": "image_id", "group_type": "group_type_id",
            "volume_types": "volume_type_id", "group_id": "group_id",
            "source_group_id": "group_id", "group_snapshot_id": "group_snapshot_id",
            "volume_uuid": "volume_id", "instance_uuid": "server_id", "project": "project_id",
            "consistencygroup_id": "group_id"}
NEUTRON_BODY_IDS = {
    "qos_policy_id": "qos_policy_id", "router_id": "router_id", "subnet_id": "subnet_id",
    "security_group_id": "security_group_id", "remote_group_id": "security_group_id",
    "firewall_policy_id": "firewall_policy_id", "firewall_rule_id": "firewall_rule_id",
    "ingress_firewall_policy_id": "firewall_policy_id",
    "egress_firewall_policy_id": "firewall_policy_id", "firewall_rules": "firewall_rule_id",
    "metering_label_id": "metering_label_id", "vpnservice_id": "vpnservice_id",
    "ikepolicy_id": "ikepolicy_id", "ipsecpolicy_id": "ipsecpolicy_id",
    "port_pairs": "port_pair_id", "port_pair_groups": "port_pair_group_id",
    "flow_classifiers": "flow_classifier_id", "port_chains": "port_chain_id",
    "ingress": "free_port_id", "egress": "free_port_id", "internal_port_id": "free_port_id",
    "fixed_port_id": "free_port_id", "source_port": "free_port_id",
    "tap_service_id": "tap_service_id", "bgp_peer_id": "bgp_peer_id", "object_id": "network_id",
    "subnetpool_id": "subnetpool_id", "address_scope_id": "address_scope_id",
    "bgpvpn_id": "bgpvpn_id", "bgp_speaker_id": "bgp_speaker_id", "tenant_id": "project_id"}
"""Neutron's keys naming another object in a body (its plugins' too); a port a body binds
to something is a free one (no device), as Neutron requires."""
"""Keys of a request sample whose id is replaced by a real one of the demo world."""


BODY_IDS_AT = {("compute", "/os-aggregates/{aggregate_id}/images", "id"): "image_id",
               ("network", "/v2.0/flavors/{flavor_id}/service_profiles", "id"):
                   "service_profile_id"}
"""A body's ``id`` that names another thing in one call: the images an aggregate caches, the
service profile a network flavor is associated with."""
BODY_NAMES = {("compute", "host"): "compute_host", ("block-storage", "host"): "cinder_host",
              ("block-storage", "new_type"): "volume_type_name",
              ("block-storage", "default_type"): "volume_type_name",
              ("block-storage", "availability_zone"): "cinder_zone",
              ("block-storage", "volume_types"): "volume_type_name",
              ("block-storage", "volume_type"): "volume_type_name"}
"""Keys of a request sample that name a thing of the world by name, not id: Nova's samples
name compute hosts the demo world doesn't have (``"host": "host1"``, a hex string)."""


def _real_ids(body: Any, resolver: Resolver, service: str, template: str = "") -> Any:
    if isinstance(body, list):
        return [_real_ids(item, resolver, service, template) for item in body]
    if not isinstance(body, dict):
        return body
    out: dict[str, Any] = {}
    for key, value in body.items():
        keyed = BODY_IDS_AT.get((service, template, key)) or KEYSTONE_BODY_IDS.get(key)
        if service == "identity" and keyed and isinstance(value, str):
            out[key] = resolver.resolve(service, keyed, "", template) or value
            continue
        named = BODY_IDS_AT.get((service, template, key)) or BODY_IDS.get(key) or (
            NEUTRON_BODY_IDS.get(key) if service == "network" else None)
        if named and isinstance(value, str) and _UUID.match(value.replace("-", "") or "x"):
            out[key] = resolver.resolve(service, named, "", template) or value
        elif named and isinstance(value, list) and value and all(
                isinstance(v, str) and _UUID.match(v.replace("-", "")) for v in value):
            out[key] = [resolver.resolve(service, named, "", template) or value[0]]
        elif (service, key) in BODY_NAMES and isinstance(value, str):
            out[key] = resolver.resolve(service, BODY_NAMES[service, key], "") or value
        else:
            out[key] = _real_ids(value, resolver, service, template)
    return out


# -- asking -------------------------------------------------------------------------------
def _vt(version: str | None) -> tuple[int, int]:
    major, minor = (version or "0.0").split(".")
    return int(major), int(minor)


DOWN_CELLS = ("compute", "2.69")
"""Nova's 2.69 samples document only the answer for servers in a cell that is down."""


def _pick(samples: dict[str | None, Path], service: str) -> tuple[str | None, Path | None]:
    """The newest sample the demo cloud can speak, with its microversion (else the oldest
    sample, asked at the newest microversion the demo cloud speaks)."""
    if not samples:
        return None, None
    ceiling = MAX_VERSIONS.get(service, (99, 99))
    ordered = sorted(samples, key=_vt)
    speakable = [v for v in ordered if _vt(v) <= ceiling]
    if len(speakable) > 1 and speakable[-1] == DOWN_CELLS[1] and service == DOWN_CELLS[0]:
        speakable.pop()
    if speakable:
        return speakable[-1], samples[speakable[-1]]
    # every sample is newer than the demo cloud speaks (Nova's flavors show only 2.102):
    # the call is asked at the newest it speaks and compared with the oldest sample
    top = f"{ceiling[0]}.{ceiling[1]}" if service in MAX_VERSIONS else ordered[0]
    return top, samples[ordered[0]]


def _documented(ep: Endpoint, version: str | None) -> str | None:
    """The sample's microversion, raised to the one the call's section documents.

    Cinder's attachments (3.27) have only unversioned samples, and Cinder answers 404 at
    3.0 as it should: the call is sent at 3.27, its answer compared with those samples.
    """
    if not ep.documented or _vt(ep.documented) > MAX_VERSIONS.get(ep.service, (99, 99)):
        return version
    return ep.documented if version is None or _vt(version) < _vt(ep.documented) else version


def _load(path: Path | None) -> Any:
    if path is None:
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None


def _named_by_body(path: str, body: Any) -> str:
    """A write naming the key it sets in both path and body takes the body's key.

    ``PUT …/metadata/{key}`` with ``{"meta": {"foo": "bar"}}`` sets ``foo``;
    ``PUT …/os-extra_specs/{flavor_extra_spec_key}`` with ``{"hw:numa_nodes": "1"}``
    sets ``hw:numa_nodes``, as Cinder's ``PUT …/extra_specs/{key}`` and
    ``…/group_specs/{spec_id}`` with ``{"key1": "value1"}`` set ``key1``.
    """
    if not isinstance(body, dict) or len(body) != 1:
        return path
    key, value = next(iter(body.items()))
    if path.endswith("/{key}") and key == "meta" and isinstance(value, dict) and value:
        return path[:-len("{key}")] + next(iter(value))
    for named in ("/{flavor_extra_spec_key}", "/extra_specs/{key}", "/group_specs/{spec_id}"):
        if path.endswith(named) and isinstance(value, str):
            return path[:path.rindex("/") + 1] + key
    return path


def _message(answer: requests.Response) -> str:
    """The service's own words for a refusal, on one short line."""
    try:
        body = answer.json()
    except ValueError:
        return ""
    while isinstance(body, dict) and len(body) == 1:
        body = next(iter(body.values()))
    if isinstance(body, dict):
        body = body.get("message") or body.get("description") or body.get("detail") or ""
    text = " ".join(str(body).split())
    return text if len(text) <= 90 else text[:87] + "..."


# -- a server in the state an action needs --------------------------------------------------
SERVER_ACTION = ("compute", "/servers/{server_id}/action")
BUSY = {"BUILD", "RESIZE", "REBUILD", "MIGRATING", "REBOOT", "HARD_REBOOT", "PASSWORD",
        "REVERT_RESIZE"}
"""Nova's statuses of a server with a task under way: the probe waits them out."""
RECOVER: dict[str, dict[str, Any]] = {
    "PAUSED": {"unpause": None}, "SUSPENDED": {"resume": None}, "SHUTOFF": {"os-start": None},
    "RESCUE": {"unrescue": None}, "SHELVED": {"unshelve": None},
    "SHELVED_OFFLOADED": {"unshelve": None}, "VERIFY_RESIZE": {"confirmResize": None},
    "ERROR": {"os-resetState": {"state": "active"}}}
"""The documented way back to ACTIVE from each resting status."""
NEEDS: dict[str, list[dict[str, Any]]] = {
    "resume": [{"suspend": None}], "unpause": [{"pause": None}],
    "os-start": [{"os-stop": None}], "unrescue": [{"rescue": {}}],
    "unshelve": [{"shelve": None}], "shelveOffload": [{"shelve": None}],
    "confirmResize": [{"resize": {"flavorRef": "{other_flavor}"}}],
    "revertResize": [{"resize": {"flavorRef": "{other_flavor}"}}]}
"""Server actions that only make sense after another: the probe first sends that one.

Every server action is sent to an ACTIVE server (:data:`RECOVER`), after the action it
follows when it has one, as an operator would. A sample that a state machine refuses in the
state the api-ref's order happened to leave would say nothing of the demo cloud."""


def _server_status(resolver: Resolver, server: str, wait: float = 10.0) -> dict[str, Any]:
    """The server at 2.1 (its flavor by id) once no task is under way on it."""
    deadline = time.monotonic() + wait
    while True:
        found: dict[str, Any] = _answer(resolver.call(
            "compute", "GET", f"/servers/{server}")).get("server", {})
        if found.get("status") not in BUSY or time.monotonic() > deadline:
            return found
        time.sleep(0.05)


def _other_flavor(resolver: Resolver, server: dict[str, Any]) -> str | None:
    """A flavor a server can be resized to: the smallest other one with no less disk."""
    flavors = (resolver.get("compute", "/flavors/detail?is_public=None") or {}).get(
        "flavors", [])
    current = next((f for f in flavors if f["id"] == server.get("flavor", {}).get("id")), None)
    if current is None:
        return None
    bigger = [f for f in flavors if f["id"] != current["id"] and f["disk"] >= current["disk"]
              and f["ram"] >= current["ram"] and f["vcpus"] >= current["vcpus"]]
    return min(bigger, key=lambda f: (f["ram"], f["vcpus"], f["disk"]))["id"] if bigger else None


def _act(resolver: Resolver, server: str, body: dict[str, Any]) -> None:
    resolver.call("compute", "POST", f"/servers/{server}/action", body)
    _server_status(resolver, server)


def _with_flavor(body: Any, flavor: str | None) -> Any:
    if isinstance(body, dict):
        return {k: (flavor if v == "{other_flavor}" or (k == "flavorRef" and flavor) else
                    _with_flavor(v, flavor)) for k, v in body.items()}
    return body


def _nova(resolver: Resolver, method: str, path: str, body: Any, version: str) -> None:
    resolver.call("compute", method, path, body, version=version)


def _target_host(resolver: Resolver, current: str | None) -> str | None:
    """A compute host a server can move to: up, enabled, not the one it is on."""
    services = (resolver.get("compute", "/os-services?binary=nova-compute") or {}).get(
        "services", [])
    return next((s["host"] for s in services if s["state"] == "up"
                 and s["status"] == "enabled" and s["host"] != current), None)


def _security_group(resolver: Resolver, name: str) -> None:
    """The sample's security group, made in the caller's project unless it is there."""
    found = resolver.call("network", "GET", "/v2.0/security-groups?" + urllib.parse.urlencode(
        {"name": name, "project_id": resolver.project_id}))
    if found.ok and not found.json().get("security_groups"):
        resolver.call("network", "POST", "/v2.0/security-groups",
                      {"security_group": {"name": name}})


def prepare_server(resolver: Resolver, path: str, action: str | None, body: Any
                   ) -> tuple[Any, Callable[[], None] | None]:
    """Bring the server of ``path`` to ACTIVE, then to the state ``action`` needs; the
    body to send (a resize names a flavor the server can grow into, a move a host it can
    go to) and what to undo after it (an evacuation needs its host down, as in Nova: the
    probe forces the host's compute service down for it, and up again after). The group a
    server is given must exist in the caller's project: the probe makes the sample's."""
    server = path.split("/")[2]
    found = _server_status(resolver, server)
    step = RECOVER.get(found.get("status", ""))
    if step is not None:
        _act(resolver, server, step)
        found = _server_status(resolver, server)
    flavor = _other_flavor(resolver, found)
    for before in NEEDS.get(action or "", []):
        _act(resolver, server, _with_flavor(before, flavor))
    found = _server_status(resolver, server)
    host = found.get("OS-EXT-SRV-ATTR:host")
    inner = body.get(action) if isinstance(body, dict) and action else None
    if isinstance(inner, dict) and "host" in inner:
        body = {action: {**inner, "host": _target_host(resolver, host) or inner["host"]}}
    if action == "addSecurityGroup" and isinstance(inner, dict):
        _security_group(resolver, str(inner.get("name")))
    undo = None
    if action == "evacuate" and host:
        force = {"host": host, "binary": "nova-compute"}
        _nova(resolver, "PUT", "/os-services/force-down", {**force, "forced_down": True},
              "2.11")

        def undo() -> None:
            _nova(resolver, "PUT", "/os-services/force-down", {**force, "forced_down": False},
                  "2.11")
    return (_with_flavor(body, flavor) if action == "resize" else body), undo


def _answer(answer: requests.Response) -> Any:
    """A side call's JSON answer; ``{}`` for a refusal or an empty answer."""
    return answer.json() if answer.ok and answer.content else {}


def _placement_get(resolver: Resolver, path: str) -> Any:
    return _answer(resolver.call("placement", "GET", path, version="1.39"))


def placement_body(resolver: Resolver, path: str, body: Any) -> Any:
    """A Placement write's sample with the world's providers and current generations.

    Placement refuses a stale generation with 409 (``placement.concurrent_update``) by
    design, and the samples name providers that exist only in the docs: the probe sends
    each provider of the sample as one of the world's (in order), each generation as the
    one the provider or consumer has now (``null`` for a consumer that has none yet); the
    custom traits a provider is given are created first, as an operator must."""
    providers = [rp["uuid"] for rp in _placement_get(resolver, "/resource_providers").get(
        "resource_providers", [])]
    named: dict[str, str] = {}

    def provider(sample: str) -> str:
        if sample not in named and len(named) < len(providers):
            named[sample] = providers[len(named)]
        return named.get(sample, sample)

    def consumer_generation(consumer: str) -> Any:
        return _placement_get(resolver, f"/allocations/{consumer}").get("consumer_generation")

    def fix(doc: Any, consumer: str | None) -> Any:
        if not isinstance(doc, dict):
            return doc
        out = dict(doc)
        if isinstance(out.get("allocations"), dict):
            out["allocations"] = {provider(k): v for k, v in out["allocations"].items()}
        if "consumer_generation" in out and consumer:
            out["consumer_generation"] = consumer_generation(consumer)
        return out

    parts = path.strip("/").split("/")
    if parts[0] == "allocations" and len(parts) == 2:  # PUT /allocations/{consumer}
        return fix(body, parts[1])
    if parts == ["allocations"] and isinstance(body, dict):  # POST: keyed by consumer
        return {consumer: fix(doc, consumer) for consumer, doc in body.items()}
    if isinstance(body, dict) and "resource_provider_generation" in body and \
            parts[0] == "resource_providers" and len(parts) > 1:
        for trait in body.get("traits", []) if parts[-1] == "traits" else []:
            if trait.startswith("CUSTOM_"):  # a custom trait exists once created
                resolver.call("placement", "PUT", f"/traits/{trait}", version="1.6")
        current = _placement_get(resolver, f"/resource_providers/{parts[1]}")
        return {**body, "resource_provider_generation": current.get("generation")}
    return body


WRITE_NAMES = {("placement", "PUT", "/resource_classes/{name}"):
               "/resource_classes/CUSTOM_OSNB_PROBE"}
"""Writes whose path names what they create: a resource class one may create is custom."""
def _cinder(resolver: Resolver, method: str, path: str, body: Any = None,
            version: str = "3.71") -> Any:
    return _answer(resolver.call("block-storage", method, f"/v3/{resolver.project_id}{path}",
                                 body, version=version))


def cinder_body(resolver: Resolver, template: str, path: str, body: Any) -> tuple[str, Any]:
    """A Cinder write's path and body made the documented way where a sample cannot be
    replayed as it is: a transfer is accepted with the id and ``auth_key`` its creation
    answered (the probe makes one of an available volume), a backup record imported is
    one the world's backup exported (then deleted, as only a gone backup's record imports), a
    cluster enabled or disabled is one of the world's, a volume detached is an attached one,
    with its own attachment's id."""
    action = next(iter(body), None) if isinstance(body, dict) else None
    if template.endswith("/volumes/{volume_id}/action") and action in ("os-detach",
                                                                      "os-force_detach"):
        # a detach names an attachment of the volume: an attached volume and its own
        volumes = _cinder(resolver, "GET", "/volumes/detail?all_tenants=1&status=in-use"
                          ).get("volumes", [])
        held = next((v for v in volumes if v.get("attachments")), None)
        if held is not None:
            path = re.sub(r"/volumes/[^/]+/action$", f"/volumes/{held['id']}/action", path)
            body = {action: {**body[action],
                             "attachment_id": held["attachments"][0]["attachment_id"]}}
    elif template.endswith("/accept") and "transfer" in template and isinstance(body, dict):
        volume = resolver.resolve("block-storage", "volume_id", "",
                                  "/v3/{project_id}/volume-transfers")
        made = _cinder(resolver, "POST", "/volume-transfers",
                       {"transfer": {"volume_id": volume, "name": "probe"}}, "3.55")
        transfer = made.get("transfer", {})
        if transfer.get("id"):
            path = re.sub(r"/[^/]+/accept$", f"/{transfer['id']}/accept", path)
            inner = next(iter(body))
            body = {inner: {**body[inner], "auth_key": transfer.get("auth_key")}}
    elif template.endswith("/backups/import_record"):
        # a record is imported where its backup is gone (Cinder refuses a duplicate):
        # export one, delete that backup, import the record
        for backup in _cinder(resolver, "GET", "/backups/detail?all_tenants=1").get(
                "backups", []):
            record = _cinder(resolver, "GET", f"/backups/{backup['id']}/export_record", None,
                             "3.0").get("backup-record")
            if not record or backup.get("has_dependent_backups") or \
                    backup.get("status") != "available":
                continue
            _cinder(resolver, "DELETE", f"/backups/{backup['id']}")
            deadline = time.monotonic() + 10
            while _cinder(resolver, "GET", f"/backups/{backup['id']}") and \
                    time.monotonic() < deadline:
                time.sleep(0.05)
            body = {"backup-record": record}
            break
    elif template.endswith(("/clusters/enable", "/clusters/disable")) and \
            isinstance(body, dict):
        clusters = _cinder(resolver, "GET", "/clusters", None, "3.7").get("clusters", [])
        if clusters:
            body = {**body, "name": clusters[0]["name"], "binary": clusters[0]["binary"]}
    return path, body


def _free_address(resolver: Resolver, subnet_id: str) -> str | None:
    """The last address of ``subnet_id``'s allocation pools no port holds."""
    subnet = (resolver.get("network", f"/v2.0/subnets/{subnet_id}") or {}).get("subnet") or {}
    held = {ip["ip_address"] for port in (resolver.get("network", "/v2.0/ports") or {}).get(
        "ports", []) for ip in port.get("fixed_ips", [])}
    for pool in reversed(subnet.get("allocation_pools", [])):
        last, first = ipaddress.ip_address(pool["end"]), ipaddress.ip_address(pool["start"])
        while last >= first:
            if str(last) not in held:
                return str(last)
            last -= 1
    return None


def _gateway_addresses(resolver: Resolver, path: str, body: Any) -> Any:
    """A router's ``external_fixed_ips``: a free address of the subnet it names (the
    sample's is one the world already gave a port)."""
    for fixed in ((body.get("router") or {}).get("external_gateway_info") or {}).get(
            "external_fixed_ips", []):
        if fixed.get("ip_address") and fixed.get("subnet_id"):
            fixed["ip_address"] = _free_address(resolver, fixed["subnet_id"]) or \
                fixed["ip_address"]
    return body


def _free_subports(resolver: Resolver, path: str, body: Any) -> Any:
    """Subports to add: ports nothing uses (no device, not a trunk's parent)."""
    free = [p["id"] for p in (resolver.get("network", "/v2.0/ports?device_owner=") or {}).get(
        "ports", []) if not p.get("device_id") and not p.get("trunk_details")]
    for sub, port in zip(body.get("sub_ports", []), free, strict=False):
        sub["port_id"] = port
    return body


def _held_subports(resolver: Resolver, path: str, body: Any) -> Any:
    """Subports to remove: the trunk's own."""
    held = [s["port_id"] for s in (resolver.get("network", path.replace(
        "/remove_subports", "/get_subports")) or {}).get("sub_ports", [])]
    for sub, port in zip(body.get("sub_ports", []), held, strict=False):
        sub["port_id"] = port
    return body


def _forwarded_port(resolver: Resolver, path: str, body: Any) -> Any:
    """A new forwarding on a floating IP goes to the host its forwardings reach (the port
    and its fixed IP: the sample's name another world's)."""
    held = (resolver.get("network", path) or {}).get("port_forwardings", [])
    wanted = body.get("port_forwarding") or {}
    if held and "internal_port_id" in wanted:
        wanted["internal_port_id"] = held[0]["internal_port_id"]
        wanted["internal_ip_address"] = held[0]["internal_ip_address"]
    return body


def _addressed_port(resolver: Resolver, path: str, body: Any) -> Any:
    """A local IP's association: a port with an IPv4 address, and that address."""
    wanted = body.get("port_association") or {}
    for port in (resolver.get("network", "/v2.0/ports?device_owner=") or {}).get("ports", []):
        v4 = [ip["ip_address"] for ip in port.get("fixed_ips", []) if ":" not in
              ip["ip_address"]]
        if v4 and not port.get("device_id") and not port.get("trunk_details"):
            wanted.update(fixed_port_id=port["id"], fixed_ip=v4[0])
            break
    return body


def _next_hops(resolver: Resolver, path: str, body: Any) -> Any:
    """Extra routes: each sample next hop moved into the router's own subnet (the same
    host number), as a next hop must be on a subnet the router is attached to."""
    router = path.rsplit("/", 2)[-2]
    ports = (resolver.get("network", f"/v2.0/ports?device_id={router}&device_owner="
                                     "network:router_interface") or {}).get("ports", [])
    subnets = [ip["subnet_id"] for port in ports for ip in port.get("fixed_ips", [])]
    cidr = next((net for net in (ipaddress.ip_network(((resolver.get(
        "network", f"/v2.0/subnets/{sid}") or {}).get("subnet") or {}).get("cidr", "::/128"))
        for sid in subnets) if net.version == 4 and net.prefixlen <= 28), None)
    for route in (body.get("router") or {}).get("routes", []):
        if cidr is not None and route.get("nexthop"):
            host = int(ipaddress.ip_address(route["nexthop"])) & 0xF
            route["nexthop"] = str(cidr.network_address + host)
    return body


def _floating_ip(resolver: Resolver, path: str, body: Any) -> Any:
    """A floating IP made for a port: the external network a router's gateway is on, a free
    address of its subnet, a port on a subnet that router serves, with its fixed IP."""
    wanted = body.get("floatingip") or {}
    routers = (resolver.get("network", "/v2.0/routers") or {}).get("routers", [])
    held = {f.get("port_id") for f in (resolver.get("network", "/v2.0/floatingips") or {}).get(
        "floatingips", [])}
    for router in routers:
        gateway = router.get("external_gateway_info") or {}
        fixed = gateway.get("external_fixed_ips") or []
        if not fixed:
            continue
        served = {ip["subnet_id"] for port in (resolver.get(
            "network", f"/v2.0/ports?device_id={router['id']}&device_owner="
                       "network:router_interface") or {}).get("ports", [])
                  for ip in port.get("fixed_ips", [])}
        for port in (resolver.get("network", "/v2.0/ports") or {}).get("ports", []):
            ours = [ip for ip in port.get("fixed_ips", []) if ip["subnet_id"] in served
                    and ":" not in ip["ip_address"]]
            if ours and port["id"] not in held and str(port.get("device_owner", "")).startswith(
                    "compute:"):
                wanted.update(floating_network_id=gateway["network_id"], port_id=port["id"],
                              fixed_ip_address=ours[0]["ip_address"], router_id=router["id"],
                              subnet_id=fixed[0]["subnet_id"])
                address = _free_address(resolver, fixed[0]["subnet_id"])
                if address and "floating_ip_address" in wanted:
                    wanted["floating_ip_address"] = address
                return body
    return body


def _neutron(resolver: Resolver, method: str, path: str, body: Any = None) -> Any:
    return _answer(resolver.call("network", method, path, body))


def _ndp_proxy(resolver: Resolver, path: str, body: Any) -> Any:
    """An NDP proxy made the documented way: an IPv6 address scope and a pool in it; an
    IPv6 subnet of the pool on the router's external network, given to its gateway, and
    ``enable_ndp_proxy``; an IPv6 subnet of the pool behind the router, a port on it."""
    wanted = body.get("ndp_proxy") or {}
    router = _neutron(resolver, "GET", f"/v2.0/routers/{wanted.get('router_id')}").get(
        "router") or {}
    gateway = router.get("external_gateway_info") or {}
    inner = next(iter(_neutron(resolver, "GET", f"/v2.0/ports?device_id={router.get('id')}"
                                                "&device_owner=network:router_interface").get(
        "ports", [])), None)
    if not gateway or inner is None:
        return body
    scope = _neutron(resolver, "POST", "/v2.0/address-scopes", {"address_scope": {
        "name": "ndp-v6", "ip_version": 6, "shared": True}}).get("address_scope", {})
    pool = _neutron(resolver, "POST", "/v2.0/subnetpools", {"subnetpool": {
        "name": "ndp-v6", "prefixes": ["2001:db8:4000::/48"], "default_prefixlen": 64,
        "address_scope_id": scope.get("id"), "shared": True}}).get("subnetpool", {})
    subnets = [_neutron(resolver, "POST", "/v2.0/subnets", {"subnet": {
        "network_id": net, "ip_version": 6, "subnetpool_id": pool.get("id"),
        "name": f"ndp-{side}-v6", **owner}}).get("subnet", {})
        for side, net, owner in (("external", gateway["network_id"], {}),
                                 ("internal", inner["network_id"],
                                  {"project_id": inner["project_id"]}))]
    base = f"/v2.0/routers/{router['id']}"
    _neutron(resolver, "PUT", base, {"router": {"external_gateway_info": {
        **gateway, "external_fixed_ips": [*gateway.get("external_fixed_ips", []),
                                          {"subnet_id": subnets[0].get("id")}]}}})
    _neutron(resolver, "PUT", base, {"router": {"enable_ndp_proxy": True}})
    _neutron(resolver, "PUT", f"{base}/add_router_interface", {"subnet_id": subnets[1].get(
        "id")})
    port = _neutron(resolver, "POST", "/v2.0/ports", {"port": {
        "network_id": inner["network_id"], "name": "ndp-published", "project_id":
        inner["project_id"], "fixed_ips": [{"subnet_id": subnets[1].get("id")}]}}).get(
        "port", {})
    address = next((ip["ip_address"] for ip in port.get("fixed_ips", [])
                    if ":" in ip["ip_address"]), None)
    if address:
        wanted.update(port_id=port["id"], ip_address=address)
    return body


NETWORK_BODIES: dict[str, Callable[[Resolver, str, Any], Any]] = {
    "/v2.0/ndp_proxies": _ndp_proxy,
    "/v2.0/floatingips": _floating_ip,
    "/v2.0/local_ips/{local_ip_id}/port_associations": _addressed_port,
    "/v2.0/routers/{router_id}/add_extraroutes": _next_hops,
    "/v2.0/routers/{router_id}/remove_extraroutes": _next_hops,
    "/v2.0/routers": _gateway_addresses, "/v2.0/routers/{router_id}": _gateway_addresses,
    "/v2.0/trunks/{trunk_id}/add_subports": _free_subports,
    "/v2.0/trunks/{trunk_id}/remove_subports": _held_subports,
    "/v2.0/floatingips/{floatingip_id}/port_forwardings": _forwarded_port}
"""Neutron writes whose sample names what the world must supply: a free address, free
ports, a trunk's subports, the host a floating IP forwards to, a port with an IPv4 address,
next hops on the router's subnet, a port a router's gateway network reaches, an NDP proxy's
IPv6 topology."""


def neutron_core_body(resolver: Resolver, template: str, path: str, body: Any) -> Any:
    """The body of a core Neutron write with what :data:`NETWORK_BODIES` supplies."""
    fix = NETWORK_BODIES.get(template)
    return fix(resolver, path, body) if fix and isinstance(body, dict) else body


def glance_body(resolver: Resolver, template: str, path: str, body: Any) -> tuple[str, Any]:
    """A Glance import is of an image whose data is staged (``glance-direct``), into the
    world's stores: the probe makes and stages one, as ``openstack image create --import``
    does, and names the stores ``/v2/info/stores`` lists."""
    if not template.endswith("/import") or not isinstance(body, dict):
        return path, body
    base = f"{resolver.url}{BASES['image']}/v2"
    headers = {"X-Auth-Token": resolver.token}
    made = requests.post(f"{base}/images", json={
        "name": "probe-import", "disk_format": "raw", "container_format": "bare"},
        headers=headers, timeout=30)
    if not made.ok:
        return path, body
    image = made.json()["id"]
    requests.put(f"{base}/images/{image}/stage", data=b"\0" * 4096, timeout=30,
                 headers={**headers, "Content-Type": "application/octet-stream"})
    stores = [s["id"] for s in requests.get(f"{base}/info/stores", headers=headers,
                                             timeout=30).json().get("stores", [])]
    if "stores" in body and stores:
        body = {**body, "stores": stores}
    return re.sub(r"/images/[^/]+/import$", f"/images/{image}/import", path), body


def cinder_room(resolver: Resolver) -> None:
    """Give the probe's project room in Cinder's quotas for what its bodies create (an
    operator raises a quota before a batch of creates; a refusal at the default of 10
    volumes would say nothing of the call)."""
    _cinder(resolver, "PUT", f"/os-quota-sets/{resolver.project_id}", {"quota_set": {
        key: -1 for key in ("volumes", "gigabytes", "snapshots", "backups",
                            "backup_gigabytes", "groups")}}, "3.0")


def _listed(resolver: Resolver, path: str, key: str) -> list[dict[str, Any]]:
    items = _neutron(resolver, "GET", path).get(key, [])
    return [item for item in items if isinstance(item, dict)]


def _segment(path: str, after: str) -> str:
    """The id that follows ``after/`` in a filled path."""
    found = re.search(re.escape(after) + r"/([^/]+)", path)
    return found.group(1) if found else ""


def _with_segment(path: str, after: str, ident: str) -> str:
    return re.sub(re.escape(after) + r"/[^/]+", f"{after}/{ident}", path, count=1)


def _inner(body: Any) -> tuple[str, dict[str, Any]] | None:
    """A Neutron body's resource key and attributes (``{"port_chain": {...}}``)."""
    if isinstance(body, dict) and len(body) == 1:
        key, value = next(iter(body.items()))
        if isinstance(value, dict):
            return key, value
    return None


def _free_dragent(resolver: Resolver, path: str, body: Any) -> tuple[str, Any]:
    """A speaker is scheduled to a BGP dragent that hosts none (a dragent hosts one:
    neutron-dynamic-routing keys the binding by the agent)."""
    agents = _listed(resolver, "/v2.0/agents?agent_type=BGP%20dynamic%20routing%20agent",
                     "agents")
    free = next((a for a in agents
                 if not (a.get("configurations") or {}).get("bgp_speakers")), None)
    return (_with_segment(path, "/agents", free["id"]) if free else path), body


def _new_bgp_peer(resolver: Resolver, path: str, body: Any) -> tuple[str, Any]:
    """A peer added to a speaker is one of its IP version it does not have yet (Neutron
    refuses a second peer of one address: ``DuplicateBgpPeerIpException``)."""
    speaker = _neutron(resolver, "GET", f"/v2.0/bgp-speakers/{_segment(path, '/bgp-speakers')}"
                       ).get("bgp_speaker", {})
    peers = _listed(resolver, "/v2.0/bgp-peers", "bgp_peers")
    taken = {p["peer_ip"] for p in peers if p["id"] in speaker.get("peers", [])}
    fits = next((p for p in peers if p["peer_ip"] not in taken and
                 (":" in p["peer_ip"]) == (speaker.get("ip_version") == 6)), None)
    return path, ({**body, "bgp_peer_id": fits["id"]} if fits and isinstance(body, dict)
                  else body)


def _new_gateway_network(resolver: Resolver, path: str, body: Any) -> tuple[str, Any]:
    """A gateway network is an external network added to a speaker that lacks it."""
    external = _listed(resolver, "/v2.0/networks?router:external=true", "networks")
    for speaker in _listed(resolver, "/v2.0/bgp-speakers", "bgp_speakers"):
        network = next((n for n in external if n["id"] not in speaker["networks"]), None)
        if network is not None and isinstance(body, dict):
            return (_with_segment(path, "/bgp-speakers", speaker["id"]),
                    {**body, "network_id": network["id"]})
    return path, body


def _new_router_association(resolver: Resolver, path: str, body: Any) -> tuple[str, Any]:
    """A router associated with a BGPVPN is one it does not have yet (of its project)."""
    vpn = _neutron(resolver, "GET", f"/v2.0/bgpvpn/bgpvpns/{_segment(path, '/bgpvpns')}"
                   ).get("bgpvpn", {})
    routers = _listed(resolver, "/v2.0/routers", "routers")
    fits = next((r for r in routers if r["id"] not in vpn.get("routers", []) and
                 r.get("project_id") == vpn.get("project_id")), None)
    inner = _inner(body)
    if fits is None or inner is None:
        return path, body
    return path, {inner[0]: {**inner[1], "router_id": fits["id"]}}


def _rule_to_insert(resolver: Resolver, path: str, body: Any) -> tuple[str, Any]:
    """A rule inserted into a policy that has rules is one it lacks, of its project or
    shared (FWaaS's ``FirewallRuleConflict``), after one it has."""
    rules = _listed(resolver, "/v2.0/fwaas/firewall_rules", "firewall_rules")
    for policy in _listed(resolver, "/v2.0/fwaas/firewall_policies", "firewall_policies"):
        held = policy.get("firewall_rules") or []
        rule = next((r for r in rules if r["id"] not in held and (
            r.get("shared") or r.get("project_id") == policy.get("project_id"))), None)
        if held and rule is not None and isinstance(body, dict):
            anchor = "insert_before" if body.get("insert_before") else "insert_after"
            return (_with_segment(path, "/firewall_policies", policy["id"]),
                    {**body, "firewall_rule_id": rule["id"], anchor: held[0]})
    return path, body


def _sfc(resolver: Resolver, kind: str) -> list[dict[str, Any]]:
    return _listed(resolver, f"/v2.0/sfc/{kind}", kind)


def _unchained_classifier(resolver: Resolver, port: int) -> str | None:
    """A flow classifier no chain uses, made the documented way."""
    made = _neutron(resolver, "POST", "/v2.0/sfc/flow_classifiers", {"flow_classifier": {
        "name": f"probe-{port}", "protocol": "tcp", "destination_port_range_min": port,
        "destination_port_range_max": port}}).get("flow_classifier", {})
    return made.get("id")


def _new_chain(resolver: Resolver, path: str, body: Any) -> tuple[str, Any]:
    """A port chain steers through a list of groups no other chain has (networking-sfc's
    ``InvalidPortPairGroups``), classified by classifiers no other chain uses
    (``FlowClassifierInUse``); a chain changed is one in no service graph (which keeps
    its chains' groups: ``ServiceGraphPortChainInUse``)."""
    inner = _inner(body)
    if inner is None:
        return path, body
    key, attrs = inner
    chains = _sfc(resolver, "port_chains")
    this = ""
    if "/port_chains/" in path:
        graphs = _listed(resolver, "/v2.0/sfc/service_graphs", "service_graphs")
        in_graphs = {c for g in graphs for src, dsts in g["port_chains"].items()
                     for c in (src, *dsts)}
        this = next((c["id"] for c in chains if c["id"] not in in_graphs), "")
        if not this:
            return path, body
        path = _with_segment(path, "/port_chains", this)
    others = [c for c in chains if c["id"] != this]
    groups = [g["id"] for g in _sfc(resolver, "port_pair_groups")]
    listed = _ppg_list(groups, len(attrs.get("port_pair_groups") or [1]),
                       [c["port_pair_groups"] for c in others])
    used = {f for c in others for f in c["flow_classifiers"]}
    free = [f["id"] for f in _sfc(resolver, "flow_classifiers") if f["id"] not in used]
    want = len(attrs.get("flow_classifiers") or [])
    while len(free) < want and (made := _unchained_classifier(resolver, 20000 + len(free))):
        free.append(made)
    out = dict(attrs)
    if "port_pair_groups" in attrs and listed:
        out["port_pair_groups"] = listed
    if want:
        out["flow_classifiers"] = free[:want]
    return path, {key: out}


def _ppg_list(groups: list[str], size: int, taken: list[list[str]]) -> list[str]:
    """An ordered list of groups that no chain in ``taken`` has: of ``size`` groups if
    there is one, else the nearest size."""
    import itertools

    sizes = sorted(range(1, len(groups) + 1), key=lambda n: (abs(n - size), n))
    for length in sizes:
        for combo in itertools.permutations(groups, length):
            if list(combo) not in taken:
                return list(combo)
    return []


def _unpaired_port(resolver: Resolver, path: str, body: Any) -> tuple[str, Any]:
    """A port pair is of an unbound port no pair uses (``PortPairIngressEgressInUse``)."""
    inner = _inner(body)
    pairs = _sfc(resolver, "port_pairs")
    busy = {p[side] for p in pairs for side in ("ingress", "egress")}
    port = next((p for p in _listed(resolver, "/v2.0/ports?device_owner=", "ports")
                 if p["id"] not in busy and not p.get("device_id")), None)
    if inner is None or port is None:
        return path, body
    return path, {inner[0]: {**inner[1], "ingress": port["id"], "egress": port["id"]}}


def _unused_pairs(resolver: Resolver, path: str, body: Any) -> tuple[str, Any]:
    """A port pair group holds pairs no group holds (``PortPairInUse``); a pair is made
    the documented way of an unbound port no pair uses when the world has none free."""
    inner = _inner(body)
    if inner is None:
        return path, body
    key, attrs = inner
    held = {p for g in _sfc(resolver, "port_pair_groups") for p in g["port_pairs"]}
    pairs = _sfc(resolver, "port_pairs")
    free = [p["id"] for p in pairs if p["id"] not in held]
    if not free:
        busy = {p[side] for p in pairs for side in ("ingress", "egress")}
        port = next((p for p in _listed(resolver, "/v2.0/ports?device_owner=", "ports")
                     if p["id"] not in busy and not p.get("device_id")), None)
        made = _neutron(resolver, "POST", "/v2.0/sfc/port_pairs", {"port_pair": {
            "name": "probe", "ingress": port["id"], "egress": port["id"]}}) if port else {}
        free = [made["port_pair"]["id"]] if made.get("port_pair") else []
    want = max(len(attrs.get("port_pairs") or []), 1)
    return path, ({key: {**attrs, "port_pairs": free[:want]}} if free else body)


def _graph_of_free_chains(resolver: Resolver, path: str, body: Any) -> tuple[str, Any]:
    """A service graph joins chains no graph has (``ServiceGraphInvalidPortChains``): the
    sample's chains, each replaced by such a chain, made the documented way (a chain of
    groups no other chain has) when the world has too few."""
    inner = _inner(body)
    if inner is None or not isinstance(inner[1].get("port_chains"), dict):
        return path, body
    key, attrs = inner
    sample: dict[str, list[str]] = attrs["port_chains"]
    names = list(dict.fromkeys([*sample, *(d for dsts in sample.values() for d in dsts)]))
    graphs = _listed(resolver, "/v2.0/sfc/service_graphs", "service_graphs")
    in_graphs = {c for g in graphs for src, dsts in g["port_chains"].items()
                 for c in (src, *dsts)}
    chains = _sfc(resolver, "port_chains")
    free = [c["id"] for c in chains if c["id"] not in in_graphs]
    groups = [g["id"] for g in _sfc(resolver, "port_pair_groups")]
    taken = [c["port_pair_groups"] for c in chains]
    while len(free) < len(names):
        groups_of = _ppg_list(groups, 2, taken)
        made = _neutron(resolver, "POST", "/v2.0/sfc/port_chains", {"port_chain": {
            "name": f"probe-{len(free)}", "port_pair_groups": groups_of}}) if groups_of else {}
        if not made.get("port_chain"):
            return path, body
        taken.append(groups_of)
        free.append(made["port_chain"]["id"])
    real = dict(zip(names, free, strict=False))
    graph = {real[src]: [real[d] for d in dsts] for src, dsts in sample.items()}
    return path, {key: {**attrs, "port_chains": graph}}


def _flow_of_own_service(resolver: Resolver, path: str, body: Any) -> tuple[str, Any]:
    """A tap flow is made in its tap service's project (TaaS's
    ``TapServiceNotBelongToTenant``): the caller's service, mirroring another of its
    ports."""
    inner = _inner(body)
    services = _listed(resolver, "/v2.0/taas/tap_services", "tap_services")
    service = next((t for t in services if t.get("tenant_id") == resolver.project_id), None)
    if inner is None or service is None:
        return path, body
    port = next((p for p in _listed(resolver, f"/v2.0/ports?project_id={resolver.project_id}",
                                    "ports") if p["id"] != service["port_id"]), None)
    attrs = {**inner[1], "tap_service_id": service["id"]}
    if port is not None:
        attrs["source_port"] = port["id"]
    return path, {inner[0]: attrs}


def _unused_policy(kind: str, key: str) -> Callable[[Resolver, str, Any], tuple[str, Any]]:
    def pick(resolver: Resolver, path: str, body: Any) -> tuple[str, Any]:
        """A VPN policy changed is one no IPsec site connection uses (VPNaaS refuses to
        change one in use: ``IKEPolicyInUse``, ``IPsecPolicyInUse``)."""
        used = {c[key] for c in _listed(resolver, "/v2.0/vpn/ipsec-site-connections",
                                        "ipsec_site_connections")}
        free = next((p for p in _listed(resolver, f"/v2.0/vpn/{kind}", kind)
                     if p["id"] not in used), None)
        return (_with_segment(path, f"/vpn/{kind}", free["id"]) if free else path), body
    return pick


def _site_endpoints(resolver: Resolver, path: str, body: Any) -> tuple[str, Any]:
    """An IPsec site connection with endpoint groups is made on a VPN service without a
    subnet, its local group's subnets on that service's router, its peer group CIDRs of
    their IP version (neutron-vpnaas ``validate_ipsec_site_connection``)."""
    inner = _inner(body)
    if inner is None:
        return path, body
    groups = _listed(resolver, "/v2.0/vpn/endpoint-groups", "endpoint_groups")
    ports = _listed(resolver, "/v2.0/ports?device_owner=network:router_interface", "ports")
    for service in _listed(resolver, "/v2.0/vpn/vpnservices", "vpnservices"):
        if service.get("subnet_id"):
            continue
        behind = {f["subnet_id"] for p in ports if p["device_id"] == service["router_id"]
                  for f in p.get("fixed_ips", [])}
        local = next((g for g in groups if g["type"] == "subnet" and g["endpoints"]
                      and set(g["endpoints"]) <= behind), None)
        peer = next((g for g in groups if g["type"] == "cidr" and g["endpoints"]
                     and all(":" not in c for c in g["endpoints"])), None)
        if local and peer:
            return path, {inner[0]: {**inner[1], "vpnservice_id": service["id"],
                                     "local_ep_group_id": local["id"],
                                     "peer_ep_group_id": peer["id"]}}
    return path, body


NETWORK_WRITES: dict[tuple[str, str], Callable[[Resolver, str, Any], tuple[str, Any]]] = {
    ("POST", "/v2.0/agents/{bgp-agent-id}/bgp-drinstances"): _free_dragent,
    ("PUT", "/v2.0/bgp-speakers/{bgp-speaker-id}/add_bgp_peer"): _new_bgp_peer,
    ("PUT", "/v2.0/bgp-speakers/{bgp-speaker-id}/add_gateway_network"):
        _new_gateway_network,
    ("POST", "/v2.0/bgpvpn/bgpvpns/{bgpvpn_id}/router_associations"):
        _new_router_association,
    ("PUT", "/v2.0/fwaas/firewall_policies/{firewall_policy_id}/insert_rule"):
        _rule_to_insert,
    ("POST", "/v1.0/sfc/port_chains"): _new_chain,
    ("PUT", "/v1.0/sfc/port_chains/{port_chain_id}"): _new_chain,
    ("POST", "/v1.0/sfc/port_pairs"): _unpaired_port,
    ("POST", "/v1.0/sfc/port_pair_groups"): _unused_pairs,
    ("POST", "/v1.0/sfc/service_graphs"): _graph_of_free_chains,
    ("POST", "/v2.0/taas/tap_flows"): _flow_of_own_service,
    ("PUT", "/v2.0/vpn/ikepolicies/{ikepolicy_id}"): _unused_policy("ikepolicies",
                                                                     "ikepolicy_id"),
    ("PUT", "/v2.0/vpn/ipsecpolicies/{ipsecpolicy_id}"): _unused_policy("ipsecpolicies",
                                                                         "ipsecpolicy_id"),
    ("POST", "/v2.0/vpn/ipsec-site-connections"): _site_endpoints,
}
"""Neutron plugin writes asked of the objects they apply to, as an operator picks them:
what a sample names is taken (a peer a speaker has, a rule a policy holds, groups a
chain steers through, a policy a tunnel uses) where the world is seeded with one in use,
so the probe picks or makes, the documented way, one that is not."""

UPDATE_READ_ONLY: dict[str, tuple[str, ...]] = {
    "/v1.0/sfc/port_chains/{port_chain_id}": ("id", "tenant_id"),
    "/v1.0/sfc/flow_classifiers/{flow_classifier_id}": ("id", "tenant_id"),
    "/v1.0/sfc/port_pair_groups/{port_pair_group_id}": ("tenant_id",),
    "/v1.0/sfc/port_pairs/{port_pair_id}": ("tenant_id",),
    "/v2.0/bgpvpn/bgpvpns/{bgpvpn_id}/router_associations/{router_association_id}":
        ("router_id",),
    "/v2.0/bgpvpn/bgpvpns/{bgpvpn_id}/port_associations/{port_association_id}":
        ("port_id",),
}
"""Keys of a Neutron update's sample that its Request parameters leave out and that the
resource declares ``allow_put: False``: real Neutron refuses the sample as it is (``Cannot
update read-only attribute``, neutron/api/v2/base.py:771-774, so would the demo cloud),
and an operator following the parameters does not send them."""


def network_body(resolver: Resolver, method: str, template: str, path: str,
                 body: Any) -> tuple[str, Any]:
    """A Neutron write's path and body: the object it applies to
    (:data:`NETWORK_WRITES`), without the keys its parameters do not document and
    Neutron refuses on an update (:data:`UPDATE_READ_ONLY`)."""
    inner = _inner(body)
    if method == "PUT" and template in UPDATE_READ_ONLY and inner is not None:
        body = {inner[0]: {k: v for k, v in inner[1].items()
                           if k not in UPDATE_READ_ONLY[template]}}
    pick = NETWORK_WRITES.get((method, template))
    return pick(resolver, path, body) if pick else (path, body)


# -- Keystone: the caller's own objects, ids whatever their form, links made to be checked --
def _keystone(resolver: Resolver, method: str, path: str, body: Any = None,
              headers: Mapping[str, str] | None = None) -> requests.Response:
    return resolver.call("identity", method, path, body, headers=headers)


def _own_user(resolver: Resolver) -> str | None:
    """The caller's own user, as validating its own token tells it (``GET /v3/auth/tokens``
    with the token as ``X-Subject-Token``)."""
    answer = _keystone(resolver, "GET", "/v3/auth/tokens?nocatalog",
                       headers={"X-Subject-Token": resolver.token})
    return answer.json()["token"]["user"]["id"] if answer.ok else None


def _endpoint_with_policy(resolver: Resolver) -> str | None:
    """An endpoint a stored policy applies to (directly or through its service)."""
    for policy in (resolver.get("identity", "/v3/policies") or {}).get("policies", []):
        found = resolver.get("identity",
                             f"/v3/policies/{policy['id']}/OS-ENDPOINT-POLICY/endpoints")
        for endpoint in (found or {}).get("endpoints", []):
            return str(endpoint["id"])
    return None


def _delegating_user(resolver: Resolver) -> str | None:
    """A user who delegated a role to an OAuth1 consumer (holds an access token)."""
    for user in (resolver.get("identity", "/v3/users") or {}).get("users", []):
        tokens = resolver.get("identity", f"/v3/users/{user['id']}/OS-OAUTH1/access_tokens")
        if (tokens or {}).get("access_tokens"):
            return str(user["id"])
    return None


def _configured_domain(resolver: Resolver) -> str | None:
    """A domain with a domain-specific configuration (one to read or change a group of)."""
    for domain in (resolver.get("identity", "/v3/domains") or {}).get("domains", []):
        if resolver.get("identity", f"/v3/domains/{domain['id']}/config"):
            return str(domain["id"])
    return None


def _protocol(resolver: Resolver) -> str | None:
    """A federation protocol of the first identity provider (the one ``{idp_id}`` is)."""
    idp = resolver.resolve("identity", "idp_id", "")
    found = resolver.get("identity", f"/v3/OS-FEDERATION/identity_providers/{idp}/protocols")
    return next((str(p["id"]) for p in (found or {}).get("protocols", [])), None)


def _sample_user(resolver: Resolver) -> str | None:
    """The user the probe made from the api-ref's own ``POST /v3/users`` sample: the one
    whose password the password-change sample names as the original."""
    made = next((ep for ep in endpoints("keystone")
                 if (ep.method, ep.path) == ("POST", "/v3/users") and ep.requests), None)
    sample = _load(next(iter(made.requests.values()))) if made else None
    name = (sample or {}).get("user", {}).get("name")
    found = resolver.get("identity", "/v3/users?" + urllib.parse.urlencode({"name": name}))
    return next((str(u["id"]) for u in (found or {}).get("users", [])), None) if name \
        else None


_OWNED = ("/v3/users/{user_id}/application_credentials",
          "/v3/users/{user_id}/access_rules")
CHOSEN_BY: dict[tuple[str, str, str], Callable[[Resolver], str | None]] = {
    **{("identity", call + tail, "user_id"): _own_user for call in _OWNED
       for tail in ("", "/")},
    ("identity", "/v3/users/{user_id}/OS-OAUTH1/access_tokens/", "user_id"):
        _delegating_user,
    ("identity", "/v3/endpoints/{endpoint_id}/OS-ENDPOINT-POLICY/policy", "endpoint_id"):
        _endpoint_with_policy,
    **{("identity", call, "protocol_id"): _protocol for call in (
        "/v3/OS-FEDERATION/identity_providers/{idp_id}/protocols/{protocol_id}/auth",
        "/v3/auth/OS-FEDERATION/websso/{protocol_id}",
        "/v3/auth/OS-FEDERATION/identity_providers/{idp_id}/protocol/{protocol_id}/websso")},
    ("identity", "/v3/domains/{domain_id}/config/", "domain_id"): _configured_domain,
    ("identity", "/v3/users/{user_id}/password", "user_id"): _sample_user,
    ("identity", "/v3/OS-TRUST/trusts", "own_user_id"): _own_user,
    ("identity", "/v3/OS-TRUST/trusts", "own_project_id"): lambda r: r.project_id,
}
"""(service, call or call prefix ending in ``/``, placeholder) → how the probe finds the
object a call is about where no listing names it: Keystone's policy lets only the owner
create an application credential or a trust (``rule:owner``, ``user_id:%(trust.
trustor_user_id)s``), so the probe acts as itself there; an OAuth1 access token is read of
a user who delegated one; an endpoint's policy of an endpoint that has one; a group or
option of a domain's configuration of a domain that has one; a password changed is the
one of the user made from the api-ref's sample (whose password the sample knows)."""
LISTINGS_OF.update({
    ("identity", "service_id"): ("identity", "/v3/services", "services", "id"),
    ("identity", "idp_id"): ("identity", "/v3/OS-FEDERATION/identity_providers",
                             "identity_providers", "id")})
FIXED.update({("identity", "group"): "ldap", ("identity", "option"): "url"})
"""Keystone's domain-specific configuration groups and options are its own (``identity``,
``ldap``), the same in every cloud: the probe asks of the LDAP url, as the samples do."""
KEYSTONE_BODY_IDS = {"service_id": "service_id", "domain_id": "domain_id",
                     "project_id": "project_id", "default_project_id": "project_id",
                     "region_id": "region_id", "trustee_user_id": "user_id",
                     "idp_id": "idp_id", "protocol_id": "protocol_id"}
"""Keys of a Keystone request sample naming another object: replaced whatever their form
(Keystone's samples name ids as ``"1789d1"``, regions as ``"RegionOne"``)."""
BODY_IDS_AT.update({("identity", "/v3/OS-TRUST/trusts", "trustor_user_id"): "own_user_id",
                    ("identity", "/v3/OS-TRUST/trusts", "project_id"): "own_project_id"})
REQUEST_HEADERS = {("identity", "GET", "/v3/auth/tokens"): {"X-Subject-Token": "{token}"}}
"""A call's documented request headers: a token validated is named by ``X-Subject-Token``
(the probe validates its own)."""
LINKS = {("identity", path) for path in (
    "/v3/system/users/{user_id}/roles/{role_id}",
    "/v3/system/groups/{group_id}/roles/{role_id}",
    "/v3/policies/{policy_id}/OS-ENDPOINT-POLICY/endpoints/{endpoint_id}",
    "/v3/policies/{policy_id}/OS-ENDPOINT-POLICY/services/{service_id}",
    "/v3/policies/{policy_id}/OS-ENDPOINT-POLICY/services/{service_id}/regions/{region_id}",
    "/v3/OS-EP-FILTER/endpoint_groups/{endpoint_group_id}/projects/{project_id}")}
"""Checks of a link (a grant on the system, a policy's association, a project of an
endpoint group), whose ``PUT`` of the same path makes it: asked of a link that exists."""


def make_link(resolver: Resolver, service: str, path: str) -> Callable[[], None] | None:
    """Make the link ``path`` checks the documented way when it is not there (``PUT``);
    what takes it away after the check (``DELETE``), so the world is left as it was."""
    if service != "identity" or _keystone(resolver, "HEAD", path).ok:
        return None
    if not _keystone(resolver, "PUT", path).ok:
        return None
    return lambda: _keystone(resolver, "DELETE", path) and None


def oauth1_authorization(method: str, url: str, consumer: tuple[str, str],
                         token: tuple[str, str] = ("", ""), **extra: str) -> str:
    """An ``Authorization: OAuth …`` header signed with ``HMAC-SHA1`` (RFC 5849 section
    3.4): ``consumer`` and ``token`` are (key, secret); ``extra`` more ``oauth_*``
    parameters (``oauth_verifier``)."""
    import base64
    import hashlib
    import hmac

    def quote(text: str) -> str:
        return urllib.parse.quote(text, safe="~")

    params = {"oauth_consumer_key": consumer[0], "oauth_signature_method": "HMAC-SHA1",
              "oauth_timestamp": str(int(time.time())), "oauth_nonce": str(time.time_ns()),
              "oauth_version": "1.0", **({"oauth_token": token[0]} if token[0] else {}),
              **extra}
    normalized = "&".join(f"{k}={v}" for k, v in sorted(
        (quote(k), quote(v)) for k, v in params.items()))
    base = "&".join(quote(part) for part in (method, url, normalized))
    key = f"{quote(consumer[1])}&{quote(token[1])}".encode()
    params["oauth_signature"] = base64.b64encode(
        hmac.new(key, base.encode(), hashlib.sha1).digest()).decode()
    return "OAuth " + ", ".join(f'{k}="{quote(v)}"' for k, v in params.items())


def _request_token(resolver: Resolver) -> str | None:
    """A request token on the caller's project, made the documented way: a consumer is
    registered (its secret is shown once), then asks for one with a signed request."""
    made = _keystone(resolver, "POST", "/v3/OS-OAUTH1/consumers",
                     {"consumer": {"description": "osnb probe"}})
    consumer = made.json().get("consumer", {}) if made.ok else {}
    if not consumer.get("secret"):
        return None
    url = f"{resolver.url}{BASES['identity']}/v3/OS-OAUTH1/request_token"
    answer = requests.post(url, timeout=30, headers={
        "Requested-Project-Id": resolver.project_id,
        "Authorization": oauth1_authorization("POST", url,
                                              (consumer["id"], consumer["secret"]),
                                              oauth_callback="oob")})
    found = urllib.parse.parse_qs(answer.text).get("oauth_token") if answer.ok else None
    return found[0] if found else None


MADE.update({("identity", "request_token_id"): _request_token})


def _held_roles(resolver: Resolver) -> list[str]:
    """The roles the caller holds on its project (directly, by group, or implied)."""
    user = resolver.resolve("identity", "own_user_id", "", "/v3/OS-TRUST/trusts")
    found = resolver.get("identity", f"/v3/role_assignments?effective&user.id={user}"
                                     f"&scope.project.id={resolver.project_id}")
    return list(dict.fromkeys(a["role"]["id"] for a in (found or {}).get(
        "role_assignments", [])))


def _ahead(value: str) -> str:
    """An ISO 8601 time moved to next year when it is past (the samples' are)."""
    year = time.gmtime().tm_year
    found = re.match(r"^(\d{4})(-.*)$", value)
    return f"{year + 1}{found.group(2)}" if found and int(found.group(1)) <= year else value


def keystone_body(resolver: Resolver, template: str, path: str, body: Any
                  ) -> tuple[str, Any]:
    """A Keystone write's path and sample as an operator would send them: a registered
    limit updated is the one the body names (its service, region and resource: Keystone
    refuses to change one a project limit refers to), and the body as
    :func:`_keystone_doc` makes it."""
    body = _keystone_doc(resolver, template, body)
    if template == "/v3/registered_limits/{registered_limit_id}" and isinstance(
            body, dict) and isinstance(body.get("registered_limit"), dict):
        named = {k: v for k, v in body["registered_limit"].items()
                 if k in ("service_id", "region_id", "resource_name") and v}
        query = urllib.parse.urlencode(named)
        found = (resolver.get("identity", f"/v3/registered_limits?{query}") or {}).get(
            "registered_limits", [])
        if found:
            path = re.sub(r"/[^/]+$", f"/{found[0]['id']}", path)
    return path, body


def _keystone_doc(resolver: Resolver, template: str, body: Any) -> Any:
    """A Keystone write's sample as an operator would send it: an expiry in the future
    (Keystone refuses a past one: ``utils.parse_expiration_date``), a role named as the
    world names it (Keystone's MySQL compares names without case: ``Reader`` is
    ``reader``), a request token authorized for roles the caller holds on its project, and
    an application credential authenticated with is one the probe made
    for itself (its id and the secret its creation answered)."""
    if isinstance(body, list):
        return [_keystone_doc(resolver, template, item) for item in body]
    if not isinstance(body, dict):
        return body
    out = {k: _keystone_doc(resolver, template, v) for k, v in body.items()}
    if isinstance(out.get("expires_at"), str):
        out["expires_at"] = _ahead(out["expires_at"])
    if isinstance(out.get("roles"), list):
        names = {r["name"].lower(): r["name"] for r in (
            resolver.get("identity", "/v3/roles") or {}).get("roles", [])}
        out["roles"] = [{**r, "name": names.get(r["name"].lower(), r["name"])}
                        if isinstance(r, dict) and isinstance(r.get("name"), str) else r
                        for r in out["roles"]]
    if template == "/v3/OS-OAUTH1/authorize/{request_token_id}" and isinstance(
            out.get("roles"), list):
        held = _held_roles(resolver)  # a user authorizes only roles it holds there
        out["roles"] = [{"id": held[i % len(held)]} if held and isinstance(r, dict) and
                        "id" in r else r for i, r in enumerate(out["roles"])]
    cred = out.get("application_credential")
    if template == "/v3/auth/tokens" and isinstance(cred, dict) and "secret" in cred:
        made = _application_credential(resolver)
        if made is not None:
            out["application_credential"] = {**cred, "id": made[0], "secret": made[1]}
    return out


def _application_credential(resolver: Resolver) -> tuple[str, str] | None:
    """An application credential of the caller's own (made once): its id and secret."""
    if ("made", "application_credential") not in resolver.cache:
        user = resolver.resolve("identity", "own_user_id", "", "/v3/OS-TRUST/trusts")
        made = _keystone(resolver, "POST", f"/v3/users/{user}/application_credentials",
                         {"application_credential": {"name": "osnb-probe"}})
        cred = made.json().get("application_credential", {}) if made.ok else {}
        resolver.cache["made", "application_credential"] = (
            f"{cred['id']} {cred['secret']}" if cred.get("secret") else None)
    found = resolver.cache["made", "application_credential"]
    return (found.split(" ")[0], found.split(" ")[1]) if found else None


QUERY_AT = {
    **{("block-storage", f"/v3/{{project_id}}/manageable_{kind}{detail}"): "host={cinder_host}"
       for kind in ("volumes", "snapshots") for detail in ("", "/detail")},
    **{("block-storage", f"/v3/{{project_id}}/qos-specs/{{qos_id}}/{verb}"):
       "vol_type_id={volume_type_id}" for verb in ("associate", "disassociate")},
    ("placement", "/allocation_candidates"): "resources=VCPU:1",
    ("placement", "/usages"): "project_id={project_id}"}
"""The query a call's Request parameters require (Cinder lists a backend's manageable
volumes only for a named ``host``, associates a QoS spec with a named volume type;
Placement's candidates need ``resources``, its usages a ``project_id``)."""
SAMPLE_QUERIES = {"-with-servers-": "with_servers=true", "-detailed-": "detail=true"}
"""A sample named for the query it answers (Nova's ``hypervisors-with-servers-resp.json``,
the only one the api-ref shows for ``GET /os-hypervisors`` from 2.53): the probe asks that."""


def _sample_query(samples: list[Path]) -> str:
    words = [query for part, query in SAMPLE_QUERIES.items()
             if samples and all(part in p.name for p in samples)]
    return "?" + "&".join(words) if words else ""


NO_ID = "no id in the demo world for "
ENCRYPTION = "/v3/{project_id}/types/{volume_type_id}/encryption"
"""Cinder's encryption calls: asked of an encrypted type, an item by its ``provider``."""


def ask(ep: Endpoint, resolver: Resolver) -> Outcome:
    """Send ``ep``'s documented request to the demo cloud; compare the answer."""
    out = Outcome(ep)
    if ep.method == "GET":
        version, sample = _pick(ep.responses, ep.service)
        body = None
    else:
        version, request = _pick(ep.requests, ep.service)
        body = _real_ids(_load(request), resolver, ep.service, ep.path)
        sample = ep.responses.get(version)
    version = _documented(ep, version)
    out.microversion = version
    base = BASES[ep.service]
    path = ep.path
    if ep.service == "compute" and path.rstrip("/") in ("", "/{api_version}"):
        base, path = "/compute", path.replace("{api_version}", "v2.1")  # discovery
    path = _named_by_body(path, body)
    path = WRITE_NAMES.get((ep.service, ep.method, path), path)
    resolver.creating = ep.method == "POST"
    path, missing = resolver.fill(ep.service, path, ep.path + (f" {ep.action}" if ep.action
                                                              else ""))
    path += _sample_query(ep.variants.get(version, []))
    if (ep.service, ep.path) in QUERY_AT:
        query, _ = resolver.fill(ep.service, QUERY_AT[ep.service, ep.path])
        path += ("&" if "?" in path else "?") + query
    undo = None
    if (ep.service, ep.path) == SERVER_ACTION and not missing:
        body, undo = prepare_server(resolver, path, ep.action, body)
    if ep.service == "placement" and ep.method in WRITES and not missing:
        body = placement_body(resolver, path, body)
    if ep.service == "block-storage" and ep.method in WRITES and not missing:
        path, body = cinder_body(resolver, ep.path, path, body)
    if ep.service == "image" and ep.method in WRITES and not missing:
        path, body = glance_body(resolver, ep.path, path, body)
    if ep.service == "network" and ep.method in WRITES and not missing:
        body = neutron_core_body(resolver, ep.path, path, body)
        path, body = network_body(resolver, ep.method, ep.path, path, body)
    if ep.service == "identity" and ep.method in WRITES and not missing:
        path, body = keystone_body(resolver, ep.path, path, body)
    if ep.method == "GET" and (ep.service, ep.path) in LINKS and not missing:
        undo = make_link(resolver, ep.service, path)
    headers = {"X-Auth-Token": resolver.token, "Accept": "application/json"}
    for name, value in REQUEST_HEADERS.get((ep.service, ep.method, ep.path), {}).items():
        headers[name] = value.format(token=resolver.token)
    if version and ep.service in HEADERS:
        headers["OpenStack-API-Version"] = f"{HEADERS[ep.service]} {version}"
    if ep.service == "image" and ep.method == "PATCH":
        headers["Content-Type"] = "application/openstack-images-v2.1-json-patch"
    try:
        answer = requests.request(ep.method, resolver.url + base + path,
                                  headers=headers, json=body, timeout=30)
        newest = MAX_VERSIONS.get(ep.service)
        unknown = answer.status_code in (404, 405) or (
            answer.status_code == 400 and "no such action" in answer.text)
        if unknown and newest and not ep.documented and version and _vt(version) < newest:
            # the api-ref says nothing of the call's microversion (Cinder's groups, 3.13;
            # its os-reimage action, 3.68, "no such action" before): a client that
            # negotiates asks at the newest one
            top = f"{newest[0]}.{newest[1]}"
            headers["OpenStack-API-Version"] = f"{HEADERS[ep.service]} {top}"
            again = requests.request(ep.method, resolver.url + base + path,
                                     headers=headers, json=body, timeout=30)
            if again.status_code not in (404, 405):
                answer, version = again, top
                out.microversion = top
    except requests.RequestException as error:  # the demo cloud dropped the connection
        out.note = type(error).__name__
        return out
    finally:
        if undo is not None:
            undo()
    out.status = answer.status_code
    # 300: version discovery's "Multiple Choices" (Cinder's and Glance's ``GET /``)
    out.served = 200 <= answer.status_code < 300 or answer.status_code == 300
    if missing:
        out.note = NO_ID + ", ".join(f"{{{m}}}" for m in missing)
    elif not answer.ok:
        out.note = f"{answer.status_code} {_message(answer)}".strip()
    if ep.method == "GET" and answer.ok and answer.content:
        with contextlib.suppress(ValueError):  # held to a real service's answer too
            out.answer = answer.json()
    expected = [body for body in map(_load, ep.variants.get(version, [sample]))
                if body is not None]
    if answer.ok and expected and ep.method == "GET":
        try:
            got = answer.json()
        except ValueError:
            out.compared, out.difference = True, "(root): not JSON"
            return out
        out.compared, out.answer = True, got
        # ``GET …/ips/{network_label}`` answers a mapping keyed by the label, ``GET
        # …/os-extra_specs/{key}`` one keyed by the spec
        free = 1 if ep.path.endswith(("{network_label}", "{flavor_extra_spec_key}",
                                      "{spec_id}", "/extra_specs/{key}",
                                      "/encryption/{key}")) else 0
        found = [first_difference(body, got, free=free, documented=ep.documented_keys,
                                  data=DATA_AT.get((ep.service, ep.path)))
                 for body in expected]
        out.difference = None if None in found else found[0]
    return out


def probe(url: str, token: str, project_id: str,
          dists: tuple[str, ...] = tuple(SERVICES)) -> Iterator[Outcome]:
    """Every documented GET, then every documented request body, asked of one demo cloud;
    then, again, each write and each GET that had no object to ask of (and each GET not
    served): the documented writes have made one by then (a firewall rule, a BGP speaker: objects a plain cloud starts without,
    made the way an operator makes them)."""
    resolver = Resolver(url, token, project_id)
    calls = [ep for dist in dists for ep in endpoints(dist)]
    gets = [ask(ep, resolver) for ep in calls if ep.method == "GET"]
    writes = [ep for ep in calls if ep.method in WRITES and ep.requests]
    if "cinder" in dists:
        cinder_room(resolver)
    done = [ask(ep, resolver) for ep in sorted(writes, key=lambda ep: LAST.get(ep.action or "",
                                                                             0))]
    if any(out.note.startswith(NO_ID) for out in done):
        # a write before the one that made its object (an NDP proxy's update, documented
        # before its create): asked again, once, after the others
        resolver.cache = {k: v for k, v in resolver.cache.items() if v is not None}
        done = [ask(out.endpoint, resolver) if out.note.startswith(NO_ID) else out
                for out in done]
    again = [out.note.startswith(NO_ID) or not out.served for out in gets]
    if any(again):
        resolver.cache = {k: v for k, v in resolver.cache.items() if v is not None}
        gets = [ask(out.endpoint, resolver) if retry else out
                for out, retry in zip(gets, again, strict=True)]
    yield from gets
    yield from done
