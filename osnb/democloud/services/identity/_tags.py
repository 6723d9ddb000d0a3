"""Project tags (``/v3/projects/{project_id}/tags``): list, check, add, replace, delete.

The tags are the project's own ``tags`` (what ``?tags=`` filters on): a member reads its
own project's, only an admin changes them. A tag is 1 to 255 characters without ``,`` or
``/``; a project holds at most 80, each once.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from ...engine import Ctx
from ...http import ApiError, json_body, json_response
from ...store import Record
from ._common import V3, base_url, enforce
from ._resources import PROJECTS

__all__ = ["MAX_TAGS", "routes"]

MAX_TAGS = 80


def _project(request: Request, action: str) -> tuple[Ctx, Record]:
    """The project, after Keystone's policy: admins, or (to read) its own members."""
    ctx = Ctx.of(request)
    pid = request.path_params["project_id"]
    reading = action in ("list_project_tags", "get_project_tag")
    enforce(ctx, action, allow_project=pid if reading else None)
    return ctx, PROJECTS.lookup(ctx.store, pid)


def _check(tags: Any) -> list[str]:
    if not isinstance(tags, list):
        raise ApiError(400, f"Invalid input for field 'tags': {tags!r} is not of type "
                            "'array'.")
    for tag in tags:
        if not isinstance(tag, str):
            raise ApiError(400, f"Invalid input for field 'tags': {tag!r} is not of type "
                                "'string'.")
        if not tag or len(tag) > 255 or "," in tag or "/" in tag:
            raise ApiError(400, f"Invalid input for field 'tags': {tag!r} does not match "
                                "'^[^,/]*$' or is not 1 to 255 characters long.")
    if len(tags) > MAX_TAGS:
        raise ApiError(400, f"Invalid input for field 'tags': {tags!r} is too long (at most "
                            f"{MAX_TAGS} tags).")
    if len(set(tags)) != len(tags):
        raise ApiError(400, f"Invalid input for field 'tags': {tags!r} has non-unique "
                            "elements.")
    return [t.strip() for t in tags]


async def tags(request: Request) -> Response:
    """``GET``, ``PUT`` (replace all) and ``DELETE`` (remove all) a project's tags."""
    if request.method == "GET":
        _, project = _project(request, "list_project_tags")
        return _listing(request, project)
    if request.method == "DELETE":
        _, project = _project(request, "delete_project_tags")
        project["tags"] = []
        return json_response(None, 204)
    _, project = _project(request, "update_project_tags")
    body = await json_body(request)
    if not isinstance(body, dict) or "tags" not in body:
        raise ApiError(400, "Invalid input for field 'tags': 'tags' is a required property.")
    sent = _check(body["tags"])
    project["tags"] = sorted(sent)
    return _listing(request, project, sent)


def _listing(request: Request, project: Record, tags: list[str] | None = None) -> Response:
    """The tags as Keystone wraps them: beside a ``links.self`` that is its v3 root (its
    ``full_url()`` of no path; the api-ref sample leaves the links out). Read back from
    its database they come by name; a PUT answers them as sent."""
    shown = sorted(project.get("tags") or []) if tags is None else tags
    return json_response({"links": {"self": f"{base_url(request)}{V3}"}, "tags": shown})


async def tag(request: Request) -> Response:
    """``GET`` (204 or 404), ``PUT`` (201 with its Location) and ``DELETE`` one tag."""
    value = request.path_params["tag"]
    if request.method == "GET":
        _, project = _project(request, "get_project_tag")
        if value not in (project.get("tags") or []):
            raise ApiError(404, f"Could not find project tag: {value}.")
        return json_response(None, 204)
    if request.method == "DELETE":
        _, project = _project(request, "delete_project_tag")
        if value not in (project.get("tags") or []):
            raise ApiError(404, f"Could not find project tag: {value}.")
        project["tags"] = [t for t in project["tags"] if t != value]
        return json_response(None, 204)
    _, project = _project(request, "create_project_tag")
    project["tags"] = sorted(_check([*(project.get("tags") or []), value]))  # repeat: 400
    response = json_response(None, 201)
    response.headers["Location"] = \
        f"{base_url(request)}{V3}/projects/{project['id']}/tags/{value}"
    return response


def routes() -> list[BaseRoute]:
    return [Route("/v3/projects/{project_id}/tags", tags, methods=["GET", "PUT", "DELETE"]),
            Route("/v3/projects/{project_id}/tags/{tag}", tag,
                  methods=["GET", "PUT", "DELETE"])]
