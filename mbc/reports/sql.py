"""Date arithmetic the reports need, compiled for each database so the figures agree.

Weeks start on Monday and months on the 1st, on the practice's calendar (its time zone, given as
the second argument); both come back as dates on SQLite and PostgreSQL alike (grouping and
sorting a year of rows by a date, not by its text, saves PostgreSQL a collated sort). SQLite has
no time zones: there the local time comes from Python's zoneinfo through a function every
connection registers (``mbc.db.sqlite_local_time``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Date, Float
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class week_start(FunctionElement[date]):
    """The Monday of the value's week: ``week_start(timestamp, time_zone)``."""

    type = Date()
    inherit_cache = True
    name = "week_start"


class month_start(FunctionElement[date]):
    """The first day of the value's month: ``month_start(timestamp, time_zone)``."""

    type = Date()
    inherit_cache = True
    name = "month_start"


class hours_between(FunctionElement[float]):
    """``later - earlier`` in hours."""

    type = Float()
    inherit_cache = True
    name = "hours_between"


def _arg(compiler: Any, element: FunctionElement[Any], index: int, **kw: Any) -> str:
    return str(compiler.process(list(element.clauses)[index], **kw))


def _local_sqlite(compiler: Any, element: FunctionElement[Any], **kw: Any) -> str:
    value, zone = _arg(compiler, element, 0, **kw), _arg(compiler, element, 1, **kw)
    return f"mbc_local_time({value}, {zone})"


def _local_pg(compiler: Any, element: FunctionElement[Any], **kw: Any) -> str:
    value, zone = _arg(compiler, element, 0, **kw), _arg(compiler, element, 1, **kw)
    return f"({value} AT TIME ZONE {zone})"


@compiles(week_start, "sqlite")
def _week_start_sqlite(element: week_start, compiler: Any, **kw: Any) -> str:
    # 'weekday 0' moves forward to Sunday (or stays on one); six days back is that week's Monday.
    return f"date({_local_sqlite(compiler, element, **kw)}, 'weekday 0', '-6 days')"


@compiles(week_start, "postgresql")
def _week_start_pg(element: week_start, compiler: Any, **kw: Any) -> str:
    local = _local_pg(compiler, element, **kw)
    return f"CAST(date_trunc('week', {local}) AS DATE)"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element: month_start, compiler: Any, **kw: Any) -> str:
    return f"date({_local_sqlite(compiler, element, **kw)}, 'start of month')"


@compiles(month_start, "postgresql")
def _month_start_pg(element: month_start, compiler: Any, **kw: Any) -> str:
    local = _local_pg(compiler, element, **kw)
    return f"CAST(date_trunc('month', {local}) AS DATE)"


@compiles(hours_between, "sqlite")
def _hours_sqlite(element: hours_between, compiler: Any, **kw: Any) -> str:
    later, earlier = _arg(compiler, element, 0, **kw), _arg(compiler, element, 1, **kw)
    return f"((julianday({later}) - julianday({earlier})) * 24.0)"


@compiles(hours_between, "postgresql")
def _hours_pg(element: hours_between, compiler: Any, **kw: Any) -> str:
    later, earlier = _arg(compiler, element, 0, **kw), _arg(compiler, element, 1, **kw)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 3600.0)"
