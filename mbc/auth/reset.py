"""Staff password reset: a timed, signed link that stops working once the password changes.

The token carries the user id and a fingerprint of the current password hash, so it is single
use without storing anything: after a reset the fingerprint no longer matches. The email goes
through the outbox like any other message (same sender, retried until sent).
"""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import select

from mbc.auth import staff_sessions
from mbc.auth.models import StaffUser
from mbc.auth.passwords import check_policy, hash_password
from mbc.clock import utcnow
from mbc.extensions import db

SALT = "mbc.password-reset"


class _ClockSigner(TimestampSigner):
    """Timestamps from mbc's clock, so expiry follows the same time as everything else."""

    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT, signer=_ClockSigner)


def _fingerprint(user: StaffUser) -> str:
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def reset_token(user: StaffUser) -> str:
    return str(_serializer().dumps({"u": user.id, "p": _fingerprint(user)}))


def reset_url(user: StaffUser) -> str:
    return f"{current_app.config['BASE_URL']}/password/reset/{reset_token(user)}"


def user_for(token: str) -> StaffUser | None:
    """The active user a token was made for, if it is genuine, unexpired and unused."""
    if len(token) > 300:
        return None
    max_age = int(current_app.config["PASSWORD_RESET_MINUTES"]) * 60
    try:
        data = _serializer().loads(token, max_age=max_age)
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    user = db.session.get(StaffUser, data.get("u"))
    if user is None or not user.is_active or data.get("p") != _fingerprint(user):
        return None
    return user


def set_new_password(user: StaffUser, password: str) -> None:
    """Raises WeakPassword. Ends every session of the user, wherever it is."""
    check_policy(password)
    user.password_hash = hash_password(password)
    staff_sessions.end_all(user, utcnow())
    db.session.flush()


def queue_password_email(user: StaffUser) -> bool:
    """Queue the email with a password link (a new account's first, or a reset).

    Keyed to five-minute buckets, so a double click or a quick second request sends one email.
    The link itself is made when the email is sent, so it is valid from then.
    """
    from mbc.delivery import outbox  # delivery's models refer to staff users

    now = utcnow()
    bucket = now.replace(minute=now.minute - now.minute % 5, second=0, microsecond=0)
    return outbox.enqueue(
        kind="password_reset",
        dedupe_key=f"password_reset:{user.id}:{bucket.isoformat()}",
        language=user.preferred_language,
        scheduled_at=now,
        staff_user_id=user.id,
    )


def active_user_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(
        select(StaffUser).where(
            StaffUser.email == email.strip().lower(), StaffUser.is_active.is_(True)
        )
    )
