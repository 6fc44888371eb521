"""Choosing a channel: the preferred one first, never without consent or after an opt-out."""

from __future__ import annotations

from mbc.delivery.routing import Contact, route

PHONE, EMAIL = "+14155552671", "pat@example.com"


def contact(preferred="sms", phone=PHONE, email=EMAIL, consent=None, suppressed=None) -> Contact:
    return Contact(
        preferred_channel=preferred,
        phone=phone,
        email=email,
        consent={"sms": True, "email": True} if consent is None else consent,
        suppressed=suppressed or {},
    )


def test_preferred_channel_first() -> None:
    assert (route(contact()).channel, route(contact()).address) == ("sms", PHONE)
    chosen = route(contact(preferred="email"))
    assert (chosen.channel, chosen.address) == ("email", EMAIL)


def test_opted_out_of_sms_gets_email_and_the_reason_is_kept() -> None:
    chosen = route(contact(suppressed={("sms", PHONE): "opted_out"}))
    assert chosen.channel == "email" and chosen.reasons == ("sms_opted_out",)


def test_no_sms_consent_gets_email() -> None:
    chosen = route(contact(consent={"email": True}))
    assert chosen.channel == "email" and chosen.reasons == ("sms_no_consent",)


def test_consent_withdrawn_counts_as_none() -> None:
    chosen = route(contact(consent={"sms": False, "email": False}))
    assert not chosen.ok and chosen.reasons == ("sms_no_consent", "email_no_consent")


def test_nothing_usable_says_why() -> None:
    chosen = route(
        contact(
            suppressed={("sms", PHONE): "opted_out", ("email", EMAIL): "invalid_address"},
        )
    )
    assert not chosen.ok and chosen.reasons == ("sms_opted_out", "email_invalid")


def test_no_contact_details() -> None:
    chosen = route(contact(phone=None, email=None))
    assert not chosen.ok and chosen.reasons == ("no_contact",)


def test_email_only_client() -> None:
    chosen = route(contact(phone=None))
    assert chosen.channel == "email" and chosen.reasons == ()
