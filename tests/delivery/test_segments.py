"""Counting SMS segments the way carriers bill them."""

from __future__ import annotations

import pytest

from mbc.delivery.segments import count_segments, is_gsm7


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("", "GSM-7", 0),
        ("a" * 160, "GSM-7", 1),
        ("a" * 161, "GSM-7", 2),
        ("a" * 306, "GSM-7", 2),
        ("a" * 307, "GSM-7", 3),
        ("€" * 80, "GSM-7", 1),  # extension characters count twice
        ("€" * 81, "GSM-7", 2),
        ("ñü¿¡", "GSM-7", 1),  # in the GSM-7 basic set
        ("á" + "a" * 69, "UCS-2", 1),  # á is not: the whole text becomes UCS-2
        ("á" + "a" * 70, "UCS-2", 2),
        ("á" * 134, "UCS-2", 2),
        ("á" * 135, "UCS-2", 3),
        ("🙂" * 35, "UCS-2", 1),  # outside the BMP: two code units each
        ("🙂" * 36, "UCS-2", 2),
    ],
)
def test_segments_at_every_boundary(text: str, encoding: str, segments: int) -> None:
    counted = count_segments(text)
    assert (counted.encoding, counted.segments) == (encoding, segments)


def test_gsm7_membership() -> None:
    assert is_gsm7("Reply STOP to opt out: https://mbc.example.org/s/abc_-.")
    assert not is_gsm7("sesión")
