"""Imports every model so the metadata is complete (Alembic, tests, create_all)."""

from mbc.assessments.models import Alert, Assignment, CheckIn, CheckInLink, Response
from mbc.audit.models import AuditEvent
from mbc.auth.models import SigninThrottle, StaffSession, StaffUser
from mbc.clients.models import Appointment, AppointmentChange, CareTeamMember, Client
from mbc.delivery.models import (
    ClientPlan,
    ConsentEvent,
    ContactConsent,
    DevOutboxEntry,
    InboundMessage,
    Message,
    PlanRule,
    Suppression,
)
from mbc.fhir.models import ApiClient
from mbc.practice.models import InstrumentLicence, PracticeSettings, Team
from mbc.reports.models import TeamGoal

__all__ = [
    "Alert",
    "ApiClient",
    "Appointment",
    "AppointmentChange",
    "Assignment",
    "AuditEvent",
    "CareTeamMember",
    "CheckIn",
    "CheckInLink",
    "Client",
    "ClientPlan",
    "ConsentEvent",
    "ContactConsent",
    "DevOutboxEntry",
    "InboundMessage",
    "InstrumentLicence",
    "Message",
    "PlanRule",
    "PracticeSettings",
    "Response",
    "SigninThrottle",
    "StaffSession",
    "StaffUser",
    "Suppression",
    "Team",
    "TeamGoal",
]
