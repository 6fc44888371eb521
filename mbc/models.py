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
from mbc.kiosk.models import KioskCode, KioskDevice, KioskVisit
from mbc.practice.models import InstrumentLicence, PracticeSettings, Team
from mbc.reports.models import TeamGoal
from mbc.staffing.models import EmploymentRecord, TimeOff
from mbc.supervision.models import AgreedGoal, GoalNote, Supervision
from mbc.wellbeing.models import (
    PulseAnswer,
    PulseParticipation,
    PulseResponse,
    PulseSchedule,
    PulseWindow,
    PulseWindowTeam,
)

__all__ = [
    "AgreedGoal",
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
    "EmploymentRecord",
    "GoalNote",
    "InboundMessage",
    "InstrumentLicence",
    "KioskCode",
    "KioskDevice",
    "KioskVisit",
    "Message",
    "PlanRule",
    "PracticeSettings",
    "PulseAnswer",
    "PulseParticipation",
    "PulseResponse",
    "PulseSchedule",
    "PulseWindow",
    "PulseWindowTeam",
    "Response",
    "SigninThrottle",
    "StaffSession",
    "StaffUser",
    "Supervision",
    "Suppression",
    "Team",
    "TeamGoal",
    "TimeOff",
]
