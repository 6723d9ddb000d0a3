"""Project through conn.identity, against the demo cloud over real HTTP."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.project import Project, UserProject


def test_declaration() -> None:
    assert (Project.base_path, Project.resource_key, Project.resources_key) == \
        ("/projects", "project", "projects")
    assert Project.allow_create and Project.allow_retrieve and Project.allow_update
    assert Project.allow_delete and Project.allow_list and not Project.allow_head
    assert Project.commit_method == "PATCH"
    assert Project._props["is_enabled"].server_key == "enabled"
    assert Project.query.mapping["is_enabled"] == "enabled"
    assert Project.query.mapping["any_tags"] == "tags-any"
    assert UserProject.base_path == "/users/%(user_id)s/projects"
    assert UserProject.allow_list and not UserProject.allow_create


def test_list_and_filters(conn, cloud) -> None:
    projects = conn.identity.projects()
    assert len(projects) == cloud.call(lambda: len(cloud.store.table("projects")))
    first = projects[0]
    assert isinstance(first.is_enabled, bool) and first.domain_id
    in_domain = conn.identity.projects(domain_id=first.domain_id)
    assert first in in_domain and all(p.domain_id == first.domain_id for p in in_domain)
    by_name = conn.identity.projects(name=first.name, domain_id=first.domain_id)
    assert [p.id for p in by_name] == [first.id]
    enabled = conn.identity.projects(is_enabled=True)
    assert enabled and all(p.is_enabled for p in enabled)
    children = conn.identity.projects(parent_id=first.parent_id)
    assert first in children and all(p.parent_id == first.parent_id for p in children)


def test_get_find_and_not_found(conn) -> None:
    project = conn.identity.projects()[0]
    assert conn.identity.get_project(project.id).name == project.name
    assert conn.identity.find_project(project.id) == project
    assert conn.identity.find_project(project.name, domain_id=project.domain_id) == project
    with pytest.raises(exc.NotFound):
        conn.identity.find_project("no-such-project")
    assert conn.identity.find_project("no-such-project", ignore_missing=True) is None


def test_create_update_delete(conn, unique) -> None:
    project = conn.identity.create_project(name=unique, domain_id="default",
                                           description="made by a test", tags=["osnb"])
    assert project.id and project.is_enabled is True and project.tags == ["osnb"]
    updated = conn.identity.update_project(project, description="changed", is_enabled=False)
    assert updated.description == "changed" and updated.is_enabled is False
    assert conn.identity.get_project(project.id).is_enabled is False
    conn.identity.delete_project(project)
    with pytest.raises(exc.NotFound):
        conn.identity.get_project(project.id)
    conn.identity.delete_project(project)  # ignore_missing
    with pytest.raises(exc.NotFound):
        conn.identity.delete_project(project, ignore_missing=False)


def test_user_projects(member, cloud) -> None:
    mine = member.identity.user_projects(member.current_user_id)
    assert cloud.store.meta["member_project_id"] in mine.ids()
    assert all(isinstance(p, UserProject) for p in mine)
