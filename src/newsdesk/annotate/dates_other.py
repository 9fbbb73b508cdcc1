"""Rules for durations, sets and the rarer date forms.

Takes a normalised expression, an anchor and a tense lean, like the rules in
:mod:`newsdesk.annotate.dates_rules`; gives a :class:`Resolution` or None.
Here: durations ("three days" -> P3D), sets ("every week" -> P1W), the
same period a year back ("the year-ago quarter"), spoken years ("nineteen
ninety-four"), ordinal centuries and bare parts of the day ("this morning").
"""

from __future__ import annotations

import re

from newsdesk.annotate.dates_lexicon import DAY_PARTS, NUMBER, UNIT, UNITS, number, unit_key
from newsdesk.annotate.dates_rules import YEAR_AGO, Date, Lean, R, Resolution, day, when_anchored, when_matched

# ---- rules: durations and sets ------------------------------------------------------

_DURATION = re.compile(
    rf"(?:(?:about|some|nearly|almost|more than|less than|over|under|at least|up to|roughly|around|just|only|another|"
    rf"the (?:past|last|next|previous|coming|first|final|following)|past|last|next|first|final|recent) )*"
    rf"(?P<n>{NUMBER})?[\s-]?(?P<unit>{UNIT})(?:[\s-]long| old)?"
)
_SET = re.compile(
    r"(?P<adv>daily|weekly|monthly|quarterly|annually|yearly|annual|hourly|nightly)|"
    rf"(?:every|each|per) (?:(?P<n>{NUMBER}) )?(?P<unit>{UNIT}|morning|night|evening)"
)
_SET_ADV = {"daily": "P1D", "nightly": "P1D", "weekly": "P1W", "monthly": "P1M", "quarterly": "P3M",
            "annually": "P1Y", "yearly": "P1Y", "annual": "P1Y", "hourly": "PT1H"}  # fmt: skip


@when_matched(_DURATION)
def rule_duration(m: re.Match[str], anchor: Date | None, lean: Lean) -> Resolution | None:
    if not m["n"] and re.match(r"(?:last|next|past|this|recent|first|final) ", m.string):
        return None  # "last week" is a date (or unresolvable), "the last week" a stretch
    unit = unit_key(m["unit"])
    if unit not in UNITS:
        return None
    letter, is_time, precision = UNITS[unit]
    count: int | None = 1
    if m["n"]:
        count = number(m["n"])
    elif m["unit"].endswith("s"):
        count = None  # "years", "for months": an unknown number
    if unit == "quarter":
        letter, count = "M", (count * 3 if count is not None else None)
    amount = "X" if count is None else str(count)
    return R(("PT" if is_time else "P") + amount + letter, precision, "none", "DURATION")


@when_matched(_SET)
def rule_set(m: re.Match[str], anchor: Date | None, lean: Lean) -> Resolution | None:
    if m["adv"]:
        return R(_SET_ADV[m["adv"]], None, "none", "SET")
    word = m["unit"]
    if word in ("morning", "night", "evening"):
        return R(f"XXXX-XX-XXT{DAY_PARTS[word]}", None, "none", "SET")
    unit = unit_key(word)
    letter, is_time, _ = UNITS[unit]
    count = number(m["n"]) if m["n"] else 1
    return R(
        ("PT" if is_time else "P") + (str(count) if count is not None else "X") + letter,
        None,
        "none",
        "SET",
    )


# ---- rules: year-ago periods, spoken years, centuries, parts of the day ---------


def last_quarter(anchor: Date) -> tuple[int, int]:
    """(year, quarter) of the last quarter completed before ``anchor``."""
    q = (anchor.month - 1) // 3 + 1
    return (anchor.year, q - 1) if q > 1 else (anchor.year - 1, 4)


@when_anchored(YEAR_AGO)
def rule_year_ago(m: re.Match[str], anchor: Date, lean: Lean) -> Resolution | None:
    if "quarter" in m.string:
        y, q = last_quarter(anchor)
        return R(f"{y - 1:04d}-Q{q}", "quarter")
    return R(f"{anchor.year - 1:04d}", "year")


_SPOKEN_YEAR = re.compile(
    r"(?:the year )?(?:(?P<c>nineteen|eighteen|twenty) (?P<rest>(?:\w+[\s-])?\w+)|two thousand(?: and)?(?: (?P<small>\w+))?)"
)
_CENTURY = re.compile(r"(?:the |a )?(?P<n>\d{1,2})(?:st|nd|rd|th)[\s-]century")
_PART_OF_DAY = re.compile(
    r"(?:the |this |early |late |mid-?|in the )?(?P<part>morning|afternoon|evening|night|overnight)"
)


def rule_spoken(t: str, anchor: Date | None, lean: Lean) -> Resolution | None:
    if m := _SPOKEN_YEAR.fullmatch(t):
        if m["c"]:
            rest = number(m["rest"])
            if rest is None or not 1 <= rest <= 99:
                return None
            base = {"eighteen": 1800, "nineteen": 1900, "twenty": 2000}[m["c"]]
            return R(f"{base + rest:04d}", "year", "none")
        small = number(m["small"]) if m["small"] else 0
        if small is None or small > 99:
            return None
        return R(f"{2000 + small:04d}", "year", "none")
    if m := _CENTURY.fullmatch(t):
        return R(f"{int(m['n']) - 1:02d}", "decade", "none")
    if (m := _PART_OF_DAY.fullmatch(t)) and anchor is not None:
        return R(f"{day(anchor)}T{DAY_PARTS[m['part']]}", "day", kind="TIME")
    return None
