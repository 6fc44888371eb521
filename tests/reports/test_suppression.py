"""Complementary suppression: no hidden group's figures can be worked out from what shows.

The enumeration plays the subtracting reader: with each group's n on view, every visible
group's count and the total's, it subtracts the visible counts from the total and checks that
what is left never belongs to one hidden group alone, nor to hidden groups holding together
fewer clients than the minimum (whose figures would then be a small group's). The page and CSV
tests replay issue 19's example: teams of 5 and 4 and the "All" row.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import UTC, datetime

import pytest

from mbc.reports import suppression
from tests.reports.builder import ReportData

OCT, NOV = datetime(2026, 10, 5, 15, tzinfo=UTC), datetime(2026, 11, 10, 15, tzinfo=UTC)


def derivable(sizes: list[int], counts: list[int], plan: suppression.Plan) -> list[str]:
    """What a reader learns by subtraction: one line per leak found (none expected)."""
    leaks = []
    if plan.total is not None:
        return leaks  # the total is hidden: visible groups give no equation for the rest
    hidden = sorted(plan.hidden)
    if not hidden:
        return leaks
    left = sum(counts) - sum(c for i, c in enumerate(counts) if i not in plan.hidden)
    if len(hidden) == 1:
        leaks.append(f"group {hidden[0]} is total minus the rest: {left}")
    if sum(sizes[i] for i in hidden) < MIN:
        leaks.append(f"groups {hidden} together hold fewer than {MIN} and show {left}")
    return leaks


MIN = 5


def test_random_tables_leak_nothing_by_subtraction() -> None:
    rng = random.Random(19)
    for _ in range(5000):
        sizes = [rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 20]) for _ in range(rng.randint(1, 6))]
        sizes = [n for n in sizes if n] or [1]
        counts = [rng.randint(0, n) for n in sizes]
        plan = suppression.plan(sizes, sum(sizes), MIN)
        assert {i for i, n in enumerate(sizes) if n < MIN} <= plan.hidden, sizes
        if plan.total is None:
            assert sum(sizes) >= MIN
        assert derivable(sizes, counts, plan) == [], (sizes, plan)


def test_every_small_table_is_enumerated() -> None:
    """Every table of up to four groups of 1 to 7 clients."""
    from itertools import product

    for k in range(1, 5):
        for sizes in product(range(1, 8), repeat=k):
            plan = suppression.plan(list(sizes), sum(sizes), MIN)
            assert derivable(list(sizes), [0] * k, plan) == [], (sizes, plan)


def test_only_what_is_needed_is_hidden() -> None:
    assert suppression.plan([5, 6], 11, MIN) == suppression.Plan(frozenset(), frozenset(), None)
    # The example: 4 hidden, so the next-smallest (5) goes too; the total stays.
    assert suppression.plan([5, 4, 20], 29, MIN) == suppression.Plan(
        frozenset({1}), frozenset({0}), None
    )
    # Two small groups of 1 and 2 are still only 3 clients between them: one more goes.
    assert suppression.plan([1, 2, 8, 9], 20, MIN).hidden == {0, 1, 2}
    assert suppression.plan([3, 1], 4, MIN).total == suppression.SMALL


def team_example(app, make) -> None:
    """Team North: 5 clients; team South: 4 clients, one clinician, 3 of the 4 improved."""
    north, south = make.team("North"), make.team("South")
    ann = make.user(name="Ann North", team=north)
    sam = make.user(name="Sam South", team=south)
    data = ReportData(app)
    for baseline, latest in ((20, 20), (20, 20), (20, 20), (20, 19), (15, 15)):
        data.scores(make.client(ann, team_id=north.id), "phq9", [(OCT, baseline), (NOV, latest)])
    for baseline, latest in ((20, 10), (20, 12), (18, 8), (15, 15)):
        data.scores(make.client(sam, team_id=south.id), "phq9", [(OCT, baseline), (NOV, latest)])


ARGS = "by=team&instrument=phq9&start=2026-11-01&end=2026-11-22"


def test_outcomes_page_hides_the_team_that_would_give_the_small_one_away(
    app, make, as_admin
) -> None:
    team_example(app, make)
    page = as_admin.get(f"/admin/reports/outcomes?{ARGS}").get_data(as_text=True)
    section = page.split("Outcomes: PHQ-9")[1]
    north = section.split("North")[1].split("</tr>")[0]
    assert "Hidden so that a smaller group cannot be worked out from the total" in north
    assert "%" not in north
    south = section.split("South")[1].split("</tr>")[0]
    assert "Too few to show" in south and "%" not in south


def test_outcomes_csv_leaves_nothing_to_subtract(app, make, as_admin) -> None:
    team_example(app, make)
    response = as_admin.get(f"/admin/reports/outcomes.csv?table=outcomes_phq9&{ARGS}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    by_group = {r[0]: r for r in rows[1:]}
    assert by_group["All"][1] == "9" and by_group["All"][2] == "33.3"  # 3 of 9 improved
    for team in ("North", "South"):
        assert by_group[team][1] in ("5", "4")
        assert set(by_group[team][2:]) == {""}, team


def test_satisfaction_by_team_hides_the_linked_team(app, make, as_admin) -> None:
    from tests.reports.test_satisfaction import survey

    north, south = make.team("North"), make.team("South")
    ann = make.user(name="Ann North", team=north)
    sam = make.user(name="Sam South", team=south)
    data = ReportData(app)
    for day in range(2, 7):
        survey(data, make.client(ann, team_id=north.id), day, 4)
    for day in range(2, 6):
        survey(data, make.client(sam, team_id=south.id), day, 1)
    args = "by=team&start=2026-11-01&end=2026-11-22"
    response = as_admin.get(f"/admin/reports/satisfaction.csv?table=satisfaction&{args}")
    rows = {r[0]: r for r in csv.reader(io.StringIO(response.get_data(as_text=True)))}
    assert rows["All"][1] == "9" and rows["All"][2] != ""
    assert set(rows["North"][2:]) == {""} and set(rows["South"][2:]) == {""}
    page = as_admin.get(f"/admin/reports/satisfaction?{args}").get_data(as_text=True)
    assert "Hidden so that a smaller group cannot be worked out from the total" in page


@pytest.mark.parametrize("sizes", [[5, 4], [4, 1], [6, 2, 2]])
def test_apply_keeps_only_label_and_size(sizes) -> None:
    groups = [{"group": f"g{i}", "n": n, "mean": 1.0} for i, n in enumerate(sizes)]
    total = {"group": "All", "n": sum(sizes), "mean": 1.0}
    suppression.apply(groups, total, MIN)
    for row in [*groups, total]:
        assert ("mean" in row) != ("hidden" in row)
        if "hidden" in row:
            assert set(row) == {"group", "n", "hidden"}
