"""The one access rule for client data.

A clinician sees the clients for whom they are primary clinician or a care-team member; a
supervisor sees those of their supervisees too (``mbc.supervision``); an admin sees every
client. Every query for client data starts from ``visible_clients``.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, or_, select, true

from mbc.auth.models import StaffUser
from mbc.clients.models import Appointment, CareTeamMember, Client
from mbc.supervision.models import Supervision


def can_see_client(user: StaffUser) -> ColumnElement[bool]:
    """A WHERE clause on ``Client`` that keeps only what ``user`` may see."""
    if user.is_admin:
        return true()
    supervisees = select(Supervision.supervisee_id).where(Supervision.supervisor_id == user.id)
    on_care_team = select(CareTeamMember.client_id).where(
        or_(CareTeamMember.user_id == user.id, CareTeamMember.user_id.in_(supervisees))
    )
    return or_(
        Client.primary_clinician_id == user.id,
        Client.primary_clinician_id.in_(supervisees),
        Client.id.in_(on_care_team),
    )


def treats(user: StaffUser, client: Client) -> bool:
    """Whether ``user`` is one of ``client``'s own clinicians (primary or care team) or an admin:
    who may act on the client's alerts. A supervisor sees a supervisee's clients (to support the
    supervisee) but leaves the clinical response to the treating clinician."""
    if user.is_admin or client.primary_clinician_id == user.id:
        return True
    from mbc.extensions import db

    member = select(CareTeamMember.client_id).where(
        CareTeamMember.client_id == client.id, CareTeamMember.user_id == user.id
    )
    return db.session.scalar(member) is not None


def visible_clients(user: StaffUser) -> Select[tuple[Client]]:
    return select(Client).where(can_see_client(user))


def visible_appointments(user: StaffUser) -> Select[tuple[Appointment]]:
    return select(Appointment).join(Appointment.client).where(can_see_client(user))


def load_client_or_404(user: StaffUser, client_id: int, action: str) -> Client:
    """The client if ``user`` may see it, with the view audited; otherwise 404, also audited.

    A refusal looks like a missing client so that ids cannot be probed, and is committed at once
    because the abort rolls the request back.
    """
    from flask import abort

    from mbc.audit import services as audit
    from mbc.extensions import db

    client = db.session.scalar(visible_clients(user).where(Client.id == client_id))
    if client is None:
        exists = db.session.scalar(select(Client.id).where(Client.id == client_id))
        audit.record("client.access_denied", client_id=exists, target=f"client:{client_id}")
        db.session.commit()
        abort(404)
    audit.record(action, client_id=client.id)
    return client


def load_client_to_act_or_403(user: StaffUser, client_id: int, action: str) -> Client:
    """``load_client_or_404``, then 403 (audited) unless ``user`` treats the client: a
    supervisor reads a supervisee's client's page but leaves changes to its clinicians."""
    from flask import abort

    from mbc.audit import services as audit
    from mbc.extensions import db

    client = load_client_or_404(user, client_id, action)
    if not treats(user, client):
        audit.record("client.action_refused", client_id=client.id, target=f"client:{client_id}")
        db.session.commit()
        abort(403)
    return client
