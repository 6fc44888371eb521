"""Saving a page while another tab of the same check-in saves too: what was loaded at the start
of a request may be out of date by the time it writes, and nothing may be lost or doubled."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from mbc.assessments import services
from mbc.assessments.models import Alert, CheckIn, Response
from mbc.clock import utcnow
from mbc.extensions import db
from tests.survey.helpers import gad7, phq9


def save(link: str, position: int, form: dict[str, str]) -> services.SaveResult:
    """One request's save, on a check-in loaded in this app context (its own session)."""
    check_in, _ = services.resolve_link(link)
    return save_loaded(check_in, position, form)


def save_loaded(check_in: CheckIn, position: int, form: dict[str, str]) -> services.SaveResult:
    assignment = check_in.assignments[position - 1]
    answers, invalid = services.parse_page(services.definition_of(assignment), form)
    assert invalid is None
    result = services.save_answers(check_in, assignment, answers, complete=True, now=utcnow())
    db.session.commit()
    return result


def test_two_tabs_finishing_different_questionnaires_complete_the_check_in(
    app, make, client_en
) -> None:
    check_in, link = make.check_in(client_en)
    with app.app_context():
        loaded, _ = services.resolve_link(link)  # this tab saw both questionnaires open
        with app.app_context():  # the other tab finishes the PHQ-9 meanwhile
            save(link, 1, phq9())
        save_loaded(loaded, 2, gad7())
    with app.app_context():
        assert db.session.get(CheckIn, check_in.id).status == "completed"


def test_a_second_submit_of_a_completed_page_changes_nothing_and_still_shows_support(
    app, make, client_en
) -> None:
    _, link = make.check_in(client_en, ("phq9",))
    with app.app_context():
        loaded, _ = services.resolve_link(link)
        with app.app_context():
            first = save(link, 1, phq9(total_on_item=2, item9=1))
        second = save_loaded(loaded, 1, phq9(total_on_item=0, item9=0))
    assert first.crisis and first.result is not None
    assert second.crisis and second.result is None  # the first submit's answers stand
    with app.app_context():
        [stored] = db.session.scalars(select(Response)).all()
        assert stored.answers["phq9_1"] == 2 and stored.status == "completed"
        assert db.session.scalar(select(func.count()).select_from(Alert)) == 1


def test_the_check_in_is_started_by_its_first_saved_page_and_keeps_that_time(
    app, make, client_en
) -> None:
    """The funnel's "started" lives on the check-in's row: set once, by the first save."""
    check_in, link = make.check_in(client_en)
    first, later = utcnow(), utcnow() + timedelta(minutes=4)
    with app.app_context():
        loaded, _ = services.resolve_link(link)
        assert loaded.started_at is None  # opened pages are not started ones
        draft = services.parse_page(services.definition_of(loaded.assignments[0]), {})[0]
        services.save_answers(loaded, loaded.assignments[0], draft, complete=False, now=first)
        db.session.commit()
    with app.app_context():
        loaded, _ = services.resolve_link(link)
        answers = services.parse_page(services.definition_of(loaded.assignments[1]), gad7())[0]
        services.save_answers(loaded, loaded.assignments[1], answers, complete=True, now=later)
        db.session.commit()
    with app.app_context():
        assert db.session.get(CheckIn, check_in.id).started_at == first


def test_a_check_in_answered_in_one_page_is_started_when_it_is_completed(
    app, make, client_en
) -> None:
    check_in, link = make.check_in(client_en, ("phq9",))
    with app.app_context():
        save(link, 1, phq9())
    with app.app_context():
        stored = db.session.get(CheckIn, check_in.id)
        assert stored.status == "completed"
        assert stored.started_at is not None and stored.started_at == stored.completed_at


def test_a_submit_that_lost_to_a_double_tap_lands_where_the_first_did(app, make, client_en) -> None:
    """Of simultaneous submits of page 1, the ones that find it already completed go on to
    page 2 as the first did, not back to page 1."""
    _, link = make.check_in(client_en)
    with app.app_context():  # the page was shown: its draft exists
        shown, _ = services.resolve_link(link)
        services.open_step(shown, shown.assignments[0], utcnow())
        db.session.commit()
    with app.app_context():
        loaded, _ = services.resolve_link(link)  # this tap loaded page 1's draft
        assert loaded.assignments[0].response.status == "draft"
        with app.app_context():
            save(link, 1, phq9())  # the first tap completes it meanwhile
        second = save_loaded(loaded, 1, phq9())
        assert second.result is None  # the first tap's answers stand
        assert services.next_step(loaded) == 2
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_a_page_changed_in_a_tab_after_another_tab_finished_the_check_in_is_not_saved(
    app, make, client_en
) -> None:
    _, link = make.check_in(client_en)
    with app.app_context():
        save(link, 1, phq9(total_on_item=1))
    with app.app_context():
        loaded, _ = services.resolve_link(link)  # this tab went back to page 1
        with app.app_context():
            save(link, 2, gad7())  # the other tab finishes the check-in
        late = save_loaded(loaded, 1, phq9(total_on_item=3))
        assert late.read_only
    with app.app_context():
        phq = db.session.scalars(select(Response).where(Response.instrument_code == "phq9")).one()
        assert phq.answers["phq9_1"] == 1
