"""A scheduler pass turns plans and appointments into check-ins and sends each message once,
at the right time, following the calendar. Console backends; the clock is frozen and moved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mbc.clients.models import Appointment
from mbc.clock import FrozenClock
from mbc.delivery.models import ClientPlan, DevOutboxEntry, Message
from mbc.extensions import db
from tests.delivery.helpers import check_ins, link_in, messages, sent, tick
from tests.factories import Factory

# The test clock: Monday 23 Nov 2026 17:00 UTC (12:00 in New York).
TOMORROW_10AM_NY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture
def practice_plan(make: Factory):
    return make.plan_rule(("phq9", "gad7"), rule="every_session")


@pytest.fixture
def booked(make: Factory, client_en, practice_plan) -> Appointment:
    return make.appointment(client_en, starts_at=TOMORROW_10AM_NY)


def set_status(app, appointment: Appointment, **values) -> None:
    with app.app_context():
        stored = db.session.get(Appointment, appointment.id)
        for name, value in values.items():
            setattr(stored, name, value)
        db.session.commit()


def test_a_session_tomorrow_gets_one_check_in_and_its_invitation_now(app, booked) -> None:
    report = tick(app)
    assert report.planning.planned == 1 and report.sending.sent == 1
    [check_in] = check_ins(app)
    assert [a.instrument_code for a in check_in.assignments] == ["phq9", "gad7"]
    assert check_in.appointment_id == booked.id
    assert check_in.closes_at == TOMORROW_10AM_NY + timedelta(hours=1)
    [entry] = sent(app)
    assert entry.channel == "sms" and entry.recipient == "+14155552671"
    invitation, reminder = messages(app)
    assert (invitation.kind, invitation.status) == ("invitation", "sent")
    assert (reminder.kind, reminder.status) == ("reminder", "pending")
    assert reminder.scheduled_at == TOMORROW_10AM_NY - timedelta(hours=3)


def test_a_second_pass_sends_nothing_twice(app, booked) -> None:
    tick(app)
    report = tick(app)
    assert report.planning.planned == 0 and report.sending.sent == 0
    assert len(sent(app)) == 1 and len(check_ins(app)) == 1


def test_the_sms_link_opens_the_check_in_and_is_traced_to_its_message(app, web, booked) -> None:
    tick(app)
    [entry] = sent(app)
    response = web.get(link_in(entry.body))
    assert response.status_code == 200
    from mbc.assessments.models import CheckInLink
    from tests.delivery.helpers import rows

    [link] = rows(app, CheckInLink)
    assert link.message_id == entry.message_id and link.first_opened_at is not None


def test_the_reminder_waits_for_quiet_hours_to_end(app, clock: FrozenClock, booked) -> None:
    tick(app)
    clock.at = TOMORROW_10AM_NY - timedelta(hours=3)  # 07:00 in New York: still quiet
    report = tick(app)
    assert report.sending.deferred == 1 and report.sending.sent == 0
    [_, reminder] = messages(app)
    assert reminder.status == "pending" and reminder.attempts == 0
    assert reminder.due_at == datetime(2026, 11, 24, 13, 0, tzinfo=UTC)  # 08:00 EST
    clock.at = reminder.due_at
    assert tick(app).sending.sent == 1
    invitation, reminder = sent(app)
    assert "reminder" not in invitation.body and "reminder:" in reminder.body
    assert link_in(invitation.body) != link_in(reminder.body)  # each message has its own link


def test_a_completed_check_in_gets_no_reminder(app, clock: FrozenClock, booked) -> None:
    tick(app)
    with app.app_context():
        from mbc.assessments.models import CheckIn

        check_in = db.session.get(CheckIn, check_ins(app)[0].id)
        check_in.status, check_in.completed_at = "completed", clock.at
        db.session.commit()
    clock.at = datetime(2026, 11, 24, 13, 0, tzinfo=UTC)
    tick(app)
    [_, reminder] = messages(app)
    assert (reminder.status, reminder.skip_reason) == ("skipped", "completed")
    assert len(sent(app)) == 1


def test_a_cancelled_session_revokes_its_check_in_and_messages(app, web, booked) -> None:
    tick(app)
    set_status(app, booked, status="cancelled")
    report = tick(app)
    assert report.planning.revoked == 1
    [check_in] = check_ins(app)
    assert check_in.status == "revoked" and check_in.plan_key is None
    [_, reminder] = messages(app)
    assert (reminder.status, reminder.skip_reason) == ("cancelled", "appointment_cancelled")
    assert web.get(link_in(sent(app)[0].body)).status_code == 410


def test_a_cancelled_session_before_its_invitation_sends_nothing(app, make, client_en) -> None:
    make.plan_rule()
    later = make.appointment(client_en, starts_at=datetime(2026, 11, 25, 15, 0, tzinfo=UTC))
    tick(app)  # planned: the invitation is due tomorrow at 15:00 UTC
    [invitation, _] = messages(app)
    assert invitation.status == "pending"
    set_status(app, later, status="cancelled")
    tick(app)
    assert {m.status for m in messages(app)} == {"cancelled"} and sent(app) == []


def test_a_moved_session_moves_its_check_in_and_reminder(app, booked) -> None:
    tick(app)
    moved_to = TOMORROW_10AM_NY + timedelta(hours=4)
    set_status(app, booked, starts_at=moved_to)
    assert tick(app).planning.moved == 1
    [check_in] = check_ins(app)
    assert check_in.closes_at == moved_to + timedelta(hours=1)
    assert check_in.session_starts_at == moved_to
    assert all(a.closes_at == check_in.closes_at for a in check_in.assignments)
    [_, reminder] = messages(app)
    assert reminder.scheduled_at == moved_to - timedelta(hours=3) == reminder.due_at


def test_a_no_show_closes_the_check_in(app, booked) -> None:
    tick(app)
    set_status(app, booked, status="no_show")
    tick(app)
    assert check_ins(app)[0].status == "closed"
    assert messages(app)[1].skip_reason == "no_show"


def test_an_expired_check_in_closes_and_its_reminder_is_skipped(
    app, clock: FrozenClock, make, client_en
) -> None:
    make.plan_rule(reminder_hours_before=None)
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    with app.app_context():
        db.session.query(Message).filter(Message.kind == "reminder").update(
            {"due_at": clock.at + timedelta(days=2)}
        )
        db.session.commit()
    clock.at = TOMORROW_10AM_NY + timedelta(hours=1)
    assert tick(app).planning.closed == 1
    assert check_ins(app)[0].status == "closed"
    assert (messages(app)[1].status, messages(app)[1].skip_reason) == (
        "skipped",
        "check_in_closed",
    )


def test_opted_out_of_sms_gets_email(app, make, practice_plan, clinician_a) -> None:
    from mbc.delivery.consent import suppress

    client = make.client(clinician_a, phone="+14155550100", email="e@example.com")
    make.appointment(client, starts_at=TOMORROW_10AM_NY)
    with app.app_context():
        suppress("sms", "+14155550100", "opted_out", source="sms_keyword", now=datetime.now(UTC))
        db.session.commit()
    tick(app)
    [entry] = sent(app)
    assert (entry.channel, entry.recipient) == ("email", "e@example.com")


def test_no_consent_anywhere_is_skipped_with_the_reasons(
    app, make, practice_plan, clinician_a
) -> None:
    client = make.client(clinician_a, consent=())
    make.appointment(client, starts_at=TOMORROW_10AM_NY)
    tick(app)
    invitation = messages(app)[0]
    assert invitation.status == "skipped"
    assert invitation.skip_reason == "sms_no_consent,email_no_consent"
    assert sent(app) == []


def test_a_session_too_early_for_quiet_hours_is_skipped_not_sent_at_night(
    app, clock: FrozenClock, make, client_en, practice_plan
) -> None:
    # Booked at 23:00 New York time for 07:00 next morning: the check-in closes at 08:00,
    # when quiet hours end, so the invitation would be too late to be useful.
    clock.at = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
    make.appointment(client_en, starts_at=datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    tick(app)
    invitation = messages(app)[0]
    assert (invitation.status, invitation.skip_reason) == ("skipped", "quiet_hours_too_late")
    assert sent(app) == []


def test_a_paused_plan_plans_nothing_and_pausing_cancels_what_is_pending(
    app, make, client_en, practice_plan
) -> None:
    from mbc.delivery import plans

    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    with app.app_context():
        from mbc.clients.models import Client

        plans.pause(db.session.get(Client, client_en.id), actor=None, now=datetime.now(UTC))
        db.session.commit()
    assert messages(app)[1].skip_reason == "plan_paused"
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY + timedelta(days=1))
    assert tick(app).planning.planned == 0
    with app.app_context():
        assert db.session.get(ClientPlan, client_en.id).paused_at is not None


def test_every_other_session_counts_only_held_or_scheduled_sessions(
    app, clock: FrozenClock, make, client_en
) -> None:
    make.plan_rule(("phq9",), rule="every_nth_session", every_n=2)
    past = datetime(2026, 11, 1, 15, 0, tzinfo=UTC)
    make.appointment(client_en, starts_at=past, status="completed")  # session 1
    make.appointment(client_en, starts_at=past + timedelta(days=7), status="cancelled")
    make.appointment(client_en, starts_at=past + timedelta(days=14), status="no_show")
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)  # session 2: not due
    tick(app)
    assert check_ins(app) == []
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY + timedelta(hours=6))  # session 3
    tick(app)
    assert len(check_ins(app)) == 1


def test_team_plan_beats_practice_and_a_clients_own_plan_beats_both(app, make, clinician_a) -> None:
    team = make.team()
    make.plan_rule(("phq9",))
    make.plan_rule(("gad7",), scope="team", team=team)
    in_team = make.client(clinician_a, team_id=team.id)
    own = make.client(clinician_a, team_id=team.id)
    make.plan_rule(("pcl5",), scope="client", client=own)
    plain = make.client(clinician_a)
    for client in (in_team, own, plain):
        make.appointment(client, starts_at=TOMORROW_10AM_NY)
    tick(app)
    codes = {c.client_id: [a.instrument_code for a in c.assignments] for c in check_ins(app)}
    assert codes == {in_team.id: ["gad7"], own.id: ["pcl5"], plain.id: ["phq9"]}


def test_every_n_weeks_opens_on_its_due_date_once(app, clock: FrozenClock, make, client_en) -> None:
    from datetime import date

    make.plan_rule(("phq9",), rule="every_n_weeks", every_n=2, start_date=date(2026, 11, 23))
    tick(app)
    [check_in] = check_ins(app)
    assert check_in.plan_key.endswith(":2026-11-23") and check_in.appointment_id is None
    assert check_in.closes_at - check_in.opens_at == timedelta(days=3)
    tick(app)
    clock.advance(days=7)
    tick(app)
    assert len(check_ins(app)) == 1
    clock.advance(days=7)
    tick(app)
    assert len(check_ins(app)) == 2


def test_discharge_sends_one_check_in(app, make, client_en) -> None:
    make.plan_rule(("phq9", "satisfaction"), rule="discharge")
    tick(app)
    assert check_ins(app) == []
    with app.app_context():
        from mbc.clients.models import Client

        stored = db.session.get(Client, client_en.id)
        stored.status, stored.discharged_at = "discharged", datetime(2026, 11, 23, 16, tzinfo=UTC)
        db.session.commit()
    tick(app)
    tick(app)
    [check_in] = check_ins(app)
    assert [a.instrument_code for a in check_in.assignments] == ["phq9", "satisfaction"]
    assert len(sent(app)) == 1


def test_sessions_beyond_the_horizon_wait(app, make, client_en, practice_plan) -> None:
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY + timedelta(days=3))
    tick(app)
    assert check_ins(app) == []


def test_dev_outbox_rows_exist_only_for_sent_messages(app, booked) -> None:
    tick(app)
    from tests.delivery.helpers import rows

    assert [e.message_id for e in rows(app, DevOutboxEntry)] == [messages(app)[0].id]
