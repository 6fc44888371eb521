"""Which sessions a plan selects, and when their messages go out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mbc.delivery.schedule import (
    RuleSpec,
    Timing,
    in_session_window,
    plan_for_session,
    session_window,
    split_in_session,
    weekly_due_date,
)

PRACTICE = Timing(invite_hours_before=24, reminder_hours_before=3, close_hours_after=1)
DAY = date(2026, 11, 24)


def rule(kind: str, instruments=("phq9",), **values) -> RuleSpec:
    return RuleSpec(id=values.pop("id", 1), rule=kind, instruments=tuple(instruments), **values)


@pytest.mark.parametrize(
    ("kind", "every_n", "due_at"),
    [
        ("every_session", None, [1, 2, 3, 4, 5]),
        ("first_session", None, [1]),
        ("every_nth_session", 2, [1, 3, 5]),
        ("every_nth_session", 3, [1, 4]),
        ("every_nth_session", 1, [1, 2, 3, 4, 5]),
    ],
)
def test_session_rules(kind: str, every_n: int | None, due_at: list[int]) -> None:
    spec = rule(kind, every_n=every_n)
    assert [n for n in range(1, 6) if plan_for_session([spec], n, DAY, PRACTICE)] == due_at


def test_rules_due_together_go_out_once_each_in_rule_order() -> None:
    specs = [
        rule("every_session", ("phq9", "gad7"), id=1),
        rule("first_session", ("pcl5", "phq9"), id=2),
    ]
    plan = plan_for_session(specs, 1, DAY, PRACTICE)
    assert plan is not None and plan.instruments == ("phq9", "gad7", "pcl5")
    plan = plan_for_session(specs, 2, DAY, PRACTICE)
    assert plan is not None and plan.instruments == ("phq9", "gad7")


def test_start_and_stop_dates_are_inclusive() -> None:
    spec = rule("every_session", start_date=DAY, stop_date=DAY + timedelta(days=7))
    assert plan_for_session([spec], 2, DAY - timedelta(days=1), PRACTICE) is None
    assert plan_for_session([spec], 2, DAY, PRACTICE) is not None
    assert plan_for_session([spec], 2, DAY + timedelta(days=7), PRACTICE) is not None
    assert plan_for_session([spec], 2, DAY + timedelta(days=8), PRACTICE) is None


def test_weekly_and_discharge_rules_are_not_session_rules() -> None:
    specs = [rule("every_n_weeks", every_n=2), rule("discharge")]
    assert plan_for_session(specs, 1, DAY, PRACTICE) is None


def test_a_rules_own_timing_wins() -> None:
    specs = [rule("every_session", invite_hours_before=48, id=1), rule("every_session", id=2)]
    plan = plan_for_session(specs, 1, DAY, PRACTICE)
    assert plan is not None
    assert plan.timing == Timing(48, 3, 1)


STARTS = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)


def test_window_invites_a_day_before_reminds_three_hours_before_closes_an_hour_after() -> None:
    window = session_window(STARTS, PRACTICE, now=STARTS - timedelta(days=3))
    assert window.invite_at == STARTS - timedelta(hours=24) == window.opens_at
    assert window.reminder_at == STARTS - timedelta(hours=3)
    assert window.closes_at == STARTS + timedelta(hours=1)


def test_planned_late_invites_now_and_reminds_only_if_still_ahead() -> None:
    now = STARTS - timedelta(hours=5)
    window = session_window(STARTS, PRACTICE, now=now)
    assert window.invite_at == now and window.reminder_at == STARTS - timedelta(hours=3)
    now = STARTS - timedelta(hours=2)
    window = session_window(STARTS, PRACTICE, now=now)
    assert window.invite_at == now and window.reminder_at is None


def test_no_reminder_when_switched_off() -> None:
    window = session_window(STARTS, Timing(24, 0, 1), now=STARTS - timedelta(days=2))
    assert window.reminder_at is None


def test_hours_are_elapsed_hours_across_a_dst_change() -> None:
    # Monday 2 Nov 2026 10:00 EST; 24 hours earlier is Sunday 09:00 EST (clocks fell back).
    starts = datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    window = session_window(starts, PRACTICE, now=starts - timedelta(days=3))
    assert starts - window.invite_at == timedelta(hours=24)


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 11, 1), None),  # before the start
        (date(2026, 11, 2), date(2026, 11, 2)),  # the start date itself
        (date(2026, 11, 15), date(2026, 11, 2)),
        (date(2026, 11, 16), date(2026, 11, 16)),  # two weeks on
        (date(2026, 11, 29), date(2026, 11, 16)),
    ],
)
def test_every_n_weeks_due_dates(today: date, due: date | None) -> None:
    spec = rule("every_n_weeks", every_n=2, start_date=date(2026, 11, 2))
    assert weekly_due_date(spec, today, fallback_start=date(2020, 1, 1)) == due


def test_every_n_weeks_stops_at_its_stop_date_and_defaults_its_start() -> None:
    spec = rule("every_n_weeks", every_n=1, stop_date=date(2026, 11, 10))
    assert weekly_due_date(spec, date(2026, 11, 9), fallback_start=date(2026, 11, 2)) == date(
        2026, 11, 9
    )
    assert weekly_due_date(spec, date(2026, 11, 16), fallback_start=date(2026, 11, 2)) is None


# SRS asks about "today's session" (issue 18, #7): never before the session starts.


def test_instruments_about_the_session_are_split_off_in_order() -> None:
    assert split_in_session(("phq9", "srs", "ors", "gad7")) == (("phq9", "ors", "gad7"), ("srs",))
    assert split_in_session(("srs",)) == ((), ("srs",))
    assert split_in_session(("phq9",)) == (("phq9",), ())


def test_the_in_session_window_opens_at_the_start_and_closes_by_the_closing_rule() -> None:
    window = in_session_window(STARTS, PRACTICE, "America/New_York")
    assert window is not None
    assert window.opens_at == window.invite_at == STARTS
    assert window.reminder_at is None  # reminders come before a session
    assert window.closes_at == STARTS + timedelta(hours=1)


def test_the_in_session_window_ends_with_the_sessions_day() -> None:
    # 15:00 UTC is 10:00 in New York: a 48-hour closing rule still closes at local midnight.
    window = in_session_window(STARTS, Timing(24, 3, 48), "America/New_York")
    assert window is not None
    assert window.closes_at == datetime(2026, 11, 26, 5, 0, tzinfo=UTC)  # 00:00 EST
    late = datetime(2026, 11, 26, 4, 30, tzinfo=UTC)  # 23:30 in New York
    window = in_session_window(late, PRACTICE, "America/New_York")
    assert window is not None and window.closes_at == late + timedelta(minutes=30)


def test_no_in_session_window_when_check_ins_close_at_the_start() -> None:
    assert in_session_window(STARTS, Timing(24, 3, 0), "America/New_York") is None
