"""Template helpers: dates in the practice's time zone, the practice name, the sign-out form.

Staff pages show every time with ``staff_time``: in the practice's zone, in one format per
language (Babel's pattern for the page's locale), and with the client's own time and zone
beside it when the client lives where the clock says something else.
"""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime, format_skeleton, format_time, get_timezone_name
from flask import Flask, has_request_context, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user


def init_templating(app: Flask) -> None:
    app.jinja_env.filters["local_dt"] = local_datetime
    app.jinja_env.filters["local_date"] = local_date
    app.jinja_env.filters["staff_time"] = staff_time
    app.jinja_env.filters["as_datetime"] = as_datetime
    app.jinja_env.filters["score_text"] = score_text
    app.jinja_env.filters["signed"] = signed
    app.jinja_env.filters["instrument_name"] = instrument_name
    app.jinja_env.globals["get_locale"] = get_locale
    app.context_processor(_globals)


def _practice_tz() -> ZoneInfo:
    from mbc.practice.services import get_practice

    return ZoneInfo(get_practice().timezone)


def local_datetime(value: datetime | None, tz: str | None = None, fmt: str = "medium") -> str:
    """A UTC timestamp shown in ``tz`` (or the practice's zone), formatted for the page's locale."""
    if value is None:
        return ""
    zone = ZoneInfo(tz) if tz else _practice_tz()
    return format_datetime(value, fmt, tzinfo=zone, locale=get_locale())


def local_date(value: datetime | None, tz: str | None = None) -> str:
    return local_datetime(value, tz, "EEE d MMM yyyy")


def staff_time(value: datetime | None, client_tz: str | None = None, *, date: bool = True) -> str:
    """A time as staff read it: "Mon, Nov 23, 2026, 3:00 PM" in the practice's zone (``date``
    False: "3:00 PM"), then "(client: 12:00 PM Pacific Standard Time)" when ``client_tz``
    puts the client's clock elsewhere at that moment."""
    if value is None:
        return ""
    locale, practice = get_locale(), _practice_tz()
    shown = _time_words(value, practice, locale, date)
    if client_tz:
        client = ZoneInfo(client_tz)
        if value.astimezone(client).utcoffset() != value.astimezone(practice).utcoffset():
            there = value.astimezone(client)
            same_day = there.date() == value.astimezone(practice).date()
            return _(
                "%(time)s (client: %(client_time)s %(zone)s)",
                time=shown,
                client_time=_time_words(value, client, locale, not same_day),
                zone=get_timezone_name(there, "long", locale=locale),
            )
    return shown


def as_datetime(value: str) -> datetime:
    """A stored ISO timestamp (an appointment change's old or new start) back as a datetime."""
    return datetime.fromisoformat(value)


def _time_words(value: datetime, zone: ZoneInfo, locale: Any, date: bool) -> str:
    time = format_time(value, "short", tzinfo=zone, locale=locale)
    if not date:
        return time
    return f"{format_skeleton('yMMMEd', value, tzinfo=zone, locale=locale)}, {time}"


def score_text(value: Any) -> str:
    """A total as clinicians read it: 12 for a sum, 24.5 for a line total."""
    if value is None:
        return "—"
    exact = Decimal(str(value))
    if exact == exact.to_integral_value():
        return str(int(exact))
    return f"{exact.quantize(Decimal('0.1'))}"


def instrument_name(code: str) -> str:
    """An instrument's short name, the one its English title ends with: "(PHQ-9)" gives PHQ-9."""
    from mbc.instruments import registry

    try:
        title = registry.get(code).title["en"]
    except registry.UnknownInstrument:
        return code
    match = re.search(r"\(([^()]+)\)\s*$", title)
    return match.group(1) if match else title


def signed(value: Any) -> str:
    """A change with its sign (+3, −2, 0), so a glance tells up from down."""
    exact = Decimal(str(value))
    sign = "+" if exact > 0 else "\u2212" if exact < 0 else ""
    return sign + score_text(abs(exact))


def _globals() -> dict[str, Any]:
    from mbc.auth.forms import SignoutForm
    from mbc.practice.services import get_practice

    if has_request_context() and request.blueprint in ("survey", "kiosk"):
        # The language switch posts only the CSRF token the page already has (csrf_token()),
        # so no form object is built for it on every page view.
        return {"survey_practice": get_practice()}
    if has_request_context() and request.blueprint == "pulse":  # the staff pulse page
        return {"practice": get_practice()}
    if not has_request_context():  # a message rendered by the scheduler: nobody is signed in
        return {}
    signed_in = current_user.is_authenticated
    return {
        "practice": get_practice() if signed_in else None,
        "signout_form": SignoutForm(formdata=None) if signed_in else None,
    }
