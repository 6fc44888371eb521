"""A scheduler process for the concurrency and crash tests: ``python -m tests.delivery.worker
ISO_TIME`` runs one pass at that (frozen) time with settings from the environment."""

from __future__ import annotations

import sys
from datetime import datetime

from mbc import create_app
from mbc.clock import FrozenClock
from mbc.delivery.scheduler import run_pass


def main() -> None:
    app = create_app({"CLOCK": FrozenClock(datetime.fromisoformat(sys.argv[1]))})
    report = run_pass(app)
    app.extensions["mbc.db"].dispose()
    print(report.as_dict())


if __name__ == "__main__":
    main()
