"""Test helpers that act as a person would: fetch the form, keep its CSRF token, post it."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf_token(web: FlaskClient, url: str) -> str:
    page = web.get(url)
    match = _TOKEN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {url} (status {page.status_code})"
    return match.group(1)


def submit(
    web: FlaskClient, url: str, data: dict[str, Any], *, form_url: str | None = None, **kwargs: Any
) -> TestResponse:
    """POST ``data`` to ``url`` with the CSRF token from the page at ``form_url`` or ``url``."""
    token = csrf_token(web, form_url or url)
    return web.post(url, data={"csrf_token": token, **data}, **kwargs)


def signin(web: FlaskClient, email: str, password: str) -> FlaskClient:
    response = submit(web, "/signin", {"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return web


def text_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)
