"""Checking an EHR export: every bad row reported with its line, nothing accepted half-way."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mbc.clients.csv_format import Defaults, check_file

DEFAULTS = Defaults(phone_region="US", language="en", timezone="America/New_York")
CLINICIANS = {"a@example.org", "b@example.org"}
HEADER = (
    "client_ref,first_name,last_name,phone,email,language,timezone,clinician_email,"
    "appointment_ref,starts_at,status"
)
GOOD = (
    "C-1,Pat,Lee,(415) 555-2671,pat@example.com,es,America/Chicago,a@example.org,"
    "A-1,2026-11-24T15:00:00-05:00,scheduled"
)


def check(*rows: str, header: str = HEADER):
    return check_file("\n".join([header, *rows]).encode(), DEFAULTS, CLINICIANS)


def messages(result) -> list[str]:
    return [str(p) for p in result.errors]


def test_a_good_row_is_normalised() -> None:
    result = check(GOOD)
    assert result.ok and not result.warnings
    row = result.rows[0]
    assert row.client["phone"] == "+14155552671"
    assert row.client["language"] == "es" and row.client["timezone"] == "America/Chicago"
    assert row.starts_at == datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
    assert row.clinician_email == "a@example.org" and row.status == "scheduled"


def test_blank_optional_values_take_the_practice_defaults() -> None:
    result = check("C-1,Pat,Lee,,pat@example.com,,,A@Example.org,A-1,2026-11-24T20:00:00Z,")
    row = result.rows[0]
    assert result.ok
    assert (row.client["phone"], row.client["language"], row.client["timezone"]) == (
        None,
        "en",
        "America/New_York",
    )
    assert row.status == "scheduled" and row.clinician_email == "a@example.org"


@pytest.mark.parametrize(
    ("raw", "status"),
    [("Canceled", "cancelled"), ("no-show", "no_show"), ("No Show", "no_show"), ("DNA", "no_show")],
)
def test_common_status_spellings_are_understood(raw: str, status: str) -> None:
    row = f"C-1,Pat,Lee,,p@example.com,en,,a@example.org,A-1,2026-11-24T20:00:00Z,{raw}"
    assert check(row).rows[0].status == status


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            ",Pat,Lee,,p@x.org,,,a@example.org,A-1,2026-11-24T20:00Z,",
            "line 2, client_ref: is required",
        ),
        (
            "C-1,,Lee,,p@x.org,,,a@example.org,A-1,2026-11-24T20:00Z,",
            "line 2, first_name: is required",
        ),
        (
            "C-1,Pat,Lee,555,p@x.org,,,a@example.org,A-1,2026-11-24T20:00Z,",
            "line 2, phone: '555' is not",
        ),
        (
            "C-1,Pat,Lee,,not-an-email,,,a@example.org,A-1,2026-11-24T20:00Z,",
            "line 2, email: 'not-an-email'",
        ),
        ("C-1,Pat,Lee,,p@x.org,fr,,a@example.org,A-1,2026-11-24T20:00Z,", "line 2, language: 'fr'"),
        (
            "C-1,Pat,Lee,,p@x.org,,Mars/Base,a@example.org,A-1,2026-11-24T20:00Z,",
            "line 2, timezone: 'Mars/Base'",
        ),
        (
            "C-1,Pat,Lee,,p@x.org,,,zed@example.org,A-1,2026-11-24T20:00Z,",
            "not an active clinician",
        ),
        (
            "C-1,Pat,Lee,,p@x.org,,,a@example.org,,2026-11-24T20:00Z,",
            "line 2, appointment_ref: is required",
        ),
        (
            "C-1,Pat,Lee,,p@x.org,,,a@example.org,A-1,next tuesday,",
            "'next tuesday' is not a date and time mbc reads",
        ),
        ("C-1,Pat,Lee,,p@x.org,,,a@example.org,A-1,2026-11-24 25:00,", "the hour 25 is not 0-23"),
        (
            "C-1,Pat,Lee,,p@x.org,,,a@example.org,A-1,2026-11-24T20:00Z,maybe",
            "'maybe' is not one of",
        ),
        (
            "C-1,Pat,Lee,,p@x.org,,,a@example.org,A-1,2026-11-24T20:00Z,,extra",
            "more cells than columns",
        ),
    ],
)
def test_each_bad_value_is_named_with_its_line(row: str, expected: str) -> None:
    result = check(row)
    assert not result.ok and not result.rows
    assert any(expected in m for m in messages(result)), messages(result)


def test_every_bad_row_is_reported_not_just_the_first() -> None:
    bad = "C-2,Sam,Ray,555,p@x.org,,,a@example.org,A-2,2026-11-24T20:00Z,"
    worse = "C-3,Sam,Ray,,p@x.org,,,a@example.org,A-3,soon,"
    result = check(GOOD, bad, worse)
    assert not result.ok
    assert [p.line for p in result.errors] == [3, 4]


def test_line_numbers_count_quoted_line_breaks() -> None:
    multiline = 'C-2,"Mary\nAnn",Ray,,p@x.org,,,a@example.org,A-2,2026-11-24T20:00Z,'
    bad = "C-3,Sam,Ray,,p@x.org,,,a@example.org,A-3,soon,"
    result = check(multiline, bad)
    assert [p.line for p in result.errors] == [4]


def test_same_appointment_twice_is_an_error() -> None:
    result = check(GOOD, GOOD)
    assert messages(result) == ["line 3, appointment_ref: A-1 already on line 2"]


def test_one_client_with_different_details_is_an_error() -> None:
    other = GOOD.replace("Pat,Lee", "Patricia,Lee").replace("A-1", "A-2")
    result = check(GOOD, other)
    assert messages(result) == ["line 3, first_name: client C-1 has different details on line 2"]


def test_missing_columns_are_named() -> None:
    result = check(GOOD, header="client_ref,first_name,last_name")
    assert messages(result) == [
        "line 1: missing column(s): clinician_email, appointment_ref, starts_at"
    ]


def test_unknown_columns_are_warnings_not_errors() -> None:
    result = check(GOOD + ",Room 4", header=HEADER + ",room")
    assert result.ok
    assert [str(w) for w in result.warnings] == ["line 1, room: unknown column, ignored"]


def test_header_is_case_and_space_insensitive_and_a_bom_is_ignored() -> None:
    header = "\ufeff" + ", ".join(h.upper() for h in HEADER.split(","))
    assert check(GOOD, header=header).ok


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "line 1: the file is empty"),
        (HEADER.encode(), "line 2: the file has a header but no appointments"),
        ("client_ref\nJosé".encode("latin-1"), "line 1: the file is not UTF-8 text"),
    ],
)
def test_unusable_files(data: bytes, expected: str) -> None:
    result = check_file(data, DEFAULTS, CLINICIANS)
    assert not result.ok
    assert messages(result)[0].startswith(expected)


def test_a_semicolon_file_with_a_bom_is_read() -> None:
    header = "\ufeff" + HEADER.replace(",", ";")
    row = GOOD.replace(",", ";").replace("2026-11-24T15:00:00-05:00", "11/24/2026 3:00 PM")
    result = check(row, header=header)
    assert result.ok and not result.warnings, messages(result)
    assert result.rows[0].client["phone"] == "+14155552671"
    assert result.rows[0].starts_at == datetime(2026, 11, 24, 20, 0, tzinfo=UTC)
    # The header line decides: a comma file with a semicolon in a cell stays a comma file.
    result = check(GOOD.replace("Lee", '"Lee; Ray"'))
    assert result.ok and result.rows[0].client["last_name"] == "Lee; Ray"


def test_a_time_without_offset_is_in_the_practice_zone_not_the_clients() -> None:
    # The row's timezone (America/Chicago) is where the client lives; the EHR's calendar is
    # the practice's (America/New_York).
    result = check(GOOD.replace("2026-11-24T15:00:00-05:00", "2026-11-24 15:00"))
    assert result.rows[0].starts_at == datetime(2026, 11, 24, 20, 0, tzinfo=UTC)


def test_the_date_format_choice_reads_day_first_dates() -> None:
    row = GOOD.replace("2026-11-24T15:00:00-05:00", "01/12/2026 15:00")
    day_first = Defaults("US", "en", "Europe/Madrid", date_format="dmy")
    result = check_file("\n".join([HEADER, row]).encode(), day_first, CLINICIANS)
    assert result.rows[0].starts_at == datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
    month_first = check(row)
    assert month_first.rows[0].starts_at == datetime(2026, 1, 12, 20, 0, tzinfo=UTC)


def test_a_skipped_clock_hour_is_a_row_error() -> None:
    result = check(GOOD.replace("2026-11-24T15:00:00-05:00", "03/08/2026 2:30 AM"))
    assert not result.ok
    assert messages(result)[0].startswith("line 2, starts_at: '03/08/2026 2:30 AM' does not exist")


FHIR_STATUSES = {
    "booked": "scheduled",
    "arrived": "completed",
    "checked-in": "completed",
    "fulfilled": "completed",
    "cancelled": "cancelled",
    "noshow": "no_show",
    "Booked": "scheduled",
    "Fulfilled": "completed",
}


def test_fhir_appointment_statuses_are_understood() -> None:
    rows = [
        GOOD.replace("scheduled", raw).replace("A-1", f"A-{i}")
        for i, raw in enumerate(FHIR_STATUSES)
    ]
    result = check(*rows)
    assert result.ok, messages(result)
    assert [r.status for r in result.rows] == list(FHIR_STATUSES.values())


@pytest.mark.parametrize("raw", ["proposed", "pending", "waitlist", "entered-in-error"])
def test_rows_not_booked_are_skipped_with_a_warning(raw: str) -> None:
    skipped = GOOD.replace("scheduled", raw).replace("A-1", "A-2").replace("555-2671", "12")
    result = check(GOOD, skipped)
    assert result.ok and [r.line for r in result.rows] == [2]
    assert [str(w) for w in result.warnings] == [
        f"line 3, status: '{raw}': not booked, row skipped"
    ]
