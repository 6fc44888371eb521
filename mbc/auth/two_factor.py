"""Two-factor sign-in for staff: a time-based code (RFC 6238, via pyotp) from an authenticator
app after the password, or one of ten single-use recovery codes when the phone is lost.

Codes are checked against the app's clock (``mbc.clock.utcnow``), one 30-second step either side
allowed for a phone's drift, and a step whose code was accepted once is refused after: a code
seen over a shoulder cannot be used again. Recovery codes are kept only as salted scrypt hashes.
The TOTP secret itself must be kept (the server computes the same codes): it is as sensitive as
the password hashes.

Between the password and the code the browser holds only a signed, five-minute "second step
pending" marker naming the user (``pending_marker``), never a session.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from flask import current_app
from itsdangerous import BadSignature, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import delete, select, update

from mbc.audit import services as audit
from mbc.auth import staff_sessions
from mbc.auth.models import RecoveryCode, StaffUser
from mbc.clock import utcnow
from mbc.extensions import db

RECOVERY_CODES = 10
# scrypt's work factor for recovery codes (16 MiB and tens of milliseconds a code). The hash is
# deterministic, so changing it makes every stored code unusable: new codes would be needed.
RECOVERY_CODE_COST = 2**14
# No 0/o, 1/l/i: a code copied from paper is read back without doubt.
_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
_PENDING_SALT = "mbc-two-factor-pending"
PENDING_SECONDS = 300
ISSUER = "mbc"


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret)


def required_for(user: StaffUser) -> bool:
    """Whether the practice setting makes two-factor sign-in compulsory for ``user``."""
    from mbc.practice.services import get_practice

    setting = get_practice().two_factor_required
    return setting == "everyone" or (setting == "admins" and user.is_admin)


# -- enrolment ----------------------------------------------------------------------------------


def begin_enrolment(user: StaffUser) -> str:
    """A new secret for ``user`` (not yet in use: the next code they type confirms it)."""
    if user.two_factor_enabled:
        raise ValueError("two-factor sign-in is already on")
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = None
    db.session.flush()
    return user.totp_secret


def provisioning_uri(user: StaffUser) -> str:
    assert user.totp_secret
    return _totp(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(user: StaffUser, title: str) -> str:
    """The enrolment QR code as inline SVG (no image request, so the secret stays in the page)."""
    svg: str = segno.make(provisioning_uri(user), error="m").svg_inline(scale=4, title=title)
    return svg


def grouped(secret: str) -> str:
    """The secret in groups of four, as authenticator apps accept it typed."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def confirm_enrolment(user: StaffUser, code: str) -> list[str] | None:
    """Turn two-factor sign-in on if ``code`` is current for the pending secret; returns the new
    recovery codes (shown once), or None when the code is wrong."""
    if user.two_factor_enabled or not user.totp_secret or not check_code(user, code):
        return None
    user.totp_enabled_at = utcnow()
    codes = new_recovery_codes(user)
    audit.record("auth.two_factor_on", actor=user)
    return codes


def turn_off(user: StaffUser) -> None:
    """The person turns it off themselves (their password was checked by the view)."""
    _clear(user)
    audit.record("auth.two_factor_off", actor=user)


def reset(user: StaffUser, *, actor: StaffUser) -> int:
    """An admin clears a colleague's two-factor sign-in (a lost phone and lost codes) and ends
    their sessions; they enrol again at their next sign-in if the practice requires it. Returns
    the number of sessions ended."""
    _clear(user)
    ended = staff_sessions.end_all(user, utcnow())
    audit.record(
        "staff.two_factor_reset",
        target=f"staff:{user.id}",
        detail={"sessions": ended},
        actor=actor,
    )
    db.session.flush()
    return ended


def _clear(user: StaffUser) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


# -- codes --------------------------------------------------------------------------------------


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


def check_code(user: StaffUser, code: str, now: datetime | None = None) -> bool:
    """A 6-digit code from the app, for the current step or one either side, and later than the
    last step accepted (so each code works once); the accepted step is recorded."""
    code = _digits(code)
    if not user.totp_secret or len(code) != 6 or not code.isdigit():
        return False
    totp = _totp(user.totp_secret)
    step = totp.timecode(now or utcnow())
    for candidate in (step - 1, step, step + 1):
        if user.totp_last_step is not None and candidate <= user.totp_last_step:
            continue
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            # one statement, so two posts of the same code cannot both pass
            result = db.session.execute(
                update(StaffUser)
                .where(StaffUser.id == user.id)
                .where(
                    (StaffUser.totp_last_step.is_(None)) | (StaffUser.totp_last_step < candidate)
                )
                .values(totp_last_step=candidate)
                .execution_options(synchronize_session=False)
            )
            if not result.rowcount:  # type: ignore[attr-defined]
                return False
            user.totp_last_step = candidate
            return True
    return False


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch in _ALPHABET)


def _hash(user: StaffUser, code: str) -> str:
    """Salted per user and deterministic, so a code is found by one hash and one indexed query."""
    salt = f"mbc-recovery-code:{user.id}".encode()
    return hashlib.scrypt(
        _normalise(code).encode(), salt=salt, n=RECOVERY_CODE_COST, r=8, p=1
    ).hex()


def new_recovery_codes(user: StaffUser) -> list[str]:
    """Ten fresh codes (any earlier ones stop working), returned for showing once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(user, raw)))
    db.session.flush()
    return codes


def use_recovery_code(user: StaffUser, code: str) -> bool:
    """True, and the code spent, when ``code`` is one of the user's unused recovery codes."""
    if len(_normalise(code)) != 10:
        return False
    result = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _hash(user, code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def recovery_codes_left(user: StaffUser) -> int:
    return len(
        db.session.scalars(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
            )
        ).all()
    )


# -- the pending second step --------------------------------------------------------------------


class _ClockSigner(TimestampSigner):
    """Timestamps from the app's clock, so the five minutes are the app's five minutes."""

    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt=_PENDING_SALT, signer=_ClockSigner
    )


def _epoch(user: StaffUser) -> str:
    """Changes with the password and with the secret, so a marker outlives neither."""
    basis = f"{user.password_hash}:{user.totp_secret}".encode()
    return hashlib.sha256(basis).hexdigest()[:16]


def pending_marker(user: StaffUser) -> str:
    return _serializer().dumps({"uid": user.id, "epoch": _epoch(user)})


def pending_user(marker: str | None) -> StaffUser | None:
    """The user a marker names, while it is under five minutes old and still matches them."""
    if not marker:
        return None
    try:
        data = _serializer().loads(marker, max_age=PENDING_SECONDS)
    except BadSignature:
        return None
    user = db.session.get(StaffUser, data.get("uid"))
    if user is None or not user.is_active or not user.two_factor_enabled:
        return None
    if not hmac.compare_digest(_epoch(user), str(data.get("epoch"))):
        return None
    return user
