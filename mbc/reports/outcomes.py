"""Outcomes per instrument: reliable improvement, recovery and deterioration, and mean change.

Counted for clients with a valid baseline and at least one valid follow-up, whose latest score
before the end of the period falls inside it. Baseline is the first valid score ever; the
judgement is the instrument's own (``mbc.scoring.change``, done here in SQL with the same
thresholds): reliably improved when the improvement reaches the reliable-change threshold,
reliably recovered when it also crosses from the clinical range to outside it. Groups smaller
than the practice's minimum size show no figures, and each group's baseline severity mix is
given beside it so groups are compared fairly.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, case, func, select

from mbc.assessments.models import Response, valid_score
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.extensions import db
from mbc.instruments import registry
from mbc.instruments.schema import Definition
from mbc.practice.models import Team
from mbc.reports import suppression
from mbc.reports.filters import ReportFilters
from mbc.reports.score_probes import score_probe
from mbc.reports.table import Column, Table, share
from mbc.templating import instrument_name

GROUPINGS = {"clinician": _l("Clinician"), "team": _l("Team")}
COMPARE = {">=": operator.ge, "<=": operator.le, "<": operator.lt, ">": operator.gt}


@dataclass(frozen=True)
class Judged:
    """Which outcome judgements the instrument defines."""

    reliable: bool
    recovery: bool


def judged(definition: Definition) -> Judged:
    scoring = definition.scoring
    reliable = scoring.change.reliable is not None
    return Judged(reliable, reliable and scoring.clinical_cutoff is not None)


def episodes(filters: ReportFilters, code: str, baseline_at_least: Decimal | None = None) -> Any:
    """A subquery: per client, baseline and latest valid totals and the baseline's band.

    Work grows with the period, not with the practice's history: the clients are those with a
    valid score inside the period (so their latest score before its end falls in it); for each,
    the first and the latest valid response are one probe each into
    ``ix_responses_outcome_episodes``. A client with one valid score has the same response as
    baseline and latest and is left out (no follow-up).
    """
    in_period = (
        select(Response.client_id)
        .join(Client, Client.id == Response.client_id)
        .where(
            Response.instrument_code == code,
            valid_score(),
            filters.between(Response.completed_at),
            filters.people(Client.team_id, Client.primary_clinician_id),
        )
        .distinct()
        .subquery()
    )

    def pick(column: str, newest: bool) -> Any:
        """The first valid response's ``column``, or the latest one's before the period ends."""
        return score_probe(
            lambda r: getattr(r, column),
            in_period.c.client_id,
            code,
            newest=newest,
            before=filters.ends_at if newest else None,
        )

    # Correlated subqueries rather than joins back to responses: each stays an index probe
    # whatever the planner guesses about the number of clients.
    ends = select(
        in_period.c.client_id,
        pick("id", newest=False).label("first_id"),
        pick("id", newest=True).label("last_id"),
        pick("total", newest=False).label("baseline"),
        pick("severity", newest=False).label("baseline_band"),
        pick("total", newest=True).label("latest"),
    ).subquery()
    query = select(ends.c.client_id, ends.c.baseline, ends.c.baseline_band, ends.c.latest).where(
        ends.c.first_id != ends.c.last_id
    )
    if baseline_at_least is not None:
        query = query.where(ends.c.baseline >= baseline_at_least)
    return query.subquery()


def _judgements(definition: Definition, pairs: Any) -> dict[str, ColumnElement[Any]]:
    """Per-client 0/1 expressions for each outcome the instrument can judge."""
    scoring = definition.scoring
    if scoring.direction == "higher_is_worse":
        improvement = pairs.c.baseline - pairs.c.latest
    else:
        improvement = pairs.c.latest - pairs.c.baseline
    found: dict[str, ColumnElement[Any]] = {}
    if scoring.change.reliable is not None:
        # Totals have one decimal; SQLite keeps them as binary floats (19.7 - 14.7 is
        # 4.999...), so ">= threshold" is asked as "> threshold - 0.05", the same for exact values.
        threshold = scoring.change.reliable - Decimal("0.05")
        found["improved"] = improvement > threshold
        found["deteriorated"] = -improvement > threshold
        found["no_change"] = (improvement <= threshold) & (-improvement <= threshold)
        cutoff = scoring.clinical_cutoff
        if cutoff is not None:
            meets = COMPARE[cutoff.op]
            found["recovered"] = (
                found["improved"]
                & meets(pairs.c.baseline, cutoff.value)
                & ~meets(pairs.c.latest, cutoff.value)
            )
    return found


def _group(by: str) -> tuple[Any, Any]:
    """(label column, group key) for the outcome query."""
    if by == "team":
        return Team.name, Client.team_id
    return StaffUser.name, Client.primary_clinician_id


def outcome_counts(
    filters: ReportFilters,
    code: str,
    by: str | None,
    baseline_at_least: Decimal | None = None,
) -> list[Any]:
    """Rows of counts: n, one per judgement the instrument defines, and the summed change;
    grouped by ``by`` and the baseline band (so one pass also gives the severity mix)."""
    definition = registry.get(code)
    pairs = episodes(filters, code, baseline_at_least)
    judgements = _judgements(definition, pairs)
    sums = [
        func.coalesce(func.sum(case((expression, 1), else_=0)), 0).label(name)
        for name, expression in judgements.items()
    ]
    total_change = func.sum(pairs.c.latest - pairs.c.baseline).label("sum_change")
    figures = [func.count().label("n"), *sums, total_change]
    if by is None:
        return [db.session.execute(select(*figures).select_from(pairs)).one()]
    label, key = _group(by)
    query = (
        select(label.label("label"), key.label("key"), pairs.c.baseline_band, *figures)
        .select_from(pairs)
        .join(Client, Client.id == pairs.c.client_id)
    )
    if by == "team":
        query = query.outerjoin(Team, Team.id == Client.team_id)
    else:
        query = query.join(StaffUser, StaffUser.id == Client.primary_clinician_id)
    grouped = query.group_by(key, label, pairs.c.baseline_band).order_by(label, key)
    return list(db.session.execute(grouped).all())


JUDGEMENTS = ("improved", "recovered", "no_change", "deteriorated")


def _add(into: dict[str, Any], row: Any) -> None:
    for name in ("n", *JUDGEMENTS, "sum_change"):
        value = getattr(row, name, None)
        if value is not None:
            into[name] = into.get(name, 0) + (float(value) if name == "sum_change" else int(value))
    band = row.baseline_band or ""
    into.setdefault("mix", {})[band] = into.get("mix", {}).get(band, 0) + int(row.n)


def _mix_text(definition: Definition, counts: dict[str, int]) -> str:
    total = sum(counts.values())
    parts = []
    for band in definition.scoring.bands:
        if counts.get(band.key):
            parts.append(
                f"{definition.text(band.label, 'en')} {100 * counts[band.key] / total:.0f}%"
            )
    return ", ".join(parts)


def columns(group_label: str, judged_: Judged) -> list[Column]:
    cols = [Column("group", group_label), Column("n", _l("Clients (n)"), "count")]
    if judged_.reliable:
        cols.append(Column("improved", _l("Reliably improved %"), "percent"))
        if judged_.recovery:
            cols.append(Column("recovered", _l("Reliably recovered %"), "percent"))
        cols += [
            Column("no_change", _l("No reliable change %"), "percent"),
            Column("deteriorated", _l("Reliably deteriorated %"), "percent"),
        ]
    cols += [
        Column("mean_change", _l("Mean change"), "number"),
        Column("baseline_mix", _l("Baseline severity mix")),
    ]
    return cols


def _row(label: str, counts: dict[str, Any], mix: str) -> dict[str, Any]:
    """One group's figures, all of them: ``suppression.apply`` hides what must not show."""
    n = int(counts.get("n", 0))
    row: dict[str, Any] = {"group": label, "n": n, "baseline_mix": mix}
    for name in JUDGEMENTS:
        if name in counts:
            row[name] = share(counts[name], n)
    row["mean_change"] = counts["sum_change"] / n if n and "sum_change" in counts else None
    return row


def outcome_codes() -> list[str]:
    """The instruments outcomes are judged for: those with a reliable-change rule."""
    return [code for code in registry.codes() if judged(registry.get(code)).reliable]


def change_only_codes() -> list[str]:
    """Outcome measures with a clinical cut-off but no published reliable-change threshold
    (BRCS): their table gives the clients and the mean change, never a reliable verdict."""
    return [
        code
        for code in registry.codes()
        if not judged(registry.get(code)).reliable
        and registry.get(code).scoring.clinical_cutoff is not None
    ]


def outcomes(filters: ReportFilters, by: str, min_size: int) -> list[Table]:
    """One table per instrument: the one the filters name, or every outcome instrument."""
    codes = [filters.instrument] if filters.instrument else outcome_codes() + change_only_codes()
    return [outcome_table(filters, code, by, min_size) for code in codes]


def outcome_table(filters: ReportFilters, code: str, by: str, min_size: int) -> Table:
    definition = registry.get(code)
    groups: dict[Any, dict[str, Any]] = {}
    labels: dict[Any, str] = {}
    total: dict[str, Any] = {}
    for r in outcome_counts(filters, code, by):
        labels[r.key] = r.label if r.label is not None else str(_l("No team"))
        _add(groups.setdefault(r.key, {}), r)
        _add(total, r)
    rows = [
        _row(labels[key], counts, _mix_text(definition, counts["mix"]))
        for key, counts in groups.items()
    ]
    all_row = _row(str(_l("All")), total, _mix_text(definition, total.get("mix", {})))
    suppression.apply(rows, all_row, min_size)
    return Table(
        f"outcomes_{code}",
        str(_l("Outcomes: %(instrument)s", instrument=instrument_name(code))),
        columns(str(GROUPINGS[by]), judged(definition)),
        [*rows, all_row],
        note=str(
            _l(
                "Clients with a baseline and at least one follow-up whose latest score falls in "
                "the period. Groups of fewer than %(n)s clients are hidden, and so are as many "
                "others as it takes that no hidden group can be worked out from the total. Mean "
                "change is latest minus baseline.",
                n=min_size,
            )
        ),
    )
