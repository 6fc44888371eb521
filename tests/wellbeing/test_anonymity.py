"""Anonymity by construction: nothing stored with an answer leads back to a person, and once a
window closes nothing records who was invited, reminded or answered."""

from __future__ import annotations

from sqlalchemy import Date, DateTime, String, inspect, select

from mbc.audit.models import AuditEvent
from mbc.db import Base
from mbc.delivery.models import DevOutboxEntry, Message
from mbc.extensions import db
from mbc.wellbeing.models import PulseParticipation, PulseResponse
from tests.delivery.helpers import rows
from tests.wellbeing.conftest import open_window
from tests.wellbeing.test_answer import WHO5_ALL_3, post
from tests.wellbeing.test_results import close

ANONYMOUS = ("pulse_responses", "pulse_answers")


def reachable(start: str) -> set[str]:
    """Every table a join along foreign keys can reach from ``start``, either direction."""
    edges: dict[str, set[str]] = {}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            edges.setdefault(table.name, set()).add(fk.column.table.name)
    seen, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(edges.get(name, ()))
    return seen


def test_no_foreign_key_path_joins_a_response_to_a_person() -> None:
    for name in ANONYMOUS:
        assert not reachable(name) & {
            "staff_users",
            "pulse_participations",
            "clients",
            "messages",
            "audit_events",
            "staff_sessions",
        }, name
    # And no table of people points at the responses.
    pointing = {
        table.name
        for table in Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column.table.name in ANONYMOUS
    }
    assert pointing <= set(ANONYMOUS)


def test_response_columns_hold_no_person_and_no_time() -> None:
    for name in ANONYMOUS:
        table = Base.metadata.tables[name]
        for column in table.columns:
            assert not isinstance(column.type, (DateTime, Date)), f"{name}.{column.name}"
            assert not any(w in column.name for w in ("user", "staff", "email", "role", "_at")), (
                f"{name}.{column.name}"
            )
            assert column.server_default is None, f"{name}.{column.name}"
    pk = Base.metadata.tables["pulse_responses"].primary_key.columns
    assert [c.name for c in pk] == ["id"] and isinstance(pk["id"].type, String)  # random


def test_the_live_database_matches(app) -> None:
    with app.app_context():
        inspector = inspect(db.engine)
        for name in ANONYMOUS:
            for fk in inspector.get_foreign_keys(name):
                assert fk["referred_table"] in ("pulse_windows", "teams", "pulse_responses")
            names = {c["name"] for c in inspector.get_columns(name)}
            assert not any("user" in n or "staff" in n or n.endswith("_at") for n in names)


def test_after_close_nothing_says_who_answered(app, admin, staff, scheduled, web, clock) -> None:
    links = open_window(app)
    answerer = "north3@example.org"
    post(web, links[answerer], WHO5_ALL_3)
    [response] = rows(app, PulseResponse)
    stored = " ".join(str(getattr(response, c.key)) for c in inspect(PulseResponse).columns)
    assert answerer not in stored and "North 3" not in stored
    assert len(response.id) == 32 and not response.id.isdigit()
    close(app, clock)
    assert rows(app, PulseParticipation) == []
    with app.app_context():
        assert db.session.scalars(select(Message)).all() == []
        assert db.session.scalars(select(DevOutboxEntry)).all() == []
        # Answering leaves no audit trail of its own.
        assert not [
            e
            for e in db.session.scalars(select(AuditEvent))
            if "pulse" in e.action and e.action != "wellbeing.schedule"
        ]


# The one place that knows both a person and a response is the answer itself (it sets the
# person's ``has_answered`` and, in the same request, inserts a response that does not name
# them); models.py defines both tables. No other module may touch both.
KNOWS_BOTH = {"mbc/models.py", "mbc/wellbeing/models.py", "mbc/wellbeing/services.py"}


def test_no_other_code_reads_responses_beside_people() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    answers = ("PulseResponse", "PulseAnswer", "pulse_responses", "pulse_answers")
    people = ("StaffUser", "staff_user", "PulseParticipation", "pulse_participations")
    for path in sorted((root / "mbc").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        name = str(path.relative_to(root))
        if any(a in source for a in answers) and any(p in source for p in people):
            assert name in KNOWS_BOTH, f"{name} reads pulse answers beside people"
    services = (root / "mbc/wellbeing/services.py").read_text(encoding="utf-8")
    # The writer inserts responses without any person column, and never reads them back.
    assert "select(PulseResponse" not in services and "select(PulseAnswer" not in services
