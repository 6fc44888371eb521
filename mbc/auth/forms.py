from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Length


class SigninForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=256)])


class SignoutForm(FlaskForm):
    """Sign-out is a POST with a CSRF token, so another site cannot sign a user out."""


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=256)])
    confirm = PasswordField(_l("New password again"), validators=[DataRequired(), Length(max=256)])


class EndSessionsForm(FlaskForm):
    """ "Sign out everywhere (else)": only the CSRF token, so another site cannot post it."""


class CodeForm(FlaskForm):
    """The second step of sign-in: a code from the authenticator app, or a recovery code."""

    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[DataRequired(), Length(max=20)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "none"},
    )


class EnrolForm(FlaskForm):
    code = StringField(
        _l("The 6-digit code the app shows now"),
        validators=[DataRequired(), Length(max=10)],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class PasswordCheckForm(FlaskForm):
    """A change to two-factor sign-in asks for the password again."""

    password = PasswordField(_l("Your password"), validators=[DataRequired(), Length(max=256)])
