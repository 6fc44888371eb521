"""One clinician's outcomes beside the practice's: for the clinician's own view
(``/me/outcomes``) and their supervisor's review page.

The same counts as the outcomes report (``mbc.reports.outcomes``): one grouped query per
instrument gives every clinician's figures by baseline band, from which this clinician's row
and the practice's are summed, each with n and its baseline severity mix. Small groups are
hidden by the practice's rule with complementary suppression: the clinician and "everyone
else" are the groups, the practice the total, so a small remainder of colleagues' clients
cannot be worked out as the practice minus the clinician.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask_babel import lazy_gettext as _l

from mbc.instruments import registry
from mbc.reports import outcomes, suppression
from mbc.reports.filters import ReportFilters
from mbc.reports.table import Table
from mbc.templating import instrument_name


def comparison(filters: ReportFilters, clinician_id: int, name: str, min_size: int) -> list[Table]:
    """A table per outcome instrument: ``name``'s clients, then the whole practice."""
    practice = replace(filters, clinician_id=None)
    return [_table(practice, code, clinician_id, name, min_size) for code in _codes(filters)]


def _codes(filters: ReportFilters) -> list[str]:
    return [filters.instrument] if filters.instrument else outcomes.outcome_codes()


def _table(filters: ReportFilters, code: str, clinician_id: int, name: str, min_size: int) -> Table:
    definition = registry.get(code)
    mine: dict[str, Any] = {}
    others: dict[str, Any] = {}
    total: dict[str, Any] = {}
    for r in outcomes.outcome_counts(filters, code, "clinician"):
        outcomes._add(mine if r.key == clinician_id else others, r)
        outcomes._add(total, r)

    def row(label: str, counts: dict[str, Any]) -> dict[str, Any]:
        if not counts:
            counts = {"n": 0}
        return outcomes._row(label, counts, outcomes._mix_text(definition, counts.get("mix", {})))

    own, rest = row(name, mine), row("", others)
    all_row = row(str(_l("Whole practice")), total)
    suppression.apply([own, rest], all_row, min_size)
    return Table(
        f"own_outcomes_{code}",
        str(_l("Outcomes: %(instrument)s", instrument=instrument_name(code))),
        outcomes.columns(str(_l("Clients of")), outcomes.judged(definition)),
        [own, all_row],
        note=str(
            _l(
                "Clients with a baseline and at least one follow-up whose latest score falls in "
                "the period, by primary clinician. Figures for fewer than %(n)s clients are "
                "hidden, and so are others where colleagues' clients could be worked out from "
                "the practice's figures. Compare only alongside the baseline severity mix and n.",
                n=min_size,
            )
        ),
    )
