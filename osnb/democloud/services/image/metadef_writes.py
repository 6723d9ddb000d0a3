"""Changing the metadata definitions catalog: a namespace, its objects, properties, tags
and resource type associations. Each is an administrator's (Glance's ``metadef_admin``);
what a ``protected`` namespace holds cannot be deleted (403), a name taken is a 409.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ...engine import Ctx
from ...http import ApiError, json_body, json_response
from ...store import Record, isotime, now
from .formats import GLANCE, admin_only
from .metadefs import RESOURCE_TYPES, association_of, detail_of, held, namespace_of, shown, vetted

__all__ = ["create_child", "delete_child", "delete_tags", "update_child",
           "update_namespace"]

_TYPES = ("array", "boolean", "integer", "number", "object", "string", None)
_WHAT = {"objects": "object", "properties": "property", "tags": "tag",
         "resource_types": "resource type association"}


async def _doc(request: Request) -> dict[str, Any]:
    body = await json_body(request)
    if not isinstance(body, dict):
        raise GLANCE.bad("Body expected in request.")
    return body


def _check_property(body: dict[str, Any], schema: str = "property") -> None:
    for key in ("title", "type"):
        if key not in body:
            raise GLANCE.bad(f"Provided object does not match schema '{schema}': "
                             f"'{key}' is a required property")
    if body["type"] not in _TYPES:
        raise GLANCE.bad(f"Provided object does not match schema '{schema}': "
                         f"{body['type']!r} is not one of {list(_TYPES)}")


def _name(body: dict[str, Any], kind: str) -> str:
    name = body.get("name")
    if not isinstance(name, str) or not name or len(name) > 80:
        raise GLANCE.bad(f"Provided object does not match schema '{_WHAT[kind]}': "
                         "'name' is a required property")
    return name


def _made(kind: str, body: dict[str, Any], name: str, stamp: str) -> Record:
    if kind == "properties":
        _check_property(body)
        return {k: v for k, v in body.items() if k != "name"}
    if kind == "objects":
        props = body.get("properties") or {}
        for prop in props.values():
            _check_property(prop, "object")
        return {"name": name, "description": body.get("description", ""),
                "required": body.get("required", []), "properties": props,
                "created_at": stamp, "updated_at": stamp}
    return {"name": name, "created_at": stamp, "updated_at": stamp}


async def create_child(request: Request) -> Response:
    """``POST …/{objects|properties}``, ``POST …/tags/{name}``, ``POST …/tags`` (all the
    tags, replacing them unless ``X-Openstack-Append: true``) and ``POST
    …/resource_types`` (an association)."""
    ctx = Ctx.of(request)
    ns = namespace_of(ctx, request.path_params["namespace"])
    kind = request.path_params.get("kind", "tags")  # POST …/tags/{name} names no kind
    if kind not in _WHAT:
        raise ApiError(404, "The resource could not be found.")
    admin_only(ctx, f"add_metadef_{_WHAT[kind].split()[0]}")
    stamp = isotime(now())
    if kind == "resource_types":
        body = await _doc(request)
        name = _name(body, kind)
        if name not in RESOURCE_TYPES:
            raise ApiError(404, f"Failed to find resource type {name} to associate.")
        if any(a["name"] == name for a in ns["_associations"]):
            raise ApiError(409, f"The metadata definition resource-type association of "
                                f"resource-type={name} to namespace={ns['namespace']}, "
                                "already exists.")
        assoc = {"name": name, "prefix": body.get("prefix"),
                 "properties_target": body.get("properties_target"),
                 "created_at": stamp, "updated_at": stamp}
        ns["_associations"].append(assoc)
        return json_response(association_of(assoc), 201)
    if kind == "tags" and "name" not in request.path_params:
        body = await _doc(request)
        given = body.get("tags")
        if not isinstance(given, list) or not all(isinstance(t, dict) for t in given):
            raise GLANCE.bad("Provided object does not match schema 'tags': 'tags' is a "
                             "required property")
        names = [_name(t, "tags") for t in given]
        if len(set(names)) != len(names):
            raise ApiError(409, "Duplicate tags in the request.")
        append = request.headers.get("x-openstack-append", "false").lower() == "true"
        tags = held(ns, "tags")
        if append and set(names) & set(tags):
            raise ApiError(409, f"A metadata tag with name={sorted(set(names) & set(tags))[0]}"
                                f" already exists in namespace={ns['namespace']}.")
        if not append:
            tags.clear()
        for name in names:
            tags[name] = _made("tags", {}, name, stamp)
        return json_response({"tags": [{"name": n} for n in names]}, 201)
    if kind == "tags":
        name, body = request.path_params["name"], {}
    else:
        body = await _doc(request)
        name = _name(body, kind)
    items = held(ns, kind)
    if name in items:
        raise ApiError(409, f"A metadata definition {_WHAT[kind]} with name={name} already "
                            f"exists in namespace={ns['namespace']}.")
    items[name] = _made(kind, body, name, stamp)
    return json_response(shown(ns, kind, name), 201)


async def update_child(request: Request) -> Response:
    """``PUT …/{objects|properties|tags}/{name}``: the new definition (a new name
    renames it; a name taken is a 409)."""
    ctx = Ctx.of(request)
    ns = namespace_of(ctx, request.path_params["namespace"])
    kind, name = request.path_params["kind"], request.path_params["name"]
    if kind not in ("objects", "properties", "tags"):
        raise ApiError(404, "The resource could not be found.")
    admin_only(ctx, f"modify_metadef_{_WHAT[kind]}")
    old = shown(ns, kind, name)  # or its 404
    body = await _doc(request)
    new_name = _name(body, kind)
    items = held(ns, kind)
    if new_name != name and new_name in items:
        raise ApiError(409, f"A metadata definition {_WHAT[kind]} with name={new_name} "
                            f"already exists in namespace={ns['namespace']}.")
    made = _made(kind, body, new_name, old.get("created_at", isotime(now())))
    if kind != "properties":
        made["updated_at"] = isotime(now())
    del items[name]
    items[new_name] = made
    return json_response(shown(ns, kind, new_name))


async def delete_child(request: Request) -> Response:
    """``DELETE …/{objects|properties|tags|resource_types}/{name}``."""
    ctx = Ctx.of(request)
    ns = namespace_of(ctx, request.path_params["namespace"])
    kind, name = request.path_params["kind"], request.path_params["name"]
    if kind not in _WHAT:
        raise ApiError(404, "The resource could not be found.")
    admin_only(ctx, f"delete_metadef_{_WHAT[kind].split()[0]}")
    if ns["protected"]:
        raise ApiError(403, f"{_WHAT[kind].capitalize()} {name} could not be deleted "
                            f"because it belongs to protected namespace {ns['namespace']}.")
    if kind == "resource_types":
        kept = [a for a in ns["_associations"] if a["name"] != name]
        if len(kept) == len(ns["_associations"]):
            raise ApiError(404, f"The metadata definition resource-type association of "
                                f"resource-type={name} to namespace={ns['namespace']}, "
                                "was not found.")
        ns["_associations"] = kept
    else:
        shown(ns, kind, name)  # or its 404
        del held(ns, kind)[name]
    return json_response(None, 204)


async def delete_tags(request: Request) -> Response:
    """``DELETE …/tags``: every tag of the namespace."""
    ctx = Ctx.of(request)
    ns = namespace_of(ctx, request.path_params["namespace"])
    admin_only(ctx, "delete_metadef_tags")
    if ns["protected"]:
        raise ApiError(403, f"Namespace {ns['namespace']} is protected: its tags cannot "
                            "be deleted.")
    held(ns, "tags").clear()
    return json_response(None, 204)


async def update_namespace(request: Request) -> Response:
    """``PUT /v2/metadefs/namespaces/{name}``: its attributes (a new ``namespace``
    renames it)."""
    ctx = Ctx.of(request)
    ns = namespace_of(ctx, request.path_params["namespace"])
    admin_only(ctx, "modify_metadef_namespace")
    body = await _doc(request)
    table = ctx.store.table("metadef_namespaces")
    new = vetted(table, body, ns)
    for key in ("display_name", "description", "visibility", "protected", "owner"):
        if key in body:
            ns[key] = body[key]
    del table[ns["namespace"]]
    ns["namespace"], ns["updated_at"] = new, isotime(now())
    table[new] = ns
    return json_response(detail_of(ns))
