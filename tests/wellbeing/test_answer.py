"""The staff member's pulse page: one light request in their language, an answer stored once
and anonymously, their own results shown straight after, and a clear page for every refusal."""

from __future__ import annotations

import gzip

from mbc.wellbeing.models import PulseAnswer, PulseParticipation, PulseResponse
from tests.delivery.helpers import rows
from tests.wellbeing.conftest import open_window

WHO5_ALL_3 = {f"who5_{n}": "3" for n in range(1, 6)}  # raw 15 -> 60 %: not-poor


def csrf_of(page) -> str:
    return page.get_data(as_text=True).split('name="csrf_token" value="')[1].split('"')[0]


def post(web, link: str, answers: dict[str, str]):
    page = web.get(link)
    return web.post(link, data={**answers, "csrf_token": csrf_of(page)})


def test_the_page_is_one_small_request_with_no_script(app, admin, staff, scheduled, web) -> None:
    link = open_window(app)["north0@example.org"]
    page = web.get(link, headers={"Accept-Encoding": "gzip"})
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
    assert len(page.data) <= 14 * 1024
    html = gzip.decompress(page.data).decode()
    assert "<script" not in html and 'rel="stylesheet"' not in html and "<img" not in html
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["Cache-Control"] == "no-store"
    for item in ("who5_1", "cbi_work_7", "pulse_balance", "pulse_comment"):
        assert f'name="{item}"' in html
    assert "Do you have enough energy for family and friends during leisure time?" in html


def test_spanish_staff_get_spanish_with_english_where_no_translation(
    app, admin, make, scheduled, web
) -> None:
    make.user(email="sol@example.org", language="es")
    link = open_window(app)["sol@example.org"]
    html = web.get(link).get_data(as_text=True)
    assert '<html lang="es">' in html and "Mi número de casos es manejable" in html
    assert 'lang="en"' in html and "I have felt cheerful and in good spirits" in html
    english = web.get(link + "?lang=en").get_data(as_text=True)
    assert "My caseload is manageable" in english


def test_an_answer_is_stored_once_without_the_person_and_shown_back(
    app, admin, staff, scheduled, web
) -> None:
    link = open_window(app)["north0@example.org"]
    answers = {
        **WHO5_ALL_3,
        "cbi_work_1": "100",
        "cbi_work_2": "50",
        "cbi_work_3": "50",
        "cbi_work_4": "0",
        "pulse_caseload": "2",
        "pulse_comment": "More admin time",
    }
    csrf = csrf_of(web.get(link))
    done = web.post(link, data={**answers, "csrf_token": csrf})
    text = done.get_data(as_text=True)
    assert done.status_code == 200 and "Score: 60" in text and "Not poor" in text
    assert "Score: 50.0" in text and "High" in text  # CBI 200/4 = 50.0
    assert "My caseload is manageable: <strong>Disagree</strong>" in text
    [response] = rows(app, PulseResponse)
    assert response.who5_score == 60 and response.who5_band == "not-poor"
    assert str(response.cbi_score) == "50.0" and response.cbi_band == "high"
    assert response.comment == "More admin time" and response.team_id == staff["teams"][0].id
    assert len(rows(app, PulseAnswer)) == 10
    assert [p.has_answered for p in rows(app, PulseParticipation) if p.has_answered] == [True]
    # The same link again: a clear page, nothing more stored.
    again = web.get(link).get_data(as_text=True)
    assert "You have already answered this pulse" in again
    repost = web.post(link, data={**answers, "csrf_token": csrf})  # a double submit
    assert "You have already answered this pulse" in repost.get_data(as_text=True)
    assert len(rows(app, PulseResponse)) == 1


def test_a_team_smaller_than_the_minimum_is_never_stored(app, admin, staff, scheduled, web) -> None:
    link = open_window(app)["tiny0@example.org"]  # Tiny: 3 invited, minimum 5
    post(web, link, {"pulse_support": "4"})
    [response] = rows(app, PulseResponse)
    assert response.team_id is None


def test_bad_answers_save_nothing_and_say_so(app, admin, staff, scheduled, web) -> None:
    link = open_window(app)["north0@example.org"]
    off_scale = post(web, link, {"who5_1": "6", "pulse_caseload": "4"})
    assert off_scale.status_code == 400
    body = off_scale.get_data(as_text=True)
    assert "was not one of the choices" in body and 'value="4" checked' in body
    empty = post(web, link, {})
    assert empty.status_code == 400 and "Answer at least one question" in empty.get_data(
        as_text=True
    )
    unknown = post(web, link, {"phq9_9": "3"})
    assert unknown.status_code == 400
    assert rows(app, PulseResponse) == []
    assert not any(p.has_answered for p in rows(app, PulseParticipation))


def test_a_tampered_or_made_up_link_gets_a_clear_page(app, admin, staff, scheduled, web) -> None:
    link = open_window(app)["north0@example.org"]
    tampered = web.get(link[:-3] + ("aaa" if not link.endswith("aaa") else "bbb"))
    assert tampered.status_code == 404
    assert "This link does not work" in tampered.get_data(as_text=True)
    assert web.get("/w/nonsense").status_code == 404


def test_a_huge_post_is_refused_with_a_clear_page(app, admin, staff, scheduled, web) -> None:
    link = open_window(app)["north0@example.org"]
    page = web.get(link)
    huge = web.post(link, data={"csrf_token": csrf_of(page), "pulse_comment": "x" * 40_000})
    assert huge.status_code == 413 and "That was too much text" in huge.get_data(as_text=True)
    assert rows(app, PulseResponse) == []
