"""Email backends: ``console`` (development: stored for /dev/outbox) and ``smtp`` (smtplib).

Messages are multipart text and HTML. Client mail carries ``List-Unsubscribe`` and the one-click
``List-Unsubscribe-Post`` header (RFC 8058) pointing at an unsubscribe token URL.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

from mbc.delivery.failures import SendError, smtp_failure
from mbc.delivery.models import DevOutboxEntry
from mbc.extensions import db


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    text: str
    html: str
    unsubscribe_url: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def build(email: Email, sender: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = email.to
    msg["Subject"] = email.subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip(">") or None)
    msg["Auto-Submitted"] = "auto-generated"
    if email.unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{email.unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    for name, value in email.headers.items():
        msg[name] = value
    msg.set_content(email.text)
    msg.add_alternative(email.html, subtype="html")
    return msg


def unwritable(email: Email, sender: str) -> bool:
    """Whether the email cannot be built (a header value with a line break): sending it would
    fail on every try, so it fails now, visibly, instead of waiting in ``sending``."""
    try:
        build(email, sender)
    except (ValueError, TypeError):
        return True
    return False


class EmailBackend(Protocol):
    name: str

    def send(self, message_id: int | None, email: Email) -> str:
        """Hand the message over; its Message-ID, or SendError."""
        ...


class ConsoleEmail:
    name = "console"

    def __init__(self, sender: str, now: Any) -> None:
        self.sender = sender
        self._now = now

    def send(self, message_id: int | None, email: Email) -> str:
        msg = build(email, self.sender)
        db.session.add(
            DevOutboxEntry(
                message_id=message_id,
                channel="email",
                recipient=email.to,
                subject=email.subject,
                body=email.text[:4000],
                sent_at=self._now(),
            )
        )
        db.session.flush()
        return str(msg["Message-ID"])


class SmtpEmail:
    name = "smtp"

    def __init__(
        self,
        sender: str,
        host: str,
        port: int,
        *,
        username: str = "",
        password: str = "",
        starttls: bool = True,
        timeout: float = 20.0,
    ) -> None:
        self.sender, self.host, self.port = sender, host, port
        self.username, self.password = username, password
        self.starttls, self.timeout = starttls, timeout

    def send(self, message_id: int | None, email: Email) -> str:
        msg = build(email, self.sender)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
                if self.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.username:
                    smtp.login(self.username, self.password)
                smtp.send_message(msg)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise smtp_failure(code, _text(text)) from exc
        except smtplib.SMTPResponseException as exc:
            raise smtp_failure(exc.smtp_code, _text(exc.smtp_error)) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise SendError(f"SMTP unreachable: {type(exc).__name__}", permanent=False) from exc
        return str(msg["Message-ID"])


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
