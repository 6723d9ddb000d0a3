"""The identity tests' one client: Keystone's API with a fixed token (or none), and the
text of a Keystone error, so each test module says only what it tests."""

from __future__ import annotations

from typing import Any

import requests

from osnb import democloud

__all__ = ["TIMEOUT", "Api", "message"]

TIMEOUT = 10


class Api:
    """Tiny JSON client for the identity API with a fixed token (anonymous without one)."""

    def __init__(self, cloud: democloud.DemoCloud, token: str | None) -> None:
        self.url = cloud.auth_url
        self.headers = {"X-Auth-Token": token} if token else {}

    def __call__(self, method: str, path: str, body: Any = None,
                 **headers: str) -> requests.Response:
        return requests.request(method, self.url + path, json=body, timeout=TIMEOUT,
                                headers={**self.headers, **headers})


def message(r: requests.Response) -> str:
    """The ``error.message`` of a Keystone error answer."""
    text: str = r.json()["error"]["message"]
    return text
