"""Imports every model so the metadata is complete (Alembic, tests, create_all)."""

from mbc.audit.models import AuditEvent
from mbc.auth.models import SigninThrottle, StaffUser
from mbc.clients.models import Appointment, AppointmentChange, CareTeamMember, Client
from mbc.practice.models import PracticeSettings, Team

__all__ = [
    "Appointment",
    "AppointmentChange",
    "AuditEvent",
    "CareTeamMember",
    "Client",
    "PracticeSettings",
    "SigninThrottle",
    "StaffUser",
    "Team",
]
