"""Gzip for the check-in pages, in the app, so a phone gets about 3 KB instead of 10 whatever
serves mbc (``mbc run``, gunicorn alone, or a proxy that does not compress).

Only the client pages' HTML is compressed, and that is safe from BREACH. BREACH recovers a
secret from a compressed response by making the victim's browser request the page many times
with attacker-chosen text reflected next to the secret, watching the sizes. A check-in page
reflects nothing an attacker can choose: its only inputs are the link in the path (itself the
secret: whoever can make a browser request it already has it), the language, and the client's
own saved answers (written only by a CSRF-checked POST from the same page). The CSRF token has
no attacker-controlled neighbour to be guessed against. Staff pages are different (a search box
echoes its query beside a CSRF token), so they are never compressed here; a proxy in front
must not compress them either (README, Running in production).
"""

from __future__ import annotations

import gzip

from flask import Request, Response

MIN_BYTES = 512  # smaller bodies gain less than the gzip header costs
LEVEL = 6


def gzip_html(request: Request, response: Response) -> Response:
    """Compress ``response`` in place when it is HTML and the browser accepts gzip."""
    response.vary.add("Accept-Encoding")
    if (
        response.direct_passthrough
        or response.mimetype != "text/html"
        or "Content-Encoding" in response.headers
        or not request.accept_encodings["gzip"]
    ):
        return response
    body = response.get_data()
    if len(body) < MIN_BYTES:
        return response
    response.set_data(gzip.compress(body, compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    return response
