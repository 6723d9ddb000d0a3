"""Project tags (``/v3/projects/{project_id}/tags``): list, check, add, replace, delete.

The tags are the project's own ``tags`` (what ``?tags=`` filters on): a member reads its
own project's, only an admin changes them. A tag is 1 to 255 characters without ``,`` or
``/``; a project holds at most 80, each once.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute

from ...engine import Ctx, Tags
from ...http import ApiError, json_body, json_response
from ...store import Record
from ._common import V3, base_url, enforce
from ._resources import PROJECTS

__all__ = ["MAX_TAGS", "PROJECT_TAGS", "routes"]

MAX_TAGS = 80


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


class _ProjectTags(Tags):
    """Keystone's words and policy on the engine's tags: admins change them, a project's
    members read them; they are kept by name and a repeated one is refused (400)."""

    def target(self, request: Request) -> tuple[Ctx, Record]:
        ctx, pid = Ctx.of(request), request.path_params["id"]
        one = "tag" in request.path_params
        enforce(ctx, _RULES[request.method, one],
                allow_project=pid if request.method == "GET" else None)
        return ctx, PROJECTS.lookup(ctx.store, pid)

    def sent(self, ctx: Ctx, doc: Any) -> list[str]:
        if not isinstance(doc, dict) or "tags" not in doc:
            raise ApiError(400, "Invalid input for field 'tags': 'tags' is a required "
                                "property.")
        return _check(doc["tags"])

    def one(self, ctx: Ctx, record: Record, tag: str) -> str:
        return _check([*record["tags"], tag])[-1]  # a repeated one: 400

    def missing(self, tag: str) -> ApiError:
        return ApiError(404, f"Could not find project tag: {tag}.")

    def save(self, ctx: Ctx, record: Record, tags: list[str]) -> None:
        record["tags"] = sorted(tags)

    async def many(self, request: Request) -> Response:
        """The tags as Keystone wraps them: beside a ``links.self`` that is its v3 root
        (its ``full_url()`` of no path; the api-ref sample leaves the links out). Read
        back from its database they come by name; a PUT answers them as sent."""
        ctx, project = self.target(request)
        shown = sorted(project["tags"])
        if request.method == "DELETE":
            self.save(ctx, project, [])
            return json_response(None, 204)
        if request.method == "PUT":
            shown = self.sent(ctx, await json_body(request))
            self.save(ctx, project, shown)
        return json_response({"links": {"self": f"{base_url(request)}{V3}"}, "tags": shown})


_RULES = {("GET", False): "list_project_tags", ("PUT", False): "update_project_tags",
          ("DELETE", False): "delete_project_tags", ("GET", True): "get_project_tag",
          ("PUT", True): "create_project_tag", ("DELETE", True): "delete_project_tag"}
PROJECT_TAGS = _ProjectTags(PROJECTS)


def routes() -> list[BaseRoute]:
    return PROJECT_TAGS.routes("/v3")
