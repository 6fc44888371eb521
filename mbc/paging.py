"""Paged lists: the page number from a query string, checked against the rows there are.

A number past the end shows the last page (a bookmark outlives the rows it pointed at); one that
is not a positive whole number is a 404. Neither ever reaches the database as an offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask import abort

_NUMBER = re.compile(r"[0-9]{1,30}")


@dataclass(frozen=True)
class Page:
    number: int
    pages: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size


def page_of(raw: str | None, total: int, size: int) -> Page:
    """The page ``raw`` asks for (the first when absent), within the ``total`` rows."""
    pages = max(1, -(-total // size))
    if raw is None or raw == "":
        return Page(1, pages, size, total)
    if not _NUMBER.fullmatch(raw) or int(raw) == 0:
        abort(404)
    return Page(min(int(raw), pages), pages, size, total)
