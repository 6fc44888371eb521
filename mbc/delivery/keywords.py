"""Reading an SMS reply: an opt-out, opt-in or help keyword, or free text.

A reply is a keyword when, with case, whitespace and the punctuation or symbols around it
ignored, it is exactly one of the words ("Stop.", " stop ", "STOP!", "unstop"). A keyword among
other words ("stop please") is free text: it is kept for the clinician, and the automatic answer
says how to opt out. The keywords are Twilio's standard opt-out, opt-in and help sets.
"""

from __future__ import annotations

import re
import unicodedata

OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"})
OPT_IN_WORDS = frozenset({"START", "UNSTOP"})
HELP_WORDS = frozenset({"HELP", "INFO"})
KEYWORDS = ("opt_out", "opt_in", "help")

_WORD = re.compile(r"[^\W_]+")  # letters and digits, in any script


def normalise(body: str) -> str:
    """The reply's words, upper-cased and joined by single spaces; punctuation, symbols and
    emoji dropped. Compatibility forms are folded first (full-width "ＳＴＯＰ" reads as STOP)."""
    folded = unicodedata.normalize("NFKC", body).upper()
    return " ".join(_WORD.findall(folded))


def keyword_of(body: str) -> str | None:
    """``opt_out``, ``opt_in`` or ``help`` when the reply is exactly one keyword; else None."""
    word = normalise(body)
    if word in OPT_OUT_WORDS:
        return "opt_out"
    if word in OPT_IN_WORDS:
        return "opt_in"
    if word in HELP_WORDS:
        return "help"
    return None
