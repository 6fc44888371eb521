"""The clinician's "check-in link" action: an ad-hoc check-in, its link and a QR code in SVG."""

from __future__ import annotations

from datetime import timedelta

import segno

from mbc.assessments.links import link_url
from mbc.assessments.services import create_check_in, is_enabled
from mbc.audit import services as audit
from mbc.auth.models import StaffUser
from mbc.clients.models import Client
from mbc.clock import utcnow
from mbc.instruments import registry

LINK_LIFETIME = timedelta(days=1)


def enabled_instruments() -> list[tuple[str, str]]:
    return [
        (code, registry.get(code).title["en"])
        for code in registry.client_codes()
        if is_enabled(code)
    ]


def create_link(client: Client, instruments: list[str], actor: StaffUser) -> str:
    """A check-in open now for a day, for handing a phone or tablet the link in the room."""
    now = utcnow()
    check_in, token = create_check_in(
        client,
        instruments,
        opens_at=now,
        closes_at=now + LINK_LIFETIME,
        channel="in_person",
        created_by=actor,
    )
    audit.record(
        "check_in.create",
        client_id=client.id,
        target=f"check_in:{check_in.id}",
        detail={"source": "clinician", "instruments": instruments},
        actor=actor,
    )
    return link_url(token)


def qr_svg(url: str) -> str:
    """An inline SVG QR code (no script, no image request), labelled for screen readers."""
    svg: str = segno.make(url, error="m").svg_inline(scale=5, title="QR code for the check-in link")
    return svg
