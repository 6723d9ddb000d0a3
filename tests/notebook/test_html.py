"""HTML reprs: structure, escaping of hostile server strings, masking of secrets."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest

import osnb
from osnb.notebook import html as nbhtml
from osnb.sdk.compute.v2.server import Server
from osnb.sdk.resource_list import ResourceList

HOSTILE = "<script>alert(1)</script>"


class Collect(HTMLParser):
    """Tags, classes and text of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.classes: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for key, value in attrs:
            if key == "class" and value:
                self.classes.extend(value.split())

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> Collect:
    parser = Collect()
    parser.feed(fragment)
    return parser


@pytest.fixture(scope="module")
def hostile_server(cloud):
    """A server whose name and metadata are hostile, created through the API."""
    conn = osnb.connect("demo-member", config=cloud.clouds)
    flavor = conn.compute.find_flavor("m1.small")
    image_url = conn.session.get_endpoint(service_type="image", interface="public")
    images = conn.session.get(image_url.rstrip("/") + "/v2/images",
                              params={"status": "active"}).json()["images"]
    image = min(images, key=lambda i: i.get("min_disk") or 0)
    server = conn.compute.create_server(
        name=HOSTILE, flavor_id=flavor.id, image_id=image["id"], networks="auto",
        metadata={"note": "<img src=x onerror=alert(2)>", "password": "meta-secret-123"},
        admin_password="admin-pass-456")
    yield conn.compute.get_server(server.id), server
    conn.compute.delete_server(server)


def test_resource_html_structure(hostile_server) -> None:
    server, _ = hostile_server
    out = server._repr_html_()
    doc = parse(out)
    assert out.count("<style>") == 1
    assert "osnb-text-repr-fallback" in doc.classes  # untrusted notebooks show the <pre>
    assert {"osnb-wrap", "osnb-header", "osnb-badge", "osnb-attrs"} <= set(doc.classes)
    assert "tex2jax_ignore" in doc.classes
    assert "Server" in doc.text and server.id in doc.text
    assert "project_id" in doc.text and "created_at" in doc.text


def test_hostile_strings_are_text(hostile_server) -> None:
    server, _ = hostile_server
    for fragment in (server._repr_html_(),
                     ResourceList(Server, [server.raw])._repr_html_()):
        doc = parse(fragment)
        assert "script" not in doc.tags and "img" not in doc.tags
        assert HOSTILE in "".join(doc.text)  # shown, as text
        assert "&lt;script&gt;" in fragment


def test_secrets_are_masked(hostile_server) -> None:
    server, created = hostile_server
    assert "meta-secret-123" not in server._repr_html_()
    assert "admin-pass-456" not in created._repr_html_()
    assert "admin-pass-456" not in repr(created)
    assert "admin-pass-456" not in str(created.to_dict())


def test_list_html_counts_and_caps_rows(cloud) -> None:
    conn = osnb.connect("demo", config=cloud.clouds)
    servers = conn.compute.servers(all_projects=True)
    out = nbhtml.list_html(servers, max_rows=5)
    doc = parse(out)
    assert doc.tags.count("tr") == 6  # header + 5
    assert f"{len(servers):,} rows" in out and "first 5 rows" in out
    assert "osnb-list" in doc.classes


def test_incomplete_list_says_so() -> None:
    items = ResourceList(Server, [{"id": "a", "name": "x"}], complete=False)
    assert "incomplete listing" in items._repr_html_()


def test_nested_values_collapse_and_times_are_friendly() -> None:
    when = dt.datetime(2026, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
    text = nbhtml.format_time(when, now=when + dt.timedelta(days=3, hours=2))
    assert text == "2026-01-01 12:00:00 UTC · 3 d ago"
    nested = nbhtml.value_html({"a": {"b": [1, 2, {"c": "<b>"}]}, "x": 1, "y": 2, "z": 3})
    doc = parse(nested)
    assert "input" in doc.tags and "label" in doc.tags and "b" not in doc.tags


@pytest.mark.parametrize("status,css", [("ACTIVE", "osnb-ok"), ("ERROR", "osnb-bad"),
                                        ("BUILD", "osnb-busy"), ("SHUTOFF", "osnb-off"),
                                        ("available", "osnb-ok"), ("error_deleting", "osnb-bad")])
def test_status_badges(status, css) -> None:
    assert nbhtml.status_class(status) == css
