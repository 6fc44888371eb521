"""The retention purge (`mbc clients purge`): discharged clients older than the practice's
retention period go for good, a dry run lists them and writes nothing."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from mbc.audit.models import AuditEvent
from mbc.clients.models import Client
from mbc.clients.retention import retention_cutoff
from mbc.db import Base
from mbc.extensions import db
from mbc.practice.services import get_practice
from tests.clients.lifecycle_data import client_with_history, where_found

# TEST_NOW is 2026-11-23 17:00 UTC: with 7 years the cutoff is 2019-11-23 17:00 UTC.
JUST_DUE = datetime(2019, 11, 23, 16, 59, tzinfo=UTC)
NOT_YET = datetime(2019, 11, 23, 17, 0, tzinfo=UTC)


def discharged(make, clinician, ref: str, at: datetime, **values) -> Client:
    return client_with_history(
        make, clinician, client_ref=ref, status="discharged", discharged_at=at, **values
    )


def snapshot(app) -> dict[str, int]:
    with app.app_context():
        return {
            t.name: db.session.scalar(select(func.count()).select_from(t))
            for t in Base.metadata.sorted_tables
        }


def refs(app) -> list[str]:
    with app.app_context():
        return sorted(db.session.scalars(select(Client.client_ref)))


def purge(app, *args: str):
    result = app.test_cli_runner().invoke(args=["clients", "purge", *args])
    assert result.exit_code == 0, result.output
    return result.output


def population(make, clinician) -> None:
    discharged(make, clinician, "OLD-1", JUST_DUE, first_name="Ignatius", phone="+14155550101")
    discharged(make, clinician, "OLD-0", datetime(2012, 1, 5, tzinfo=UTC), phone="+14155550100")
    discharged(make, clinician, "RECENT-1", NOT_YET, phone="+14155550102")
    make.client(clinician, client_ref="ACTIVE-1", created_at=datetime(2010, 1, 1, tzinfo=UTC))


def test_a_dry_run_lists_the_clients_due_and_writes_nothing(app, make, clinician_a) -> None:
    population(make, clinician_a)
    before = snapshot(app)
    output = purge(app, "--dry-run")
    assert "2 client(s) discharged before 2019-11-23 (retention 7 years):" in output
    assert output.index("OLD-0") < output.index("OLD-1")  # oldest first
    assert "RECENT-1" not in output and "ACTIVE-1" not in output
    assert "Nothing removed (dry run)." in output
    assert snapshot(app) == before


def test_the_purge_removes_the_clients_due_for_good(app, make, clinician_a) -> None:
    population(make, clinician_a)
    output = purge(app)
    assert "2 client(s) removed for good." in output
    assert refs(app) == ["ACTIVE-1", "RECENT-1"]
    assert where_found(app, ["OLD-1", "Ignatius", "+14155550101", "+14155550100"]) == []
    with app.app_context():
        removals = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "client.remove")
        ).all()
        assert len(removals) == 2 and all(e.actor_label.startswith("cli") for e in removals)


def test_time_passing_makes_the_next_client_due(app, make, clinician_a, clock) -> None:
    population(make, clinician_a)
    purge(app)
    clock.advance(minutes=1)
    assert "1 client(s) discharged before" in purge(app)
    assert refs(app) == ["ACTIVE-1"]


def test_the_practice_setting_sets_the_period(app, make, clinician_a) -> None:
    population(make, clinician_a)
    with app.app_context():
        get_practice().discharged_retention_years = 10
        db.session.commit()
    output = purge(app)
    assert "1 client(s) discharged before 2016-11-23 (retention 10 years):" in output
    assert refs(app) == ["ACTIVE-1", "OLD-1", "RECENT-1"]


def test_the_cutoff_counts_calendar_years() -> None:
    leap = datetime(2028, 2, 29, 12, 0, tzinfo=UTC)
    assert retention_cutoff(leap, 7) == datetime(2021, 2, 28, 12, 0, tzinfo=UTC)
    assert retention_cutoff(leap, 8) == datetime(2020, 2, 29, 12, 0, tzinfo=UTC)
