"""The admin's pulse schedule form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField
from wtforms.validators import InputRequired, NumberRange, ValidationError


def _number(label: object, low: int, high: int) -> IntegerField:
    return IntegerField(label, validators=[InputRequired(), NumberRange(min=low, max=high)])


class ScheduleForm(FlaskForm):
    is_active = BooleanField(_l("Run the pulse"))
    first_opens_on = DateField(_l("First window opens on"), validators=[InputRequired()])
    every_months = _number(_l("Repeat every (months)"), 1, 12)
    window_days = _number(_l("Window open for (days)"), 1, 28)
    reminder_days_before_close = _number(_l("Reminder (days before it closes)"), 1, 27)

    def validate_reminder_days_before_close(self, field: IntegerField) -> None:
        if self.window_days.data and field.data and field.data >= self.window_days.data:
            raise ValidationError(_l("The reminder must come after the window opens."))
