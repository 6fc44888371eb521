"""The kiosk's pages (``/kiosk/``): the neutral start page, then the check-in's own pages.

The questionnaire pages are the check-in's templates (mbc/templates/survey), rendered with a
``url_for`` that turns the check-in's endpoints into the kiosk's, which carry no token: the
check-in is reached only through the device's open visit (mbc.kiosk.visits), so once a visit
ends, no address in the browser's history leads back to it.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError

from mbc.assessments import services
from mbc.assessments.models import Assignment, CheckIn
from mbc.auth import throttle
from mbc.clock import utcnow
from mbc.extensions import db
from mbc.i18n import SUPPORTED
from mbc.kiosk import codes, devices, visits
from mbc.kiosk.assets import content_security_policy
from mbc.kiosk.forms import CodeForm
from mbc.kiosk.pages import kiosk_url, message, start_page
from mbc.practice import crisis
from mbc.practice.services import get_practice
from mbc.survey.compression import gzip_html
from mbc.survey.pages import step_context
from mbc.survey.views import CONTROL_FIELDS, MAX_BODY

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")


@bp.before_request
def _device() -> ResponseReturnValue | None:
    """Every kiosk page needs an enrolled, active device; its open visit, if any, is loaded."""
    request.max_content_length = MAX_BODY
    g.device = devices.from_request(request)
    g.visit = g.check_in = None
    lang = request.values.get("lang")
    if lang in SUPPORTED:
        g.locale = lang
    get_practice()
    if g.device is None:
        return message("not_enrolled", 403)
    if not g.device.is_active:
        return message("revoked", 403)
    now = utcnow()
    devices.touch(g.device, now)
    if request.endpoint != "kiosk.start":
        g.visit = visits.current(g.device, now)
        if g.visit is not None:
            g.check_in = db.session.get(
                CheckIn, g.visit.check_in_id, with_for_update=request.method == "POST"
            )
            g.locale = g.check_in.language
    return None


@bp.after_request
def _private(response: Response) -> Response:
    """Nothing of a kiosk page may be kept: not in the cache, not for Back, not as a referrer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Content-Security-Policy"] = content_security_policy()
    db.session.commit()  # last seen, an idle visit ended
    return gzip_html(request, response)


@bp.errorhandler(CSRFError)
def _expired(_error: CSRFError) -> ResponseReturnValue:
    """A form from before a reset (Back, then Send): nothing is saved, and the start page says
    so."""
    db.session.rollback()
    device = devices.from_request(request)  # CSRF is checked before this blueprint's hooks
    if device is None or not device.is_active:
        return message("revoked" if device else "not_enrolled", 403)
    return start_page(CodeForm(formdata=None), error="expired", status=400)


def _visit_or_start() -> CheckIn:
    """The check-in on screen, or (no visit: finished, idle, reset) the start page."""
    check_in = g.check_in
    if check_in is None:
        abort(redirect(url_for("kiosk.start")))
    if services.state(check_in, utcnow()) != "open":
        _end("finished")
        abort(redirect(url_for("kiosk.start")))
    if missing := services.unavailable(check_in):
        # As on a link: a clear page, and an alert for staff; never a server error.
        services.report_unavailable(check_in, missing, utcnow())
        _end("reset")
        abort(message("unavailable", 200))
    return check_in


def _end(reason: str) -> None:
    visits.end_all(g.device, reason, utcnow())
    session.clear()  # the form's CSRF secret goes too: a new one comes with the start page


@bp.route("/", methods=["GET", "POST"])
def start() -> ResponseReturnValue:
    """The neutral start page: no names, no schedule, one field for the code."""
    now = utcnow()
    if request.method == "GET":
        visits.end_all(g.device, "reset", now)
        return start_page(CodeForm(formdata=None), finished=request.args.get("done") == "1")
    form = CodeForm()
    if not form.validate_on_submit():
        return start_page(form, error="format", status=400)
    typed = "".join((form.code.data or "").split())
    if not codes.is_code(typed):
        return start_page(form, error="format", status=400)
    key = throttle.kiosk_key(g.device.id)
    wait = throttle.seconds_to_wait([key])
    if wait:
        return start_page(form, error="too_many", wait=wait, status=429)
    check_in = codes.find(typed, now)
    if check_in is None:
        wait = throttle.attempt([key]) or throttle.seconds_to_wait([key])
        return start_page(form, error="wrong", wait=wait, status=429 if wait else 401)
    state = services.state(check_in, now)
    if state != "open":
        kind = {"completed": "done"}.get(state, state)
        return message(kind, 200 if state == "completed" else 410)
    session.clear()
    visits.start(g.device, check_in, now)
    services.mark_opened(check_in, None, now)
    return redirect(url_for("kiosk.intro"))


@bp.get("/check-in")
def intro() -> ResponseReturnValue:
    check_in = _visit_or_start()
    step = services.next_step(check_in)
    started = any(a.response is not None and a.response.started_at for a in check_in.assignments)
    if step is not None and started:
        return redirect(url_for("kiosk.step", step=step))
    items = sum(len(services.definition_of(a).scored_items) for a in check_in.assignments)
    return _render(
        "kiosk/intro.html",
        check_in=check_in,
        n_questions=items,
        minutes=max(1, round(items * 10 / 60)),
    )


@bp.route("/step/<int:step>", methods=["GET", "POST"])
def step(step: int) -> ResponseReturnValue:
    check_in = _visit_or_start()
    assignment = _assignment(check_in, step)
    now = utcnow()
    if request.method == "GET":
        answers = services.open_step(check_in, assignment, now)
        return _render("kiosk/step.html", **step_context(check_in, assignment, answers))
    return _save_step(check_in, assignment, now)


def _save_step(check_in: CheckIn, assignment: Assignment, now: Any) -> ResponseReturnValue:
    """As on a check-in link (mbc.survey.views): checked against the instrument, one gentle
    prompt for skipped questions, crisis resources at once after a critical item."""
    definition = services.definition_of(assignment)
    if set(request.form) - CONTROL_FIELDS - {i.id for i in definition.items}:
        return message("unexpected_fields", 400)
    answers, invalid = services.parse_page(definition, request.form.to_dict())
    if invalid:
        shown = services.storable(answers)
        item_id = invalid.partition(":")[2]
        wrong = next((i for i in definition.items if i.id == item_id), None)
        if wrong is not None and wrong.kind != "choice":
            shown[item_id] = (request.form.get(item_id) or "")[:40]
        context = step_context(check_in, assignment, shown)
        return _render("kiosk/step.html", wrong=wrong, **context), 422
    skipped = [i for i in definition.scored_items if answers[i.id] is None]
    going_back = request.form.get("action") == "back"
    response = assignment.response
    confirmed = request.form.get("confirm_skips") == "1" or bool(
        response is not None and response.skips_prompted_at
    )
    complete = not going_back and (not skipped or confirmed)
    saved = services.save_answers(check_in, assignment, answers, complete=complete, now=now)
    if saved.read_only:
        return redirect(url_for("kiosk.done"))
    if going_back:
        return redirect(url_for("kiosk.step", step=max(1, assignment.position - 1)))
    if not complete:
        services.note_skip_prompt(saved.response, now)
        context = step_context(check_in, assignment, services.storable(answers))
        return _render(
            "kiosk/step.html",
            skipped=skipped,
            crisis=saved.crisis,
            crisis_text_now=_crisis_text(check_in),
            **context,
        )
    if saved.crisis:
        return redirect(url_for("kiosk.support"))
    following = services.next_step(check_in)
    if following is None:
        return redirect(url_for("kiosk.done"))
    return redirect(url_for("kiosk.step", step=following))


@bp.get("/support")
def support() -> ResponseReturnValue:
    """Crisis resources, and the front desk told (their screens show it): ask the client to
    go to them now."""
    check_in = g.check_in
    if check_in is None:
        return redirect(url_for("kiosk.start"))
    return _render(
        "kiosk/support.html",
        here="support",
        check_in=check_in,
        crisis_text=_crisis_text(check_in),
        next_step=services.next_step(check_in) if check_in.status == "open" else None,
    )


@bp.get("/done")
def done() -> ResponseReturnValue:
    """The end: the visit is closed before the page is sent, so nothing of it is left."""
    if g.check_in is None or g.check_in.status != "completed":
        return redirect(url_for("kiosk.start"))
    _end("finished")
    return redirect(url_for("kiosk.start", done=1))


@bp.get("/reset")
def reset() -> ResponseReturnValue:
    """The idle timer's (and the "Start over" link's) way back to the start page."""
    _end("idle" if request.args.get("idle") == "1" else "reset")
    return redirect(url_for("kiosk.start"))


@bp.post("/language")
def language() -> ResponseReturnValue:
    check_in = _visit_or_start()
    from mbc.survey.forms import LanguageForm

    chosen = request.form.get("language")
    if not LanguageForm().validate_on_submit() or chosen not in SUPPORTED:
        return message("expired_form", 400)
    check_in.language = chosen
    for assignment in check_in.assignments:
        response = assignment.response
        if response is not None and response.status == "draft":
            response.language = services.language_for(services.definition_of(assignment), chosen)
    here = request.form.get("here", "")
    if here == "support":
        return redirect(url_for("kiosk.support"))
    if here.isdigit() and len(here) < 4:
        return redirect(url_for("kiosk.step", step=int(here)))
    return redirect(url_for("kiosk.intro"))


def _render(template: str, **context: Any) -> str:
    """A check-in template as a kiosk page: its links go to the kiosk's endpoints (no token),
    with the idle timer's settings."""
    config = current_app.config
    return render_template(
        template,
        url_for=kiosk_url,
        token="kiosk",  # the templates show the language switch when a token is set
        idle_seconds=config["KIOSK_IDLE_SECONDS"],
        warning_seconds=config["KIOSK_IDLE_WARNING_SECONDS"],
        **context,
    )


def _assignment(check_in: CheckIn, position: int) -> Assignment:
    for assignment in check_in.assignments:
        if assignment.position == position:
            return assignment
    abort(redirect(url_for("kiosk.intro")))


def _crisis_text(check_in: CheckIn) -> str:
    return crisis.crisis_text(get_practice(), check_in.language)
