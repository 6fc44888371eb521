from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from mbc.audit import services as audit
from mbc.auth import staff_sessions, two_factor
from mbc.auth.forms import SigninForm, SignoutForm
from mbc.auth.services import attempt_signin
from mbc.auth.sessions import start_session
from mbc.clock import utcnow
from mbc.extensions import db

bp = Blueprint("auth", __name__)
PENDING_KEY = "two_factor_pending"  # the signed marker between the password and the code


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths, so the sign-in page cannot be used to send staff elsewhere. Browsers
    read a backslash as a slash and drop tabs and newlines, so ``/\\evil.example`` would be
    ``//evil.example``: neither is accepted anywhere in the path."""
    if not target or "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def home_for(user: object) -> str:
    return url_for("admin.overview" if getattr(user, "is_admin", False) else "clinician.home")


def refused(wait_seconds: int | None, wrong: str) -> int:
    """A refused sign-in try (password or code): keep its count, say why; the page's status."""
    db.session.commit()  # keep the failure count
    flash(wait_message(wait_seconds) if wait_seconds else wrong, "error")
    return 429 if wait_seconds else 401


def wait_message(seconds: int) -> str:
    return _(
        "Too many failed sign-in attempts for this account or network. For your "
        "security, wait %(seconds)s second(s), then try again.",
        seconds=seconds,
    )


@bp.route("/signin", methods=["GET", "POST"])
def signin() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    form = SigninForm()
    status = 200
    if form.validate_on_submit():
        result = attempt_signin(
            form.email.data or "", form.password.data or "", request.remote_addr
        )
        if result.user is not None and result.second_step:
            # Not signed in yet: a five-minute marker, then the code from the app.
            session.clear()
            session[PENDING_KEY] = two_factor.pending_marker(result.user)
            db.session.commit()
            return redirect(url_for("auth.signin_code", next=_safe_next(request.args.get("next"))))
        if result.user is not None:
            start_session(result.user)  # a fresh server-side session; the cookie holds its token
            audit.record("signin", actor=result.user)
            db.session.commit()
            return redirect(_safe_next(request.args.get("next")) or home_for(result.user))
        status = refused(
            result.wait_seconds, _("That email and password do not match an active account.")
        )
    elif request.method == "POST":
        status = 400
    return render_template("auth/signin.html", form=form), status


@bp.route("/signout", methods=["POST"])
def signout() -> ResponseReturnValue:
    form = SignoutForm()
    if form.validate_on_submit() and current_user.is_authenticated:
        audit.record("signout")
        staff_sessions.end(current_user.signed_in_token, utcnow())
        db.session.commit()
        logout_user()
        flash(_("You have signed out."), "info")
    return redirect(url_for("auth.signin"))


# Register the password reset pages, /account/sessions and two-factor sign-in on bp.
from mbc.auth import reset_views, session_views, two_factor_views  # noqa: E402,F401
