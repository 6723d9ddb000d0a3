"""Keep credentials out of log records, keystoneauth's DEBUG request logging included.

keystoneauth hashes tokens in the headers it logs but prints response bodies as they
come, so an application credential's one-time ``secret`` (or a token in a body) would land
in a notebook's DEBUG log. :func:`install` adds a filter to the loggers that carry request
and response text; it rewrites each record's message with secret values masked.
"""

from __future__ import annotations

import logging
import re
from typing import Any

__all__ = ["LOGGERS", "RedactSecrets", "install", "redact", "safe_url"]

LOGGERS = ("keystoneauth.session", "keystoneauth.session.request",
           "keystoneauth.session.response", "keystoneauth.session.body",
           "keystoneauth.session.request-id", "keystoneauth.identity.base",
           "keystoneauth.identity.generic.base", "keystoneauth.identity.v2",
           "keystoneauth.identity.v3.base", "keystoneauth.discover", "osnb.http")

_KEYS = ("password", "secret", "application_credential_secret", "token", "auth_token",
         "passcode", "access_token", "refresh_token", "client_secret", "private_key",
         "adminPass")
_JSON = re.compile('("(?:' + "|".join(_KEYS) + r')"\s*:\s*)"(?:[^"\\]|\\.)*"', re.IGNORECASE)
_HEADER = re.compile(r"((?:X-Auth-Token|X-Subject-Token|X-Service-Token)['\"]?\s*[:=]\s*['\"]?)"
                     r"(?!\{SHA256\})[^\s'\",}]+", re.IGNORECASE)


_USERINFO = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s'\"]+@")


def safe_url(url: Any) -> Any:
    """``url`` (or any text) with ``user:password@`` in URLs masked; other values
    unchanged."""
    if not isinstance(url, str) or "@" not in url:
        return url
    return _USERINFO.sub(r"\1***@", url)


def redact(text: str) -> str:
    """``text`` with JSON secret values, token headers and ``user:password@`` in URLs
    replaced by ``***``."""
    text = _JSON.sub(r'\1"***"', text)
    return str(safe_url(_HEADER.sub(r"\1***", text)))


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logging's own business
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


_FILTER = RedactSecrets()


def install() -> None:
    """Add the filter to every logger that can carry request or response text (once)."""
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
