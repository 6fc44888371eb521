"""Satisfaction: means per item with the minimum group size, and comments without names."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from mbc.reports.filters import ReportFilters
from mbc.reports.satisfaction import satisfaction
from tests.reports.builder import ReportData

NOVEMBER = ReportFilters(
    start=date(2026, 11, 1), end=date(2026, 11, 22), timezone="America/New_York"
)
ITEMS = (
    "satisfaction_heard",
    "satisfaction_priorities",
    "satisfaction_trust",
    "satisfaction_scheduling",
    "satisfaction_recommend",
    "satisfaction_overall",
)


def survey(data, client, day: int, value: int, comment: str = "") -> None:
    answers = {item: value for item in ITEMS}
    answers["satisfaction_heard"] = 5
    if comment:
        answers["satisfaction_comment"] = comment
    mean = round((5 + value * 5) / 6, 1)
    at = datetime(2026, 11, day, 15, tzinfo=UTC)
    data.check_in(
        client,
        at - timedelta(hours=1),
        instruments=("satisfaction",),
        completed_at=at,
        totals={"satisfaction": mean},
        answers=answers,
    )


@pytest.fixture
def world(app, make):
    ann, bob = make.user(name="Ann"), make.user(name="Bob")
    data = ReportData(app)
    for day, value in zip((2, 3, 4, 5, 6), (4, 4, 3, 5, 2), strict=True):
        survey(data, make.client(ann, first_name="Named"), day, value, comment=f"Comment {day}")
    survey(data, make.client(bob), 7, 1, comment='=HYPERLINK("http://x")')
    survey(data, make.client(bob), 8, 5)
    return data


def test_means_per_group_and_item_with_small_groups_hidden(app, world) -> None:
    with app.app_context():
        table, _comments = satisfaction(NOVEMBER, "clinician", min_size=5)
        shown, _comments = satisfaction(NOVEMBER, "clinician", min_size=2)
    rows = {r["group"]: r for r in table.rows}
    ann = {r["group"]: r for r in shown.rows}["Ann"]
    assert ann["n"] == 5
    assert ann["satisfaction_heard"] == pytest.approx(5.0)
    assert ann["satisfaction_trust"] == pytest.approx((4 + 4 + 3 + 5 + 2) / 5)
    assert rows["Bob"] == {"group": "Bob", "n": 2, "hidden": "small"}
    # Ann's means and All's would give Bob's by subtraction: Ann's are hidden too.
    assert rows["Ann"] == {"group": "Ann", "n": 5, "hidden": "linked"}
    assert rows["All"]["n"] == 7
    assert rows["All"]["satisfaction_overall"] == pytest.approx((4 + 4 + 3 + 5 + 2 + 1 + 5) / 7)


def test_comments_are_listed_newest_first_without_names(app, world) -> None:
    with app.app_context():
        _, comments = satisfaction(NOVEMBER, "clinician", min_size=5)
    assert [r["comment"] for r in comments.rows][:3] == [
        '=HYPERLINK("http://x")',
        "Comment 6",
        "Comment 5",
    ]
    assert set(comments.rows[0]) == {"month", "comment"}
    assert comments.rows[0]["month"] == "2026-11"
    # A spreadsheet would run the first comment as a formula; the CSV quotes it.
    assert "'=HYPERLINK" in comments.to_csv()
    assert "Named" not in comments.to_csv()


def test_comments_wait_for_the_minimum_number_of_surveys(app, world) -> None:
    only_bob = ReportFilters(**{**NOVEMBER.__dict__, "start": date(2026, 11, 7)})
    with app.app_context():
        _, comments = satisfaction(only_bob, "clinician", min_size=5)
    assert comments.rows == []
    assert "at least 5 surveys" in comments.note
