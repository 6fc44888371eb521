"""The read API: metadata, Questionnaire, and searches for QuestionnaireResponse, Observation
and Patient. Each search is a fixed handful of statements whatever the client's history (the
caller, its rate limit, the patient, one page of responses, the audit row)."""

from __future__ import annotations

from typing import Any

from flask import request
from sqlalchemy import select

from mbc.assessments.models import Response
from mbc.audit import services as audit
from mbc.clients.models import Client
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.fhir import search
from mbc.fhir.api import answer, bp, caller, fail, require
from mbc.fhir.capability import capability_statement
from mbc.fhir.codes import Context
from mbc.fhir.patient import build_patient
from mbc.fhir.questionnaire import (
    build_questionnaire,
    instrument_coding,
    item_coding,
    questionnaire_id,
    total_coding,
)
from mbc.fhir.records import completed_responses, context, resources_of_response
from mbc.fhir.responses import CATEGORY, instant
from mbc.instruments import registry


def _searched(allowed: tuple[str, ...]) -> None:
    try:
        search.check_names(request.args, allowed)
    except search.SearchError as exc:
        raise fail(400, "invalid", str(exc), exc.parameter) from None


def _audit(resource: str, client_id: int | None, ids: list[str]) -> None:
    """Every call in the log like a person's view: who (the API client), what, which ids."""
    api = caller()
    audit.record(
        f"fhir.read.{resource}",
        client_id=client_id,
        target=f"api_client:{api.id}",
        detail={"api_client_id": api.id, "ids": ids, "parameters": sorted(request.args)},
        label=f"api:{api.id} {api.name}",
    )
    db.session.commit()


def searchset(resources: list[dict[str, Any]], ctx: Context, next_after: int | None) -> dict:
    path = request.path
    bundle: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "timestamp": instant(utcnow()),
        "link": [{"relation": "self", "url": ctx.base_url + request.full_path.rstrip("?")}],
        "entry": [
            {
                "fullUrl": f"{ctx.base_url}/fhir/{r['resourceType']}/{r['id']}",
                "resource": r,
                "search": {"mode": "match"},
            }
            for r in resources
        ],
    }
    if next_after is not None:
        args = {k: v for k, v in request.args.items(multi=True) if k != "_after"}
        query = "&".join(f"{k}={v}" for k, v in args.items())
        joiner = "&" if query else ""
        bundle["link"].append(
            {"relation": "next", "url": f"{ctx.base_url}{path}?{query}{joiner}_after={next_after}"}
        )
    return bundle


@bp.get("/metadata")
def metadata() -> Any:
    return answer(capability_statement(context()))


@bp.get("/Questionnaire/<resource_id>")
def questionnaire_read(resource_id: str) -> Any:
    require("read:responses")
    for code in registry.codes():
        for version in registry.versions(code):
            if questionnaire_id(code, version) == resource_id:
                _audit("Questionnaire", None, [resource_id])
                return answer(build_questionnaire(registry.get(code, version), context()))
    raise fail(404, "not-found", f"no Questionnaire {resource_id!r}")


def _patient_and_page(allowed: tuple[str, ...]) -> tuple[int, search.Page]:
    _searched(allowed)
    try:
        patient, paging = search.patient_id(request.args), search.page(request.args)
    except search.SearchError as exc:
        raise fail(400, "invalid", str(exc), exc.parameter) from None
    if db.session.get(Client, patient) is None:
        raise fail(404, "not-found", f"no Patient {patient}", "patient")
    return patient, paging


def _dated(query: Any, name: str) -> Any:
    try:
        start, end = search.date_range(request.args, name)
    except search.SearchError as exc:
        raise fail(400, "invalid", str(exc), exc.parameter) from None
    if start is not None:
        query = query.where(Response.completed_at >= start)
    if end is not None:
        query = query.where(Response.completed_at < end)
    return query


def _page_of_rows(query: Any, paging: search.Page) -> tuple[list[Any], int | None]:
    rows = db.session.execute(
        query.where(Response.id > paging.after).order_by(Response.id).limit(paging.count + 1)
    ).all()
    more = len(rows) > paging.count
    rows = rows[: paging.count]
    return rows, (rows[-1].id if more else None)


@bp.get("/QuestionnaireResponse")
def questionnaire_response_search() -> Any:
    require("read:responses")
    patient, paging = _patient_and_page(("patient", "_lastUpdated"))
    query = _dated(completed_responses().where(Response.client_id == patient), "_lastUpdated")
    rows, next_after = _page_of_rows(query, paging)
    ctx = context()
    found = [resources_of_response(row, ctx)[0] for row in rows]
    _audit("QuestionnaireResponse", patient, [r["id"] for r in found])
    return answer(searchset(found, ctx, next_after))


@bp.get("/Observation")
def observation_search() -> Any:
    """``_count`` counts responses: each brings its total's Observation and its items'."""
    require("read:responses")
    patient, paging = _patient_and_page(("patient", "code", "date", "category"))
    try:
        wanted = search.tokens(request.args, "code")
        categories = search.tokens(request.args, "category")
    except search.SearchError as exc:
        raise fail(400, "invalid", str(exc), exc.parameter) from None
    ctx = context()
    if categories is not None and not any(
        search.matches(c["coding"], categories) for c in CATEGORY
    ):  # every Observation here is a survey and a screening assessment
        _audit("Observation", patient, [])
        return answer(searchset([], ctx, None))
    query = _dated(completed_responses().where(Response.client_id == patient), "date")
    query = query.where(Response.is_valid.is_(True), Response.total.is_not(None))
    if wanted is not None:
        query = query.where(Response.instrument_code.in_(_instruments_coded(wanted, ctx)))
    rows, next_after = _page_of_rows(query, paging)
    found = [
        r
        for row in rows
        for r in resources_of_response(row, ctx)[1:]
        if wanted is None or search.matches(r["code"]["coding"], wanted)
    ]
    _audit("Observation", patient, [r["id"] for r in found])
    return answer(searchset(found, ctx, next_after))


def _instruments_coded(wanted: list[tuple[str | None, str]], ctx: Context) -> list[str]:
    """The instruments with an Observation coded as one of ``wanted`` (total or item)."""
    found = []
    for code in registry.codes():
        for version in registry.versions(code):
            d = registry.get(code, version)
            codings = [instrument_coding(d, ctx), total_coding(d, ctx)]
            codings += [item_coding(item, ctx) for item in d.items if item.loinc]
            if search.matches(codings, wanted):
                found.append(code)
                break
    return found


@bp.get("/Patient")
def patient_search() -> Any:
    api = require("read:responses")
    _searched(("identifier",))
    try:
        system, value = search.identifier(request.args)
    except search.SearchError as exc:
        raise fail(400, "invalid", str(exc), exc.parameter) from None
    ctx = context()
    client = None
    if system in (None, ctx.client_system):
        client = db.session.scalar(select(Client).where(Client.client_ref == value))
    found = [build_patient(client, ctx, contact=api.allows("read:contact"))] if client else []
    _audit("Patient", client.id if client else None, [r["id"] for r in found])
    return answer(searchset(found, ctx, None))
