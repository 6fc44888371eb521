"""Check-in pages: ``/s/<token>`` and its steps. Thin: the assessments services do the work."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from mbc.assessments import services
from mbc.assessments.links import InvalidLink
from mbc.assessments.models import Assignment, CheckIn
from mbc.auth import throttle
from mbc.clients.models import Client
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.i18n import SUPPORTED
from mbc.practice import crisis
from mbc.practice.services import get_practice
from mbc.survey.assets import content_security_policy, inline
from mbc.survey.compression import gzip_html
from mbc.survey.forms import LanguageForm
from mbc.survey.pages import message_page, score_lines, step_context

bp = Blueprint("survey", __name__, url_prefix="/s")
bp.add_app_template_global(inline, "inline_asset")
MAX_BODY = 64 * 1024  # a check-in page posts a few hundred bytes
CONTROL_FIELDS = {"csrf_token", "action", "confirm_skips"}


@bp.url_value_preprocessor
def _load_check_in(_endpoint: str | None, values: dict[str, Any] | None) -> None:
    """Resolve the link before anything else, so even a CSRF error speaks the client's language."""
    request.max_content_length = MAX_BODY
    g.check_in = g.link = None
    token = (values or {}).get("token")
    if token is None:
        return
    try:
        g.check_in, g.link = services.resolve_link(token, lock=request.method == "POST")
        g.locale = g.check_in.language
    except InvalidLink:
        g.check_in = None
    # Every check-in page shows the practice (its name and contact). The link's query read it
    # with the check-in, so this finds it in the session; otherwise it is read now, in the
    # transaction the page commits, not in a second one after it (on PostgreSQL a pool
    # checkout, its ping, a query and a rollback).
    get_practice()


@bp.after_request
def _private(response: Any) -> Any:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Content-Security-Policy"] = content_security_policy()
    return gzip_html(request, response)


def _check_in_or_stop(token: str, *, completed_ok: bool = False) -> CheckIn:
    """The open check-in (or a completed one, with ``completed_ok``), or the page that says why
    not (404 invalid, 410 closed or cancelled, 200 done)."""
    check_in = g.check_in
    if check_in is None:
        # Only failed links are counted and slowed: a valid link costs no extra query, and a
        # client sharing an address with a guesser can still answer.
        paused = throttle.bad_token(request.remote_addr)
        db.session.commit()
        abort(message_page("too_many", 429) if paused else message_page("invalid", 404))
    now = utcnow()
    current = services.state(check_in, now)
    if current == "completed" and (not completed_ok or now >= check_in.closes_at):
        abort(message_page("done", 200))  # after the link's time, nothing of it is shown
    if current in ("closed", "cancelled", "not_open"):
        abort(message_page(current, 403 if current == "not_open" else 410))
    if missing := services.unavailable(check_in):
        # Never a server error: a clear page for the client and an alert for staff.
        services.report_unavailable(check_in, missing, now)
        db.session.commit()
        abort(message_page("unavailable", 200))
    return check_in


@bp.get("/<token>")
def start(token: str) -> ResponseReturnValue:
    check_in = _check_in_or_stop(token)
    if services.mark_opened(check_in, g.link, utcnow()):
        db.session.commit()
    step = services.next_step(check_in)
    started = any(a.response is not None and a.response.started_at for a in check_in.assignments)
    if step is not None and started:
        return redirect(url_for("survey.step", token=token, step=step))
    items = sum(len(services.definition_of(a).scored_items) for a in check_in.assignments)
    return render_template(
        "survey/intro.html",
        token=token,
        check_in=check_in,
        n_questions=items,
        minutes=max(1, round(items * 10 / 60)),
    )


@bp.route("/<token>/<int:step>", methods=["GET", "POST"])
def step(token: str, step: int) -> ResponseReturnValue:
    check_in = _check_in_or_stop(token, completed_ok=True)
    assignment = _assignment(check_in, step)
    now = utcnow()
    if check_in.status == "completed":  # reopened after the end: answers shown, not editable
        notice = "not_saved" if request.method == "POST" else "read_only"
        return _read_only(token, check_in, assignment, notice)
    services.mark_opened(check_in, g.link, now)
    if request.method == "GET":
        answers = services.open_step(check_in, assignment, now)
        db.session.commit()
        context = step_context(check_in, assignment, answers)
        return render_template("survey/step.html", token=token, **context)
    return _save_step(token, check_in, assignment, now)


def _save_step(
    token: str, check_in: CheckIn, assignment: Assignment, now: Any
) -> ResponseReturnValue:
    # The CSRF token was checked (by CSRFProtect, before this view); the answers are checked
    # here, against the instrument's own items and options.
    definition = services.definition_of(assignment)
    unexpected = set(request.form) - CONTROL_FIELDS - {i.id for i in definition.items}
    if unexpected:
        abort(message_page("unexpected_fields", 400))
    answers, invalid = services.parse_page(definition, request.form.to_dict())
    if invalid:  # the page again, with what was sent and the question to correct
        db.session.commit()
        return _wrong_value(token, check_in, assignment, answers, invalid)
    skipped = [i for i in definition.scored_items if answers[i.id] is None]
    going_back = request.form.get("action") == "back"
    response = assignment.response
    confirmed = request.form.get("confirm_skips") == "1" or bool(
        response is not None and response.skips_prompted_at
    )
    complete = not going_back and (not skipped or confirmed)
    saved = services.save_answers(check_in, assignment, answers, complete=complete, now=now)
    if saved.read_only:
        db.session.commit()
        return _read_only(token, check_in, assignment, "not_saved")
    prompting = not going_back and not complete
    if prompting:  # one gentle prompt naming the skipped questions, once per page
        services.note_skip_prompt(saved.response, now)
    db.session.commit()
    if going_back:
        return redirect(url_for("survey.step", token=token, step=max(1, assignment.position - 1)))
    if prompting:
        context = step_context(check_in, assignment, services.storable(answers))
        return render_template(
            "survey/step.html",
            token=token,
            skipped=skipped,
            crisis=saved.crisis,
            crisis_text_now=crisis_text(check_in.language),
            **context,
        )
    if saved.crisis:
        return redirect(url_for("survey.support", token=token))
    return _after(token, check_in)


def _wrong_value(
    token: str, check_in: CheckIn, assignment: Assignment, answers: dict, invalid: str
) -> ResponseReturnValue:
    """Nothing is saved, nothing typed is lost: the page shows the sent answers again, the
    refused one as typed (only number and text questions can be typed), and says which."""
    shown = services.storable(answers)
    item_id = invalid.partition(":")[2]
    definition = services.definition_of(assignment)
    wrong = next((i for i in definition.items if i.id == item_id), None)
    if wrong is not None and wrong.kind != "choice":
        shown[item_id] = (request.form.get(item_id) or "")[:40]
    context = step_context(check_in, assignment, shown)
    html = render_template("survey/step.html", token=token, wrong=wrong, **context)
    return html, 422


def _read_only(
    token: str, check_in: CheckIn, assignment: Assignment, notice: str
) -> ResponseReturnValue:
    """A page of a completed check-in (while its link is open): its answers, without a form,
    and why."""
    response = assignment.response
    answers = dict(response.answers) if response is not None else {}
    context = step_context(check_in, assignment, answers)
    return render_template("survey/step.html", token=token, read_only=notice, **context)


def _after(token: str, check_in: CheckIn) -> ResponseReturnValue:
    following = services.next_step(check_in)
    if following is None:
        return redirect(url_for("survey.done", token=token))
    return redirect(url_for("survey.step", token=token, step=following))


@bp.get("/<token>/support")
def support(token: str) -> ResponseReturnValue:
    """Crisis resources, shown at once after an endorsed critical item."""
    check_in = _check_in_or_stop(token, completed_ok=True)
    following = services.next_step(check_in)
    return render_template(
        "survey/support.html",
        token=token,
        here="support",
        check_in=check_in,
        crisis_text=crisis_text(check_in.language),
        next_step=following,
    )


@bp.get("/<token>/done")
def done(token: str) -> ResponseReturnValue:
    check_in = _check_in_or_stop(token, completed_ok=True)
    if check_in.status != "completed":
        return redirect(url_for("survey.start", token=token))
    scores = score_lines(check_in) if get_practice().show_scores_to_clients else []
    return render_template(
        "survey/done.html",
        token=token,
        here="done",
        check_in=check_in,
        scores=scores,
        progress_shared=progress_shared(check_in),
    )


@bp.post("/<token>/language")
def language(token: str) -> ResponseReturnValue:
    check_in = _check_in_or_stop(token, completed_ok=True)
    form = LanguageForm()
    chosen = request.form.get("language")
    if not form.validate_on_submit() or chosen not in SUPPORTED:
        abort(400)
    check_in.language = chosen
    for assignment in check_in.assignments:  # drafts follow; completed answers keep theirs
        response = assignment.response
        if response is not None and response.status == "draft":
            response.language = services.language_for(services.definition_of(assignment), chosen)
    db.session.commit()
    return redirect(_same_page(token, request.form.get("here", "")))


def _same_page(token: str, here: str) -> str:
    """Where the language switch was tapped: the same step, the crisis page or the end."""
    if here in ("support", "done", "progress"):
        return url_for(f"survey.{here}", token=token)
    if here.isdigit() and len(here) < 4:
        return url_for("survey.step", token=token, step=int(here))
    return url_for("survey.start", token=token)


def _assignment(check_in: CheckIn, position: int) -> Assignment:
    for assignment in check_in.assignments:
        if assignment.position == position:
            return assignment
    abort(message_page("invalid", 404))


def progress_shared(check_in: CheckIn) -> bool:
    """Whether the done page offers "see your progress" (mbc.progress)."""
    from mbc.progress.services import visible

    if not get_practice().client_progress_enabled:  # no query when the practice has it off
        return False
    return visible(get_practice(), db.session.get(Client, check_in.client_id))


def crisis_text(language: str) -> str:
    return crisis.crisis_text(get_practice(), language)


from mbc.progress import check_in_views  # noqa: E402,F401 - registers /s/<token>/progress on bp
