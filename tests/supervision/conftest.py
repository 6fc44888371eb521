"""A small practice for the supervision tests: a supervisor, their supervisee and a colleague,
each clinician with five clients scored on PHQ-9 (the supervisee's all reliably improved, the
colleague's unchanged), and a way to count the statements a page runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import event

from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from tests.conftest import TEST_NOW
from tests.factories import Factory
from tests.reports.builder import ReportData
from tests.supervision.helpers import assign


@dataclass
class Team:
    supervisor: StaffUser
    supervisee: StaffUser
    colleague: StaffUser
    mentee_clients: list[Client]
    colleague_clients: list[Client]


def scored_clients(
    app: Flask, make: Factory, clinician: StaffUser, n: int, baseline: int, latest: int
) -> list[Client]:
    data = ReportData(app)
    clients = []
    for _ in range(n):
        client = make.client(clinician)
        data.scores(
            client,
            "phq9",
            [(TEST_NOW - timedelta(days=40), baseline), (TEST_NOW - timedelta(days=5), latest)],
        )
        clients.append(client)
    return clients


@pytest.fixture
def team(app: Flask, make: Factory) -> Team:
    supervisor = make.user(name="Sasha Supervisor", email="sasha@example.org")
    supervisee = make.user(name="Morgan Mentee", email="morgan@example.org")
    colleague = make.user(name="Olu Colleague", email="olu@example.org")
    assign(app, supervisor, supervisee)
    mine = scored_clients(app, make, supervisee, 5, 20, 8)
    theirs = scored_clients(app, make, colleague, 5, 15, 15)
    return Team(supervisor, supervisee, colleague, mine, theirs)


@contextmanager
def statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements run inside the block."""
    engine = app.extensions["mbc.db"]
    seen: list[str] = []

    def hook(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", hook)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", hook)
