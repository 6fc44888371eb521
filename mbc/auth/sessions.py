"""Loading the signed-in user from their server-side session, its time limits, and role checks."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import (
    Flask,
    abort,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from mbc.auth import staff_sessions
from mbc.auth.models import StaffUser
from mbc.clock import utcnow
from mbc.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])
# Blueprints where staff sessions are never read: client pages, the kiosk, and the FHIR API
# (bearer tokens).
CLIENT_FACING = frozenset({"survey", "unsubscribe", "twilio_hooks", "kiosk", "fhir"})


@login_manager.user_loader
def load_user(token: str) -> StaffUser | None:
    """The user of the live server-side session the cookie's token names.

    Client-facing pages (a check-in, an unsubscribe link, Twilio's callbacks) do no staff-session
    work at all: nobody is signed in there.
    """
    if has_request_context() and request.blueprint in CLIENT_FACING:
        return None
    found = staff_sessions.resume(token, utcnow())
    g.staff_session = found.session
    g.staff_session_ended = found.ended
    return found.user


def init_sessions(app: Flask) -> None:
    login_manager.login_view = "auth.signin"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_check_staff_session)
    app.before_request(_require_two_factor)


_ENDED = {
    "idle": _l(
        "You were signed out after %(minutes)s minutes without activity. Please sign in again."
    ),
    "expired": _l("You were signed out after %(hours)s hours. Please sign in again."),
    "revoked": _l("This session was ended. Please sign in again."),
}


def _check_staff_session() -> Any:
    """Count a staff request as activity, or sign out a session that has ended on the server
    (idle, too old, signed out elsewhere, or its account changed) and say why.

    A check-in answered on the clinic's tablet must not keep a clinician's session alive, so
    client-facing pages are left out.
    """
    if request.endpoint in (None, "static", "health.healthz"):
        return None
    if request.blueprint in CLIENT_FACING:
        return None
    if current_user.is_authenticated:
        if g.get("staff_session") is not None:  # None only on the request that signs in
            staff_sessions.touch(g.staff_session, utcnow())
        return None
    ended = g.pop("staff_session_ended", None)
    if ended is None:
        return None
    logout_user()
    session.clear()
    config = current_app.config
    minutes, hours = config["IDLE_TIMEOUT_MINUTES"], config["SESSION_MAX_HOURS"]
    flash(_ENDED[ended] % {"minutes": minutes, "hours": hours}, "info")
    target = None if request.blueprint == "auth" else request.full_path.rstrip("?")
    return redirect(url_for("auth.signin", next=target))


# What a member of staff who must enrol in two-factor sign-in can still reach.
_ENROLMENT_ENDPOINTS = frozenset(
    {"auth.two_factor_page", "auth.two_factor_enrol", "auth.signout", "static", "health.healthz"}
)


def _require_two_factor() -> Any:
    """When the practice requires two-factor sign-in for someone who has not enrolled, every
    staff page sends them to enrolment until they have (one settings read, only for them)."""
    if request.blueprint in CLIENT_FACING or request.endpoint in _ENROLMENT_ENDPOINTS:
        return None
    if request.endpoint is None or not current_user.is_authenticated:
        return None
    if current_user.two_factor_enabled:
        return None
    from mbc.auth.two_factor import required_for

    if not required_for(current_user._get_current_object()):  # type: ignore[attr-defined]
        return None
    flash(_l("The practice requires two-factor sign-in: set it up to continue."), "info")
    return redirect(url_for("auth.two_factor_page"))


def start_session(user: StaffUser) -> None:
    """Sign ``user`` in to a new server-side session (the cookie gets only its token)."""
    session.clear()  # a fresh session on sign-in: nothing carried over from before
    session.permanent = True
    staff_sessions.start(
        user, utcnow(), address=request.remote_addr, user_agent=request.user_agent.string
    )
    login_user(user)


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
