"""Assigning supervisees in tests, as the admin's service does."""

from __future__ import annotations

from flask import Flask

from mbc.auth.models import StaffUser
from mbc.extensions import db
from mbc.supervision import services


def assign(app: Flask, supervisor: StaffUser, *supervisees: StaffUser) -> None:
    with app.app_context():
        boss = db.session.get(StaffUser, supervisor.id)
        assert boss is not None
        services.set_supervisees(boss, [s.id for s in supervisees], actor=boss)
        db.session.commit()
