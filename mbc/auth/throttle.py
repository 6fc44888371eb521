"""Throttling guesses: failed sign-ins slow one account or one address, never the whole site.

Counts live in the database so every web worker sees the same numbers, and each attempt is
counted by one statement (``UPDATE ... SET failures = failures + 1 ... RETURNING``, after an
``INSERT ... ON CONFLICT DO NOTHING`` for a key's first) that also refuses it while the key is
waiting: concurrent posts cannot all read "not yet" and all get through.

Sign-in (per account and per address) is slowed, not locked: the first
``SIGNIN_MAX_FAILURES_PER_*`` tries are free, then each further one waits twice as long as the
last (1 s, 2 s, 4 s ... up to ``SIGNIN_LOCK_MINUTES``) and is answered "wait" without checking
the password. Someone else's guesses thus only slow the real user, who signs in with the right
password once the wait is over. Their count is forgotten after ``SIGNIN_WINDOW_MINUTES`` with
no try once the last wait has ended (the row's ``window_started_at`` then holds the last try).
Bad tokens in URLs and password-reset requests (per address) keep a plain pause once their limit
is reached within a fixed window from the first.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import case, delete, func, or_, select, update

from mbc.auth.models import SigninThrottle
from mbc.clock import utcnow
from mbc.db import insert_ignoring
from mbc.extensions import db


def account_key(email: str) -> str:
    return f"account:{email.strip().lower()}"


def address_key(address: str | None) -> str:
    return f"address:{address or 'unknown'}"


def link_key(address: str | None) -> str:
    """Check-in links that did not resolve, counted per address."""
    return f"link:{address or 'unknown'}"


def reset_key(address: str | None) -> str:
    """Password reset requests (each sends mail), counted per address."""
    return f"reset:{address or 'unknown'}"


def bad_token(address: str | None) -> bool:
    """A token in a URL (check-in link, unsubscribe, password reset) that did not resolve:
    counted per address, alike on every such page; True when the address is paused (the caller
    shows "too many" and commits). Valid tokens cost no extra query."""
    return attempt([link_key(address)]) > 0


def kiosk_key(device_id: int) -> str:
    """Wrong check-in codes typed on one kiosk device (mbc.kiosk)."""
    return f"kiosk:{device_id}"


def api_key(api_client_id: int) -> str:
    """Calls by one API client (mbc.fhir): a fixed number a minute, then a minute's pause."""
    return f"api:{api_client_id}"


def _limit(key: str) -> int:
    cfg = current_app.config
    if key.startswith("kiosk:"):
        return int(cfg["KIOSK_MAX_BAD_CODES"])
    if key.startswith("api:"):
        return int(cfg.get("FHIR_API_REQUESTS_PER_MINUTE", 300))
    if key.startswith("account:"):
        return int(cfg["SIGNIN_MAX_FAILURES_PER_ACCOUNT"])
    if key.startswith("link:"):
        return int(cfg["MAX_INVALID_LINKS_PER_ADDRESS"])
    if key.startswith("reset:"):
        return int(cfg["SIGNIN_MAX_FAILURES_PER_ACCOUNT"])
    return int(cfg["SIGNIN_MAX_FAILURES_PER_ADDRESS"])


def _slowed(key: str) -> bool:
    """Sign-in keys grow their wait; the others pause for the lock time at their limit."""
    return key.startswith(("account:", "address:", "kiosk:"))


def seconds_to_wait(keys: list[str]) -> int:
    """Whole seconds until the longest wait on any of ``keys`` ends; 0 when none is waiting."""
    now = utcnow()
    ends = db.session.scalars(
        select(SigninThrottle.locked_until).where(
            SigninThrottle.key.in_(keys), SigninThrottle.locked_until > now
        )
    ).all()
    if not ends:
        return 0
    return max(1, math.ceil((max(ends) - now).total_seconds()))


def attempt(keys: list[str]) -> int:
    """Count one attempt on each of ``keys``: 0 when it may go ahead, else the seconds to wait.

    Each key is counted atomically, and refused without counting while it is waiting. When a
    later key refuses, the earlier ones keep the count (a try made during a wait costs one)."""
    waiting = seconds_to_wait(keys)  # the common case answered without writing
    if waiting:
        return waiting
    now = utcnow()
    for key in keys:
        if not _count(key, now):
            return max(1, seconds_to_wait(keys))  # at least 1: its wait may just have ended
    db.session.flush()
    return 0


def _count(key: str, now: datetime) -> bool:
    """One atomic increment of ``key`` (restarting it when its window is over), setting when the
    next try is accepted; False, with nothing changed, while the key is waiting."""
    cfg = current_app.config
    window_start = now - timedelta(minutes=int(cfg["SIGNIN_WINDOW_MINUTES"]))
    lock = timedelta(minutes=int(cfg["SIGNIN_LOCK_MINUTES"]))
    if key.startswith("api:"):  # a one-minute window, paused to its end once used up
        window_start, lock = now - timedelta(minutes=1), timedelta(minutes=1)
    db.session.execute(
        insert_ignoring(SigninThrottle.__table__, "key").values(
            key=key, failures=0, window_started_at=now, locked_until=None
        )
    )
    row, slowed = SigninThrottle, _slowed(key)
    if slowed:  # forgotten after a window with no try once the last wait ended
        expired = func.coalesce(row.locked_until, row.window_started_at) < window_start
        started: Any = now  # here: the last counted try
    else:  # a fixed window from the first failure
        expired = row.window_started_at < window_start
        started = case((expired, now), else_=row.window_started_at)
    failures = case((expired, 1), else_=row.failures + 1)
    statement = (
        update(row)
        .where(
            row.key == key,
            or_(row.locked_until.is_(None), row.locked_until <= now, expired),
        )
        .values(
            failures=failures,
            window_started_at=started,
            locked_until=_next_try(failures, _limit(key), now, lock, slowed=slowed),
        )
        .returning(row.failures)
        .execution_options(synchronize_session=False)
    )
    return db.session.execute(statement).first() is not None


def _next_try(failures: Any, free: int, now: datetime, cap: timedelta, *, slowed: bool) -> Any:
    """When the try after the ``failures``-th may come, as one SQL expression of the new count
    (the doubling is spelled out step by step, since SQLite has no portable power or interval)."""
    if not slowed:
        return case((failures >= free, now + cap), else_=None)
    steps: list[tuple[Any, datetime]] = []
    delay = timedelta(seconds=1)
    extra = 0
    while delay < cap:
        steps.append((failures == free + extra, now + delay))
        delay, extra = delay * 2, extra + 1
    return case((failures < free, None), *steps, else_=now + cap)


def signed_in(account: str, address: str) -> None:
    """A correct password: the account's count is forgotten, and the attempt given back to the
    address (a practice behind one address signs in many times a day)."""
    db.session.execute(delete(SigninThrottle).where(SigninThrottle.key == account))
    free = _limit(address)
    db.session.execute(
        update(SigninThrottle)
        .where(SigninThrottle.key == address, SigninThrottle.failures > 0)
        .values(
            failures=SigninThrottle.failures - 1,
            locked_until=case(
                (SigninThrottle.failures - 1 < free, None), else_=SigninThrottle.locked_until
            ),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
