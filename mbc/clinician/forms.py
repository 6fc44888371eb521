from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from mbc.admin.forms import choices


class CheckInLinkForm(FlaskForm):
    """Instruments for an ad-hoc check-in, answered in the order listed."""

    instruments = SelectMultipleField(
        _l("Questionnaires"),
        validators=[DataRequired(message=_l("Choose at least one questionnaire."))],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        invalid_choice_message=_l("Choose from the questionnaires listed."),
    )

    def __init__(self, enabled: list[tuple[str, str]], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.instruments.choices = choices(enabled)  # type: ignore[arg-type]
