"""Reconciliation with the console backend (development): the stored text is the provider's
record, looked up in the claim's window as Twilio's is."""

from __future__ import annotations

from datetime import UTC, datetime

from mbc.clock import FrozenClock
from mbc.delivery.models import Message
from mbc.extensions import db
from tests.delivery.helpers import messages, sent, tick

TOMORROW_10AM_NY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def _as_if_interrupted(app, message_id: int, at: datetime) -> None:
    with app.app_context():
        message = db.session.get(Message, message_id)
        message.status, message.provider_id, message.claimed_at = "sending", None, at
        db.session.commit()


def test_a_stored_text_is_found_and_not_sent_again(
    app, clock: FrozenClock, make, client_en
) -> None:
    make.plan_rule(("phq9",))
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    [entry] = sent(app)
    _as_if_interrupted(app, messages(app)[0].id, clock.at)
    clock.advance(minutes=6)
    report = tick(app)
    assert report.reconciled.confirmed_sent == 1
    assert messages(app)[0].provider_id == f"console-{entry.id}" and len(sent(app)) == 1
