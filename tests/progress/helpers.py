"""Clients with a history of answered check-ins, and the two switches that share progress."""

from __future__ import annotations

from mbc.clients.models import Client
from mbc.extensions import db
from mbc.practice.services import get_practice
from tests.survey.helpers import answer, gad7, phq9


def share(app, client, *, practice: bool = True, client_on: bool = True) -> None:
    with app.app_context():
        get_practice().client_progress_enabled = practice
        db.session.get(Client, client.id).progress_visible = client_on
        db.session.commit()


def answered(web, make, clock, client, totals: list[int]) -> str:
    """One finished PHQ-9 + GAD-7 check-in a week for each PHQ-9 item value in ``totals``
    (PHQ-9 total = 8 x value, GAD-7 total = 7 x value); the last check-in's link."""
    link = ""
    for value in totals:
        _, link = make.check_in(client)
        answer(web, link, 1, phq9(total_on_item=value))
        answer(web, link, 2, gad7(value))
        clock.advance(days=7)
    clock.advance(days=-7)  # the last link is still open
    return link
