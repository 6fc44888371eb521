"""The words of a progress-link message: the practice's name, the link, how long it works and
how to opt out. Nothing about care, scores or instruments (no health information)."""

from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _

from mbc.delivery.compose import shortest_fitting
from mbc.delivery.mail import Email


def progress_sms(practice: str, language: str, url: str) -> str:
    with force_locale(language):
        return shortest_fitting(
            [
                _(
                    "%(practice)s sent you a link, only for you: %(url)s Reply STOP to opt out",
                    practice=practice,
                    url=url,
                ),
                _("%(practice)s: %(url)s Reply STOP to opt out", practice=practice, url=url),
            ]
        )


def progress_email(
    practice: str, language: str, to: str, url: str, days: int, unsubscribe_url: str
) -> Email:
    with force_locale(language):
        subject = _("A link from %(practice)s", practice=practice)
        context = {
            "practice": practice,
            "language": language,
            "url": url,
            "days": days,
            "subject": subject,
            "unsubscribe_url": unsubscribe_url,
        }
        text = render_template("messages/progress_link.txt", **context)
        html = render_template("messages/progress_link.html", **context)
    return Email(to=to, subject=subject, text=text, html=html, unsubscribe_url=unsubscribe_url)
