"""Staff sessions kept on the server: started at sign-in, checked on every staff request, ended
by sign-out, by a change to the account, by "sign out everywhere", or by their idle and absolute
lifetimes (``IDLE_TIMEOUT_MINUTES``, ``SESSION_MAX_HOURS``).

A cookie, even a copied one, is only as good as its row here: ending the row ends it everywhere.
Rows created longer ago than the absolute lifetime are dead whatever else is true of them; the
scheduler's pass deletes them (``purge_ended``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm.attributes import set_committed_value

from mbc.auth.models import StaffSession, StaffUser
from mbc.extensions import db

# last_seen_at is written at most this often, so a busy page is not a write per request. The idle
# limit is then measured from up to a minute early: a session may end that much sooner, not later.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Resumed:
    """What a cookie's token led to: a live session and its user, or why it ended."""

    user: StaffUser | None = None
    session: StaffSession | None = None
    ended: str | None = None  # "idle", "expired" (absolute lifetime) or "revoked"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _idle_limit() -> timedelta:
    return timedelta(minutes=int(current_app.config["IDLE_TIMEOUT_MINUTES"]))


def _max_age() -> timedelta:
    return timedelta(hours=int(current_app.config["SESSION_MAX_HOURS"]))


def start(user: StaffUser, now: datetime, *, address: str | None, user_agent: str | None) -> str:
    """A new session for ``user``; returns its token (also set on the user for Flask-Login)."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        StaffSession(
            id=digest(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            address=(address or "")[:45] or None,
            user_agent=(user_agent or "")[:200] or None,
        )
    )
    db.session.flush()
    user.signed_in_token = token
    return token


def resume(token: str, now: datetime) -> Resumed:
    """The session a cookie's token names, if it is still live (one indexed query)."""
    if not token or len(token) > 100:
        return Resumed(ended="revoked")
    row = db.session.execute(
        select(StaffSession, StaffUser)
        .join(StaffUser, StaffSession.user_id == StaffUser.id)
        .where(StaffSession.id == digest(token))
    ).first()
    if row is None:  # ended and purged, or a cookie from before sessions were kept here
        return Resumed(ended="revoked")
    session, user = row
    if session.revoked_at is not None or not user.is_active:
        return Resumed(ended="revoked")
    if now - session.created_at >= _max_age():
        return Resumed(ended="expired")
    if now - session.last_seen_at > _idle_limit():
        return Resumed(ended="idle")
    user.signed_in_token = token
    return Resumed(user=user, session=session)


def touch(session: StaffSession, now: datetime) -> None:
    """Record activity, at most once a minute, in a transaction of its own: the request's own
    work commits (or not) separately, and a page that only reads still counts as activity."""
    if now - session.last_seen_at < TOUCH_EVERY:
        return
    with db.engine.begin() as connection:
        connection.execute(
            update(StaffSession)
            .where(StaffSession.id == session.id, StaffSession.revoked_at.is_(None))
            .values(last_seen_at=now)
        )
    set_committed_value(session, "last_seen_at", now)


def end(token: str, now: datetime) -> None:
    """Sign-out: this session only."""
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.id == digest(token), StaffSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def end_all(user: StaffUser, now: datetime, *, keep_token: str | None = None) -> int:
    """End every session of ``user`` (but the one ``keep_token`` names); returns how many."""
    statement = update(StaffSession).where(
        StaffSession.user_id == user.id, StaffSession.revoked_at.is_(None)
    )
    if keep_token:
        statement = statement.where(StaffSession.id != digest(keep_token))
    result = db.session.execute(statement.values(revoked_at=now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def _live(now: datetime) -> list[ColumnElement[bool]]:
    return [
        StaffSession.revoked_at.is_(None),
        StaffSession.created_at > now - _max_age(),
        StaffSession.last_seen_at >= now - _idle_limit(),
    ]


def active_for(user: StaffUser, now: datetime) -> list[StaffSession]:
    """The user's live sessions, most recently used first."""
    return list(
        db.session.scalars(
            select(StaffSession)
            .where(StaffSession.user_id == user.id, *_live(now))
            .order_by(StaffSession.last_seen_at.desc(), StaffSession.created_at.desc())
        )
    )


def live_counts(now: datetime) -> dict[int, int]:
    """Live sessions per user id (users with none are left out), for the staff list."""
    rows = db.session.execute(
        select(StaffSession.user_id, func.count()).where(*_live(now)).group_by(StaffSession.user_id)
    )
    return {user_id: count for user_id, count in rows}


@dataclass(frozen=True)
class SessionRow:
    """A live session as a person sees it in a list."""

    created_at: datetime
    last_seen_at: datetime
    address: str | None
    browser: str
    system: str
    is_current: bool


def listed(user: StaffUser, now: datetime, *, viewer: StaffUser) -> list[SessionRow]:
    """``user``'s live sessions for a page; the viewer's own browser is marked."""
    mine = digest(viewer.signed_in_token) if viewer.signed_in_token else None
    return [
        SessionRow(
            s.created_at, s.last_seen_at, s.address, *browser_label(s.user_agent), s.id == mine
        )
        for s in active_for(user, now)
    ]


def purge_ended(now: datetime) -> int:
    """Delete sessions created longer ago than the absolute lifetime (all of them dead)."""
    result = db.session.execute(
        delete(StaffSession).where(StaffSession.created_at <= now - _max_age())
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def browser_label(user_agent: str | None) -> tuple[str, str]:
    """A browser and a system named from a User-Agent string, for a person to recognise a
    session by (not a security check: the string is whatever the browser sent)."""
    ua = user_agent or ""
    browsers = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"))
    browsers += (("Chrome/", "Chrome"), ("Safari/", "Safari"))
    systems = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"))
    systems += (("Windows", "Windows"), ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"))
    systems += (("Linux", "Linux"),)
    browser = next((name for mark, name in browsers if mark in ua), "")
    system = next((name for mark, name in systems if mark in ua), "")
    return browser, system
