from __future__ import annotations

import unicodedata
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from mbc.clients.contact import ContactError, check_timezone, normalize_email, normalize_phone
from mbc.practice.services import get_practice


def choices(pairs: list[tuple[str, object]]) -> list[SelectChoice]:
    return [SelectChoice(value=value, label=label) for value, label in pairs]  # type: ignore[arg-type]


class SingleLine:
    """Refuses line breaks and control characters: a name or contact may end up in an email
    header (a CR/LF there makes every such email unsendable) or a CSV row."""

    def __call__(self, _form: Any, field: Any) -> None:
        if any(_breaks_a_line(c) for c in str(field.data or "")):
            raise ValidationError(_l("Use one line, without line breaks or control characters."))


def _breaks_a_line(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Zl", "Zp")


# Inline validators shared by the admin forms: each tidies the value it accepts.
def email_address(field: EmailField) -> None:
    """A syntactically valid address, normalised (empty is left to Optional or DataRequired)."""
    if field.data:
        try:
            field.data = normalize_email(field.data)
        except ContactError as exc:
            raise ValidationError(_l("Enter a valid email address.")) from exc


def iana_timezone(field: StringField) -> None:
    try:
        check_timezone((field.data or "").strip())
    except ContactError as exc:
        raise ValidationError(_l("Enter an IANA time zone such as America/New_York.")) from exc


def mobile_phone(field: TelField) -> None:
    """An inline validator: the number in E.164, read with the practice's country."""
    if field.data:
        try:
            field.data = normalize_phone(field.data, get_practice().phone_region)
        except ContactError as exc:
            raise ValidationError(_l("Enter a valid mobile phone number.")) from exc


def language_choices() -> list[SelectChoice]:
    return choices([("en", _l("English")), ("es", _l("Spanish"))])


class ClientForm(FlaskForm):
    client_ref = StringField(
        _l("Client reference"), validators=[DataRequired(), Length(max=64), SingleLine()]
    )
    first_name = StringField(
        _l("First name"), validators=[DataRequired(), Length(max=100), SingleLine()]
    )
    last_name = StringField(
        _l("Last name"), validators=[DataRequired(), Length(max=100), SingleLine()]
    )
    phone = TelField(_l("Mobile phone"), validators=[Optional(), Length(max=40)])
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)])
    preferred_channel = SelectField(_l("Send check-ins by"))
    sms_consent = BooleanField(_l("Agreed to check-ins by text message"), default=True)
    email_consent = BooleanField(_l("Agreed to check-ins by email"), default=True)
    language = SelectField(_l("Language"))
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=64)])
    status = SelectField(_l("Status"))
    primary_clinician_id = SelectField(_l("Primary clinician"), coerce=int)
    team_id = SelectField(_l("Team"), coerce=int)
    care_team = SelectMultipleField(_l("Care team (may also see this client)"), coerce=int)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.preferred_channel.choices = choices(
            [("sms", _l("Text message")), ("email", _l("Email"))]
        )
        self.language.choices = language_choices()
        self.status.choices = choices([("active", _l("Active")), ("discharged", _l("Discharged"))])

    def validate_phone(self, field: TelField) -> None:
        mobile_phone(field)

    def validate_email(self, field: EmailField) -> None:
        email_address(field)

    def validate_timezone(self, field: StringField) -> None:
        iana_timezone(field)

    def validate_preferred_channel(self, field: SelectField) -> None:
        if field.data == "sms" and not self.phone.data:
            raise ValidationError(_l("Text messages need a mobile phone number."))
        if field.data == "email" and not self.email.data:
            raise ValidationError(_l("Email needs an email address."))


class AppointmentForm(FlaskForm):
    appointment_ref = StringField(
        _l("Appointment reference"), validators=[DataRequired(), Length(max=64)]
    )
    clinician_id = SelectField(_l("Clinician"), coerce=int)
    starts_at = DateTimeLocalField(
        _l("Starts at (client's local time)"), format="%Y-%m-%dT%H:%M", validators=[DataRequired()]
    )
    status = SelectField(_l("Status"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = choices(
            [
                ("scheduled", _l("Scheduled")),
                ("completed", _l("Completed")),
                ("cancelled", _l("Cancelled")),
                ("no_show", _l("No-show")),
            ]
        )


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file exported from your EHR"), validators=[FileRequired()])
    # Optional: a post without it (an older page) takes the practice's default.
    date_format = SelectField(
        _l("How the file writes dates such as 12/01/2026"), validators=[Optional()]
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.date_format.choices = choices(
            [
                ("mdy", _l("Month first (MM/DD/YYYY): December 1, 2026")),
                ("dmy", _l("Day first (DD/MM/YYYY): 12 January 2026")),
            ]
        )


class RemoveClientForm(FlaskForm):
    """Typing the client's reference confirms a removal that cannot be undone.

    Rendered with ``prefix="remove"`` beside the client form, so the two never share an id.
    """

    confirm_ref = StringField(
        _l("Type the client's reference to confirm"), validators=[DataRequired(), Length(max=64)]
    )
