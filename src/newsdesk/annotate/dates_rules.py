"""The grammar of news date expressions: text + anchor -> TimeML value.

Takes a normalised expression (lower case, leading preposition removed), the
anchor date and a tense lean ("past", "future" or None); gives a
:class:`Resolution` or None. Each ``rule_*`` function handles one family of
expressions and returns None when the text is not of its family, so
:func:`newsdesk.annotate.dates.resolve` can simply try them in order. A
rule of one pattern is written as a reader of that pattern's match
(:func:`when_matched`; :func:`when_anchored` where it needs an anchor).

News is past-leaning: a bare weekday, month or quarter is the most recent one
at or before the anchor unless the sentence looks forward.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Literal

from newsdesk.annotate.dates_lexicon import (
    DAY_PARTS,
    MONTH,
    NUMBER,
    ORDINALS,
    SEASON,
    SEASONS,
    UNIT,
    UNITS,
    WEEKDAY,
    YEAR,
    number,
    unit_key,
)
from newsdesk.lexicon import MONTHS, SEASON_START, WEEKDAYS
from newsdesk.model import Precision

#: "past" / "future": the tense of the sentence; "before": a preposition such as
#: "since" that rules out anything after the anchor.
Lean = Literal["past", "future", "before"] | None
Date = dt.date


@dataclass(frozen=True)
class Resolution:
    """A resolved expression: TimeML ``value``, its ``precision`` (None for the
    PAST_REF/PRESENT_REF/FUTURE_REF words and clock-less sets), what it was
    resolved against (``anchor_kind``: "published", "previous-date" or "none"
    for a self-contained date such as "March 27, 2020") and its TimeML ``kind``
    (DATE, TIME, DURATION, SET)."""

    value: str
    precision: Precision | None
    anchor_kind: str = "published"
    kind: str = "DATE"


# ---- value formatting and calendar arithmetic --------------------------------


def day(d: Date) -> str:
    return d.isoformat()


def month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def week(d: Date) -> str:
    y, w, _ = d.isocalendar()
    return f"{y:04d}-W{w:02d}"


def add_months(y: int, m: int, n: int) -> tuple[int, int]:
    k = y * 12 + (m - 1) + n
    return k // 12, k % 12 + 1


def shift(d: Date, n: int, unit: str) -> Date:
    """``d`` moved by ``n`` units (days, weeks, months, years), clamping the day."""
    if unit == "day":
        return d + dt.timedelta(days=n)
    if unit == "week":
        return d + dt.timedelta(weeks=n)
    months = {"month": 1, "quarter": 3, "year": 12, "decade": 120, "century": 1200}[unit] * n
    y, m = add_months(d.year, d.month, months)
    last = (dt.date(*add_months(y, m, 1), 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(d.day, last))


def at_precision(d: Date, precision: str) -> tuple[str, Precision]:
    """The TimeML value of ``d`` written at a unit's precision."""
    if precision == "day":
        return day(d), "day"
    if precision == "week":
        return week(d), "week"
    if precision == "month":
        return month(d.year, d.month), "month"
    if precision == "quarter":
        return f"{d.year:04d}-Q{(d.month - 1) // 3 + 1}", "quarter"
    if precision == "decade":
        return f"{d.year // 10:03d}X", "decade"
    return f"{d.year:04d}", "year"


#: A month or day this close ahead is taken as upcoming even in a past-tense
#: sentence: news reports deadlines and payment dates ("payable Dec. 7").
NEAR_FUTURE_DAYS = 62


def pick_year(anchor: Date, candidate: Date, lean: Lean, *, strict: bool = False) -> int:
    """The year for a month/day given without one.

    Past lean: the latest occurrence at or before the anchor; future lean: the
    first at or after it; no lean: the nearest of the two (ties go to the past).
    ``candidate`` is the month/day placed in the anchor's year; for months
    compare month starts, for days compare days. ``strict`` excludes the anchor
    itself ("last March" in March means a year earlier).
    """
    y = anchor.year
    before = y if (candidate < anchor or (candidate == anchor and not strict)) else y - 1
    after = y if (candidate > anchor or (candidate == anchor and not strict)) else y + 1
    b = _replace_year(candidate, before)
    a = _replace_year(candidate, after)
    if lean == "before" or (lean == "past" and not (strict is False and (a - anchor).days <= NEAR_FUTURE_DAYS)):
        return before
    if lean == "future":
        return after
    return before if (anchor - b) <= (a - anchor) else after


def _replace_year(d: Date, y: int) -> Date:
    try:
        return d.replace(year=y)
    except ValueError:  # 29 February
        return d.replace(year=y, day=28)


def R(
    value: str,
    precision: Precision | None,
    anchor_kind: str = "published",
    kind: str = "DATE",
) -> Resolution:
    return Resolution(value, precision, anchor_kind, kind)


#: A rule: normalised text, anchor, lean -> a resolution, or None when the text is not of its family.
Rule = Callable[[str, Date | None, Lean], Resolution | None]
MatchReader = Callable[[re.Match[str], Date | None, Lean], Resolution | None]
AnchoredReader = Callable[[re.Match[str], Date, Lean], Resolution | None]


def when_matched(pattern: re.Pattern[str]) -> Callable[[MatchReader], Rule]:
    """A rule from a function that reads ``pattern``'s match of the whole text (the text is ``m.string``)."""

    def wrap(read: MatchReader) -> Rule:
        @wraps(read)
        def rule(t: str, anchor: Date | None, lean: Lean) -> Resolution | None:
            m = pattern.fullmatch(t)
            return None if m is None else read(m, anchor, lean)

        return rule

    return wrap


def when_anchored(pattern: re.Pattern[str]) -> Callable[[AnchoredReader], Rule]:
    """Like :func:`when_matched`, for a family that means nothing without an anchor ("yesterday")."""

    def wrap(read: AnchoredReader) -> Rule:
        @wraps(read)
        def rule(t: str, anchor: Date | None, lean: Lean) -> Resolution | None:
            m = pattern.fullmatch(t)
            return None if m is None or anchor is None else read(m, anchor, lean)

        return rule

    return wrap


# ---- rules: reference words ------------------------------------------------------

_PRESENT = re.compile(
    r"(?:right )?now|currently|presently|at present|the present|present|these days|nowadays|"
    r"(?:at )?the moment|the current time|today's|this time|the time being"
)
_PAST = re.compile(
    r"recently|lately|(?:the |in the )?past|previously|formerly|earlier|once|some time ago|"
    r"a while ago|long ago|(?:in )?(?:recent|past|earlier|previous|former) "
    r"(?:years|months|weeks|days|decades|times|centuries)|"
    r"(?:years|months|weeks|days|decades|ages) ago|(?:a few|several|some|many) (?:years|months|weeks|days|decades) ago|"
    r"the old days|the last (?:several|few) (?:years|months|weeks)"
)
_FUTURE = re.compile(
    r"(?:the |in the )?(?:near |distant |foreseeable )?future|soon|someday|one day|eventually|"
    r"(?:the )?(?:coming|next few|next several|years ahead|months ahead|weeks ahead|days ahead)"
    r"(?: (?:years|months|weeks|days|decades))?|later|in the years to come"
)


def rule_refs(t: str, anchor: Date | None, lean: Lean) -> Resolution | None:
    if _PRESENT.fullmatch(t):
        return R("PRESENT_REF", None)
    if _PAST.fullmatch(t):
        return R("PAST_REF", None)
    if _FUTURE.fullmatch(t):
        return R("FUTURE_REF", None)
    return None


# ---- rules: today, yesterday, this morning, last night -------------------------

_DEICTIC = re.compile(
    r"(?P<word>today|tonight|yesterday|tomorrow|this (?P<part>morning|afternoon|evening)|"
    r"last night|the day before yesterday|the day after tomorrow)"
    r"(?: (?P<part2>morning|afternoon|evening|night))?"
)


@when_anchored(_DEICTIC)
def rule_deictic(m: re.Match[str], anchor: Date, lean: Lean) -> Resolution | None:
    word = m["word"]
    offset = {
        "yesterday": -1,
        "tomorrow": 1,
        "last night": -1,
        "the day before yesterday": -2,
    }.get(word, 0)
    if word == "the day after tomorrow":
        offset = 2
    d = anchor + dt.timedelta(days=offset)
    part = m["part"] or m["part2"] or ("night" if word in ("tonight", "last night") else None)
    if part:
        return R(f"{day(d)}T{DAY_PARTS[part]}", "day", kind="TIME")
    return R(day(d), "day")


# ---- rules: expressions relative to an earlier event ---------------------------

_EVENT_NEXT = re.compile(
    r"(?:the (?P<dir>next|following|previous|preceding|prior)|(?P<dir2>following)) (?P<unit>day|morning|evening|night|week|month|year)"
)
_EVENT_DAY = re.compile(r"the (?P<unit>day|week|month|year) (?P<dir>before|after|earlier|later)")
_EVENT_N = re.compile(rf"(?P<n>{NUMBER})[\s-](?P<unit>{UNIT}) (?P<dir>later|after|earlier|before|afterwards?)")
_EVENT_SAME = re.compile(r"(?:that|the same|that same) (?P<unit>day|week|month|year|morning|night|evening)")


def is_event_relative(t: str) -> bool:
    """True for expressions anchored on an earlier date of the text ("the next day")."""
    return any(p.fullmatch(t) for p in (_EVENT_NEXT, _EVENT_DAY, _EVENT_N, _EVENT_SAME))


def rule_event_relative(t: str, anchor: Date | None, lean: Lean) -> Resolution | None:
    if anchor is None:
        return None
    n, unit, sign = 1, "", 0
    if m := _EVENT_NEXT.fullmatch(t):
        unit, sign = (
            m["unit"],
            (1 if (m["dir"] or m["dir2"]) in ("next", "following") else -1),
        )
    elif m := _EVENT_DAY.fullmatch(t):
        unit, sign = m["unit"], (-1 if m["dir"] in ("before", "earlier") else 1)
    elif m := _EVENT_N.fullmatch(t):
        count = number(m["n"])
        if count is None:
            return None
        n, unit, sign = (
            count,
            unit_key(m["unit"]),
            (-1 if m["dir"] in ("earlier", "before") else 1),
        )
    elif m := _EVENT_SAME.fullmatch(t):
        unit, sign, n = m["unit"], 0, 0
    else:
        return None
    if unit in ("morning", "night", "evening"):
        d = shift(anchor, sign * n, "day")
        return R(f"{day(d)}T{DAY_PARTS[unit]}", "day", "previous-date", "TIME")
    if unit not in UNITS or UNITS[unit][1]:
        return None
    value, precision = at_precision(shift(anchor, sign * n, unit), unit)
    return R(value, precision, "previous-date")


# ---- rules: "two years ago", "last week", "this month", "the year" -------------

_AGO = re.compile(
    rf"(?:about |some |nearly |almost |more than |over )?(?P<n>{NUMBER})[\s-](?P<unit>{UNIT}) (?:ago|from now|hence)"
)
_DEICTIC_UNIT = re.compile(
    r"(?:(?P<pre>earlier|later|early|late) )?(?:in )?(?P<rel>this|last|next|the|the current|the latest|the previous|"
    r"the past|the coming|the same|the most recent|the upcoming|current|previous) "
    r"(?P<unit>week|weekend|month|quarter|year|decade|century|fiscal year|calendar year)"
)


@when_anchored(_AGO)
def rule_ago(m: re.Match[str], anchor: Date, lean: Lean) -> Resolution | None:
    t = m.string
    count = number(m["n"])
    unit = unit_key(m["unit"])
    if count is None or unit not in UNITS or UNITS[unit][1]:
        return None
    sign = 1 if ("from now" in t or "hence" in t) else -1
    grain = "year" if unit in ("decade", "century") else UNITS[unit][2] or "day"
    value, precision = at_precision(shift(anchor, sign * count, unit), grain)
    return R(value, precision)


_YEAR_END = re.compile(r"(?:the )?(?:full|whole|entire|calendar) year|(?:the )?year[-\s]?end|(?:the )?year's end")


@when_anchored(_YEAR_END)
def rule_year_end(m: re.Match[str], anchor: Date, lean: Lean) -> Resolution | None:
    return R(f"{anchor.year:04d}", "year")


@when_anchored(_DEICTIC_UNIT)
def rule_deictic_unit(m: re.Match[str], anchor: Date, lean: Lean) -> Resolution | None:
    rel, unit = m["rel"], m["unit"].replace("fiscal ", "").replace("calendar ", "")
    if rel in (
        "the past",
        "the coming",
    ):  # "the past week" is a stretch of time, not a date
        letter = UNITS["week" if unit == "weekend" else unit][0]
        return R(
            f"P1{letter}",
            UNITS["week" if unit == "weekend" else unit][2],
            "none",
            "DURATION",
        )
    step = {
        "last": -1,
        "the previous": -1,
        "previous": -1,
        "next": 1,
        "the upcoming": 1,
    }.get(rel, 0)
    if rel in ("the most recent", "the latest", "the") and unit == "quarter" and lean != "future":
        step = -1  # results news: "the quarter" is the last one reported
    if rel == "the latest" and unit == "year":
        step = -1
    if unit == "weekend":
        if rel == "the" and lean != "future" and anchor.weekday() < 5:
            step = -1  # "the weekend" in a weekday's news is the one just past
        d = anchor + dt.timedelta(weeks=step)
        return R(f"{week(d)}-WE", "week")
    value, precision = at_precision(shift(anchor, step, unit), unit)
    return R(value, precision)


# ---- rules: years, decades, quarters, halves, seasons --------------------------

_YEAR = re.compile(
    rf"(?:the )?(?:(?:fiscal|calendar|financial|model|school|tax|academic)(?: year)? |the year |fy ?)?(?P<y>{YEAR})"
)
_SHORT_YEAR = re.compile(r"(?:fiscal|fy) ?'?(?P<y>\d\d)")
_DECADE = re.compile(
    r"(?:the )?(?:early |late |mid-?)?(?:(?P<full>1[0-9]{2}|20[0-9])0|'(?P<short>\d)0)'?s|(?:the )?(?P<word>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)"
)
_DECADE_WORDS = {
    "twenties": 2,
    "thirties": 3,
    "forties": 4,
    "fifties": 5,
    "sixties": 6,
    "seventies": 7,
    "eighties": 8,
    "nineties": 9,
}
_QUARTER = re.compile(
    rf"(?:the |its |their |a |an )?(?:(?P<y1>{YEAR}|this year|last year|next year)(?:'s)? )?(?:fiscal[\s-]|flat |strong |weak )?"
    rf"(?P<q>first|second|third|fourth|final|1st|2nd|3rd|4th)[\s-](?:fiscal[\s-])?quarter"
    rf"(?: of (?:fiscal |the year |)(?P<y2>{YEAR}|this year|last year|next year))?|q(?P<qn>[1-4])(?: (?P<y3>{YEAR}))?"
)
#: "the year-ago quarter", "a year earlier": the same period one year back.
YEAR_AGO = re.compile(
    r"(?:the |a |its )?(?:comparable |same |corresponding |year-ago |year-earlier )*"
    r"(?:year[\s-]ago|year[\s-]earlier|prior[\s-]year|previous[\s-]year|last year's|a year ago|a year earlier)"
    r"(?: (?:\w+ )?(?:quarter|period|months|figure|results|level|levels))?|(?:the )?(?:quarter|period) a year (?:ago|earlier)|"
    r"the (?:same|comparable|corresponding) (?:quarter|period) (?:a year ago|last year|of last year)"
)


def _year_ref(text: str, anchor: Date | None) -> int | None:
    """A year written as digits or as this/last/next year."""
    if text[0].isdigit():
        return int(text)
    if anchor is None:
        return None
    return anchor.year + {"this year": 0, "last year": -1, "next year": 1}[text]


_HALF = re.compile(
    rf"(?:the )?(?P<h>first|second|1st|2nd) half(?: of (?:the year |fiscal )?(?P<y>{YEAR}|the year|this year|last year))?"
)
_SEASON = re.compile(
    rf"(?:(?P<rel>this|last|next|the|this past|this coming|the coming|the past) )?(?P<s>{SEASON})"
    rf"(?: of)?(?: (?P<y>{YEAR}))?"
)


def rule_year(t: str, anchor: Date | None, lean: Lean) -> Resolution | None:
    if m := _YEAR.fullmatch(t):
        return R(m["y"], "year", "none")
    if (m := _SHORT_YEAR.fullmatch(t)) and anchor is not None:
        century = anchor.year // 100 * 100
        y = century + int(m["y"])
        return R(str(y if y <= anchor.year + 10 else y - 100), "year")
    if m := _DECADE.fullmatch(t):
        if m["full"]:
            return R(f"{m['full']}X", "decade", "none")
        digit = int(m["short"]) if m["short"] else _DECADE_WORDS[m["word"]]
        if anchor is None:
            return None
        century = anchor.year // 100
        if digit * 10 > anchor.year % 100:
            century -= 1  # "the '90s" written in 2020 is the 1990s
        return R(f"{century:02d}{digit}X", "decade")
    return None


def rule_quarter(t: str, anchor: Date | None, lean: Lean) -> Resolution | None:
    if m := _QUARTER.fullmatch(t):
        q = int(m["qn"]) if m["qn"] else ORDINALS.get(m["q"], 4)
        y_text = m["y1"] or m["y2"] or m["y3"]
        if y_text:
            y_ref = _year_ref(y_text, anchor)
            if y_ref is None:
                return None
            return R(
                f"{y_ref:04d}-Q{q}",
                "quarter",
                "none" if y_text[0].isdigit() else "published",
            )
        if anchor is None:
            return None
        current = (anchor.month - 1) // 3 + 1
        # A quarter of this year up to the current one is this year's whatever the
        # tense; a later one is last year's unless the sentence looks forward.
        y = anchor.year if q <= current or lean == "future" else anchor.year - 1
        return R(f"{y:04d}-Q{q}", "quarter")
    if m := _HALF.fullmatch(t):
        h = 1 if m["h"] in ("first", "1st") else 2
        ytext = m["y"]
        if ytext and ytext[0].isdigit():
            return R(f"{ytext}-H{h}", "half", "none")
        if anchor is None:
            return None
        y = anchor.year - (1 if ytext == "last year" else 0)
        if not ytext and lean != "future" and h == 2 and anchor.month <= 6:
            y -= 1
        return R(f"{y:04d}-H{h}", "half")
    return None


@when_matched(_SEASON)
def rule_season(m: re.Match[str], anchor: Date | None, lean: Lean) -> Resolution | None:
    code = SEASONS[m["s"]]
    if m["y"]:
        return R(f"{m['y']}-{code}", "season", "none")
    if anchor is None:
        return None
    start = dt.date(anchor.year, SEASON_START[code], 1)
    if code == "WI" and anchor.month <= 2:
        start = dt.date(anchor.year - 1, 12, 1)  # January is in the winter that began in December
    in_season = start <= anchor < shift(start, 3, "month")
    rel = m["rel"] or "the"
    if rel in ("last", "this past", "the past"):
        y = start.year if (anchor >= shift(start, 3, "month")) else start.year - 1
    elif rel in ("next", "this coming", "the coming"):
        y = start.year if anchor < start else start.year + 1
    elif rel == "this" or in_season:
        y = start.year
    elif lean == "future":
        y = start.year if anchor < start else start.year + 1
    else:  # past-leaning: the most recent such season
        y = start.year if anchor >= start else start.year - 1
    return R(f"{y:04d}-{code}", "season")


# ---- rules: months and days -------------------------------------------------------

_MONTH_DAY = re.compile(
    rf"(?:(?P<wd>{WEEKDAY}),? )?(?:(?P<rel>last|next|this|this past|this coming) )?"
    rf"(?:(?P<mon1>{MONTH}) (?P<d1>\d{{1,2}})(?:st|nd|rd|th)?|(?:the )?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?: of)? (?P<mon2>{MONTH})|(?P<mon3>{MONTH}))"
    rf"(?:,? (?P<y>{YEAR}|'\d\d|this year|last year|next year|of this year|of last year|of next year))?"
)


@when_matched(_MONTH_DAY)
def rule_month_day(m: re.Match[str], anchor: Date | None, lean: Lean) -> Resolution | None:
    mon = MONTHS[(m["mon1"] or m["mon2"] or m["mon3"]).rstrip(".")]
    d_text = m["d1"] or m["d2"]
    if m["mon3"] and m["wd"]:
        return None  # "Monday, March" is not a date
    y_text = m["y"].removeprefix("of ") if m["y"] else None
    if y_text and y_text[0].isalpha():
        if anchor is None:
            return None
        y_text = str(_year_ref(y_text, anchor))
    if y_text:
        y = int(y_text) if not y_text.startswith("'") else _expand_short_year(int(y_text[1:]), anchor)
        if d_text is None:
            return R(month(y, mon), "month", "none")
        try:
            return R(day(dt.date(y, mon, int(d_text))), "day", "none")
        except ValueError:
            return None
    if anchor is None:
        return None
    rel = m["rel"]
    if d_text is None:
        cand = dt.date(anchor.year, mon, 1)
        this_month = dt.date(anchor.year, anchor.month, 1)
        if rel in ("last", "this past"):
            y = pick_year(this_month, cand, "past", strict=True)
        elif rel in ("next", "this coming"):
            y = pick_year(this_month, cand, "future", strict=True)
        elif rel == "this":
            y = anchor.year
        else:
            y = pick_year(this_month, cand, lean)
        return R(month(y, mon), "month")
    try:
        cand = dt.date(anchor.year, mon, int(d_text))
    except ValueError:
        return None
    use = "past" if rel in ("last", "this past") else "future" if rel in ("next", "this coming") else lean
    y = pick_year(anchor, cand, use)
    if m["wd"]:  # "Saturday, April 25": the year in which that day is a Saturday
        for year in (y, y - 1, y + 1):
            try:
                if dt.date(year, mon, int(d_text)).weekday() == WEEKDAYS[m["wd"]]:
                    y = year
                    break
            except ValueError:
                continue
    try:
        return R(day(dt.date(y, mon, int(d_text))), "day")
    except ValueError:
        return None


def _expand_short_year(yy: int, anchor: Date | None) -> int:
    base = anchor.year if anchor else 2000
    y = base // 100 * 100 + yy
    return y if y <= base + 10 else y - 100


_WEEKDAY = re.compile(
    rf"(?:(?P<rel>last|next|this|this past|this coming|early|late|on) )?(?P<wd>{WEEKDAY})(?:'s)?"
    r"(?: (?P<part>morning|afternoon|evening|night|overnight))?"
)


@when_anchored(_WEEKDAY)
def rule_weekday(m: re.Match[str], anchor: Date, lean: Lean) -> Resolution | None:
    target = WEEKDAYS[m["wd"]]
    back = (anchor.weekday() - target) % 7
    forward = (target - anchor.weekday()) % 7
    rel = m["rel"]
    if rel in ("last", "this past"):
        d = anchor - dt.timedelta(days=back or 7)
    elif rel in ("next", "this coming"):
        d = anchor + dt.timedelta(days=forward or 7)
    elif lean == "future" or (rel == "this" and forward < back):
        d = anchor + dt.timedelta(days=forward)
    else:  # past-leaning news default: the most recent such day, the anchor included
        d = anchor - dt.timedelta(days=back)
    if m["part"]:
        return R(f"{day(d)}T{DAY_PARTS[m['part']]}", "day", kind="TIME")
    return R(day(d), "day")
