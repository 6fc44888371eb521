"""A client sees their own progress from their finished check-in's link, only when the practice
and their clinician share it, in their language, and each view is in the audit log."""

from __future__ import annotations

import gzip

from sqlalchemy import select

from mbc.audit.models import AuditEvent
from mbc.extensions import db
from tests.helpers import text_of
from tests.progress.helpers import answered, share


def test_the_done_page_offers_progress_only_when_shared(app, web, make, clock, client_en) -> None:
    link = answered(web, make, clock, client_en, [2])
    assert "See your progress" not in text_of(web.get(f"/s/{link}/done"))
    share(app, client_en, practice=True, client_on=False)
    assert "See your progress" not in text_of(web.get(f"/s/{link}/done"))
    share(app, client_en, practice=False, client_on=True)
    assert "See your progress" not in text_of(web.get(f"/s/{link}/done"))
    share(app, client_en)
    assert "See your progress" in text_of(web.get(f"/s/{link}/done"))


def test_switch_off_is_a_clear_page_and_no_data(app, web, make, clock, client_en) -> None:
    link = answered(web, make, clock, client_en, [2])
    share(app, client_en, client_on=False)
    page = web.get(f"/s/{link}/progress")
    html = text_of(page)
    assert page.status_code == 404
    assert "Your progress page is not available" in html and "ask your clinician" in html
    assert "16 out of 27" not in html and "<svg" not in html


def test_scores_over_time_in_plain_words(app, web, make, clock, client_en) -> None:
    link = answered(web, make, clock, client_en, [2, 1, 0])  # PHQ-9 16, 8, 0; GAD-7 14, 7, 0
    share(app, client_en)
    page = web.get(f"/s/{link}/progress")
    html = text_of(page)
    assert page.status_code == 200
    assert "Patient Health Questionnaire (PHQ-9)" in html
    assert "0 out of 27. Few or no signs of low mood" in html
    assert "16 · A lot of low mood" in html and "8 · Some low mood" in html
    assert "14 · A fair amount of worry and tension" in html
    assert html.count('class="point"') == 6  # three dots on each chart
    for jargon in ("moderately severe", "Moderately severe", "cut-off", "baseline", "reliable"):
        assert jargon not in html
    assert "Talk them over with" in html and "911" in html
    assert "script" not in html.lower().replace("description", "")


def test_spanish_client_reads_spanish(app, web, make, clock, client_es) -> None:
    link = answered(web, make, clock, client_es, [2])
    share(app, client_es)
    html = text_of(web.get(f"/s/{link}/progress"))
    assert "Su evolución" in html and "Mucho ánimo bajo" in html
    assert "Bastante preocupación y tensión" in html


def test_only_this_clients_scores(app, web, make, clock, clinician_a, client_en) -> None:
    other = make.client(clinician_a, first_name="Zelda")
    answered(web, make, clock, other, [3])  # PHQ-9 24, GAD-7 21
    link = answered(web, make, clock, client_en, [1])
    share(app, client_en)
    share(app, other)
    html = text_of(web.get(f"/s/{link}/progress"))
    assert "8 out of 27" in html and "24 out of 27" not in html
    assert html.count("<tr><td>") == 2 and "<td>24" not in html and "<td>21" not in html
    assert html.count('class="point"') == 2 and "Zelda" not in html


def test_each_view_is_logged_as_the_clients_own(app, web, make, clock, client_en) -> None:
    link = answered(web, make, clock, client_en, [1])
    share(app, client_en)
    web.get(f"/s/{link}/progress")
    with app.app_context():
        [event] = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "client.progress_view")
        ).all()
    assert event.client_id == client_en.id and event.actor_id is None
    assert event.actor_label == "client"
    assert event.detail == {"viewer": "client", "via": "check_in"}


def test_one_light_request(app, web, make, clock, client_en) -> None:
    link = answered(web, make, clock, client_en, [2, 1, 0, 1, 2, 1])
    share(app, client_en)
    page = web.get(f"/s/{link}/progress", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert len(page.get_data()) <= 14 * 1024
    html = gzip.decompress(page.get_data()).decode()
    assert '<link rel="stylesheet"' not in html and "src=" not in html
    assert page.headers["Cache-Control"] == "no-store"
    assert "'sha256-" in page.headers["Content-Security-Policy"]
