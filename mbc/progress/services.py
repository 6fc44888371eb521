"""Who may see a client's progress page, recording each view, the clinician's switch and
sending a progress link. Services flush at most; the view commits once."""

from __future__ import annotations

from datetime import datetime

from mbc.assessments.models import Response
from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.clinician import queries
from mbc.delivery import outbox
from mbc.practice.models import PracticeSettings
from mbc.progress.build import ClientInstrument, build

# How the client reached the page, as the audit log records it.
VIA = ("check_in", "progress_link")


def visible(practice: PracticeSettings, client: Client | None) -> bool:
    """Both must be on: the practice allows progress pages, and the clinician turned this
    client's on. Checked at every view, so turning either off closes every way in at once."""
    return bool(client is not None and practice.client_progress_enabled and client.progress_visible)


def own_progress(client: Client, language: str) -> list[ClientInstrument]:
    """This client's own scores and nothing else (one statement, by the client's id)."""
    responses: list[Response] = queries.client_responses(client.id)
    return build(responses, language)


def record_view(client: Client, via: str, *, check_in_id: int | None = None) -> None:
    """The client's own view of their progress, in the audit log like any view of their data."""
    assert via in VIA
    event = audit.record(
        "client.progress_view",
        client_id=client.id,
        target=f"check_in:{check_in_id}" if check_in_id else f"client:{client.id}",
        detail={"viewer": "client", "via": via},
    )
    event.actor_label = "client"


def set_visible(client: Client, on: bool, actor: StaffUser) -> bool:
    """The clinician's switch; True when it changed (and then it is audit-logged)."""
    if client.progress_visible == on:
        return False
    client.progress_visible = on
    audit.record(
        "client.progress_sharing",
        client_id=client.id,
        target=f"client:{client.id}",
        detail={"visible": on},
        actor=actor,
    )
    return True


def send_link(client: Client, actor: StaffUser, now: datetime) -> bool:
    """Queue a progress link for the client (the scheduler sends it by SMS or email, as a
    check-in would go); False when one was already queued this minute (a double click)."""
    added = outbox.enqueue(
        kind="progress_link",
        dedupe_key=f"progress_link:{client.id}:{now:%Y%m%d%H%M}",
        language=client.language,
        scheduled_at=now,
        client_id=client.id,
    )
    if added:
        audit.record(
            "client.progress_link",
            client_id=client.id,
            target=f"client:{client.id}",
            detail={"queued": True},
            actor=actor,
        )
    return added
