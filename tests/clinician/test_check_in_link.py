"""A clinician hands a client a check-in in the room: a link to copy and a QR code."""

from __future__ import annotations

import re

from sqlalchemy import select

from mbc.assessments.models import CheckIn
from mbc.extensions import db
from tests.factories import PASSWORD
from tests.helpers import signin, submit, text_of


def test_clinician_creates_a_link_with_a_qr_code(app, make, clinician_a, client_en) -> None:
    web = signin(app.test_client(), clinician_a.email, PASSWORD)
    url = f"/clients/{client_en.id}/check-in-link"
    page = submit(web, url, {"instruments": ["phq9", "gad7"]}, form_url=f"/clients/{client_en.id}")
    html = text_of(page)
    assert page.status_code == 200 and "<svg" in html and "QR code for the check-in link" in html
    link = re.search(r'id="link" value="([^"]+)"', html).group(1)
    assert link.startswith("https://mbc.test/s/")
    assert app.test_client().get(link.removeprefix("https://mbc.test")).status_code == 200
    with app.app_context():
        check_in = db.session.scalar(select(CheckIn))
        assert check_in.channel == "in_person" and check_in.created_by_id == clinician_a.id
        assert [a.instrument_code for a in check_in.assignments] == ["phq9", "gad7"]


def test_licensed_instruments_are_not_offered(app, clinician_a, client_en) -> None:
    web = signin(app.test_client(), clinician_a.email, PASSWORD)
    page = text_of(web.get(f"/clients/{client_en.id}"))
    assert 'value="phq9"' in page and 'value="ors"' not in page
    refused = submit(
        web,
        f"/clients/{client_en.id}/check-in-link",
        {"instruments": ["ors"]},
        form_url=f"/clients/{client_en.id}",
    )
    assert refused.status_code == 302
    assert "Choose from the questionnaires listed." in text_of(web.get(f"/clients/{client_en.id}"))


def test_another_clinicians_client_is_not_found(app, clinician_b, client_en) -> None:
    web = signin(app.test_client(), clinician_b.email, PASSWORD)
    page = submit(
        web, f"/clients/{client_en.id}/check-in-link", {"instruments": ["phq9"]}, form_url="/home"
    )
    assert page.status_code == 404
    with app.app_context():
        assert db.session.scalar(select(CheckIn)) is None
