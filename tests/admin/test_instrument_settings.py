"""Admin settings, instruments: every version can be read; ORS and SRS stay off until the
practice's licence (holder, reference, date) is recorded, and go off again when it is withdrawn."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from mbc.assessments.models import Assignment
from mbc.audit.models import AuditEvent
from mbc.extensions import db
from mbc.practice.models import InstrumentLicence
from tests.delivery.helpers import tick
from tests.helpers import submit, text_of

URL = "/admin/settings/instruments"
LICENCE = {
    "holder": "Riverside Counseling LLC",
    "reference": "MyOutcomes 2026-114",
    "licensed_on": "2026-11-01",
}
TOMORROW_10AM_NY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def record(as_admin, code: str = "ors", form: dict = LICENCE):
    return submit(as_admin, f"{URL}/{code}/licence", form, form_url=URL, follow_redirects=True)


def test_the_page_lists_every_instrument_with_its_versions_and_credit(as_admin) -> None:
    page = text_of(as_admin.get(URL))
    for title in ("PHQ-9", "GAD-7", "PCL-5", "ORS", "SRS", "WHO-5", "BRCS"):
        assert title in page
    assert page.count("Off until a licence is recorded") == 3  # ORS, SRS, BRCS
    assert page.count("No licence statement was found") == 1  # BRCS
    assert "WHO-5 © Psychiatric Research Unit, Mental Health Centre North Zealand." in page
    assert "© 2000, Scott D. Miller and Barry L. Duncan" in page
    assert f'href="{URL}/phq9/versions/1"' in page


def test_a_version_shows_its_wording_scoring_and_sources(as_admin) -> None:
    page = text_of(as_admin.get(f"{URL}/phq9/versions/1"))
    assert "Thoughts that you would be better off dead" in page
    assert "reliable change" in page
    spanish = text_of(as_admin.get(f"{URL}/phq9/versions/1?lang=es"))
    assert "Ningún día" in spanish
    assert as_admin.get(f"{URL}/phq9/versions/99").status_code == 404


def test_recording_a_licence_switches_the_instrument_on(app, as_admin) -> None:
    assert "Licence recorded" in text_of(record(as_admin))
    with app.app_context():
        licence = db.session.get(InstrumentLicence, "ors")
        assert (licence.holder, licence.reference, licence.licensed_on) == (
            "Riverside Counseling LLC",
            "MyOutcomes 2026-114",
            date(2026, 11, 1),
        )
        assert (
            db.session.scalar(
                select(AuditEvent.target).where(AuditEvent.action == "instrument.licence_recorded")
            )
            == "ors"
        )
    page = text_of(as_admin.get(URL))
    assert page.count("Off until a licence is recorded") == 2
    assert "Licence held by Riverside Counseling LLC, reference MyOutcomes 2026-114" in page
    # Now it can be planned like any other questionnaire.
    form = {"practice-rule": "every_session", "practice-instruments": ["ors"]}
    response = submit(as_admin, "/admin/plans/rules", form, form_url="/admin/plans")
    assert response.status_code == 302
    assert "Plan updated." in text_of(as_admin.get("/admin/plans"))


def test_brcs_is_off_until_an_admin_records_permission(app, as_admin) -> None:
    assert 'value="brcs"' not in as_admin.get("/admin/plans").get_data(as_text=True)
    permission = {"holder": "Riverside Counseling LLC", "reference": "Email from the authors"}
    assert "Licence recorded" in text_of(record(as_admin, "brcs", permission))
    with app.app_context():
        assert db.session.get(InstrumentLicence, "brcs").reference == "Email from the authors"
    form = {"practice-rule": "every_session", "practice-instruments": ["brcs"]}
    submit(as_admin, "/admin/plans/rules", form, form_url="/admin/plans")
    assert "Plan updated." in text_of(as_admin.get("/admin/plans"))


def test_a_licence_needs_a_holder_and_a_reference(app, as_admin) -> None:
    response = record(as_admin, form={"holder": "", "reference": "x"})
    assert "Give the licence holder" in text_of(response)
    with app.app_context():
        assert db.session.get(InstrumentLicence, "ors") is None


def test_free_instruments_take_no_licence(as_admin) -> None:
    response = submit(as_admin, f"{URL}/phq9/licence", LICENCE, form_url=URL)
    assert response.status_code == 404


def test_withdrawing_keeps_sent_check_ins_but_plans_no_new_ones(
    app, as_admin, make, client_en
) -> None:
    record(as_admin)
    make.plan_rule(("phq9", "ors"), rule="every_session")
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    _, token = make.check_in(client_en, ("ors",))  # an ad-hoc one, sent while licensed
    response = submit(as_admin, f"{URL}/ors/licence/withdraw", {}, form_url=URL)
    assert response.status_code == 302
    tick(app)
    with app.app_context():
        planned = db.session.scalars(
            select(Assignment.instrument_code).where(Assignment.appointment_id.is_not(None))
        ).all()
    assert planned == ["phq9"]  # the plan still names ORS; the scheduler leaves it out
    assert app.test_client().get(f"/s/{token}").status_code == 200
    assert "Off until a licence is recorded" in text_of(as_admin.get(URL))
