"""What a kiosk page weighs and what it leaves behind."""

from __future__ import annotations

import gzip

from sqlalchemy import select

from mbc.clients.models import Client
from mbc.clients.removal import remove_client
from mbc.extensions import db
from mbc.kiosk.models import KioskCode, KioskVisit
from tests.kiosk.helpers import code_of, enrolled_kiosk, enter_code, session_check_in


def test_a_kiosk_questionnaire_page_is_one_light_request(app, make, admin, client_en) -> None:
    check_in = session_check_in(app, make, client_en, instruments=("phq9",))
    kiosk = enrolled_kiosk(app, admin.email)
    enter_code(kiosk, code_of(app, check_in))
    packed = kiosk.get("/kiosk/step/1", headers={"Accept-Encoding": "gzip"})
    html = gzip.decompress(packed.get_data()).decode()
    assert packed.headers["Content-Encoding"] == "gzip"
    assert len(packed.get_data()) <= 14 * 1024
    assert '<link rel="stylesheet"' not in html and "src=" not in html  # nothing else to fetch


def test_after_a_reset_the_browser_holds_only_the_device_cookie_and_a_csrf_secret(
    app, make, admin, client_en
) -> None:
    check_in = session_check_in(app, make, client_en)
    kiosk = enrolled_kiosk(app, admin.email)
    enter_code(kiosk, code_of(app, check_in))
    kiosk.get("/kiosk/step/1")
    kiosk.get("/kiosk/reset", follow_redirects=True)
    names = {cookie.key for cookie in kiosk._cookies.values()}
    assert names <= {"mbc_kiosk", "mbc_session"}
    session = kiosk.get_cookie("mbc_session")
    if session is not None:  # the start page's form: its CSRF secret, nothing of the client
        value = app.session_interface.get_signing_serializer(app).loads(session.value)
        assert set(value) <= {"csrf_token", "_fresh"}  # _fresh: Flask-Login's flag


def test_removing_a_client_for_good_removes_their_kiosk_visits_and_codes(
    app, make, admin, client_en
) -> None:
    check_in = session_check_in(app, make, client_en)
    kiosk = enrolled_kiosk(app, admin.email)
    enter_code(kiosk, code_of(app, check_in))
    with app.app_context():
        remove_client(db.session.get(Client, client_en.id), None)
        db.session.commit()
        assert db.session.scalars(select(KioskVisit)).all() == []
        assert db.session.scalars(select(KioskCode)).all() == []
