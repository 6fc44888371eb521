"""Is a client on track? The practice's not-on-track rule applied to one instrument's scores.

The rule is a [decision] of the practice, shown to clinicians in words (``OnTrackRule``): a
client whose first score (the baseline) is in the instrument's clinical range is *not on track*
when the latest score is reliably worse than the baseline, or when it is not reliably better
after ``sessions`` scored check-ins of that instrument (the baseline counts as the first) or
``weeks`` weeks since the baseline, whichever comes first. Instruments without a clinical
cut-off or a reliable-change threshold (SRS, the satisfaction survey) are not judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from mbc.instruments import registry
from mbc.scoring.change import change
from mbc.scoring.result import ChangeResult, Total

# What ``assess`` can say, in the order a clinician should look at them.
NOT_ON_TRACK, NOT_YET, ON_TRACK, NOT_JUDGED = "not_on_track", "not_yet", "on_track", "not_judged"


@dataclass(frozen=True)
class OnTrackRule:
    sessions: int = 6
    weeks: int = 8

    def __post_init__(self) -> None:
        if self.sessions < 2 or self.weeks < 1:
            raise ValueError("the rule needs at least 2 sessions and 1 week")

    @classmethod
    def of(cls, practice: object) -> OnTrackRule:
        """From the practice's settings row."""
        return cls(
            sessions=practice.not_on_track_sessions,  # type: ignore[attr-defined]
            weeks=practice.not_on_track_weeks,  # type: ignore[attr-defined]
        )


@dataclass(frozen=True)
class Measurement:
    at: datetime
    total: Total


@dataclass(frozen=True)
class Verdict:
    status: str  # NOT_ON_TRACK, NOT_YET, ON_TRACK or NOT_JUDGED
    reason: str  # why, as a key the pages translate (see REASONS in the clinician labels)
    change: ChangeResult | None  # baseline to latest, where there are two scores
    measurements: int


def assess(code: str, series: Sequence[Measurement], rule: OnTrackRule, now: datetime) -> Verdict:
    """The verdict for one instrument's valid scores, oldest first, judged at ``now``."""
    if not series:
        return judge(code, None, None, 0, rule, now)
    return judge(code, series[0], series[-1], len(series), rule, now)


def judge(
    code: str,
    baseline: Measurement | None,
    latest: Measurement | None,
    n: int,
    rule: OnTrackRule,
    now: datetime,
) -> Verdict:
    """The verdict from the first and latest of ``n`` valid scores (all a summary query needs)."""
    if baseline is None or latest is None or n == 0:
        return Verdict(NOT_JUDGED, "no_scores", None, 0)
    scoring = registry.get(code).scoring
    if scoring.change.reliable is None or scoring.clinical_cutoff is None:
        return Verdict(NOT_JUDGED, "no_rule", None, n)
    if not scoring.clinical_cutoff.met_by(Decimal(str(baseline.total))):
        return Verdict(NOT_JUDGED, "baseline_not_clinical", None, n)
    if n == 1:
        return Verdict(NOT_YET, "baseline_only", None, n)
    result = change(code, baseline.total, latest.total)
    if result.reliable_deterioration:
        return Verdict(NOT_ON_TRACK, "reliable_deterioration", result, n)
    if result.reliable_improvement:
        return Verdict(ON_TRACK, "reliable_improvement", result, n)
    if n >= rule.sessions:
        return Verdict(NOT_ON_TRACK, "no_improvement_after_sessions", result, n)
    if now - baseline.at >= timedelta(weeks=rule.weeks):
        return Verdict(NOT_ON_TRACK, "no_improvement_after_weeks", result, n)
    return Verdict(NOT_YET, "within_window", result, n)
