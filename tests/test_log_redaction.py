"""Links are credentials: no check-in, unsubscribe or password-reset token reaches a log, from
the development server, from gunicorn's access log, or from the app itself."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from mbc.log_redaction import redact

TOKEN = "AQ8xY2RlZmdoaWprbG1ub3A.Zq3kLmN0p9rStUvWxYz0123456789ab"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (f'"GET /s/{TOKEN}/1 HTTP/1.1" 200', '"GET /s/…/1 HTTP/1.1" 200'),
        (f'"POST /s/{TOKEN}/language HTTP/1.1"', '"POST /s/…/language HTTP/1.1"'),
        (f"GET /u/{TOKEN}", "GET /u/…"),
        (f"POST /w/{TOKEN} HTTP/1.1", "POST /w/… HTTP/1.1"),  # the staff wellbeing pulse
        ("GET /wellbeing/windows/3", "GET /wellbeing/windows/3"),
        (f"GET /password/reset/{TOKEN}?x=1", "GET /password/reset/…?x=1"),
        ("GET /static/survey.css?v=abc", "GET /static/survey.css?v=abc"),
        ("GET /clients/12", "GET /clients/12"),
    ],
)
def test_tokens_in_paths_are_replaced(line: str, expected: str) -> None:
    assert redact(line) == expected


def test_the_development_servers_request_log_has_no_token(app, caplog) -> None:
    server = make_server("127.0.0.1", 0, app, threaded=False)
    url = f"http://127.0.0.1:{server.server_port}/s/{TOKEN}/1"
    caplog.set_level(logging.INFO)
    with server:
        thread = threading.Thread(target=server.handle_request)
        thread.start()
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(url, timeout=10)
        thread.join(timeout=10)
    assert "/s/…/1" in caplog.text and TOKEN not in caplog.text


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_gunicorns_access_log_has_no_token(tmp_path: Path) -> None:
    bin_dir = Path(sys.executable).parent
    env = {
        **os.environ,
        "MBC_DATABASE_URL": f"sqlite:///{tmp_path / 'g.db'}",
        "MBC_ENV": "development",
    }
    env.pop("MBC_TEST_DATABASE_URL", None)
    subprocess.run([bin_dir / "mbc", "db", "upgrade"], env=env, check=True, capture_output=True)
    port, log = _free_port(), tmp_path / "access.log"
    server = subprocess.Popen(
        [
            bin_dir / "gunicorn",
            *("--workers", "1", "--bind", f"127.0.0.1:{port}"),
            *("--access-logfile", str(log), "mbc:create_app()"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):  # bounded: up to 10 s for the worker to start
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/s/{TOKEN}/1", timeout=2)
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(50):
            if log.exists() and "/s/" in log.read_text():
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    text = log.read_text()
    assert "/s/…/1" in text and TOKEN not in text
