"""API clients: created by an admin with scopes, a token shown once and stored hashed, revoked
for good. Services flush; the view commits."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable

from sqlalchemy import func, select

from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.fhir.models import SCOPES, ApiClient

TOKEN_PREFIX = "mbc_"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def active_named(name: str) -> ApiClient | None:
    """The active client called ``name`` (any case): names tell the admin's systems apart."""
    return db.session.scalar(
        select(ApiClient).where(
            func.lower(ApiClient.name) == name.strip().lower(), ApiClient.revoked_at.is_(None)
        )
    )


def create(name: str, scopes: Iterable[str], *, actor: StaffUser) -> tuple[ApiClient, str]:
    """A new client and its token (the only time the token exists outside the caller)."""
    chosen = [s for s in SCOPES if s in set(scopes)]
    if not chosen or not name.strip():
        raise ValueError("a name and at least one scope are needed")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    client = ApiClient(
        name=name.strip(),
        scopes=chosen,
        token_hash=token_hash(token),
        token_hint=token[: len(TOKEN_PREFIX) + 4],
        created_by_id=actor.id,
    )
    db.session.add(client)
    db.session.flush()
    audit.record(
        "api_client.create", target=f"api_client:{client.id}", detail={"scopes": chosen},
        actor=actor,
    )  # fmt: skip
    return client, token


def revoke(client: ApiClient, *, actor: StaffUser) -> bool:
    """Revoke for good (a new client gets a new token); False when it already was."""
    if client.revoked_at is not None:
        return False
    client.revoked_at = utcnow()
    client.revoked_by_id = actor.id
    audit.record("api_client.revoke", target=f"api_client:{client.id}", actor=actor)
    db.session.flush()
    return True


def by_token(token: str) -> ApiClient | None:
    """The active client holding ``token``; looked up by its hash, so no timing leaks the token."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
        return None
    client = db.session.scalar(select(ApiClient).where(ApiClient.token_hash == token_hash(token)))
    return client if client is not None and client.is_active else None


def all_clients() -> list[ApiClient]:
    return list(db.session.scalars(select(ApiClient).order_by(ApiClient.revoked_at.is_not(None),
                                                              ApiClient.name)))  # fmt: skip
