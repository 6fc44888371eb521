"""``/dev/outbox``: what the console backends "sent", with clickable links, so a newcomer can
play the client. Registered only outside production (the route does not exist there), and
for admins only even so: it lists staff password-reset links and every client's check-in link."""

from __future__ import annotations

import re

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from markupsafe import Markup, escape
from sqlalchemy import select

from mbc.auth.sessions import role_required
from mbc.delivery.models import DevOutboxEntry
from mbc.extensions import db

bp = Blueprint("dev_outbox", __name__, url_prefix="/dev")
URL = re.compile(r"https?://[^\s<>\"]+")


def linkify(text: str) -> Markup:
    """Escape ``text`` and make its URLs clickable."""
    out, last = [], 0
    for match in URL.finditer(text):
        out.append(escape(text[last : match.start()]))
        url = match.group(0)
        out.append(Markup('<a href="{0}">{0}</a>').format(url))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


@bp.get("/outbox")
@role_required("admin")
def outbox() -> ResponseReturnValue:
    entries = db.session.scalars(
        select(DevOutboxEntry).order_by(DevOutboxEntry.id.desc()).limit(200)
    ).all()
    return render_template("delivery/dev_outbox.html", entries=entries, linkify=linkify)
