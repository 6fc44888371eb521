"""Every page reached by a token in its URL treats bad tokens alike: guesses from one address
are slowed down, and a closed check-in's link gets its closed page wherever it points."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mbc.assessments.models import CheckIn
from mbc.extensions import db
from mbc.practice.services import get_practice
from tests.helpers import text_of
from tests.survey.helpers import answer, gad7, page_token, phq9

GUESSER = {"REMOTE_ADDR": "198.51.100.9"}
NEIGHBOUR = {"REMOTE_ADDR": "198.51.100.10"}


@pytest.mark.parametrize(
    "path",
    ["/s/{t}/support", "/s/{t}/done", "/s/{t}/1", "/u/{t}", "/password/reset/{t}", "/w/{t}"],
)
def test_guessed_tokens_are_slowed_down_on_every_token_page(app, web, path: str) -> None:
    for n in range(app.config["MAX_INVALID_LINKS_PER_ADDRESS"]):
        refused = web.get(path.format(t=f"guess{n}"), environ_base=GUESSER)
        assert refused.status_code in (404, 410)
    slowed = web.get(path.format(t="one-more"), environ_base=GUESSER)
    assert slowed.status_code == 429
    assert web.get(path.format(t="one-more"), environ_base=NEIGHBOUR).status_code in (404, 410)


def _revoke(app, check_in_id: int) -> None:
    with app.app_context():
        db.session.get(CheckIn, check_in_id).status = "revoked"
        db.session.commit()


def test_a_cancelled_check_ins_crisis_page_and_language_switch_say_so(
    app, web, client_en, make
) -> None:
    check_in, link = make.check_in(client_en)
    answer(web, link, 1, phq9(item9=1))
    token = page_token(web, f"/s/{link}/2")
    _revoke(app, check_in.id)
    support = web.get(f"/s/{link}/support")
    assert support.status_code == 410 and "This session was cancelled" in text_of(support)
    switched = web.post(
        f"/s/{link}/language", data={"csrf_token": token, "language": "es", "here": "2"}
    )
    assert switched.status_code == 410
    with app.app_context():
        assert db.session.scalar(select(CheckIn.language).where(CheckIn.id == check_in.id)) == "en"


def test_scores_on_the_last_page_are_shown_only_while_the_link_is_open(
    app, web, client_en, make, clock
) -> None:
    with app.app_context():
        get_practice().show_scores_to_clients = True
        db.session.commit()
    _, link = make.check_in(client_en, ("gad7",))
    answer(web, link, 1, gad7(1))
    assert "out of 21" in text_of(web.get(f"/s/{link}/done"))
    clock.advance(days=1, seconds=1)  # the check-in's link has closed
    later = web.get(f"/s/{link}/done")
    assert "Already done, thank you" in text_of(later) and "out of 21" not in text_of(later)
