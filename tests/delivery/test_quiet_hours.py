"""Quiet hours are wall-clock hours on the client's own clock, across DST changes too."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mbc.delivery.quiet_hours import in_quiet_hours, next_allowed

NY = "America/New_York"


@pytest.mark.parametrize(
    ("utc", "quiet"),
    [
        (datetime(2026, 11, 24, 1, 59, tzinfo=UTC), False),  # 20:59 EST
        (datetime(2026, 11, 24, 2, 0, tzinfo=UTC), True),  # 21:00 EST: quiet starts
        (datetime(2026, 11, 24, 12, 59, tzinfo=UTC), True),  # 07:59 EST
        (datetime(2026, 11, 24, 13, 0, tzinfo=UTC), False),  # 08:00 EST: quiet ends
    ],
)
def test_boundaries_in_the_clients_zone(utc: datetime, quiet: bool) -> None:
    assert in_quiet_hours(utc, NY, 21, 8) is quiet


def test_evening_waits_for_the_next_morning() -> None:
    at = datetime(2026, 11, 24, 3, 30, tzinfo=UTC)  # 22:30 EST on the 23rd
    assert next_allowed(at, NY, 21, 8) == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


def test_early_morning_waits_until_eight_the_same_day() -> None:
    at = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)  # 05:00 EST
    assert next_allowed(at, NY, 21, 8) == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)


def test_outside_quiet_hours_is_now() -> None:
    at = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
    assert next_allowed(at, NY, 21, 8) == at


def test_the_window_follows_the_clock_when_dst_ends() -> None:
    # 1 Nov 2026: New York falls back at 02:00 EDT. 08:00 that morning is EST (UTC-5).
    at = datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT, before the change
    assert next_allowed(at, NY, 21, 8) == datetime(2026, 11, 1, 13, 0, tzinfo=UTC)


def test_the_window_follows_the_clock_when_dst_starts() -> None:
    # 8 Mar 2026: clocks spring forward at 02:00 EST. 08:00 that morning is EDT (UTC-4).
    at = datetime(2026, 3, 8, 6, 0, tzinfo=UTC)  # 01:00 EST
    assert next_allowed(at, NY, 21, 8) == datetime(2026, 3, 8, 12, 0, tzinfo=UTC)


def test_another_zone_has_its_own_night() -> None:
    at = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)  # 23:00 in New York, 20:00 in Los Angeles
    assert in_quiet_hours(at, NY, 21, 8)
    assert not in_quiet_hours(at, "America/Los_Angeles", 21, 8)


def test_a_window_within_one_day_and_no_window() -> None:
    at = datetime(2026, 11, 24, 17, 0, tzinfo=UTC)  # 12:00 EST
    assert in_quiet_hours(at, NY, 12, 13) and not in_quiet_hours(at, NY, 13, 14)
    assert not in_quiet_hours(at, NY, 8, 8)
