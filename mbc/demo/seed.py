"""A demo practice: 1 admin, 3 clinicians in 2 teams and their supervisor, clients with weekly
sessions.

Idempotent: everything is keyed by email or practice ref, and an existing client is left as it
is, so running the seed twice adds nothing. Names, numbers and addresses are fictional; email
domains are under example.org (reserved for examples, RFC 2606), which the app's own email
check accepts: a ``.test`` domain is refused, so no demo account or setting could be saved.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from mbc.auth.models import StaffUser
from mbc.auth.passwords import hash_password
from mbc.clients.models import Appointment, CareTeamMember, Client
from mbc.clock import utcnow
from mbc.delivery import consent
from mbc.delivery.models import PlanRule
from mbc.demo.history import seed_history
from mbc.demo.staffing import seed_staffing
from mbc.extensions import db
from mbc.practice.models import Team
from mbc.practice.services import get_practice

ADMIN = ("admin@demo.example.org", "Alex Admin", "demo-admin-password")
CLINICIANS = (
    ("alice@demo.example.org", "Alice Nguyen", "Adult Outpatient", "en"),
    ("ben@demo.example.org", "Ben Okafor", "Adult Outpatient", "en"),
    ("carmen@demo.example.org", "Carmen Ruiz", "Trauma & Anxiety", "es"),
)
CLINICIAN_PASSWORD = "demo-clinician-password"
# A clinician who supervises Alice and Ben (mbc.supervision), with no caseload of their own.
SUPERVISOR = ("dana@demo.example.org", "Dana Brooks", "Adult Outpatient", "en")
FIRST = [
    "Jordan",
    "Taylor",
    "Morgan",
    "Casey",
    "Riley",
    "Avery",
    "Quinn",
    "Jamie",
    "Drew",
    "Sam",
    "María",
    "José",
    "Lucía",
    "Mateo",
    "Sofía",
    "Diego",
    "Priya",
    "Kenji",
    "Amara",
    "Noah",
]
LAST = [
    "Rivera",
    "Chen",
    "Johnson",
    "Patel",
    "García",
    "Smith",
    "Kowalski",
    "Okoye",
    "Martínez",
    "Brown",
    "Nakamura",
    "López",
    "Davis",
    "Hernández",
    "Wilson",
    "Schmidt",
    "Singh",
    "Moreno",
]
ZONES = ["America/New_York"] * 6 + ["America/Chicago", "America/Los_Angeles"]


@dataclass
class SeedSummary:
    clients_created: int = 0
    appointments_created: int = 0
    check_ins_completed: int = 0


def seed_demo(clients: int = 30, weeks: int = 8) -> SeedSummary:
    """Create what is missing of the demo practice; the caller commits."""
    practice = get_practice()
    if practice.name == "Our practice":
        practice.name = "Riverside Counseling (demo)"
        practice.contact_phone = "+1 415 555 0100"
        practice.contact_email = "frontdesk@demo.example.org"
        # Quiet hours off, so a newcomer sees messages in /dev/outbox whatever the hour; a real
        # practice keeps its 21:00-08:00 default (seed-demo says so).
        practice.quiet_hours_start = practice.quiet_hours_end = 0
    teams = {name: _team(name) for name in {c[2] for c in CLINICIANS}}
    _staff(ADMIN[0], ADMIN[1], "admin", ADMIN[2], None, "en")
    staff = [
        _staff(e, n, "clinician", CLINICIAN_PASSWORD, teams[t], lang)
        for e, n, t, lang in CLINICIANS
    ]
    supervisor = _staff(
        SUPERVISOR[0], SUPERVISOR[1], "clinician", CLINICIAN_PASSWORD, teams[SUPERVISOR[2]], "en"
    )
    db.session.flush()
    seed_staffing(supervisor, staff[:2])
    _practice_plan()
    _pulse_schedule(practice.timezone)
    existing = set(
        db.session.scalars(select(Client.client_ref).where(Client.client_ref.like("DEMO-%")))
    )
    summary = SeedSummary()
    now = utcnow()
    for index in range(1, clients + 1):
        ref = f"DEMO-{index:04d}"
        if ref in existing:
            continue
        client = _client(index, ref, staff)
        db.session.add(client)
        db.session.flush()
        summary.clients_created += 1
        appointments = _appointments(client, index, weeks, now)
        summary.appointments_created += len(appointments)
        db.session.flush()
        summary.check_ins_completed += seed_history(client, index, appointments, now)
        for channel, address in (("sms", client.phone), ("email", client.email)):
            if address:  # as on import: the practice collected the detail at intake
                consent.set_consent(client, channel, True, source="import", now=now)
    db.session.flush()
    return summary


def _pulse_schedule(zone: str) -> None:
    """The staff wellbeing pulse, monthly from today: the scheduler opens its first window at
    09:00 (practice time) and the invitations appear in /dev/outbox."""
    from zoneinfo import ZoneInfo

    from mbc.wellbeing.models import PulseSchedule
    from mbc.wellbeing.schedule import DEFAULTS

    if db.session.scalar(select(PulseSchedule.id).limit(1)) is None:
        today = utcnow().astimezone(ZoneInfo(zone)).date()
        db.session.add(PulseSchedule(first_opens_on=today, updated_at=utcnow(), **DEFAULTS))


def _practice_plan() -> None:
    """The practice default: PHQ-9 and GAD-7 before every session (unless a plan exists)."""
    if db.session.scalar(select(PlanRule.id).where(PlanRule.scope == "practice")) is None:
        db.session.add(
            PlanRule(scope="practice", rule="every_session", instruments=["phq9", "gad7"])
        )


def _team(name: str) -> Team:
    team = db.session.scalar(select(Team).where(Team.name == name))
    if team is None:
        team = Team(name=name)
        db.session.add(team)
    return team


def _staff(
    email: str, name: str, role: str, password: str, team: Team | None, lang: str
) -> StaffUser:
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == email))
    if user is None:
        user = StaffUser(
            email=email,
            name=name,
            role=role,
            team=team,
            preferred_language=lang,
            password_hash=hash_password(password),
            is_active=True,
        )
        db.session.add(user)
    return user


def _client(index: int, ref: str, staff: list[StaffUser]) -> Client:
    rng = random.Random(index)
    clinician = staff[index % len(staff)]
    spanish = (clinician.preferred_language == "es" and index % 2 == 0) or index % 7 == 0
    client = Client(
        client_ref=ref,
        first_name=rng.choice(FIRST),
        last_name=rng.choice(LAST),
        phone=f"+1415555{index % 10000:04d}" if index % 6 else None,
        email=f"client{index:04d}@example.com",
        language="es" if spanish else "en",
        timezone=rng.choice(ZONES),
        status="active",
        primary_clinician_id=clinician.id,
        team_id=clinician.team_id,
    )
    client.preferred_channel = "sms" if client.phone else "email"
    if index % 10 == 0:  # shared care: a second clinician on the care team
        client.care_team.append(CareTeamMember(user_id=staff[(index + 1) % len(staff)].id))
    return client


def _appointments(client: Client, index: int, weeks: int, now: datetime) -> list[Appointment]:
    """Weekly sessions at the client's usual weekday and hour: ``weeks`` past, two ahead."""
    rng = random.Random(index * 31)
    zone = ZoneInfo(client.timezone)
    today = now.astimezone(zone).date()
    weekday, hour = index % 5, 9 + index % 8
    first = today - timedelta(days=(today.weekday() - weekday) % 7) - timedelta(weeks=weeks)
    made = []
    for week in range(weeks + 3):
        day = first + timedelta(weeks=week)
        starts = datetime.combine(day, time(hour), tzinfo=zone)
        if starts > now + timedelta(weeks=2):
            break
        status = "scheduled"
        if starts < now:
            status = rng.choices(["completed", "no_show", "cancelled"], [88, 6, 6])[0]
        appointment = Appointment(
            appointment_ref=f"{client.client_ref}-{day:%Y%m%d}",
            client_id=client.id,
            clinician_id=client.primary_clinician_id,
            starts_at=starts,
            status=status,
        )
        if status == "completed":  # notes signed a few hours to a few days later
            hours = random.Random(index * 97 + week).choice([1, 3, 6, 20, 22, 30, 70])
            if starts + timedelta(hours=hours) < now:
                appointment.documentation_completed_at = starts + timedelta(hours=hours)
        db.session.add(appointment)
        made.append(appointment)
    return made


def sign_ins() -> list[tuple[str, str, str]]:
    """(role, email, password) of the demo accounts, printed by ``mbc seed-demo``."""
    rows = [("admin", ADMIN[0], ADMIN[2])]
    rows += [("clinician", email, CLINICIAN_PASSWORD) for email, *_ in CLINICIANS]
    rows.append(("supervisor", SUPERVISOR[0], CLINICIAN_PASSWORD))
    return rows
