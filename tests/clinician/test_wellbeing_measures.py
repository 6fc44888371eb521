"""WHO-5 and BRCS on the clinician's pages and in the outcomes report: higher is better, so
the good band is green and a rise is improvement; WHO-5's charts draw the <= 50 screen and the
<= 28 likely-depression line; BRCS reports change without a reliable-change verdict."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from mbc.clinician.charts import Score, instrument_chart
from mbc.clinician.summary import ORDER, Scored, summarise, tone
from mbc.instruments import registry
from mbc.reports.filters import ReportFilters
from mbc.reports.outcomes import outcomes
from mbc.scoring.change import change
from mbc.scoring.on_track import OnTrackRule
from tests.reports.builder import ReportData

WORDS = {
    "cutoff": "cut-off",
    "cutoff_range": "range",
    "clinical_range": "clinical range",
    "baseline": "baseline",
    "reliable": "reliable",
    "cluster": "Cluster {name}",
    "cutoff:who5": "<= 50",
    "who5_likely_depression": "<= 28",
}
START = datetime(2026, 9, 1, tzinfo=UTC)


def chart(code: str, *totals: int):
    scores = [Score(START + timedelta(weeks=i), Decimal(t)) for i, t in enumerate(totals)]
    return instrument_chart(registry.get(code), scores, language="en", title=code, labels=WORDS)


def test_who5_chart_draws_the_50_and_28_lines_and_says_higher_is_better() -> None:
    c = chart("who5", 40, 60)
    lines = {r.label: r for r in c.rules}
    assert c.higher_is_better and set(lines) == {"<= 50", "<= 28", "baseline"}
    per_point = (220 - 10 - 28) / 100
    assert lines["<= 28"].y - lines["<= 50"].y == pytest.approx(22 * per_point)
    assert [e.label for e in c.legend if e.shape == "line"] == ["<= 50", "<= 28", "baseline"]


def test_who5_bands_are_coloured_worst_red_best_green() -> None:
    bands = {s.label: s.css for s in chart("who5", 40).shades if s.css.startswith("band ")}
    assert bands == {
        "Likely depression": "band band-2",
        "Poor wellbeing": "band band-1",
        "Not poor": "band band-0",
    }
    assert chart("phq9", 5).shades[0].css == "band band-0"  # higher-is-worse unchanged


def test_who5_reliable_band_is_ten_points_either_side_of_the_baseline() -> None:
    [band] = [s for s in chart("who5", 40).shades if s.css == "reliable"]
    assert band.height == pytest.approx(20 * (220 - 10 - 28) / 100)


def test_brcs_chart_has_its_cut_off_but_no_reliable_band() -> None:
    c = chart("brcs", 12, 15)
    assert [r.css for r in c.rules] == ["cutoff", "baseline"]
    assert not [s for s in c.shades if s.css == "reliable"]


def scored(total: int, severity: str, days: int = 0) -> Scored:
    return Scored(START + timedelta(days=days), Decimal(total), severity)


def test_the_summary_counts_a_who5_rise_as_improvement() -> None:
    s = summarise(
        "who5",
        scored(28, "likely-depression"),
        None,
        scored(60, "not-poor", 30),
        2,
        rule=OnTrackRule(),
        now=START + timedelta(days=31),
        language="en",
    )
    assert s.reliable == "improved" and s.since_baseline.change == 32
    assert (s.band_label, s.tone) == ("Not poor", "band-0")
    assert s.verdict.status == "on_track"
    assert tone("who5", scored(20, "likely-depression")) == "band-2"


def test_the_brcs_summary_gives_change_and_no_verdict() -> None:
    s = summarise(
        "brcs",
        scored(10, "low"),
        None,
        scored(18, "high", 30),
        2,
        rule=OnTrackRule(),
        now=START + timedelta(days=31),
        language="en",
    )
    assert s.since_baseline.change == 8 and s.reliable is None
    assert s.verdict.reason == "no_rule" and s.tone == "band-0"


def test_the_new_measures_are_listed_after_the_symptom_measures() -> None:
    assert ORDER.index("ors") < ORDER.index("who5") < ORDER.index("brcs") < ORDER.index("srs")


NOVEMBER = ReportFilters(
    start=date(2026, 11, 1), end=date(2026, 11, 22), timezone="America/New_York"
)
OCT, NOV = datetime(2026, 10, 5, 15, tzinfo=UTC), datetime(2026, 11, 10, 15, tzinfo=UTC)
WHO5_PAIRS = [(28, 40), (28, 36), (44, 56), (60, 48), (60, 52)]


def test_outcomes_judge_who5_by_its_own_10_point_rule(app, make) -> None:
    clinician = make.user(name="Wen")
    data = ReportData(app)
    for baseline, latest in WHO5_PAIRS:
        data.scores(make.client(clinician), "who5", [(OCT, baseline), (NOV, latest)])
    with app.app_context():
        tables = {t.key: t for t in outcomes(NOVEMBER, "clinician", min_size=1)}
    row = {r["group"]: r for r in tables["outcomes_who5"].rows}["All"]
    judged = [change("who5", b, a) for b, a in WHO5_PAIRS]
    assert [j.reliable_improvement for j in judged] == [True, False, True, False, False]
    assert [j.reliable_deterioration for j in judged] == [False, False, False, True, False]
    assert (row["n"], row["improved"], row["deteriorated"], row["no_change"]) == (5, 40, 20, 40)
    # Recovery: reliably better and out of the <= 50 screen-positive range (44 -> 56 only).
    assert row["recovered"] == 20.0
    assert row["mean_change"] == pytest.approx(sum(a - b for b, a in WHO5_PAIRS) / 5)


def test_outcomes_give_brcs_change_but_no_reliable_figures(app, make) -> None:
    clinician = make.user(name="Bea")
    data = ReportData(app)
    for baseline, latest in [(8, 14), (12, 11)]:
        data.scores(make.client(clinician), "brcs", [(OCT, baseline), (NOV, latest)])
    with app.app_context():
        tables = {t.key: t for t in outcomes(NOVEMBER, "clinician", min_size=1)}
    table = tables["outcomes_brcs"]
    assert [c.key for c in table.columns] == ["group", "n", "mean_change", "baseline_mix"]
    row = {r["group"]: r for r in table.rows}["All"]
    assert (row["n"], row["mean_change"]) == (2, 2.5)
    assert row["baseline_mix"] == "Low resilient coping 100%"
    assert "outcomes_srs" not in tables and "outcomes_satisfaction" not in tables


def who5(*values: int) -> dict[str, str]:
    return {f"who5_{n}": str(v) for n, v in enumerate(values, 1)}


def test_a_spanish_client_answers_who5_in_english_and_the_clinician_is_told(
    app, make, as_clinician, client_es, web
) -> None:
    from mbc.clock import utcnow
    from tests.helpers import text_of
    from tests.survey.helpers import answer

    with app.app_context():
        make.appointment(client_es, starts_at=utcnow() + timedelta(hours=22))
    _, link = make.check_in(client_es, ("who5",))
    step = web.get(f"/s/{link}/1").get_data(as_text=True)
    assert "I have felt cheerful and in good spirits" in step and "All of the time" in step
    assert 'lang="en"' in step  # the questionnaire's own text is marked English
    import gzip

    packed = web.get(f"/s/{link}/1", headers={"Accept-Encoding": "gzip"}).get_data()
    assert len(packed) <= 14 * 1024 and b"At no time" in gzip.decompress(packed)
    answer(web, link, 1, who5(1, 1, 2, 1, 2))  # raw 7: 28 %
    _, link = make.check_in(client_es, ("who5",))
    answer(web, link, 1, who5(3, 3, 3, 3, 3))  # raw 15: 60 %
    page = text_of(as_clinician.get(f"/clients/{client_es.id}"))
    assert "WHO-5 Well-Being Index has no Spanish version yet" in page
    assert "60 · Not poor" in page and "Reliable improvement" in page
    assert "Higher is better." in page
    html = as_clinician.get(f"/clients/{client_es.id}").get_data(as_text=True)
    section = html[html.index('id="i-who5"') :]
    section = section[: section.index("</section>")]
    assert "≤ 50: screens positive, assess for depression" in section
    assert "≤ 28: likely depression" in section
    assert "Cluster raw" not in section  # the raw sum is not charted as a cluster
    home = text_of(as_clinician.get("/home"))
    assert "WHO-5 Well-Being Index" in home and "Reliably improved" in home
