"""Storing many new check-ins at once, for the scheduler's planning pass.

The ORM's flush inserts new rows with ``INSERT ... RETURNING`` in very long multi-row
statements, and the PostgreSQL driver parses each such statement in Python: for a pass planning
10,000 check-ins that parsing alone took about 6 s (``benchmarks/dispatch.py``), and building
the ORM objects about 2 s more. Plain rows go through the driver's executemany instead, whose
short statement is parsed once; the new ids are then read back by each check-in's unique token
hash.
"""

from __future__ import annotations

from sqlalchemy import insert, select

from mbc.assessments.models import Assignment, CheckIn
from mbc.assessments.services import CheckInRows
from mbc.extensions import db

# Enough hashes per look-up for a planning chunk, well under SQLite's limit on parameters.
LOOKUP_SIZE = 500


def insert_check_ins(new: list[CheckInRows]) -> list[int]:
    """Insert new check-ins (``check_in_rows``) and their assignments; their ids, in order.

    A check-in that breaks a unique rule (another process planned it) raises IntegrityError,
    as a flush would.
    """
    if not new:
        return []
    connection = db.session.connection()
    connection.execute(insert(CheckIn.__table__), [n.check_in for n in new])
    hashes = [n.check_in["token_hash"] for n in new]
    ids: dict[str, int] = {}
    for start in range(0, len(hashes), LOOKUP_SIZE):
        part = hashes[start : start + LOOKUP_SIZE]
        found = select(CheckIn.token_hash, CheckIn.id).where(CheckIn.token_hash.in_(part))
        ids.update((token_hash, id_) for token_hash, id_ in connection.execute(found))
    assignments = [
        {**row, "check_in_id": ids[token_hash]}
        for n, token_hash in zip(new, hashes, strict=True)
        for row in n.assignments
    ]
    if assignments:
        connection.execute(insert(Assignment.__table__), assignments)
    return [ids[h] for h in hashes]
