"""The pulse's emails, decided and written when the outbox sends them: the link is made then,
and a reminder to someone who has answered in the meantime is not sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton, format_time
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from mbc.auth.models import StaffUser
from mbc.delivery.mail import Email
from mbc.extensions import db
from mbc.wellbeing.jobs import PULSE_KINDS, participation_of
from mbc.wellbeing.links import pulse_url
from mbc.wellbeing.models import PulseParticipation, PulseWindow

KINDS = PULSE_KINDS


@dataclass(frozen=True)
class PulseTarget:
    participation: PulseParticipation
    window: PulseWindow


def load(keys: list[str]) -> dict[int, PulseTarget]:
    """The participations (and their windows) a batch of pulse messages names, in one query."""
    ids = {i for i in (participation_of(k) for k in keys) if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(
        select(PulseParticipation, PulseWindow)
        .join(PulseWindow, PulseWindow.id == PulseParticipation.window_id)
        .where(PulseParticipation.id.in_(ids))
    ).all()
    return {p.id: PulseTarget(p, w) for p, w in rows}


def decide(
    kind: str,
    key: str,
    user: StaffUser | None,
    targets: dict[int, PulseTarget],
    practice_name: str,
    zone: str,
    now: datetime,
) -> Email | tuple[str, str]:
    """The email to send, or (status, reason) when it should not go."""
    target = targets.get(participation_of(key) or 0)
    if target is None or target.window.closed_at is not None or now >= target.window.closes_at:
        return ("skipped", "pulse_closed")
    if user is None or not user.is_active:
        return ("cancelled", "account_inactive")
    if kind == "pulse_reminder" and target.participation.has_answered:
        return ("skipped", "completed")
    return pulse_email(
        practice_name,
        user.preferred_language,
        user.email,
        pulse_url(target.window.id, target.participation.id),
        target.window.closes_at.astimezone(ZoneInfo(zone)),
        reminder=kind == "pulse_reminder",
    )


def pulse_email(
    practice: str, language: str, to: str, url: str, closes: datetime, *, reminder: bool
) -> Email:
    """No health information: the practice, that the pulse is open, until when, and the link."""
    with force_locale(language):
        closes_words = (
            f"{format_skeleton('MMMEd', closes, locale=language)}, "
            f"{format_time(closes, 'short', locale=language)}"
        )
        subject = (
            _("Reminder: the staff wellbeing pulse closes on %(closes)s", closes=closes_words)
            if reminder
            else _("The %(practice)s staff wellbeing pulse is open", practice=practice)
        )
        context = {
            "practice": practice,
            "url": url,
            "closes": closes_words,
            "reminder": reminder,
            "subject": subject,
        }
        text = render_template("messages/pulse.txt", **context)
        html = render_template("messages/pulse.html", **context)
    return Email(to=to, subject=subject, text=text, html=html)
