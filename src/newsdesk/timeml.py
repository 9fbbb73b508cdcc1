"""TimeML date values (``2020-01-22``, ``2020-W04``, ``2020-SU``, ``199X`` ...) as calendar intervals.

Shared by the briefing (timeline order) and the renderers (axes and labels).
Seasons are :data:`newsdesk.lexicon.SEASON_START`'s, three months each.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from newsdesk.lexicon import SEASON_START, alternation

_SEASON = re.compile(rf"(\d{{4}})-({alternation(list(SEASON_START))})")


def timeml_interval(value: str | None) -> tuple[date, date] | None:
    """The calendar days a TimeML value covers, as ``(first, last)`` inclusive; None if unknown."""
    if not value:
        return None
    try:
        return _interval(value)
    except ValueError:  # e.g. "2020-02-31": not a real day
        return None


def _month_end(year: int, month: int) -> date:
    first_next = date(year + month // 12, month % 12 + 1, 1)
    return first_next - timedelta(days=1)


def _interval(value: str) -> tuple[date, date] | None:
    # A clock time or a part of the day (TimeML's TMO, TAF, TEV, TNI, TDT) lies within its day.
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:T(?:[\d:]+|MO|AF|EV|NI|DT))?", value):
        day = date(int(m[1]), int(m[2]), int(m[3]))
        return day, day
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = int(m[1]), int(m[2])
        return date(year, month, 1), _month_end(year, month)
    if m := re.fullmatch(r"(\d{4})-W(\d{2})", value):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        return monday, monday + timedelta(days=6)
    if m := re.fullmatch(r"(\d{4})-W(\d{2})-WE", value):
        saturday = date.fromisocalendar(int(m[1]), int(m[2]), 6)
        return saturday, saturday + timedelta(days=1)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", value):
        year, q = int(m[1]), int(m[2])
        return date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
    if m := re.fullmatch(r"(\d{4})-H([12])", value):
        year, h = int(m[1]), int(m[2])
        return date(year, 6 * h - 5, 1), _month_end(year, 6 * h)
    if m := _SEASON.fullmatch(value):
        year, first = int(m[1]), SEASON_START[m[2]]
        last = first + 2  # winter YYYY runs into the next year
        end_year, end_month = (year + 1, last - 12) if last > 12 else (year, last)
        return date(year, first, 1), _month_end(end_year, end_month)
    if m := re.fullmatch(r"(\d{4})", value):
        year = int(m[1])
        return date(year, 1, 1), date(year, 12, 31)
    if m := re.fullmatch(r"(\d{3})X?", value):
        decade = int(m[1]) * 10
        return date(decade, 1, 1), date(decade + 9, 12, 31)
    return None


def value_start(value: str | None) -> date | None:
    """The first day a TimeML value covers; None when it names no interval."""
    span = timeml_interval(value)
    return span[0] if span else None
