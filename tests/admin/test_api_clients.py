"""Settings → API clients: one token per system, even when the page that showed it is sent
again (a reload, or Back and resubmit, posts the same form a second time)."""

from __future__ import annotations

from sqlalchemy import func, select

from mbc.extensions import db
from mbc.fhir.models import ApiClient
from tests.helpers import submit, text_of

PAGE = "/admin/settings/api-clients"
FORM = {"name": "Riverside EHR", "scopes": ["read:responses"]}


def count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ApiClient))


def test_the_same_form_sent_again_makes_no_second_token(app, as_admin) -> None:
    first = submit(as_admin, PAGE, FORM, form_url=PAGE)
    assert first.status_code == 200 and "Copy its token now" in text_of(first)
    again = submit(as_admin, PAGE, {**FORM, "name": " riverside ehr "}, form_url=PAGE)
    assert again.status_code == 409
    assert "An API client called riverside ehr is already active" in text_of(again)
    assert count(app) == 1


def test_a_revoked_clients_name_can_be_used_again(app, as_admin) -> None:
    submit(as_admin, PAGE, FORM, form_url=PAGE)
    with app.app_context():
        client_id = db.session.scalar(select(ApiClient.id))
    submit(as_admin, f"{PAGE}/{client_id}/revoke", {}, form_url=PAGE)
    assert submit(as_admin, PAGE, FORM, form_url=PAGE).status_code == 200
    assert count(app) == 2
