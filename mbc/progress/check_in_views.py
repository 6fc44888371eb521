"""``/s/<token>/progress``: the progress page from a finished check-in's own link, on the
check-in pages' blueprint (its link checks, headers and language switch)."""

from __future__ import annotations

from flask import abort, redirect, url_for
from flask.typing import ResponseReturnValue

from mbc.clients.models import Client
from mbc.extensions import db
from mbc.practice.services import get_practice
from mbc.progress import services
from mbc.progress.views import notice, page
from mbc.survey.views import _check_in_or_stop, bp


@bp.get("/<token>/progress")
def progress(token: str) -> ResponseReturnValue:
    check_in = _check_in_or_stop(token, completed_ok=True)
    if check_in.status != "completed":
        return redirect(url_for("survey.start", token=token))
    client = db.session.get(Client, check_in.client_id)
    if not services.visible(get_practice(), client):
        abort(notice("off", 404, check_in.language))
    assert client is not None
    return page(client, "check_in", token=token, check_in_id=check_in.id)
