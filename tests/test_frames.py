"""ResourceList.to_pandas: columns, dtypes, index, flattening — from raw records."""

from __future__ import annotations

import copy
from typing import Any

import pandas as pd
import pytest

import osnb
from osnb.frames import frame_columns
from osnb.sdk.compute.v2.server import Server
from osnb.sdk.resource_list import ResourceList


@pytest.fixture(scope="module")
def servers(cloud):
    return osnb.connect("demo", config=cloud.clouds).compute.servers(all_projects=True)


def test_columns_index_and_dtypes(cloud) -> None:
    servers = osnb.connect("demo", config=cloud.clouds).compute.servers(all_projects=True)
    frame = servers.to_pandas()
    assert not any(servers._built), "no Resource objects were built"
    assert list(frame.columns) == frame_columns(Server)
    assert frame.index.name == "id" and list(frame.index) == [s.id for s in servers]
    assert str(frame["created_at"].dtype) == "datetime64[ns, UTC]" or \
        str(frame["created_at"].dtype).startswith("datetime64[")
    assert frame["created_at"].dt.tz is not None
    assert str(frame["is_locked"].dtype) == "boolean"
    assert str(frame["power_state"].dtype) == "Int64"
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert isinstance(frame["flavor_name"].iloc[0], str)
    assert str(frame["vcpus"].dtype) == "Int64" and str(frame["ram_mb"].dtype) == "Int64"


def test_values_match_the_resources(servers) -> None:
    frame = servers.to_pandas()
    for server in servers[:5]:
        row = frame.loc[server.id]
        assert row["name"] == server.name and row["status"] == server.status
        assert row["created_at"] == server.created_at


def test_columns_and_flatten(servers) -> None:
    frame = servers.to_pandas(columns=["name", "flavor", "vcpus"], flatten=True)
    assert frame.columns[0] == "name"
    assert "flavor.vcpus" in frame.columns and "flavor.original_name" in frame.columns
    with pytest.raises(KeyError, match="no column.*flavour"):
        servers.to_pandas(columns=["flavour"])


def test_empty_list_has_the_same_columns() -> None:
    frame = ResourceList(Server, []).to_pandas()
    assert frame.empty and list(frame.columns) == frame_columns(Server)


def test_unexpected_values_are_kept_and_secrets_masked() -> None:
    records = [{"id": "a", "progress": "half", "created": "someday", "locked": "maybe",
                "adminPass": "hunter2"},
               {"id": "b", "progress": 50, "created": "2026-01-01T00:00:00Z", "locked": True}]
    frame = ResourceList(Server, records).to_pandas(columns="all")
    assert frame.loc["a", "progress"] == "half" and frame.loc["b", "progress"] == 50
    assert frame.loc["a", "created_at"] == "someday"
    assert frame.loc["a", "is_locked"] == "maybe" and frame.loc["b", "is_locked"] is True
    assert frame.loc["a", "admin_password"] == "***"
    assert pd.isna(frame.loc["b", "admin_password"]), "masked only where a value was sent"
    assert "hunter2" not in frame.to_string()


def test_the_default_frame_is_made_for_analysis(servers) -> None:
    frame = servers.to_pandas()
    request_only = [n for n, p in Server._props.items() if p.request_only]
    assert {"flavor_id", "networks", "admin_password",
            "min_count"} <= set(request_only)
    expanded = {c for p in Server._props.values() for c in p.columns}
    assert not (set(request_only) - expanded) & set(frame.columns)
    assert servers.to_pandas(columns=["image_id"])["image_id"].notna().any()
    for nested in ("flavor", "image", "addresses"):
        assert nested not in frame.columns
    # Grouping by what used to be dicts works, and the numbers stay integers.
    per_flavor = frame.groupby("flavor_name", observed=True)["vcpus"].sum()
    assert str(per_flavor.dtype) == "Int64" and per_flavor.sum() == frame["vcpus"].sum()
    first = servers[0]
    row = frame.loc[first.id]
    assert row["flavor_name"] == first.flavor.original_name
    assert row["vcpus"] == first.flavor.vcpus and row["ram_mb"] == first.flavor.ram
    assert row["disk_gb"] == first.flavor.disk
    assert row["image_id"] == (first.image or {}).get("id")
    assert row["ip_addresses"] == [a["addr"] for net in first.addresses.values() for a in net]


def test_lists_of_dicts_are_lists_of_what_an_operator_reads(servers) -> None:
    """A server's security groups as their names and its volumes as their ids (what
    ``openstack server show`` lists), and no ``links``: the frame holds no dict per entry
    of a list (at 50,000 servers, 55 MiB of them)."""
    frame = servers.to_pandas()
    assert "links" not in frame.columns and "links" in frame_columns(Server, "all")
    for column in ("security_groups", "attached_volumes"):
        assert column not in frame.columns
    attached = [s for s in servers if s.attached_volumes]
    assert attached, "the demo world attaches volumes"
    for server in attached[:5] + list(servers[:5]):
        row = frame.loc[server.id]
        assert row["security_group_names"] == [g["name"] for g in server.security_groups or []]
        assert row["attached_volume_ids"] == [v["id"] for v in server.attached_volumes or []]
    odd = ResourceList(Server, [
        {"id": "a", "security_groups": "default", "os-extended-volumes:volumes_attached":
         [{"id": "v1"}, "v2", {"delete_on_termination": True}]},
        {"id": "b", "security_groups": [{"name": "web"}, None, {"name": "db"}]},
        {"id": "c", "security_groups": [{"name": None}, {"name": "db"}],
         "os-extended-volumes:volumes_attached": []},
    ]).to_pandas()
    assert odd.loc["c", "security_group_names"] == ["db"]
    assert odd.loc["c", "attached_volume_ids"] == []
    # What the frame reads, the attribute's Each reads too.
    each = Server._props["security_groups"].columns["security_group_names"]
    assert each([{"name": None}, "x", {"name": "db"}]) == ["db"] and each("x") == []
    assert odd.loc["a", "security_group_names"] == [] and odd.loc["a", "attached_volume_ids"] == ["v1"]
    assert odd.loc["b", "security_group_names"] == ["web", "db"]
    assert odd.loc["b", "attached_volume_ids"] is None, "not sent: absent, not empty"


def test_all_columns_keep_every_attribute_as_sent(servers) -> None:
    frame = servers.to_pandas(columns="all")
    assert list(frame.columns) == frame_columns(Server, "all")
    assert isinstance(frame["flavor"].iloc[0], dict) and "admin_password" in frame.columns


def test_flatten_never_makes_a_column_per_data_value() -> None:
    records = [{"id": str(i), "metadata": {f"key-{i}-{j}": "v" for j in range(5)},
                "fault": {"code": 500, "message": "boom"}} for i in range(50)]
    frame = ResourceList(Server, records).to_pandas(flatten=True)
    assert "metadata" in frame.columns, "250 distinct metadata keys stay one column"
    assert {"fault.code", "fault.message"} <= set(frame.columns)


def _resource_types() -> list[type]:
    import importlib
    import pkgutil

    import osnb.sdk
    from osnb.sdk.resource import Resource

    for module in pkgutil.walk_packages(osnb.sdk.__path__, "osnb.sdk."):
        importlib.import_module(module.name)
    found: list[type] = []
    todo = list(Resource.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return sorted({c for c in found if c.__module__.startswith("osnb.sdk.")},
                  key=lambda c: (c.__module__, c.__name__))


@pytest.mark.parametrize("resource_type", _resource_types(), ids=lambda c: c.__name__)
def test_flatten_keeps_the_column_count_bounded_for_every_resource(resource_type) -> None:
    """Every attribute of every resource sent as a dict keyed by data (a different key
    per row, as metadata keys, network names or hosts are) and with a schema (the same
    keys in every row): flatten expands the schema, never the data."""
    from osnb.frames import FLATTEN_MAX_KEYS

    props = [p for p in resource_type._props.values() if not p.in_uri]
    records = [{**{p.server_key: {f"data-{i}-{j}": j for j in range(3)} | {"code": i,
                                                                        "message": "m"}
                   for p in props}, "id": f"r{i}"} for i in range(10)]
    items = ResourceList(resource_type, records)
    plain = items.to_pandas(columns="all")
    flat = items.to_pandas(columns="all", flatten=True)
    assert not [c for c in flat.columns if "data-" in c]
    assert len(flat.columns) <= len(plain.columns) * (1 + FLATTEN_MAX_KEYS)
    schema = [c for c in flat.columns if c.endswith(".code")]
    assert schema, "keys every row has are expanded"
    for column in schema:
        name = column[:-len(".code")]
        assert name in resource_type.child_frames or name in flat.columns, \
            "the data keys stay in the column"
        if name not in resource_type.child_frames:
            assert flat[name].iloc[7] == {f"data-7-{j}": j for j in range(3)}
            assert flat[column].iloc[7] == 7


def test_flatten_keeps_a_servers_addresses_one_column(servers) -> None:
    frame = servers.to_pandas(columns="all", flatten=True)
    networks = {n for s in servers for n in (s.addresses or {})}
    assert networks and "addresses" in frame.columns
    assert not [c for c in frame.columns if any(n in c for n in networks)]


def test_odd_records_never_break_the_frame() -> None:
    records = [{"id": "a", "flavor": "m1.small", "addresses": {"net": ["10.0.0.1", None]},
                "image": "", "progress": 2**70},
               {"id": "b", "flavor": {"vcpus": 2, "original_name": "m1.small"},
                "addresses": {"net": [{"addr": "10.0.0.2", "version": 4}]}, "progress": 3}]
    items = ResourceList(Server, records)
    frame = items.to_pandas()
    assert frame.loc["a", "flavor_name"] is None or pd.isna(frame.loc["a", "flavor_name"])
    assert frame.loc["b", "vcpus"] == 2 and frame.loc["a", "ip_addresses"] == []
    assert frame.loc["a", "progress"] == 2**70, "a huge number is kept, not an OverflowError"
    addresses = items.addresses()
    assert list(addresses["addr"]) == ["10.0.0.2"]


def test_addresses_child_frame_is_tidy(servers) -> None:
    addresses = servers.addresses()
    assert list(addresses.columns[:3]) == ["server_id", "server_name", "network"]
    expected = sum(len(entries) for s in servers for entries in (s.addresses or {}).values())
    assert len(addresses) == expected
    assert set(addresses["version"].dropna()) <= {4, 6}
    assert str(addresses["version"].dtype) == "Int64"
    assert "addresses" in dir(servers)
    with pytest.raises(KeyError, match="no child frame"):
        servers.child_frame("volumes")


def _count_requests(conn):
    seen: list[str] = []
    conn.session.session.hooks["response"].append(
        lambda response, *args, **kwargs: seen.append(response.request.path_url))
    return seen


def test_names_beside_ids_one_listing_per_kind(cloud) -> None:
    conn = osnb.connect("demo", config=cloud.clouds)
    servers = conn.compute.servers(all_projects=True)
    seen = _count_requests(conn)
    frame = servers.to_pandas(names=True)
    listed = [p.split("?")[0] for p in seen if p.rstrip("/").count("/") > 1]  # no discovery
    projects = {p.id: p.name for p in conn.identity.projects()}
    users = {u.id: u.name for u in conn.identity.users()}
    images = {i.id: i.name for hidden in (False, True)
              for i in conn.image.images(is_hidden=hidden)}
    cols = list(frame.columns)
    assert cols.index("project_name") == cols.index("project_id") + 1
    assert (frame["project_name"] == frame["project_id"].map(projects)).all()
    assert (frame["user_name"] == frame["user_id"].map(users)).all()
    booted = frame["image_id"].notna()
    assert (frame.loc[booted, "image_name"] == frame.loc[booted, "image_id"].map(images)).all()
    # One listing per kind (projects, users, images), never one request per row.
    # One listing per kind (projects, users, images and hidden images, each a page or
    # two), never one request per row.
    assert set(listed) == {"/identity/v3/projects", "/identity/v3/users", "/image/v2/images"}
    assert len(listed) <= 6, listed
    per_flavor = frame.groupby(["project_name", "flavor_name"], observed=True).size()
    assert per_flavor.sum() == len(servers)
    before = len(seen)
    servers.to_pandas(names=True)
    assert len(seen) == before, "names are cached for the connection"


def test_names_the_caller_cannot_see_stay_ids(cloud) -> None:
    member = osnb.connect("demo-member", config=cloud.clouds)
    frame = member.compute.servers().to_pandas(names=True)
    assert not frame.empty
    own = member.identity.get_project(member.current_project_id).name
    assert set(frame["project_name"]) == {own}
    # A member may not list users: other users' ids stay ids (rows are never dropped).
    assert "user" in member.names.errors or frame["user_name"].notna().all()
    assert frame["user_name"].notna().all()


def test_names_need_a_connection() -> None:
    with pytest.raises(osnb.sdk.exceptions.InvalidRequest, match="no connection"):
        ResourceList(Server, [{"id": "a", "tenant_id": "p"}]).to_pandas(names=True)


def test_orjson_pages_give_the_records_and_frame_the_stdlib_gives(cloud) -> None:
    """The listing (orjson, collector paused) against the same pages decoded by the
    standard library with the collector on: identical records, types included, and
    identical frames."""
    import gc
    import json

    from osnb.frames import records_to_frame

    compute = osnb.connect("demo", config=cloud.clouds).compute
    listing = compute.servers(all_projects=True, limit=7)
    assert listing.pages > 2
    stdlib: list[dict] = []
    url: str | None = "/servers/detail?all_tenants=True&limit=7"
    assert gc.isenabled()
    while url:
        body = json.loads(compute.get(url, **Server._request_args(compute)).text)
        stdlib.extend(body["servers"])
        url = next((link["href"] for link in body.get("servers_links", [])
                    if link["rel"] == "next"), None)
    assert json.dumps(listing.records) == json.dumps(stdlib)  # 1.0 and 1 differ here
    expected = records_to_frame(Server, stdlib, uri=listing.uri)
    pd.testing.assert_frame_equal(listing.to_pandas(), expected)
    pd.testing.assert_frame_equal(listing.to_pandas(flatten=True),
                                  records_to_frame(Server, stdlib, flatten=True))
    assert gc.isenabled()


def test_repeated_strings_are_kept_once_unique_ones_left_alone() -> None:
    """50,000 servers of 250 projects decode into 50,000 copies of 250 ids: a frame keeps
    one of each (equal values, fewer objects); a column of unique names is not touched."""
    records = [{"id": f"s{i}", "name": f"server-{i}", "tenant_id": "project-" + str(i % 3),
                "OS-EXT-AZ:availability_zone": "".join(["nova", "-", "1"])}
               for i in range(60)]
    assert len({id(r["tenant_id"]) for r in records}) == 60  # copies, as a decoder makes
    frame = ResourceList(Server, records).to_pandas()
    assert list(frame["project_id"]) == [r["tenant_id"] for r in records]
    assert len({id(v) for v in frame["project_id"]}) == 3
    assert len({id(v) for v in frame["availability_zone"]}) == 1
    assert [id(v) for v in frame["name"]] == [id(r["name"]) for r in records]


def test_columns_with_nothing_to_share_are_not_scanned() -> None:
    """A categorical column keeps one copy of each value by itself, and a column of the
    decoder's one ``""`` holds one object already: neither is looked up string by string
    (the lookup costs about 90 ns a value), yet both give the same frame."""
    from osnb.frames import frame_builder, records_to_frame

    records = [{"id": f"s{i}", "status": _fresh(["ACTIVE", "ERROR"][i % 2]),
                "tenant_id": _fresh(f"p{i % 3}"), "description": "",
                "OS-EXT-AZ:availability_zone": _fresh("nova")} for i in range(300)]
    builder = frame_builder(Server)
    builder.add(copy.deepcopy(records))
    assert builder.shared["status"] is False and builder.shared["description"] is False
    assert builder.shared["project_id"] is True and builder.shared["availability_zone"] is True
    frame = builder.frame(False)
    pd.testing.assert_frame_equal(frame, records_to_frame(Server, records), check_exact=True)
    assert isinstance(frame["status"].dtype, pd.CategoricalDtype)
    assert len({id(v) for v in frame["project_id"]}) == 3


def _fresh(text: str) -> str:
    """``text`` as a string object of its own, as a decoder makes one per record."""
    return "".join(list(text))


def _scaled_records(n: int) -> list[dict[str, Any]]:
    """Servers whose names repeat only at scale (400 of them, 256 in a row look unique),
    an instance name each, odd values in a repeating column, equal dicts in every row."""
    odd: list[Any] = [None, 7, {"k": "v"}, ["a"], 1.5]
    return [{"id": f"s{i}", "name": _fresh(f"web-{(i * 7) % 400}"),
             "OS-EXT-SRV-ATTR:hostname": _fresh(f"web-{(i * 7) % 400}"),
             "OS-EXT-SRV-ATTR:instance_name": _fresh(f"instance-{i:08x}"),
             "description": odd[i % 5] if i % 3 == 0 else _fresh(f"tier-{i % 50}"),
             "metadata": {"role": _fresh("web")}, "tenant_id": _fresh(f"p{i % 9}")}
            for i in range(n)]


def test_strings_that_repeat_only_at_scale_are_kept_once_in_every_column() -> None:
    """A page's first 256 names look unique, 1,000 show they repeat: kept once, and
    ``hostname`` holds the very same objects; unique instance names are left as decoded;
    the frame built page by page is the frame of the records in one piece, values, dtypes
    and column order, odd values included, and its dicts are the rows' own."""
    from osnb.frames import SHARE_PROBE, SHARE_SAMPLE, frame_builder, records_to_frame

    records = _scaled_records(3000)
    assert len({r["name"] for r in records[:SHARE_SAMPLE]}) == SHARE_SAMPLE
    assert len({r["name"] for r in records[:SHARE_PROBE]}) == 400
    expected = records_to_frame(Server, copy.deepcopy(records))
    builder = frame_builder(Server)
    for start in range(0, len(records), 250):
        builder.add(records[start:start + 250])
    frame = builder.frame(False, keep=True)
    pd.testing.assert_frame_equal(frame, expected, check_exact=True)
    assert list(frame.columns) == list(expected.columns)
    assert [str(t) for t in frame.dtypes] == [str(t) for t in expected.dtypes]
    assert frame["name"].tolist() == [r["name"] for r in records]
    assert len({id(v) for v in frame["name"]}) == 400
    assert all(a is b for a, b in zip(frame["name"], frame["hostname"], strict=True))
    assert [id(v) for v in frame["instance_name"]] == \
        [id(r["OS-EXT-SRV-ATTR:instance_name"]) for r in records]
    assert len({id(v) for v in frame["metadata"]}) == len(records), "a dict was shared"
    # A cell written in one frame changes no other row, nor the next frame.
    twin = next(i for i in range(1, len(records)) if records[i]["name"] == records[0]["name"])
    first = builder.frame(False, keep=True)
    first.loc["s0", "name"] = "changed"
    first.loc["s0", "description"] = "changed"
    assert first["name"].iloc[twin] == records[0]["name"] != "changed"
    again = builder.frame(False, keep=True)
    pd.testing.assert_frame_equal(again, expected, check_exact=True)


def test_a_probed_column_of_unique_strings_stops_being_shared() -> None:
    """Instance names, all distinct: after the first 1,000 the column is no longer
    looked up (its strings are not worth a table), names still are."""
    from osnb.frames import SHARE_PROBE, frame_builder

    builder = frame_builder(Server)
    records = _scaled_records(2 * SHARE_PROBE)
    builder.add(records[:SHARE_PROBE // 2])
    assert isinstance(builder.shared["instance_name"], list), "probing"
    builder.add(records[SHARE_PROBE // 2:])
    assert builder.shared["instance_name"] is False and builder.shared["name"] is True
    assert not any(v in builder.seen for v in
                   (r["OS-EXT-SRV-ATTR:instance_name"] for r in records[SHARE_PROBE:]))


def test_an_alias_fills_in_only_where_the_record_lacks_the_key() -> None:
    """``scheduler_hints`` (2.100) and its older key: the older one only where the record
    has no ``scheduler_hints`` at all; a null sent under the new key stays null."""
    from osnb.frames import records_to_frame

    old = "OS-SCH-HNT:scheduler_hints"
    records = [{"id": "a", "scheduler_hints": None, old: {"x": 1}},
               {"id": "b", old: {"y": 2}},
               {"id": "c", old: None},
               {"id": "d"},
               {"id": "e", "scheduler_hints": {"z": 3}, old: {"w": 4}}]
    values = records_to_frame(Server, records)["scheduler_hints"].tolist()
    assert values[:3] == [None, {"y": 2}, None] and values[4] == {"z": 3}
    assert isinstance(values[3], float) and values[3] != values[3]  # absent: NaN
    assert [s.scheduler_hints for s in ResourceList(Server, records)][:3] == \
        [None, {"y": 2}, None]
