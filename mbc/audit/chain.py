"""The audit log's hash chain: each row's hash covers its own fields and the previous row's hash,
so an edited row, a deleted row or a row slipped in between breaks the chain at that point.

Rows are chained in id order. Writers hold one lock while they insert and seal their rows
(``pg_advisory_xact_lock`` on PostgreSQL, until their transaction ends; SQLite already lets one
writer at a time), so ids and the chain stay in step however many processes write at once.
Functions here take a ``Connection`` so the flush hooks, commands and migrations can share them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from mbc.audit.models import AuditEvent

GENESIS = "0" * 64  # the link of the very first row
LOCK_KEY = 0x6D62632D61756474  # "mbc-audt": one advisory lock for every audit writer
BATCH = 1000
HASHED = (
    "id",
    "occurred_at",
    "actor_id",
    "actor_label",
    "action",
    "client_id",
    "target",
    "ip_address",
    "user_agent",
    "detail",
)

table = AuditEvent.__table__


def row_hash(row: Mapping[str, Any], prev_hash: str) -> str:
    """SHA-256 over the row's fields (a canonical JSON array) and the previous row's hash."""
    values = [_canonical(name, row[name]) for name in HASHED]
    text = json.dumps([values, prev_hash], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _canonical(name: str, value: Any) -> Any:
    if isinstance(value, datetime):  # naive means UTC (SQLite, and migrations' plain columns)
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if name == "detail":  # as stored: JSON keys are strings, tuples are lists
        return json.loads(json.dumps(value or {}))
    return value


def lock(connection: Connection) -> None:
    """Take the audit writers' lock until this transaction ends (PostgreSQL; a no-op on SQLite,
    where the first write already excludes every other writer)."""
    if connection.dialect.name == "postgresql":
        connection.execute(select(func.pg_advisory_xact_lock(LOCK_KEY)))


def hash_before(connection: Connection, row_id: int) -> str | None:
    """The hash of the row just before ``row_id`` (None: no row before it)."""
    return connection.scalar(
        select(table.c.hash).where(table.c.id < row_id).order_by(table.c.id.desc()).limit(1)
    )


def rows_from(connection: Connection, first_id: int, *, batch: int = BATCH) -> Iterator[Any]:
    """Every row from ``first_id`` on, in id order, read ``batch`` rows at a time."""
    after = first_id - 1
    while True:
        rows = connection.execute(
            select(table).where(table.c.id > after).order_by(table.c.id).limit(batch)
        ).all()
        yield from rows
        if len(rows) < batch:
            return
        after = rows[-1].id


def seal_new(connection: Connection, rows: list[Mapping[str, Any]]) -> list[tuple[str, str]]:
    """Chain rows this transaction has just inserted (the newest rows, under the lock), from
    their values in memory: one read for the link and one write, whatever their number."""
    rows = sorted(rows, key=lambda row: row["id"])
    prev = hash_before(connection, rows[0]["id"]) or GENESIS
    sealed = []
    for row in rows:
        digest = row_hash(row, prev)
        sealed.append((prev, digest))
        prev = digest
    _write(
        connection,
        [
            {"row_id": r["id"], "prev_hash": p, "hash": h}
            for r, (p, h) in zip(rows, sealed, strict=True)
        ],
    )
    return sealed


Change = Callable[[dict[str, Any]], dict[str, Any] | None]


def rechain(
    connection: Connection, first_id: int, change: Change | None = None
) -> dict[int, tuple[str, str]]:
    """Seal every row from ``first_id`` to the end again, after the row before it. ``change``
    may return new values for a row (a redaction); rows that had a hash must still match it
    first, so a rewrite can never hide earlier tampering (``ChainBroken`` then).
    Returns each row's new (link, hash) by id."""
    prev = old_prev = hash_before(connection, first_id)
    sealed: dict[int, tuple[str, str]] = {}
    pending: list[dict[str, Any]] = []
    for row in rows_from(connection, first_id):
        values = dict(row._mapping)
        if old_prev is None:  # the oldest row: its link to purged rows is trusted and kept
            old_prev = values["prev_hash"]
            prev = prev or values["prev_hash"] or GENESIS
        if values["hash"] is not None and (
            values["prev_hash"] != old_prev or row_hash(values, old_prev or "") != values["hash"]
        ):
            raise ChainBroken(values["id"])
        old_prev = values["hash"]
        new = (change(values) if change else None) or {}
        values.update(new)
        link = prev or GENESIS
        digest = row_hash(values, link)
        pending.append({"row_id": values["id"], "prev_hash": link, "hash": digest, **new})
        sealed[values["id"]] = (link, digest)
        prev = digest
        if len(pending) >= BATCH:
            _write(connection, pending)
            pending = []
    _write(connection, pending)
    return sealed


def _write(connection: Connection, pending: list[dict[str, Any]]) -> None:
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for item in pending:
        groups.setdefault(tuple(sorted(item)), []).append(item)
    for keys, items in groups.items():
        columns = {k: bindparam(k) for k in keys if k != "row_id"}
        connection.execute(
            update(table).where(table.c.id == bindparam("row_id")).values(columns), items
        )


class ChainBroken(Exception):
    """The chain does not hold at the row ``row_id``."""

    def __init__(self, row_id: int) -> None:
        super().__init__(f"audit chain broken at row {row_id}")
        self.row_id = row_id


@dataclass(frozen=True)
class Verdict:
    rows: int
    first_id: int | None  # the oldest row, whose link is trusted (older rows may be purged)
    broken_id: int | None  # the first row whose hash or link does not match


def verify(connection: Connection, *, batch: int = BATCH) -> Verdict:
    """Walk the whole chain in id order, ``batch`` rows in memory at a time."""
    count, first_id, prev = 0, None, None
    for row in rows_from(connection, 1, batch=batch):
        values = row._mapping
        if first_id is None:
            first_id, prev = values["id"], values["prev_hash"]
        count += 1
        if values["prev_hash"] != prev or values["hash"] != row_hash(values, prev or ""):
            return Verdict(count, first_id, values["id"])
        prev = values["hash"]
    return Verdict(count, first_id, None)
