"""The FHIR API's blueprint: bearer-token callers, their rate limit, OperationOutcome errors and
``application/fhir+json`` answers. No cookies are read or set and no CSRF token applies: the
caller is a system, identified by its token alone."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, current_app, g, request
from sqlalchemy import update
from werkzeug.exceptions import HTTPException

from mbc.auth import throttle
from mbc.clock import utcnow
from mbc.extensions import csrf, db
from mbc.fhir import api_clients
from mbc.fhir.models import ApiClient

bp = Blueprint("fhir", __name__, url_prefix="/fhir")
csrf.exempt(bp)

FHIR_JSON = "application/fhir+json; fhirVersion=4.0; charset=utf-8"
PUBLIC = ("fhir.metadata",)


class FhirError(Exception):
    """An error answered as an OperationOutcome; ``issues`` are (code, diagnostics, element)."""

    def __init__(
        self,
        status: int,
        issues: list[tuple[str, str, str | None]],
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(issues[0][1])
        self.status = status
        self.issues = issues
        self.headers = headers or {}


def fail(status: int, code: str, diagnostics: str, element: str | None = None) -> FhirError:
    return FhirError(status, [(code, diagnostics, element)])


def outcome(issues: list[tuple[str, str, str | None]], severity: str = "error") -> dict[str, Any]:
    found = []
    for code, diagnostics, element in issues:
        issue: dict[str, Any] = {"severity": severity, "code": code, "diagnostics": diagnostics}
        if element:
            issue["expression"] = [element]
        found.append(issue)
    return {"resourceType": "OperationOutcome", "issue": found}


def answer(resource: dict[str, Any], status: int = 200, **headers: str) -> Response:
    body = json.dumps(resource, ensure_ascii=False, separators=(",", ":"))
    return Response(body, status=status, content_type=FHIR_JSON, headers=headers)


def caller() -> ApiClient:
    return g.api_client  # type: ignore[no-any-return]


def require(scope: str) -> ApiClient:
    client = caller()
    if not client.allows(scope):
        raise fail(403, "forbidden", f"this API client's token does not have the {scope} scope")
    return client


@bp.before_request
def _authenticate() -> Response | None:
    """Bearer token, then one counted call on the client's rate limit (mbc.auth.throttle)."""
    if current_app.config["ENV"] == "production" and not request.is_secure:
        # A token sent in clear text is spent: refuse before reading it (README: TLS).
        raise fail(403, "security", "the FHIR API is served over https only")
    if request.endpoint in PUBLIC:
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    client = api_clients.by_token(token.strip()) if scheme.lower() == "bearer" else None
    if client is None:
        db.session.rollback()
        raise fail(401, "login", "send a valid API token as 'Authorization: Bearer <token>'")
    wait = throttle.attempt([throttle.api_key(client.id)])
    if wait:
        db.session.commit()  # the count stands
        issue = ("throttled", f"too many calls: wait {wait} s", None)
        raise FhirError(429, [issue], {"Retry-After": str(wait)})
    db.session.execute(
        update(ApiClient).where(ApiClient.id == client.id).values(last_used_at=utcnow())
    )
    g.api_client = client
    return None


@bp.errorhandler(FhirError)
def _fhir_error(error: FhirError) -> Response:
    db.session.rollback()
    headers = dict(error.headers)
    if error.status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="mbc"'
    return answer(outcome(error.issues), error.status, **headers)


def http_error(error: HTTPException) -> Response:
    """Any other HTTP error under /fhir/ (an unknown path, a method not allowed, too large)."""
    db.session.rollback()
    code = error.code or 500
    kind = {404: "not-found", 405: "not-supported", 413: "too-costly"}.get(code, "processing")
    diagnostics = {
        404: "no such resource or interaction",
        405: f"{request.method} is not supported here",
    }.get(code, error.description or "error")
    current_app.logger.info("fhir %s %s -> %s", request.method, request.endpoint, code)
    return answer(outcome([(kind, diagnostics, None)]), code)
