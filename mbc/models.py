"""Imports every model so the metadata is complete (Alembic, tests, create_all)."""

from mbc.assessments.models import Alert, Assignment, CheckIn, Response
from mbc.audit.models import AuditEvent
from mbc.auth.models import SigninThrottle, StaffUser
from mbc.clients.models import Appointment, AppointmentChange, CareTeamMember, Client
from mbc.practice.models import PracticeSettings, Team

__all__ = [
    "Alert",
    "Appointment",
    "AppointmentChange",
    "Assignment",
    "AuditEvent",
    "CareTeamMember",
    "CheckIn",
    "Client",
    "PracticeSettings",
    "Response",
    "SigninThrottle",
    "StaffUser",
    "Team",
]
