"""What each clinician page needs, gathered in a fixed number of queries (``queries``) and put
together with the pure summaries, verdicts and charts. The views stay thin."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from flask_babel import get_locale

from mbc.alerts.office_hours import OfficeHours
from mbc.assessments.models import Alert
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.clients.queries import caseload as caseload_query
from mbc.clinician import queries, satisfaction
from mbc.clinician.alert_groups import AlertGroup, group_by_client
from mbc.clinician.labels import chart_words
from mbc.clinician.progress import InstrumentProgress, build
from mbc.clinician.summary import InstrumentSummary
from mbc.extensions import db
from mbc.practice.services import get_practice
from mbc.scoring.on_track import OnTrackRule

CASELOAD_FILTERS = ("all", "alerts", "not_on_track", "not_improving")


def practice_rule() -> OnTrackRule:
    return OnTrackRule.of(get_practice())


def _language() -> str:
    return str(get_locale() or "en")


@dataclass
class PreSession:
    days: list[tuple[datetime, list[queries.SessionRow]]]  # (local midnight, that day's sessions)
    summaries: dict[int, list[InstrumentSummary]]
    alerts: list[Alert]
    alerts_by_client: dict[int, list[Alert]]
    rule: OnTrackRule
    timezone: str
    new_replies: list[queries.NewReplies] = field(default_factory=list)

    @property
    def alert_groups(self) -> list[AlertGroup]:
        return group_by_client(self.alerts)

    @property
    def alert_kinds_by_client(self) -> dict[int, list[tuple[str, list[Alert]]]]:
        """Each client's open alerts by kind, for the badges on its session row."""
        return {
            client_id: AlertGroup(alerts[0].client, alerts).kinds
            for client_id, alerts in self.alerts_by_client.items()
        }

    @property
    def replies_by_client(self) -> dict[int, int]:
        return {r.client_id: r.count for r in self.new_replies}

    @property
    def sessions(self) -> list[queries.SessionRow]:
        return [row for _, rows in self.days for row in rows]

    @property
    def client_ids(self) -> list[int]:
        """Every client the page shows: in a session, an open alert or a new reply."""
        return [
            *(row.client_id for row in self.sessions),
            *(alert.client_id for alert in self.alerts),
            *(reply.client_id for reply in self.new_replies),
        ]


def pre_session(user: StaffUser, now: datetime) -> PreSession:
    """Today's and the next working day's sessions (the practice's calendar), in time order."""
    practice = get_practice()
    hours = OfficeHours.of(practice)
    today = now.astimezone(hours.zone).date()
    following = hours.next_working_day(today)
    start = datetime.combine(today, time(0), tzinfo=hours.zone)
    end = datetime.combine(following + timedelta(days=1), time(0), tzinfo=hours.zone)
    rule = OnTrackRule.of(practice)
    rows = queries.sessions(user, start, end)
    summaries = queries.score_summaries(
        queries.session_client_ids(user, start, end),
        rule=rule,
        now=now,
        language=_language(),
        leave_out=satisfaction.hidden_codes(user),
    )
    alerts = queries.open_alerts(queries.visible_client_ids(user, active_only=False))
    by_client = _by_client(alerts)
    days = []
    for day in (today, following):
        local = [r for r in rows if r.starts_at.astimezone(hours.zone).date() == day]
        days.append((datetime.combine(day, time(0), tzinfo=hours.zone), local))
    replies = queries.new_replies(queries.visible_client_ids(user, active_only=False))
    return PreSession(days, summaries, alerts, by_client, rule, practice.timezone, replies)


def _by_client(alerts: list[Alert]) -> dict[int, list[Alert]]:
    grouped: dict[int, list[Alert]] = {}
    for alert in alerts:
        grouped.setdefault(alert.client_id, []).append(alert)
    return grouped


@dataclass
class CaseloadRow:
    client: Client
    next_at: datetime | None
    summaries: list[InstrumentSummary]
    open_alerts: list[Alert] = field(default_factory=list)

    @property
    def not_on_track(self) -> bool:
        return any(s.not_on_track for s in self.summaries)

    @property
    def not_improving(self) -> bool:
        """Not on track, or judged and not reliably better than baseline."""
        return any(
            s.not_on_track or (s.verdict.status == "not_yet" and s.count > 1)
            for s in self.summaries
        )


@dataclass
class Caseload:
    rows: list[CaseloadRow]
    show: str
    rule: OnTrackRule
    total: int


def caseload(user: StaffUser, now: datetime, *, search: str, show: str) -> Caseload:
    show = show if show in CASELOAD_FILTERS else "all"
    rule = practice_rule()
    clients = db.session.execute(caseload_query(user, now, search=search)).all()
    summaries = queries.score_summaries(
        queries.visible_client_ids(user),
        rule=rule,
        now=now,
        language=_language(),
        leave_out=satisfaction.hidden_codes(user),
    )
    by_client = _by_client(queries.open_alerts(queries.visible_client_ids(user)))
    rows = [
        CaseloadRow(client, next_at, summaries.get(client.id, []), by_client.get(client.id, []))
        for client, next_at in clients
    ]
    keep = {
        "all": lambda r: True,
        "alerts": lambda r: bool(r.open_alerts),
        "not_on_track": lambda r: r.not_on_track,
        "not_improving": lambda r: r.not_improving,
    }[show]
    return Caseload([r for r in rows if keep(r)], show, rule, len(rows))


@dataclass
class ClientProgress:
    instruments: list[InstrumentProgress]
    alerts: list[Alert]
    rule: OnTrackRule
    # Satisfaction surveys of this client not shown to the viewer, and in their place the means
    # over the viewer's own clients (``mbc.clinician.satisfaction``).
    hidden_surveys: int = 0
    own_satisfaction: satisfaction.OwnClientsSatisfaction | None = None


def client_progress(
    client: Client, now: datetime, viewer: StaffUser, *, with_means: bool = True
) -> ClientProgress:
    rule = practice_rule()
    hidden = satisfaction.hidden_codes(viewer)
    responses = queries.client_responses(client.id)
    shown = [r for r in responses if r.instrument_code not in hidden]
    instruments = build(shown, language=_language(), rule=rule, now=now, chart_words=chart_words())
    progress = ClientProgress(instruments, queries.client_alerts(client.id), rule)
    progress.hidden_surveys = len(responses) - len(shown)
    if progress.hidden_surveys and with_means:
        progress.own_satisfaction = satisfaction.own_clients(viewer, now, _language())
    return progress
