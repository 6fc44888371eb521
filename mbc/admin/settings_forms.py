"""Forms for the admin settings pages: the practice, staff, teams and instrument licences."""

from __future__ import annotations

import phonenumbers
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from mbc.admin.forms import (
    SingleLine,
    choices,
    email_address,
    iana_timezone,
    language_choices,
    mobile_phone,
)

WEEKDAYS = (
    ("0", _l("Monday")),
    ("1", _l("Tuesday")),
    ("2", _l("Wednesday")),
    ("3", _l("Thursday")),
    ("4", _l("Friday")),
    ("5", _l("Saturday")),
    ("6", _l("Sunday")),
)


TWO_FACTOR_CHOICES = (
    ("off", _l("Nobody (each person may turn it on)")),
    ("admins", _l("Admins")),
    ("everyone", _l("Everyone")),
)


def number(label: object, low: int, high: int) -> IntegerField:
    """A required whole number in [low, high]; zero counts as an answer (InputRequired)."""
    return IntegerField(label, validators=[InputRequired(), NumberRange(min=low, max=high)])


class PracticeForm(FlaskForm):
    """Every practice-wide setting on one page, grouped as the template shows them."""

    name = StringField(
        _l("Practice name"), validators=[DataRequired(), Length(max=200), SingleLine()]
    )
    contact_phone = TelField(
        _l("Contact phone"), validators=[Optional(), Length(max=40), SingleLine()]
    )
    contact_email = EmailField(
        _l("Contact email"), validators=[Optional(), Length(max=254), SingleLine()]
    )
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)])
    default_language = SelectField(_l("Default language for new clients"))
    phone_region = StringField(
        _l("Country for phone numbers without a country code"),
        validators=[DataRequired(), Length(min=2, max=2)],
    )
    crisis_text_en = TextAreaField(
        _l("Crisis text in English"), validators=[Optional(), Length(max=2000)]
    )
    crisis_text_es = TextAreaField(
        _l("Crisis text in Spanish"), validators=[Optional(), Length(max=2000)]
    )
    show_scores_to_clients = BooleanField(_l("Show clients their scores when they finish"))
    satisfaction_visible_to_clinician = BooleanField(
        _l("Show each client's satisfaction survey answers to their clinicians")
    )
    client_progress_enabled = BooleanField(
        _l("Let clients see their own progress, when their clinician turns it on for them")
    )
    invite_hours_before = number(_l("Invite this many hours before the session"), 1, 168)
    reminder_hours_before = number(
        _l("Remind this many hours before the session (0: no reminder)"), 0, 72
    )
    close_hours_after = number(_l("Close this many hours after the session starts"), 0, 48)
    quiet_hours_start = number(_l("Quiet hours start (hour, 0-23)"), 0, 23)
    quiet_hours_end = number(_l("Quiet hours end (hour, 0-23)"), 0, 23)
    unscheduled_window_days = number(_l("Days a check-in not tied to a session stays open"), 1, 30)
    not_on_track_sessions = number(_l("Judge progress after this many check-ins"), 2, 52)
    not_on_track_weeks = number(_l("or this many weeks after the first"), 1, 104)
    office_hours_start = number(_l("Office opens (hour, 0-23)"), 0, 23)
    office_hours_end = number(_l("Office closes (hour, 1-24)"), 1, 24)
    working_days = SelectMultipleField(
        _l("Working days"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    alert_escalation_minutes = number(
        _l("Escalate an unacknowledged critical alert after (minutes)"), 5, 1440
    )
    min_group_size = number(_l("Smallest group reports show figures for"), 1, 100)
    utilisation_warning_percent = number(_l("Flag utilisation below (per cent)"), 1, 100)
    late_cancel_hours = number(_l("A cancellation is late when made less than (hours)"), 1, 168)
    documentation_target_hours = number(
        _l("Documentation is on time when completed within (hours after the session)"), 1, 720
    )
    audit_retention_years = number(_l("Keep the audit log for (years)"), 6, 100)
    discharged_retention_years = number(
        _l("Remove a discharged client's record this many years after discharge"), 6, 100
    )
    two_factor_required = SelectField(_l("Two-factor sign-in required for"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.default_language.choices = language_choices()
        self.working_days.choices = choices(list(WEEKDAYS))
        self.two_factor_required.choices = choices(list(TWO_FACTOR_CHOICES))

    def validate_contact_email(self, field: EmailField) -> None:
        email_address(field)

    def validate_timezone(self, field: StringField) -> None:
        iana_timezone(field)

    def validate_phone_region(self, field: StringField) -> None:
        field.data = (field.data or "").strip().upper()
        if field.data not in phonenumbers.SUPPORTED_REGIONS:
            raise ValidationError(_l("Enter a two-letter country code such as US or MX."))

    def validate_contact_phone(self, field: TelField) -> None:
        region = (self.phone_region.data or "").strip().upper()
        if not field.data or region not in phonenumbers.SUPPORTED_REGIONS:
            return
        try:
            parsed = phonenumbers.parse(field.data, region)
        except phonenumbers.NumberParseException as exc:
            raise ValidationError(_l("Enter a phone number clients can call.")) from exc
        if not phonenumbers.is_possible_number(parsed):
            raise ValidationError(_l("Enter a phone number clients can call."))

    def validate_reminder_hours_before(self, field: IntegerField) -> None:
        invite = self.invite_hours_before.data
        if field.data and invite and field.data >= invite:
            raise ValidationError(_l("The reminder must come after the invitation."))

    def validate_office_hours_end(self, field: IntegerField) -> None:
        opens = self.office_hours_start.data
        if field.data is not None and opens is not None and field.data <= opens:
            raise ValidationError(_l("The office must close after it opens."))

    def validate_working_days(self, field: SelectMultipleField) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one working day."))


class StaffForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200), SingleLine()])
    email = EmailField(_l("Email (used to sign in)"), validators=[DataRequired(), Length(max=254)])
    role = SelectField(_l("Role"))
    team_id = SelectField(_l("Team"), coerce=int)
    preferred_language = SelectField(_l("Language"))
    phone = TelField(
        _l("Mobile phone for urgent alerts (optional)"), validators=[Optional(), Length(max=40)]
    )
    receives_escalations = BooleanField(
        _l("Receives critical alerts that were not acknowledged in time")
    )
    weekly_capacity = IntegerField(
        _l("Sessions a week this clinician plans to hold"),
        validators=[Optional(), NumberRange(min=0, max=80)],
    )
    is_active = BooleanField(_l("Account active"), default=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = choices([("clinician", _l("Clinician")), ("admin", _l("Admin"))])
        self.preferred_language.choices = language_choices()

    def validate_email(self, field: EmailField) -> None:
        email_address(field)

    def validate_phone(self, field: TelField) -> None:
        mobile_phone(field)


class TeamForm(FlaskForm):
    name = StringField(_l("Team name"), validators=[DataRequired(), Length(max=120), SingleLine()])


class LicenceForm(FlaskForm):
    holder = StringField(
        _l("Licence holder"), validators=[DataRequired(), Length(max=200), SingleLine()]
    )
    reference = StringField(
        _l("Licence number or agreement"), validators=[DataRequired(), Length(max=200)]
    )
    licensed_on = DateField(_l("Date of the licence"), validators=[Optional()])


class TwoFactorResetForm(FlaskForm):
    """Clearing a colleague's two-factor sign-in: the admin ticks that they checked who asked."""

    confirm = BooleanField(
        _l("I have checked that this request comes from them (in person or by phone)"),
        validators=[DataRequired()],
    )


class SuperviseesForm(FlaskForm):
    """The clinicians a supervisor supervises (none: not a supervisor). No ``required`` on the
    boxes: an empty choice is a valid answer (it ends the supervision)."""

    supervisees = SelectMultipleField(
        _l("Supervisees"),
        coerce=int,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


API_SCOPES = (
    ("read:responses", _l("Read questionnaires, responses and scores (read:responses)")),
    ("read:contact", _l("Read clients' phone, email and language (read:contact)")),
    ("write:appointments", _l("Push appointments (write:appointments)")),
    ("write:clients", _l("Add clients from pushed appointments (write:clients)")),
)


class ApiClientForm(FlaskForm):
    name = StringField(
        _l("Name of the system (e.g. the EHR)"),
        validators=[DataRequired(), Length(max=120), SingleLine()],
    )
    scopes = SelectMultipleField(
        _l("What it may do"), widget=ListWidget(prefix_label=False), option_widget=CheckboxInput()
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.scopes.choices = choices(list(API_SCOPES))

    def validate_scopes(self, field: SelectMultipleField) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one thing it may do."))
