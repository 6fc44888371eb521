"""Time to read one answer, ordinary and hostile (goal: every one well under a millisecond).

    .venv/bin/python -m benchmarks.answer_shapes

Before answers were read by their shape, ``phq9_1=1e1000000`` (nine bytes) cost about 30 s of
CPU in ``int(Decimal(raw))``; two such posts froze both gunicorn workers. This prints the median
and worst time of parsing each value below as a PHQ-9 choice and as an SRS line.
"""

from __future__ import annotations

import statistics
import time
from decimal import Decimal

from mbc.instruments import registry
from mbc.scoring.answers import parse_answers

VALUES = {
    "'2'": "2",
    "'7,5'": "7,5",
    "'1e1000000'": "1e1000000",
    "'9' * 60_000": "9" * 60_000,
    "'NaN'": "NaN",
    "Decimal('1e1000000')": Decimal("1e1000000"),
    "10 ** 4000": 10**4000,
}
ROUNDS = 200


def main() -> None:
    phq9, srs = registry.get("phq9"), registry.get("srs")
    print(f"{'value':<24}{'PHQ-9 median':>14}{'worst':>10}{'SRS median':>12}{'worst':>10}  (µs)")
    for name, value in VALUES.items():
        cells = []
        for definition, item in ((phq9, "phq9_1"), (srs, "srs_goals")):
            times = []
            for _ in range(ROUNDS):
                start = time.perf_counter()
                parse_answers(definition, {item: value})
                times.append((time.perf_counter() - start) * 1e6)
            cells += [statistics.median(times), max(times)]
        print(f"{name:<24}{cells[0]:>14.1f}{cells[1]:>10.1f}{cells[2]:>12.1f}{cells[3]:>10.1f}")


if __name__ == "__main__":
    main()
