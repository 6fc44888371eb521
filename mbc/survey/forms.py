from __future__ import annotations

from flask_wtf import FlaskForm


class CheckInPageForm(FlaskForm):
    """CSRF for a check-in page; the item fields are read and checked by the scoring parser."""


class LanguageForm(FlaskForm):
    pass
