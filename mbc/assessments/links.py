"""Check-in links: ``/s/<token>``, an opaque signed token with no client data in it.

The token carries the check-in id and a random 128-bit nonce, signed with itsdangerous under a
salt of its own. Only the nonce's SHA-256 is stored, so a link can be revoked and a leaked
database cannot recreate links; the link's lifetime is the check-in's ``closes_at``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, Signer

SALT = "mbc.check-in-link"
NONCE_BYTES = 16


class InvalidLink(ValueError):
    """Tampered, truncated or made up: nothing in it can be trusted."""


@dataclass(frozen=True)
class LinkToken:
    check_in_id: int
    nonce: bytes

    @property
    def nonce_hash(self) -> str:
        return hash_nonce(self.nonce)


def new_nonce() -> bytes:
    return secrets.token_bytes(NONCE_BYTES)


def hash_nonce(nonce: bytes) -> str:
    return hashlib.sha256(nonce).hexdigest()


def nonce_matches(nonce: bytes, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_nonce(nonce), stored_hash)


def _signer() -> Signer:
    return Signer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(check_in_id: int, nonce: bytes) -> str:
    """Compact: 20-30 characters of payload plus a 27-character signature."""
    payload = check_in_id.to_bytes((check_in_id.bit_length() + 7) // 8 or 1, "big") + nonce
    encoded = base64.urlsafe_b64encode(payload).rstrip(b"=")
    return _signer().sign(encoded).decode("ascii")


def read_token(token: str) -> LinkToken:
    if not token or len(token) > 200:
        raise InvalidLink("no token")
    try:
        encoded = _signer().unsign(token.encode("ascii"))
        payload = base64.urlsafe_b64decode(encoded + b"=" * (-len(encoded) % 4))
    except (BadSignature, UnicodeEncodeError, ValueError) as exc:
        raise InvalidLink("bad signature or encoding") from exc
    if len(payload) <= NONCE_BYTES:
        raise InvalidLink("payload too short")
    check_in_id = int.from_bytes(payload[:-NONCE_BYTES], "big")
    return LinkToken(check_in_id=check_in_id, nonce=payload[-NONCE_BYTES:])


def link_url(token: str) -> str:
    return f"{current_app.config['BASE_URL']}/s/{token}"
