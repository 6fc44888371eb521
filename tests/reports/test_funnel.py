"""The completion funnel: every stage counted from hand-made check-ins, on both databases."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from mbc.reports.filters import ReportFilters
from mbc.reports.funnel import completion_share, funnel
from tests.reports.builder import ReportData


def at(day: int, hour: int = 14, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


NOW = datetime(2026, 11, 23, 17, tzinfo=UTC)  # the tests' frozen clock
NOVEMBER = ReportFilters(
    start=date(2026, 11, 1), end=date(2026, 11, 22), timezone="America/New_York"
)


@pytest.fixture
def world(app, make):
    """Nine check-ins in November (New York), two just outside it; see each line's comment."""
    north, south = make.team("North"), make.team("South")
    a = make.user(name="Ann", team=north)
    b = make.user(name="Bob", team=south)
    a1 = make.client(a, team_id=north.id)
    a2 = make.client(a, team_id=north.id, preferred_channel="email")
    b1 = make.client(b, team_id=south.id)
    b2 = make.client(b, team_id=south.id)
    data = ReportData(app)
    # a1: intake delivered, opened and completed before the session.
    data.check_in(
        a1,
        at(2),
        session_at=at(3),
        opened=True,
        completed_at=at(2, 18),
        messages=[("invitation", "sms", "delivered", at(2))],
    )
    # a1: follow-up completed after a reminder, still before the session.
    data.check_in(
        a1,
        at(9),
        session_at=at(10, 15),
        opened=True,
        completed_at=at(10, 12),
        messages=[
            ("invitation", "sms", "delivered", at(9)),
            ("reminder", "sms", "sent", at(10, 9)),
        ],
    )
    # a1: follow-up sent (no delivery receipt yet) and opened, nothing answered.
    data.check_in(a1, at(16), opened=True, messages=[("invitation", "sms", "sent", at(16))])
    # a2: email intake accepted by the mail server, opened and started, not completed.
    data.check_in(
        a2,
        at(3),
        channel="email",
        started=True,
        messages=[("invitation", "email", "sent", at(3))],
    )
    # a2: follow-up whose email failed.
    data.check_in(a2, at(10), channel="email", messages=[("invitation", "email", "failed", None)])
    # b1: intake in the room, completed after the session had started.
    data.check_in(
        b1,
        at(4),
        channel="in_person",
        session_at=at(4, 13),
        opened=True,
        completed_at=at(4, 13, 30),
    )
    # b1: GAD-7 follow-up delivered and reminded, never completed.
    data.check_in(
        b1,
        at(20),
        instruments=("gad7",),
        messages=[
            ("invitation", "sms", "delivered", at(20)),
            ("reminder", "sms", "delivered", at(21)),
        ],
    )
    # b2: the period's edges in New York time (EDT until 1 November 02:00, then EST).
    data.check_in(b2, datetime(2026, 11, 1, 3, 59, tzinfo=UTC))  # 31 Oct 23:59: outside
    data.check_in(b2, datetime(2026, 11, 1, 4, 0, tzinfo=UTC))  # 1 Nov 00:00: inside
    data.check_in(b2, datetime(2026, 11, 23, 4, 59, tzinfo=UTC))  # 22 Nov 23:59: inside
    data.check_in(b2, datetime(2026, 11, 23, 5, 0, tzinfo=UTC))  # 23 Nov 00:00: outside
    return {"north": north.id, "south": south.id, "a": a.id, "b": b.id}


STAGES = ("created", "sent", "delivered", "opened", "started", "completed")


def stages(row: dict) -> tuple:
    return tuple(row[s] for s in STAGES)


def rows_by_group(table) -> dict:
    return {row["group"]: row for row in table.rows}


def test_each_stage_counts_the_check_ins_that_reached_it(app, world) -> None:
    with app.app_context():
        main, kinds = funnel(NOVEMBER, "team", NOW)
    total = rows_by_group(main)["All"]
    assert stages(total) == (9, 5, 4, 5, 4, 3)
    assert total["has_session"] == 3 and total["before_session"] == 2
    # b2's check-in of 22 November can still be answered: open, not missed.
    assert (total["open"], total["not_completed"]) == (1, 5)
    assert total["before_session_share"] == pytest.approx(100 * 2 / 8)
    assert (total["reminded"], total["after_reminder"]) == (2, 1)
    assert total["completed_share"] == pytest.approx(100 * 3 / 8)
    by_team = rows_by_group(main)
    assert stages(by_team["North"]) == (5, 4, 3, 4, 3, 2)
    assert stages(by_team["South"]) == (4, 1, 1, 1, 1, 1)
    split = rows_by_group(kinds)
    assert stages(split["Intake"]) == (3, 2, 2, 3, 3, 2)
    assert stages(split["Follow-up"]) == (6, 3, 2, 2, 1, 1)


def test_breakdowns_by_channel_instrument_week_and_clinician(app, world) -> None:
    with app.app_context():
        channel = rows_by_group(funnel(NOVEMBER, "channel", NOW)[0])
        instrument = rows_by_group(funnel(NOVEMBER, "instrument", NOW)[0])
        week = rows_by_group(funnel(NOVEMBER, "week", NOW)[0])
        month = rows_by_group(funnel(NOVEMBER, "month", NOW)[0])
        clinician = rows_by_group(funnel(NOVEMBER, "clinician", NOW)[0])
    assert {k: v["created"] for k, v in channel.items()} == {
        "Text message": 6,
        "Email": 2,
        "In the room": 1,
        "All": 9,
    }
    assert {k: v["created"] for k, v in instrument.items()} == {"PHQ-9": 8, "GAD-7": 1, "All": 9}
    # Weeks start on Monday on the practice's calendar (New York): 1 Nov 04:00 UTC is Sunday
    # 00:00 there, and 23 Nov 04:59 UTC still Sunday 22 Nov (23:59), so in the week of the 16th.
    assert {k: v["created"] for k, v in week.items()} == {
        "2026-10-26": 1,
        "2026-11-02": 3,
        "2026-11-09": 2,
        "2026-11-16": 3,
        "All": 9,
    }
    assert {k: v["created"] for k, v in month.items()} == {"2026-11-01": 9, "All": 9}
    assert {k: (v["created"], v["completed"]) for k, v in clinician.items()} == {
        "Ann": (5, 2),
        "Bob": (4, 1),
        "All": (9, 3),
    }


def test_filters_narrow_every_figure(app, world) -> None:
    def total(**chosen) -> tuple:
        filters = ReportFilters(**{**NOVEMBER.__dict__, **chosen})
        with app.app_context():
            return stages(rows_by_group(funnel(filters, "team", NOW)[0])["All"])

    assert total(team_id=world["north"]) == (5, 4, 3, 4, 3, 2)
    assert total(clinician_id=world["b"]) == (4, 1, 1, 1, 1, 1)
    assert total(channel="email") == (2, 1, 1, 1, 1, 0)
    assert total(instrument="gad7") == (1, 1, 1, 0, 0, 0)
    assert total(start=date(2026, 11, 9), end=date(2026, 11, 16)) == (3, 2, 1, 2, 1, 1)


def test_follow_up_completion_share_leaves_out_intake(app, world) -> None:
    with app.app_context():
        # The open follow-up of 22 November is left out of both sides, as on the page.
        assert completion_share(NOVEMBER, True, NOW) == (pytest.approx(100 / 5), 5)
        assert completion_share(NOVEMBER, False, NOW) == (pytest.approx(100 * 3 / 8), 8)
        empty = ReportFilters(start=date(2025, 1, 1), end=date(2025, 1, 2), timezone="UTC")
        assert completion_share(empty, True, NOW) == (None, 0)


def test_the_current_week_shows_open_check_ins_apart(app, world) -> None:
    """Issue 19: the week still running counted its unanswered check-ins as not completed."""
    with app.app_context():
        week = rows_by_group(funnel(NOVEMBER, "week", NOW)[0])["2026-11-16"]
        month = rows_by_group(funnel(NOVEMBER, "month", NOW)[0])["2026-11-01"]
        later = rows_by_group(funnel(NOVEMBER, "week", datetime(2026, 12, 1, tzinfo=UTC))[0])
    assert (week["created"], week["completed"], week["open"], week["not_completed"]) == (3, 0, 1, 2)
    assert week["completed_share"] == 0.0
    assert (month["open"], month["not_completed"]) == (1, 5)
    # Once its window has closed, the same check-in is not completed.
    assert (later["2026-11-16"]["open"], later["2026-11-16"]["not_completed"]) == (0, 3)


def test_before_the_session_share_never_exceeds_completed(app, world) -> None:
    """Issue 19: "before the session %" divided by check-ins with a session, "completed %" by
    all of them, so the part could show more than the whole."""
    with app.app_context():
        for by in ("team", "clinician", "channel", "instrument", "week", "month", "kind"):
            for row in funnel(NOVEMBER, by, NOW)[0].rows:
                if row["completed_share"] is not None:
                    assert row["before_session_share"] <= row["completed_share"], (by, row)
