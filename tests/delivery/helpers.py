"""Reading what the scheduler did, each in its own app context like a separate process."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from twilio.request_validator import RequestValidator

from mbc.assessments.models import CheckIn
from mbc.delivery.models import DevOutboxEntry, Message
from mbc.delivery.scheduler import PassReport, run_pass
from mbc.extensions import db
from tests.fakes.twilio_api import AUTH_TOKEN


def tick(app: Flask) -> PassReport:
    return run_pass(app)


def rows(app: Flask, model: Any, *where: Any) -> list[Any]:
    with app.app_context():
        order = list(model.__table__.primary_key.columns)
        found = list(db.session.scalars(select(model).where(*where).order_by(*order)))
        db.session.expunge_all()
        return found


def messages(app: Flask, *where: Any) -> list[Message]:
    return rows(app, Message, *where)


def sent(app: Flask) -> list[DevOutboxEntry]:
    return rows(app, DevOutboxEntry)


def check_ins(app: Flask) -> list[CheckIn]:
    with app.app_context():
        found = list(db.session.scalars(select(CheckIn).order_by(CheckIn.id)))
        for c in found:
            _ = c.assignments
        db.session.expunge_all()
        return found


def link_in(text: str) -> str:
    """The check-in path in a message body (``/s/<token>``)."""
    start = text.index("https://mbc.test/s/") + len("https://mbc.test")
    end = start
    while end < len(text) and not text[end].isspace():
        end += 1
    return text[start:end]


def post_signed(
    web: FlaskClient, path: str, form: dict[str, str], *, token: str = AUTH_TOKEN
) -> Any:
    """A webhook post as Twilio signs it (for ``https://mbc.test`` + ``path``)."""
    signature = RequestValidator(token).compute_signature(f"https://mbc.test{path}", form)
    return web.post(path, data=form, headers={"X-Twilio-Signature": signature})
