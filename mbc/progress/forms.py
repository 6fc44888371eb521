from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField


class SharingForm(FlaskForm):
    """The clinician's switch for one client."""

    visible = BooleanField(_l("Let this client see their own progress"))


class SendLinkForm(FlaskForm):
    """Send a progress link: CSRF only."""
