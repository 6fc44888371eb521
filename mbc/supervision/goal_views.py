"""Agreed goals: the clinician's own page, the supervisor's form on the review page, and each
goal's page with its notes. Only the clinician and their supervisors reach any of them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from mbc.auth.models import StaffUser
from mbc.auth.sessions import staff_required
from mbc.extensions import db
from mbc.supervision import goals, services
from mbc.supervision.forms import GoalForm, GoalNoteForm, GoalUpdateForm
from mbc.supervision.models import AgreedGoal
from mbc.supervision.views import bp, supervisee_or_404


def _me() -> StaffUser:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


def _values(form: GoalForm) -> goals.GoalValues:
    return goals.GoalValues(
        kind=form.kind.data,
        title=(form.title.data or "").strip(),
        description=(form.description.data or "").strip(),
        review_on=form.review_on.data,  # type: ignore[arg-type]
    )


def _goal_or_404(goal_id: int) -> AgreedGoal:
    goal = db.session.get(AgreedGoal, goal_id)
    if goal is None or not goals.may_see(_me(), goal.clinician_id):
        abort(404)
    return goal


@bp.route("/me/goals", methods=["GET", "POST"])
@staff_required
def my_goals() -> ResponseReturnValue:
    me = _me()
    form = GoalForm()
    if form.validate_on_submit():
        goals.add_goal(me, _values(form), actor=me)
        db.session.commit()
        flash(_("Goal recorded."), "success")
        return redirect(url_for("supervision.my_goals"))
    supervisees = services.supervisees_of(me)
    return render_template(
        "supervision/my_goals.html",
        form=form,
        own=goals.goals_of(me.id),
        theirs=[(person, goals.goals_of(person.id)) for person in supervisees],
        kinds=goals.KINDS,
        statuses=goals.STATUSES,
    ), (400 if request.method == "POST" else 200)


@bp.post("/supervision/<int:user_id>/goals")
@staff_required
def goal_add(user_id: int) -> ResponseReturnValue:
    """A supervisor records a goal agreed with their supervisee (from the review page)."""
    clinician = supervisee_or_404(user_id)
    if not services.supervises(_me(), clinician.id):
        abort(404)  # an admin reads reviews but does not set anyone's goals
    form = GoalForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("supervision.review_page", user_id=clinician.id, _anchor="goals"))
    goals.add_goal(clinician, _values(form), actor=_me())
    db.session.commit()
    flash(_("Goal recorded."), "success")
    return redirect(url_for("supervision.review_page", user_id=clinician.id, _anchor="goals"))


@bp.get("/goals/<int:goal_id>")
@staff_required
def goal_page(goal_id: int) -> ResponseReturnValue:
    goal = _goal_or_404(goal_id)
    return _render_goal(goal, GoalNoteForm(formdata=None), _update_form(goal))


def _update_form(goal: AgreedGoal, formdata: object = None) -> GoalUpdateForm:
    if formdata is not None:
        return GoalUpdateForm(formdata=formdata)
    return GoalUpdateForm(formdata=None, data={"status": goal.status, "review_on": goal.review_on})


def _render_goal(
    goal: AgreedGoal, note_form: GoalNoteForm, update_form: GoalUpdateForm, status: int = 200
) -> ResponseReturnValue:
    clinician = db.session.get(StaffUser, goal.clinician_id)
    return render_template(
        "supervision/goal.html",
        goal=goal,
        clinician=clinician,
        note_form=note_form,
        update_form=update_form,
        kinds=goals.KINDS,
        statuses=goals.STATUSES,
    ), status


@bp.post("/goals/<int:goal_id>/notes")
@staff_required
def goal_note(goal_id: int) -> ResponseReturnValue:
    goal = _goal_or_404(goal_id)
    form = GoalNoteForm()
    if not form.validate_on_submit():
        return _render_goal(goal, form, _update_form(goal), 400)
    goals.add_note(goal, (form.body.data or "").strip(), actor=_me())
    db.session.commit()
    flash(_("Note added."), "success")
    return redirect(url_for("supervision.goal_page", goal_id=goal.id))


@bp.post("/goals/<int:goal_id>/update")
@staff_required
def goal_update(goal_id: int) -> ResponseReturnValue:
    goal = _goal_or_404(goal_id)
    form = _update_form(goal, request.form)
    if not form.validate_on_submit():
        return _render_goal(goal, GoalNoteForm(formdata=None), form, 400)
    changed = goals.update_goal(goal, form.status.data, form.review_on.data, actor=_me())  # type: ignore[arg-type]
    db.session.commit()
    flash(_("Changes saved.") if changed else _("Nothing changed."), "success")
    return redirect(url_for("supervision.goal_page", goal_id=goal.id))
