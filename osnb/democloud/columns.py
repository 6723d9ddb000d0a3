"""Random draws and their texts a whole column at a time, for generating a world in bulk.

A 100,000-server world draws two million random numbers and formats half a million ids,
MAC addresses and timestamps. One at a time in Python that was most of generation; here a
column is drawn in one call from the world's own ``random.Random`` (so one seed still
makes one world, whatever NumPy's version) and made into numbers and texts by NumPy.
NumPy comes with pandas; this module is imported only when a world is generated.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np

__all__ = ["mac_texts", "micro_texts", "uniforms", "uuid_texts", "zulu_texts"]

_DASH = ord("-")
_COLON = ord(":")
# Where each character of a uuid's text comes from among its 32 hex digits (-1: a dash).
_UUID_LAYOUT = [*range(0, 8), -1, *range(8, 12), -1, *range(12, 16), -1, *range(16, 20), -1,
                *range(20, 32)]
_MAC_LAYOUT = [0, 1, -1, 2, 3, -1, 4, 5]


def uniforms(rng: random.Random, n: int) -> np.ndarray:
    """``n`` floats uniform in [0, 1), as ``rng.random()`` makes them (53 random bits each),
    from ``8 * n`` bytes of the generator's stream."""
    raw = np.frombuffer(rng.randbytes(8 * n), dtype="<u8")
    return (raw >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


def _texts(hexdigits: np.ndarray, layout: list[int], sep: int, prefix: str = "") -> list[str]:
    """Rows of hex digits laid out as texts (``-1`` in ``layout``: ``sep``)."""
    n = hexdigits.shape[0]
    padded = np.concatenate([hexdigits, np.full((n, 1), sep, dtype=np.uint8)], axis=1)
    chars = padded[:, layout]
    width = len(layout)
    text = chars.tobytes().decode("ascii")
    return [prefix + text[i:i + width] for i in range(0, n * width, width)]


def _hexdigits(raw: bytes, width: int) -> np.ndarray:
    """``raw`` as rows of ``width`` bytes, each row its ``2 * width`` hex digits (ASCII)."""
    return np.frombuffer(raw.hex().encode("ascii"), dtype=np.uint8).reshape(-1, 2 * width)


def uuid_texts(rng: random.Random, n: int) -> list[str]:
    """``n`` uuid4 texts, each ``str(uuid.UUID(bytes=b, version=4))`` of 16 drawn bytes."""
    data = np.frombuffer(rng.randbytes(16 * n), dtype=np.uint8).reshape(n, 16).copy()
    data[:, 6] = (data[:, 6] & 0x0F) | 0x40  # version 4
    data[:, 8] = (data[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    return _texts(_hexdigits(data.tobytes(), 16), _UUID_LAYOUT, _DASH)


def mac_texts(rng: random.Random, n: int, oui: str = "fa:16:3e:") -> list[str]:
    """``n`` MAC addresses: ``oui`` and three drawn bytes (OpenStack's ``fa:16:3e``)."""
    return _texts(_hexdigits(rng.randbytes(3 * n), 3), _MAC_LAYOUT, _COLON, oui)


def _as_datetimes(us: Any) -> np.ndarray:
    return np.asarray(us, dtype=np.int64).astype("datetime64[us]")


def zulu_texts(us: Any) -> list[str]:
    """Nova's and Keystone's ``2026-11-25T13:19:09Z`` for each of ``us`` (microseconds since
    the epoch; dropped, as :meth:`~.store.Stamps.zulu` does)."""
    return np.datetime_as_string(
        _as_datetimes(us), unit="s", timezone="UTC").tolist()


def micro_texts(us: Any) -> list[str]:
    """Nova's instance-action and Cinder's ``2026-11-25T13:19:09.123456`` for each of ``us``."""
    return np.datetime_as_string(_as_datetimes(us), unit="us").tolist()
