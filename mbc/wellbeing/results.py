"""Pulse results: per window the response rate, WHO-5 and burnout means and bands, each item's
distribution and, for admins, teams large enough to show; the trend across windows.

Aggregated in SQL in a fixed number of queries, whatever the number of staff or windows. A
window with fewer responses than the practice's ``min_group_size`` shows only its counts; team
rows go through complementary suppression (mbc.reports.suppression), the responses of small
teams and of staff without a team counted together as one more group, so no hidden group can be
worked out as the total minus the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Integer, case, cast, func, select

from mbc.extensions import db
from mbc.practice.models import Team
from mbc.reports import suppression
from mbc.wellbeing.models import PulseAnswer, PulseResponse, PulseWindow, PulseWindowTeam

ONE_PLACE = Decimal("0.1")
WHO5_BANDS = ("likely-depression", "poor", "not-poor")
CBI_BANDS = ("not-high", "high")


def mean(total: Any, count: int, scale: int = 1) -> Decimal | None:
    """An exact mean to one decimal, half up (``scale`` 10: ``total`` is in tenths)."""
    if not count:
        return None
    exact = Decimal(int(total or 0)) / Decimal(count * scale)
    return exact.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


def _aggregates() -> list[Any]:
    r = PulseResponse
    who5_n = func.count(r.who5_score)
    cbi_n = func.count(r.cbi_score)
    return [
        func.count().label("n"),
        func.coalesce(func.sum(r.who5_score), 0).label("who5_sum"),
        who5_n.label("who5_n"),
        func.coalesce(cast(func.round(func.sum(r.cbi_score * 10)), Integer), 0).label("cbi_tenths"),
        cbi_n.label("cbi_n"),
        *(
            func.sum(case((r.who5_band == band, 1), else_=0)).label(f"who5_{band}")
            for band in WHO5_BANDS
        ),
        *(
            func.sum(case((r.cbi_band == band, 1), else_=0)).label(f"cbi_{band}")
            for band in CBI_BANDS
        ),
    ]


@dataclass
class Figures:
    """Scores of a group of responses (a window, a team), or hidden."""

    n: int
    who5_mean: Decimal | None = None
    cbi_mean: Decimal | None = None
    who5_bands: dict[str, int] = field(default_factory=dict)
    cbi_bands: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, row: Any) -> Figures:
        return cls(
            n=int(row.n),
            who5_mean=mean(row.who5_sum, int(row.who5_n)),
            cbi_mean=mean(row.cbi_tenths, int(row.cbi_n), scale=10),
            who5_bands={b: int(getattr(row, f"who5_{b}") or 0) for b in WHO5_BANDS},
            cbi_bands={b: int(getattr(row, f"cbi_{b}") or 0) for b in CBI_BANDS},
        )


@dataclass
class WindowSummary:
    window: PulseWindow
    invited: int
    figures: Figures
    hidden: bool  # still open, or fewer responses than the minimum: counts only

    @property
    def rate(self) -> Decimal | None:
        if not self.invited:
            return None
        return (Decimal(100 * self.figures.n) / self.invited).quantize(Decimal(1), ROUND_HALF_UP)


def minimum(window: PulseWindow, practice_min: int) -> int:
    return max(window.min_group_size, practice_min)


def trend(practice_min: int) -> list[WindowSummary]:
    """Every window, newest first, with its practice-wide figures (two queries)."""
    windows = db.session.scalars(select(PulseWindow).order_by(PulseWindow.opens_on.desc())).all()
    grouped = {
        row.window_id: row
        for row in db.session.execute(
            select(PulseResponse.window_id, *_aggregates()).group_by(PulseResponse.window_id)
        )
    }
    summaries = []
    for window in windows:
        row = grouped.get(window.id)
        figures = Figures.of(row) if row is not None else Figures(n=0)
        # Figures only once the window has closed: watching them change answer by answer
        # would tell each new answer from the last.
        hidden = window.closed_at is None or figures.n < minimum(window, practice_min)
        summaries.append(WindowSummary(window, window.invited, _hide(figures, hidden), hidden))
    return summaries


def _hide(figures: Figures, hidden: bool) -> Figures:
    return Figures(n=figures.n) if hidden else figures


@dataclass
class WindowReport:
    summary: WindowSummary
    items: dict[str, dict[int, int]]  # item id -> value -> count (empty when hidden)
    teams: list[dict[str, Any]]  # rows for suppression.apply, admins only
    total_row: dict[str, Any]
    comments: list[str]


def window_report(window: PulseWindow, practice_min: int, *, admin: bool) -> WindowReport:
    summary = next(s for s in trend(practice_min) if s.window.id == window.id)
    smallest = minimum(window, practice_min)
    items: dict[str, dict[int, int]] = {}
    comments: list[str] = []
    teams: list[dict[str, Any]] = []
    total_row: dict[str, Any] = {}
    if not summary.hidden:
        items = _distributions(window.id)
        if admin:
            comments = sorted(
                db.session.scalars(
                    select(PulseResponse.comment).where(
                        PulseResponse.window_id == window.id, PulseResponse.comment.is_not(None)
                    )
                )
            )
    if admin and window.closed_at is not None:
        teams, total_row = team_rows(window, summary, smallest)
    return WindowReport(summary, items, teams, total_row, comments)


def _distributions(window_id: int) -> dict[str, dict[int, int]]:
    found: dict[str, dict[int, int]] = {}
    query = (
        select(PulseAnswer.item_id, PulseAnswer.value, func.count())
        .where(PulseAnswer.window_id == window_id)
        .group_by(PulseAnswer.item_id, PulseAnswer.value)
    )
    for item_id, value, count in db.session.execute(query):
        found.setdefault(item_id, {})[int(value)] = int(count)
    return found


def item_mean(counts: dict[int, int]) -> str:
    """An item's mean answer from its distribution, to one decimal ("–" when unanswered)."""
    n = sum(counts.values())
    found = mean(sum(value * count for value, count in counts.items()), n)
    return "–" if found is None else str(found)


@dataclass(frozen=True)
class ItemTable:
    """Items that share their answer labels, shown in one table (CBI items 1-3 and 4-7 have
    different ones; item 7's values run the other way under the same labels)."""

    title: dict[str, str]
    ours: bool
    labels: list[dict[str, str]]
    items: list[Any]  # instruments.schema.Item


def item_tables(definitions: list[Any]) -> list[ItemTable]:
    tables: list[ItemTable] = []
    for definition in definitions:
        previous: tuple[str, ...] | None = None
        for item in definition.scored_items:
            key = tuple(o.label["en"] for o in item.options)
            if key != previous:
                tables.append(
                    ItemTable(
                        definition.title,
                        definition.licence == "ours",
                        [o.label for o in item.options],
                        [],
                    )
                )
                previous = key
            tables[-1].items.append(item)
    return tables


OTHER = "other"  # small teams and staff without a team, together


def team_rows(
    window: PulseWindow, summary: WindowSummary, smallest: int
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One row per team large enough to be written on responses, and one for everyone else,
    suppressed so that no group under ``smallest`` can be derived from the rest."""
    invited = {
        team_id: (name, n)
        for team_id, name, n in db.session.execute(
            select(PulseWindowTeam.team_id, Team.name, PulseWindowTeam.invited)
            .join(Team, Team.id == PulseWindowTeam.team_id)
            .where(PulseWindowTeam.window_id == window.id)
            .order_by(Team.name)
        )
    }
    grouped = {
        row.team_id: row
        for row in db.session.execute(
            select(PulseResponse.team_id, *_aggregates())
            .where(PulseResponse.window_id == window.id)
            .group_by(PulseResponse.team_id)
        )
    }
    rows: list[dict[str, Any]] = []
    large_invited = 0
    for team_id, (name, n_invited) in invited.items():
        if n_invited < window.min_group_size:
            continue
        large_invited += n_invited
        rows.append(_row(name, n_invited, grouped.get(team_id)))
    rows.append(_row(OTHER, window.invited - large_invited, grouped.get(None)))
    total = {
        "group": "all",
        "n": summary.figures.n,
        "invited": summary.invited,
        "figures": summary.figures,
    }
    invited_of = [row["invited"] for row in rows]
    suppression.apply(rows, total, smallest)
    for row, n_invited in zip(rows, invited_of, strict=True):
        row["invited"] = n_invited  # a headcount, on view like n
    total["invited"] = summary.invited
    return rows, total


def _row(group: str, invited: int, aggregate: Any) -> dict[str, Any]:
    figures = Figures.of(aggregate) if aggregate is not None else Figures(n=0)
    return {"group": group, "n": figures.n, "invited": invited, "figures": figures}
