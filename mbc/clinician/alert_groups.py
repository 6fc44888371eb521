"""Open alerts gathered per client for the pre-session view: one line per client with the kinds
of its alerts, urgent (risk) ones first with the answer that raised them.

Pure: alerts in (already risk-first, oldest first, as ``queries.open_alerts`` returns them),
groups out; the page needs no further statement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mbc.assessments.models import Alert
from mbc.clients.models import Client

# Kinds about the client's safety: shown in full, in the urgent style, with the answer.
URGENT_KINDS = frozenset({"critical_item", "critical_item_unanswered"})


@dataclass
class AlertGroup:
    """One client's open alerts; ``kinds`` keeps the risk order and one entry per kind (PHQ-9
    and GAD-7 "not on track" are one kind with two instruments, each its own alert link)."""

    client: Client
    alerts: list[Alert] = field(default_factory=list)

    @property
    def urgent(self) -> list[Alert]:
        return [a for a in self.alerts if a.kind in URGENT_KINDS]

    @property
    def kinds(self) -> list[tuple[str, list[Alert]]]:
        by_kind: dict[str, list[Alert]] = {}
        for alert in self.alerts:
            by_kind.setdefault(alert.kind, []).append(alert)
        return list(by_kind.items())

    @property
    def other_kinds(self) -> list[tuple[str, list[Alert]]]:
        return [(kind, alerts) for kind, alerts in self.kinds if kind not in URGENT_KINDS]


def group_by_client(alerts: list[Alert]) -> list[AlertGroup]:
    """Clients with an urgent alert first, then by their most serious alert, then oldest."""
    groups: dict[int, AlertGroup] = {}
    for alert in alerts:
        groups.setdefault(alert.client_id, AlertGroup(alert.client)).alerts.append(alert)
    ordered = list(groups.values())  # first appearance = most serious kind, then oldest
    return sorted(ordered, key=lambda g: not g.urgent)
