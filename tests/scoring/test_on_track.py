"""The practice's not-on-track rule: each way in and out of it, at its boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mbc.scoring.on_track import (
    NOT_JUDGED,
    NOT_ON_TRACK,
    NOT_YET,
    ON_TRACK,
    Measurement,
    OnTrackRule,
    assess,
)

START = datetime(2026, 9, 1, 15, 0, tzinfo=UTC)
RULE = OnTrackRule(sessions=6, weeks=8)


def weekly(*totals) -> list[Measurement]:
    return [Measurement(START + timedelta(weeks=i), t) for i, t in enumerate(totals)]


def at_week(week: float) -> datetime:
    return START + timedelta(weeks=week)


def test_a_reliable_rise_on_phq9_is_not_on_track_at_once() -> None:
    verdict = assess("phq9", weekly(12, 18), RULE, at_week(1))
    assert (verdict.status, verdict.reason) == (NOT_ON_TRACK, "reliable_deterioration")
    assert verdict.change is not None and verdict.change.change == 6


def test_a_rise_just_short_of_reliable_is_not_yet_judged() -> None:
    verdict = assess("phq9", weekly(12, 17), RULE, at_week(1))
    assert (verdict.status, verdict.reason) == (NOT_YET, "within_window")


def test_a_reliable_drop_is_on_track() -> None:
    verdict = assess("phq9", weekly(15, 12, 9), RULE, at_week(2))
    assert (verdict.status, verdict.reason) == (ON_TRACK, "reliable_improvement")


@pytest.mark.parametrize(("scores", "status"), [(5, NOT_YET), (6, NOT_ON_TRACK)])
def test_no_reliable_improvement_after_the_set_number_of_sessions(scores, status) -> None:
    series = weekly(*([14] * scores))
    # judged the day after the last score, well inside 8 weeks
    verdict = assess("phq9", series, RULE, series[-1].at + timedelta(days=1))
    assert verdict.status == status
    if status == NOT_ON_TRACK:
        assert verdict.reason == "no_improvement_after_sessions"


@pytest.mark.parametrize(
    ("when", "status"),
    [(at_week(8) - timedelta(seconds=1), NOT_YET), (at_week(8), NOT_ON_TRACK)],
)
def test_no_reliable_improvement_after_the_set_number_of_weeks(when, status) -> None:
    series = [Measurement(START, 14), Measurement(START + timedelta(weeks=4), 12)]
    verdict = assess("phq9", series, RULE, when)
    assert verdict.status == status
    if status == NOT_ON_TRACK:
        assert verdict.reason == "no_improvement_after_weeks"


@pytest.mark.parametrize(("baseline", "status"), [(9, NOT_JUDGED), (10, NOT_ON_TRACK)])
def test_only_a_baseline_in_the_clinical_range_is_judged(baseline, status) -> None:
    verdict = assess("phq9", weekly(baseline, baseline + 6), RULE, at_week(1))
    assert verdict.status == status


def test_ors_is_judged_with_higher_as_better() -> None:
    worse = assess("ors", weekly("24.0", "19.0"), RULE, at_week(1))
    better = assess("ors", weekly("24.0", "29.0"), RULE, at_week(1))
    above = assess("ors", weekly("25.1", "20.0"), RULE, at_week(1))
    assert (worse.status, better.status, above.status) == (NOT_ON_TRACK, ON_TRACK, NOT_JUDGED)


def test_pcl5_and_gad7_use_their_own_thresholds() -> None:
    assert assess("pcl5", weekly(40, 45), RULE, at_week(1)).status == NOT_ON_TRACK
    assert assess("pcl5", weekly(40, 44), RULE, at_week(1)).status == NOT_YET
    assert assess("gad7", weekly(12, 16), RULE, at_week(1)).status == NOT_ON_TRACK
    assert assess("gad7", weekly(12, 15), RULE, at_week(1)).status == NOT_YET


def test_a_baseline_alone_is_not_yet_judged_and_no_scores_is_not_judged() -> None:
    assert assess("phq9", weekly(20), RULE, at_week(20)).reason == "baseline_only"
    assert assess("phq9", [], RULE, at_week(0)).reason == "no_scores"


def test_instruments_without_a_rule_are_not_judged() -> None:
    assert assess("srs", weekly("30.0", "20.0"), RULE, at_week(1)).reason == "no_rule"
    assert assess("satisfaction", weekly("2.0", "1.0"), RULE, at_week(1)).reason == "no_rule"


def test_a_practice_can_set_a_stricter_rule() -> None:
    strict = OnTrackRule(sessions=3, weeks=4)
    assert assess("phq9", weekly(14, 14, 14), strict, at_week(2)).status == NOT_ON_TRACK
    with pytest.raises(ValueError):
        OnTrackRule(sessions=1, weeks=8)
