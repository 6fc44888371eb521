"""The crisis text a client is given: the practice's own, in the client's language, or the
default (911 and the 988 Suicide & Crisis Lifeline). One place for the check-in pages and the
automatic SMS answer, so a practice's text reaches clients the same way everywhere."""

from __future__ import annotations

from flask_babel import gettext as _

from mbc.practice.models import PracticeSettings


def crisis_text(practice: PracticeSettings, language: str, *, short: bool = False) -> str:
    """The practice's crisis text for ``language``, else the default in the current locale;
    ``short``: the default worded for an SMS (a custom text is always used as written)."""
    custom = practice.crisis_text_es if language == "es" else practice.crisis_text_en
    if custom:
        return custom
    if short:
        return _("In a crisis, call 911, or call or text 988.")
    return _(
        "If you are in danger or might hurt yourself, call 911 now. You can call or text 988, "
        "the Suicide & Crisis Lifeline, at any time, day or night. It is free and confidential."
    )
