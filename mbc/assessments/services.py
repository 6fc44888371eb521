"""The answer path's public face, for the pages and commands that use it.

Each job lives in its own module: creating check-ins and their state
(``mbc.assessments.check_ins``), resolving and opening links (``mbc.assessments.links``),
drafts and reading a page's form (``mbc.assessments.drafts``), saving and completing answers
(``mbc.assessments.completion``) and the alerts answers raise (``mbc.assessments.alerting``).
"""

from __future__ import annotations

from mbc.assessments.alerting import ALERT_FLAGS, critical_endorsed, raise_progress_alerts
from mbc.assessments.check_ins import (
    CheckInError,
    CheckInRows,
    ClientLike,
    check_in_objects,
    check_in_rows,
    create_check_in,
    definition_of,
    is_enabled,
    language_for,
    next_step,
    report_unavailable,
    state,
    unavailable,
)
from mbc.assessments.completion import SaveResult, revise, save_answers, score_values
from mbc.assessments.drafts import note_skip_prompt, open_step, parse_page, storable
from mbc.assessments.links import mark_opened, new_link, resolve, resolve_link

__all__ = [
    "ALERT_FLAGS",
    "CheckInError",
    "CheckInRows",
    "ClientLike",
    "SaveResult",
    "check_in_objects",
    "check_in_rows",
    "create_check_in",
    "critical_endorsed",
    "definition_of",
    "is_enabled",
    "language_for",
    "mark_opened",
    "new_link",
    "next_step",
    "note_skip_prompt",
    "open_step",
    "parse_page",
    "raise_progress_alerts",
    "report_unavailable",
    "resolve",
    "resolve_link",
    "revise",
    "save_answers",
    "score_values",
    "state",
    "storable",
    "unavailable",
]
