"""Two-factor sign-in pages: the code after the password (``/signin/code``) and a member of
staff's own enrolment, recovery codes and switch-off (``/account/two-factor``)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from mbc.audit import services as audit
from mbc.auth import throttle, two_factor
from mbc.auth.forms import CodeForm, EnrolForm, PasswordCheckForm
from mbc.auth.models import StaffUser
from mbc.auth.passwords import verify_password
from mbc.auth.services import attempt_second_step
from mbc.auth.sessions import staff_required, start_session
from mbc.auth.views import PENDING_KEY, _safe_next, bp, home_for, refused, wait_message
from mbc.extensions import db


def _me() -> StaffUser:
    return current_user._get_current_object()  # type: ignore[attr-defined,no-any-return]


@bp.route("/signin/code", methods=["GET", "POST"])
def signin_code() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(home_for(current_user))
    user = two_factor.pending_user(session.get(PENDING_KEY))
    if user is None:
        session.pop(PENDING_KEY, None)
        flash(_("Please sign in again: the time for the code ran out."), "info")
        return redirect(url_for("auth.signin", next=_safe_next(request.args.get("next"))))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        result = attempt_second_step(user, form.code.data or "", request.remote_addr)
        if result.user is not None:
            start_session(result.user)  # clears the pending marker with the rest
            audit.record("signin", actor=result.user, detail={"second_step": result.method})
            db.session.commit()
            if result.method == "recovery_code":
                left = two_factor.recovery_codes_left(result.user)
                flash(
                    _(
                        "You used a recovery code; %(num)s left. Make new ones on the two-factor "
                        "page if you are running short.",
                        num=left,
                    ),
                    "info",
                )
            return redirect(_safe_next(request.args.get("next")) or home_for(result.user))
        status = refused(
            result.wait_seconds,
            _("That code is not right, or was used already. Try the newest one."),
        )
    elif request.method == "POST":
        status = 400
    return render_template("auth/signin_code.html", form=form), status


@bp.get("/account/two-factor")
@staff_required
def two_factor_page() -> ResponseReturnValue:
    user = _me()
    if user.two_factor_enabled:
        return render_template(
            "auth/two_factor.html",
            user=user,
            left=two_factor.recovery_codes_left(user),
            required=two_factor.required_for(user),
            codes_form=PasswordCheckForm(formdata=None, prefix="codes"),
            off_form=PasswordCheckForm(formdata=None, prefix="off"),
        )
    if not user.totp_secret:  # a new secret for this enrolment (kept until it is confirmed)
        two_factor.begin_enrolment(user)
        db.session.commit()
    return _enrol_page(user, EnrolForm(formdata=None))


def _enrol_page(user: StaffUser, form: EnrolForm, status: int = 200) -> ResponseReturnValue:
    return render_template(
        "auth/two_factor_enrol.html",
        user=user,
        form=form,
        secret=two_factor.grouped(user.totp_secret or ""),
        qr=two_factor.qr_svg(user, _("QR code to add mbc to your authenticator app")),
        required=two_factor.required_for(user),
    ), status


@bp.post("/account/two-factor/enrol")
@staff_required
def two_factor_enrol() -> ResponseReturnValue:
    user = _me()
    if user.two_factor_enabled:
        return redirect(url_for("auth.two_factor_page"))
    form = EnrolForm()
    if not user.totp_secret or not form.validate_on_submit():
        return redirect(url_for("auth.two_factor_page"))
    codes = two_factor.confirm_enrolment(user, form.code.data or "")
    if codes is None:
        db.session.rollback()
        form.code.errors = [_("That code is not right. Check the app and type the newest one.")]
        return _enrol_page(user, form, 400)
    db.session.commit()
    return _codes_page(codes, first=True)


def _codes_page(codes: list[str], *, first: bool) -> ResponseReturnValue:
    """Recovery codes are shown in this one response and never again (no-store: not cached)."""
    response = render_template("auth/recovery_codes.html", codes=codes, first=first)
    return response, 200, {"Cache-Control": "no-store"}


def _password_ok(user: StaffUser, form: PasswordCheckForm) -> bool:
    """The password again, counted by the account's sign-in throttle like any other guess."""
    if not form.validate_on_submit():
        return False
    wait = throttle.attempt([throttle.account_key(user.email)])
    db.session.commit()
    if wait:
        flash(wait_message(wait), "error")
        return False
    if not verify_password(user.password_hash, form.password.data or ""):
        flash(_("That password is not right."), "error")
        return False
    return True


@bp.post("/account/two-factor/recovery-codes")
@staff_required
def two_factor_new_codes() -> ResponseReturnValue:
    user = _me()
    if not user.two_factor_enabled or not _password_ok(user, PasswordCheckForm(prefix="codes")):
        return redirect(url_for("auth.two_factor_page"))
    codes = two_factor.new_recovery_codes(user)
    audit.record("auth.recovery_codes_new")
    db.session.commit()
    return _codes_page(codes, first=False)


@bp.post("/account/two-factor/off")
@staff_required
def two_factor_off() -> ResponseReturnValue:
    user = _me()
    if not user.two_factor_enabled:
        return redirect(url_for("auth.two_factor_page"))
    if two_factor.required_for(user):
        flash(_("The practice requires two-factor sign-in for you: it stays on."), "error")
        return redirect(url_for("auth.two_factor_page"))
    if _password_ok(user, PasswordCheckForm(prefix="off")):
        two_factor.turn_off(user)
        db.session.commit()
        flash(_("Two-factor sign-in is off."), "success")
    return redirect(url_for("auth.two_factor_page"))
