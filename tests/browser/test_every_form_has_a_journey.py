"""Every staff form and every paged list has a browser journey: a form that no test submits in
Chromium is a form nobody knows a browser can submit (a stray ``required``, duplicate ids), and a
list nobody pages through is a pager nobody knows works."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import tests.browser

# Client-facing pages (tokenised links, provider callbacks) have their own phone journeys.
CLIENT_FACING = ("survey.", "twilio_hooks.", "unsubscribe.", "dev_outbox.", "health.")

# Staff forms still without a journey. Each entry is a debt: write its journey, then remove it
# here (the test below fails while an entry is listed that has a journey).
NO_JOURNEY_YET: frozenset[str] = frozenset()


def staff_form_endpoints(app) -> set[str]:  # type: ignore[no-untyped-def]
    return {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in (rule.methods or ()) and not rule.endpoint.startswith(CLIENT_FACING)
    }


def paged_list_endpoints(app) -> set[str]:  # type: ignore[no-untyped-def]
    """Endpoints whose page calls the pager macro (``pager(page, pages, 'admin.clients')``)."""
    call = re.compile(r"pager\([^)]*'([a-z_.]+)'\)")
    return {
        endpoint
        for template in Path(app.root_path, "templates").rglob("*.html")
        for endpoint in call.findall(template.read_text())
    }


def journeys() -> dict[str, list[str]]:
    """Endpoint -> the browser tests that submit it (from every tests/browser/test_* module)."""
    found: dict[str, list[str]] = {}
    for info in pkgutil.iter_modules(tests.browser.__path__):
        if not info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"tests.browser.{info.name}")
        for name, test in vars(module).items():
            for endpoint in getattr(test, "journey_endpoints", ()):
                found.setdefault(endpoint, []).append(f"{info.name}::{name}")
    return found


def test_every_staff_form_and_paged_list_has_a_browser_journey(app) -> None:
    endpoints = staff_form_endpoints(app) | paged_list_endpoints(app)
    assert len(endpoints) >= 25 and {"admin.clients", "admin.audit_log"} <= endpoints
    covered = journeys()
    assert set(covered) <= endpoints, f"journeys name unknown endpoints: {set(covered) - endpoints}"
    missing = endpoints - set(covered) - NO_JOURNEY_YET
    assert not missing, f"staff forms without a browser journey: {sorted(missing)}"
    stale = NO_JOURNEY_YET & set(covered)
    assert not stale, f"have a journey now, take them off NO_JOURNEY_YET: {sorted(stale)}"
