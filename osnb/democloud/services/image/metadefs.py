"""Glance's metadata definitions catalog: namespaces with their properties, objects, tags
and resource type associations (``/v2/metadefs/…``), seeded with a few of the
namespaces Glance ships (short). Anyone reads the public ones; an administrator creates
and deletes namespaces (Glance's ``metadef_admin``); the rest is read-only here.
"""

from __future__ import annotations

import copy
import datetime as _dt
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...engine import Ctx
from ...http import ApiError, json_body, json_response
from ...store import Record, Store, isotime, now
from .formats import GLANCE, admin_only

__all__ = ["RESOURCE_TYPES", "association_of", "create_namespace", "delete_namespace",
           "detail_of", "held", "list_associations", "list_children", "list_namespaces",
           "list_resource_types", "namespace_of", "object_of", "seed_metadefs", "show_child",
           "show_namespace", "shown", "vetted"]

RESOURCE_TYPES = ("OS::Glance::Image", "OS::Cinder::Volume", "OS::Nova::Flavor",
                  "OS::Nova::Aggregate", "OS::Nova::Server")
_NS = "/v2/metadefs/namespaces"
_KINDS = ("objects", "properties", "tags")

_SEED: list[dict[str, Any]] = [
    {"namespace": "OS::Compute::Hypervisor", "display_name": "Hypervisor Selection",
     "description": "Schedule instances to hypervisors by the image's hypervisor type and "
                    "VM mode (ImagePropertiesFilter).",
     "associations": [("OS::Glance::Image", None)],
     "properties": {
         "hypervisor_type": {"title": "Hypervisor Type", "type": "string",
                             "description": "Hypervisor type required by the image.",
                             "enum": ["baremetal", "hyperv", "kvm", "lxc", "qemu", "uml",
                                      "vmware", "vz", "xen"]},
         "vm_mode": {"title": "VM Mode", "type": "string",
                     "description": "The virtual machine mode (host/guest ABI).",
                     "enum": ["hvm", "xen", "uml", "exe"]}},
     "objects": {}, "tags": []},
    {"namespace": "OS::Compute::Libvirt", "display_name": "libvirt Driver Options",
     "description": "The libvirt compute driver options.",
     "associations": [("OS::Glance::Image", "hw_"), ("OS::Nova::Flavor", "hw:")],
     "properties": {
         "boot_menu": {"title": "Boot Menu", "type": "string",
                       "description": "If true, enables the BIOS bootmenu.",
                       "enum": ["true", "false"]},
         "serial_port_count": {"title": "Serial Port Count", "type": "integer",
                               "description": "Specifies the count of serial ports.",
                               "minimum": 0}},
     "objects": {}, "tags": []},
    {"namespace": "CIM::ProcessorAllocationSettingData",
     "display_name": "CIM Processor Allocation Setting",
     "description": "Properties related to the resource allocation settings of a "
                    "processor (CPU) from Common Information Model (CIM) schema.",
     "associations": [("OS::Glance::Image", "CIM_PASD_"),
                      ("OS::Nova::Flavor", "CIM_PASD_")],
     "properties": {
         "InstructionSet": {"title": "Instruction Set", "type": "string",
                            "description": "Identifies the instruction set of the "
                                           "processor within a processor architecture.",
                            "enum": ["x86:i386", "x86:i486", "x86:i586", "x86:i686",
                                     "x86:64", "IA-64:IA-64", "AS/400:TIMI", "ARM:A32",
                                     "ARM:A64"]},
         "ProcessorArchitecture": {"title": "Processor Architecture", "type": "string",
                                   "description": "Identifies the processor "
                                                  "architecture.",
                                   "enum": ["x86", "IA-64", "ARM"]}},
     "objects": {}, "tags": []},
    {"namespace": "OS::Compute::Quota", "display_name": "Flavor Quota",
     "description": "Compute drivers may enable quotas on CPUs available to a VM, disk "
                    "tuning, bandwidth I/O, and instance VIF traffic control.",
     "associations": [("OS::Nova::Flavor", None)], "properties": {},
     "objects": {"CPU Limits": {
         "description": "You can configure the CPU limits with control parameters.",
         "required": [], "properties": {
             "quota:cpu_period": {"title": "Quota: CPU Period", "type": "integer",
                                  "description": "Time period to enforce cpu_quota (in "
                                                 "microseconds).",
                                  "minimum": 1000, "maximum": 1000000},
             "quota:cpu_quota": {"title": "Quota: CPU Quota", "type": "integer",
                                 "description": "Maximum allowed bandwidth (in "
                                                "microseconds)."},
             "quota:cpu_shares": {"title": "Quota: CPU Shares", "type": "integer",
                                  "description": "Proportional weighted share of CPU "
                                                 "time."}}}},
     "tags": ["cpu", "quota"]},
]


def seed_metadefs(store: Store) -> None:
    """The catalog Glance loads with ``glance-manage db load_metadefs`` (a few)."""
    loaded = now() - _dt.timedelta(days=400)
    stamp = isotime(loaded)
    types = store.table("metadef_resource_types")
    for name in RESOURCE_TYPES:
        types[name] = {"name": name, "created_at": stamp, "updated_at": stamp}
    table = store.table("metadef_namespaces")
    for n, spec in enumerate(copy.deepcopy(_SEED)):  # each world its own
        stamp = isotime(loaded + _dt.timedelta(seconds=n))
        ns: Record = {k: spec[k] for k in ("namespace", "display_name", "description")}
        ns.update(visibility="public", protected=True, owner="admin", created_at=stamp,
                  updated_at=stamp, _properties=spec["properties"],
                  _associations=[{"name": n, "prefix": p, "created_at": stamp,
                                  "updated_at": stamp} for n, p in spec["associations"]],
                  _objects={n: {"name": n, **o, "created_at": stamp, "updated_at": stamp}
                            for n, o in spec["objects"].items()},
                  _tags={t: {"name": t, "created_at": stamp, "updated_at": stamp}
                         for t in spec["tags"]})
        table[ns["namespace"]] = ns


def _visible(ctx: Ctx, ns: Record) -> bool:
    return ctx.admin or ns["visibility"] == "public" or ns["owner"] == ctx.token.project_id


def vetted(table: dict[str, Record], body: Any, ns: Record | None = None) -> str:
    """The name a namespace's create (``ns`` None) or update body gives it, after Glance's
    checks: a name (of at most 80 characters when created) no other namespace has, and a
    visibility it knows."""
    name = body.get("namespace", ns and ns["namespace"]) if isinstance(body, dict) else None
    if not isinstance(name, str) or not name or (ns is None and len(name) > 80):
        raise GLANCE.bad("Provided object does not match schema 'namespace': "
                         "'namespace' is a required property")
    if (ns is None or name != ns["namespace"]) and name in table:
        raise ApiError(409, f"A metadata definition namespace with name={name} already "
                            "exists.")
    if body.get("visibility", ns["visibility"] if ns else "private") not in ("public",
                                                                            "private"):
        raise GLANCE.bad("Provided object does not match schema 'namespace': "
                         f"{body['visibility']!r} is not one of ['public', 'private']")
    return name


def held(ns: Record, kind: str) -> dict[str, Record]:
    """A namespace's ``objects``, ``properties`` or ``tags`` by name (none of another)."""
    found: dict[str, Record] = ns["_" + kind] if kind in _KINDS else {}
    return found


def shown(ns: Record, kind: str, name: str) -> Record:
    """One object, property or tag of a namespace as Glance shows it, or its 404."""
    item = held(ns, kind).get(name)
    if item is None:
        what = {"properties": "property", "objects": "object"}.get(kind, "tag")
        raise ApiError(404, f"Metadata definition {what} not found for namespace="
                            f"{ns['namespace']}, name={name}.")
    if kind == "properties":
        return {"name": name, **item}
    if kind == "objects":
        return object_of(ns, item) | {"updated_at": item["updated_at"]}
    return item


def namespace_of(ctx: Ctx, name: str) -> Record:
    ns = ctx.store.table("metadef_namespaces").get(name)
    if ns is None or not _visible(ctx, ns):
        raise ApiError(404, f"Metadata definition namespace={name} was not found.")
    return ns


def association_of(a: Record, *, stamps: bool = True) -> Record:
    out = {"name": a["name"], "created_at": a["created_at"]}
    if a.get("prefix"):
        out["prefix"] = a["prefix"]
    if a.get("properties_target"):
        out["properties_target"] = a["properties_target"]
    if stamps and a.get("updated_at"):
        out["updated_at"] = a["updated_at"]
    return out


def _summary(ns: Record) -> Record:
    """A namespace as its list shows it."""
    out = {k: v for k, v in ns.items() if k[:1] != "_"}
    out.update(self=f"{_NS}/{ns['namespace']}", schema="/v2/schemas/metadefs/namespace")
    if ns["_associations"]:
        out["resource_type_associations"] = [association_of(a) for a in ns["_associations"]]
    return out


def detail_of(ns: Record) -> Record:
    """A namespace by name: its properties, objects and tags too; stamps Glance has no
    value for are left out."""
    out = _summary(ns)
    if out.get("updated_at") == out.get("created_at"):
        out.pop("updated_at")
    if ns["_associations"]:
        out["resource_type_associations"] = [association_of(a, stamps=False)
                                             for a in ns["_associations"]]
    if ns["_properties"]:
        out["properties"] = ns["_properties"]
    if ns["_objects"]:
        out["objects"] = [object_of(ns, o) for o in ns["_objects"].values()]
    if ns["_tags"]:
        out["tags"] = [{"name": t} for t in ns["_tags"]]
    return out


def object_of(ns: Record, obj: Record) -> Record:
    out = {k: v for k, v in obj.items() if not (k == "updated_at" and v == obj["created_at"])}
    out.update(self=f"{_NS}/{ns['namespace']}/objects/{obj['name']}",
               schema="/v2/schemas/metadefs/object")
    return out


async def list_namespaces(request: Request) -> Response:
    ctx = Ctx.of(request)
    q = request.query_params
    rows = [ns for ns in ctx.store.table("metadef_namespaces").values() if _visible(ctx, ns)]
    if "visibility" in q:
        rows = [ns for ns in rows if ns["visibility"] == q["visibility"]]
    if "resource_types" in q:
        wanted = set(q["resource_types"].split(","))
        rows = [ns for ns in rows if wanted & {a["name"] for a in ns["_associations"]}]
    rows.sort(key=lambda ns: (ns["created_at"], ns["namespace"]), reverse=True)
    return json_response({"namespaces": [_summary(ns) for ns in rows],
                          "first": str(request.url.path).split("/image", 1)[-1],
                          "schema": "/v2/schemas/metadefs/namespaces"})


async def show_namespace(request: Request) -> Response:
    ctx = Ctx.of(request)
    return json_response(detail_of(namespace_of(ctx, request.path_params["namespace"])))


async def create_namespace(request: Request) -> Response:
    ctx = Ctx.of(request)
    admin_only(ctx, "add_metadef_namespace")
    body = await json_body(request)
    table = ctx.store.table("metadef_namespaces")
    name = vetted(table, body)
    stamp = isotime(now())
    ns: Record = {"namespace": name, "display_name": body.get("display_name", name),
                  "description": body.get("description", ""),
                  "visibility": body.get("visibility", "private"),
                  "protected": bool(body.get("protected", False)),
                  "owner": body.get("owner") or ctx.token.project_id,
                  "created_at": stamp, "updated_at": stamp,
                  "_properties": dict(body.get("properties") or {}),
                  "_associations": [{"name": a["name"], "prefix": a.get("prefix"),
                                     "properties_target": a.get("properties_target"),
                                     "created_at": stamp, "updated_at": stamp}
                                    for a in body.get("resource_type_associations") or []
                                    if isinstance(a, dict) and a.get("name")],
                  "_objects": {o["name"]: {"name": o["name"],
                                           "description": o.get("description", ""),
                                           "required": o.get("required", []),
                                           "properties": o.get("properties", {}),
                                           "created_at": stamp, "updated_at": stamp}
                               for o in body.get("objects") or [] if isinstance(o, dict)},
                  "_tags": {t["name"]: {"name": t["name"], "created_at": stamp,
                                        "updated_at": stamp}
                            for t in body.get("tags") or [] if isinstance(t, dict)}}
    table[name] = ns
    return json_response(detail_of(ns), 201)


async def delete_namespace(request: Request) -> Response:
    ctx = Ctx.of(request)
    ns = namespace_of(ctx, request.path_params["namespace"])
    admin_only(ctx, "delete_metadef_namespace")
    if ns["protected"]:
        raise ApiError(403, f"Namespace {ns['namespace']} is protected and cannot be "
                            "deleted.")
    ctx.store.table("metadef_namespaces").pop(ns["namespace"])
    return json_response(None, 204)


async def list_children(request: Request) -> Response:
    """A namespace's ``objects``, ``properties`` or ``tags``."""
    ctx = Ctx.of(request)
    ns = namespace_of(ctx, request.path_params["namespace"])
    kind = request.path_params["kind"]
    if kind not in _KINDS:
        raise ApiError(404, "The resource could not be found.")
    if kind == "properties":
        return json_response({"properties": ns["_properties"]})
    if kind == "objects":
        return json_response({"objects": [object_of(ns, o) for o in ns["_objects"].values()],
                              "schema": "v2/schemas/metadefs/objects"})
    return json_response({"tags": [{"name": t} for t in ns["_tags"]]})


async def show_child(request: Request) -> Response:
    """One object, property or tag of a namespace."""
    ctx = Ctx.of(request)
    ns = namespace_of(ctx, request.path_params["namespace"])
    return json_response(shown(ns, request.path_params["kind"], request.path_params["name"]))


async def list_resource_types(request: Request) -> Response:
    ctx = Ctx.of(request)
    return json_response({"resource_types": list(
        ctx.store.table("metadef_resource_types").values())})


async def list_associations(request: Request) -> Response:
    ctx = Ctx.of(request)
    ns = namespace_of(ctx, request.path_params["namespace"])
    return json_response({"resource_type_associations": [
        association_of(a, stamps=False) for a in ns["_associations"]]})
