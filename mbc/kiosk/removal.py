"""A client removed for good takes their kiosk visits and check-in codes with them."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.sql import Select

from mbc.extensions import db
from mbc.kiosk.models import KioskCode, KioskVisit


def delete_kiosk_rows(check_ins: Select) -> None:
    db.session.execute(delete(KioskVisit).where(KioskVisit.check_in_id.in_(check_ins)))
    db.session.execute(delete(KioskCode).where(KioskCode.check_in_id.in_(check_ins)))
