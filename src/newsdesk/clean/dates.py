"""Publication dates from metadata strings, URLs and dateline lines.

Takes short strings and gives :class:`PubDate` values (ISO date, precision,
source) or None. Only explicit calendar dates count: relative words
("yesterday") would need an anchor that a file does not have, and guessing
today's date would be wrong, so they give None.
"""

from __future__ import annotations

import re
from datetime import date

from newsdesk.lexicon import MONTHS, WEEKDAYS, alternation
from newsdesk.model import PubDate

__all__ = ["date_from_url", "date_line", "find_date", "parse_date_value"]

_MONTH = rf"(?P<mon>{alternation(sorted(MONTHS, key=len, reverse=True))})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(rf"\b{_YEAR}-(?P<mnum>\d{{1,2}})-(?P<day>\d{{1,2}})(?!\d)"), "day"),
    (re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE), "day"),
    (re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE), "day"),
    (re.compile(rf"\b{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE), "month"),
)
_URL_DAY = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?=[/\-_.]|$)")
_URL_COMPACT = re.compile(r"/((?:19|20)\d{2})(\d{2})(\d{2})(?=[/\-_.]|$)")
_URL_MONTH = re.compile(r"/((?:19|20)\d{2})/(\d{1,2})/")
# What may surround a date on a dateline: times, zones, weekdays, "Published", separators.
_DATELINE_NOISE = re.compile(
    r"\b\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?|\b(?:[ap]\.m\.|am|pm)\b"
    r"|\b(?-i:GMT|UTC|[A-Z]{1,2}[SD]?T|CET|CEST|BST|IST|AST)\b(?:\s*[+-]\d{1,2}(?::?\d{2})?)?"
    rf"|\b(?:{alternation(sorted(WEEKDAYS, key=len, reverse=True))})\b\.?"
    r"|\b(?:published|updated|posted|last|modified|on|at|date|first|issued)\b:?"
    r"|[|,\-–—•·/:()]",
    re.IGNORECASE,
)


def find_date(text: str) -> tuple[str, str, tuple[int, int]] | None:
    """The first explicit calendar date in ``text``: (ISO value, precision, span)."""
    best: tuple[str, str, tuple[int, int]] | None = None
    for pattern, precision in _PATTERNS:
        for m in pattern.finditer(text):
            value = _iso(m, precision)
            if value is None:
                continue
            # Earliest wins; on a tie the day patterns, listed first, win.
            if best is None or m.start() < best[2][0]:
                best = (value, precision, m.span())
            break
    return best


def _iso(m: re.Match[str], precision: str) -> str | None:
    year = int(m.group("year"))
    groups = m.groupdict()
    month = int(groups["mnum"]) if groups.get("mnum") else MONTHS[m.group("mon").lower().rstrip(".")]
    if precision == "month":
        return f"{year:04d}-{month:02d}" if 1 <= month <= 12 else None
    try:
        return date(year, month, int(m.group("day"))).isoformat()
    except ValueError:
        return None


def parse_date_value(value: str, source: str = "metadata") -> PubDate | None:
    """A structured date field ("2020-01-23T10:00Z", "Thu, 23 Jan 2020", "2020") as a PubDate."""
    value = value.strip()
    found = find_date(value)
    if found is not None:
        return PubDate(found[0], "day" if found[1] == "day" else "month", source)
    m = re.fullmatch(r"((?:19|20)\d{2})(?:-(\d{2}))?", value)
    if m:
        if m.group(2) and 1 <= int(m.group(2)) <= 12:
            return PubDate(f"{m.group(1)}-{m.group(2)}", "month", source)
        return PubDate(m.group(1), "year", source)
    return None


def date_from_url(url: str) -> PubDate | None:
    """A date written into a URL path: /2020/01/23/, /2020-01-23-, /20200123/, /2020/01/."""
    for pattern in (_URL_DAY, _URL_COMPACT):
        m = pattern.search(url)
        if m:
            try:
                return PubDate(date(*(int(g) for g in m.groups())).isoformat(), "day", "url")
            except ValueError:
                pass
    m = _URL_MONTH.search(url)
    if m and 1 <= int(m.group(2)) <= 12:
        return PubDate(f"{m.group(1)}-{int(m.group(2)):02d}", "month", "url")
    return None


def date_line(line: str) -> PubDate | None:
    """The date of a line that holds nothing but a date (with time, zone, "Updated" and such)."""
    if len(line) > 80:
        return None
    found = find_date(line)
    if found is None:
        return None
    start, end = found[2]
    rest = _DATELINE_NOISE.sub(" ", line[:start] + " " + line[end:])
    if len(re.sub(r"\W", "", rest)) > 3:
        return None
    return PubDate(found[0], "day" if found[1] == "day" else "month", "dateline")
