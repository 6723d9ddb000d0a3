"""What osnb's transport keeps between requests (the catalog lookup, the environment's
proxy settings) and that keeping it changes no answer: differential against keystoneauth
and requests uncached, and a real loopback proxy taken up and dropped mid-session."""

from __future__ import annotations

import http.server
import itertools
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from keystoneauth1 import session as ks_session

import osnb
from osnb.sdk._http import BoundedHTTP

_PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "REQUESTS_CA_BUNDLE",
               "CURL_CA_BUNDLE")


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in _PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


class _Forwarder(http.server.BaseHTTPRequestHandler):
    """A plain-HTTP forward proxy: GET to the absolute URL in the request line."""

    seen: list[str]
    upstream: requests.Session

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.seen.append(self.path)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("host", "proxy-connection", "connection")}
        answer = self.upstream.get(self.path, headers=headers, timeout=10)
        body = answer.content
        self.send_response(answer.status_code)
        for name, value in answer.headers.items():
            if name.lower() not in ("content-length", "transfer-encoding", "connection",
                                    "content-encoding"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def proxy() -> Iterator[tuple[str, list[str]]]:
    upstream = requests.Session()
    upstream.trust_env = False  # the proxy itself goes direct
    seen: list[str] = []
    handler = type("Handler", (_Forwarder,), {"seen": seen, "upstream": upstream})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()
        upstream.close()


def test_proxy_variables_set_and_cleared_mid_session_apply_to_the_next_request(
        cloud: Any, clean_env: pytest.MonkeyPatch, proxy: tuple[str, list[str]]) -> None:
    url, seen = proxy
    conn = osnb.connect("demo", config=cloud.clouds)
    pid = conn.current_project_id
    conn.network.get_quota(pid)
    assert seen == []

    clean_env.setenv("HTTP_PROXY", url)
    conn.network.get_quota(pid)
    assert len(seen) == 1 and seen[0].startswith(cloud.url) and pid in seen[0]

    clean_env.setenv("no_proxy", "127.0.0.1")
    conn.compute.get_quota_set(pid)
    assert len(seen) == 1  # bypassed

    clean_env.delenv("no_proxy")
    conn.compute.get_quota_set(pid)
    assert len(seen) == 2 and "/os-quota-sets/" in seen[1]

    clean_env.delenv("HTTP_PROXY")
    conn.network.get_quota(pid)
    assert len(seen) == 2
    conn.close()


@pytest.mark.parametrize("env", [
    {},
    {"HTTPS_PROXY": "http://proxy.example:3128", "HTTP_PROXY": "http://p2.example:8080"},
    {"https_proxy": "http://lower.example:1", "HTTPS_PROXY": "http://upper.example:2",
     "NO_PROXY": "cloud.example,.internal.example:8774"},
    {"all_proxy": "socks5://s.example:1080", "no_proxy": "10.0.0.0/8"},
    {"HTTP_PROXY": "http://p.example:1", "no_proxy": "*"},
    {"REQUESTS_CA_BUNDLE": "/etc/ca.pem"},
    {"CURL_CA_BUNDLE": "/etc/curl.pem", "https_proxy": "http://p.example:1"},
])
def test_environment_settings_equal_requests_uncached(
        env: dict[str, str], clean_env: pytest.MonkeyPatch) -> None:
    for name, value in env.items():
        clean_env.setenv(name, value)
    kept = BoundedHTTP()
    urls = ["https://cloud.example:8774/v2.1/servers", "https://nova.internal.example:8774/x",
            "http://10.1.2.3:9696/v2.0/ports?limit=1", "http://192.168.0.1", "https://other.example"]
    calls = [({}, None), ({"no_proxy": "other.example"}, True), ({}, False),
             ({"https": "http://given.example:9"}, "/given.pem")]
    for _ in range(2):  # the second pass answers from what the first kept
        for target, (proxies, verify) in itertools.product(urls, calls):
            fresh = requests.Session()
            expected = fresh.merge_environment_settings(target, dict(proxies), None, verify,
                                                        None)
            assert kept.merge_environment_settings(target, dict(proxies), None, verify,
                                                   None) == expected, (target, proxies)


def test_trust_env_off_reads_no_environment(clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("HTTPS_PROXY", "http://p.example:1")
    kept = BoundedHTTP()
    kept.trust_env = False
    assert kept.merge_environment_settings("https://a.example/", {}, None, None,
                                           None)["proxies"] == {}


def _counted(plugin: Any) -> list[int]:
    """Count the plugin's catalog lookups (the real method still answers)."""
    calls = [0]
    real = plugin.get_endpoint

    def get_endpoint(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return real(*args, **kwargs)

    plugin.get_endpoint = get_endpoint
    return calls


def test_the_catalog_is_read_once_per_token(cloud: Any) -> None:
    conn = osnb.connect("demo", config=cloud.clouds)
    pid = conn.current_project_id
    conn.network.get_quota(pid)
    calls = _counted(conn.session.auth)
    for _ in range(5):
        conn.network.get_quota(pid)
    assert calls[0] <= 1

    conn.session.auth.invalidate()  # a new token: looked up again, with its catalog
    before = calls[0]
    conn.network.get_quota(pid)
    conn.network.get_quota(pid)
    assert calls[0] == before + 1
    conn.close()


def test_a_revoked_token_reads_the_new_tokens_catalog(cloud: Any) -> None:
    conn = osnb.connect("demo", config=cloud.clouds)
    pid = conn.current_project_id
    conn.compute.get_quota_set(pid)
    token = conn.authorize()
    admin = osnb.connect("demo", config=cloud.clouds).authorize()
    r = requests.delete(cloud.auth_url + "/auth/tokens", timeout=10,
                        headers={"X-Auth-Token": admin, "X-Subject-Token": token})
    assert r.status_code == 204
    calls = _counted(conn.session.auth)
    conn.compute.get_quota_set(pid)  # 401, one re-authentication, sent again
    assert conn.authorize() != token
    assert calls[0] >= 1
    conn.close()


def test_endpoints_equal_keystoneauth_uncached_for_every_filter(cloud: Any) -> None:
    conn = osnb.connect("demo", config=cloud.clouds)
    session = conn.session
    services = ["compute", "network", "block-storage", "image", "identity", "placement"]
    filters = [{"interface": i} for i in ("public", "internal", "admin")] + \
        [{"interface": "public", "region_name": "RegionOne"},
         {"interface": "internal", "region_name": "RegionOne", "version": "2"},
         {"interface": "public", "allow": {"allow_deprecated": False}}]
    for _ in range(2):
        for service, extra in itertools.product(services, filters):
            kwargs = {"service_type": service, **extra}
            expected = ks_session.Session.get_endpoint(session, **kwargs)
            assert session.get_endpoint(**kwargs) == expected, kwargs
    assert session.get_endpoint(service_type="compute",
                                endpoint_override="http://elsewhere/") == "http://elsewhere/"
    conn.close()


def test_interface_and_region_each_keep_their_own_endpoint() -> None:
    """A catalog whose URLs differ per interface and region (the demo cloud's do not)."""
    from keystoneauth1 import access
    from keystoneauth1.identity.access import AccessInfoPlugin

    from osnb.sdk._http import Session

    endpoints = [{"id": f"{region}-{interface}", "interface": interface, "region": region,
                  "region_id": region, "url": f"https://{interface[:3]}.{region}.example/v2.1"}
                 for region in ("RegionOne", "RegionTwo")
                 for interface in ("public", "internal", "admin")]
    token = {"token": {"methods": ["password"], "expires_at": "2999-01-01T00:00:00.000000Z",
                       "user": {"id": "u", "name": "u", "domain": {"id": "d", "name": "d"}},
                       "project": {"id": "p", "name": "p", "domain": {"id": "d", "name": "d"}},
                       "catalog": [{"id": "c", "type": "compute", "name": "nova",
                                    "endpoints": endpoints}]}}
    session = Session(auth=AccessInfoPlugin(access.create(body=token, auth_token="t")))
    for _ in range(2):
        for region, interface in itertools.product(("RegionOne", "RegionTwo"),
                                                   ("public", "internal", "admin")):
            got = session.get_endpoint(service_type="compute", interface=interface,
                                       region_name=region, skip_discovery=True)
            assert got == f"https://{interface[:3]}.{region}.example/v2.1"
