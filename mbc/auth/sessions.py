"""Loading the signed-in user from the session, the idle time-out, and role checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from mbc.auth.models import StaffUser
from mbc.clock import utcnow
from mbc.extensions import db, login_manager

F = TypeVar("F", bound=Callable[..., Any])
CLIENT_FACING = frozenset({"survey", "unsubscribe", "twilio_hooks"})  # blueprints


@login_manager.user_loader
def load_user(session_id: str) -> StaffUser | None:
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit():
        return None
    user = db.session.get(StaffUser, int(user_id))
    if user is None or not user.is_active or user.session_token != token:
        return None
    return user


def init_sessions(app: Flask) -> None:
    login_manager.login_view = "auth.signin"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_enforce_idle_timeout)


def _enforce_idle_timeout() -> Any:
    """Sign out a staff session left idle longer than ``IDLE_TIMEOUT_MINUTES``.

    Client-facing pages (a check-in, an unsubscribe link, Twilio's callbacks) neither load
    the staff user nor count as staff activity: a check-in answered on the clinic's tablet
    must not keep a clinician's session alive.
    """
    if request.endpoint in (None, "static", "health.healthz"):
        return None
    if request.blueprint in CLIENT_FACING:
        return None
    if not current_user.is_authenticated:
        return None
    from flask import current_app

    now = utcnow()
    last_seen = session.get("last_seen")
    limit = int(current_app.config["IDLE_TIMEOUT_MINUTES"]) * 60
    if last_seen is not None and now.timestamp() - float(last_seen) > limit:
        logout_user()
        session.clear()
        flash(
            _l(
                "You were signed out after %(minutes)s minutes without activity. "
                "Please sign in again.",
                minutes=current_app.config["IDLE_TIMEOUT_MINUTES"],
            ),
            "info",
        )
        return redirect(url_for("auth.signin", next=request.full_path.rstrip("?")))
    session["last_seen"] = now.timestamp()
    return None


def start_session(now: datetime) -> None:
    session.permanent = True
    session["last_seen"] = now.timestamp()


def role_required(role: str) -> Callable[[F], F]:
    """Anonymous visitors go to sign-in; a signed-in user without the role gets 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role != role:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def staff_required(view: F) -> F:
    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped  # type: ignore[return-value]
