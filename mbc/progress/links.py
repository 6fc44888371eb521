"""Progress links: ``/p/<token>``, sent by a clinician so a client can open their own progress
page without a check-in. Single purpose: signed with a salt of its own (a check-in or password
reset token never opens it, nor this one them), and expiring (``PROGRESS_LINK_DAYS``).

The token holds only the client's id (compact bytes, no name, no health information) and the
time it was signed. Whether the page opens is decided again at every view: the practice setting
and the clinician's switch must still be on, so turning the switch off closes every link sent.
"""

from __future__ import annotations

import base64

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner

from mbc.clock import utcnow

SALT = "mbc.progress-link"


class ProgressLinkInvalid(ValueError):
    """Tampered, truncated or made up: nothing in it can be trusted."""


class ProgressLinkExpired(ValueError):
    """Genuine but too old; ``client_id`` says whose, so the page can speak their language."""

    def __init__(self, client_id: int) -> None:
        super().__init__("progress link expired")
        self.client_id = client_id


class _Signer(TimestampSigner):
    """Times by the app's clock (``mbc.clock``), as every other lifetime in mbc is."""

    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _signer() -> TimestampSigner:
    return _Signer(current_app.config["SECRET_KEY"], salt=SALT)


def _max_age() -> int:
    return int(current_app.config.get("PROGRESS_LINK_DAYS", 7)) * 86400


def make_token(client_id: int) -> str:
    payload = client_id.to_bytes((client_id.bit_length() + 7) // 8 or 1, "big")
    encoded = base64.urlsafe_b64encode(payload).rstrip(b"=")
    return _signer().sign(encoded).decode("ascii")


def _client_id(encoded: bytes) -> int:
    try:
        payload = base64.urlsafe_b64decode(encoded + b"=" * (-len(encoded) % 4))
    except ValueError as exc:
        raise ProgressLinkInvalid("bad encoding") from exc
    if not 0 < len(payload) <= 8:
        raise ProgressLinkInvalid("bad payload")
    return int.from_bytes(payload, "big")


def read_token(token: str) -> int:
    """The client id of a genuine, unexpired progress link."""
    if not token or len(token) > 120:
        raise ProgressLinkInvalid("no token")
    try:
        encoded = _signer().unsign(token.encode("ascii"), max_age=_max_age())
    except SignatureExpired as exc:  # the signature was checked before the age
        raise ProgressLinkExpired(_client_id(exc.payload or b"")) from exc
    except (BadSignature, UnicodeEncodeError, ValueError) as exc:
        raise ProgressLinkInvalid("bad signature or encoding") from exc
    return _client_id(encoded)


def link_url(token: str) -> str:
    return f"{current_app.config['BASE_URL']}/p/{token}"
