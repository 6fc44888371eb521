"""The period a review or a clinician's own view covers (a GET form: nothing changes), and the
agreed-goal forms."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from mbc.admin.forms import SingleLine, choices
from mbc.clock import utcnow
from mbc.reports.filters import MAX_DAYS, ReportFilters
from mbc.supervision.goals import KINDS, STATUSES


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
        end: date = self.end.data or default.end
        start: date = self.start.data or end - (default.end - default.start)
        if start > end:  # only a start after today's default end: a period of one day
            end = start
        return ReportFilters(start, end, default.timezone, clinician_id=clinician_id)


class GoalForm(FlaskForm):
    kind = SelectField(_l("Kind of goal"))
    title = StringField(_l("Goal"), validators=[DataRequired(), Length(max=200), SingleLine()])
    description = TextAreaField(
        _l("How you will know it is met (optional)"), validators=[Optional(), Length(max=2000)]
    )
    review_on = DateField(_l("Review date"), validators=[InputRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = choices(list(KINDS.items()))

    def validate_review_on(self, field: DateField) -> None:
        reasonable_review_date(field)


class GoalNoteForm(FlaskForm):
    body = TextAreaField(_l("Progress note"), validators=[DataRequired(), Length(max=2000)])


class GoalUpdateForm(FlaskForm):
    status = SelectField(_l("Status"))
    review_on = DateField(_l("Review date"), validators=[InputRequired()])

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = choices(list(STATUSES.items()))

    def validate_review_on(self, field: DateField) -> None:
        reasonable_review_date(field)


def reasonable_review_date(field: DateField) -> None:
    """Within three years either side of today (a typo such as 2062 is caught)."""
    today = utcnow().date()
    if field.data and abs((field.data - today).days) > MAX_DAYS:
        raise ValidationError(_l("Choose a review date within three years of today."))
