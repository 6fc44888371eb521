"""SMS backends: ``console`` (development: stored for /dev/outbox) and ``twilio``.

The Twilio backend is the official client; ``MBC_TWILIO_API_BASE`` points it at another base
URL (a Twilio-compatible gateway, or the tests' local fake). Its HTTP logging is kept quiet,
since Twilio's client logs query strings that hold phone numbers.

Bulk sending uses the client's asynchronous transport (``AsyncTwilioHttpClient``, on aiohttp):
measured against the local fake, a send costs about 0.6 ms of CPU there against 2.1 ms through
the synchronous transport (requests), whose threads also contend for one interpreter lock.
Look-ups for reconciliation stay synchronous (``TwilioSms.find_sent``). The console backend
stores each text in the database, so it sends on the caller's thread (``LocalSms``).
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import datetime
from typing import Any, Protocol, runtime_checkable
from urllib.parse import SplitResult, urlsplit, urlunsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
import requests
from sqlalchemy import select
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client as TwilioClient

from mbc.delivery.failures import SendError, twilio_failure
from mbc.delivery.models import DevOutboxEntry
from mbc.extensions import db

TWILIO_API = "https://api.twilio.com"
_quiet = logging.getLogger("mbc.delivery.twilio_http")
_quiet.setLevel(logging.WARNING)


def body_digest(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


# Sends one text (message id, recipient, body) on the running event loop: the provider's id,
# or SendError.
AsyncSend = Callable[[int, str, str], Awaitable[str]]


class SmsBackend(Protocol):
    name: str

    def find_sent(self, to: str, body_sha256: str, start: datetime, end: datetime) -> str | None:
        """The provider's id for the text to ``to`` whose body has this digest, handed to the
        provider between ``start`` and ``end`` (for reconciliation); None when it holds none.
        Raises SendError when it cannot tell (the look-up failed, or was too long to finish)."""
        ...


@runtime_checkable
class LocalSms(SmsBackend, Protocol):
    """A backend that writes to the database session: it sends on the caller's thread."""

    def send(self, message_id: int, to: str, body: str) -> str:
        """Store the text; its id."""
        ...


@runtime_checkable
class NetworkSms(SmsBackend, Protocol):
    """A provider reached over the network: many sends in flight at once."""

    def sending(self) -> AbstractAsyncContextManager[AsyncSend]:
        """A session for a batch of concurrent sends; each gives the provider's id or raises
        SendError."""
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

    def find_sent(self, to: str, body_sha256: str, start: datetime, end: datetime) -> str | None:
        rows = db.session.scalars(
            select(DevOutboxEntry).where(
                DevOutboxEntry.channel == "sms",
                DevOutboxEntry.recipient == to,
                DevOutboxEntry.sent_at >= start,
                DevOutboxEntry.sent_at <= end,
            )
        )
        return next((f"console-{r.id}" for r in rows if body_digest(r.body) == body_sha256), None)


class _BaseUrlHttpClient(TwilioHttpClient):
    """Sends every request to ``base`` (scheme and host), keeping Twilio's path."""

    def __init__(self, base: str | None, timeout: float) -> None:
        super().__init__(timeout=timeout, logger=_quiet)
        self.base = urlsplit(base) if base else None
        # Proxy settings are read from the environment once, not on every request (requests
        # re-reads os.environ per call, a large share of each send's CPU time).
        proxy = proxy_for(base)
        self.proxy = {urlsplit(base or TWILIO_API).scheme: proxy} if proxy else {}
        if self.session is not None:
            self.session.trust_env = False

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        return super().request(method, _rebase(url, self.base), *args, **kwargs)


class _BaseUrlAsyncHttpClient(AsyncTwilioHttpClient):
    """The asynchronous transport, sending to ``base`` like ``_BaseUrlHttpClient``.

    Its session is made here, inside the running loop, with the time-out the synchronous client
    has (Twilio's own leaves requests without one) and the proxy read from the environment once
    (aiohttp's ``trust_env`` reads it, and ``~/.netrc``, on every request).
    """

    def __init__(self, base: str | None, timeout: float) -> None:
        super().__init__(pool_connections=False, logger=_quiet)
        self.base = urlsplit(base) if base else None
        self.seconds = timeout
        self.session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=timeout), proxy=proxy_for(base)
        )

    async def request(
        self,
        method: str,
        url: str,
        params: dict[str, object] | None = None,
        data: dict[str, object] | None = None,
        headers: dict[str, str] | None = None,
        auth: tuple[str, str] | None = None,
        timeout: float | None = None,
        allow_redirects: bool = False,
    ) -> Any:
        if auth is not None:  # as a header: aiohttp deprecates the BasicAuth Twilio would build
            credentials = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
            headers = {**(headers or {}), "Authorization": f"Basic {credentials}"}
        return await super().request(
            method,
            _rebase(url, self.base),
            params=params,
            data=data,
            headers=headers,
            auth=None,
            timeout=timeout or self.seconds,
            allow_redirects=allow_redirects,
        )


def proxy_for(base: str | None) -> str | None:
    """The proxy the environment names for Twilio's API (or ``base``), unless ``no_proxy``
    exempts its host."""
    parts = urlsplit(base or TWILIO_API)
    if proxy_bypass(parts.hostname or ""):
        return None
    return getproxies().get(parts.scheme)


def _rebase(url: str, base: SplitResult | None) -> str:
    if base is None:
        return url
    parts = urlsplit(url)
    path = base.path.rstrip("/") + parts.path
    return urlunsplit((base.scheme, base.netloc, path, parts.query, ""))


class TwilioSms:
    """Twilio's REST API through the official client.

    Each text's status callback carries our own reference to it (``?m=<message id>``; Twilio
    signs the whole URL, so it cannot be forged), so a report on a text whose send was cut off
    before its sid came back still finds it (``mbc.delivery.hooks``).
    """

    name = "twilio"
    # Reconciliation pages through the number's messages in the claim's window, PAGE_SIZE at a
    # time (Twilio's default; at most 1000), and gives up undecided after MAX_PAGES pages.
    PAGE_SIZE = 50
    MAX_PAGES = 20

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
        self.credentials = (account_sid, auth_token)
        self.api_base, self.timeout = api_base, timeout
        self.client = TwilioClient(
            account_sid, auth_token, http_client=_BaseUrlHttpClient(api_base, timeout)
        )
        self.sender = sender
        self.status_callback = status_callback

    def _fields(self, message_id: int, to: str, body: str) -> dict[str, Any]:
        fields: dict[str, Any] = {"to": to, "body": body}
        if self.sender.startswith("MG"):
            fields["messaging_service_sid"] = self.sender
        else:
            fields["from_"] = self.sender
        if self.status_callback:
            fields["status_callback"] = f"{self.status_callback}?m={message_id}"
        return fields

    @asynccontextmanager
    async def sending(self) -> AsyncIterator[AsyncSend]:
        """One pooled HTTP session for a batch of concurrent sends, closed when it is done."""
        http = _BaseUrlAsyncHttpClient(self.api_base, self.timeout)
        client = TwilioClient(*self.credentials, http_client=http)

        async def send(message_id: int, to: str, body: str) -> str:
            try:
                return str(
                    (await client.messages.create_async(**self._fields(message_id, to, body))).sid
                )
            except TwilioRestException as exc:
                raise twilio_failure(exc.status, exc.code, str(exc.msg)) from exc
            except (aiohttp.ClientError, TwilioException, OSError) as exc:  # time-outs too
                unreachable = f"Twilio unreachable: {type(exc).__name__}"
                raise SendError(unreachable, permanent=False) from exc

        try:
            yield send
        finally:
            await http.close()

    def find_sent(self, to: str, body_sha256: str, start: datetime, end: datetime) -> str | None:
        """Pages through the messages to ``to`` that Twilio sent between ``start`` and ``end``
        (its DateSent filters), then through the newest ones created since ``start`` that it
        has not handed on yet (no DateSent: a backed-up queue), matching by body digest (each
        body holds a link of its own). However many other messages the number has, the look-up
        reaches ours, or says it could not (SendError: the message is not resent blindly)."""
        try:
            sent = self.client.messages.page(
                to=to, date_sent_after=start, date_sent_before=end, page_size=self.PAGE_SIZE
            )
            found = self._search(sent, body_sha256, start, queued_only=False)
            if found is None:
                newest = self.client.messages.page(to=to, page_size=self.PAGE_SIZE)
                found = self._search(newest, body_sha256, start, queued_only=True)
        except (TwilioRestException, requests.RequestException, TwilioException, OSError) as exc:
            raise SendError(f"Twilio look-up failed: {exc}", permanent=False) from exc
        return found

    def _search(
        self, page: Any, body_sha256: str, start: datetime, *, queued_only: bool
    ) -> str | None:
        for _ in range(self.MAX_PAGES):
            for m in page:
                if queued_only and m.date_created is not None and m.date_created < start:
                    return None  # newest first: everything further is older than the claim
                if queued_only and m.date_sent is not None:
                    continue  # already searched by its DateSent
                if m.body and body_digest(m.body) == body_sha256:
                    return str(m.sid)
            page = page.next_page()
            if page is None:
                return None
        raise SendError(
            f"Twilio look-up stopped after {self.MAX_PAGES} pages without an answer",
            permanent=False,
        )
