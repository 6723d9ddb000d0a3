"""When and how long to wait before sending a request again.

Idempotent requests (GET, HEAD, OPTIONS, DELETE) are retried on connection failures and on
429/500/502/503/504, with exponential backoff and full jitter, honouring ``Retry-After``.
A POST is retried only on 429: the service said it did not take the request. Clouds set
the policy in ``clouds.yaml`` (``status_code_retries``, ``connect_retries``,
``retry_backoff``, ``retry_max_delay``); a call can narrow it with
``proxy.with_options(retries=…)``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

__all__ = ["IDEMPOTENT", "RETRY_STATUSES", "RetryPolicy"]

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 4
    """Attempts after the first, for a retriable status."""
    connect_retries: int = 3
    """Attempts after the first, for a connection failure."""
    backoff: float = 0.5
    """The first delay's ceiling in seconds; it doubles each attempt."""
    max_delay: float = 30.0
    """No single wait is longer, not even one a ``Retry-After`` asks for."""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RetryPolicy:
        """Read openstacksdk's keys (``status_code_retries``, ``connect_retries``) and
        osnb's (``retry_backoff``, ``retry_max_delay``) from a cloud's settings."""
        policy = cls()
        values: dict[str, Any] = {}
        for key, field_name, kind in (("status_code_retries", "retries", int),
                                      ("connect_retries", "connect_retries", int),
                                      ("retry_backoff", "backoff", float),
                                      ("retry_max_delay", "max_delay", float)):
            if config.get(key) is not None:
                values[field_name] = kind(config[key])
        return replace(policy, **values) if values else policy

    def should_retry_status(self, method: str, status: int, attempt: int) -> bool:
        if attempt >= self.retries or status not in RETRY_STATUSES:
            return False
        return method.upper() in IDEMPOTENT or status == 429

    def should_retry_connection(self, method: str, attempt: int) -> bool:
        return attempt < self.connect_retries and method.upper() in IDEMPOTENT

    def delay(self, attempt: int, retry_after: float | None = None,
              rng: random.Random | None = None) -> float:
        """Seconds to wait before attempt ``attempt + 1``: ``Retry-After`` when given
        (capped), else a uniform draw up to ``backoff * 2**attempt`` (full jitter)."""
        if retry_after is not None:
            return min(max(0.0, retry_after), self.max_delay)
        ceiling = min(self.max_delay, self.backoff * (2 ** attempt))
        return (rng or random).uniform(0.0, ceiling)
