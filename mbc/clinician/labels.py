"""Words for the clinician's pages: check-in states, alert kinds and the not-on-track rule."""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from mbc.instruments import registry
from mbc.scoring.on_track import OnTrackRule

CHECK_IN = {
    "completed": _l("Completed"),
    "in_progress": _l("In progress"),
    "not_started": _l("Not started"),
    "scheduled": _l("Not sent yet"),
    "not_sent": _l("Not sent"),
    "closed": _l("Closed unanswered"),
    "not_planned": _l("No check-in planned"),
}

ALERT = {
    "critical_item": _l("Thoughts of self-harm endorsed"),
    "critical_item_unanswered": _l("Self-harm question left unanswered"),
    "reliable_deterioration": _l("Reliably worse than baseline"),
    "alliance_concern": _l("Alliance concern"),
    "not_on_track": _l("Not on track"),
    "instrument_unavailable": _l("Check-in could not be opened"),
}

ALERT_WHY = {
    "critical_item": _l(
        "PHQ-9 item 9 (thoughts that you would be better off dead or of hurting yourself) was "
        'answered above "Not at all". Assess suicide risk.'
    ),
    "critical_item_unanswered": _l("PHQ-9 item 9 was left unanswered. Ask about it in session."),
    "reliable_deterioration": _l("The latest score is reliably worse than the baseline."),
    "alliance_concern": _l("The SRS total is below 36: worth discussing the alliance."),
    "not_on_track": _l("No reliable improvement by the point the practice's rule sets."),
    "instrument_unavailable": _l(
        "The client opened a check-in whose questionnaire this installation has not loaded "
        "(a practice-defined instrument removed, refused or not yet loaded by a restart), so "
        "the client was told it cannot be opened right now. Ask an admin to check the "
        "instrument definitions, or give the client another check-in."
    ),
}

# A critical item of an instrument other than PHQ-9 (a practice's own): the same alert, in words
# that name its question rather than PHQ-9's item 9.
CRITICAL_WHY = {
    "critical_item": _l(
        '%(name)s: "%(question)s" was given an answer its definition marks critical. Assess '
        "risk as you would for PHQ-9 item 9."
    ),
    "critical_item_unanswered": _l(
        '%(name)s: the critical question "%(question)s" was left unanswered. Ask about it in '
        "session."
    ),
}


# The same two kinds raised by a practice's own instrument: its critical question is not
# PHQ-9's item 9, so the label names the instrument instead of self-harm.
CRITICAL_LABEL = {
    "critical_item": _l("Critical answer on %(name)s"),
    "critical_item_unanswered": _l("Critical question left unanswered on %(name)s"),
}


def _own_critical(alert: Any) -> bool:
    return alert.kind in CRITICAL_WHY and alert.instrument_code not in (None, "phq9")


def alert_label(alert: Any) -> str:
    """An alert's name: a critical item of an instrument other than PHQ-9 names its instrument."""
    if _own_critical(alert):
        from mbc.templating import instrument_name

        return str(CRITICAL_LABEL[alert.kind] % {"name": instrument_name(alert.instrument_code)})
    return str(ALERT[alert.kind])


def any_own_critical(alerts: list[Any]) -> bool:
    """Whether a group of alerts holds a practice instrument's critical item (named one by one)."""
    return any(_own_critical(alert) for alert in alerts)


def alert_why(alert: Any) -> str:
    """Why an alert was raised, in words; a critical item's names its own question."""
    code, item = alert.instrument_code, (alert.detail or {}).get("item")
    if _own_critical(alert) and item:
        from mbc.templating import instrument_name

        try:
            definition = registry.get(code, alert.detail.get("version"))
            question = definition.text(definition.item(item).text, str(get_locale()))
        except LookupError:  # a definition no longer loaded: say what is known
            question = item
        return str(CRITICAL_WHY[alert.kind] % {"name": instrument_name(code), "question": question})
    return str(ALERT_WHY[alert.kind])


VERDICT = {
    "not_on_track": _l("Not on track"),
    "not_yet": _l("Too early to judge"),
    "on_track": _l("On track"),
    "not_judged": _l("Not judged"),
}

VERDICT_REASON = {
    "reliable_deterioration": _l("reliably worse than baseline"),
    "reliable_improvement": _l("reliably better than baseline"),
    "no_improvement_after_sessions": _l("no reliable improvement after the set check-ins"),
    "no_improvement_after_weeks": _l("no reliable improvement after the set weeks"),
    "within_window": _l("no reliable change yet"),
    "baseline_only": _l("baseline only"),
    "baseline_not_clinical": _l("baseline below the clinical cut-off"),
    "no_rule": _l("no reliable-change rule for this measure"),
    "no_scores": _l("no scores"),
}

CHART_WORDS = {
    "cutoff": _l("clinical cut-off"),
    "cutoff_range": _l("cut-off range 31–33"),
    "clinical_range": _l("clinical range"),
    "baseline": _l("baseline"),
    "reliable": _l("reliable change band"),
    "cluster": _l("Cluster {name}"),
    # WHO-5's two lines (INSTRUMENTS.md: <= 50 screens positive; <= 28 likely depression).
    "cutoff:who5": _l("≤ 50: screens positive, assess for depression"),
    "who5_likely_depression": _l("≤ 28: likely depression"),
    "cutoff:brcs": _l("≤ 13: low resilient coping"),
}

# PCL-5's DSM-5 symptom clusters by the names of the official scoring guide (INSTRUMENTS.md).
SUBSCALES = {
    ("pcl5", "B"): _l("Intrusion (B)"),
    ("pcl5", "C"): _l("Avoidance (C)"),
    ("pcl5", "D"): _l("Negative alterations in cognitions and mood (D)"),
    ("pcl5", "E"): _l("Alterations in arousal and reactivity (E)"),
}


def chart_words() -> dict[str, str]:
    """The charts' words in the page's language; a subscale's name under "subscale:code:name"."""
    words = {key: str(value) for key, value in CHART_WORDS.items()}
    words.update({f"subscale:{code}:{name}": str(v) for (code, name), v in SUBSCALES.items()})
    return words


def rule_words(rule: OnTrackRule) -> str:
    """The not-on-track rule in words, as the pages show it (a [decision] of the practice)."""
    return str(
        _l(
            "Not on track (the practice's rule): the first score was in the clinical range, and "
            "the latest score is reliably worse than it, or not reliably better after "
            "%(sessions)s check-ins of that measure or %(weeks)s weeks, whichever comes first.",
            sessions=rule.sessions,
            weeks=rule.weeks,
        )
    )


def answer_words(code: str, item_id: str | None, value: Any, version: str | None = None) -> str:
    """An answer as the client saw it, in the page's language: "More than half the days (2)",
    or "unanswered"."""
    if value is None or value == "":
        return str(_l("unanswered"))
    try:
        definition = registry.get(code, version)
        item = definition.item(item_id or "")
    except LookupError:  # an instrument or item this version does not have
        return str(value)
    language = str(get_locale())
    for option in item.options:
        if str(option.value) == str(value):
            return f"{definition.text(option.label, language)} ({option.value})"
    return str(value)
