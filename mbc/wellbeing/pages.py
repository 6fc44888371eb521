"""What the pulse page shows: the questions in the staff member's language (or English where a
questionnaire has no translation yet), and their own results straight after answering."""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from flask_babel import get_locale

from mbc.scoring.result import ScoreResult
from mbc.survey.assets import inline
from mbc.wellbeing import services


@cache
def content_security_policy() -> str:
    """The inlined stylesheet only: the page has no script and makes no other request."""
    digest = hashlib.sha256(str(inline("survey.css")).encode("utf-8")).digest()
    style = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
    return (
        f"default-src 'none'; img-src data:; style-src {style}; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )


@dataclass(frozen=True)
class Section:
    code: str
    title: str
    lead_in: str
    lang: str  # the language the wording is in (English where no translation is shipped)
    credit: str
    items: list[dict[str, Any]]


def sections(language: str) -> list[Section]:
    found = []
    for definition in services.definitions():
        lang = language if language in definition.languages else "en"
        found.append(
            Section(
                code=definition.code,
                title=definition.text(definition.title, lang),
                lead_in=definition.text(definition.lead_in, lang) if definition.lead_in else "",
                lang=lang,
                credit=definition.credit,
                items=[
                    {
                        "id": item.id,
                        "kind": item.kind,
                        "text": definition.text(item.text, lang),
                        "max_length": item.max_length,
                        "options": [
                            (o.value, definition.text(o.label, lang)) for o in item.options
                        ],
                    }
                    for item in definition.items
                ],
            )
        )
    return found


def answer_context(invitation: services.Invitation, token: str, chosen: dict[str, str]) -> dict:
    language = str(get_locale())
    return {
        "token": token,
        "sections": sections(language),
        "chosen": chosen,
        "language": language,
        "closes_at": invitation.window.closes_at,
    }


@dataclass(frozen=True)
class OwnResult:
    title: str
    score: str | None
    band: str | None
    flags: frozenset[str]
    answers: list[tuple[str, str]]  # statement, answer in words


def own_results(results: dict[str, ScoreResult]) -> list[OwnResult]:
    """The person's own answers, in words, for the thank-you page (never stored with them)."""
    language = str(get_locale())
    shown = []
    for definition in services.definitions():
        result = results[definition.code]
        lang = language if language in definition.languages else "en"
        band = next((b for b in definition.scoring.bands if b.key == result.severity), None)
        words = []
        for item in definition.items:
            value = result.answers.get(item.id)
            if value is None or item.kind != "choice":
                continue
            label = next(o.label for o in item.options if o.value == value)
            words.append((definition.text(item.text, lang), definition.text(label, lang)))
        shown.append(
            OwnResult(
                title=definition.text(definition.title, lang),
                score=str(result.total) if result.valid and result.total is not None else None,
                band=definition.text(band.label, lang) if band else None,
                flags=result.flags,
                answers=words,
            )
        )
    return shown
