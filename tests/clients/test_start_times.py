"""Start times as EHRs export them: each accepted form at its edges, the practice's time zone
for a time without an offset, and the daylight saving changes refused rather than guessed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mbc.clients.start_times import StartTimeError, parse_start

NY = "America/New_York"


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "date_format", "expected"),
    [
        # ISO 8601 with an offset, as before: the offset wins over the practice's zone.
        ("2026-12-01T15:00:00-05:00", "mdy", utc(2026, 12, 1, 20)),
        ("2026-12-01T20:00:00Z", "dmy", utc(2026, 12, 1, 20)),
        ("2026-12-01 15:00+01:00", "mdy", utc(2026, 12, 1, 14)),
        # YYYY-MM-DD HH:MM (24 h) in the practice's zone, whichever date_format.
        ("2026-12-01 15:00", "mdy", utc(2026, 12, 1, 20)),
        ("2026-12-01 15:00", "dmy", utc(2026, 12, 1, 20)),
        ("2026-12-01T09:30:15", "mdy", utc(2026, 12, 1, 14, 30, 15)),
        ("2026-07-01 15:00", "mdy", utc(2026, 7, 1, 19)),  # summer: UTC-4
        # MM/DD/YYYY h:mm AM/PM
        ("12/01/2026 3:00 PM", "mdy", utc(2026, 12, 1, 20)),
        ("12/01/2026 3:00PM", "mdy", utc(2026, 12, 1, 20)),
        ("12/01/2026 3:00 p.m.", "mdy", utc(2026, 12, 1, 20)),
        ("1/5/2026 9:05 am", "mdy", utc(2026, 1, 5, 14, 5)),
        ("12/01/2026 12:00 AM", "mdy", utc(2026, 12, 1, 5)),  # midnight
        ("12/01/2026 12:30 AM", "mdy", utc(2026, 12, 1, 5, 30)),
        ("12/01/2026 12:00 PM", "mdy", utc(2026, 12, 1, 17)),  # noon
        ("12/01/2026 11:59 PM", "mdy", utc(2026, 12, 2, 4, 59)),
        ("12/01/2026 15:00", "mdy", utc(2026, 12, 1, 20)),  # 24 h after a month-first date
        # DD/MM/YYYY HH:MM
        ("01/12/2026 15:00", "dmy", utc(2026, 12, 1, 20)),
        ("01/12/2026 00:00", "dmy", utc(2026, 12, 1, 5)),
        ("01/12/2026 3:00 PM", "dmy", utc(2026, 12, 1, 20)),
    ],
)
def test_accepted_forms(raw: str, date_format: str, expected: datetime) -> None:
    assert parse_start(raw, NY, date_format) == expected


def test_the_date_format_decides_an_ambiguous_date() -> None:
    assert parse_start("02/03/2026 10:00", NY, "mdy") == utc(2026, 2, 3, 15)
    assert parse_start("02/03/2026 10:00", NY, "dmy") == utc(2026, 3, 2, 15)


def test_a_time_without_offset_is_in_the_given_zone() -> None:
    assert parse_start("2026-12-01 15:00", "Europe/Madrid") == utc(2026, 12, 1, 14)


@pytest.mark.parametrize(
    ("raw", "date_format", "expected"),
    [
        ("13/01/2026 10:00", "mdy", "if the file writes the day first, choose DD/MM/YYYY"),
        ("01/13/2026 10:00", "dmy", "if the file writes the month first, choose MM/DD/YYYY"),
        ("02/30/2026 10:00", "mdy", "is not a real date and time"),
        ("12/01/2026 0:30 AM", "mdy", "the hour 0 is not 1-12 with AM/PM"),
        ("12/01/2026 13:00 PM", "mdy", "the hour 13 is not 1-12 with AM/PM"),
        ("2026-12-01 24:00", "mdy", "the hour 24 is not 0-23"),
        ("2026-12-01 15:60", "mdy", "is not a real date and time"),
        ("2026-02-30T10:00:00Z", "mdy", "is not a real date and time"),
        ("12/01/26 3:00 PM", "mdy", "is not a date and time mbc reads"),
        ("2026-12-01", "mdy", "is not a date and time mbc reads"),
        ("next tuesday", "mdy", "is not a date and time mbc reads"),
        ("9" * 5000 + "/01/2026 10:00", "mdy", "is too long"),
        ("12/01/" + "2" * 20 + " 10:00", "mdy", "is not a date and time mbc reads"),
    ],
)
def test_refused_forms_say_why(raw: str, date_format: str, expected: str) -> None:
    with pytest.raises(StartTimeError, match=expected):
        parse_start(raw, NY, date_format)


@pytest.mark.parametrize(
    "raw", ["2026-03-08 02:30", "03/08/2026 2:30 AM", "08/03/2026 02:00"], ids=["iso", "mdy", "dmy"]
)
def test_a_time_the_clocks_skip_is_refused(raw: str) -> None:
    date_format = "dmy" if raw.startswith("08/") else "mdy"
    with pytest.raises(StartTimeError, match="does not exist in America/New_York"):
        parse_start(raw, NY, date_format)


def test_a_time_that_happens_twice_is_refused_with_both_offsets() -> None:
    with pytest.raises(StartTimeError, match="happens twice") as refused:
        parse_start("11/01/2026 1:30 AM", NY)
    assert "2026-11-01T01:30-04:00 or 2026-11-01T01:30-05:00" in str(refused.value)


def test_around_the_changes_the_clock_is_read_plainly() -> None:
    assert parse_start("2026-03-08 01:59", NY) == utc(2026, 3, 8, 6, 59)
    assert parse_start("2026-03-08 03:00", NY) == utc(2026, 3, 8, 7)
    assert parse_start("2026-11-01 00:59", NY) == utc(2026, 11, 1, 4, 59)
    assert parse_start("2026-11-01 02:00", NY) == utc(2026, 11, 1, 7)
    # With its offset, a repeated hour is exact.
    assert parse_start("2026-11-01T01:30:00-05:00", NY) == utc(2026, 11, 1, 6, 30)
