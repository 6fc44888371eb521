"""Answering a check-in as a phone would: GET the page, keep its token, POST the answers."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from mbc.assessments.models import Alert, Response
from mbc.extensions import db

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def page_token(web: FlaskClient, url: str) -> str:
    match = TOKEN.search(web.get(url).get_data(as_text=True))
    assert match, f"no CSRF token on {url}"
    return match.group(1)


def answer(web: FlaskClient, link: str, step: int, answers: dict, **extra) -> TestResponse:
    url = f"/s/{link}/{step}"
    data = {"csrf_token": page_token(web, url), "action": "next", **answers, **extra}
    return web.post(url, data=data)


def phq9(total_on_item: int = 1, item9: int = 0) -> dict[str, str]:
    answers = {f"phq9_{n}": str(total_on_item) for n in range(1, 9)}
    answers["phq9_9"] = str(item9)
    answers["phq9_difficulty"] = "1"
    return answers


def gad7(value: int = 1) -> dict[str, str]:
    return {f"gad7_{n}": str(value) for n in range(1, 8)}


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def responses(app) -> list[Response]:
    with app.app_context():
        return list(db.session.scalars(select(Response).order_by(Response.id)))


def alerts(app) -> list[Alert]:
    with app.app_context():
        return list(db.session.scalars(select(Alert).order_by(Alert.id)))
