"""Who may see what: every route, as anonymous, clinician A, clinician B and an admin.

A new route fails ``test_every_route_is_in_the_matrix`` until its expectations are written here.
"""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from mbc.assessments.models import Alert
from mbc.auth.access import visible_clients
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.clock import utcnow
from mbc.extensions import db
from tests.factories import PASSWORD, Factory
from tests.helpers import signin, submit, text_of

ANON, A, B, ADMIN = "anonymous", "clinician_a", "clinician_b", "admin"
SIGNIN = 302  # anonymous visitors are sent to the sign-in page

# endpoint -> (url template, {who: expected GET status})
MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "index": ("/", {ANON: 302, A: 302, B: 302, ADMIN: 302}),
    "static": ("/static/staff.css", {ANON: 200, A: 200, B: 200, ADMIN: 200}),
    "favicon": ("/favicon.ico", {ANON: 204, A: 204, B: 204, ADMIN: 204}),
    "health.healthz": ("/healthz", {ANON: 200, A: 200, B: 200, ADMIN: 200}),
    "auth.signin": ("/signin", {ANON: 200, A: 302, B: 302, ADMIN: 302}),
    "auth.signout": ("/signout", {ANON: 405, A: 405, B: 405, ADMIN: 405}),
    "auth.forgot_password": ("/password/forgot", {ANON: 200, A: 200, B: 200, ADMIN: 200}),
    "auth.reset_password": ("/password/reset/made-up", {ANON: 410, A: 410, B: 410, ADMIN: 410}),
    "auth.sessions_page": ("/account/sessions", {ANON: SIGNIN, A: 200, B: 200, ADMIN: 200}),
    "auth.end_other_sessions": (
        "/account/sessions/end-others",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "auth.signin_code": ("/signin/code", {ANON: 302, A: 302, B: 302, ADMIN: 302}),
    "auth.two_factor_page": ("/account/two-factor", {ANON: SIGNIN, A: 200, B: 200, ADMIN: 200}),
    "auth.two_factor_enrol": (
        "/account/two-factor/enrol",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "auth.two_factor_new_codes": (
        "/account/two-factor/recovery-codes",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "auth.two_factor_off": ("/account/two-factor/off", {ANON: 405, A: 405, B: 405, ADMIN: 405}),
    "clinician.home": ("/home", {ANON: SIGNIN, A: 200, B: 200, ADMIN: 200}),
    "clinician.client_detail": ("/clients/{client}", {ANON: SIGNIN, A: 200, B: 404, ADMIN: 200}),
    "clinician.caseload_page": ("/caseload", {ANON: SIGNIN, A: 200, B: 200, ADMIN: 200}),
    "clinician.client_print": (
        "/clients/{client}/print",
        {ANON: SIGNIN, A: 200, B: 404, ADMIN: 200},
    ),
    "alerts.detail": ("/alerts/{alert}", {ANON: SIGNIN, A: 200, B: 404, ADMIN: 200}),
    "alerts.acknowledge": (
        "/alerts/{alert}/acknowledge",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "alerts.resolve": ("/alerts/{alert}/resolve", {ANON: 405, A: 405, B: 405, ADMIN: 405}),
    "clinician.check_in_link": (
        "/clients/{client}/check-in-link",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "clinician.plan_rule_add": (
        "/clients/{client}/plan/rules",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "clinician.plan_rule_remove": (
        "/clients/{client}/plan/rules/1/delete",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "clinician.plan_use_default": (
        "/clients/{client}/plan/default",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "clinician.plan_pause": (
        "/clients/{client}/plan/pause",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "clinician.plan_resume": (
        "/clients/{client}/plan/resume",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "clinician.send_now": ("/clients/{client}/send-now", {ANON: 405, A: 405, B: 405, ADMIN: 405}),
    "admin.overview": ("/admin/", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.clients": ("/admin/clients", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.client_new": ("/admin/clients/new", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.client_remove": (
        "/admin/clients/{client}/remove",
        {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200},
    ),
    "admin.client_removed": ("/admin/clients/removed", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.client_edit": (
        "/admin/clients/{client}/edit",
        {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200},
    ),
    "admin.appointment_new": (
        "/admin/clients/{client}/appointments/new",
        {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200},
    ),
    "admin.appointment_edit": (
        "/admin/appointments/{appointment}/edit",
        {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200},
    ),
    "admin.import_appointments": ("/admin/import", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.import_template": (
        "/admin/import/template.csv",
        {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200},
    ),
    "admin.plans_page": ("/admin/plans", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.plan_rule_add": ("/admin/plans/rules", {ANON: 405, A: 405, B: 405, ADMIN: 405}),
    "admin.plan_rule_remove": (
        "/admin/plans/rules/1/delete",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "admin.messages_page": ("/admin/messages", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.audit_log": ("/admin/audit", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.practice_settings": ("/admin/settings", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.staff_page": ("/admin/settings/staff", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.staff_new": ("/admin/settings/staff/new", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.staff_edit": (
        "/admin/settings/staff/{staff}",
        {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200},
    ),
    "admin.staff_password_link": (
        "/admin/settings/staff/{staff}/password-link",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "admin.staff_signout_everywhere": (
        "/admin/settings/staff/{staff}/sign-out-everywhere",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "admin.staff_two_factor_reset": (
        "/admin/settings/staff/{staff}/two-factor-reset",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "admin.staff_supervisees": (
        "/admin/settings/staff/{staff}/supervisees",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "supervision.supervisees_page": (
        "/supervision",
        {ANON: SIGNIN, A: 200, B: 200, ADMIN: 200},
    ),
    "supervision.review_page": (
        "/supervision/{staff}",
        {ANON: SIGNIN, A: 404, B: 404, ADMIN: 200},
    ),
    "supervision.my_outcomes": ("/me/outcomes", {ANON: SIGNIN, A: 200, B: 200, ADMIN: 200}),
    "supervision.my_goals": ("/me/goals", {ANON: SIGNIN, A: 200, B: 200, ADMIN: 200}),
    "supervision.goal_add": (
        "/supervision/{staff}/goals",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "supervision.goal_page": ("/goals/1", {ANON: SIGNIN, A: 404, B: 404, ADMIN: 404}),
    "supervision.goal_note": ("/goals/1/notes", {ANON: 405, A: 405, B: 405, ADMIN: 405}),
    "supervision.goal_update": ("/goals/1/update", {ANON: 405, A: 405, B: 405, ADMIN: 405}),
    "admin.staff_employment": (
        "/admin/settings/staff/{staff}/employment",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "admin.staff_time_off_add": (
        "/admin/settings/staff/{staff}/time-off",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "admin.staff_time_off_delete": (
        "/admin/settings/staff/{staff}/time-off/1/delete",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "admin.time_off_import_page": (
        "/admin/settings/time-off/import",
        {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200},
    ),
    "admin.teams_page": ("/admin/settings/teams", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.team_add": ("/admin/settings/teams", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.team_rename": (
        "/admin/settings/teams/1/rename",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "admin.team_delete": (
        "/admin/settings/teams/1/delete",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "admin.instruments_page": (
        "/admin/settings/instruments",
        {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200},
    ),
    "admin.instrument_version": (
        "/admin/settings/instruments/ors/versions/1",
        {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200},
    ),
    "admin.licence_record": (
        "/admin/settings/instruments/ors/licence",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "admin.licence_withdraw": (
        "/admin/settings/instruments/ors/licence/withdraw",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "reports.index": ("/admin/reports/", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 302}),
    "reports.report": ("/admin/reports/outcomes", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "reports.report_csv": (
        "/admin/reports/completion.csv",
        {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200},
    ),
    "reports.goals_page": ("/admin/reports/goals", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "reports.goal_delete": (
        "/admin/reports/goals/1/delete",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    # Check-in pages: whoever holds the link, signed in or not; the link is the key.
    "survey.start": ("/s/{token}", {ANON: 200, A: 200, B: 200, ADMIN: 200}),
    "survey.step": ("/s/{token}/1", {ANON: 200, A: 200, B: 200, ADMIN: 200}),
    "survey.support": ("/s/{token}/support", {ANON: 200, A: 200, B: 200, ADMIN: 200}),
    "survey.done": ("/s/{token}/done", {ANON: 302, A: 302, B: 302, ADMIN: 302}),
    "survey.language": ("/s/{token}/language", {ANON: 405, A: 405, B: 405, ADMIN: 405}),
    # A client's own progress (mbc.progress): from a finished check-in (this one is not: to its
    # start) or a signed progress link (a made-up one is not found).
    "survey.progress": ("/s/{token}/progress", {ANON: 302, A: 302, B: 302, ADMIN: 302}),
    "progress.from_link": ("/p/made-up", {ANON: 404, A: 404, B: 404, ADMIN: 404}),
    "clinician.client_view": (
        "/clients/{client}/client-view",
        {ANON: SIGNIN, A: 200, B: 404, ADMIN: 200},
    ),
    "clinician.progress_sharing": (
        "/clients/{client}/progress-sharing",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "clinician.progress_link_send": (
        "/clients/{client}/progress-link",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    # Email unsubscribe: the signed token is the key (a made-up one is not found).
    # Kiosk pages: only an enrolled device's browser (none here) gets past the first check.
    "kiosk.start": ("/kiosk/", {ANON: 403, A: 403, B: 403, ADMIN: 403}),
    "kiosk.intro": ("/kiosk/check-in", {ANON: 403, A: 403, B: 403, ADMIN: 403}),
    "kiosk.step": ("/kiosk/step/1", {ANON: 403, A: 403, B: 403, ADMIN: 403}),
    "kiosk.support": ("/kiosk/support", {ANON: 403, A: 403, B: 403, ADMIN: 403}),
    "kiosk.done": ("/kiosk/done", {ANON: 403, A: 403, B: 403, ADMIN: 403}),
    "kiosk.reset": ("/kiosk/reset", {ANON: 403, A: 403, B: 403, ADMIN: 403}),
    "kiosk.language": ("/kiosk/language", {ANON: 405, A: 405, B: 405, ADMIN: 405}),
    "kiosk_staff.kiosks_page": ("/admin/kiosks", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "kiosk_staff.kiosk_enrol": ("/admin/kiosks", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "kiosk_staff.kiosk_revoke": (
        "/admin/kiosks/1/revoke",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "kiosk_staff.code_sms": (
        "/check-ins/999999/kiosk-sms",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "kiosk_staff.code_card": (
        "/check-ins/999999/kiosk-card",
        {ANON: SIGNIN, A: 404, B: 404, ADMIN: 404},
    ),
    "unsubscribe.confirm": ("/u/made-up", {ANON: 404, A: 404, B: 404, ADMIN: 404}),
    "unsubscribe.unsubscribe": ("/u/made-up", {ANON: 404, A: 404, B: 404, ADMIN: 404}),
    # Twilio webhooks: POST only, signed by Twilio.
    "twilio_hooks.status": ("/hooks/twilio/status", {ANON: 405, A: 405, B: 405, ADMIN: 405}),
    "twilio_hooks.inbound": ("/hooks/twilio/inbound", {ANON: 405, A: 405, B: 405, ADMIN: 405}),
    # The staff wellbeing pulse: the signed link is the key; results for staff, schedule admins.
    "pulse.answer": ("/w/made-up-token", {ANON: 404, A: 404, B: 404, ADMIN: 404}),
    "pulse.answer_post": ("/w/made-up-token", {ANON: 404, A: 404, B: 404, ADMIN: 404}),
    "wellbeing.results_page": ("/wellbeing/", {ANON: SIGNIN, A: 200, B: 200, ADMIN: 200}),
    "wellbeing.window_page": ("/wellbeing/windows/999", {ANON: SIGNIN, A: 404, B: 404, ADMIN: 404}),
    "wellbeing.admin_schedule": ("/wellbeing/schedule", {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200}),
    "admin.api_clients_page": (
        "/admin/settings/api-clients",
        {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200},
    ),
    "admin.api_client_add": (
        "/admin/settings/api-clients",
        {ANON: SIGNIN, A: 403, B: 403, ADMIN: 200},
    ),
    "admin.api_client_revoke": (
        "/admin/settings/api-clients/1/revoke",
        {ANON: 405, A: 405, B: 405, ADMIN: 405},
    ),
    "clinician.client_record_fhir": (
        "/clients/{client}/record.fhir.json",
        {ANON: SIGNIN, A: 200, B: 404, ADMIN: 200},
    ),
    "clinician.client_record_csv": (
        "/clients/{client}/record.csv",
        {ANON: SIGNIN, A: 200, B: 404, ADMIN: 200},
    ),
    # The FHIR API: a bearer token only; a staff session opens nothing there (401).
    "fhir.metadata": ("/fhir/metadata", {ANON: 200, A: 200, B: 200, ADMIN: 200}),
    "fhir.questionnaire_read": (
        "/fhir/Questionnaire/phq9-1",
        {ANON: 401, A: 401, B: 401, ADMIN: 401},
    ),
    "fhir.questionnaire_response_search": (
        "/fhir/QuestionnaireResponse?patient={client}",
        {ANON: 401, A: 401, B: 401, ADMIN: 401},
    ),
    "fhir.observation_search": (
        "/fhir/Observation?patient={client}",
        {ANON: 401, A: 401, B: 401, ADMIN: 401},
    ),
    "fhir.patient_search": ("/fhir/Patient?identifier=x", {ANON: 401, A: 401, B: 401, ADMIN: 401}),
    "fhir.appointment_update": ("/fhir/Appointment", {ANON: 405, A: 405, B: 405, ADMIN: 405}),
    # Development only (absent in production, see tests/delivery/test_dev_outbox.py).
    "dev_outbox.outbox": ("/dev/outbox", {ANON: 302, A: 403, B: 403, ADMIN: 200}),
}


@pytest.fixture
def world(
    app: Flask, make: Factory, admin: StaffUser, clinician_a: StaffUser, clinician_b: StaffUser
) -> dict:
    client = make.client(clinician_a, first_name="Visible", last_name="ToA")
    appointment = make.appointment(client)
    _, token = make.check_in(client)
    with app.app_context():
        alert = Alert(client_id=client.id, kind="not_on_track", status="open", created_at=utcnow())
        db.session.add(alert)
        db.session.commit()
        alert_id = alert.id
    users = {A: clinician_a, B: clinician_b, ADMIN: admin}

    def browser(who: str) -> FlaskClient:
        """A test client signed in as ``who`` (anonymous: not signed in)."""
        web = app.test_client()
        return web if who == ANON else signin(web, users[who].email, PASSWORD)

    return {
        "client": client.id,
        "appointment": appointment.id,
        "token": token,
        "alert": alert_id,
        "staff": clinician_b.id,
        "browser": browser,
    }


def test_every_route_is_in_the_matrix(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(MATRIX), "add the new route's expectations to MATRIX"


@pytest.mark.parametrize("who", [ANON, A, B, ADMIN])
def test_get_status_by_role(world: dict, who: str) -> None:
    """Every route, as ``who``: one signed-in browser asks for each in turn (a GET changes
    nothing another GET's answer depends on), and every mismatch is reported at once."""
    browser = world["browser"](who)
    wrong = []
    for endpoint, (template, expected) in sorted(MATRIX.items()):
        url = template.format(
            client=world["client"],
            appointment=world["appointment"],
            token=world["token"],
            alert=world["alert"],
            staff=world["staff"],
        )
        response = browser.get(url)
        response.close()  # static files are streamed from an open file
        if response.status_code != expected[who]:
            wrong.append(f"{endpoint}: GET {url} gave {response.status_code}, not {expected[who]}")
        elif (
            who == ANON
            and expected[who] == SIGNIN
            and endpoint not in ("index", "survey.done", "survey.progress")
            and not response.headers["Location"].startswith("/signin")
        ):
            wrong.append(f"{endpoint}: GET {url} sent an anonymous visitor elsewhere")
    assert not wrong, "\n".join(wrong)


def test_clinician_lists_only_own_and_care_team_clients(
    app: Flask, make: Factory, clinician_a: StaffUser, clinician_b: StaffUser, admin: StaffUser
) -> None:
    own = make.client(clinician_a, last_name="Own")
    shared = make.client(clinician_b, last_name="Shared", care_team=(clinician_a,))
    other = make.client(clinician_b, last_name="Other")
    with app.app_context():

        def ids(user: StaffUser) -> set[int]:
            return set(db.session.scalars(visible_clients(user).with_only_columns(Client.id)))

        a = db.session.get(StaffUser, clinician_a.id)
        b = db.session.get(StaffUser, clinician_b.id)
        boss = db.session.get(StaffUser, admin.id)
        assert ids(a) == {own.id, shared.id}
        assert ids(b) == {shared.id, other.id}
        assert ids(boss) == {own.id, shared.id, other.id}
    page = text_of(signin(app.test_client(), clinician_a.email, PASSWORD).get("/caseload"))
    assert "Own" in page and "Shared" in page and "Other" not in page


def test_care_team_member_opens_the_shared_client(
    app: Flask, make: Factory, clinician_a: StaffUser, clinician_b: StaffUser
) -> None:
    shared = make.client(clinician_b, care_team=(clinician_a,))
    web = signin(app.test_client(), clinician_a.email, PASSWORD)
    assert web.get(f"/clients/{shared.id}").status_code == 200


def test_clinician_cannot_post_to_admin_forms(world: dict) -> None:
    web = world["browser"](A)
    for url in ("/admin/clients/new", f"/admin/clients/{world['client']}/edit", "/admin/import"):
        response = submit(web, url, {"client_ref": "X"}, form_url="/home")
        assert response.status_code == 403, url


def test_missing_client_and_forbidden_client_look_the_same(world: dict, app: Flask) -> None:
    web = world["browser"](B)
    forbidden = web.get(f"/clients/{world['client']}")
    missing = web.get("/clients/999999")
    assert forbidden.status_code == missing.status_code == 404
    assert text_of(forbidden) == text_of(missing)
    with app.app_context():
        assert db.session.scalar(select(Client.id).where(Client.id == world["client"]))
