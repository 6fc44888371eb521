"""Suppression for a clinician beside their practice: own figures hidden when small, the
practice's hidden when the rest of it is small (the viewer knows the clinician's own
clients), nothing hidden that gives nothing away."""

from __future__ import annotations

import pytest

from mbc.reports.clinician_outcomes import hide_pair


def _rows(own: int, rest: int) -> tuple[dict, dict]:
    return {"group": "me", "n": own, "improved": 50.0}, {
        "group": "all",
        "n": own + rest,
        "improved": 40.0,
    }


@pytest.mark.parametrize(
    ("own_n", "rest_n", "own_hidden", "practice_hidden"),
    [
        (10, 10, None, None),
        (10, 0, None, None),  # nobody else: the practice row is the clinician's own
        (10, 3, None, "linked"),  # practice minus me would show 3 colleagues' clients
        (3, 10, "small", None),
        (3, 1, "small", "small"),  # the whole practice is too small
        # My 4 are hidden from the table, but I know my own clients: practice minus mine would
        # give the 4 others away, so the practice is hidden too.
        (4, 4, "small", "linked"),
    ],
)
def test_hide_pair(own_n, rest_n, own_hidden, practice_hidden) -> None:
    own, practice = _rows(own_n, rest_n)
    hide_pair(own, practice, rest_n, 5)
    assert own.get("hidden") == own_hidden and practice.get("hidden") == practice_hidden
    for row in (own, practice):
        assert ("improved" in row) == (row.get("hidden") is None)
        assert row["n"] in (own_n, own_n + rest_n)  # sizes stay on view
