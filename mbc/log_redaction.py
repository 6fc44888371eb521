"""Tokens never reach a log: check-in links, unsubscribe links and password resets are
credentials, so every log line the app controls (its own, werkzeug's development server and
gunicorn's access log, in the process that loads the app) has them replaced by ``…``.

A reverse proxy keeps its own access log: README says how to redact it the same way.
"""

from __future__ import annotations

import logging
import re

# /s/<token>[/...], /u/<token>, /w/<token> (the staff pulse), /password/reset/<token>: the token
# is one path segment.
TOKEN_PATH = re.compile(r"(/(?:s|u|w|password/reset)/)[^/\s?\"']{8,}")
LOGGERS = ("", "werkzeug", "gunicorn.access", "gunicorn.error", "mbc")


def redact(text: str) -> str:
    """``text`` with every token in a URL path replaced by ``…``."""
    return TOKEN_PATH.sub(r"\1…", text)


class RedactTokens(logging.Filter):
    """Rewrites a record's message once formatted, so arguments (werkzeug passes the request
    line as one, gunicorn a dict of atoms) are covered too."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


def install() -> None:
    """Put the filter on the loggers and on their handlers (a logger's filters do not see
    records that propagate from its children; a handler's do). Idempotent."""
    token_filter = next(
        (f for f in logging.getLogger().filters if isinstance(f, RedactTokens)), RedactTokens()
    )
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for target in (logger, *logger.handlers):
            if token_filter not in target.filters:
                target.addFilter(token_filter)
