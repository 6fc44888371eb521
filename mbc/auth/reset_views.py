"""``/password/forgot`` and ``/password/reset/<token>``: thin views over mbc.auth.reset."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from mbc.audit import services as audit
from mbc.auth import reset, throttle
from mbc.auth.forms import ForgotPasswordForm, NewPasswordForm
from mbc.auth.passwords import WeakPassword
from mbc.auth.views import bp
from mbc.extensions import db


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password() -> ResponseReturnValue:
    """The same answer whether or not the address has an account (no account discovery)."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        address = throttle.reset_key(request.remote_addr)
        if throttle.attempt([address]):  # every request counts: this form sends mail
            return render_template("auth/forgot.html", form=form, sent=True), 429
        user = reset.active_user_by_email(form.email.data or "")
        if user is not None:
            reset.queue_password_email(user)
            audit.record("auth.password_reset_requested", actor=user)
        db.session.commit()
        return render_template("auth/forgot.html", form=form, sent=True)
    return render_template("auth/forgot.html", form=form, sent=False)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    user = reset.user_for(token)
    if user is None:
        if throttle.bad_token(request.remote_addr):
            db.session.commit()
            message = _(
                "Too many links that did not work came from this connection. Wait a few "
                "minutes and try again."
            )
            return render_template("errors/error.html", code=429, message=message), 429
        db.session.commit()
        message = _(
            "This password link is not valid: it has expired or was already used. "
            "Ask for a new one."
        )
        return render_template("errors/error.html", code=410, message=message), 410
    form = NewPasswordForm()
    if form.validate_on_submit():
        if form.password.data != form.confirm.data:
            form.confirm.errors = [_("The two passwords are not the same.")]
        else:
            try:
                reset.set_new_password(user, form.password.data or "")
            except WeakPassword as exc:
                form.password.errors = [str(exc)]
            else:
                audit.record("auth.password_reset", actor=user)
                db.session.commit()
                flash(_("Your password is changed. Sign in with it now."), "success")
                return redirect(url_for("auth.signin"))
    status = 400 if request.method == "POST" else 200
    return render_template("auth/reset.html", form=form), status
