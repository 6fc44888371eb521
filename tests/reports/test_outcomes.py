"""Outcomes: reliable improvement, recovery and deterioration, mean change, the minimum group
size and the baseline mix; expected figures come from the pairs themselves via the scoring
engine's own ``change``, never from the report's SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from mbc.reports.filters import ReportFilters
from mbc.reports.outcomes import outcome_counts, outcomes
from mbc.scoring.change import change
from tests.reports.builder import ReportData

NOVEMBER = ReportFilters(
    start=date(2026, 11, 1), end=date(2026, 11, 22), timezone="America/New_York"
)
OCT, NOV = datetime(2026, 10, 5, 15, tzinfo=UTC), datetime(2026, 11, 10, 15, tzinfo=UTC)

# (clinician, scores oldest first); every series here counts: baseline before, latest in November.
COUNTED = {
    "c1": ("Ann", [20, 14]),  # improved by 6, still >= 10: improved, not recovered
    "c2": ("Ann", [15, 9]),  # improved by 6 and below 10: recovered
    "c3": ("Ann", [15, 10]),  # 5 is not reliable
    "c4": ("Ann", [10, 16]),  # worse by 6: deteriorated
    "c5": ("Ann", [8, 2]),  # improved, but the baseline was not in the clinical range
    "c6": ("Ann", [12, 13, 7]),  # baseline 12 to latest 7: 5, not reliable
    "d1": ("Bob", [20, 5]),
    "d2": ("Bob", [11, 11]),
}


def expected(pairs: list[tuple[int, int]]) -> dict:
    judged = [change("phq9", baseline, latest) for baseline, latest in pairs]
    n = len(judged)
    return {
        "n": n,
        "improved": 100 * sum(bool(j.reliable_improvement) for j in judged) / n,
        "recovered": 100 * sum(bool(j.reliable_recovery) for j in judged) / n,
        "deteriorated": 100 * sum(bool(j.reliable_deterioration) for j in judged) / n,
        "no_change": 100
        * sum(not j.reliable_improvement and not j.reliable_deterioration for j in judged)
        / n,
        "mean_change": sum(latest - baseline for baseline, latest in pairs) / n,
    }


@pytest.fixture
def world(app, make):
    north = make.team("North")
    ann = make.user(name="Ann", team=north)
    bob = make.user(name="Bob")
    data = ReportData(app)
    staff = {"Ann": ann, "Bob": bob}
    for who, totals in COUNTED.values():
        client = make.client(staff[who], team_id=north.id if who == "Ann" else None)
        middle = [datetime(2026, 10, 20 + i, 15, tzinfo=UTC) for i in range(len(totals) - 2)]
        data.scores(client, "phq9", list(zip([OCT, *middle, NOV], totals, strict=True)))
    # Left out: a baseline alone; a latest score before the period; a follow-up after it; an
    # unscorable follow-up; a GAD-7 pair (another instrument).
    data.scores(make.client(ann), "phq9", [(NOV, 20)])
    data.scores(make.client(ann), "phq9", [(datetime(2026, 9, 1, tzinfo=UTC), 20), (OCT, 5)])
    data.scores(make.client(ann), "phq9", [(OCT, 20), (datetime(2026, 11, 23, 6, tzinfo=UTC), 5)])
    unscorable = make.client(ann)
    data.scores(unscorable, "phq9", [(OCT, 20)])
    data.invalid_score(unscorable, "phq9", NOV)
    data.scores(make.client(ann), "gad7", [(OCT, 20), (NOV, 2)])
    return {"ann": ann.id, "bob": bob.id, "north": north.id}


def phq9_table(filters: ReportFilters, by: str, min_size: int):
    """The PHQ-9 section of the outcomes page ("All" instruments shows one per instrument)."""
    return {t.key: t for t in outcomes(filters, by, min_size)}["outcomes_phq9"]


def only_table(filters: ReportFilters, code: str) -> list[dict]:
    [table] = outcomes(filters, "clinician", min_size=1)
    assert table.key == f"outcomes_{code}"
    return table.rows


def pairs_of(who: str | None = None) -> list[tuple[int, int]]:
    return [(t[0], t[-1]) for w, t in COUNTED.values() if who in (None, w)]


def test_each_judgement_matches_the_scoring_engine(app, world) -> None:
    with app.app_context():
        table = phq9_table(NOVEMBER, "clinician", min_size=2)
    rows = {row["group"]: row for row in table.rows}
    for group, who in (("Ann", "Ann"), ("Bob", "Bob"), ("All", None)):
        want = expected(pairs_of(who))
        for key, value in want.items():
            assert rows[group][key] == pytest.approx(value), (group, key)
    assert rows["All"]["n"] == 8 and rows["All"]["improved"] == 50.0
    assert rows["All"]["recovered"] == 25.0 and rows["All"]["mean_change"] == -4.625


def test_groups_under_the_minimum_size_show_no_figures(app, world) -> None:
    with app.app_context():
        rows = {r["group"]: r for r in phq9_table(NOVEMBER, "clinician", min_size=5).rows}
        small = {r["group"]: r for r in phq9_table(NOVEMBER, "clinician", min_size=2).rows}
    assert rows["Bob"] == {"group": "Bob", "n": 2, "hidden": "small"}
    # Ann's figures and All's would give Bob's by subtraction: Ann's are hidden too.
    assert rows["Ann"] == {"group": "Ann", "n": 6, "hidden": "linked"}
    assert rows["All"]["improved"] == 50.0
    assert small["Bob"]["improved"] == 50.0 and "hidden" not in small["Bob"]


def test_the_baseline_severity_mix_sits_beside_each_group(app, world) -> None:
    with app.app_context():
        rows = {r["group"]: r for r in phq9_table(NOVEMBER, "clinician", min_size=2).rows}
    # Ann's baselines: 20 severe, 15 and 15 moderately severe, 10 and 12 moderate, 8 mild.
    assert (
        rows["Ann"]["baseline_mix"] == "Mild 17%, Moderate 33%, Moderately severe 33%, Severe 17%"
    )


def test_team_view_and_filters(app, world) -> None:
    with app.app_context():
        teams = {r["group"]: r["n"] for r in phq9_table(NOVEMBER, "team", min_size=1).rows}
        only_bob = ReportFilters(**{**NOVEMBER.__dict__, "clinician_id": world["bob"]})
        bob = outcome_counts(only_bob, "phq9", None)[0]
    assert teams == {"North": 6, "No team": 2, "All": 8}
    assert (bob.n, bob.improved, bob.recovered) == (2, 1, 1)


def test_baseline_at_least_keeps_clients_who_started_there(app, world) -> None:
    with app.app_context():
        counts = outcome_counts(NOVEMBER, "phq9", None, Decimal(10))[0]
    started_high = [p for p in pairs_of() if p[0] >= 10]
    assert (counts.n, counts.improved) == (
        len(started_high),
        sum(bool(change("phq9", *p).reliable_improvement) for p in started_high),
    )


ORS_PAIRS = [
    ("19.7", "24.7"),
    ("20.3", "25.3"),
    ("30.1", "25.2"),
    ("25.0", "30.0"),
    ("20.0", "15.0"),
]


def test_decimal_totals_are_judged_exactly_at_the_threshold(app, make) -> None:
    """ORS: higher is better, reliable change 5.0, clinical range <= 25.0; SQLite stores the
    totals as binary floats, where 24.7 - 19.7 is not exactly 5."""
    clinician = make.user(name="Ora")
    data = ReportData(app)
    for baseline, latest in ORS_PAIRS:
        data.scores(make.client(clinician), "ors", [(OCT, baseline), (NOV, latest)])
    filters = ReportFilters(**{**NOVEMBER.__dict__, "instrument": "ors"})
    with app.app_context():
        row = {r["group"]: r for r in only_table(filters, "ors")}["All"]
    judged = [change("ors", Decimal(b), Decimal(a)) for b, a in ORS_PAIRS]
    assert [j.reliable_improvement for j in judged] == [True, True, False, True, False]
    assert row["improved"] == 60.0
    assert row["recovered"] == 100 * sum(bool(j.reliable_recovery) for j in judged) / 5 == 40.0
    assert row["deteriorated"] == 20.0 and row["no_change"] == 20.0
    assert row["mean_change"] == pytest.approx(float(sum(j.change for j in judged)) / 5)


def test_the_latest_score_is_the_last_one_before_the_period_ends(app, make) -> None:
    after_the_period = datetime(2026, 11, 23, 6, tzinfo=UTC)
    data = ReportData(app)
    data.scores(make.client(make.user()), "phq9", [(OCT, 20), (NOV, 9), (after_the_period, 25)])
    with app.app_context():
        [row] = outcome_counts(NOVEMBER, "phq9", None)
    assert (row.n, row.recovered, row.deteriorated, row.sum_change) == (1, 1, 0, -11)
