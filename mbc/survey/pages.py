"""What a check-in page shows: the step's texts in the right language, and the message pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Response, make_response, render_template
from flask_babel import lazy_gettext as _l

from mbc.assessments import services
from mbc.assessments.models import Assignment, CheckIn
from mbc.instruments.schema import Definition

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
    "invalid_answer": (
        _l("Something was wrong with an answer"),
        _l(
            "One answer was not one of the choices offered, so nothing was saved. "
            "Please go back and try again."
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
        "items": [_item_view(definition, item_id, lang) for item_id in _ids(definition)],
        "answers": answers,
        "step_number": assignment.position,
        "step_count": len(check_in.assignments),
        "is_last": assignment.position == len(check_in.assignments),
    }


def _ids(definition: Definition) -> list[str]:
    return [item.id for item in definition.items]


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
    )
