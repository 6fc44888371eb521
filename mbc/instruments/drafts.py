"""A practice's draft definition file: every problem in it, its release line, and its client
page rendered to HTML to look at (``mbc instruments check`` and ``mbc instruments preview``)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

from flask import current_app, render_template
from flask_babel import force_locale

from mbc.instruments import registry
from mbc.instruments.schema import Definition, DefinitionError


def check_file(path: Path) -> tuple[Definition | None, list[str]]:
    """The definition, or None and every problem found, each as "file: field: message"."""
    try:
        definition = registry.load_file(path, strict=True)
    except DefinitionError as exc:
        return None, exc.problems
    if definition.code in registry.codes() and not registry.get(definition.code).clinic:
        return None, [f"{path}: code: {definition.code!r} is a built-in instrument"]
    return definition, []


def release_line(path: Path) -> str:
    """The line that releases ``path`` in its folder's RELEASED.sha256."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return f"{digest}  {path.parent.name}/{path.name}"


def is_released(path: Path) -> bool:
    released, _problems = registry.read_released(path.parent.parent)
    name = f"{path.parent.name}/{path.name}"
    return released.get(name) == hashlib.sha256(path.read_bytes()).hexdigest()


def render_preview(definition: Definition, language: str) -> str:
    """The questionnaire's page as a client would see it (one step, nothing answered): the same
    template and item markup as the real page, with no check-in and no database."""
    shown = language if language in definition.languages else "en"
    from mbc.survey.pages import items_markup

    with current_app.test_request_context("/"), force_locale(language):
        assignment = SimpleNamespace(position=1, instrument_code=definition.code)
        check_in = SimpleNamespace(language=language, assignments=[assignment])
        return render_template(
            "survey/step.html",
            token="preview",
            check_in=check_in,
            assignment=assignment,
            definition=definition,
            shown_language=shown,
            fallback_to_english=shown != language,
            title=definition.text(definition.title, shown),
            instructions=definition.instructions.get(shown) or definition.instructions.get("en"),
            lead_in=definition.lead_in.get(shown) or definition.lead_in.get("en"),
            items=items_markup(definition, shown, {}),
            step_number=1,
            step_count=1,
            is_last=True,
            readers=None,
            survey_practice=SimpleNamespace(name="Preview"),
        )
