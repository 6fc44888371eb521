"""Which channel and address a client's message goes to, or why it cannot go. Pure.

The preferred channel first, then the other: a client without SMS consent or opted out of SMS
gets email when email is allowed. Every refusal has a reason the clinician is shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Reasons (codes; mbc.delivery.labels has them in words): no_contact, sms_no_consent,
# sms_opted_out, sms_invalid, email_no_consent, email_unsubscribed, email_invalid.


@dataclass(frozen=True)
class Contact:
    preferred_channel: str
    phone: str | None
    email: str | None
    consent: Mapping[str, bool]  # channel -> granted; absent means not asked
    suppressed: Mapping[tuple[str, str], str]  # (channel, address) -> suppression reason


@dataclass(frozen=True)
class Route:
    channel: str | None
    address: str | None
    reasons: tuple[str, ...] = ()  # why the other channels were passed over, or why none works

    @property
    def ok(self) -> bool:
        return self.channel is not None


def route(contact: Contact) -> Route:
    order = ["sms", "email"] if contact.preferred_channel == "sms" else ["email", "sms"]
    reasons: list[str] = []
    for channel in order:
        address = contact.phone if channel == "sms" else contact.email
        if not address:
            continue
        refusal = _refusal(contact, channel, address)
        if refusal is None:
            return Route(channel, address, tuple(reasons))
        reasons.append(refusal)
    return Route(None, None, tuple(reasons) or ("no_contact",))


def _refusal(contact: Contact, channel: str, address: str) -> str | None:
    suppression = contact.suppressed.get((channel, address))
    if suppression == "opted_out":
        return "sms_opted_out" if channel == "sms" else "email_unsubscribed"
    if suppression == "unsubscribed":
        return "email_unsubscribed" if channel == "email" else "sms_opted_out"
    if suppression is not None:
        return f"{channel}_invalid"
    if not contact.consent.get(channel, False):
        return f"{channel}_no_consent"
    return None
