"""Log redaction of secrets (a text filter: unit tests)."""

from __future__ import annotations

import logging

from osnb.sdk.redact import RedactSecrets, redact


def test_json_secret_values_are_masked() -> None:
    body = ('{"application_credential": {"id": "abc", "secret": "s3\\"cr3t", '
            '"name": "n"}, "password": "hunter2", "adminPass": "x1"}')
    out = redact(body)
    assert "s3" not in out and "hunter2" not in out and "x1" not in out
    assert '"id": "abc"' in out and '"name": "n"' in out


def test_token_headers_are_masked_but_hashes_kept() -> None:
    out = redact("-H 'X-Auth-Token: gAAAAABtoken' -H \"X-Subject-Token: {SHA256}ab12\"")
    assert "gAAAAABtoken" not in out and "{SHA256}ab12" in out


def test_filter_rewrites_records_with_args() -> None:
    record = logging.LogRecord("keystoneauth.session", logging.DEBUG, __file__, 1,
                               "RESP BODY: %s", ('{"token": "t0k"}',), None)
    assert RedactSecrets().filter(record)
    assert record.getMessage() == 'RESP BODY: {"token": "***"}'
