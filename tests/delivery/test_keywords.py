"""Reading an SMS reply: a keyword only when it is exactly one, whatever its case, spacing and
the punctuation or emoji around it; anything else is free text."""

from __future__ import annotations

import pytest

from mbc.delivery.keywords import keyword_of, normalise


@pytest.mark.parametrize(
    ("body", "keyword"),
    [
        ("STOP", "opt_out"),
        ("Stop.", "opt_out"),
        (" stop ", "opt_out"),
        ("STOP!", "opt_out"),
        ("\tstop\n", "opt_out"),
        ("...Stop!!!", "opt_out"),
        ("STOP 🛑", "opt_out"),  # an emoji is a symbol around the word
        ("ＳＴＯＰ", "opt_out"),  # full-width letters from some phone keyboards
        ("stopall", "opt_out"),
        ("Unsubscribe.", "opt_out"),
        ("cancel", "opt_out"),
        ("End", "opt_out"),
        ("quit!", "opt_out"),
        ("unstop", "opt_in"),
        ("start.", "opt_in"),
        ("START", "opt_in"),
        ("HELP?", "help"),
        ("info", "help"),
        ("Stop please", None),  # a keyword among other words: free text
        ("please stop", None),
        ("STOP ALL", None),
        ("don't stop", None),
        ("stopping", None),
        ("s.t.o.p", None),
        ("I'm not doing well today", None),
        ("", None),  # empty body (a picture message)
        ("   ", None),
        ("🙂", None),
        ("🛑🛑", None),
    ],
)
def test_keywords_at_every_boundary(body: str, keyword: str | None) -> None:
    assert keyword_of(body) == keyword


def test_normalise_keeps_the_words_only() -> None:
    assert normalise("  Stop,   please!! ") == "STOP PLEASE"
    assert normalise("¿Ayuda?") == "AYUDA"
    assert normalise("🙂") == ""
