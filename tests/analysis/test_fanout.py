"""fan_out over project-scoped connections, some of which fail for real."""

from __future__ import annotations

import pandas as pd

from osnb.analysis import FanOut, connections_for_projects, fan_out
from osnb.sdk.connection import Connection


def test_member_fan_out_keeps_successes_and_lists_failures(admin: Connection,
                                                            member: Connection) -> None:
    projects = list(admin.identity.projects())
    own = member.current_project_id
    targets = connections_for_projects(member, projects)
    assert [label for label, _ in targets] == [p.name for p in projects]
    result = fan_out(lambda c: c.compute.servers(), targets, max_workers=4)
    assert isinstance(result, FanOut)
    own_name = next(p.name for p in projects if p.id == own)
    # The member has a role on its own project only: every other target is refused.
    assert len(result.errors) == len(projects) - 1
    assert list(result.errors.columns) == ["target", "error_type", "message"]
    assert own_name not in set(result.errors.target)
    assert set(result.errors.error_type) == {"AuthenticationFailed"}  # an Unauthorized
    assert list(result.frame.columns[:3]) == ["cloud", "region", "project"]
    assert set(result.frame.project) == {own_name}
    assert len(result.frame) == len(member.compute.servers())
    assert not result.ok
    html = result._repr_html_()
    assert "failed targets" in html and own_name in html
    assert "AuthenticationFailed" in html


def test_admin_fan_out_over_projects_by_id(admin: Connection) -> None:
    # The admin's own project first (Keystone lists by id): the one it holds a role on.
    projects = sorted((p for p in admin.identity.projects() if p.name != "service"),
                      key=lambda p: p.name != "admin")[:3]
    result = admin.for_projects([p.id for p in projects])
    frame = fan_out(lambda c: c.network.networks(project_id=c.current_project_id),
                    result).frame
    assert set(frame.project) <= {p.name for p in projects}
    assert (frame.project_id.map({p.id: p.name for p in projects}) == frame.project).all()


def test_plain_connections_and_dataframes(admin: Connection, member: Connection) -> None:
    def flavors(conn: Connection) -> pd.DataFrame:
        return conn.compute.flavors().to_pandas()[["name", "vcpus"]]

    result = fan_out(flavors, [admin, ("member", member)])
    assert result.ok and result.targets[1] == "member"
    assert len(result.frame) == 2 * len(admin.compute.flavors())
    assert set(result.frame.cloud) == {"demo", "demo-member"}


def test_bad_return_type_is_a_target_error(admin: Connection) -> None:
    result = fan_out(lambda c: 42, [admin])
    assert result.frame.empty and result.errors.error_type.tolist() == ["TypeError"]
    assert "failed" in repr(result)


def test_html_escapes_values(admin: Connection) -> None:
    hostile = pd.DataFrame({"name": ["<script>alert(1)</script>"]})
    result = fan_out(lambda c: hostile, [("<b>x</b>", admin)])
    html = result._repr_html_()
    assert "<script>alert" not in html and "&lt;script&gt;" in html


def test_integer_columns_stay_integers(admin: Connection, member: Connection) -> None:
    """One target's frame lacks a count column: pandas would make it float (4.0)."""
    def hosts(conn: Connection) -> pd.DataFrame:
        frame = pd.DataFrame({"name": ["a", "b"], "servers": [4, 7]})
        return frame if conn is admin else frame.drop(columns="servers")

    result = fan_out(hosts, [("admin", admin), ("member", member)])
    assert str(result.frame.servers.dtype) == "Int64"
    assert result.frame.servers.tolist()[:2] == [4, 7]
    assert result.frame.servers.isna().sum() == 2
    assert "4.0" not in repr(result.frame)
    assert repr(result).startswith("<FanOut 2 targets: 4 rows")
