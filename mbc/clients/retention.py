"""The retention purge: discharged clients whose record has been kept long enough.

The period is the practice setting ``discharged_retention_years`` (a [decision], default 7, at
least 6). Counted from ``discharged_at`` in whole calendar years; a client discharged on
29 February counts from 28 February in a year without one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from mbc.clients.models import Client
from mbc.clients.removal import remove_client
from mbc.extensions import db
from mbc.practice.services import get_practice


def retention_cutoff(now: datetime, years: int) -> datetime:
    """``now`` moved back ``years`` calendar years: clients discharged before it are due."""
    try:
        return now.replace(year=now.year - years)
    except ValueError:  # 29 February
        return now.replace(year=now.year - years, day=28)


def due_for_purge(now: datetime) -> tuple[datetime, list[Client]]:
    """The cutoff and the discharged clients discharged before it, oldest first."""
    cutoff = retention_cutoff(now, get_practice().discharged_retention_years)
    clients = db.session.scalars(
        select(Client)
        .where(
            Client.status == "discharged",
            Client.discharged_at.is_not(None),
            Client.discharged_at < cutoff,
        )
        .order_by(Client.discharged_at, Client.id)
    ).all()
    return cutoff, list(clients)


def purge(clients: list[Client]) -> int:
    """Remove each client for good (by the command line: no staff actor). Flushes only."""
    for client in clients:
        remove_client(client, None)
    return len(clients)
