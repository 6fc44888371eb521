"""The period a review or a clinician's own view covers (a GET form: nothing changes)."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Optional, ValidationError

from mbc.reports.filters import MAX_DAYS, ReportFilters


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])

    def validate_end(self, field: DateField) -> None:
        if self.start.data and field.data:
            if field.data < self.start.data:
                raise ValidationError(_l("The end date is before the start date."))
            if (field.data - self.start.data).days >= MAX_DAYS:
                raise ValidationError(_l("Choose a period of at most three years."))

    def filters(self, default: ReportFilters, clinician_id: int) -> ReportFilters:
        start: date = self.start.data or default.start
        end: date = self.end.data or default.end
        if start > end:
            end = start
        return ReportFilters(start, end, default.timezone, clinician_id=clinician_id)
