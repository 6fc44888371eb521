"""The scheduler opens a pulse window once, emails every active member of staff a personal link,
reminds once those who have not answered, and at close deletes who was invited and answered."""

from __future__ import annotations

from sqlalchemy import select

from mbc.delivery.models import DevOutboxEntry, Message
from mbc.extensions import db
from mbc.wellbeing.models import PulseParticipation, PulseWindow, PulseWindowTeam
from tests.delivery.helpers import messages, rows, sent, tick
from tests.wellbeing.conftest import CLOSES_AT, REMINDER_AT, open_window

ANSWERS = {"who5_1": "3", "cbi_work_1": "50", "pulse_caseload": "4"}


def test_no_schedule_no_window(app, admin) -> None:
    tick(app)
    assert rows(app, PulseWindow) == [] and sent(app) == []


def test_a_pass_opens_the_window_once_and_emails_every_active_member_once(
    app, admin, staff, scheduled
) -> None:
    links = open_window(app)
    assert set(links) == {*staff["people"], "admin@example.org"}  # not the inactive account
    [window] = rows(app, PulseWindow)
    assert window.invited == 16 and window.closed_at is None
    assert {(t.team_id, t.invited) for t in rows(app, PulseWindowTeam)} == {
        (staff["teams"][0].id, 6),
        (staff["teams"][1].id, 6),
        (staff["teams"][2].id, 3),
    }
    email = next(e for e in sent(app) if e.recipient == "north0@example.org")
    assert email.subject and email.subject.endswith("staff wellbeing pulse is open")
    assert "https://mbc.test/w/" in email.body
    for word in ("WHO-5", "burnout", "depress", "score"):
        assert word.lower() not in email.body.lower()
    tick(app)
    tick(app)
    assert len(rows(app, PulseWindow)) == 1
    assert len(sent(app)) == 16 and len(messages(app)) == 16


def test_one_reminder_goes_only_to_those_who_have_not_answered(
    app, admin, staff, scheduled, web, clock
) -> None:
    links = open_window(app)
    for email in ("north0@example.org", "south1@example.org"):
        page = web.get(links[email])
        assert page.status_code == 200
        csrf = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
        assert web.post(links[email], data={**ANSWERS, "csrf_token": csrf}).status_code == 200
    clock.advance(seconds=(REMINDER_AT - clock()).total_seconds())
    tick(app)
    tick(app)
    reminders = messages(app, Message.kind == "pulse_reminder")
    assert len(reminders) == 14
    reminded = {m.recipient for m in reminders}
    assert "north0@example.org" not in reminded and "south1@example.org" not in reminded
    clock.advance(hours=30)
    tick(app)
    assert len(messages(app, Message.kind == "pulse_reminder")) == 14


def test_closing_keeps_counts_and_deletes_participation_and_the_pulse_emails(
    app, admin, staff, scheduled, web, clock
) -> None:
    links = open_window(app)
    page = web.get(links["north0@example.org"])
    csrf = page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]
    web.post(links["north0@example.org"], data={**ANSWERS, "csrf_token": csrf})
    clock.advance(seconds=(REMINDER_AT - clock()).total_seconds())
    tick(app)
    clock.advance(seconds=(CLOSES_AT - clock()).total_seconds())
    tick(app)
    [window] = rows(app, PulseWindow)
    assert window.closed_at == CLOSES_AT and window.invited == 16 and window.answered == 1
    assert rows(app, PulseParticipation) == []
    with app.app_context():
        assert db.session.scalars(select(Message.id)).all() == []
        assert db.session.scalars(select(DevOutboxEntry.id)).all() == []
    # The link now says the pulse has closed.
    assert "closed" in web.get(links["south0@example.org"]).get_data(as_text=True)


def test_the_next_month_opens_a_new_window(app, admin, staff, scheduled, clock) -> None:
    open_window(app)
    clock.advance(days=31)  # 24 Dec 2026: the December window opened on the 23rd
    tick(app)
    windows = rows(app, PulseWindow)
    assert [str(w.opens_on) for w in windows] == ["2026-11-23", "2026-12-23"]
    assert windows[0].closed_at is not None and windows[1].closed_at is None


def test_the_email_says_until_when_in_the_persons_language(app, admin, make, scheduled) -> None:
    make.user(email="sol@example.org", language="es")
    open_window(app)
    english = next(e for e in sent(app) if e.recipient == "admin@example.org")
    assert "open until Thu, Dec 3, 9:00\u202fAM" in english.body  # 09:00 in New York
    spanish = next(e for e in sent(app) if e.recipient == "sol@example.org")
    assert spanish.subject.startswith("El pulso de bienestar del personal")
    assert "está abierto hasta el jue, 3 dic, 9:00" in spanish.body


def test_a_member_switched_off_after_the_invitation_cannot_answer(
    app, admin, staff, scheduled, web
) -> None:
    links = open_window(app)
    with app.app_context():
        from mbc.auth.models import StaffUser

        db.session.get(StaffUser, staff["people"]["north0@example.org"].id).is_active = False
        db.session.commit()
    assert web.get(links["north0@example.org"]).status_code == 404


def test_a_stopped_schedule_opens_no_new_window(app, admin, staff, clock) -> None:
    from tests.wellbeing.conftest import set_schedule

    set_schedule(app, admin, is_active=False)
    tick(app)
    assert rows(app, PulseWindow) == [] and sent(app) == []
