"""Results: nothing until a window closes and has enough responses; practice figures for all
staff; team rows and comments for admins only, suppressed so no small group can be derived."""

from __future__ import annotations

from decimal import Decimal

from mbc.extensions import db
from mbc.wellbeing import results
from mbc.wellbeing.models import PulseWindow
from tests.delivery.helpers import rows, tick
from tests.factories import PASSWORD
from tests.helpers import signin
from tests.wellbeing.conftest import CLOSES_AT, open_window
from tests.wellbeing.test_answer import WHO5_ALL_3, post


def answer_all(app, web, links, who, answers) -> None:
    for email in who:
        post(web, links[email], answers)


def close(app, clock) -> None:
    clock.advance(seconds=(CLOSES_AT - clock()).total_seconds())
    tick(app)


def test_figures_wait_for_the_close_and_for_enough_responses(
    app, admin, staff, scheduled, web, clock
) -> None:
    links = open_window(app)
    answer_all(app, web, links, [f"north{k}@example.org" for k in range(4)], WHO5_ALL_3)
    with app.app_context():
        [open_summary] = results.trend(5)
        assert open_summary.hidden and open_summary.figures.who5_mean is None
        assert open_summary.figures.n == 4  # the count is on view while open
    close(app, clock)
    with app.app_context():
        [closed] = results.trend(5)
        assert closed.hidden and closed.figures.n == 4  # four is under the minimum of five


def test_means_bands_items_and_rate_of_a_closed_window(
    app, admin, staff, scheduled, web, clock
) -> None:
    links = open_window(app)
    low = {f"who5_{n}": "1" for n in range(1, 6)}  # 20 %: likely-depression
    answer_all(app, web, links, [f"north{k}@example.org" for k in range(3)], WHO5_ALL_3)
    answer_all(app, web, links, [f"south{k}@example.org" for k in range(3)], low)
    answer_all(
        app,
        web,
        links,
        ["tiny0@example.org"],
        {"cbi_work_1": "100", "cbi_work_2": "75", "cbi_work_3": "50", "cbi_work_4": "0"},
    )
    close(app, clock)
    with app.app_context():
        window = db.session.query(PulseWindow).one()
        report = results.window_report(window, 5, admin=True)
    s = report.summary
    assert s.figures.n == 7 and s.invited == 16 and s.rate == Decimal(44)  # 7/16 = 43.75
    assert s.figures.who5_mean == Decimal("40.0")  # (3 x 60 + 3 x 20) / 6
    assert s.figures.who5_bands == {"likely-depression": 3, "poor": 0, "not-poor": 3}
    assert s.figures.cbi_mean == Decimal("56.3") and s.figures.cbi_bands["high"] == 1
    assert report.items["who5_1"] == {3: 3, 1: 3}
    assert results.item_mean(report.items["who5_1"]) == "2.0"


def test_no_team_can_be_derived_by_differencing(app, admin, staff, scheduled, web, clock) -> None:
    links = open_window(app)
    answer_all(app, web, links, [f"north{k}@example.org" for k in range(6)], WHO5_ALL_3)
    answer_all(app, web, links, [f"south{k}@example.org" for k in range(5)], WHO5_ALL_3)
    # Tiny's three are never recorded with their team; two of them answer, very differently.
    low = {f"who5_{n}": "0" for n in range(1, 6)}
    answer_all(app, web, links, ["tiny0@example.org", "tiny1@example.org"], low)
    close(app, clock)
    with app.app_context():
        window = db.session.query(PulseWindow).one()
        report = results.window_report(window, 5, admin=True)
    by_group = {row["group"]: row for row in report.teams}
    assert by_group["other"]["n"] == 2 and by_group["other"]["hidden"] == "small"
    # Hiding "Other" alone would leave it as All minus North minus South: South goes too.
    assert by_group["South"]["hidden"] == "linked" and "hidden" not in by_group["North"]
    hidden = [row for row in report.teams if row.get("hidden")]
    assert len(hidden) >= 2 and sum(row["n"] for row in hidden) >= 5
    # What an admin can compute from the shown rows covers at least five people.
    shown = [row for row in report.teams if not row.get("hidden")]
    total = report.total_row
    assert total["n"] - sum(row["n"] for row in shown) >= 5
    for row in hidden:
        assert set(row) <= {"group", "n", "hidden", "invited"}


def test_clinicians_see_the_practice_but_no_teams_or_comments(
    app, admin, staff, scheduled, clock
) -> None:
    from flask.testing import FlaskClient

    links = open_window(app)
    comment = {**WHO5_ALL_3, "pulse_comment": "Too many meetings"}
    answerer = app.test_client()
    answer_all(app, answerer, links, [f"north{k}@example.org" for k in range(6)], comment)
    close(app, clock)
    [window] = rows(app, PulseWindow)
    clinician: FlaskClient = signin(app.test_client(), "north0@example.org", PASSWORD)
    page = clinician.get(f"/wellbeing/windows/{window.id}").get_data(as_text=True)
    assert "Mean 60.0 of 100" in page
    assert "By team" not in page and "Too many meetings" not in page
    listing = clinician.get("/wellbeing/").get_data(as_text=True)
    assert "60.0" in listing and "Schedule the pulse" not in listing
    assert clinician.get("/wellbeing/schedule").status_code == 403
    as_admin = signin(app.test_client(), admin.email, PASSWORD)
    admin_page = as_admin.get(f"/wellbeing/windows/{window.id}").get_data(as_text=True)
    assert "By team" in admin_page and "Too many meetings" in admin_page
    assert "Wording can identify" in admin_page


def test_items_with_other_answer_labels_get_their_own_table() -> None:
    from mbc.instruments import registry

    tables = results.item_tables([registry.get(c) for c in ("who5", "cbi_work", "pulse")])
    assert [len(t.items) for t in tables] == [5, 3, 4, 4]
    cbi_frequency = tables[2]
    assert cbi_frequency.labels[0]["en"] == "Always"
    item7 = cbi_frequency.items[-1]
    assert item7.id == "cbi_work_7" and item7.options[0].value == 0  # Always: reverse-scored


def test_the_trend_chart_plots_only_windows_whose_figures_are_shown(
    app, admin, staff, scheduled, web, clock
) -> None:
    from mbc.wellbeing import trend_chart

    for month in range(3):
        links = open_window(app) if month == 0 else _next(app, clock)
        answer_all(app, web, links, [f"north{k}@example.org" for k in range(5)], WHO5_ALL_3)
    with app.app_context():
        trend = results.trend(5)
        chart = trend_chart.build(trend)
    assert [s.hidden for s in trend] == [True, False, False]  # the newest is still open
    assert chart is not None
    who5 = next(s for s in chart.series if s.key == "who5")
    assert [(day, value) for _, _, day, value in who5.points] == [
        ("2026-11-23", Decimal("60.0")),
        ("2026-12-23", Decimal("60.0")),
    ]


def _next(app, clock) -> dict[str, str]:
    from tests.wellbeing.conftest import pulse_links

    clock.advance(days=31)  # into the next month's window (it opens on the 23rd)
    tick(app)
    return pulse_links(app)
