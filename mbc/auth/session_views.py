"""``/account/sessions``: a member of staff sees where they are signed in and can end the rest."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from mbc.audit import services as audit
from mbc.auth import staff_sessions
from mbc.auth.forms import EndSessionsForm
from mbc.auth.sessions import staff_required
from mbc.auth.views import bp
from mbc.clock import utcnow
from mbc.extensions import db


@bp.get("/account/sessions")
@staff_required
def sessions_page() -> ResponseReturnValue:
    user = current_user._get_current_object()  # type: ignore[attr-defined]
    return render_template(
        "auth/sessions.html",
        sessions=staff_sessions.listed(user, utcnow(), viewer=user),
        form=EndSessionsForm(formdata=None),
    )


@bp.post("/account/sessions/end-others")
@staff_required
def end_other_sessions() -> ResponseReturnValue:
    form = EndSessionsForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()  # type: ignore[attr-defined]
        ended = staff_sessions.end_all(user, utcnow(), keep_token=user.signed_in_token)
        audit.record("auth.signout_elsewhere", detail={"sessions": ended})
        db.session.commit()
        flash(
            ngettext(
                "Signed out of %(num)s other session.",
                "Signed out of %(num)s other sessions.",
                ended,
            )
            if ended
            else _("You were not signed in anywhere else."),
            "success",
        )
    return redirect(url_for("auth.sessions_page"))
