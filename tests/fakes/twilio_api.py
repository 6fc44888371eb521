"""A local fake of the part of Twilio's REST API mbc uses, on 127.0.0.1, for the real client.

It accepts ``POST .../Messages.json`` (recording each message) and ``GET .../Messages.json``
with the real API's filters and paging: newest first, ``To``, ``DateSent>`` / ``DateSent<``
(on or after / on or before; a day or a moment; messages not yet handed on have no DateSent and
are left out), ``PageSize`` (default 50, at most 1000) and ``Page`` / ``PageToken`` with a
``next_page_uri``, which the official client follows. It checks HTTP basic auth, and can be told
to fail: a Twilio error for a number, a run of 5xx/429 answers, or a hook run as each message
arrives (a test uses it to kill the sending process before the answer gets back).

A message is answered ``queued``, as Twilio does, and recorded as handed on to the carrier at
once (``sent``, with a DateSent) unless ``hand_on`` is off. Times come from ``clock``.
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "fake-auth-token-0123456789abcdef"


@dataclass
class FakeTwilio:
    base_url: str = ""
    messages: list[dict[str, Any]] = field(default_factory=list)
    # number -> (HTTP status, Twilio code, message): every send to it fails so
    errors_for: dict[str, tuple[int, int | None, str]] = field(default_factory=dict)
    # the next N sends fail with this HTTP status (e.g. 503 or 429), then succeed
    transient: list[int] = field(default_factory=list)
    on_message: Callable[[dict[str, Any]], None] | None = None
    # called with the form before anything is recorded; True drops the request (no message)
    on_request: Callable[[dict[str, str]], bool] | None = None
    lookups: int = 0  # list requests, each page counted
    hand_on: bool = True
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, number: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["to"] == number]

    def record(self, to: str, body: str, **fields: Any) -> dict[str, Any]:
        """A message as Twilio holds it (``fields`` may set its dates, status and so on)."""
        now = _rfc2822(self.clock())
        message = {
            "sid": f"SM{next(self._ids):032x}",
            "account_sid": ACCOUNT_SID,
            "to": to,
            "from": None,
            "messaging_service_sid": None,
            "body": body,
            "status": "sent" if self.hand_on else "queued",
            "status_callback": None,
            "date_created": now,
            "date_sent": now if self.hand_on else None,
            "error_code": None,
            **fields,
        }
        self.messages.append(message)
        return message


def _rfc2822(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")


def _moment(rfc2822: str) -> datetime:
    return datetime.strptime(rfc2822, "%a, %d %b %Y %H:%M:%S +0000").replace(tzinfo=UTC)


def _bound(value: str, *, end: bool) -> datetime:
    """A DateSent filter value: a day (its start, or its end for ``<``) or an ISO 8601 moment."""
    if len(value) == 10:
        day = datetime.fromisoformat(value).date()
        return datetime.combine(day, time.max if end else time.min, tzinfo=UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _matches(message: dict[str, Any], query: dict[str, str]) -> bool:
    if "To" in query and message["to"] != query["To"]:
        return False
    if "DateSent>" in query or "DateSent<" in query:
        if not message["date_sent"]:
            return False
        sent = _moment(message["date_sent"])
        if "DateSent>" in query and sent < _bound(query["DateSent>"], end=False):
            return False
        if "DateSent<" in query and sent > _bound(query["DateSent<"], end=True):
            return False
    return True


def _handler(fake: FakeTwilio) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as Twilio's API does
        disable_nagle_algorithm = True  # headers and body go in two writes

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def _authorised(self) -> bool:
            expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
            return self.headers.get("Authorization") == f"Basic {expected}"

        def _reply(self, status: int, payload: dict[str, Any]) -> None:
            body = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _path_ok(self) -> bool:
            return urlsplit(self.path).path == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"

        def do_POST(self) -> None:
            if not self._authorised():
                return self._reply(401, {"code": 20003, "message": "Authenticate", "status": 401})
            if not self._path_ok():
                return self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
            length = int(self.headers.get("Content-Length", 0))
            form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
            to = form.get("To", "")
            if fake.on_request is not None and fake.on_request(form):
                return self._reply(503, {"code": 20500, "message": "dropped", "status": 503})
            with fake._lock:
                if fake.transient:
                    status = fake.transient.pop(0)
                    return self._reply(
                        status,
                        {
                            "code": 20500 if status >= 500 else 20429,
                            "message": "try later",
                            "status": status,
                        },
                    )
                if to in fake.errors_for:
                    status, code, text = fake.errors_for[to]
                    return self._reply(status, {"code": code, "message": text, "status": status})
                message = fake.record(
                    to,
                    form.get("Body", ""),
                    **{
                        "from": form.get("From"),
                        "messaging_service_sid": form.get("MessagingServiceSid"),
                        "status_callback": form.get("StatusCallback"),
                    },
                )
                answer = {**message, "status": "queued", "date_sent": None}
            if fake.on_message is not None:
                fake.on_message(message)
            self._reply(201, answer)

        def do_GET(self) -> None:
            if not self._authorised():
                return self._reply(401, {"code": 20003, "message": "Authenticate", "status": 401})
            if not self._path_ok():
                return self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            size = min(int(query.get("PageSize", 50)), 1000)
            page = int(query.get("Page", 0))
            with fake._lock:
                fake.lookups += 1
                found = [m for m in reversed(fake.messages) if _matches(m, query)]
            start = page * size
            rest = {k: v for k, v in query.items() if k not in ("Page", "PageToken")}
            path = urlsplit(self.path).path
            following = None
            if start + size < len(found):
                token = f"PA{found[start + size - 1]['sid']}"  # opaque to the client, as Twilio's
                following = f"{path}?{urlencode({**rest, 'Page': page + 1, 'PageToken': token})}"
            self._reply(
                200,
                {
                    "messages": found[start : start + size],
                    "next_page_uri": following,
                    "first_page_uri": f"{path}?{urlencode({**rest, 'Page': 0})}",
                    "previous_page_uri": None,
                    "page": page,
                    "page_size": size,
                    "start": start,
                    "end": start + len(found[start : start + size]) - 1,
                    "uri": self.path,
                },
            )

    return Handler


class FakeTwilioServer:
    def __init__(self) -> None:
        self.fake = FakeTwilio()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.fake))
        self.server.daemon_threads = True
        self.fake.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeTwilio:
        self.thread.start()
        return self.fake

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)
