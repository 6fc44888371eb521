"""A client's progress on each instrument, as the client page shows it: the summary, the chart,
PCL-5 cluster charts, the item heat map of recent responses and the latest answers in words.

Pure: completed responses (any objects with the Response attributes used here) in, plain
values out; the template only lays them out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, Protocol

from mbc.clinician.charts import Chart, Score, instrument_chart, subscale_chart
from mbc.clinician.summary import InstrumentSummary, Scored, band_label, sort_key, summarise
from mbc.instruments import registry
from mbc.instruments.schema import Definition, Item
from mbc.scoring.on_track import OnTrackRule

HEAT_MAP_COLUMNS = 8


class ResponseLike(Protocol):
    id: int
    instrument_code: str
    instrument_version: str
    language: str
    completed_at: datetime | None
    is_valid: bool | None
    invalid_reason: str | None
    total: Decimal | None
    severity: str | None
    is_prorated: bool | None
    flags: list[str]
    subscales: dict[str, Any]
    answers: dict[str, Any]


@dataclass(frozen=True)
class Cell:
    value: str  # as answered ("2", "7.5"), or "" when missing
    level: int  # 0 (best) to 4 (worst), -1 when missing


@dataclass(frozen=True)
class HeatRow:
    item_id: str
    text: str
    cells: list[Cell]


@dataclass(frozen=True)
class Answer:
    item_id: str
    text: str
    answer: str  # the option's words, the number on a line, the comment; "" when skipped
    scored: bool


@dataclass
class InstrumentProgress:
    code: str
    title: str
    credit: str
    summary: InstrumentSummary | None  # None when no response could be scored
    chart: Chart
    subscale_charts: list[Chart] = field(default_factory=list)
    heat_dates: list[datetime] = field(default_factory=list)
    heat_rows: list[HeatRow] = field(default_factory=list)
    latest_answers: list[Answer] = field(default_factory=list)
    latest_at: datetime | None = None
    latest_language: str | None = None
    unscorable: int = 0  # completed responses without a valid total
    # The languages the client answered in, and the definition's languages with their status
    # ("official", "unverified"): the page says when a version was unverified or missing.
    answered_in: list[str] = field(default_factory=list)
    translations: dict[str, str] = field(default_factory=dict)


def build(
    responses: Sequence[ResponseLike],
    *,
    language: str,
    rule: OnTrackRule,
    now: datetime,
    chart_words: dict[str, str],
) -> list[InstrumentProgress]:
    """One entry per instrument the client has completed, in the usual instrument order."""
    by_code: dict[str, list[ResponseLike]] = defaultdict(list)
    for response in sorted(responses, key=lambda r: (r.completed_at or datetime.min, r.id)):
        if response.completed_at is not None and registry.has(response.instrument_code):
            # (one whose practice definition is no longer loaded has no words to show it in)
            by_code[response.instrument_code].append(response)
    entries = [
        _instrument(code, items, language, rule, now, chart_words)
        for code, items in by_code.items()
    ]
    entries.sort(key=lambda e: sort_key(e.summary) if e.summary else 99)
    return entries


def _instrument(
    code: str,
    responses: list[ResponseLike],
    language: str,
    rule: OnTrackRule,
    now: datetime,
    words: dict[str, str],
) -> InstrumentProgress:
    definition = registry.get(code)
    valid = [r for r in responses if r.is_valid and r.total is not None]
    scored = [Scored(r.completed_at, Decimal(r.total), r.severity) for r in valid]  # type: ignore[arg-type]
    summary = None
    if scored:
        summary = summarise(
            code,
            scored[0],
            scored[-2] if len(scored) > 1 else None,
            scored[-1],
            len(scored),
            rule=rule,
            now=now,
            language=language,
        )
    title = definition.text(definition.title, language)
    points = [Score(s.at, s.total, band_label(code, s.severity, language)) for s in scored]
    entry = InstrumentProgress(
        code=code,
        title=title,
        credit=definition.credit,
        summary=summary,
        chart=instrument_chart(definition, points, language=language, title=title, labels=words),
        # An unscored questionnaire (a practice's own, method "none") has nothing to score.
        unscorable=len(responses) - len(valid) if definition.is_scored else 0,
        answered_in=sorted({r.language for r in responses}),
        translations=dict(definition.languages),
    )
    for name, item_ids in definition.scoring.subscales.items():
        if set(item_ids) == {i.id for i in definition.scored_items}:
            continue  # every item: the raw total (WHO-5's 0-25), not a cluster to chart
        maximum = _subscale_max(definition, item_ids)
        cluster = [
            Score(r.completed_at, Decimal(r.subscales[name]), None)  # type: ignore[arg-type]
            for r in valid
            if r.subscales.get(name) is not None
        ]
        entry.subscale_charts.append(
            subscale_chart(_subscale_title(words, code, name), maximum, cluster)
        )
    recent = responses[-HEAT_MAP_COLUMNS:]
    better_up = definition.scoring.direction == "higher_is_better"
    entry.heat_dates = [r.completed_at for r in recent]  # type: ignore[misc]
    entry.heat_rows = [
        HeatRow(
            item.id,
            definition.text(item.text, language),
            [_cell(item, r, better_up) for r in recent],
        )
        for item in definition.items
        if item.kind != "text"
    ]
    latest = responses[-1]
    entry.latest_at, entry.latest_language = latest.completed_at, latest.language
    entry.latest_answers = [
        _answer(definition, item, latest, language) for item in definition.items
    ]
    return entry


def _subscale_title(words: dict[str, str], code: str, name: str) -> str:
    """A subscale by its name ("Intrusion (B)"), or "Cluster B" when it has none of its own."""
    return words.get(f"subscale:{code}:{name}") or words["cluster"].format(name=name)


def _subscale_max(definition: Definition, item_ids: Sequence[str]) -> int:
    return sum(max(definition.item(i).allowed_values) for i in item_ids)


def _cell(item: Item, response: ResponseLike, higher_is_better: bool) -> Cell:
    raw = response.answers.get(item.id)
    if raw is None or raw == "":
        return Cell("", -1)
    value = Decimal(str(raw))
    if item.kind == "vas":
        low, high = item.minimum or Decimal(0), item.maximum or Decimal(10)
        worse = 1 - (value - low) / ((high - low) or 1)  # higher is better on a line
    elif item.options:
        values = sorted(item.allowed_values)
        worse = Decimal(values.index(int(value))) / max(len(values) - 1, 1)
        if higher_is_better:
            worse = 1 - worse
    else:
        return Cell(str(raw), 0)
    return Cell(f"{value.normalize():f}" if item.kind == "vas" else str(raw), round(worse * 4))


def _answer(definition: Definition, item: Item, response: ResponseLike, language: str) -> Answer:
    text = definition.text(item.text, language)
    raw = response.answers.get(item.id)
    if raw is None or raw == "":
        return Answer(item.id, text, "", item.scored)
    if item.options:
        for option in item.options:
            if str(option.value) == str(raw):
                label = definition.text(option.label, language)
                return Answer(item.id, text, f"{label} ({option.value})", item.scored)
    return Answer(item.id, text, str(raw), item.scored)
