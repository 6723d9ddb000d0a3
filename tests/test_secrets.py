"""One sweep over everything a session shows: no password, token or secret appears.

Reprs, HTML reprs, rich renders, widget state, log records at DEBUG (keystoneauth's request
logging included), exception messages and DataFrames are collected while a session
connects, authenticates with a password and with an application credential, lists, fails
on purpose, and renders; then every collected string is searched for every secret.
"""

from __future__ import annotations

import copy
import io
import logging

import pytest
from rich.console import Console

import osnb
from osnb.notebook.summary import summarize
from osnb.sdk import exceptions as exc


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def render(obj: object) -> str:
    out = io.StringIO()
    Console(file=out, width=200, color_system=None).print(obj)
    return out.getvalue()


def _held(err: BaseException) -> str:
    """What an exception keeps: its pickle, attributes, a kept response's request, and
    the exceptions chained to it."""
    import pickle

    parts = [pickle.dumps(err).decode("latin-1"), repr(vars(err))]
    response = getattr(err, "response", None)
    if response is not None and response.request is not None:
        parts += [repr(dict(response.request.headers)), str(response.request.body)]
    for chained in (err.__cause__, err.__context__):
        if chained is not None:
            parts += [repr(chained), repr(vars(chained))]
    return " ".join(parts)


def test_no_secret_shows_anywhere(cloud) -> None:
    handler = Collect()
    handler.setFormatter(logging.Formatter("%(name)s %(message)s %(exc_text)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    shown: list[str] = []
    secrets: list[str] = []
    try:
        clouds = cloud.clouds
        secrets += [c["auth"]["password"] for c in clouds["clouds"].values()]
        conn = osnb.connect("demo", config=clouds)
        token = conn.authorize()
        secrets.append(token)
        shown += [repr(conn), repr(conn.config), str(conn.config.config.get("auth", {}).keys())]
        summary = summarize(conn)
        shown += [summary._repr_html_(), render(summary), summary._text()]

        # An application credential: its secret is returned once, then must stay hidden.
        me = conn.current_user_id
        cred = conn.identity.create_application_credential(me, name="sweep-cred")
        secrets.append(cred.secret)
        shown += [repr(cred), str(cred.to_dict()), cred._repr_html_(), render(cred),
                  cred.widget().children[0].value]
        creds = conn.identity.application_credentials(me)
        shown += [creds._repr_html_(), render(creds), creds.to_pandas().to_string(),
                  repr(creds)]
        app_conn = osnb.connect(
            "app", config={"clouds": {"app": {
                "auth_type": "v3applicationcredential",
                "auth": {"auth_url": cloud.auth_url,
                         "application_credential_id": cred.id,
                         "application_credential_secret": cred.secret},
                "region_name": "RegionOne"}}})
        app_token = app_conn.authorize()
        secrets.append(app_token)
        shown += [repr(app_conn), repr(app_conn.config)]
        servers = app_conn.compute.servers()
        shown += [servers._repr_html_(), render(servers), servers.to_pandas().to_string()]

        # Failures: a wrong password, a bad clouds.yaml value.
        bad = copy.deepcopy(clouds)
        bad["clouds"]["demo"]["auth"]["password"] = "wrong-" + secrets[0]
        secrets.append(bad["clouds"]["demo"]["auth"]["password"])
        with pytest.raises(exc.AuthenticationFailed) as failed:
            osnb.connect("demo", config=bad)
        shown += [str(failed.value), repr(failed.value), _held(failed.value)]
        broken = copy.deepcopy(clouds)
        broken["clouds"]["demo"]["auth"]["pasword"] = secrets[0]
        with pytest.raises(exc.ConfigError) as config_error:
            osnb.connect("demo", config=broken)
        shown.append(str(config_error.value))
        with pytest.raises(exc.NotFound) as not_found:
            conn.compute.get_server("no-such-server")
        shown += [str(not_found.value), _held(not_found.value)]
        # credentials inside the auth URL
        userinfo = copy.deepcopy(clouds)
        url = userinfo["clouds"]["demo"]["auth"]["auth_url"]
        userinfo["clouds"]["demo"]["auth"]["auth_url"] = url.replace("://", "://ops:Url-pw-9@")
        secrets.append("Url-pw-9")
        lazy = osnb.connect("demo", config=userinfo, authenticate=False)
        shown += [repr(lazy), repr(lazy.config), summarize(lazy)._text()]
        conn.identity.delete_application_credential(me, cred)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    shown += handler.lines
    assert any("POST" in line for line in handler.lines), "keystoneauth logged requests"
    leaks = [(secret[:6] + "…", text[:200]) for secret in secrets for text in shown
             if secret and secret in text]
    assert leaks == []
