"""The client page: a chart per instrument with one point per scored response, the change
summary, item heat map and latest answers in words; and the print view."""

from __future__ import annotations

import re

from tests.clinician.history import clients_with_history
from tests.helpers import text_of
from tests.survey.helpers import answer, gad7, phq9


def phq9_section(html: str) -> str:
    start = html.index('id="i-phq9"')
    return html[start : html.index("</section>", start)]


def test_the_chart_has_one_point_per_completed_response(app, make, as_clinician, clinician_a):
    [client_id] = clients_with_history(app, make, clinician_a, 1, weeks=5)
    html = as_clinician.get(f"/clients/{client_id}").get_data(as_text=True)
    section = phq9_section(html)
    assert len(re.findall(r'<circle class="point"', section)) == 5
    table = section[section.index('<table class="data"') :]
    assert len(re.findall(r"<tr><td>\d+</td>", table[: table.index("</table>")])) == 5
    assert 'class="cutoff"' in section and 'class="baseline"' in section
    assert 'class="reliable"' in section  # the band of reliable change around the baseline


def test_the_summary_heat_map_and_latest_answers(app, make, as_clinician, clinician_a, web):
    [client_id] = clients_with_history(app, make, clinician_a, 1, weeks=3)
    page = text_of(as_clinician.get(f"/clients/{client_id}"))
    for words in ("Baseline", "Change since baseline", "Reliable change", "Remission", "On track?"):
        assert words in page
    assert "Answers by date (last 3)" in page
    # the unscored difficulty question is among the latest answers, marked as such
    assert "how difficult have these problems made it" in page and "(not scored)" in page


def test_an_unscorable_response_is_counted_not_charted(app, make, as_clinician, client_en, web):
    _, link = make.check_in(client_en, ("phq9",))
    answer(web, link, 1, phq9(1) | {"phq9_9": "0"})
    _, link = make.check_in(client_en, ("phq9",))
    skipped = {f"phq9_{n}": "1" for n in range(1, 6)}  # four missing: unscorable
    answer(web, link, 1, skipped, confirm_skips="1")
    html = as_clinician.get(f"/clients/{client_en.id}").get_data(as_text=True)
    assert len(re.findall(r'<circle class="point"', phq9_section(html))) == 1
    assert "1 response could not be scored" in text_of(as_clinician.get(f"/clients/{client_en.id}"))


def test_the_print_view_shows_only_this_clients_progress(app, make, as_clinician, clinician_a):
    first, _second = clients_with_history(app, make, clinician_a, 2, weeks=2)
    html = as_clinician.get(f"/clients/{first}/print").get_data(as_text=True)
    assert "<svg" in html and "Your progress" in html
    assert "History001" not in html and "History000" not in html  # not even a surname
    assert 'class="top"' not in html  # no navigation, nothing about other clients


def test_pcl5_clusters_are_named_and_the_english_copy_is_said(
    app, make, as_clinician, client_es, web
) -> None:
    _, link = make.check_in(client_es, ("pcl5",))
    answer(web, link, 1, {f"pcl5_{n}": "2" for n in range(1, 21)})
    page = text_of(as_clinician.get(f"/clients/{client_es.id}"))
    for name in (
        "Intrusion (B)",
        "Avoidance (C)",
        "Negative alterations in cognitions and mood (D)",
        "Alterations in arousal and reactivity (E)",
    ):
        assert name in page
    assert "Cluster B" not in page
    assert "PCL-5 has no Spanish version yet: this client was given it in English." in page


def test_the_client_page_says_gad7s_spanish_is_unverified(
    app, make, as_clinician, client_es, web
) -> None:
    _, link = make.check_in(client_es, ("gad7",))
    answer(web, link, 1, gad7(1))
    page = text_of(as_clinician.get(f"/clients/{client_es.id}"))
    assert "The Spanish wording of GAD-7 that this client answered is unverified" in page


def test_the_chart_has_a_legend_and_dates_not_check_in_numbers(
    app, make, as_clinician, clinician_a
) -> None:
    [client_id] = clients_with_history(app, make, clinician_a, 1, weeks=5)
    section = phq9_section(as_clinician.get(f"/clients/{client_id}").get_data(as_text=True))
    assert "Check-in 1" not in section
    legend = section[section.index('<ul class="legend"') :]
    legend = legend[: legend.index("</ul>")]
    for words in ("baseline", "clinical cut-off", "reliable change band", "Moderate"):
        assert words in legend
    assert re.search(r'<text class="tick date"[^>]*>\d+ [A-Z][a-z]{2}</text>', section)


def test_a_rescheduled_session_says_from_when_to_when(app, make, as_clinician, client_en) -> None:
    from datetime import UTC, datetime

    from mbc.clients.models import Appointment
    from mbc.clients.services import AppointmentValues, update_appointment
    from mbc.extensions import db

    booked = make.appointment(client_en, starts_at=datetime(2026, 11, 24, 15, 0, tzinfo=UTC))
    with app.app_context():
        stored = db.session.get(Appointment, booked.id)
        moved = datetime(2026, 11, 26, 19, 30, tzinfo=UTC)
        values = AppointmentValues(
            stored.appointment_ref, client_en.id, stored.clinician_id, moved, "scheduled"
        )
        update_appointment(stored, values, source="admin")
        db.session.commit()
    page = text_of(as_clinician.get(f"/clients/{client_en.id}")).replace("\u202f", " ")
    assert "rescheduled from Tue, Nov 24, 2026, 10:00 AM to Thu, Nov 26, 2026, 2:30 PM" in page


def test_the_print_view_names_the_practice_the_clinician_and_the_date(
    app, make, as_clinician, clinician_a
) -> None:
    [client_id] = clients_with_history(app, make, clinician_a, 1, weeks=2)
    page = text_of(as_clinician.get(f"/clients/{client_id}/print"))
    assert "Practice" in page and "Clinician A" in page
    assert "Printed</dt><dd>Mon 23 Nov 2026" in page
    assert '<ul class="legend"' in page


def test_the_print_view_is_in_the_clients_language_or_the_one_asked_for(
    app, make, as_clinician, client_es, web
) -> None:
    _, link = make.check_in(client_es, ("phq9",))
    answer(web, link, 1, phq9(1))
    spanish = text_of(as_clinician.get(f"/clients/{client_es.id}/print"))
    assert (
        '<html lang="es">' in spanish
        and "Su evolución" in spanish
        and "Fecha de impresión" in spanish
    )
    english = text_of(as_clinician.get(f"/clients/{client_es.id}/print?lang=en"))
    assert '<html lang="en">' in english and "Your progress" in english
    # the staff member's own pages stay in their language
    assert '<html lang="en">' in text_of(as_clinician.get(f"/clients/{client_es.id}"))
