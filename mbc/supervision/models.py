"""Who supervises whom."""

from __future__ import annotations

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from mbc.db import Base, created_at, intpk


class Supervision(Base):
    """A clinician (``supervisee_id``) supervised by another (``supervisor_id``), as assigned by
    an admin. A supervisor sees their supervisees' clients (``mbc.auth.access``)."""

    __tablename__ = "supervisions"
    __table_args__ = (UniqueConstraint("supervisor_id", "supervisee_id"),)

    id: Mapped[intpk]
    supervisor_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    supervisee_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_users.id"))
