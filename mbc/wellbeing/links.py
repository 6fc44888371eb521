"""Pulse links, ``/w/<token>``: signed (itsdangerous, a salt of their own), personal, single use
and valid until the window closes.

The token carries the window and the participation row, nothing else. It is single use because
answering flips ``has_answered`` once; it expires with the window because closing deletes the
participation row and the page checks ``closes_at``. Without the secret key no link can be made.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

SALT = "mbc.wellbeing-pulse"


class InvalidPulseLink(ValueError):
    """Tampered, truncated or made up."""


@dataclass(frozen=True)
class PulseToken:
    window_id: int
    participation_id: int


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(window_id: int, participation_id: int) -> str:
    return str(_serializer().dumps([window_id, participation_id]))


def read_token(token: str) -> PulseToken:
    if not token or len(token) > 200:
        raise InvalidPulseLink("no token")
    try:
        data = _serializer().loads(token)
    except (BadSignature, UnicodeError, ValueError) as exc:
        raise InvalidPulseLink("bad signature") from exc
    if (
        not isinstance(data, list)
        or len(data) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in data)
    ):
        raise InvalidPulseLink("bad payload")
    return PulseToken(window_id=data[0], participation_id=data[1])


def pulse_url(window_id: int, participation_id: int) -> str:
    return f"{current_app.config['BASE_URL']}/w/{make_token(window_id, participation_id)}"
