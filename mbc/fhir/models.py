from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from mbc.db import Base, created_at, intpk

# What an API client may do. Practice-level: clinicians' access rules do not apply to them.
SCOPES = ("read:responses", "read:contact", "write:appointments", "write:clients")


class ApiClient(Base):
    """A system (the practice's EHR) that calls the FHIR API with a bearer token.

    Only the token's SHA-256 is stored (it is 256 random bits, so a fast hash is enough); the
    token is shown once, when the client is created."""

    __tablename__ = "api_clients"

    id: Mapped[intpk]
    name: Mapped[str] = mapped_column(String(120))
    scopes: Mapped[list[str]] = mapped_column(JSON, default=list)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_hint: Mapped[str] = mapped_column(String(12))  # the token's first characters
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes

    def __repr__(self) -> str:
        return f"<ApiClient {self.id}>"
