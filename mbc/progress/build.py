"""What a client's progress page shows, from their completed responses: per instrument, the
scores over time as a plain chart, a table of the same, and the band of each score in plain
words (``mbc.instruments.wording``). Pure: responses in, plain values out.

Only totals: no answers to single questions, no flags, no alerts, no notes. The satisfaction
survey (not a validated measure) has no score to show a client.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from mbc.clinician.charts import Chart, Score, plain_chart
from mbc.clinician.progress import ResponseLike
from mbc.instruments import registry
from mbc.survey.pages import NO_SCORE_FOR_CLIENTS

ORDER = ("phq9", "gad7", "pcl5", "ors", "srs")  # the usual order; others after, by code
# [decision] The page shows each questionnaire's latest 52 scores (a year of weekly check-ins):
# more would not read on a phone's chart, and it keeps the page within 14 KB for any history.
MOST_SHOWN = 52


@dataclass(frozen=True)
class Row:
    at: datetime
    total: Decimal
    words: str | None  # the band in plain words; None when there is none to give


@dataclass
class ClientInstrument:
    code: str
    title: str
    about: str | None
    credit: str
    maximum: Decimal
    higher_is_better: bool
    chart: Chart
    rows: list[Row] = field(default_factory=list)
    # The instrument has bands but no plain words for one of them (e.g. added later): the page
    # says the clinician can explain, rather than show a clinical label.
    words_missing: bool = False
    earlier: int = 0  # older scores not shown (MOST_SHOWN)

    @property
    def latest(self) -> Row:
        return self.rows[-1]


def build(responses: Sequence[ResponseLike], language: str) -> list[ClientInstrument]:
    """One entry per instrument with at least one valid total, in the usual order."""
    by_code: dict[str, list[ResponseLike]] = defaultdict(list)
    for response in sorted(responses, key=lambda r: (r.completed_at or datetime.min, r.id)):
        if response.instrument_code in NO_SCORE_FOR_CLIENTS:
            continue
        if response.completed_at is None or not response.is_valid or response.total is None:
            continue
        if not registry.has(response.instrument_code):
            continue  # a practice's instrument this process has not loaded: nothing to show
        by_code[response.instrument_code].append(response)
    codes = sorted(by_code, key=lambda c: (ORDER.index(c) if c in ORDER else len(ORDER), c))
    return [_instrument(code, by_code[code], language) for code in codes]


def _instrument(code: str, responses: list[ResponseLike], language: str) -> ClientInstrument:
    earlier = max(0, len(responses) - MOST_SHOWN)
    responses = responses[earlier:]
    definition = registry.get(code)
    wording = registry.client_wording(code)
    bands = definition.scoring.bands
    words = [wording.band_words(b.key, language) or "" for b in bands]
    rows = [
        Row(r.completed_at, Decimal(r.total), _band_words(code, r, language))  # type: ignore[arg-type]
        for r in responses
    ]
    title = definition.text(definition.title, language)
    points = [Score(row.at, row.total, row.words) for row in rows]
    return ClientInstrument(
        code=code,
        title=title,
        about=wording.about_text(language),
        credit=definition.credit,
        maximum=definition.scoring.total_max,
        higher_is_better=definition.scoring.direction == "higher_is_better",
        chart=plain_chart(definition, points, title=title, band_words=words),
        rows=rows,
        words_missing=bool(bands) and not all(words),
        earlier=earlier,
    )


def _band_words(code: str, response: ResponseLike, language: str) -> str | None:
    """The plain words of the band a response was scored in, by the bands of the version it
    was answered on (a later version may band differently)."""
    try:
        definition = registry.get(code, response.instrument_version)
    except registry.UnknownInstrument:
        return None
    if not any(band.key == response.severity for band in definition.scoring.bands):
        return None
    return registry.client_wording(code).band_words(response.severity, language)
