"""Column draws: the same values and texts as drawing and formatting one at a time."""

from __future__ import annotations

import random
import uuid

import numpy as np

from osnb.democloud import columns
from osnb.democloud.store import DAY_US, STAMPS


def test_uniforms_are_random_random_from_the_same_bits() -> None:
    drawn = columns.uniforms(random.Random(7), 5000)
    raw = random.Random(7).randbytes(8 * 5000)
    expected = [(int.from_bytes(raw[i:i + 8], "little") >> 11) / 2**53
                for i in range(0, len(raw), 8)]
    assert drawn.tolist() == expected
    assert 0.0 <= drawn.min() and drawn.max() < 1.0
    assert abs(drawn.mean() - 0.5) < 0.02


def test_uuid_texts_are_uuid4_of_the_drawn_bytes() -> None:
    texts = columns.uuid_texts(random.Random(8), 3000)
    raw = random.Random(8).randbytes(16 * 3000)
    assert texts == [str(uuid.UUID(bytes=raw[i:i + 16], version=4))
                     for i in range(0, len(raw), 16)]
    assert len(set(texts)) == len(texts)
    assert columns.uuid_texts(random.Random(8), 0) == []


def test_mac_texts() -> None:
    macs = columns.mac_texts(random.Random(9), 2000)
    raw = random.Random(9).randbytes(3 * 2000)
    assert macs == ["fa:16:3e:" + ":".join(f"{b:02x}" for b in raw[i:i + 3])
                    for i in range(0, len(raw), 3)]


def test_timestamp_texts_match_the_stamps() -> None:
    rng = random.Random(10)
    us = [rng.randrange(0, 80 * 365 * DAY_US) for _ in range(20000)] + [0, DAY_US - 1]
    assert columns.zulu_texts(np.array(us)) == [STAMPS.zulu(u) for u in us]
    assert columns.micro_texts(us) == [STAMPS.micro(u) for u in us]
