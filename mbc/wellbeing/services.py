"""Answering the pulse: resolving a link, and storing an answer anonymously, once.

The person is known only long enough to refuse a second answer (``has_answered``) and to pick
their team when it is large enough; the stored response has neither their id nor the time.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import insert, select, update

from mbc.auth.models import StaffUser
from mbc.extensions import db
from mbc.instruments import registry
from mbc.instruments.schema import Definition
from mbc.scoring.engine import score_definition
from mbc.scoring.result import ScoreResult
from mbc.wellbeing.links import InvalidPulseLink, read_token
from mbc.wellbeing.models import (
    PulseAnswer,
    PulseParticipation,
    PulseResponse,
    PulseWindow,
    PulseWindowTeam,
)

# The pulse's questionnaires, in the order the page asks them.
INSTRUMENTS = ("who5", "cbi_work", "pulse")
COMMENT = "pulse_comment"


class PulseStop(Exception):
    """Why a link cannot be answered: ``invalid``, ``not_open``, ``closed`` or ``answered``."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


class PulseInputError(ValueError):
    """An answer off the scale or an unknown question: nothing is stored."""


@dataclass(frozen=True)
class Invitation:
    window: PulseWindow
    participation: PulseParticipation
    user: StaffUser


def definitions() -> list[Definition]:
    return [registry.get(code) for code in INSTRUMENTS]


def resolve(token: str, now: datetime) -> Invitation:
    """The open window and participation a link is for, or PulseStop saying why not."""
    try:
        parsed = read_token(token)
    except InvalidPulseLink:
        raise PulseStop("invalid") from None
    window = db.session.get(PulseWindow, parsed.window_id)
    if window is None:
        raise PulseStop("invalid")
    if window.closed_at is not None or now >= window.closes_at:
        raise PulseStop("closed")
    if now < window.opens_at:
        raise PulseStop("not_open")
    participation = db.session.get(PulseParticipation, parsed.participation_id)
    if participation is None or participation.window_id != window.id:
        raise PulseStop("invalid")
    if participation.has_answered:
        raise PulseStop("answered")
    user = db.session.get(StaffUser, participation.staff_user_id)
    if user is None or not user.is_active:  # switched off since the window opened
        raise PulseStop("invalid")
    return Invitation(window, participation, user)


def score_all(form: Mapping[str, str]) -> dict[str, ScoreResult]:
    """Each questionnaire scored on its own items; PulseInputError on a bad value or key."""
    known: dict[str, Definition] = {}
    for definition in definitions():
        for item in definition.items:
            known[item.id] = definition
    unknown = sorted(key for key in form if key not in known)
    if unknown:
        raise PulseInputError(f"unknown_item:{unknown[0]}")
    results = {}
    for definition in definitions():
        own = {i.id: form.get(i.id) for i in definition.items if i.id in form}
        result = score_definition(definition, own)
        reason = result.invalid_reason or ""
        if reason.startswith(("out_of_range:", "unknown_item:")):
            raise PulseInputError(reason)
        results[definition.code] = result
    if not any(r.answers for r in results.values()):
        raise PulseInputError("empty")
    return results


def submit(invitation: Invitation, form: Mapping[str, str]) -> dict[str, ScoreResult]:
    """Store one anonymous response, once. PulseStop("answered") when this link (or a second
    tab) has already answered; the flag is claimed before anything is written."""
    results = score_all(form)
    claimed = db.session.execute(
        update(PulseParticipation)
        .where(
            PulseParticipation.id == invitation.participation.id,
            PulseParticipation.has_answered.is_(False),
        )
        .values(has_answered=True)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        # Answered in another tab, or the window closed (and the row went) in the meantime.
        still = db.session.get(
            PulseParticipation, invitation.participation.id, populate_existing=True
        )
        raise PulseStop("answered" if still is not None else "closed")
    response_id = secrets.token_hex(16)
    who5, cbi = results["who5"], results["cbi_work"]
    comment = results["pulse"].answers.get(COMMENT)
    db.session.execute(
        insert(PulseResponse.__table__).values(
            id=response_id,
            window_id=invitation.window.id,
            team_id=_team_if_large(invitation),
            who5_version=who5.version,
            who5_score=int(who5.total) if who5.valid and who5.total is not None else None,
            who5_band=who5.severity if who5.valid else None,
            cbi_version=cbi.version,
            cbi_score=Decimal(cbi.total) if cbi.valid and cbi.total is not None else None,
            cbi_band=cbi.severity if cbi.valid else None,
            pulse_version=results["pulse"].version,
            comment=str(comment) if comment else None,
        )
    )
    answers = [
        {
            "response_id": response_id,
            "item_id": item,
            "window_id": invitation.window.id,
            "value": int(value),
        }
        for result in results.values()
        for item, value in result.answers.items()
        if item != COMMENT
    ]
    if answers:
        db.session.execute(insert(PulseAnswer.__table__), answers)
    return results


def _team_if_large(invitation: Invitation) -> int | None:
    """The person's team, only when at least ``min_group_size`` of it were invited."""
    team_id = invitation.user.team_id
    if team_id is None:
        return None
    invited = db.session.scalar(
        select(PulseWindowTeam.invited).where(
            PulseWindowTeam.window_id == invitation.window.id, PulseWindowTeam.team_id == team_id
        )
    )
    return team_id if (invited or 0) >= invitation.window.min_group_size else None
