"""A client's first or latest score of an instrument, as one index probe.

Reports ask this for every client in a period; a LIMIT 1 subquery correlated with the client
reads one entry of ``ix_responses_outcome_episodes`` (instrument, client, completed_at, id)
instead of ranking every response the practice has ever stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import aliased

from mbc.assessments.models import Response, valid_score


def score_probe(
    value: Callable[[Any], Any],
    client_id: Any,
    code: str,
    *,
    newest: bool,
    before: datetime | None = None,
    banded: bool = False,
) -> Any:
    """``value(response)`` of the client's first counted score of ``code``, or with ``newest``
    their latest one (before ``before`` when given; with ``banded``, one that has a severity
    band); NULL when there is none."""
    r = aliased(Response)
    order = (r.completed_at.desc(), r.id.desc()) if newest else (r.completed_at, r.id)
    query = select(value(r)).where(
        r.client_id == client_id, r.instrument_code == code, valid_score(r)
    )
    if before is not None:
        query = query.where(r.completed_at < before)
    if banded:
        query = query.where(r.severity.is_not(None))
    return query.order_by(*order).limit(1).scalar_subquery()
