"""The alerts a client's answers raise, and what happens to them when the client changes them.

Alerts are raised in the transaction that saves the answers, so none can be lost. A critical
item raises its alert even on a draft. An alert is never deleted or hidden by a later edit:
when the client changes the answer (or the score) that raised it, an ``AlertChange`` row says
what it became and when, beside the original kept in the alert's ``detail``.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from mbc.alerts import services as alerts
from mbc.assessments.models import Alert, AlertChange, Response
from mbc.assessments.statements import statements
from mbc.extensions import db
from mbc.instruments import registry
from mbc.instruments.schema import Definition
from mbc.practice.services import get_practice
from mbc.scoring import ScoreResult, on_track
from mbc.scoring.on_track import OnTrackRule

# Flags that must reach a clinician as an alert of the same kind.
ALERT_FLAGS = ("critical_item", "critical_item_unanswered", "alliance_concern")
# Kinds raised by one answer (the change shown is that answer's), the rest by the total.
ANSWER_KINDS = ("critical_item", "critical_item_unanswered")


def critical_endorsed(definition: Definition, answers: dict[str, Any]) -> bool:
    """Whether any critical item is answered at or above its threshold (show help at once)."""
    for critical in definition.scoring.critical_items:
        if critical.endorsed_by(answers.get(critical.item)):
            return True
    return False


def follow_answers(
    response: Response,
    definition: Definition,
    before: dict[str, Any],
    before_total: Decimal | None,
    result: ScoreResult | None,
    now: datetime,
    *,
    revising: bool,
) -> bool:
    """Raise what the response's (just saved) answers call for and record, on alerts raised
    earlier, what the client changed; True when a critical item is endorsed now.

    ``before`` and ``before_total`` are the answers and total the response had until this save;
    ``revising``: it was a completed response the client went back to.
    """
    answers, fresh = response.answers, set[int | None]()
    crisis = critical_endorsed(definition, answers)
    if crisis:
        fresh.add(_raise(response, "critical_item", now, _answer_detail(definition, answers)))
    if result is not None:
        for flag in ALERT_FLAGS:
            if flag in result.flags:
                detail = (
                    _answer_detail(definition, answers)
                    if flag in ANSWER_KINDS
                    else {"total": str(result.total)}
                )
                fresh.add(_raise(response, flag, now, detail))
        if result.valid and result.total is not None:
            fresh.add(raise_progress_alerts(response, result.total, now))
    if revising or critical_endorsed(definition, before):
        # Only a page that could already have raised an alert pays for looking them up.
        record_changes(response, definition, before, before_total, now, fresh - {None})
    return crisis


def record_changes(
    response: Response,
    definition: Definition,
    before: dict[str, Any],
    before_total: Decimal | None,
    now: datetime,
    fresh: set[int | None],
) -> None:
    """An ``AlertChange`` for every earlier alert of this response (not those ``fresh`` from
    this save) whose answer or total the save changed."""
    raised = db.session.scalars(select(Alert).where(Alert.response_id == response.id)).all()
    for alert in raised:
        if alert.id in fresh:
            continue
        if alert.kind in ANSWER_KINDS:
            item = alert.detail.get("item") or _first_critical(definition)
            if item is not None and before.get(item) != response.answers.get(item):
                _change(alert, now, item=item, answer=response.answers.get(item))
        elif before_total != response.total:
            _change(alert, now, total=response.total)


def _change(alert: Alert, now: datetime, **what: Any) -> None:
    db.session.add(AlertChange(alert_id=alert.id, changed_at=now, **what))


def _first_critical(definition: Definition) -> str | None:
    criticals = definition.scoring.critical_items
    return criticals[0].item if criticals else None


def _answer_detail(definition: Definition, answers: dict[str, Any]) -> dict[str, Any]:
    """The critical item and the answer that raised the alert (the original, kept for good),
    with the version whose words the answer had."""
    item = _first_critical(definition)
    for critical in definition.scoring.critical_items:
        if critical.endorsed_by(answers.get(critical.item)):
            item = critical.item
            break
    if item is None:
        return {}
    return {"item": item, "answer": answers.get(item), "version": definition.version}


def _raise(response: Response, kind: str, now: datetime, detail: dict[str, Any]) -> int | None:
    """The new alert's id; None when the response had already raised one of this kind."""
    alert = alerts.raise_alert(
        client_id=response.client_id,
        kind=kind,
        now=now,
        response_id=response.id,
        instrument_code=response.instrument_code,
        detail=detail,
    )
    return alert.id if alert is not None else None


def raise_progress_alerts(response: Response, total: Any, now: datetime) -> int | None:
    """Reliable deterioration since baseline, or not on track by the practice's rule: one open
    alert of each kind per client and instrument, raised with the response that showed it."""
    code = response.instrument_code
    scoring = registry.get(code).scoring
    if scoring.change.reliable is None or scoring.clinical_cutoff is None:
        return None
    earlier = db.session.execute(
        statements().baseline,
        {"client_id": response.client_id, "code": code, "response_id": response.id},
    ).first()
    if earlier is None:
        return None  # this is the baseline
    rule = OnTrackRule.of(get_practice())
    verdict = on_track.judge(
        code,
        on_track.Measurement(earlier.completed_at, earlier.total),
        on_track.Measurement(now, total),
        earlier.n + 1,
        rule,
        now,
    )
    if verdict.status != on_track.NOT_ON_TRACK:
        return None
    deteriorated = verdict.reason == "reliable_deterioration"
    kind = "reliable_deterioration" if deteriorated else "not_on_track"
    if alerts.has_open(response.client_id, kind, code):
        return None
    detail = {
        "baseline": str(earlier.total),
        "latest": str(total),
        "reason": verdict.reason,
        "measurements": verdict.measurements,
    }
    return _raise(response, kind, now, detail)
