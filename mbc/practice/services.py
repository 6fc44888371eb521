"""Reading and creating the practice's settings row."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import current_app, g, has_request_context

from mbc.db import insert_ignoring
from mbc.extensions import db
from mbc.practice.models import PRACTICE_ID, PracticeSettings

if TYPE_CHECKING:
    from mbc.auth.models import StaffUser


def get_practice() -> PracticeSettings:
    """The practice's settings, created with defaults on first use so every page can rely on it.

    Created with INSERT ... ON CONFLICT DO NOTHING: two processes (a page and the scheduler) may
    both find it missing, and neither may fail for it.
    """
    practice = db.session.get(PracticeSettings, PRACTICE_ID)
    if practice is None:
        db.session.execute(
            insert_ignoring(PracticeSettings.__table__, "id").values(
                id=PRACTICE_ID,
                name="Our practice",
                phone_region=current_app.config["DEFAULT_PHONE_REGION"],
                timezone="America/New_York",
                default_language="en",
                contact_phone="",
                contact_email="",
                crisis_text_en="",
                crisis_text_es="",
                show_scores_to_clients=False,
                invite_hours_before=24,
                reminder_hours_before=3,
                close_hours_after=1,
                quiet_hours_start=21,
                quiet_hours_end=8,
                unscheduled_window_days=3,
            )
        )
        practice = db.session.get(PracticeSettings, PRACTICE_ID)
        assert practice is not None
    keep_for_request(practice)
    return practice


def keep_for_request(practice: PracticeSettings | None) -> None:
    """Hold the loaded settings for the rest of the request.

    The session's identity map holds objects weakly: this reference lets later calls of
    ``get_practice`` find the row there instead of querying again.
    """
    if practice is not None and has_request_context():
        g.mbc_practice = practice


def update_practice(values: dict[str, Any], *, actor: StaffUser) -> list[str]:
    """Apply the settings an admin saved; audit-logs the names of the fields that changed."""
    from mbc.audit import services as audit  # audit imports staff models, which import ours

    practice = get_practice()
    changed = sorted(name for name, value in values.items() if getattr(practice, name) != value)
    for name in changed:
        setattr(practice, name, values[name])
    if changed:
        audit.record("practice.update", target="practice", detail={"fields": changed}, actor=actor)
        db.session.flush()
    return changed
