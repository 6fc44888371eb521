"""What a check-in page shows: the step's texts in the right language, and the message pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, get_template_attribute, make_response, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from mbc.assessments import services
from mbc.assessments.models import Assignment, CheckIn
from mbc.instruments.schema import Definition
from mbc.practice.services import get_practice

# [decision] Our satisfaction survey is not a validated measure: its mean is no score to show
# a client. Clients see a score only for the validated questionnaires.
NO_SCORE_FOR_CLIENTS = frozenset({"satisfaction"})

MESSAGES = {
    "invalid": (
        _l("This link isn't valid"),
        _l("It may have been cut short when it was copied. Please contact us for a new link."),
    ),
    "closed": (
        _l("This check-in has closed"),
        _l(
            "The time for this check-in has passed. Thank you all the same. If you want to "
            "tell us how you are doing, please contact us."
        ),
    ),
    "cancelled": (
        _l("This session was cancelled"),
        _l(
            "The session this check-in was for has been cancelled, so there is nothing to "
            "answer. If you have questions, please contact us."
        ),
    ),
    "not_open": (
        _l("This check-in is not open yet"),
        _l("Please come back to this link closer to your session."),
    ),
    "done": (
        _l("Already done, thank you"),
        _l("You have already answered this check-in. There is nothing more to do."),
    ),
    "too_many": (
        _l("Please wait a few minutes"),
        _l(
            "Too many links that did not work came from this connection. Please wait a "
            "few minutes and try again, or contact us."
        ),
    ),
    "unexpected_fields": (
        _l("Something was wrong with the page"),
        _l(
            "The page sent answers we did not expect, so nothing was saved. "
            "Please open your link again."
        ),
    ),
    "expired_form": (
        _l("Please try that again"),
        _l(
            "The page had expired, so nothing was saved. Please open your link again "
            "and answer once more. If this keeps happening, allow cookies for this "
            "site."
        ),
    ),
    "too_large": (
        _l("That was too much to send"),
        _l("The page sent more than we accept, so nothing was saved. Please open your link again."),
    ),
    "unavailable": (
        _l("This check-in cannot be opened right now"),
        _l(
            "Something on our side stops this check-in from opening. Your clinician has been "
            "told. There is nothing you need to do; you may be sent a new link."
        ),
    ),
    "error": (
        _l("Something went wrong"),
        _l("Nothing was lost that you had already saved. Please open your link again."),
    ),
}


def message_page(kind: str, status: int) -> Response:
    title, body = MESSAGES[kind]
    html = render_template("survey/message.html", title=title, body=body, kind=kind)
    return make_response(html, status)


@dataclass(frozen=True)
class ItemView:
    id: str
    kind: str
    text: str
    options: list[tuple[int, str]]
    minimum: Any
    maximum: Any
    low: str
    high: str
    max_length: int | None
    scored: bool
    pattern: str | None = None  # vas: what the browser accepts before sending


def vas_pattern(minimum: Any, maximum: Any) -> str | None:
    """The HTML ``pattern`` of a line from ``minimum`` to ``maximum`` (whole numbers), one
    decimal place with a point or a comma: for 0-10, "7", "7.5", "7,5", "10" or "10,0".
    The server reads the same shapes (mbc.scoring.answers); None for other bounds."""
    if minimum is None or maximum is None or minimum != int(minimum) or maximum != int(maximum):
        return None
    low, high = int(minimum), int(maximum)
    if not 0 <= low < high <= 100:
        return None
    below = "|".join(str(n) for n in range(low, high))
    return f"(?:{below})(?:[.,][0-9])?|{high}(?:[.,]0)?"


def step_context(
    check_in: CheckIn, assignment: Assignment, answers: dict[str, Any]
) -> dict[str, Any]:
    definition = services.definition_of(assignment)
    lang = services.language_for(definition, check_in.language)
    return {
        "check_in": check_in,
        "assignment": assignment,
        "definition": definition,
        "shown_language": lang,
        "fallback_to_english": lang != check_in.language,
        "title": definition.text(definition.title, lang),
        "instructions": definition.instructions.get(lang) or definition.instructions.get("en"),
        "lead_in": definition.lead_in.get(lang) or definition.lead_in.get("en"),
        "items": items_markup(definition, lang, answers),
        "step_number": assignment.position,
        "step_count": len(check_in.assignments),
        "is_last": assignment.position == len(check_in.assignments),
        "readers": readers(assignment),
    }


def readers(assignment: Assignment) -> str | None:
    """Who reads the answers, said on the satisfaction survey's page (it asks about the
    clinician): by default not the clinician, only totals; or the clinician, by practice setting."""
    if assignment.instrument_code != "satisfaction":
        return None
    practice = get_practice()
    if practice.satisfaction_visible_to_clinician:
        return _(
            "Who reads your answers: your clinician sees your answers to this survey, "
            "with your name."
        )
    return _(
        "Who reads your answers: your clinician does not see your answers to this survey. "
        "The practice sees only totals and unsigned comments, and only once there are at "
        "least %(n)s surveys.",
        n=practice.min_group_size,
    )


def items_markup(definition: Definition, lang: str, answers: dict[str, Any]) -> list[Markup]:
    """Each question's HTML, numbered as the instrument numbers its scored items.

    Choice questions come from a cache: definitions are immutable per version, so the markup
    of (instrument, version, language, page locale, item, number, answer) never changes, and
    rendering thirty-odd radio buttons per page was the largest part of a page view. Number
    and free-text fields are rendered each time, so no typed answer stays in memory.
    """
    locale = str(get_locale())
    markup, number = [], 0
    for item in definition.items:
        number += item.scored
        answer = answers.get(item.id)
        if item.kind == "choice":
            markup.append(_cached_choice(definition, lang, locale, item.id, number, answer))
        else:
            markup.append(_render_item(definition, item.id, lang, number, answer))
    return markup


_CHOICE_CACHE: dict[tuple[Any, ...], Markup] = {}
_CHOICE_CACHE_LIMIT = 20_000  # every answer of every choice item of every instrument, twice


def _cached_choice(
    definition: Definition, lang: str, locale: str, item_id: str, number: int, answer: Any
) -> Markup:
    key = (definition.code, definition.version, lang, locale, item_id, number, answer)
    cached = _CHOICE_CACHE.get(key)
    if cached is None:
        cached = _render_item(definition, item_id, lang, number, answer)
        if len(_CHOICE_CACHE) >= _CHOICE_CACHE_LIMIT:
            _CHOICE_CACHE.clear()
        _CHOICE_CACHE[key] = cached
    return cached


def _render_item(
    definition: Definition, item_id: str, lang: str, number: int, answer: Any
) -> Markup:
    macro = get_template_attribute("survey/_item.html", "item")
    return Markup(macro(_item_view(definition, item_id, lang), number, answer))


def _item_view(definition: Definition, item_id: str, lang: str) -> ItemView:
    item = definition.item(item_id)
    anchors = item.anchors
    return ItemView(
        id=item.id,
        kind=item.kind,
        text=definition.text(item.text, lang),
        options=[(o.value, definition.text(o.label, lang)) for o in item.options],
        minimum=item.minimum,
        maximum=item.maximum,
        low=definition.text(anchors["low"], lang) if "low" in anchors else "",
        high=definition.text(anchors["high"], lang) if "high" in anchors else "",
        max_length=item.max_length,
        scored=item.scored,
        pattern=vas_pattern(item.minimum, item.maximum) if item.kind == "vas" else None,
    )


@dataclass(frozen=True)
class ScoreLine:
    """One questionnaire's result as a client reads it: its name, the score out of the most it
    can be, and the band in words where the instrument defines bands (PCL-5, ORS and SRS do not)."""

    title: str
    total: Any
    maximum: Any
    band: str | None


def score_lines(check_in: CheckIn) -> list[ScoreLine]:
    """The scores of a finished check-in, in the client's language (when the practice shows
    clients their scores). Invalid responses and the satisfaction survey have no line."""
    lines = []
    for assignment in check_in.assignments:
        response = assignment.response
        if assignment.instrument_code in NO_SCORE_FOR_CLIENTS:
            continue
        if response is None or not response.is_valid or response.total is None:
            continue
        definition = services.definition_of(assignment)
        lang = services.language_for(definition, check_in.language)
        band = next((b for b in definition.scoring.bands if b.key == response.severity), None)
        lines.append(
            ScoreLine(
                title=definition.text(definition.title, lang),
                total=response.total,
                maximum=definition.scoring.total_max,
                band=definition.text(band.label, lang) if band else None,
            )
        )
    return lines
