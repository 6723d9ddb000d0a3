"""Glance's errors take the form webob gives them, chosen by ``Accept``: an HTML page for
``*/*``, what requests and keystoneauth send, JSON when JSON is preferred, plain text
without ``Accept``. (The bodies were compared with WebOb 1.8.11's own rendering of
``HTTPNotFound``; glance 33 was seen to answer a plain client in HTML.) The 401 stays
Keystone's JSON: keystonemiddleware sends it."""

from __future__ import annotations

import requests

from osnb import democloud

HOSTILE = "<img src=x onerror='go(1)'>"


def _missing(cloud: democloud.DemoCloud, token: str | None,
             accept: str | None) -> requests.Response:
    session = requests.Session()
    session.headers.pop("Accept")  # only what the test gives
    headers = {"X-Auth-Token": token} if token else {}
    if accept is not None:
        headers["Accept"] = accept
    return session.get(f"{cloud.url}/image/v2/images/{HOSTILE}", headers=headers,
                       timeout=10)


def test_any_accept_gets_an_html_page_with_the_message_escaped(cloud: democloud.DemoCloud,
                                                               member_token: str) -> None:
    for accept in ("*/*", "text/html", "text/*", "application/json, text/html"):
        r = _missing(cloud, member_token, accept)
        assert r.status_code == 404
        assert r.headers["content-type"].startswith("text/html")
        assert r.text.startswith("<html>\n <head>\n  <title>404 Not Found</title>")
        assert "<h1>404 Not Found</h1>" in r.text
        assert "<img" not in r.text and "&lt;img src=x onerror=&#x27;go(1)&#x27;&gt;" in r.text


def test_json_when_json_is_preferred(cloud: democloud.DemoCloud, member_token: str) -> None:
    for accept in ("application/json", "application/json;q=0.9, text/html;q=0.5"):
        r = _missing(cloud, member_token, accept)
        assert r.headers["content-type"] == "application/json"
        err = r.json()
        assert set(err) == {"message", "code", "title"}
        assert (err["code"], err["title"]) == ("404 Not Found", "Not Found")
        assert err["message"].endswith("<br /><br />\n\n\n")


def test_plain_text_without_accept(cloud: democloud.DemoCloud, member_token: str) -> None:
    for accept in (None, "image/png"):
        r = _missing(cloud, member_token, accept)
        assert r.headers["content-type"].startswith("text/plain")
        assert r.text.startswith("404 Not Found\n\n") and "<" not in r.text


def test_the_401_stays_keystones_json(cloud: democloud.DemoCloud) -> None:
    r = _missing(cloud, None, "*/*")
    assert r.status_code == 401 and r.json()["error"]["code"] == 401


def test_the_sdk_reads_the_html_page(cloud: democloud.DemoCloud) -> None:
    import osnb
    from osnb.sdk import exceptions as exc

    conn = osnb.connect("demo-member", config=cloud.clouds)
    try:
        conn.image.get_image("00000000-0000-4000-8000-000000000000")
    except exc.NotFound as err:
        assert "<" not in str(err) and "00000000-0000-4000-8000-000000000000" in str(err)
    else:
        raise AssertionError("a missing image was found")
