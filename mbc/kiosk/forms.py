from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length


class CodeForm(FlaskForm):
    """The kiosk's start page: the 6-digit check-in code from the front desk."""

    code = StringField(
        _l("Your check-in code"),
        validators=[DataRequired(), Length(max=20)],
        render_kw={
            "inputmode": "numeric",
            "autocomplete": "off",
            "autocorrect": "off",
            "spellcheck": "false",
            "maxlength": "7",
            "pattern": "[0-9 ]{6,7}",
        },
    )


class EnrolForm(FlaskForm):
    name = StringField(_l("Name of this device"), validators=[DataRequired(), Length(max=80)])


class ActionForm(FlaskForm):
    """CSRF for the staff buttons (revoke a device, send a code by SMS)."""
