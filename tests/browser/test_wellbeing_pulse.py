"""The wellbeing pulse in Chromium: an admin schedules it, a member of staff answers on a phone
from the emailed link, and admins and clinicians read the results."""

from __future__ import annotations

import secrets
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from mbc.clock import utcnow
from mbc.extensions import db
from mbc.practice.models import Team
from mbc.wellbeing.models import PulseAnswer, PulseResponse, PulseWindow, PulseWindowTeam
from tests.browser.conftest import axe_violations
from tests.browser.journeys import journey, sign_in
from tests.delivery.helpers import tick
from tests.wellbeing.conftest import pulse_links

pytestmark = pytest.mark.browser


@journey("wellbeing.admin_schedule")
def test_admin_schedules_the_pulse(page, practice) -> None:
    sign_in(page, practice.url, practice.admin_email, practice.admin_password)
    page.get_by_role("link", name="Wellbeing", exact=True).click()
    page.get_by_role("link", name="Schedule the pulse").click()
    expect(page.get_by_role("heading", name="Schedule the wellbeing pulse")).to_be_visible()
    assert axe_violations(page) == []
    expect(page.get_by_label("Repeat every (months)")).to_have_value("1")
    expect(page.get_by_label("Window open for (days)")).to_have_value("10")
    page.get_by_label("First window opens on").fill("2026-12-01")
    page.get_by_label("Window open for (days)").fill("14")
    page.get_by_label("Reminder (days before it closes)").fill("4")
    page.get_by_role("button", name="Save the schedule").click()
    expect(page.get_by_text("Pulse schedule saved.")).to_be_visible()
    expect(
        page.get_by_text("from 2026-12-01, open 14 days, with a reminder 4 days")
    ).to_be_visible()


@journey("pulse.answer_post")
def test_staff_member_answers_on_a_phone(phone, live_server, app, make, admin) -> None:
    from tests.wellbeing.conftest import set_schedule

    make.user(email="sam@example.org", name="Sam")
    set_schedule(app, admin)
    tick(app)
    link = pulse_links(app)["sam@example.org"]
    page = phone.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(live_server + link)
    assert len(requests) == 1  # the page is one request: no stylesheet, script or image
    expect(page.get_by_role("heading", name="Staff wellbeing pulse")).to_be_visible()
    assert axe_violations(page) == []
    for n in range(1, 6):
        page.get_by_role(
            "group",
            name=[
                "I have felt cheerful and in good spirits",
                "I have felt calm and relaxed",
                "I have felt active and vigorous",
                "I woke up feeling fresh and rested",
                "My daily life has been filled with things that interest me",
            ][n - 1],
        ).get_by_label("Most of the time").check()
    page.get_by_role("group", name="Is your work emotionally exhausting?").get_by_label(
        "Somewhat"
    ).check()
    for statement in (
        "Do you feel burnt out because of your work?",
        "Does your work frustrate you?",
    ):
        page.get_by_role("group", name=statement).get_by_label("To a low degree").check()
    page.get_by_role(
        "group", name="Do you feel worn out at the end of the working day?"
    ).get_by_label("Often", exact=True).check()
    page.get_by_role("group", name="My caseload is manageable").get_by_label(
        "Agree", exact=True
    ).check()
    page.get_by_label("Anything else you would like to say? (optional)").fill("Thanks for asking")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you: your answers are in")).to_be_visible()
    expect(page.get_by_text("Score: 80 (Not poor)")).to_be_visible()  # 5 x 4 = 20 -> 80 %
    expect(page.get_by_text("Score: 43.8 (Not high)")).to_be_visible()  # (50+25+25+75) / 4
    assert axe_violations(page) == []
    page.goto(live_server + link)
    expect(page.get_by_role("heading", name="You have already answered this pulse")).to_be_visible()


def _history(app) -> int:
    """Three closed windows of a 30-person practice (two teams of 12 and 9, 9 in small teams
    or none), made once in the practice database; the newest window's id."""
    with app.app_context():
        found = db.session.scalar(select(PulseWindow.id).order_by(PulseWindow.opens_on.desc()))
        if found:
            return int(found)
        teams = db.session.scalars(select(Team).order_by(Team.name)).all()
        now = utcnow()
        newest = 0
        for k, months_ago in enumerate((3, 2, 1)):
            opens_at = now - timedelta(days=30 * months_ago)
            window = PulseWindow(
                opens_on=date(2026, 8 + k, 1),
                opens_at=opens_at,
                closes_at=opens_at + timedelta(days=10),
                reminder_at=opens_at + timedelta(days=7),
                closed_at=opens_at + timedelta(days=10),
                invited=30,
                answered=22,
                min_group_size=5,
            )
            db.session.add(window)
            db.session.flush()
            for team, n in zip(teams, (12, 9), strict=False):
                db.session.add(PulseWindowTeam(window_id=window.id, team_id=team.id, invited=n))
            for i in range(22):
                team_id = teams[0].id if i < 10 else teams[1].id if i < 17 else None
                who5 = 40 + 4 * ((i + k) % 10)
                response = PulseResponse(
                    id=secrets.token_hex(16),
                    window_id=window.id,
                    team_id=team_id,
                    who5_version="1",
                    who5_score=who5,
                    who5_band="not-poor" if who5 >= 52 else "poor",
                    cbi_version="1",
                    cbi_score=25 + 5 * (i % 8),
                    cbi_band="high" if 25 + 5 * (i % 8) >= 50 else "not-high",
                    pulse_version="1",
                    comment="More time for notes" if i == 3 else None,
                )
                db.session.add(response)
                db.session.flush()
                db.session.add(
                    PulseAnswer(
                        response_id=response.id,
                        item_id="pulse_caseload",
                        window_id=window.id,
                        value=1 + i % 5,
                    )
                )
            newest = window.id
        db.session.commit()
        return newest


def test_admin_and_clinician_read_the_results(page, browser, practice) -> None:
    _history(practice.app)
    sign_in(page, practice.url, practice.admin_email, practice.admin_password)
    page.get_by_role("link", name="Wellbeing", exact=True).click()
    expect(page.get_by_role("table", name="Every window, newest first")).to_be_visible()
    expect(page.get_by_role("img", name="WHO-5 mean (blue, higher is better)")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="2026-10-01").click()
    expect(page.get_by_text("22 of 30 staff answered (73 %).")).to_be_visible()
    expect(page.get_by_role("heading", name="By team")).to_be_visible()
    expect(page.get_by_text("Wording can identify the person who wrote it.")).to_be_visible()
    expect(page.get_by_text("More time for notes")).to_be_visible()
    assert axe_violations(page) == []
    context = browser.new_context(locale="en-US")
    clinician = context.new_page()
    sign_in(clinician, practice.url, practice.clinician_email, practice.clinician_password)
    clinician.get_by_role("link", name="Wellbeing", exact=True).click()
    clinician.get_by_role("link", name="2026-10-01").click()
    expect(clinician.get_by_role("heading", name="WHO-5 wellbeing")).to_be_visible()
    expect(clinician.get_by_role("heading", name="By team")).to_have_count(0)
    expect(clinician.get_by_text("More time for notes")).to_have_count(0)
    context.close()
