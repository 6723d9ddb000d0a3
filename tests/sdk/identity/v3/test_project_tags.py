"""Project tags (openstacksdk's TagMixin names on Project) against the demo cloud."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc


def test_tags_add_check_set_remove(conn, unique) -> None:
    project = conn.identity.create_project(name=unique)
    try:
        assert project.add_tag(conn.identity, "blue").tags == ["blue"]
        assert project.check_tag(conn.identity, "blue") is True
        assert project.check_tag(conn.identity, "red") is False
        with pytest.raises(exc.BadRequest):
            project.add_tag(conn.identity, "blue")
        assert project.set_tags(conn.identity, ["a", "b"]).tags == ["a", "b"]
        assert project.set_tags(conn.identity, ["b", "a"]).tags == ["b", "a"]  # as sent
        assert conn.identity.get_project(project.id).fetch_tags(conn.identity).tags == \
            ["a", "b"]  # as stored: by name
        assert project.id in conn.identity.projects(tags="a,b").ids()
        assert project.remove_tag(conn.identity, "a").tags == ["b"]
        assert conn.identity.get_project(project.id).fetch_tags(conn.identity).tags == ["b"]
        with pytest.raises(exc.NotFound):
            project.remove_tag(conn.identity, "a")
        assert project.remove_all_tags(conn.identity).tags == []
        assert project.fetch_tags(conn.identity).tags == []
        with pytest.raises(exc.BadRequest):
            project.set_tags(conn.identity, ["a,b"])
    finally:
        conn.identity.delete_project(project)


def test_a_member_reads_its_projects_tags_only(member) -> None:
    project = member.identity.get_project(member.current_project_id)
    tags = project.fetch_tags(member.identity).tags
    assert tags and project.check_tag(member.identity, tags[0])
    with pytest.raises(exc.Forbidden):
        project.add_tag(member.identity, "mine")
