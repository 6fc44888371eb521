"""The report filter form (a GET form: no CSRF, nothing changes) and the team goal form."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, IntegerField, SelectField
from wtforms.validators import NumberRange, Optional, ValidationError

from mbc.admin.forms import choices
from mbc.delivery import labels
from mbc.instruments import registry
from mbc.reports.filters import MAX_DAYS, ReportFilters
from mbc.reports.goals import METRICS, OUTCOME_METRICS, PERIODS
from mbc.reports.outcomes import judged

# A score threshold: up to three digits and one decimal place (the column is Numeric(6, 1)).
SHORT_DECIMAL = re.compile(r"[0-9]{1,3}(?:\.[0-9])?")


class ScoreField(DecimalField):
    """A decimal read by its shape first: WTForms' own ``Decimal(raw)`` takes "NaN" (which
    then breaks the range check) or "1e-1000000" (which passes it), and keeps more places
    than the column stores."""

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        raw = valuelist[0].strip()
        if len(raw) > 8 or not SHORT_DECIMAL.fullmatch(raw):
            self.data = None
            raise ValueError(_l("Give a number such as 10 or 12.5."))
        self.data = Decimal(raw)


class ReportFilterForm(FlaskForm):
    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    team = SelectField(_l("Team"), coerce=str, validators=[Optional()])
    clinician = SelectField(_l("Clinician"), coerce=str, validators=[Optional()])
    instrument = SelectField(_l("Instrument"), coerce=str, validators=[Optional()])
    channel = SelectField(_l("Channel"), coerce=str, validators=[Optional()])
    by = SelectField(_l("Break down by"), coerce=str, validate_choice=False)

    def fill(
        self,
        teams: list[tuple[int, str]],
        clinicians: list[tuple[int, str]],
        instruments: list[tuple[str, str]],
        groupings: dict[str, object],
    ) -> None:
        everyone = ("", _l("All"))
        self.team.choices = choices([everyone, *((str(i), n) for i, n in teams)])
        self.clinician.choices = choices([everyone, *((str(i), n) for i, n in clinicians)])
        self.instrument.choices = choices([everyone, *instruments])
        self.channel.choices = choices([everyone, *labels.CHANNEL.items()])
        self.by.choices = choices(list(groupings.items()))

    def validate_end(self, field: DateField) -> None:
        if self.start.data and field.data:
            if field.data < self.start.data:
                raise ValidationError(_l("The end date is before the start date."))
            if (field.data - self.start.data).days >= MAX_DAYS:
                raise ValidationError(_l("Choose a period of at most three years."))

    def filters(self, default: ReportFilters) -> ReportFilters:
        """The chosen filters, falling back to ``default`` where a field is empty."""
        start: date = self.start.data or default.start
        end: date = self.end.data or default.end
        if self.start.data and not self.end.data and start > end:
            end = start
        return ReportFilters(
            start=start,
            end=end,
            timezone=default.timezone,
            team_id=int(self.team.data) if self.team.data else None,
            clinician_id=int(self.clinician.data) if self.clinician.data else None,
            instrument=self.instrument.data or None,
            channel=self.channel.data or None,
        )


class GoalForm(FlaskForm):
    team_id = SelectField(_l("Team"), coerce=int)
    metric = SelectField(_l("Goal"))
    instrument_code = SelectField(_l("Instrument (outcome goals)"), validators=[Optional()])
    baseline_at_least = ScoreField(
        _l("Only clients whose baseline was at least (optional)"),
        places=1,
        validators=[Optional(), NumberRange(min=0, max=200)],
    )
    target_percent = IntegerField(
        _l("Target (%)"), validators=[NumberRange(min=1, max=100)], default=80
    )
    period = SelectField(_l("Period"))

    def fill(self, teams: list[tuple[int, str]], instruments: list[tuple[str, str]]) -> None:
        self.team_id.choices = choices(
            [("0", _l("Whole practice")), *((str(i), n) for i, n in teams)]
        )
        self.metric.choices = choices(list(METRICS.items()))
        self.instrument_code.choices = choices([("", "—"), *instruments])
        self.period.choices = choices(list(PERIODS.items()))

    def validate(self, extra_validators: object = None) -> bool:
        ok = super().validate(extra_validators)  # type: ignore[arg-type]
        if self.metric.data in OUTCOME_METRICS and not self.instrument_code.data:
            self.instrument_code.errors = [
                *self.instrument_code.errors,
                _l("Outcome goals need an instrument."),
            ]
            return False
        if self.metric.data in OUTCOME_METRICS:
            can = judged(registry.get(self.instrument_code.data))
            if not (can.recovery if self.metric.data == "reliable_recovery" else can.reliable):
                self.instrument_code.errors = [
                    *self.instrument_code.errors,
                    _l("This instrument has no rule for that outcome."),
                ]
                return False
        return ok
