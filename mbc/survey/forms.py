from __future__ import annotations

from flask_wtf import FlaskForm


class LanguageForm(FlaskForm):
    """CSRF for the language switch; the language itself is checked against SUPPORTED."""
