"""Staff accounts: creating them, and checking a sign-in attempt."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from mbc.auth import throttle
from mbc.auth.models import ROLES, StaffUser
from mbc.auth.passwords import check_policy, hash_password, verify_password
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.practice.models import LANGUAGES, Team


class AccountError(ValueError):
    pass


def find_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(
        select(StaffUser).where(func.lower(StaffUser.email) == email.strip().lower())
    )


def create_user(
    *,
    email: str,
    name: str,
    role: str,
    password: str,
    team: Team | None = None,
    language: str = "en",
) -> StaffUser:
    """Create a staff account after checking role, language, uniqueness and password policy."""
    email = email.strip().lower()
    if role not in ROLES:
        raise AccountError(f"role must be one of: {', '.join(ROLES)}")
    if language not in LANGUAGES:
        raise AccountError(f"language must be one of: {', '.join(LANGUAGES)}")
    if not name.strip():
        raise AccountError("name is required")
    if find_by_email(email) is not None:
        raise AccountError(f"a staff user with the email {email} already exists")
    check_policy(password)
    user = StaffUser(
        email=email,
        name=name.strip(),
        role=role,
        team=team,
        password_hash=hash_password(password),
        preferred_language=language,
        is_active=True,
    )
    db.session.add(user)
    db.session.flush()
    return user


@dataclass(frozen=True)
class SigninResult:
    user: StaffUser | None = None
    wait_seconds: int = 0
    second_step: bool = False  # the password was right; a code from the app is still needed
    method: str = "password"


def attempt_signin(email: str, password: str, address: str | None) -> SigninResult:
    """Check credentials, honouring and updating the per-account and per-address throttles.

    The attempt is counted before the password is checked, and committed at once: a burst of
    posts (each password check takes a while) sees every count before its own check. While a
    wait runs the password is not checked at all."""
    account, network = throttle.account_key(email), throttle.address_key(address)
    wait = throttle.attempt([account, network])
    db.session.commit()
    if wait:
        return SigninResult(wait_seconds=wait)
    user = find_by_email(email)
    hash_ = user.password_hash if user is not None and user.is_active else None
    if not verify_password(hash_, password):
        return SigninResult()
    assert user is not None
    if user.two_factor_enabled:
        # The account's count stands until the code is right too: a known password must not
        # buy fresh guesses at the code.
        return SigninResult(user=user, second_step=True)
    complete_signin(user, address)
    return SigninResult(user=user)


def complete_signin(user: StaffUser, address: str | None) -> None:
    """Every step passed: the account's failures are forgotten and the sign-in recorded."""
    throttle.signed_in(throttle.account_key(user.email), throttle.address_key(address))
    user.last_signed_in_at = utcnow()
    db.session.flush()


def attempt_second_step(user: StaffUser, code: str, address: str | None) -> SigninResult:
    """Check a code from the authenticator app or a recovery code, counted by the same
    throttles as a password (a wrong code is a failed try for the account)."""
    from mbc.auth import two_factor

    wait = throttle.attempt([throttle.account_key(user.email), throttle.address_key(address)])
    db.session.commit()
    if wait:
        return SigninResult(wait_seconds=wait)
    if two_factor.check_code(user, code):
        method = "totp"
    elif two_factor.use_recovery_code(user, code):
        method = "recovery_code"
    else:
        return SigninResult()
    complete_signin(user, address)
    return SigninResult(user=user, method=method)
