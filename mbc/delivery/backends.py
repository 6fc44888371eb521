"""The SMS and email backends the settings ask for (``MBC_SMS_BACKEND``, ``MBC_EMAIL_BACKEND``)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from mbc.clock import utcnow
from mbc.delivery.mail import ConsoleEmail, EmailBackend, SmtpEmail
from mbc.delivery.sms import ConsoleSms, LocalSms, NetworkSms, TwilioSms


@dataclass
class Backends:
    sms: LocalSms | NetworkSms
    email: EmailBackend


def from_config() -> Backends:
    cfg = current_app.config
    sms: LocalSms | NetworkSms
    email: EmailBackend
    if cfg["SMS_BACKEND"] == "twilio":
        sms = TwilioSms(
            cfg["TWILIO_ACCOUNT_SID"],
            cfg["TWILIO_AUTH_TOKEN"],
            cfg["TWILIO_FROM"],
            api_base=cfg["TWILIO_API_BASE"] or None,
            status_callback=f"{cfg['BASE_URL']}/hooks/twilio/status",
        )
    else:
        sms = ConsoleSms(utcnow)
    if cfg["EMAIL_BACKEND"] == "smtp":
        email = SmtpEmail(
            cfg["MAIL_FROM"],
            cfg["SMTP_HOST"],
            cfg["SMTP_PORT"],
            username=cfg["SMTP_USERNAME"],
            password=cfg["SMTP_PASSWORD"],
            starttls=cfg["SMTP_STARTTLS"],
        )
    else:
        email = ConsoleEmail(cfg["MAIL_FROM"], utcnow)
    return Backends(sms, email)
