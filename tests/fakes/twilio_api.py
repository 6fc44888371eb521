"""A local fake of the part of Twilio's REST API mbc uses, on 127.0.0.1, for the real client.

It accepts ``POST .../Messages.json`` (recording each message) and ``GET .../Messages.json``
(newest first, filtered by ``To``), checks HTTP basic auth, and can be told to fail: a Twilio
error for a number, a run of 5xx/429 answers, or a hook run as each message arrives (a test uses
it to kill the sending process before the answer gets back).
"""

from __future__ import annotations

import base64
import itertools
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

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
    lookups: int = 0
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def to(self, number: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["to"] == number]


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
                message = {
                    "sid": f"SM{next(fake._ids):032x}",
                    "account_sid": ACCOUNT_SID,
                    "to": to,
                    "from": form.get("From"),
                    "messaging_service_sid": form.get("MessagingServiceSid"),
                    "body": form.get("Body", ""),
                    "status": "queued",
                    "status_callback": form.get("StatusCallback"),
                    "date_created": datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000"),
                    "date_sent": None,
                    "error_code": None,
                }
                fake.messages.append(message)
            if fake.on_message is not None:
                fake.on_message(message)
            self._reply(201, message)

        def do_GET(self) -> None:
            if not self._authorised():
                return self._reply(401, {"code": 20003, "message": "Authenticate", "status": 401})
            if not self._path_ok():
                return self._reply(404, {"code": 20404, "message": "Not found", "status": 404})
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            with fake._lock:
                fake.lookups += 1
                found = [m for m in reversed(fake.messages) if m["to"] == query.get("To")]
            self._reply(
                200,
                {
                    "messages": found[: int(query.get("PageSize", 50))],
                    "next_page_uri": None,
                    "page": 0,
                    "page_size": 50,
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
