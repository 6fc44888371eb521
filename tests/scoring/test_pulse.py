"""The staff pulse statements (ours): checked answers, no total."""

from __future__ import annotations

import pytest

from mbc.instruments import registry
from mbc.scoring import score

STATEMENTS = ("pulse_caseload", "pulse_support", "pulse_satisfaction", "pulse_balance")


def test_statements_are_ours_and_not_validated() -> None:
    d = registry.get("pulse")
    assert d.licence == "ours" and d.audience == "staff"
    assert "Not a validated measure" in d.credit
    assert [i.id for i in d.scored_items] == list(STATEMENTS)
    assert d.item("pulse_caseload").text["en"] == "My caseload is manageable"
    assert [o.value for o in d.item("pulse_balance").options] == [1, 2, 3, 4, 5]
    assert not d.item("pulse_comment").scored


def test_answers_are_kept_and_there_is_no_total() -> None:
    result = score("pulse", {"pulse_caseload": "4", "pulse_comment": " busy month "})
    assert result.valid and result.total is None and result.severity is None
    assert result.answers == {"pulse_caseload": 4, "pulse_comment": "busy month"}


def test_an_answer_off_the_scale_invalidates() -> None:
    assert score("pulse", {"pulse_support": 6}).invalid_reason == "out_of_range:pulse_support"
    assert score("pulse", {"pulse_comment": "x" * 1001}).invalid_reason == (
        "out_of_range:pulse_comment"
    )


def test_pulse_is_kept_out_of_client_plans() -> None:
    assert "pulse" not in registry.client_codes()


def test_a_plan_rule_or_check_in_refuses_staff_instruments(app, make, clinician_a) -> None:

    from datetime import timedelta

    from mbc.assessments.check_ins import CheckInError, check_in_rows
    from mbc.clock import utcnow
    from mbc.delivery.plans import PlanError, check_rule
    from mbc.delivery.schedule import RuleValues

    client = make.client(clinician_a)
    with app.app_context():
        for code in ("cbi_work", "pulse"):
            with pytest.raises(PlanError):
                check_rule(RuleValues(rule="every_session", instruments=(code,)))
            with pytest.raises(CheckInError, match="staff questionnaire"):
                now = utcnow()
                later = now + timedelta(days=1)
                check_in_rows(client, [code], opens_at=now, closes_at=later, channel="sms")
