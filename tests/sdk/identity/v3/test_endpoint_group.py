"""Endpoint groups and project-endpoint associations (OS-EP-FILTER) through
conn.identity, against the demo cloud over real HTTP: the project's catalog follows."""

from __future__ import annotations

import pytest

from osnb.sdk import exceptions as exc
from osnb.sdk.identity.v3.endpoint import EndpointGroupEndpoint, ProjectEndpoint
from osnb.sdk.identity.v3.endpoint_group import EndpointGroup, ProjectEndpointGroup


def test_declaration() -> None:
    assert (EndpointGroup.base_path, EndpointGroup.commit_method) == \
        ("/OS-EP-FILTER/endpoint_groups", "PATCH")
    for cls, path in ((ProjectEndpoint, "/OS-EP-FILTER/projects/%(project_id)s/endpoints"),
                      (EndpointGroupEndpoint,
                       "/OS-EP-FILTER/endpoint_groups/%(endpoint_group_id)s/endpoints"),
                      (ProjectEndpointGroup,
                       "/OS-EP-FILTER/projects/%(project_id)s/endpoint_groups")):
        assert cls.base_path == path and cls.allow_list and not cls.allow_create


def test_sample_shape_and_keystones_both_read() -> None:
    """Keystone lists endpoint groups flat; its api-ref sample wraps each one."""
    class Response:
        url = "http://x/v3/OS-EP-FILTER/endpoint_groups"

    flat = {"endpoint_groups": [{"id": "a", "name": "n"}]}
    wrapped = {"endpoint_groups": [{"endpoint_group": {"id": "a", "name": "n"}}]}
    assert EndpointGroup._records(flat, Response()) == \
        EndpointGroup._records(wrapped, Response()) == [{"id": "a", "name": "n"}]


def test_group_filters_a_projects_endpoints(conn, member, unique) -> None:
    project = conn.identity.create_project(name=unique, domain_id="default")
    group = conn.identity.create_endpoint_group(name=unique,
                                                filters={"interface": "internal"})
    try:
        assert {e.interface for e in conn.identity.endpoint_group_endpoints(group)} == \
            {"internal"}
        assert list(conn.identity.project_endpoints(project)) == []
        conn.identity.associate_project_with_endpoint_group(group, project)
        assert conn.identity.endpoint_group_projects(group).ids() == [project.id]
        assert conn.identity.project_endpoint_groups(project).ids() == [group.id]
        listed = conn.identity.project_endpoints(project)
        assert listed and {e.interface for e in listed} == {"internal"}
        assert len(listed.to_pandas()) == len(listed)
        public = conn.identity.endpoints(interface="public")[0]
        conn.identity.associate_endpoint_with_project(project, public)
        assert public.id in conn.identity.project_endpoints(project).ids()
        assert project.id in conn.identity.endpoint_projects(public).ids()
        conn.identity.disassociate_endpoint_from_project(project, public)
        conn.identity.disassociate_project_from_endpoint_group(group, project)
        assert list(conn.identity.project_endpoints(project)) == []
        renamed = conn.identity.update_endpoint_group(group, description="internal only")
        assert renamed.description == "internal only"
        with pytest.raises(exc.Forbidden):
            member.identity.endpoint_groups()
    finally:
        conn.identity.delete_endpoint_group(group)
        conn.identity.delete_project(project)
    assert conn.identity.find_endpoint_group(unique) is None
