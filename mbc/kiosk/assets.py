"""The kiosk pages' extra inline style and idle script, allowed by hash like the check-in's."""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from mbc.survey.assets import inline


def _hash(name: str) -> str:
    digest = hashlib.sha256(str(inline(name)).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@cache
def content_security_policy() -> str:
    """The check-in pages' policy, with the kiosk's stylesheet and idle script added."""
    return (
        f"default-src 'none'; img-src data:; "
        f"style-src {_hash('survey.css')} {_hash('kiosk.css')}; "
        f"script-src {_hash('vas.js')} {_hash('kiosk.js')}; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
