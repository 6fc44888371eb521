"""The pre-session view gathers open alerts per client: one line per client with its kinds, the
urgent ones first, in full, with the answer that raised them and a reference to tell two
clients of the same name apart."""

from __future__ import annotations

from tests.clinician.alert_data import add_alert
from tests.helpers import text_of


def alerts_section(html: str) -> str:
    start = html.index('class="alerts-open"')
    return html[start : html.index("</section>", start)]


def test_one_line_per_client_urgent_first_with_the_answer_and_a_reference(
    app, make, as_clinician, clinician_a
) -> None:
    calm = make.client(clinician_a, first_name="Sam", last_name="Rivera", client_ref="EHR-111")
    twin = make.client(clinician_a, first_name="Sam", last_name="Rivera", client_ref="EHR-222")
    not_on_track = [
        add_alert(app, calm, "not_on_track", "phq9", 90),
        add_alert(app, calm, "not_on_track", "gad7", 80),
    ]
    critical = add_alert(app, twin, "critical_item", "phq9", 10)
    section = alerts_section(text_of(as_clinician.get("/home")))
    groups = section.split('<li class="alert-group')[1:]
    assert len(groups) == 2  # two clients, three alerts
    urgent, other = groups
    assert urgent.startswith(" urgent") and "Urgent" in urgent and "EHR-222" in urgent
    assert "Thoughts of self-harm endorsed" in urgent
    assert "Answer: More than half the days (2)" in urgent
    assert f"/alerts/{critical}" in urgent
    # PHQ-9 and GAD-7 "not on track" share one badge, each instrument its own alert's link
    assert "EHR-111" in other and other.count("Not on track") == 1
    assert all(f"/alerts/{i}" in other for i in not_on_track)
    assert "PHQ-9</a>, <a" in other


def test_a_later_change_to_the_answer_stays_beside_the_original(
    app, make, as_clinician, clinician_a
) -> None:
    from mbc.assessments.models import AlertChange
    from mbc.clock import utcnow
    from mbc.extensions import db

    client = make.client(clinician_a)
    alert_id = add_alert(app, client, "critical_item")
    with app.app_context():
        db.session.add(AlertChange(alert_id=alert_id, changed_at=utcnow(), item="phq9_9", answer=0))
        db.session.commit()
    section = alerts_section(text_of(as_clinician.get("/home")))
    assert "Answer: More than half the days (2)" in section
    assert "The client changed this answer to Not at all (0)" in section
