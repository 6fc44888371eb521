"""Settings for real providers on 127.0.0.1: the official twilio client against a fake Twilio
API, and a real SMTP server (aiosmtpd). Fixtures `twilio` and `smtp` are in tests/conftest.py."""

from __future__ import annotations

from tests.fakes.smtp import SmtpServer
from tests.fakes.twilio_api import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio

SENDER = "+15005550006"


def provider_settings(twilio: FakeTwilio, smtp: SmtpServer) -> dict:
    return {
        "SMS_BACKEND": "twilio",
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_FROM": SENDER,
        "TWILIO_API_BASE": twilio.base_url,
        "EMAIL_BACKEND": "smtp",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp.port,
        "SMTP_STARTTLS": False,
        "MAIL_FROM": "Riverside Counseling <checkins@riverside.example>",
    }
