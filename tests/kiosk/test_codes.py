"""Check-in codes: six digits, one check-in, its session's day only, kept as keyed hashes."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.extensions import db
from mbc.kiosk import codes
from mbc.kiosk.models import KioskCode, KioskVisit
from tests.helpers import text_of
from tests.kiosk.helpers import (
    TODAY_SESSION,
    code_of,
    enrolled_kiosk,
    enter_code,
    session_check_in,
)


def test_the_front_desk_sees_todays_code_beside_the_session(
    app, make, admin, as_admin, client_en
) -> None:
    check_in = session_check_in(app, make, client_en)
    tomorrow = session_check_in(app, make, client_en, starts_at=TODAY_SESSION + timedelta(days=1))
    code = code_of(app, check_in)
    page = text_of(as_admin.get("/home"))
    assert f"{code[:3]} {code[3:]}" in page
    assert f"/check-ins/{check_in.id}/kiosk-card" in page
    assert f"/check-ins/{tomorrow.id}/kiosk-card" not in page  # only today's sessions


def test_the_clinician_sees_the_code_of_their_own_session(
    app, make, as_clinician, client_en
) -> None:
    check_in = session_check_in(app, make, client_en)
    code = code_of(app, check_in)
    assert f"{code[:3]} {code[3:]}" in text_of(as_clinician.get("/home"))


def test_the_code_is_not_stored_in_clear(app, make, client_en) -> None:
    check_in = session_check_in(app, make, client_en)
    code = code_of(app, check_in)
    with app.app_context():
        row = db.session.scalar(select(KioskCode))
        assert row.day == date(2026, 11, 23)
        assert code not in row.code_hash and row.code_hash == codes.code_hash(row.day, code)
    app.config["SECRET_KEY"] = "another-secret-key"  # without the key, the hash tells nothing
    with app.app_context():
        assert codes.code_hash(row.day, code) != row.code_hash


def test_a_collision_moves_the_later_check_in_to_another_code(
    app, make, client_en, client_es, monkeypatch
) -> None:
    first = session_check_in(app, make, client_en)
    second = session_check_in(app, make, client_es)
    real = codes.derive

    def colliding(check_in_id: int, day, variant: int) -> str:
        return "123456" if variant == 0 else real(check_in_id, day, variant)

    monkeypatch.setattr(codes, "derive", colliding)
    assert code_of(app, first) == "123456"
    other = code_of(app, second)
    assert other != "123456"
    with app.app_context():
        assert (
            db.session.scalar(select(KioskCode.variant).where(KioskCode.check_in_id == second.id))
            == 1
        )
        assert codes.find("123456", TODAY_SESSION).id == first.id
        assert codes.find(other, TODAY_SESSION).id == second.id


def test_the_right_code_on_an_enrolled_kiosk_opens_that_clients_check_in(
    app, make, admin, client_en
) -> None:
    check_in = session_check_in(app, make, client_en)
    kiosk = enrolled_kiosk(app, admin.email)
    response = enter_code(kiosk, code_of(app, check_in))
    assert response.status_code == 302 and response.location.endswith("/kiosk/check-in")
    page = text_of(kiosk.get("/kiosk/check-in"))
    assert "A short check-in before your session" in page and "Zelda" not in page
    with app.app_context():
        visit = db.session.scalar(select(KioskVisit))
        assert visit.check_in_id == check_in.id and visit.ended_at is None
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "kiosk.check_in"))
        assert event.client_id == client_en.id


def test_spaces_in_the_typed_code_are_ignored(app, make, admin, client_en) -> None:
    check_in = session_check_in(app, make, client_en)
    kiosk = enrolled_kiosk(app, admin.email)
    code = code_of(app, check_in)
    assert enter_code(kiosk, f"{code[:3]} {code[3:]}").status_code == 302


def test_the_code_works_only_on_its_sessions_day(app, make, admin, client_en, clock) -> None:
    check_in = session_check_in(app, make, client_en, starts_at=TODAY_SESSION + timedelta(days=1))
    code = code_of(app, check_in)  # tomorrow's code, typed today
    kiosk = enrolled_kiosk(app, admin.email)
    page = enter_code(kiosk, code)
    assert page.status_code == 401 and "did not work" in text_of(page)
    clock.advance(days=1)
    assert enter_code(kiosk, code).status_code == 302


def test_the_code_does_not_work_outside_a_kiosk(app, make, web, client_en) -> None:
    check_in = session_check_in(app, make, client_en)
    page = enter_code_without_device(web, code_of(app, check_in))
    assert page.status_code == 403 and "not set up as a kiosk" in text_of(page)


def enter_code_without_device(web, code: str):
    return web.post("/kiosk/", data={"code": code})


def test_a_completed_check_in_says_so(app, make, admin, client_en) -> None:
    check_in = session_check_in(app, make, client_en)
    code = code_of(app, check_in)
    with app.app_context():
        from mbc.assessments.models import CheckIn

        db.session.get(CheckIn, check_in.id).status = "completed"
        db.session.commit()
    kiosk = enrolled_kiosk(app, admin.email)
    page = enter_code(kiosk, code)
    assert page.status_code == 200 and "already been answered" in text_of(page)


def test_a_malformed_code_is_explained_and_not_counted(app, admin) -> None:
    kiosk = enrolled_kiosk(app, admin.email)
    for _ in range(8):
        page = enter_code(kiosk, "12a")
        assert page.status_code == 400 and "has 6 digits" in text_of(page)


def test_wrong_codes_are_throttled_per_device(app, make, admin, client_en, clock) -> None:
    check_in = session_check_in(app, make, client_en)
    right = code_of(app, check_in)
    wrong = "000000" if right != "000000" else "111111"
    kiosk = enrolled_kiosk(app, admin.email, name="Tablet 1")
    other = enrolled_kiosk(app, admin.email, name="Tablet 2")
    for _ in range(app.config["KIOSK_MAX_BAD_CODES"] - 1):
        assert enter_code(kiosk, wrong).status_code == 401
    page = enter_code(kiosk, wrong)  # the last free try: the wait starts
    assert page.status_code == 429 and "Please wait 1 second," in text_of(page)
    refused = enter_code(kiosk, right)  # even the right code waits
    assert refused.status_code == 429
    assert enter_code(other, right).status_code == 302  # another device is not slowed
    clock.advance(seconds=2)
    assert enter_code(kiosk, right).status_code == 302


def test_the_appointment_card_has_the_code_and_nothing_about_health(
    app, make, as_admin, client_en, clinician_b
) -> None:
    check_in = session_check_in(app, make, client_en)
    code = code_of(app, check_in)
    card = as_admin.get(f"/check-ins/{check_in.id}/kiosk-card")
    html = text_of(card)
    assert card.status_code == 200 and f"{code[:3]} {code[3:]}" in html
    assert "2:00" in html and "Zelda" not in html and "PHQ" not in html
    from tests.factories import PASSWORD
    from tests.helpers import signin

    other = signin(app.test_client(), clinician_b.email, PASSWORD)
    assert other.get(f"/check-ins/{check_in.id}/kiosk-card").status_code == 404


def test_the_card_is_in_the_clients_language(app, make, as_admin, client_es) -> None:
    check_in = session_check_in(app, make, client_es)
    html = text_of(as_admin.get(f"/check-ins/{check_in.id}/kiosk-card"))
    assert 'lang="es"' in html


def test_a_session_moved_to_another_day_takes_its_code_with_it(app, make, admin, client_en) -> None:
    from mbc.assessments.models import CheckIn

    check_in = session_check_in(app, make, client_en)
    old = code_of(app, check_in)
    with app.app_context():  # the planner moves a check-in with its session
        db.session.get(CheckIn, check_in.id).session_starts_at = TODAY_SESSION + timedelta(days=1)
        db.session.commit()
    kiosk = enrolled_kiosk(app, admin.email)
    assert enter_code(kiosk, old).status_code == 401
    with app.app_context():
        new = code_of(app, check_in)
        assert db.session.scalar(select(KioskCode.day)) == date(2026, 11, 24)
    assert codes.is_code(new)


def test_a_days_codes_are_made_in_the_same_few_statements_for_3_or_30_sessions(
    app, make, clinician_a
) -> None:
    from sqlalchemy import event

    from mbc.assessments.models import CheckIn
    from mbc.practice.services import get_practice

    def statements(n: int) -> int:
        made = [
            session_check_in(app, make, make.client(clinician_a), starts_at=TODAY_SESSION)
            for _ in range(n)
        ]
        with app.app_context():
            check_ins = [db.session.get(CheckIn, c.id) for c in made]
            practice = get_practice()  # noqa: F841 - made and held before counting
            seen: list[str] = []
            engine = db.engine
            listener = lambda *args: seen.append(args[2])  # noqa: E731
            event.listen(engine, "before_cursor_execute", listener)
            try:
                found = codes.codes_for(check_ins)
            finally:
                event.remove(engine, "before_cursor_execute", listener)
            db.session.commit()
        assert len(set(found.values())) == n
        return len(seen)

    few = statements(3)
    many = statements(30)
    assert few == many
