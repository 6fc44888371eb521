"""Link problems each get their own page, in the client's language, with the right status."""

from __future__ import annotations

from datetime import timedelta

from mbc.assessments.links import make_token, new_nonce
from mbc.assessments.models import CheckIn
from mbc.extensions import db
from tests.helpers import text_of


def test_tampered_link_is_not_valid(web, client_en, make) -> None:
    _, link = make.check_in(client_en)
    tampered = link[:-3] + ("AAA" if not link.endswith("AAA") else "BBB")
    page = web.get(f"/s/{tampered}")
    assert page.status_code == 404 and "This link isn't valid" in text_of(page)
    assert page.headers["Cache-Control"] == "no-store"


def test_a_well_signed_link_with_the_wrong_nonce_is_not_valid(app, web, client_en, make) -> None:
    check_in, _ = make.check_in(client_en)
    with app.test_request_context():
        forged = make_token(check_in.id, new_nonce())
    assert web.get(f"/s/{forged}").status_code == 404


def test_made_up_links_show_the_practice_contact(app, web) -> None:
    from mbc.practice.services import get_practice

    with app.app_context():
        practice = get_practice()
        practice.name, practice.contact_phone = "Harbor Therapy", "+1 415 555 0100"
        db.session.commit()
    page = text_of(web.get("/s/nonsense"))
    assert "Harbor Therapy" in page and 'href="tel:+14155550100"' in page


def test_expired_link_says_the_check_in_closed(web, client_en, make, clock) -> None:
    _, link = make.check_in(client_en)
    clock.advance(days=1, seconds=1)
    page = web.get(f"/s/{link}")
    assert page.status_code == 410 and "This check-in has closed" in text_of(page)


def test_revoked_link_says_the_check_in_closed(app, web, client_en, make) -> None:
    check_in, link = make.check_in(client_en)
    with app.app_context():
        db.session.get(CheckIn, check_in.id).status = "revoked"
        db.session.commit()
    assert web.get(f"/s/{link}/1").status_code == 410


def test_a_link_that_is_not_open_yet_says_so(web, client_en, make, clock) -> None:
    _, link = make.check_in(client_en, opens_at=clock() + timedelta(hours=2))
    page = web.get(f"/s/{link}")
    assert page.status_code == 403 and "not open yet" in text_of(page)


def test_posting_to_a_closed_check_in_stores_nothing(app, web, client_en, make, clock) -> None:
    from mbc.assessments.models import Response
    from tests.survey.helpers import count, page_token, phq9

    _, link = make.check_in(client_en)
    token = page_token(web, f"/s/{link}/1")
    clock.advance(days=2)
    before = count(app, Response)
    page = web.post(f"/s/{link}/1", data={"csrf_token": token, **phq9()})
    assert page.status_code == 410 and count(app, Response) == before


def test_closed_page_is_in_the_clients_language(web, client_es, make, clock) -> None:
    _, link = make.check_in(client_es)
    clock.advance(days=3)
    assert "Este cuestionario ya está cerrado" in text_of(web.get(f"/s/{link}"))


def test_many_bad_links_from_one_address_are_slowed_down(app, web, client_en, make) -> None:
    _, good = make.check_in(client_en)
    for n in range(app.config["MAX_INVALID_LINKS_PER_ADDRESS"]):
        web.get(f"/s/guess{n}", environ_base={"REMOTE_ADDR": "198.51.100.9"})
    slowed = web.get("/s/one-more-guess", environ_base={"REMOTE_ADDR": "198.51.100.9"})
    assert slowed.status_code == 429 and "Please wait a few minutes" in text_of(slowed)
    other = web.get("/s/one-more-guess", environ_base={"REMOTE_ADDR": "198.51.100.10"})
    assert other.status_code == 404
    # a real link still works from the slowed address (a clinic's shared connection)
    assert web.get(f"/s/{good}", environ_base={"REMOTE_ADDR": "198.51.100.9"}).status_code == 200


def test_link_fits_an_sms_with_a_typical_base_url(app, client_en, make) -> None:
    _, token = make.check_in(client_en)
    link = f"https://checkin.riverside-counseling.org/s/{token}"
    assert len(token) <= 60 and len(link) <= 100
    assert "Zelda" not in link and "phq9" not in link
