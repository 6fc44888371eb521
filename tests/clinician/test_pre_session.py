"""The clinician's home page: the next sessions, each client's scores at a glance, alerts first."""

from __future__ import annotations

import re

from sqlalchemy import event

from mbc.extensions import db
from tests.clinician.history import clients_with_history
from tests.helpers import text_of


def test_tomorrows_clients_show_status_scores_change_and_badges(
    app, make, as_clinician, clinician_a
) -> None:
    clients_with_history(app, make, clinician_a, 1, weeks=6)
    page = text_of(as_clinician.get("/home"))
    assert "Next working day" in page and "History000" in page
    assert "No check-in planned" in page  # the scheduler has not planned it yet
    assert "Patient Health Questionnaire (PHQ-9)" in page
    assert "since baseline" in page and "since last time" in page
    # the demo course of client 0 improves: the badge says so in words
    assert "Reliably improved" in page


def test_open_alerts_come_first_and_name_the_client(app, make, as_clinician, clinician_a) -> None:
    # client index 5 of the demo course endorses PHQ-9 item 9 on the latest check-in
    ids = clients_with_history(app, make, clinician_a, 6, weeks=3)
    html = as_clinician.get("/home").get_data(as_text=True)
    alerts = html.index('class="alerts-open"')
    assert alerts < html.index("Next working day")
    section = html[alerts : html.index("</section>", alerts)]
    assert "Thoughts of self-harm endorsed" in section and "History005" in section
    assert f"/clients/{ids[5]}" in section


def test_a_clinician_sees_only_their_own_sessions_and_alerts(
    app, make, clinician_a, clinician_b
) -> None:
    from tests.factories import PASSWORD
    from tests.helpers import signin

    clients_with_history(app, make, clinician_a, 6, weeks=2)
    other = text_of(signin(app.test_client(), clinician_b.email, PASSWORD).get("/home"))
    assert "History" not in other and "open alert" not in other


def test_the_caseload_filters_by_alerts_and_progress(app, make, as_clinician, clinician_a) -> None:
    clients_with_history(app, make, clinician_a, 7, weeks=7)
    everyone = text_of(as_clinician.get("/caseload"))
    assert everyone.count("History0") == 7
    with_alerts = text_of(as_clinician.get("/caseload?show=alerts"))
    not_on_track = text_of(as_clinician.get("/caseload?show=not_on_track"))
    # course 6 worsens (reliably worse: an alert), course 4 stays flat (not on track by 7 weeks)
    assert "History006" in with_alerts and "History000" not in with_alerts
    assert "History004" in not_on_track and "History006" in not_on_track
    assert "History000" not in not_on_track
    assert "the first score was in the clinical range" in not_on_track  # the rule, in words


def count_statements(app, web, url: str) -> int:
    statements: list[str] = []

    def hook(*_args) -> None:
        statements.append("x")

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", hook)
    try:
        response = web.get(url)
        assert response.status_code == 200, url
    finally:
        event.remove(engine, "before_cursor_execute", hook)
    return len(statements)


def test_pages_run_the_same_number_of_queries_for_5_and_150_clients(
    app, make, as_clinician, clinician_a
) -> None:
    first = clients_with_history(app, make, clinician_a, 5, weeks=2)
    html = as_clinician.get("/home").get_data(as_text=True)
    assert len(re.findall(r'class="session[" ]', html)) == 5
    small = {url: count_statements(app, as_clinician, url) for url in _urls(first[0])}
    clients_with_history(app, make, clinician_a, 145, weeks=2)
    html = as_clinician.get("/home").get_data(as_text=True)
    assert len(re.findall(r'class="session[" ]', html)) == 150
    large = {url: count_statements(app, as_clinician, url) for url in _urls(first[0])}
    assert small == large
    # 18 (the menu asks whether the clinician supervises anyone), and the audit row's chain:
    # its link read, its hash written (and PostgreSQL's lock)
    assert max(large.values()) <= 21, large


def _urls(client_id: int) -> list[str]:
    return ["/home", "/caseload", f"/clients/{client_id}"]
