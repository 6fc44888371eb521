"""The satisfaction survey asks clients about their clinician: by default the clinician never
sees one client's answers (client page, print view, pre-session view, caseload), only means over
their own clients' surveys once there are ``min_group_size`` of them; the practice setting shows
each client's answers to their clinicians instead; the survey page tells the client which."""

from __future__ import annotations

from mbc.extensions import db
from mbc.practice.services import get_practice
from tests.factories import PASSWORD
from tests.helpers import signin, text_of
from tests.survey.helpers import answer, page_token

SUMMARY = '<strong>How are we doing?</strong> <span class="score'  # the pre-session view
LISTED = 'How are we doing? <span class="score'  # the caseload
STATEMENTS = ("heard", "priorities", "trust", "scheduling", "recommend", "overall")


def satisfaction(value: int, comment: str = "") -> dict[str, str]:
    answers = {f"satisfaction_{s}": str(value) for s in STATEMENTS}
    answers["satisfaction_comment"] = comment
    return answers


def survey(web, make, client, value: int = 2, comment: str = "My clinician was late.") -> None:
    _, link = make.check_in(client, ("satisfaction",))
    assert answer(web, link, 1, satisfaction(value, comment)).status_code == 302


def set_visible(app, on: bool) -> None:
    with app.app_context():
        get_practice().satisfaction_visible_to_clinician = on
        db.session.commit()


def clinician_pages(web, client_id: int) -> str:
    return "".join(
        text_of(web.get(url))
        for url in (f"/clients/{client_id}", f"/clients/{client_id}/print", "/home", "/caseload")
    )


def test_by_default_no_clinician_page_shows_one_clients_answers(
    app, web, make, as_clinician, client_en
) -> None:
    make.appointment(client_en)  # tomorrow: the client is on the pre-session view
    survey(web, make, client_en)
    pages = clinician_pages(as_clinician, client_en.id)
    for private in ("I trust my clinician", "My clinician was late", SUMMARY, LISTED):
        assert private not in pages
    assert "Zelda" in text_of(as_clinician.get("/home"))
    page = text_of(as_clinician.get(f"/clients/{client_en.id}"))
    assert "This client has answered the satisfaction survey 1 time." in page
    assert "Too few surveys to show: 0 of your clients" in page  # this month is not counted


def test_means_over_own_clients_once_there_are_enough(
    app, web, make, clinician_a, clinician_b, client_en, clock
) -> None:
    mine = [make.client(clinician_a, last_name=f"Mine{n}") for n in range(4)]
    for n, client in enumerate(mine):
        survey(web, make, client, value=4 + n % 2)  # 4, 5, 4, 5
    survey(web, make, make.client(clinician_b, last_name="Theirs"), value=1)
    clock.advance(days=10)  # into December: November is a whole past month
    as_clinician = signin(app.test_client(), clinician_a.email, PASSWORD)
    page = text_of(as_clinician.get(f"/clients/{mine[0].id}"))
    assert "Too few surveys to show: 4 of your clients" in page  # fewer than 5; B's not counted
    survey(web, make, client_en, value=3)  # a fifth, in December: still not counted
    assert "Too few surveys to show: 4 of your" in text_of(
        as_clinician.get(f"/clients/{mine[0].id}")
    )
    clock.advance(days=31)  # January
    as_clinician = signin(app.test_client(), clinician_a.email, PASSWORD)
    page = text_of(as_clinician.get(f"/clients/{mine[0].id}"))
    assert "Your clients' surveys from 2026-01 to 2026-12 (5 surveys)" in page
    assert "<td>I trust my clinician.</td><td>4.2</td>" in page  # (4 + 5 + 4 + 5 + 3) / 5
    assert "My clinician was late" not in page  # comments never go to the clinician


def test_the_setting_shows_each_clients_answers_to_their_clinician(
    app, web, make, as_clinician, as_admin, client_en
) -> None:
    survey(web, make, client_en)
    set_visible(app, True)
    page = text_of(as_clinician.get(f"/clients/{client_en.id}"))
    assert "I trust my clinician." in page and "My clinician was late." in page
    make.appointment(client_en)
    assert SUMMARY in text_of(as_clinician.get("/home"))
    assert LISTED in text_of(as_clinician.get("/caseload"))
    assert "This client has answered the satisfaction survey" not in page
    # Admins follow satisfaction in the reports, never one named client's answers.
    assert "I trust my clinician" not in text_of(as_admin.get(f"/clients/{client_en.id}"))


def test_the_survey_page_says_who_reads_the_answers(app, web, make, client_en, client_es) -> None:
    _, link = make.check_in(client_en, ("satisfaction",))
    page = text_of(web.get(f"/s/{link}/1"))
    assert "your clinician does not see your answers to this survey" in page
    assert "only once there are at least 5 surveys" in page
    set_visible(app, True)
    page = text_of(web.get(f"/s/{link}/1"))
    assert "your clinician sees your answers to this survey, with your name" in page
    _, link = make.check_in(client_es, ("satisfaction",))
    assert "su terapeuta ve sus respuestas a esta encuesta" in text_of(web.get(f"/s/{link}/1"))
    _, link = make.check_in(client_en, ("phq9",))
    assert "Who reads your answers" not in text_of(web.get(f"/s/{link}/1"))
    page_token(web, f"/s/{link}/1")  # the other pages are unchanged
