"""A progress link the clinician sends: queued and sent as check-ins go (SMS or email, no health
information), signed for this purpose only, expiring, and closed when the switch goes off.
Every refusal is a clear page in the client's language."""

from __future__ import annotations

from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.delivery.models import Message
from mbc.extensions import db
from mbc.progress import links
from tests.delivery.helpers import messages, sent, tick
from tests.factories import PASSWORD
from tests.helpers import signin, submit, text_of
from tests.progress.helpers import answered, share

HEALTH_WORDS = ("progress", "score", "PHQ", "GAD", "mood", "evoluci", "puntuac", "therap")


def _send(app, clinician, client) -> str:
    """The clinician sends a progress link; the scheduler sends it; the path in the message."""
    web = signin(app.test_client(), clinician.email, PASSWORD)
    url = f"/clients/{client.id}"
    assert submit(web, f"{url}/progress-link", {}, form_url=url).status_code == 302
    tick(app)
    [entry] = sent(app)
    assert entry.recipient == client.phone and entry.channel == "sms"
    return entry.body[entry.body.index("https://mbc.test") + len("https://mbc.test") :].split()[0]


def test_a_sent_link_opens_the_clients_progress(app, web, make, clock, clinician_a, client_en):
    answered(web, make, clock, client_en, [2, 1])
    share(app, client_en)
    path = _send(app, clinician_a, client_en)
    [entry] = sent(app)
    assert not any(word.lower() in entry.body.lower() for word in HEALTH_WORDS), entry.body
    assert path.startswith("/p/")
    page = web.get(path)
    assert page.status_code == 200 and "8 · Some low mood" in text_of(page)
    with app.app_context():
        views = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "client.progress_view")
        ).all()
        assert [e.detail["via"] for e in views] == ["progress_link"]
        queued = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "client.progress_link")
        ).all()
        assert len(queued) == 1 and queued[0].actor_id == clinician_a.id


def test_an_email_link_holds_no_health_information(app, web, make, clinician_a) -> None:
    client = make.client(clinician_a, preferred_channel="email", language="es")
    share(app, client)
    web = signin(app.test_client(), clinician_a.email, PASSWORD)
    submit(web, f"/clients/{client.id}/progress-link", {}, form_url=f"/clients/{client.id}")
    tick(app)
    [entry] = sent(app)
    assert entry.channel == "email" and entry.subject.startswith("Un enlace de")
    assert "/p/" in entry.body and "7 días" in entry.body
    assert not any(word.lower() in entry.body.lower() for word in HEALTH_WORDS)


def test_no_link_is_sent_once_sharing_is_off(app, make, clinician_a, client_en) -> None:
    share(app, client_en)
    web = signin(app.test_client(), clinician_a.email, PASSWORD)
    url = f"/clients/{client_en.id}"
    submit(web, f"{url}/progress-link", {}, form_url=url)
    share(app, client_en, client_on=False)  # before the scheduler's pass
    tick(app)
    assert sent(app) == []
    [message] = messages(app, Message.kind == "progress_link")
    assert (message.status, message.skip_reason) == ("cancelled", "progress_not_shared")


def test_switching_off_closes_links_already_sent(app, web, make, clock, client_en) -> None:
    answered(web, make, clock, client_en, [1])
    share(app, client_en)
    with app.test_request_context():
        token = links.make_token(client_en.id)
    share(app, client_en, client_on=False)
    page = web.get(f"/p/{token}")
    assert page.status_code == 404 and "not available" in text_of(page)
    assert "Some low mood" not in text_of(page)


def test_an_expired_link_says_so_in_the_clients_language(app, web, clock, client_es) -> None:
    share(app, client_es)
    with app.test_request_context():
        token = links.make_token(client_es.id)
    clock.advance(days=7, seconds=1)
    page = web.get(f"/p/{token}")
    assert page.status_code == 410 and "Este enlace ha caducado" in text_of(page)


def test_a_tampered_link_is_a_clear_page_and_no_data(app, web, client_en) -> None:
    share(app, client_en)
    with app.test_request_context():
        token = links.make_token(client_en.id)
    other_client = token[0] + ("B" if token[1] != "B" else "C") + token[2:]
    for bad in (other_client, token[:-2], "made-up", token + "x"):
        page = web.get(f"/p/{bad}", headers={"Accept-Language": "es"})
        assert page.status_code == 404 and "Este enlace no es válido" in text_of(page), bad


def test_links_are_single_purpose(app, web, make, client_en) -> None:
    """A check-in link does not open /p/, nor a progress link a check-in."""
    share(app, client_en)
    _, check_in_token = make.check_in(client_en)
    with app.test_request_context():
        progress_token = links.make_token(client_en.id)
    assert web.get(f"/p/{check_in_token}").status_code == 404
    assert web.get(f"/s/{progress_token}").status_code == 404
    assert web.get(f"/s/{progress_token}/progress").status_code == 404


def test_the_token_holds_no_name_and_another_clients_id_needs_a_new_signature(
    app, make, clinician_a, client_en
) -> None:
    other = make.client(clinician_a)
    with app.test_request_context():
        mine, theirs = links.make_token(client_en.id), links.make_token(other.id)
        assert links.read_token(mine) == client_en.id and links.read_token(theirs) == other.id
    assert client_en.first_name not in mine and client_en.client_ref not in mine
    assert mine.split(".")[1:] != theirs.split(".")[1:]


def test_a_fault_gets_the_clients_page_not_the_staff_one(app, web, client_en, monkeypatch):
    share(app, client_en)
    with app.test_request_context():
        token = links.make_token(client_en.id)

    def broken(*args, **kwargs):
        raise RuntimeError("a fault")

    monkeypatch.setattr("mbc.progress.services.own_progress", broken)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    page = web.get(f"/p/{token}", headers={"Accept-Language": "es"})
    assert page.status_code == 500 and "Algo salió mal" in text_of(page)
    assert page.headers["Cache-Control"] == "no-store" and 'class="practice"' in text_of(page)
