"""Staff retention and time off: headcount, 12-month retention, median tenure, leavers by
reason and the share of the allowance used, with small teams suppressed; figures worked out
by hand from the dates below."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from flask import Flask

from mbc.extensions import db
from mbc.reports.filters import ReportFilters
from mbc.staffing.models import EmploymentRecord, TimeOff
from mbc.staffing.retention import tables
from tests.conftest import TEST_NOW
from tests.factories import Factory

YEAR = ReportFilters(start=date(2026, 1, 1), end=date(2026, 12, 31), timezone="America/New_York")
# The report stops at today (2026-11-23): 327 days of the year have passed.
DAYS = 327


def _staff(app, make, team, started, left=None, reason=None, allowance=None, leave=()):
    user = make.user(team=team)
    with app.app_context():
        db.session.add(
            EmploymentRecord(
                user_id=user.id,
                started_on=started,
                left_on=left,
                leaving_reason=reason,
                annual_allowance_days=allowance,
            )
        )
        for day, amount, unit, kind in leave:
            db.session.add(
                TimeOff(
                    user_id=user.id,
                    starts_on=day,
                    ends_on=day,
                    amount=Decimal(amount),
                    unit=unit,
                    kind=kind,
                )
            )
        db.session.commit()
    return user


@pytest.fixture
def report(app: Flask, make: Factory):
    north, south = make.team("North"), make.team("South")
    long_ago = date(2020, 1, 1)
    # North: five staff in post a year ago; one left in June (another job), one joined in March.
    for _ in range(4):
        _staff(
            app,
            make,
            north,
            long_ago,
            allowance=Decimal(20),
            leave=[
                (date(2026, 7, 1), "5", "days", "annual_leave"),
                (date(2026, 8, 1), "16", "hours", "annual_leave"),  # 2 days
                (date(2026, 9, 1), "3", "days", "sick"),
            ],
        )  # not annual leave
    _staff(
        app,
        make,
        north,
        date(2024, 6, 1),
        left=date(2026, 6, 30),
        reason="new_job",
        allowance=Decimal(20),
    )
    _staff(app, make, north, date(2026, 3, 1), allowance=Decimal(20))
    # South: two staff, one of whom left for workload in October: too few for leave figures.
    _staff(app, make, south, date(2023, 1, 1), allowance=Decimal(25))
    _staff(
        app,
        make,
        south,
        date(2023, 1, 1),
        left=date(2026, 10, 15),
        reason="workload",
        allowance=Decimal(25),
    )
    # East: five who take all their leave.
    east = make.team("East")
    for _ in range(5):
        _staff(
            app,
            make,
            east,
            long_ago,
            allowance=Decimal(10),
            leave=[(date(2026, 5, 4), "10", "days", "annual_leave")],
        )
    with app.app_context():
        return {t.key: {r["group"]: r for r in t.rows} for t in tables(YEAR, TEST_NOW, 5)}


def test_headcount_retention_and_tenure(report) -> None:
    north = report["staff_retention"]["North"]
    assert (north["headcount"], north["joined"], north["left"]) == (5, 1, 1)
    # On 2025-11-23 North had the four long-standing staff and the June leaver.
    assert north["cohort"] == 5 and north["retention"] == pytest.approx(80.0)
    # Tenures on 2026-11-23: four of 6.9 years, one of 0.7: the median is the middle one.
    assert north["median_tenure"] == pytest.approx(
        (date(2026, 11, 23) - date(2020, 1, 1)).days / 365.25
    )
    everyone = report["staff_retention"]["All"]
    assert (everyone["headcount"], everyone["cohort"]) == (11, 12)
    assert everyone["retention"] == pytest.approx(100 * 10 / 12)


def test_leavers_by_reason_only_when_enough_left_to_tell_no_ones(app, report) -> None:
    """Two leavers, one per team, and the retention table names each team's: with fewer
    leavers than the smallest group shown, a reason would be that person's."""
    leavers = report["staff_leavers"]
    assert set(leavers) == {"All"} and leavers["All"]["count"] == 2
    with app.app_context():
        shown = {t.key: {r["group"]: r for r in t.rows} for t in tables(YEAR, TEST_NOW, 2)}
    leavers = shown["staff_leavers"]
    assert leavers["Another job"]["count"] == 1 and leavers["Workload or burnout"]["count"] == 1
    assert leavers["All"]["count"] == 2 and leavers["Another job"]["share"] == 50.0


def test_a_small_teams_tenure_is_not_shown(report) -> None:
    """South has one person left: a median of one is that person's tenure."""
    assert report["staff_retention"]["South"]["headcount"] == 1
    assert report["staff_retention"]["South"]["median_tenure"] is None
    assert report["staff_retention"]["North"]["median_tenure"] is not None


def test_allowance_used_is_pro_rated_and_small_teams_are_hidden(report) -> None:
    north = report["staff_leave"]["North"]
    expected = (
        4 * 20 * DAYS / 365.25
        + 20 * (date(2026, 6, 30) - date(2026, 1, 1)).days.__add__(1) / 365.25
        + 20 * ((date(2026, 11, 23) - date(2026, 3, 1)).days + 1) / 365.25
    )
    assert north["n"] == 6 and north["expected"] == pytest.approx(expected)
    assert north["taken"] == pytest.approx(4 * 7)  # 5 days + 16 hours each; sick leave apart
    assert north["used"] == pytest.approx(100 * 28 / expected)
    assert north["used"] < 50 and north["mark"] == "little leave taken (a convention)"
    # South (2 people) is too small; East is hidden with it, or South's figures would be the
    # total minus North and East. The total stays on view (13 people).
    south, east, everyone = (report["staff_leave"][t] for t in ("South", "East", "All"))
    assert south == {"group": "South", "n": 2, "hidden": "small"}
    assert east == {"group": "East", "n": 5, "hidden": "linked"}
    assert everyone["n"] == 13 and everyone["used"] is not None


def test_the_report_page_and_its_csv(as_admin, report) -> None:
    page = as_admin.get("/admin/reports/staff?start=2026-01-01&end=2026-12-31")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Headcount and retention by team" in text and "Leavers by reason" in text
    assert "little leave taken (a convention)" in text
    csv = as_admin.get("/admin/reports/staff.csv?start=2026-01-01&end=2026-12-31&table=staff_leave")
    assert "little leave taken (a convention)" in csv.get_data(as_text=True)
