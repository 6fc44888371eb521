"""SRS asks about "today's session" (issue 18, #7): a plan never sends it before the session.
It goes in a check-in of its own that opens at the session's start and closes by the practice's
closing rule, on the session's day; a clinician's "send now" (in the room) may include it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mbc.clients.models import Client
from mbc.clock import FrozenClock
from mbc.delivery import planner, plans
from mbc.delivery.schedule import RuleValues
from mbc.extensions import db
from mbc.practice.models import InstrumentLicence
from tests.delivery.helpers import check_ins, link_in, messages, sent, tick
from tests.factories import Factory
from tests.helpers import text_of

# The test clock: Monday 23 Nov 2026 17:00 UTC (12:00 in New York).
TOMORROW_10AM_NY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture
def srs_licensed(app, clock: FrozenClock) -> None:
    with app.app_context():
        db.session.add(
            InstrumentLicence(code="srs", holder="Riverside", reference="L-1", recorded_at=clock.at)
        )
        db.session.commit()


def codes(check_in) -> list[str]:
    return [a.instrument_code for a in check_in.assignments]


def test_srs_gets_its_own_check_in_from_the_sessions_start(
    app, web, clock: FrozenClock, make: Factory, client_en, srs_licensed
) -> None:
    make.plan_rule(("phq9", "srs", "gad7"), rule="every_session")
    booked = make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    assert tick(app).planning.planned == 2
    before, during = check_ins(app)
    assert codes(before) == ["phq9", "gad7"] and before.opens_at < TOMORROW_10AM_NY
    assert codes(during) == ["srs"]
    assert during.opens_at == TOMORROW_10AM_NY == during.session_starts_at
    assert during.closes_at == TOMORROW_10AM_NY + timedelta(hours=1)  # the closing rule
    assert during.appointment_id == booked.id
    assert all("srs" not in codes(c) for c in check_ins(app) if c.opens_at < TOMORROW_10AM_NY)
    srs_messages = messages(app, messages_of(during))
    assert [(m.kind, m.scheduled_at) for m in srs_messages] == [("invitation", TOMORROW_10AM_NY)]
    assert len(sent(app)) == 1  # the pre-session invitation only

    clock.at = TOMORROW_10AM_NY - timedelta(minutes=1)
    tick(app)
    assert len(sent(app)) == 2  # the pre-session reminder; SRS still waits
    clock.at = TOMORROW_10AM_NY
    tick(app)
    entries = sent(app)
    assert len(entries) == 3
    body = entries[-1].body
    assert "session" not in body.lower()  # not "for your session today": it has begun
    page = web.get(link_in(body))
    assert page.status_code == 200
    assert "A short check-in about today's session" in text_of(page)


def messages_of(check_in):
    from mbc.delivery.models import Message

    return Message.check_in_id == check_in.id


def test_a_plan_of_srs_alone_sends_nothing_before_the_session(
    app, clock: FrozenClock, make: Factory, client_en, srs_licensed
) -> None:
    make.plan_rule(("srs",), rule="every_session")
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    [check_in] = check_ins(app)
    assert check_in.opens_at == TOMORROW_10AM_NY and sent(app) == []
    clock.at = TOMORROW_10AM_NY + timedelta(hours=1)
    tick(app)  # closed by the closing rule before anyone was sent anything late
    assert check_ins(app)[0].status == "closed"


def test_a_practice_that_closes_at_the_start_gets_no_srs_check_in(
    app, make: Factory, client_en, srs_licensed
) -> None:
    make.plan_rule(("phq9", "srs"), rule="every_session", close_hours_after=0)
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    assert [codes(c) for c in check_ins(app)] == [["phq9"]]


def test_a_cancelled_or_moved_session_takes_its_srs_check_in_along(
    app, make: Factory, client_en, srs_licensed
) -> None:
    make.plan_rule(("phq9", "srs"), rule="every_session")
    booked = make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    moved_to = TOMORROW_10AM_NY + timedelta(hours=2)
    with app.app_context():
        from mbc.clients.models import Appointment

        db.session.get(Appointment, booked.id).starts_at = moved_to
        db.session.commit()
    tick(app)
    during = check_ins(app)[1]
    assert (during.opens_at, during.closes_at) == (moved_to, moved_to + timedelta(hours=1))
    assert messages(app, messages_of(during))[0].scheduled_at == moved_to


def test_calendar_rules_leave_srs_out(
    app, make: Factory, client_en, srs_licensed, clock: FrozenClock
) -> None:
    with app.app_context(), pytest.raises(plans.PlanError, match="session rule"):
        plans.check_rule(RuleValues("every_n_weeks", ("phq9", "srs"), every_n=2))
    # A rule stored before this check existed: SRS is left out of its check-ins.
    make.plan_rule(("phq9", "srs"), rule="every_n_weeks", every_n=2, start_date=date(2026, 11, 23))
    tick(app)
    [check_in] = check_ins(app)
    assert codes(check_in) == ["phq9"]


def test_send_now_in_the_room_may_include_srs(
    app, make: Factory, client_en, srs_licensed, clock: FrozenClock
) -> None:
    with app.app_context():
        client = db.session.get(Client, client_en.id)
        check_in = planner.send_now(client, ["srs"], actor=None, now=clock.at)
        db.session.commit()
        assert check_in.opens_at == clock.at and codes(check_in) == ["srs"]


def test_the_pre_session_view_shows_the_check_in_before_the_session(
    app, make: Factory, client_en, clinician_a, srs_licensed, clock: FrozenClock
) -> None:
    from mbc.auth.models import StaffUser
    from mbc.clinician.queries import sessions

    make.plan_rule(("phq9", "srs"), rule="every_session")
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)  # the pre-session invitation is sent; SRS's waits for the start
    with app.test_request_context():
        user = db.session.get(StaffUser, clinician_a.id)
        [row] = sessions(user, clock.at, clock.at + timedelta(days=2))
        assert (row.check_in_status, row.message_status, row.status) == (
            "open",
            "sent",
            "not_started",
        )


def test_the_srs_check_in_does_not_count_against_completed_before_the_session(
    app, make: Factory, client_en, srs_licensed, clock: FrozenClock
) -> None:
    from mbc.assessments.models import CheckIn
    from mbc.reports.filters import ReportFilters
    from mbc.reports.funnel import funnel

    make.plan_rule(("phq9", "srs"), rule="every_session")
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    with app.app_context():
        before, during = db.session.query(CheckIn).order_by(CheckIn.id).all()
        for check_in, done in ((before, -2), (during, 0.5)):
            check_in.status = "completed"
            check_in.completed_at = TOMORROW_10AM_NY + timedelta(hours=done)
        db.session.commit()
        november = ReportFilters(
            start=date(2026, 11, 1), end=date(2026, 11, 30), timezone="America/New_York"
        )
        total = {
            row["group"]: row
            for row in funnel(november, "team", TOMORROW_10AM_NY + timedelta(days=3))[0].rows
        }["All"]
    assert (total["created"], total["completed"]) == (2, 2)
    assert (total["has_session"], total["before_session"]) == (1, 1)
    # One denominator for both shares: the SRS asked in the session cannot be before it.
    assert total["before_session_share"] == 50 and total["completed_share"] == 100
