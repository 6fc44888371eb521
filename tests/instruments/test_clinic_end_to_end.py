"""End to end: a practice drops its own definition into MBC_INSTRUMENTS_DIR and restarts; the
admin plans it, the scheduler assigns it, the client answers, the score is stored and a critical
answer shows the crisis page and raises the urgent alert, exactly as PHQ-9 item 9 does. A link
to a questionnaire the process has not loaded gives the client a clear page and staff an alert."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from mbc import create_app
from mbc.alerts.services import URGENT_KINDS
from mbc.assessments.links import new_link
from mbc.assessments.models import Alert, Assignment, CheckIn, CheckInLink, Response
from mbc.clock import utcnow
from mbc.delivery.models import Message
from mbc.extensions import db
from mbc.instruments import registry
from tests.delivery.helpers import tick
from tests.factories import PASSWORD
from tests.helpers import signin, submit, text_of
from tests.instruments.clinic.helpers import drop
from tests.survey.helpers import answer, phq9

TOMORROW_10AM_NY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
ANSWERS = {"rwc_worry": "2", "rwc_sleep": "2", "rwc_coping": "0", "rwc_harm": "3"}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "instruments"


@pytest.fixture
def app_config(folder: Path) -> dict:
    folder.mkdir()
    return {"INSTRUMENTS_DIR": str(folder)}


@pytest.fixture
def restart(app, database_url, clock, app_config) -> Iterator:
    """Start the app again (what a restart of the web and scheduler processes does)."""
    started = []

    def again():
        started.append(
            create_app(
                {
                    "ENV": "testing",
                    "DATABASE_URL": database_url,
                    "SECRET_KEY": "test-secret-key",
                    "BASE_URL": "https://mbc.test",
                    "CLOCK": clock,
                    **app_config,
                }
            )
        )
        return started[-1]

    yield again
    for other in started:
        other.extensions["mbc.db"].dispose()
    registry.configure(None)


def link_to(app, check_in_id: int) -> str:
    with app.app_context():
        check_in = db.session.get(CheckIn, check_in_id)
        token, row = new_link(check_in, message_id=None, now=utcnow())
        db.session.add(CheckInLink(**row))
        db.session.commit()
        return token


def test_a_dropped_in_instrument_works_after_a_restart(
    app, restart, folder, make, admin, client_en
) -> None:
    assert not registry.has("clinic_mood")  # the running process has not seen it
    drop(folder)
    app = restart()
    assert registry.problems() == [] and registry.has("clinic_mood")

    as_admin = signin(app.test_client(), admin.email, PASSWORD)
    form = {"practice-rule": "every_session", "practice-instruments": ["clinic_mood"]}
    submit(as_admin, "/admin/plans/rules", form, form_url="/admin/plans")
    assert "Plan updated." in text_of(as_admin.get("/admin/plans"))
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)  # the scheduler plans the check-in for the session
    with app.app_context():
        assignment = db.session.scalars(select(Assignment)).one()
        assert (assignment.instrument_code, assignment.instrument_version) == ("clinic_mood", "1")
        check_in_id = assignment.check_in_id
        check_in = db.session.get(CheckIn, check_in_id)
        check_in.opens_at = utcnow()  # open it now rather than waiting for the invitation
        db.session.commit()

    web = app.test_client()
    token = link_to(app, check_in_id)
    page = web.get(f"/s/{token}/1").get_data(as_text=True)
    assert "have you thought about harming yourself?" in page and "Very much" in page
    sent = answer(web, token, 1, ANSWERS)
    assert sent.status_code == 302 and sent.location.endswith(f"/s/{token}/support")
    assert "If you need help now" in web.get(sent.location).get_data(as_text=True)

    with app.app_context():
        response = db.session.scalars(select(Response)).one()
        # 2 + 2 + (3 - 0) + 3: the reverse-scored answer 0 counts 3
        assert (response.total, response.severity, response.is_valid) == (10, "high", True)
        assert response.answers["rwc_coping"] == 0  # stored as answered
        assert response.subscales == {"distress": 4}
        assert "critical_item" in response.flags
        kinds = set(db.session.scalars(select(Alert.kind)))
        assert "critical_item" in kinds and "critical_item" in URGENT_KINDS
        notices = db.session.scalars(select(Message.kind).where(Message.kind == "alert")).all()
        assert notices  # the clinician is told at once, as for PHQ-9 item 9
        alert_id = db.session.scalar(select(Alert.id).where(Alert.kind == "critical_item"))
    clinician = signin(app.test_client(), "a@example.org", PASSWORD)
    detail = text_of(clinician.get(f"/alerts/{alert_id}"))
    assert "have you thought about harming yourself?" in detail
    assert "was given an answer its definition marks critical" in detail
    assert "Very much (3)" in detail
    # named for its own instrument, not as PHQ-9's self-harm question, wherever it is listed
    for page in (detail, text_of(clinician.get("/home")), text_of(clinician.get("/caseload"))):
        assert "Critical answer on" in page and "Thoughts of self-harm endorsed" not in page


def test_a_link_to_an_unloaded_instrument_gets_a_clear_page_and_a_staff_alert(
    app, restart, folder, make, client_en, as_clinician
) -> None:
    drop(folder)
    app = restart()
    _, answered = make.check_in(client_en, ("clinic_mood",))
    answer(app.test_client(), answered, 1, {**ANSWERS, "rwc_harm": "0"})
    _, token = make.check_in(client_en, ("clinic_mood",))
    (folder / "clinic_mood" / "1.toml").unlink()  # the practice removed it, then restarted
    app = restart()
    assert not registry.has("clinic_mood")
    web = app.test_client()
    for url in (f"/s/{token}", f"/s/{token}/1"):
        response = web.get(url)
        assert response.status_code == 200
        text = text_of(response)
        assert "This check-in cannot be opened right now" in text
        assert "Your clinician has been told" in text
    with app.app_context():
        alerts = db.session.scalars(select(Alert)).all()
        assert [(a.kind, a.instrument_code) for a in alerts] == [
            ("instrument_unavailable", "clinic_mood")
        ]  # one, however often the client tries
    clinician = signin(app.test_client(), "a@example.org", PASSWORD)
    page = text_of(clinician.get(f"/clients/{client_en.id}"))
    assert clinician.get("/home").status_code == 200
    assert "Check-in could not be opened" in page  # and the page works without its words
    assert "Riverside weekly check" not in page
    detail = text_of(clinician.get(f"/alerts/{alerts[0].id}"))
    assert "questionnaire this installation has not loaded" in detail


def test_admins_see_the_practices_own_and_refused_definitions(
    app, restart, folder, as_admin
) -> None:
    drop(folder)
    (folder / "draft").mkdir()
    (folder / "draft" / "1.toml").write_text('code = "draft"\n')
    app = restart()
    from tests.helpers import signin as sign

    admin_web = sign(app.test_client(), "admin@example.org", PASSWORD)
    page = text_of(admin_web.get("/admin/settings/instruments"))
    assert "Riverside weekly check (RWC)" in page
    assert "The practice's own definition, loaded from its instruments folder." in page
    assert "The practice's definitions that were refused" in page
    assert "draft/1.toml: not released" in page
    out = app.test_cli_runner().invoke(args=["instruments", "list"]).output
    assert "the practice's own:" in out and "Refused, not loaded" in out


def test_the_scheduler_leaves_out_an_instrument_no_longer_loaded(
    app, restart, folder, make, client_en
) -> None:
    drop(folder)
    app = restart()
    make.plan_rule(("phq9", "clinic_mood"), rule="every_session")
    (folder / "clinic_mood" / "1.toml").unlink()
    app = restart()
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    with app.app_context():
        planned = db.session.scalars(select(Assignment.instrument_code)).all()
    assert planned == ["phq9"]


def test_an_unscored_questionnaire_is_answered_and_shown_without_a_score(
    app, restart, folder, make, client_en, as_clinician
) -> None:
    from tests.instruments.clinic.helpers import CLINIC_MOOD

    unscored = CLINIC_MOOD[: CLINIC_MOOD.index("[scoring]")] + '[scoring]\nmethod = "none"\n'
    drop(folder, unscored)
    app = restart()
    _, token = make.check_in(client_en, ("clinic_mood",))
    sent = answer(app.test_client(), token, 1, {**ANSWERS, "rwc_harm": "0", "rwc_note": "ok"})
    assert sent.status_code == 302 and sent.location.endswith("/done")
    with app.app_context():
        response = db.session.scalars(select(Response)).one()
        assert (response.is_valid, response.total, response.answers["rwc_note"]) == (
            True,
            None,
            "ok",
        )
    clinician = signin(app.test_client(), "a@example.org", PASSWORD)
    page = clinician.get(f"/clients/{client_en.id}")
    assert page.status_code == 200
    text = text_of(page)
    assert "Riverside weekly check (RWC)" in text and "Very much" not in text
    assert "Quite a lot (2)" in text  # the latest answers, in words
    assert "could not be scored" not in text
    assert clinician.get("/home").status_code == 200


def test_answers_to_an_instrument_no_longer_loaded_leave_every_page_and_export_working(
    app, restart, folder, make, client_en, clinician_a
) -> None:
    """README: an instrument the process has not loaded is never a server error. A client who
    answered a practice's questionnaire, whose file is then removed: the client view, the
    record downloads, the client's own progress page and the FHIR export leave it out."""
    from mbc.fhir.records import client_record, context

    drop(folder)
    app = restart()
    make.plan_rule(("phq9", "clinic_mood"), rule="every_session")
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    with app.app_context():
        check_in = db.session.scalars(select(CheckIn)).one()
        check_in.opens_at = utcnow()
        db.session.commit()
        check_in_id = check_in.id
    web = app.test_client()
    token = link_to(app, check_in_id)
    answer(web, token, 1, phq9())
    answer(web, token, 2, ANSWERS)
    (folder / "clinic_mood" / "1.toml").unlink()
    app = restart()
    assert not registry.has("clinic_mood")
    clinician = signin(app.test_client(), clinician_a.email, PASSWORD)
    for url in (
        f"/clients/{client_en.id}",
        f"/clients/{client_en.id}/client-view",
        f"/clients/{client_en.id}/client-view?copy=1",
        f"/clients/{client_en.id}/record.fhir.json",
        f"/clients/{client_en.id}/record.csv",
    ):
        assert clinician.get(url).status_code == 200, url
    with app.test_request_context():
        responses = db.session.scalars(select(Response)).all()
        assert {r.instrument_code for r in responses} == {"phq9", "clinic_mood"}
        client = db.session.get(type(client_en), client_en.id)
        bundle = client_record(client, context())
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") == 1  # PHQ-9's; clinic_mood's is left out
