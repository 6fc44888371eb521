"""SMS backends: ``console`` (development: stored for /dev/outbox) and ``twilio``.

The Twilio backend is the official client; ``MBC_TWILIO_API_BASE`` points it at another base
URL (a Twilio-compatible gateway, or the tests' local fake). Its HTTP logging is kept quiet,
since Twilio's client logs query strings that hold phone numbers.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit
from urllib.request import getproxies

import requests
from sqlalchemy import select
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client as TwilioClient

from mbc.delivery.failures import SendError, twilio_failure
from mbc.delivery.models import DevOutboxEntry
from mbc.extensions import db

_quiet = logging.getLogger("mbc.delivery.twilio_http")
_quiet.setLevel(logging.WARNING)


@dataclass(frozen=True)
class SentRecord:
    provider_id: str
    body_sha256: str | None
    status: str


def body_digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class SmsBackend(Protocol):
    name: str

    def send(self, message_id: int, to: str, body: str) -> str:
        """Hand the text to the provider; its id, or SendError."""
        ...

    def sent_since(self, to: str, since: datetime) -> list[SentRecord]:
        """What the provider holds for ``to`` since ``since`` (for reconciliation)."""
        ...


class ConsoleSms:
    name = "console"

    def __init__(self, now: Any) -> None:
        self._now = now

    def send(self, message_id: int, to: str, body: str) -> str:
        entry = DevOutboxEntry(
            message_id=message_id, channel="sms", recipient=to, body=body, sent_at=self._now()
        )
        db.session.add(entry)
        db.session.flush()
        return f"console-{entry.id}"

    def sent_since(self, to: str, since: datetime) -> list[SentRecord]:
        rows = db.session.scalars(
            select(DevOutboxEntry).where(
                DevOutboxEntry.channel == "sms",
                DevOutboxEntry.recipient == to,
                DevOutboxEntry.sent_at >= since,
            )
        )
        return [SentRecord(f"console-{r.id}", body_digest(r.body), "sent") for r in rows]


class _BaseUrlHttpClient(TwilioHttpClient):
    """Sends every request to ``base`` (scheme and host), keeping Twilio's path."""

    def __init__(self, base: str | None, timeout: float) -> None:
        super().__init__(timeout=timeout, logger=_quiet)
        self.base = urlsplit(base) if base else None
        # Proxy settings are read from the environment once, not on every request (requests
        # re-reads os.environ per call, a large share of each send's CPU time).
        self.proxy = {k: v for k, v in getproxies().items() if k in ("http", "https")}
        if self.session is not None:
            self.session.trust_env = False

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        if self.base is not None:
            parts = urlsplit(url)
            path = self.base.path.rstrip("/") + parts.path
            url = urlunsplit((self.base.scheme, self.base.netloc, path, parts.query, ""))
        return super().request(method, url, *args, **kwargs)


class TwilioSms:
    name = "twilio"

    def __init__(
        self,
        account_sid: str,
        auth_token: str,
        sender: str,
        *,
        api_base: str | None,
        status_callback: str | None,
        timeout: float = 15.0,
    ) -> None:
        self.client = TwilioClient(
            account_sid, auth_token, http_client=_BaseUrlHttpClient(api_base, timeout)
        )
        self.sender = sender
        self.status_callback = status_callback

    def send(self, message_id: int, to: str, body: str) -> str:
        kwargs: dict[str, Any] = {"to": to, "body": body}
        if self.sender.startswith("MG"):
            kwargs["messaging_service_sid"] = self.sender
        else:
            kwargs["from_"] = self.sender
        if self.status_callback:
            kwargs["status_callback"] = self.status_callback
        try:
            return str(self.client.messages.create(**kwargs).sid)
        except TwilioRestException as exc:
            raise twilio_failure(exc.status, exc.code, str(exc.msg)) from exc
        except (requests.RequestException, TwilioException, OSError) as exc:
            raise SendError(f"Twilio unreachable: {type(exc).__name__}", permanent=False) from exc

    def sent_since(self, to: str, since: datetime) -> list[SentRecord]:
        try:
            # Newest first; the body digest (each body holds a link of its own) makes the match,
            # so queued messages that have no DateSent yet are found too.
            found = self.client.messages.list(to=to, limit=50)
        except (TwilioRestException, requests.RequestException, TwilioException, OSError) as exc:
            raise SendError(f"Twilio look-up failed: {exc}", permanent=False) from exc
        return [
            SentRecord(str(m.sid), body_digest(m.body) if m.body else None, str(m.status))
            for m in found
        ]
