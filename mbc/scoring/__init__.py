"""Pure clinical scoring: a definition and answers in, a result out. No Flask, no database.

from mbc.scoring import score, change, reliable_change_index
r = score("phq9", {"phq9_1": 2, ..., "phq9_9": 0})
c = change("phq9", baseline_total=15, current_total=9)
"""

from mbc.scoring.change import change, reliable_change_index
from mbc.scoring.engine import score, score_definition
from mbc.scoring.result import ChangeResult, ScoreResult

__all__ = [
    "ChangeResult",
    "ScoreResult",
    "change",
    "reliable_change_index",
    "score",
    "score_definition",
]
