"""The words of each message, in the recipient's language. No instrument names, scores or
diagnoses: only the practice's name, a short reason, the link and how to opt out.

An English SMS must fit one 160-character GSM-7 segment with a typical base URL, so each SMS
has shorter fallbacks, and the first that fits is used.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_skeleton
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from mbc.delivery.mail import Email
from mbc.delivery.segments import count_segments
from mbc.practice.crisis import crisis_text
from mbc.practice.models import PracticeSettings


@dataclass(frozen=True)
class CheckInNotice:
    """What a check-in invitation or reminder says, whatever the channel."""

    practice: str
    language: str
    reminder: bool
    url: str
    session_starts_at: datetime | None  # None: not tied to a session
    timezone: str
    now: datetime


def when_words(notice: CheckInNotice) -> str | None:
    """'today', 'tomorrow' or 'on Thu, Nov 26', on the client's own calendar."""
    return _when(*_days(notice), notice.language)


def _days(notice: CheckInNotice) -> tuple[date | None, date]:
    """The session's day and today, on the client's calendar."""
    zone = ZoneInfo(notice.timezone)
    today = notice.now.astimezone(zone).date()
    if notice.session_starts_at is None or notice.session_starts_at <= notice.now:
        # Sent once the session has begun (SRS, asked from the start): not "before" it.
        return None, today
    return notice.session_starts_at.astimezone(zone).date(), today


def _when(day: date | None, today: date, language: str) -> str | None:
    if day is None:
        return None
    if day == today:
        return _("today")
    if (day - today).days == 1:
        return _("tomorrow")
    return _("on %(date)s", date=format_skeleton("MMMEd", day, locale=language))


# Stands in for the link while the wording is cached (no practice name holds a NUL).
_LINK = "\x00link\x00"


def check_in_sms(notice: CheckInNotice) -> str:
    variants = _sms_variants(notice.language, notice.practice, notice.reminder, *_days(notice))
    return shortest_fitting([text.replace(_LINK, notice.url) for text in variants])


@lru_cache(maxsize=1024)
def _sms_variants(
    language: str, practice: str, reminder: bool, day: date | None, today: date
) -> tuple[str, ...]:
    """The wordings of a check-in SMS, longest first, with a stand-in for the link. Cached: a
    pass sends thousands alike, and looking up translations per message was a tenth of the
    time spent preparing each (benchmarks/dispatch.py)."""
    with force_locale(language):
        when = _when(day, today, language)
        values = {"practice": practice, "url": _LINK, "when": when or ""}
        if reminder and when:
            return (
                _(
                    "%(practice)s reminder: your check-in for your session %(when)s: %(url)s "
                    "Reply STOP to opt out",
                    **values,
                ),
                _(
                    "%(practice)s reminder, session %(when)s: %(url)s Reply STOP to opt out",
                    **values,
                ),
                _("%(practice)s reminder: %(url)s Reply STOP to opt out", **values),
            )
        if reminder:
            return (
                _(
                    "%(practice)s reminder: your short check-in: %(url)s Reply STOP to opt out",
                    **values,
                ),
                _("%(practice)s reminder: %(url)s Reply STOP to opt out", **values),
            )
        if when:
            return (
                _(
                    "%(practice)s check-in for your session %(when)s: %(url)s "
                    "Reply STOP to opt out",
                    **values,
                ),
                _(
                    "%(practice)s check-in, session %(when)s: %(url)s Reply STOP to opt out",
                    **values,
                ),
                _("%(practice)s check-in: %(url)s Reply STOP to opt out", **values),
            )
        return (
            _(
                "%(practice)s: a short check-in for you: %(url)s Reply STOP to opt out",
                **values,
            ),
            _("%(practice)s check-in: %(url)s Reply STOP to opt out", **values),
        )


def shortest_fitting(variants: list[str]) -> str:
    """The first variant that fits one segment, else the one with the fewest segments."""
    for text in variants:
        if count_segments(text).segments <= 1:
            return text
    return min(variants, key=lambda t: (count_segments(t).segments, len(t)))


def check_in_email(notice: CheckInNotice, to: str, unsubscribe_url: str) -> Email:
    with force_locale(notice.language):
        when = when_words(notice)
        if notice.reminder:
            subject = (
                _("Reminder: your short check-in before your session %(when)s", when=when)
                if when
                else _("Reminder: your short check-in")
            )
        else:
            subject = (
                _("A short check-in before your session %(when)s", when=when)
                if when
                else _("A short check-in from %(practice)s", practice=notice.practice)
            )
        context = {
            "notice": notice,
            "when": when,
            "subject": subject,
            "unsubscribe_url": unsubscribe_url,
        }
        text = render_template("messages/check_in.txt", **context)
        html = render_template("messages/check_in.html", **context)
    return Email(to=to, subject=subject, text=text, html=html, unsubscribe_url=unsubscribe_url)


def password_reset_email(
    practice: str, language: str, to: str, url: str, minutes: int, *, first: bool = False
) -> Email:
    """A password link; ``first`` for an account made by an admin that was never signed in to."""
    with force_locale(language):
        subject = (
            _("Your %(practice)s account", practice=practice)
            if first
            else _("Reset your %(practice)s password", practice=practice)
        )
        context = {
            "practice": practice,
            "url": url,
            "minutes": minutes,
            "subject": subject,
            "first": first,
        }
        text = render_template("messages/password_reset.txt", **context)
        html = render_template("messages/password_reset.html", **context)
    return Email(to=to, subject=subject, text=text, html=html)


def help_reply(practice: str, language: str, phone: str, email: str) -> str:
    """The answer to an SMS 'HELP': who we are and how to reach the practice."""
    with force_locale(language):
        contact = " ".join(part for part in (phone, email) if part)
        if contact:
            return _(
                "%(practice)s check-in messages. Contact: %(contact)s. Reply STOP to opt out.",
                practice=practice,
                contact=contact,
            )
        return _("%(practice)s check-in messages. Reply STOP to opt out.", practice=practice)


def auto_reply_sms(practice: PracticeSettings, language: str) -> str:
    """The answer to a free-text reply: nobody reads this number, how to reach the practice,
    the crisis line (the practice's text, or 911 and 988) and how to opt out. Nothing about
    what was written. One GSM-7 segment in English and Spanish with a typical name and number."""
    with force_locale(language):
        values = {
            "practice": practice.name,
            "contact": practice.contact_phone or practice.contact_email,
            "crisis": crisis_text(practice, language, short=True),
        }
        if values["contact"]:
            return _(
                "%(practice)s: this number is not monitored. To reach us: %(contact)s. "
                "%(crisis)s Reply STOP to opt out.",
                **values,
            )
        return _(
            "%(practice)s: this number is not monitored. %(crisis)s Reply STOP to opt out.",
            **values,
        )


@dataclass(frozen=True)
class AlertNotice:
    """An alert's notice to staff: where to sign in, and whether it is an escalation. Never
    the client's name, answers or scores."""

    practice: str
    language: str
    url: str
    escalation: bool


def alert_sms(notice: AlertNotice) -> str:
    with force_locale(notice.language):
        if notice.escalation:
            return _(
                "%(practice)s: an urgent alert has not been acknowledged in time. "
                "Please sign in now: %(url)s",
                practice=notice.practice,
                url=notice.url,
            )
        return _(
            "%(practice)s: an urgent alert about one of your clients. Please sign in now: %(url)s",
            practice=notice.practice,
            url=notice.url,
        )


def alert_email(notice: AlertNotice, to: str) -> Email:
    with force_locale(notice.language):
        subject = (
            _("Urgent: an alert has not been acknowledged")
            if notice.escalation
            else _("Urgent: an alert about one of your clients")
        )
        context = {"notice": notice, "subject": subject}
        text = render_template("messages/alert.txt", **context)
        html = render_template("messages/alert.html", **context)
    return Email(to=to, subject=subject, text=text, html=html)


def goal_review_email(practice: str, language: str, to: str, base_url: str) -> Email:
    """A goal agreed in supervision comes up for review soon; the goal's words stay in mbc."""
    with force_locale(language):
        subject = _("A goal review is coming up at %(practice)s", practice=practice)
        context = {"practice": practice, "url": f"{base_url}/me/goals", "subject": subject}
        text = render_template("messages/goal_review.txt", **context)
        html = render_template("messages/goal_review.html", **context)
    return Email(to=to, subject=subject, text=text, html=html)
