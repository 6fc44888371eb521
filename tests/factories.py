"""Factories per domain. Each call commits in its own app context, like a separate request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import count
from typing import Any

from flask import Flask
from werkzeug.security import generate_password_hash

from mbc.assessments.models import CheckIn
from mbc.auth.models import StaffUser
from mbc.clients.models import Appointment, CareTeamMember, Client
from mbc.delivery.models import ClientPlan, ContactConsent, PlanRule
from mbc.extensions import db
from mbc.practice.models import Team

PASSWORD = "correct horse battery staple"
# Real scrypt at a low cost factor: production strength would make each sign-in in tests slow.
_HASH = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
_seq = count(1)


class Factory:
    def __init__(self, app: Flask) -> None:
        self.app = app

    def _save(self, obj: Any) -> Any:
        with self.app.app_context():
            db.session.add(obj)
            db.session.commit()
            return obj

    def team(self, name: str | None = None) -> Team:
        return self._save(Team(name=name or f"Team {next(_seq)}"))

    def user(
        self,
        *,
        role: str = "clinician",
        email: str | None = None,
        name: str = "Staff",
        team: Team | None = None,
        language: str = "en",
        active: bool = True,
    ) -> StaffUser:
        n = next(_seq)
        return self._save(
            StaffUser(
                email=email or f"staff{n}@example.org",
                name=name,
                role=role,
                team_id=team.id if team else None,
                password_hash=_HASH,
                preferred_language=language,
                is_active=active,
            )
        )

    def client(
        self,
        clinician: StaffUser,
        *,
        care_team: tuple[StaffUser, ...] = (),
        consent: tuple[str, ...] = ("sms", "email"),
        **values: Any,
    ) -> Client:
        """A client; ``consent`` lists the channels they agreed to (recorded as on import)."""
        n = next(_seq)
        defaults = dict(
            client_ref=f"C-{n:05d}",
            first_name="Pat",
            last_name=f"Client{n}",
            phone="+14155552671",
            email=f"client{n}@example.com",
            preferred_channel="sms",
            language="en",
            timezone="America/New_York",
            status="active",
            primary_clinician_id=clinician.id,
        )
        client = Client(**{**defaults, **values})
        client.care_team = [CareTeamMember(user_id=u.id) for u in care_team]
        client = self._save(client)
        with self.app.app_context():
            for channel in consent:
                db.session.add(
                    ContactConsent(
                        client_id=client.id,
                        channel=channel,
                        granted=True,
                        source="import",
                        recorded_at=datetime(2026, 11, 1, tzinfo=UTC),
                    )
                )
            db.session.commit()
        return client

    def plan_rule(
        self,
        instruments: tuple[str, ...] = ("phq9", "gad7"),
        *,
        rule: str = "every_session",
        scope: str = "practice",
        team: Team | None = None,
        client: Client | None = None,
        **values: Any,
    ) -> PlanRule:
        rule_row = self._save(
            PlanRule(
                scope=scope,
                rule=rule,
                instruments=list(instruments),
                team_id=team.id if team else None,
                client_id=client.id if client else None,
                **values,
            )
        )
        if client is not None:
            with self.app.app_context():
                plan = db.session.get(ClientPlan, client.id) or ClientPlan(client_id=client.id)
                plan.custom = True
                db.session.add(plan)
                db.session.commit()
        return rule_row

    def check_in(
        self,
        client: Client,
        instruments: tuple[str, ...] = ("phq9", "gad7"),
        *,
        opens_at: datetime | None = None,
        closes_at: datetime | None = None,
        channel: str = "sms",
    ) -> tuple[CheckIn, str]:
        """A check-in and its link token (opens at the test clock's now, closes a day later)."""
        from mbc.assessments.services import create_check_in
        from mbc.clock import utcnow

        with self.app.app_context():
            now = utcnow()
            stored = db.session.get(Client, client.id)
            check_in, token = create_check_in(
                stored,
                list(instruments),
                opens_at=opens_at or now,
                closes_at=closes_at or now + timedelta(days=1),
                channel=channel,
            )
            db.session.commit()
            return check_in, token

    def appointment(
        self,
        client: Client,
        *,
        starts_at: datetime | None = None,
        status: str = "scheduled",
        ref: str | None = None,
        clinician: StaffUser | None = None,
    ) -> Appointment:
        return self._save(
            Appointment(
                appointment_ref=ref or f"A-{next(_seq):06d}",
                client_id=client.id,
                clinician_id=clinician.id if clinician else client.primary_clinician_id,
                starts_at=starts_at or datetime(2026, 11, 24, 15, 0, tzinfo=UTC),
                status=status,
            )
        )
