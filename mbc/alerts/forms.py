from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from mbc.alerts.services import NOTE_MAX


class AlertNoteForm(FlaskForm):
    """Acknowledging or resolving an alert needs a note of what was done."""

    note = TextAreaField(
        _l("What did you do?"),
        validators=[DataRequired(_l("Write a short note of what you did.")), Length(max=NOTE_MAX)],
    )
