from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, SelectMultipleField
from wtforms.validators import NumberRange, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from mbc.admin.forms import choices
from mbc.delivery.schedule import RuleValues


def at_least_one(form: FlaskForm, field: SelectMultipleField) -> None:
    """At least one box ticked, checked here: ``DataRequired`` would render ``required`` on
    every checkbox, and a browser would then refuse the form until all of them were ticked."""
    if not field.data:
        raise StopValidation(_l("Choose at least one questionnaire."))


class CheckInLinkForm(FlaskForm):
    """Instruments for an ad-hoc check-in, answered in the order listed."""

    instruments = SelectMultipleField(
        _l("Questionnaires"),
        validators=[at_least_one],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        invalid_choice_message=_l("Choose from the questionnaires listed."),
    )

    def __init__(self, enabled: list[tuple[str, str]], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instruments.choices = choices(enabled)  # type: ignore[arg-type]


class ActionForm(FlaskForm):
    """A button that changes something (pause, resume, remove): CSRF only."""


RULE_LABELS = {
    "every_session": _l("Before every session"),
    "every_nth_session": _l("Before every Nth session (from the first)"),
    "first_session": _l("Before the first session only"),
    "every_n_weeks": _l("Every N weeks (calendar)"),
    "discharge": _l("At discharge"),
}


class PlanRuleForm(CheckInLinkForm):
    """One line of a measurement plan: its questionnaires (as a check-in's), when, and timing."""

    rule = SelectField(_l("When"))
    every_n = IntegerField(
        _l("N (sessions or weeks)"), validators=[Optional(), NumberRange(min=1, max=52)]
    )
    start_date = DateField(_l("From (optional)"), validators=[Optional()])
    stop_date = DateField(_l("Until (optional)"), validators=[Optional()])
    invite_hours_before = IntegerField(
        _l("Invite this many hours before the session (blank: the practice's setting)"),
        validators=[Optional(), NumberRange(min=1, max=168)],
    )
    reminder_hours_before = IntegerField(
        _l("Remind this many hours before (0: no reminder; blank: the practice's setting)"),
        validators=[Optional(), NumberRange(min=0, max=72)],
    )
    close_hours_after = IntegerField(
        _l("Close this many hours after the start (blank: the practice's setting)"),
        validators=[Optional(), NumberRange(min=0, max=48)],
    )

    def __init__(self, enabled: list[tuple[str, str]], *args: object, **kwargs: object) -> None:
        super().__init__(enabled, *args, **kwargs)
        self.rule.choices = choices(list(RULE_LABELS.items()))

    def values(self) -> RuleValues:
        return RuleValues(
            rule=self.rule.data,
            instruments=tuple(self.instruments.data or ()),
            every_n=self.every_n.data,
            start_date=self.start_date.data,
            stop_date=self.stop_date.data,
            invite_hours_before=self.invite_hours_before.data,
            reminder_hours_before=self.reminder_hours_before.data,
            close_hours_after=self.close_hours_after.data,
        )

    def validate(self, extra_validators: object = None) -> bool:
        valid = super().validate(extra_validators)  # type: ignore[arg-type]
        # Not an inline validator: Optional() would stop the chain before it ran.
        if self.rule.data in ("every_nth_session", "every_n_weeks") and not self.every_n.data:
            self.every_n.errors = [*self.every_n.errors, _l("Give N for this kind of rule.")]
            return False
        return valid

    def validate_stop_date(self, field: DateField) -> None:
        if field.data and self.start_date.data and field.data < self.start_date.data:
            raise ValidationError(_l("The end date is before the start date."))
