"""The report pages as an admin uses them: filters, bad filters, CSV downloads, goals, audit."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.extensions import db
from mbc.reports.models import TeamGoal
from tests.helpers import submit, text_of
from tests.reports.builder import ReportData


def test_every_report_page_renders_with_its_breakdowns(as_admin) -> None:
    for key, breakdowns in {
        "completion": ("clinician", "team", "instrument", "channel", "week", "month", "kind"),
        "delivery": ("none",),
        "outcomes": ("clinician", "team"),
        "caseload": ("clinician",),
        "practice": ("clinician",),
        "satisfaction": ("clinician", "team"),
    }.items():
        for by in breakdowns:
            response = as_admin.get(f"/admin/reports/{key}?by={by}")
            assert response.status_code == 200, (key, by)
    assert as_admin.get("/admin/reports/nonsense").status_code == 404


def test_bad_filters_get_a_clear_message_and_no_figures(as_admin) -> None:
    backwards = as_admin.get("/admin/reports/completion?start=2026-11-20&end=2026-11-01")
    assert backwards.status_code == 400
    assert "The end date is before the start date." in text_of(backwards)
    assert "Check the filters" in text_of(backwards)
    assert as_admin.get("/admin/reports/completion?start=not-a-date").status_code == 400
    assert as_admin.get("/admin/reports/completion?team=99x").status_code == 400
    assert as_admin.get("/admin/reports/completion.csv?start=not-a-date").status_code == 400
    assert as_admin.get("/admin/reports/completion.csv?table=nope").status_code == 404


def test_csv_has_the_same_rows_as_the_page_with_the_same_filters(app, make, as_admin) -> None:
    north, south = make.team("North"), make.team("South")
    ann = make.user(name="Ann", team=north)
    bob = make.user(name="Bob", team=south)
    data = ReportData(app)
    at = datetime(2026, 11, 10, 15, tzinfo=UTC)
    for clinician, team, completed in ((ann, north, at), (ann, north, None), (bob, south, at)):
        data.check_in(make.client(clinician, team_id=team.id), at, completed_at=completed)
    url = f"/admin/reports/completion.csv?table=funnel&by=clinician&team={north.id}"
    response = as_admin.get(url + "&start=2026-11-01&end=2026-11-22")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert (
        "mbc-completion-funnel-by-clinician-2026-11-01-2026-11-22.csv"
        in response.headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert rows[0][:7] == [
        "Clinician",
        "Check-ins",
        "Sent",
        "Delivered",
        "Link opened",
        "Started",
        "Completed",
    ]
    assert [r[0] for r in rows[1:]] == ["Ann", "All"]
    assert rows[1][1] == "2" and rows[1][6] == "1"
    assert rows[1][rows[0].index("Completed %")] == "50.0"
    page = text_of(
        as_admin.get(
            f"/admin/reports/completion?by=clinician&team={north.id}"
            "&start=2026-11-01&end=2026-11-22"
        )
    )
    assert "Bob" not in page.split("Completion funnel")[1].split("Intake and follow-up")[0]
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "report.export" in actions and "report.view" in actions


def test_admin_sets_a_team_goal_and_sees_progress(app, make, as_admin) -> None:
    team = make.team("North")
    missing = submit(
        as_admin,
        "/admin/reports/goals",
        {
            "team_id": str(team.id),
            "metric": "reliable_improvement",
            "instrument_code": "",
            "target_percent": "50",
            "period": "quarter",
        },
    )
    assert missing.status_code == 400 and "Outcome goals need an instrument." in text_of(missing)
    too_high = submit(
        as_admin,
        "/admin/reports/goals",
        {"team_id": "0", "metric": "completion", "target_percent": "120", "period": "month"},
    )
    assert too_high.status_code == 400
    no_rule = submit(
        as_admin,
        "/admin/reports/goals",
        {
            "team_id": "0",
            "metric": "reliable_recovery",
            "instrument_code": "satisfaction",
            "target_percent": "50",
            "period": "quarter",
        },
    )
    assert "This instrument has no rule for that outcome." in text_of(no_rule)
    ok = submit(
        as_admin,
        "/admin/reports/goals",
        {
            "team_id": str(team.id),
            "metric": "reliable_improvement",
            "instrument_code": "phq9",
            "baseline_at_least": "10",
            "target_percent": "50",
            "period": "quarter",
        },
    )
    assert ok.status_code == 302
    page = text_of(as_admin.get("/admin/reports/goals"))
    assert "Clients reliably improved (PHQ-9, baseline at least 10)" in page
    assert "since 2026-10-01" in page
    with app.app_context():
        goal = db.session.scalars(select(TeamGoal)).one()
        assert (goal.team_id, goal.target_percent, float(goal.baseline_at_least)) == (
            team.id,
            50,
            10.0,
        )
    removed = submit(
        as_admin, f"/admin/reports/goals/{goal.id}/delete", {}, form_url="/admin/reports/goals"
    )
    assert removed.status_code == 302
    with app.app_context():
        assert db.session.scalars(select(TeamGoal)).all() == []


def test_clinicians_cannot_see_reports(as_clinician) -> None:
    assert as_clinician.get("/admin/reports/outcomes").status_code == 403
    assert as_clinician.get("/admin/reports/outcomes.csv").status_code == 403


@pytest.mark.parametrize("value", ["NaN", "sNaN", "1e1000000", "1e-1000000", "10.55", "9" * 50])
def test_a_goals_baseline_is_read_by_its_shape(app, make, as_admin, value) -> None:
    """WTForms' DecimalField took Decimal("NaN") (a 500 at the range check) and 1e-1000000."""
    page = submit(
        as_admin,
        "/admin/reports/goals",
        {
            "team_id": "0",
            "metric": "reliable_improvement",
            "instrument_code": "phq9",
            "baseline_at_least": value,
            "target_percent": "50",
            "period": "quarter",
        },
    )
    assert page.status_code == 400 and "Give a number such as 10 or 12.5." in text_of(page)
    with app.app_context():
        assert db.session.scalars(select(TeamGoal)).all() == []
