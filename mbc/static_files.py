"""Static files under content-hashed URLs with a year's ``immutable`` cache, and a favicon.

``url_for('static', filename=...)`` adds ``?v=<hash of the file>``; a request carrying the
file's current hash may be cached for a year without revalidation, since a changed file gets a
new URL. Without it (or with a stale hash) Flask's usual revalidation applies. Browsers that ask
for ``/favicon.ico`` by themselves get an empty answer they may keep for a year, not a 404 on
every page (the pages name a data-URI icon, which costs no request).
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from flask import Flask, Response, request

YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={YEAR}, immutable"


def init_static(app: Flask) -> None:
    folder = Path(app.static_folder or "")

    @cache
    def version(filename: str) -> str | None:
        path = (folder / filename).resolve()
        if folder.resolve() not in path.parents or not path.is_file():
            return None
        return hashlib.sha256(path.read_bytes()).hexdigest()[:12]

    @app.url_defaults
    def _versioned(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "v" not in values:
            hashed = version(values.get("filename", ""))
            if hashed:
                values["v"] = hashed

    @app.after_request
    def _cache_versioned(response: Response) -> Response:
        if request.endpoint == "static" and response.status_code == 200:
            wanted = request.args.get("v")
            if wanted and wanted == version(request.view_args.get("filename", "")):  # type: ignore[union-attr]
                response.headers["Cache-Control"] = IMMUTABLE
        return response

    @app.get("/favicon.ico")
    def favicon() -> Response:
        response = Response(status=204)
        response.headers["Cache-Control"] = IMMUTABLE
        return response
