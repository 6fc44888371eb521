"""Check-in links: ``/s/<token>``, an opaque signed token with no client data in it.

The token carries the check-in id and a random 128-bit nonce, signed with itsdangerous under a
salt of its own. Only the nonce's SHA-256 is stored, so a link can be revoked and a leaked
database cannot recreate links; the link's lifetime is the check-in's ``closes_at``. A page
view resolves its link to the check-in (and the practice) in one query.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from flask import current_app
from itsdangerous import BadSignature, Signer
from sqlalchemy.orm.attributes import set_committed_value

from mbc.assessments.statements import statements
from mbc.extensions import db
from mbc.practice.services import keep_for_request

if TYPE_CHECKING:
    from mbc.assessments.models import CheckIn, CheckInLink

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


def new_link(check_in: CheckIn, *, message_id: int | None, now: datetime) -> tuple[str, dict]:
    """A further link to ``check_in`` (one per message sent): its token, and the
    ``check_in_links`` row that makes it valid, for the caller to insert (the dispatcher
    inserts a whole batch's links in one statement)."""
    nonce = new_nonce()
    row = {
        "check_in_id": check_in.id,
        "message_id": message_id,
        "token_hash": hash_nonce(nonce),
        "created_at": now,
    }
    return make_token(check_in.id, nonce), row


def resolve(token: str) -> CheckIn:
    """The check-in a link points to; InvalidLink when tampered, made up or unknown."""
    return resolve_link(token)[0]


def resolve_link(token: str, *, lock: bool = False) -> tuple[CheckIn, CheckInLink | None]:
    """The check-in and, for a link sent in a message, that link's row (None: the first link).

    ``lock`` (for a post) holds the check-in's row until commit on PostgreSQL, so two tabs
    saving pages of the same check-in are applied one after the other.
    """
    parsed = read_token(token)
    sql = statements()
    statement = sql.check_in_locked if lock else sql.check_in
    row = db.session.execute(statement, {"check_in_id": parsed.check_in_id}).unique().first()
    if row is None:
        raise InvalidLink("unknown check-in")
    check_in, practice = row
    keep_for_request(practice)
    if nonce_matches(parsed.nonce, check_in.token_hash):
        return check_in, None
    link = db.session.scalar(
        sql.link, {"token_hash": parsed.nonce_hash, "check_in_id": check_in.id}
    )
    if link is None:
        raise InvalidLink("wrong nonce")
    return check_in, link


def mark_opened(check_in: CheckIn, link: CheckInLink | None, now: datetime) -> bool:
    """Record the first opening of the check-in and of the link used; True when anything changed.

    Guarded by ``IS NULL``, so of two tabs opened at once the first time stays.
    """
    sql, changed = statements(), False
    for row, statement in ((check_in, sql.check_in_opened), (link, sql.link_opened)):
        if row is not None and row.first_opened_at is None:
            db.session.execute(statement, {"row_id": row.id, "first_opened_at": now})
            set_committed_value(row, "first_opened_at", now)
            changed = True
    return changed
