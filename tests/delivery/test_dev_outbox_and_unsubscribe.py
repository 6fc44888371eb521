"""The development outbox lists what the console backends sent; production has no such page.
The unsubscribe page works in the recipient's language."""

from __future__ import annotations

from datetime import UTC, datetime

from mbc import create_app
from mbc.delivery.models import Suppression
from tests.delivery.helpers import messages, rows, tick
from tests.test_config import PROVIDERS

TOMORROW_10AM_NY = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


def test_the_outbox_lists_sent_messages_with_clickable_links(
    app, as_admin, make, client_en
) -> None:
    make.plan_rule(("phq9",))
    make.appointment(client_en, starts_at=TOMORROW_10AM_NY)
    tick(app)
    page = as_admin.get("/dev/outbox").get_data(as_text=True)
    assert '<a href="https://mbc.test/s/' in page and "+14155552671" in page


def test_the_outbox_is_for_signed_in_admins_only(web, as_clinician) -> None:
    """It lists every client's links and staff password resets, even in development."""
    anonymous = web.get("/dev/outbox")
    assert anonymous.status_code == 302 and "/signin" in anonymous.headers["Location"]
    assert as_clinician.get("/dev/outbox").status_code == 403


def test_the_outbox_does_not_exist_in_production(tmp_path) -> None:
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "p" * 40,
            "BASE_URL": "https://mbc.example.org",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
            **PROVIDERS,
        }
    )
    assert "dev_outbox.outbox" not in {r.endpoint for r in app.url_map.iter_rules()}
    app.extensions["mbc.db"].dispose()


def test_the_unsubscribe_page_asks_then_confirms_in_spanish(app, web, make, clinician_a):
    make.plan_rule(("phq9",))
    client = make.client(clinician_a, preferred_channel="email", language="es", phone=None)
    make.appointment(client, starts_at=TOMORROW_10AM_NY)
    tick(app)
    from mbc.delivery.unsubscribe import unsubscribe_url

    with app.app_context():
        path = unsubscribe_url(messages(app)[0].id)[len("https://mbc.test") :]
    page = web.get(path)
    assert page.status_code == 200 and "¿Dejar de recibir estos correos?" in page.get_data(
        as_text=True
    )
    assert page.headers["Cache-Control"] == "no-store"
    done = web.post(path)
    assert "No recibirá más correos nuestros" in done.get_data(as_text=True)
    assert [s.reason for s in rows(app, Suppression)] == ["unsubscribed"]
    assert web.post(path).status_code == 200  # twice is harmless


def test_a_tampered_unsubscribe_link_is_not_found(web) -> None:
    assert web.get("/u/MQ.tampered").status_code == 404
    assert web.post("/u/MQ.tampered").status_code == 404
