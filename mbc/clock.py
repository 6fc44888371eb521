"""The one source of "now", so tests and the scheduler can move time without sleeping."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from flask import current_app, has_app_context

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def utcnow() -> datetime:
    """Timezone-aware UTC now, from the app's clock (``config["CLOCK"]``) when one is set."""
    if has_app_context():
        clock: Clock | None = current_app.config.get("CLOCK")
        if clock is not None:
            return clock()
    return system_clock()


class FrozenClock:
    """A clock that stands still until moved; used by tests and benchmarks."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FrozenClock needs a timezone-aware datetime")
        self.at = at.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        from datetime import timedelta

        self.at += timedelta(**delta)
