"""The admin's forms for employment dates, time off and the time-off import."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, SelectField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from mbc.admin.forms import SingleLine, choices
from mbc.reports.forms import ScoreField
from mbc.staffing.services import KINDS, REASONS, UNITS


class AmountField(ScoreField):
    """A number read by its shape (no "NaN", no "1e1000000"); two decimal places at most."""

    def process_formdata(self, valuelist: list[str]) -> None:
        raw = (valuelist[0] if valuelist else "").strip()
        if not raw:
            self.data = None
            return
        whole, _, places = raw.partition(".")
        if len(raw) > 8 or not whole.isdigit() or (places and not places.isdigit()):
            self.data = None
            raise ValueError(_l("Give a number such as 1, 0.5 or 7.5."))
        if len(places) > 2:
            self.data = None
            raise ValueError(_l("Give at most two decimal places."))
        self.data = Decimal(raw)


class EmploymentForm(FlaskForm):
    started_on = DateField(_l("Start date"), validators=[Optional()])
    left_on = DateField(_l("Last day (when they leave)"), validators=[Optional()])
    leaving_reason = SelectField(_l("Reason for leaving"), validators=[Optional()])
    leaving_reason_other = StringField(
        _l("Reason, in a few words (for “Other”)"),
        validators=[Optional(), Length(max=200), SingleLine()],
    )
    annual_allowance_days = AmountField(
        _l("Paid time off a year (days)"),
        places=1,
        validators=[Optional(), NumberRange(min=0, max=366)],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.leaving_reason.choices = choices([("", _l("Not leaving")), *REASONS.items()])


class TimeOffForm(FlaskForm):
    starts_on = DateField(_l("First day"), validators=[InputRequired()])
    ends_on = DateField(_l("Last day"), validators=[InputRequired()])
    amount = AmountField(_l("Amount"), places=2, validators=[InputRequired()])
    unit = SelectField(_l("Unit"))
    kind = SelectField(_l("Kind of time off"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.unit.choices = choices(list(UNITS.items()))
        self.kind.choices = choices(list(KINDS.items()))


class TimeOffImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])
