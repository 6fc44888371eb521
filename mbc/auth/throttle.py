"""Sign-in throttling: too many failures pause one account or one address, never the whole site.

Counts live in the database so every web worker sees the same numbers.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import current_app

from mbc.auth.models import SigninThrottle
from mbc.clock import utcnow
from mbc.extensions import db


def account_key(email: str) -> str:
    return f"account:{email.strip().lower()}"


def address_key(address: str | None) -> str:
    return f"address:{address or 'unknown'}"


def link_key(address: str | None) -> str:
    """Check-in links that did not resolve, counted per address."""
    return f"link:{address or 'unknown'}"


def bad_token(address: str | None) -> bool:
    """A token in a URL (check-in link, unsubscribe, password reset) that did not resolve:
    counted per address, alike on every such page; True when the address is paused (the caller
    shows "too many" and commits). Valid tokens cost no extra query."""
    key = link_key(address)
    if minutes_locked([key]):
        return True
    record_failure([key])
    return False


def reset_key(address: str | None) -> str:
    """Password reset requests (each sends mail), counted per address."""
    return f"reset:{address or 'unknown'}"


def _limit(key: str) -> int:
    cfg = current_app.config
    if key.startswith("account:"):
        return int(cfg["SIGNIN_MAX_FAILURES_PER_ACCOUNT"])
    if key.startswith("link:"):
        return int(cfg["MAX_INVALID_LINKS_PER_ADDRESS"])
    if key.startswith("reset:"):
        return int(cfg["SIGNIN_MAX_FAILURES_PER_ACCOUNT"])
    return int(cfg["SIGNIN_MAX_FAILURES_PER_ADDRESS"])


def minutes_locked(keys: list[str]) -> int:
    """Whole minutes until the longest lock on any of ``keys`` ends; 0 when none is locked."""
    now = utcnow()
    rows = db.session.query(SigninThrottle).filter(SigninThrottle.key.in_(keys)).all()
    remaining = [r.locked_until - now for r in rows if r.locked_until and r.locked_until > now]
    if not remaining:
        return 0
    return max(1, math.ceil(max(remaining).total_seconds() / 60))


def record_failure(keys: list[str]) -> None:
    now = utcnow()
    window = timedelta(minutes=int(current_app.config["SIGNIN_WINDOW_MINUTES"]))
    lock = timedelta(minutes=int(current_app.config["SIGNIN_LOCK_MINUTES"]))
    for key in keys:
        row = db.session.get(SigninThrottle, key)
        if row is None:
            row = SigninThrottle(key=key, failures=0, window_started_at=now)
            db.session.add(row)
        if _window_over(row.window_started_at, now, window):
            row.failures, row.window_started_at, row.locked_until = 0, now, None
        row.failures += 1
        if row.failures >= _limit(key):
            row.locked_until = now + lock
    db.session.flush()


def clear(key: str) -> None:
    row = db.session.get(SigninThrottle, key)
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def _window_over(started: datetime, now: datetime, window: timedelta) -> bool:
    return now - started > window
