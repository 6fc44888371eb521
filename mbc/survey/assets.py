"""The check-in pages' stylesheet and slider script, inlined so that a page is one request.

On a weak mobile connection every extra round trip costs hundreds of milliseconds, and a
stylesheet on its own URL costs one on every page (a revalidation at best). Both files are small
(about 2 KB and 1 KB), so each page carries them. The Content-Security-Policy of the check-in
pages allows exactly these two texts by their SHA-256 hashes, and nothing else inline.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache
from pathlib import Path

from markupsafe import Markup

STATIC = Path(__file__).resolve().parent.parent / "static"


@cache
def inline(name: str) -> Markup:
    """The text of ``mbc/static/<name>``, as it goes between the tags (never escaped)."""
    return Markup((STATIC / name).read_text(encoding="utf-8").strip())


def _csp_hash(name: str) -> str:
    digest = hashlib.sha256(str(inline(name)).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@cache
def content_security_policy() -> str:
    """No requests but the page's own form posts: styles and scripts only as inlined here
    (progress.css: the client's progress page, mbc.progress), images only as data URIs."""
    return (
        f"default-src 'none'; img-src data:; "
        f"style-src {_csp_hash('survey.css')} {_csp_hash('progress.css')}; "
        f"script-src {_csp_hash('vas.js')}; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    )
