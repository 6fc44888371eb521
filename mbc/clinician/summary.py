"""What a clinician sees of one instrument at a glance: the latest score and its band, change
since baseline and since last time, reliable change, and the not-on-track verdict. Pure: built
from the first, previous and latest scores that ``mbc.clinician.queries`` selects in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from mbc.clinician.charts import band_css
from mbc.instruments import registry
from mbc.scoring.change import change
from mbc.scoring.on_track import NOT_ON_TRACK, Measurement, OnTrackRule, Verdict, judge
from mbc.scoring.result import ChangeResult

# The order instruments are listed in, symptoms first.
ORDER = ("phq9", "gad7", "pcl5", "ors", "who5", "brcs", "srs", "satisfaction")


@dataclass(frozen=True)
class Scored:
    at: datetime
    total: Decimal
    severity: str | None  # the band's key, or None


@dataclass(frozen=True)
class InstrumentSummary:
    code: str
    title: str
    baseline: Scored
    previous: Scored | None
    latest: Scored
    count: int
    band_label: str | None  # the latest score's band, in words
    tone: str  # css tone of the latest score: band-0 ... band-4, "clinical" or "plain"
    since_baseline: ChangeResult | None
    since_previous: ChangeResult | None
    verdict: Verdict

    @property
    def not_on_track(self) -> bool:
        return self.verdict.status == NOT_ON_TRACK

    @property
    def reliable(self) -> str | None:
        """``improved`` or ``deteriorated`` since baseline, where reliable change says so."""
        result = self.since_baseline
        if result is None:
            return None
        if result.reliable_improvement:
            return "improved"
        if result.reliable_deterioration:
            return "deteriorated"
        return None


def summarise(
    code: str,
    baseline: Scored,
    previous: Scored | None,
    latest: Scored,
    count: int,
    *,
    rule: OnTrackRule,
    now: datetime,
    language: str,
) -> InstrumentSummary:
    definition = registry.get(code)
    verdict = judge(
        code,
        Measurement(baseline.at, baseline.total),
        Measurement(latest.at, latest.total),
        count,
        rule,
        now,
    )
    return InstrumentSummary(
        code=code,
        title=definition.text(definition.title, language),
        baseline=baseline,
        previous=previous,
        latest=latest,
        count=count,
        band_label=band_label(code, latest.severity, language),
        tone=tone(code, latest),
        since_baseline=change(code, baseline.total, latest.total) if count > 1 else None,
        since_previous=change(code, previous.total, latest.total) if previous else None,
        verdict=verdict,
    )


def band_label(code: str, severity: str | None, language: str) -> str | None:
    definition = registry.get(code)
    for band in definition.scoring.bands:
        if band.key == severity:
            return definition.text(band.label, language)
    return None


def tone(code: str, score: Scored) -> str:
    """The colour class of a score: its band's position, else whether it is in clinical range."""
    definition = registry.get(code)
    scoring = definition.scoring
    for index, band in enumerate(scoring.bands):
        if band.key == score.severity:
            return band_css(definition, index)
    cutoff = scoring.clinical_cutoff
    if cutoff is not None and cutoff.met_by(score.total):
        return "clinical"
    return "plain"


def sort_key(summary: InstrumentSummary) -> int:
    return ORDER.index(summary.code) if summary.code in ORDER else len(ORDER)
