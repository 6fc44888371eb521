"""Check-in codes: six digits a client types on a kiosk, valid for one check-in on its
session's day (the practice's calendar).

No code is stored. A code is derived from a key made from the app's secret, the check-in, the
day and a variant number; the row keeps a keyed hash of day and code (HMAC-SHA-256), so a typed
code is found by one indexed look-up while a copy of the database, without the secret key,
gives no code back. Two check-ins of one day whose codes collide are told apart at creation:
the later one moves to its next variant (the unique (day, code_hash) constraint decides, even
between two processes).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from mbc.assessments.models import CheckIn
from mbc.extensions import db
from mbc.kiosk.models import KioskCode
from mbc.practice.services import get_practice

DIGITS = 6
MAX_VARIANTS = 50  # with a few hundred sessions a day, a collision is already rare


def _key(purpose: str) -> bytes:
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(secret, f"mbc.kiosk-code.{purpose}".encode(), hashlib.sha256).digest()


def derive(check_in_id: int, day: date, variant: int) -> str:
    message = f"{check_in_id}:{day.isoformat()}:{variant}".encode()
    number = int.from_bytes(hmac.new(_key("code"), message, hashlib.sha256).digest()[:8], "big")
    return f"{number % 10**DIGITS:0{DIGITS}d}"


def code_hash(day: date, code: str) -> str:
    message = f"{day.isoformat()}:{code}".encode()
    return hmac.new(_key("lookup"), message, hashlib.sha256).hexdigest()


def session_day(check_in: CheckIn, zone: ZoneInfo | None = None) -> date | None:
    """The day (practice time zone) of the check-in's session; None without a session."""
    if check_in.session_starts_at is None:
        return None
    return check_in.session_starts_at.astimezone(zone or practice_zone()).date()


def practice_zone() -> ZoneInfo:
    return ZoneInfo(get_practice().timezone)


def today(now: datetime) -> date:
    return now.astimezone(ZoneInfo(get_practice().timezone)).date()


def codes_for(check_ins: Iterable[CheckIn]) -> dict[int, str]:
    """Each check-in's code (created on first use), for check-ins with a session: a few
    statements whatever the number of check-ins."""
    wanted = {c.id: c for c in check_ins if c.session_starts_at is not None}
    if not wanted:
        return {}
    zone = practice_zone()
    days = {i: session_day(c, zone) for i, c in wanted.items()}
    rows = _rows(list(wanted))
    moved = [i for i, row in rows.items() if row.day != days[i]]
    if moved:  # the session moved to another day: the old day's code goes with it
        db.session.execute(delete(KioskCode).where(KioskCode.check_in_id.in_(moved)))
        for check_in_id in moved:
            db.session.expunge(rows.pop(check_in_id))
    missing = [c for i, c in wanted.items() if i not in rows]
    for _round in range(5):  # a row lost to another request's at the same moment is made again
        if not missing:
            break
        _insert(missing, days)
        rows.update(_rows([c.id for c in missing]))
        missing = [c for c in missing if c.id not in rows]
    if missing:  # pragma: no cover - five lost races in a row
        raise RuntimeError("could not make check-in codes")
    return {i: derive(i, row.day, row.variant) for i, row in rows.items()}


def _rows(check_in_ids: list[int]) -> dict[int, KioskCode]:
    found = db.session.scalars(select(KioskCode).where(KioskCode.check_in_id.in_(check_in_ids)))
    return {row.check_in_id: row for row in found}


def _insert(check_ins: list[CheckIn], days: dict[int, date | None]) -> None:
    """One statement for all: each check-in takes its first variant whose code no other
    check-in of the day has (the day's codes are read first); a row that still conflicts
    (another request took the code or made the row meanwhile) is left out, and made again."""
    taken = {
        (day, digest)
        for day, digest in db.session.execute(
            select(KioskCode.day, KioskCode.code_hash).where(
                KioskCode.day.in_({days[c.id] for c in check_ins})
            )
        )
    }
    values = []
    for check_in in check_ins:
        day = days[check_in.id]
        assert day is not None
        for variant in range(MAX_VARIANTS):
            digest = code_hash(day, derive(check_in.id, day, variant))
            if (day, digest) not in taken:
                break
        else:  # pragma: no cover - fifty collisions in one day
            raise RuntimeError("no free check-in code for the day")
        taken.add((day, digest))
        values.append(
            {"check_in_id": check_in.id, "day": day, "code_hash": digest, "variant": variant}
        )
    insert = pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert
    db.session.execute(insert(KioskCode.__table__).on_conflict_do_nothing(), values)


def find(code: str, now: datetime) -> CheckIn | None:
    """The check-in whose code for today (practice calendar) this is; None for any other."""
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    day = today(now)
    row = db.session.scalar(
        select(KioskCode).where(KioskCode.day == day, KioskCode.code_hash == code_hash(day, code))
    )
    check_in = db.session.get(CheckIn, row.check_in_id) if row is not None else None
    if check_in is None or session_day(check_in) != day:
        return None  # the session was moved to another day since the code was made
    return check_in


def is_code(text: str) -> bool:
    return len(text) == DIGITS and text.isascii() and text.isdigit()


def grouped(code: str) -> str:
    """For reading aloud and printing: "123 456"."""
    return f"{code[:3]} {code[3:]}"
