"""One clinician's outcomes beside the practice's: for the clinician's own view
(``/me/outcomes``) and their supervisor's review page.

The same counts as the outcomes report (``mbc.reports.outcomes``): one grouped query per
instrument gives every clinician's figures by baseline band, from which this clinician's row
and the practice's are summed, each with n and its baseline severity mix. Small groups are
hidden by the practice's rule (``hide_pair``), and so is the practice's when the rest of it is
small, so a few colleagues' clients cannot be worked out as the practice minus the clinician.
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


def hide_pair(own: dict[str, Any], practice: dict[str, Any], rest: int, min_size: int) -> None:
    """Suppression for a clinician beside their practice (the rest of it is never shown).

    The clinician's figures are hidden when they have fewer than ``min_size`` clients. When the
    rest of the practice is that small (but not empty), the practice's figures are hidden too,
    whatever the clinician's own size: the viewer (the clinician, or their supervisor) knows the
    clinician's own clients, so practice minus clinician would give the colleagues away; a
    practice with no other clients shows the clinician's own figures twice, which gives nothing
    away. A practice smaller than ``min_size`` shows nothing.
    """
    if int(practice["n"]) < min_size:
        suppression.hide(practice, suppression.SMALL)
    elif 0 < rest < min_size:
        suppression.hide(practice, suppression.LINKED)
    if int(own["n"]) < min_size:
        suppression.hide(own, suppression.SMALL)


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

    own = row(name, mine)
    all_row = row(str(_l("Whole practice")), total)
    hide_pair(own, all_row, int(others.get("n", 0)), min_size)
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
