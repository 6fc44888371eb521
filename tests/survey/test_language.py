"""The client's language by default, switchable and remembered for the check-in."""

from __future__ import annotations

from mbc.assessments.models import CheckIn
from mbc.extensions import db
from tests.helpers import text_of
from tests.survey.helpers import answer, gad7, page_token, phq9, responses


def test_a_spanish_speaking_client_gets_the_official_spanish_phq9(web, client_es, make) -> None:
    _, link = make.check_in(client_es)
    page = text_of(web.get(f"/s/{link}/1"))
    assert '<html lang="es">' in page
    assert "Poco interés o placer en hacer cosas" in page and "Más de la mitad de los días" in page
    assert "Enviar respuestas" not in page and "Siguiente" in page


def test_the_language_switch_is_remembered(app, web, client_es, make) -> None:
    check_in, link = make.check_in(client_es)
    token = page_token(web, f"/s/{link}/1")
    switched = web.post(
        f"/s/{link}/language", data={"csrf_token": token, "language": "en", "here": "1"}
    )
    assert switched.headers["Location"] == f"/s/{link}/1"
    assert "Little interest or pleasure in doing things" in text_of(
        app.test_client().get(f"/s/{link}/1")
    )
    with app.app_context():
        assert db.session.get(CheckIn, check_in.id).language == "en"


def test_a_questionnaire_without_spanish_is_given_in_english_and_recorded(
    app, web, client_es, make
) -> None:
    _, link = make.check_in(client_es, ("pcl5",))
    page = text_of(web.get(f"/s/{link}/1"))
    assert "Este cuestionario solo está disponible en inglés." in page
    assert "In the past month, how much were you bothered by:" in page
    answer(web, link, 1, {f"pcl5_{n}": "0" for n in range(1, 21)})
    assert responses(app)[0].language == "en"


def test_spanish_response_records_spanish(app, web, client_es, make) -> None:
    _, link = make.check_in(client_es, ("gad7",))
    answer(web, link, 1, {f"gad7_{n}": "0" for n in range(1, 8)})
    assert responses(app)[0].language == "es"


def test_switching_language_on_the_crisis_page_stays_on_the_crisis_page(
    app, web, client_en, make
) -> None:
    _, link = make.check_in(client_en)
    sent = answer(web, link, 1, phq9(item9=2))
    assert sent.headers["Location"] == f"/s/{link}/support"
    support = text_of(web.get(f"/s/{link}/support"))
    token = support.split('name="csrf_token" value="')[1].split('"')[0]
    assert 'name="here" value="support"' in support  # the form the page renders says where
    switched = web.post(
        f"/s/{link}/language", data={"csrf_token": token, "language": "es", "here": "support"}
    )
    assert switched.headers["Location"] == f"/s/{link}/support"
    page = text_of(web.get(f"/s/{link}/support"))
    assert "Si necesita ayuda ahora" in page and "988" in page


def test_switching_language_on_the_last_page_stays_there(app, web, client_en, make) -> None:
    _, link = make.check_in(client_en, ("gad7",))
    answer(web, link, 1, gad7())
    done = text_of(web.get(f"/s/{link}/done"))
    token = done.split('name="csrf_token" value="')[1].split('"')[0]
    switched = web.post(
        f"/s/{link}/language", data={"csrf_token": token, "language": "es", "here": "done"}
    )
    assert switched.headers["Location"] == f"/s/{link}/done"
