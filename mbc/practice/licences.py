"""Licences for instruments that ship switched off (ORS, SRS): recording one switches it on.

The licensed codes are read once per application context (one request, one scheduler pass), so
the planner can ask about every check-in it builds without a query each time.
"""

from __future__ import annotations

from datetime import date

from flask import g, has_app_context
from sqlalchemy import select

from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.instruments import registry
from mbc.practice.models import InstrumentLicence


class LicenceError(ValueError):
    pass


def licensed_codes() -> frozenset[str]:
    if has_app_context() and "mbc_licensed_codes" in g:
        return g.mbc_licensed_codes  # type: ignore[no-any-return]
    codes = frozenset(db.session.scalars(select(InstrumentLicence.code)))
    if has_app_context():
        g.mbc_licensed_codes = codes
    return codes


def _forget() -> None:
    if has_app_context():
        g.pop("mbc_licensed_codes", None)


def licences() -> dict[str, InstrumentLicence]:
    return {lic.code: lic for lic in db.session.scalars(select(InstrumentLicence))}


def record_licence(
    code: str, *, holder: str, reference: str, licensed_on: date | None, actor: StaffUser
) -> InstrumentLicence:
    """Record (or correct) the practice's licence for ``code``; audit-logged."""
    definition = registry.get(code)
    if definition.enabled_by_default:
        raise LicenceError(f"{code} needs no licence")
    if not holder.strip() or not reference.strip():
        raise LicenceError("give the licence holder and reference")
    licence = db.session.get(InstrumentLicence, code)
    if licence is None:
        licence = InstrumentLicence(code=code)
        db.session.add(licence)
    licence.holder = holder.strip()
    licence.reference = reference.strip()
    licence.licensed_on = licensed_on
    licence.recorded_at = utcnow()
    licence.recorded_by_id = actor.id
    audit.record("instrument.licence_recorded", target=code, actor=actor)
    db.session.flush()
    _forget()
    return licence


def withdraw_licence(code: str, *, actor: StaffUser) -> bool:
    """Switch ``code`` off again. Check-ins already sent stay answerable; no new ones are made."""
    licence = db.session.get(InstrumentLicence, code)
    if licence is None:
        return False
    db.session.delete(licence)
    audit.record("instrument.licence_withdrawn", target=code, actor=actor)
    db.session.flush()
    _forget()
    return True
