"""A live server in a thread and Debian's Chromium driven by Playwright (no browser download)."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator[object]:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def phone(browser) -> Iterator[object]:
    """A phone-sized touch context, as a client opening an SMS link would have."""
    from playwright.sync_api import sync_playwright  # noqa: F401 - devices come from the browser

    device = {
        "viewport": {"width": 390, "height": 664},
        "device_scale_factor": 3,
        "is_mobile": True,
        "has_touch": True,
        "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 15_0 like Mac OS X) AppleWebKit/605.1.15"
        " (KHTML, like Gecko) Version/15.0 Mobile/15E148 Safari/604.1",
    }
    context = browser.new_context(locale="en-US", **device)
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def phone_without_scripts(browser) -> Iterator[object]:
    context = browser.new_context(
        locale="en-US", java_script_enabled=False, viewport={"width": 390, "height": 664}
    )
    yield context
    context.close()


def axe_violations(page) -> list[str]:
    """WCAG 2.1 A/AA problems axe-core finds on the page (none expected)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]
    ]


from tests.browser.practice import practice  # noqa: E402,F401 - the practice-sized fixture
