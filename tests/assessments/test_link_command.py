from __future__ import annotations

from sqlalchemy import select

from mbc.assessments.models import CheckIn
from mbc.audit.models import AuditEvent
from mbc.extensions import db


def test_mbc_link_prints_a_working_link(app, web, client_en) -> None:
    result = app.test_cli_runner().invoke(
        args=["link", client_en.client_ref, "--instrument", "phq9", "--instrument", "gad7"]
    )
    assert result.exit_code == 0, result.output
    link = result.output.strip()
    assert link.startswith("https://mbc.test/s/")
    assert web.get(link.removeprefix("https://mbc.test")).status_code == 200
    with app.app_context():
        check_in = db.session.scalar(select(CheckIn))
        assert [a.instrument_code for a in check_in.assignments] == ["phq9", "gad7"]
        assert (
            db.session.scalar(select(AuditEvent.action).where(AuditEvent.client_id == client_en.id))
            == "check_in.create"
        )


def test_mbc_link_refuses_unknown_clients_and_disabled_instruments(app, client_en) -> None:
    runner = app.test_cli_runner()
    unknown = runner.invoke(args=["link", "NOPE", "--instrument", "phq9"])
    assert unknown.exit_code == 1 and "no client with reference NOPE" in unknown.output
    licensed = runner.invoke(args=["link", client_en.client_ref, "--instrument", "ors"])
    assert "ors is licensed and not enabled" in licensed.output
    missing = runner.invoke(args=["link", client_en.client_ref, "--instrument", "bdi"])
    assert "no instrument 'bdi'" in missing.output
