"""Reading and creating the practice's settings row."""

from __future__ import annotations

from flask import current_app

from mbc.extensions import db
from mbc.practice.models import PracticeSettings


def get_practice() -> PracticeSettings:
    """The practice's settings, created with defaults on first use so every page can rely on it."""
    practice = db.session.get(PracticeSettings, 1)
    if practice is None:
        practice = PracticeSettings(
            id=1,
            name="Our practice",
            phone_region=current_app.config["DEFAULT_PHONE_REGION"],
            timezone="America/New_York",
            default_language="en",
            contact_phone="",
            contact_email="",
            crisis_text_en="",
            crisis_text_es="",
            show_scores_to_clients=False,
        )
        db.session.add(practice)
        db.session.flush()
    return practice
