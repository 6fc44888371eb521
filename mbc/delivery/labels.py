"""Words for staff pages: message statuses and the reasons a message was not sent."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

STATUS = {
    "pending": _l("Scheduled"),
    "sending": _l("Sending"),
    "sent": _l("Sent"),
    "delivered": _l("Delivered"),
    "failed": _l("Failed"),
    "undeliverable": _l("Not delivered"),
    "skipped": _l("Not sent"),
    "cancelled": _l("Cancelled"),
}

CHANNEL = {
    "sms": _l("Text message"),
    "email": _l("Email"),
    "link": _l("Link"),
    "in_person": _l("In the room"),
}

KIND = {
    "invitation": _l("Invitation"),
    "reminder": _l("Reminder"),
    "alert": _l("Alert"),
    "password_reset": _l("Password reset"),
    "auto_reply": _l("Automatic answer to a reply"),
    "progress_link": _l("Progress link"),
}

CONSENT_EVENT = {
    "granted": _l("consent given"),
    "withdrawn": _l("consent withdrawn"),
    "opted_out": _l("opted out"),
    "opted_in": _l("opted back in"),
    "unsubscribed": _l("unsubscribed"),
}

CONSENT_SOURCE = {
    "import": _l("EHR import"),
    "admin": _l("an admin"),
    "clinician": _l("a clinician"),
    "client": _l("the client"),
    "migration": _l("system update"),
    "sms_keyword": _l("text reply (STOP or START)"),
    "email_unsubscribe": _l("unsubscribe link in an email"),
    "provider": _l("the SMS or email provider"),
}

INBOUND_KEYWORD = {
    "opt_out": _l("opt-out keyword"),
    "opt_in": _l("opt-in keyword"),
    "help": _l("help keyword"),
}

REASON = {
    "no_contact": _l("no phone number or email address"),
    "sms_no_consent": _l("no consent to text messages"),
    "sms_opted_out": _l("opted out of text messages (replied STOP)"),
    "sms_invalid": _l("the phone number cannot receive text messages"),
    "email_no_consent": _l("no consent to email"),
    "email_unsubscribed": _l("unsubscribed from email"),
    "email_invalid": _l("the email address cannot receive mail"),
    "completed": _l("check-in already completed"),
    "check_in_closed": _l("check-in closed"),
    "check_in_revoked": _l("check-in withdrawn"),
    "check_in_missing": _l("check-in missing"),
    "appointment_cancelled": _l("session cancelled"),
    "no_show": _l("no-show"),
    "plan_paused": _l("plan paused"),
    "client_discharged": _l("client discharged"),
    "quiet_hours_too_late": _l("quiet hours: it would have arrived after the check-in closed"),
    "account_inactive": _l("account inactive"),
    "too_late": _l("too late to be useful"),
    "unknown_kind": _l("unknown message kind"),
    "alert_acknowledged": _l("the alert was acknowledged first"),
    "progress_not_shared": _l("the client's progress is no longer shared with them"),
    "cannot_render": _l(
        "the email could not be written: a setting it uses (such as the practice name) holds "
        "a line break"
    ),
}


def reasons(codes: str | None) -> str:
    """``"sms_opted_out,email_no_consent"`` in words, joined."""
    if not codes:
        return ""
    return "; ".join(str(REASON.get(code, code)) for code in codes.split(","))
