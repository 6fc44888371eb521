"""The outbox: a message is enqueued once per key, and a claim never takes more than asked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from mbc.delivery import outbox
from mbc.delivery.models import Message
from mbc.extensions import db

NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)


def test_the_same_key_is_enqueued_once(app) -> None:
    with app.app_context():
        first = outbox.enqueue(kind="invitation", dedupe_key="k", language="en", scheduled_at=NOW)
        second = outbox.enqueue(kind="invitation", dedupe_key="k", language="en", scheduled_at=NOW)
        outbox.enqueue_many(
            [{"kind": "reminder", "dedupe_key": "k", "language": "en", "scheduled_at": NOW}]
        )
        assert (first, second) == (True, False)
        assert db.session.scalar(select(func.count()).select_from(Message)) == 1


def test_a_claim_takes_at_most_its_limit_in_due_order(app) -> None:
    with app.app_context():
        outbox.enqueue_many(
            [
                {
                    "kind": "invitation",
                    "dedupe_key": f"k{i}",
                    "language": "en",
                    "scheduled_at": NOW - timedelta(minutes=i),
                }
                for i in range(30)
            ]
            + [
                {
                    "kind": "invitation",
                    "dedupe_key": "later",
                    "language": "en",
                    "scheduled_at": NOW + timedelta(minutes=1),
                }
            ]
        )
        db.session.commit()
        token = outbox.claim_due(NOW, 7)
        claimed = outbox.claimed(token)
        assert len(claimed) == 7
        assert {m.dedupe_key for m in claimed} == {f"k{i}" for i in range(23, 30)}
        assert all(m.attempts == 1 and m.claimed_at == NOW for m in claimed)
        db.session.commit()
        rest = outbox.claimed(outbox.claim_due(NOW, 100))
        assert len(rest) == 23 and "later" not in {m.dedupe_key for m in rest}
        assert outbox.claim_due(NOW, 100) is None
        db.session.rollback()
