"""Which staff forms a browser journey submits, and helpers the journeys share.

A journey is a Chromium test that fills and submits what the page renders, as the person who
uses it, and checks the result on the next page. ``@journey("admin.practice_settings")`` names
the endpoints it posts to; tests/browser/test_every_form_has_a_journey.py fails when a
form-bearing staff endpoint has none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

F = TypeVar("F", bound=Callable[..., object])


def journey(*endpoints: str) -> Callable[[F], F]:
    """Mark a browser test as the journey through ``endpoints`` (the forms it submits)."""

    def mark(test: F) -> F:
        test.journey_endpoints = (*getattr(test, "journey_endpoints", ()), *endpoints)  # type: ignore[attr-defined]
        return test

    return mark


def sign_in(page, base: str, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.set_default_timeout(10_000)
    page.goto(f"{base}/signin")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/signin" not in url)
