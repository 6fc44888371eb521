"""Alerts close the loop: the clinician is told at once, acknowledges with a note, and an alert
nobody acknowledges in time goes to the designated admins, with each step recorded."""

from __future__ import annotations

import re

from sqlalchemy import select

from mbc.assessments.models import Alert
from mbc.audit.models import AuditEvent
from mbc.auth.models import StaffUser
from mbc.delivery.models import Message
from mbc.extensions import db
from tests.delivery.helpers import messages, sent, tick
from tests.factories import PASSWORD
from tests.helpers import signin, submit, text_of
from tests.survey.helpers import alerts, answer, phq9


def endorse_item9(make, web, client) -> Alert:
    _, link = make.check_in(client, ("phq9",))
    answer(web, link, 1, phq9(item9=2))
    [alert] = [a for a in alerts(make.app) if a.kind == "critical_item"]
    return alert


def set_phone(app, user: StaffUser, phone: str) -> None:
    with app.app_context():
        db.session.get(StaffUser, user.id).phone = phone
        db.session.commit()


def test_a_critical_item_tells_the_clinician_at_once_without_health_details(
    app, web, make, client_en, clinician_a
) -> None:
    set_phone(app, clinician_a, "+14155550111")
    alert = endorse_item9(make, web, client_en)
    queued = messages(app, Message.alert_id == alert.id)
    assert sorted((m.channel, m.recipient) for m in queued) == [
        ("email", clinician_a.email),
        ("sms", "+14155550111"),
    ]
    tick(app)
    bodies = [entry.body for entry in sent(app) if entry.message_id in {m.id for m in queued}]
    assert len(bodies) == 2
    for body in bodies:
        assert f"https://mbc.test/alerts/{alert.id}" in body
        for private in (client_en.first_name, client_en.last_name, "PHQ", "item 9", "suicid"):
            assert private.lower() not in body.lower()
    assert {m.status for m in messages(app, Message.alert_id == alert.id)} == {"sent"}


def test_acknowledging_needs_a_note_and_records_who_and_when(
    app, web, make, client_en, clinician_a, as_clinician, clock
) -> None:
    alert = endorse_item9(make, web, client_en)
    url = f"/alerts/{alert.id}"
    refused = submit(as_clinician, f"{url}/acknowledge", {"note": "  "}, form_url=url)
    assert "Write a short note" in text_of(as_clinician.get(refused.headers["Location"]))
    assert alerts(app)[0].status == "open"
    done = submit(as_clinician, f"{url}/acknowledge", {"note": "Called, safe."}, form_url=url)
    page = text_of(as_clinician.get(done.headers["Location"]))
    assert "Alert acknowledged." in page and "Called, safe." in page
    [stored] = alerts(app)
    assert (stored.status, stored.acknowledged_by_id, stored.acknowledged_at) == (
        "acknowledged",
        clinician_a.id,
        clock(),
    )
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"alert.view", "alert.acknowledged"} <= actions
    assert "open alert" not in text_of(as_clinician.get("/home"))


def test_acknowledging_twice_says_someone_already_did(
    app, web, make, client_en, clinician_a, as_clinician
) -> None:
    alert = endorse_item9(make, web, client_en)
    url = f"/alerts/{alert.id}"
    submit(as_clinician, f"{url}/acknowledge", {"note": "Seen."}, form_url=url)
    other = signin(app.test_client(), clinician_a.email, PASSWORD)
    # a second tab that still shows the acknowledge form
    token_page = other.get("/home")
    assert token_page.status_code == 200
    again = submit(other, f"{url}/resolve", {"note": "Resolved in session."}, form_url=url)
    assert again.status_code == 302
    assert alerts(app)[0].status == "resolved"
    late = submit(other, f"{url}/acknowledge", {"note": "Also seen."}, form_url="/home")
    assert "already done that" in text_of(other.get(late.headers["Location"]))


def test_another_clinician_cannot_open_or_acknowledge_the_alert(
    app, web, make, client_en, clinician_b
) -> None:
    alert = endorse_item9(make, web, client_en)
    other = signin(app.test_client(), clinician_b.email, PASSWORD)
    assert other.get(f"/alerts/{alert.id}").status_code == 404
    response = submit(other, f"/alerts/{alert.id}/acknowledge", {"note": "x"}, form_url="/home")
    assert response.status_code == 404
    assert alerts(app)[0].status == "open"


def test_an_unacknowledged_critical_alert_escalates_after_an_hour_in_office_hours(
    app, web, make, client_en, admin, clock
) -> None:
    designated = make.user(role="admin", name="On call")
    with app.app_context():
        db.session.get(StaffUser, designated.id).receives_escalations = True
        db.session.commit()
    alert = endorse_item9(make, web, client_en)  # Monday 12:00 in New York: office hours
    clock.advance(minutes=59)
    tick(app)
    assert alerts(app)[0].escalated_at is None
    clock.advance(minutes=1)
    tick(app)
    [stored] = alerts(app)
    assert stored.escalated_at == clock()
    escalations = [
        m for m in messages(app, Message.alert_id == alert.id) if ":escalate:" in m.dedupe_key
    ]
    assert [(m.recipient, m.status) for m in escalations] == [(designated.email, "sent")]
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "alert.escalated")
        ).all()
    assert event.target == f"alert:{alert.id}" and event.detail["designated"] is True
    tick(app)  # escalates once
    assert len([m for m in messages(app) if ":escalate:" in m.dedupe_key]) == 1


def test_without_designated_admins_every_admin_is_told(
    app, web, make, client_en, admin, clock
) -> None:
    second = make.user(role="admin")
    alert = endorse_item9(make, web, client_en)
    clock.advance(minutes=60)
    tick(app)
    recipients = {
        m.recipient
        for m in messages(app, Message.alert_id == alert.id)
        if ":escalate:" in m.dedupe_key
    }
    assert recipients == {admin.email, second.email}


def test_an_alert_raised_at_night_escalates_when_the_office_opens(
    app, web, make, client_en, admin, clock
) -> None:
    clock.advance(hours=10)  # Monday 22:00 in New York
    endorse_item9(make, web, client_en)
    clock.advance(hours=9, minutes=59)  # Tuesday 07:59
    tick(app)
    assert alerts(app)[0].escalated_at is None
    clock.advance(minutes=1)  # 08:00: the office opens
    tick(app)
    assert alerts(app)[0].escalated_at == clock()


def test_an_acknowledged_alert_does_not_escalate_or_notify(
    app, web, make, client_en, admin, as_clinician, clock
) -> None:
    alert = endorse_item9(make, web, client_en)
    url = f"/alerts/{alert.id}"
    submit(as_clinician, f"{url}/acknowledge", {"note": "Seen at once."}, form_url=url)
    clock.advance(hours=3)
    tick(app)
    queued = messages(app, Message.alert_id == alert.id)
    assert alerts(app)[0].escalated_at is None
    assert {(m.status, m.skip_reason) for m in queued} == {("skipped", "alert_acknowledged")}


def test_reliable_deterioration_raises_one_alert_with_its_figures(
    app, web, make, client_en
) -> None:
    _, first = make.check_in(client_en, ("gad7",))
    answer(web, first, 1, {f"gad7_{n}": "2" for n in range(1, 8)})  # 14: clinical range
    _, second = make.check_in(client_en, ("gad7",))
    answer(web, second, 1, {f"gad7_{n}": "3" for n in range(1, 8)})  # 21: +7, reliable (4)
    _, third = make.check_in(client_en, ("gad7",))
    answer(web, third, 1, {f"gad7_{n}": "3" for n in range(1, 8)})  # still worse: no new alert
    found = [a for a in alerts(app) if a.kind == "reliable_deterioration"]
    assert len(found) == 1
    assert found[0].instrument_code == "gad7"
    assert found[0].detail == {
        "baseline": "14.0",
        "latest": "21",
        "reason": "reliable_deterioration",
        "measurements": 2,
    }


def test_the_client_page_lists_who_was_told_of_the_alert_and_whether_it_arrived(
    app, web, make, client_en, clinician_a, admin, clock
) -> None:
    other = make.client(clinician_a, first_name="Other")
    for client in (other, client_en):
        _, link = make.check_in(client, ("phq9",))
        answer(web, link, 1, phq9(item9=2))
    clock.advance(minutes=60)
    tick(app)  # notices sent, then escalated to every admin
    tick(app)
    staff = signin(app.test_client(), clinician_a.email, PASSWORD)

    rows_ = messages_table(text_of(staff.get(f"/clients/{client_en.id}")))

    assert [r for r in rows_ if r[0].startswith("Alert")] == [
        ["Alert escalated to " + admin.name, "email", "Sent"],
        ["Alert notice to Clinician A", "email", "Sent"],
    ]
    other_page = text_of(staff.get(f"/clients/{other.id}"))
    assert len([r for r in messages_table(other_page) if r[0].startswith("Alert")]) == 2


def messages_table(html: str) -> list[list[str]]:
    """The Messages table's rows as [message, channel, status] (when and why left out)."""
    section = html.split(">Messages</h2>", 1)[1].split("</table>", 1)[0]
    found = []
    for row in section.split("<tr>")[2:]:
        cells = [
            re.sub(r"<[^>]+>", "", cell.split("</td>")[0]).strip() for cell in row.split("<td>")[1:]
        ]
        found.append(cells[1:4])
    return found
