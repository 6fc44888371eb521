"""Every CSV download: a UTF-8 byte-order mark first, every cell made safe for a spreadsheet
(issue 20: a client reference of =HYPERLINK(...) went out raw from the delivery page's
"Clients to fix", full-width ＝ was escaped nowhere), and one file name per export (#19)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from mbc.delivery.models import Message
from mbc.extensions import db
from mbc.practice.services import get_practice
from tests.reports.builder import ReportData
from tests.reports.test_satisfaction import survey

OCT, NOV = datetime(2026, 10, 5, 15, tzinfo=UTC), datetime(2026, 11, 10, 15, tzinfo=UTC)
REF = '=HYPERLINK("http://x.example","open")'
NAME = "＝1+1"  # full-width equals sign
TEAM = "＋SUM(A1)"
ERROR = "@cmd|' /C calc'!A0"
COMMENT = "－2+3 ＠me"
PERIOD = "start=2026-11-01&end=2026-11-22"
# The characters a spreadsheet starts a formula with, ASCII and full-width, written out here
# rather than taken from the code under test.
DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

# (report, table, breakdown): the escaped values each export must hold.
EXPORTS = [
    ("completion", "funnel", "team", [TEAM]),
    ("completion", "funnel", "clinician", [NAME]),
    ("completion", "intake_follow_up", "clinician", []),
    ("delivery", "failures", "none", [ERROR]),
    ("delivery", "contact_summary", "none", []),
    ("delivery", "contact_clients", "none", [REF, NAME]),
    ("outcomes", "outcomes_phq9", "clinician", [NAME]),
    ("outcomes", "outcomes_phq9", "team", [TEAM]),
    ("caseload", "intensity", "clinician", [NAME]),
    ("caseload", "intensity_teams", "clinician", [TEAM]),
    ("practice", "sessions", "clinician", [NAME]),
    ("practice", "retention", "clinician", [NAME]),
    ("satisfaction", "satisfaction", "team", [TEAM]),
    ("satisfaction", "comments", "team", [COMMENT]),
]


@pytest.fixture
def injected(app, make):
    """Names, a reference, an error and a comment that a spreadsheet would run."""
    team = make.team(TEAM)
    clinician = make.user(name=NAME, team=team)
    data = ReportData(app)
    unreachable = make.client(clinician, team_id=team.id, client_ref=REF, consent=())
    data.scores(unreachable, "phq9", [(OCT, 20), (NOV, 8)])
    data.check_in(unreachable, NOV, messages=[("invitation", "sms", "failed", None)])
    data.appointment(unreachable, NOV)
    survey(data, unreachable, 3, 4, comment=COMMENT)
    with app.app_context():
        db.session.execute(update(Message).values(last_error=ERROR))
        get_practice().min_group_size = 1
        db.session.commit()


def cells(body: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body)))


@pytest.mark.parametrize(("key", "table", "by", "values"), EXPORTS)
def test_each_export_starts_with_a_bom_and_escapes_every_cell(
    injected, as_admin, key, table, by, values
) -> None:
    response = as_admin.get(f"/admin/reports/{key}.csv?table={table}&by={by}&{PERIOD}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = cells(raw.decode("utf-8-sig"))
    assert len(rows) > 1, "the world should put a row in every export"
    flat = [c for row in rows for c in row]
    for value in values:
        assert "'" + value in flat, (value, rows)
    for cell in flat:
        if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", cell):
            continue
        assert not cell.lstrip(" ").startswith(DANGEROUS), cell


def test_each_export_has_its_own_file_name(injected, as_admin) -> None:
    names = set()
    for key, table, by, _values in EXPORTS:
        response = as_admin.get(f"/admin/reports/{key}.csv?table={table}&by={by}&{PERIOD}")
        disposition = response.headers["Content-Disposition"]
        names.add(re.search(r'filename="([^"]+)"', disposition).group(1))
    assert len(names) == len(EXPORTS)
    assert "mbc-completion-funnel-by-team-2026-11-01-2026-11-22.csv" in names
    assert "mbc-completion-intake_follow_up-by-clinician-2026-11-01-2026-11-22.csv" in names


def test_accents_survive_in_excel(make, as_admin) -> None:
    make.user(name="José Núñez")
    response = as_admin.get(f"/admin/reports/caseload.csv?table=intensity&{PERIOD}")
    assert response.get_data().startswith("\ufeff".encode())
    assert "José Núñez" in response.get_data().decode("utf-8-sig")
