from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from mbc.audit import services as audit
from mbc.auth.access import load_client_or_404
from mbc.auth.sessions import staff_required
from mbc.clients.queries import appointments_of, caseload, changes_of
from mbc.clock import utcnow
from mbc.extensions import db

bp = Blueprint("clinician", __name__)


@bp.get("/home")
@staff_required
def home() -> ResponseReturnValue:
    """The signed-in member of staff's own caseload (an admin sees every client)."""
    search = request.args.get("q", "")[:100]
    rows = db.session.execute(caseload(current_user, utcnow(), search=search)).all()
    audit.record("client.list", detail={"count": len(rows)})
    db.session.commit()
    return render_template("clinician/home.html", rows=rows, search=search)


@bp.get("/clients/<int:client_id>")
@staff_required
def client_detail(client_id: int) -> ResponseReturnValue:
    client = load_client_or_404(current_user, client_id, "client.view")
    appointments = appointments_of(client)
    changes = changes_of(client)
    db.session.commit()
    return render_template(
        "clinician/client.html",
        client=client,
        appointments=appointments,
        changes=changes,
        now=utcnow(),
    )
