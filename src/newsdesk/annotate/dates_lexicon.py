"""Word lists and small converters shared by the date rules.

Takes the month, weekday and number words of :mod:`newsdesk.lexicon`; gives
the regex parts built from them, season, unit and day-part tables, and
helpers that turn English number words and clock strings into integers.
Kept apart from :mod:`newsdesk.annotate.dates` so the rules read as
grammar, not as vocabulary.
"""

from __future__ import annotations

import re

from newsdesk.lexicon import MONTH_ABBREVIATIONS, MONTH_NAMES, NUMBER_WORDS, WEEKDAY_NAMES, alternation, number_words

#: Season words -> TimeML season codes (:data:`newsdesk.lexicon.SEASON_START` gives their months).
SEASONS: dict[str, str] = {
    "spring": "SP",
    "summer": "SU",
    "fall": "FA",
    "autumn": "FA",
    "winter": "WI",
}

#: Parts of the day and their TimeML suffixes.
DAY_PARTS: dict[str, str] = {
    "morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI",
}  # fmt: skip

#: Duration units -> (ISO letter, is a time unit, precision word).
UNITS: dict[str, tuple[str, bool, str | None]] = {
    "second": ("S", True, None), "minute": ("M", True, None), "hour": ("H", True, None),
    "day": ("D", False, "day"), "week": ("W", False, "week"), "month": ("M", False, "month"),
    "quarter": ("Q", False, "quarter"), "year": ("Y", False, "year"),
    "decade": ("DE", False, "decade"), "century": ("CE", False, "decade"),
}  # fmt: skip

ORDINALS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
}  # fmt: skip

_SMALL = {
    "zero": 0, **NUMBER_WORDS, "a": 1, "an": 1, "hundred": 100,
    "a couple of": 2, "couple of": 2, "a dozen": 12, "dozen": 12, "half a": 0,
}  # fmt: skip

#: Quantity words that make a count unknown (TimeML writes X).
VAGUE = ("a few", "few", "several", "some", "many", "a number of", "numerous", "recent")

_TENS = alternation(number_words(20, 90))
NUMBER = (
    r"(?:\d+(?:\.\d+)?|a\s+couple\s+of|couple\s+of|a\s+dozen|a\s+few|few|several|some|many|"
    rf"(?:(?:{_TENS})[\s-]?)?(?:{alternation(number_words(1, 9))})|"
    rf"zero|a|an|{alternation(number_words(10, 19))}|{_TENS}|hundred)"
)
UNIT = r"(?:second|minute|hour|day|week|month|quarter|year|decade|century|centurie)s?"
#: Full names first: in an alternation the first that fits is taken ("march", not "mar").
MONTH = rf"(?:{alternation([*MONTH_NAMES, *MONTH_ABBREVIATIONS])})\.?"
WEEKDAY = rf"(?:{alternation(WEEKDAY_NAMES)})"
SEASON = rf"(?:{alternation(list(SEASONS))})"
YEAR = r"(?:1[0-9]{3}|2[01][0-9]{2})"


def number(word: str) -> int | None:
    """An English count ("three", "twenty four", "12") as an int, None when vague."""
    w = re.sub(r"[\s-]+", " ", word.strip().lower())
    if any(w == v for v in VAGUE):
        return None
    if re.fullmatch(r"\d+", w):
        return int(w)
    if re.fullmatch(r"\d+\.\d+", w):
        return None
    if w in _SMALL:
        return _SMALL[w]
    total = 0
    for part in w.split():
        if part not in _SMALL:
            return None
        total += _SMALL[part]
    return total


def unit_key(word: str) -> str:
    """The singular key of a unit word ("centuries" -> "century")."""
    w = word.lower()
    if w.endswith("ies"):
        return w[:-3] + "y"
    return w[:-1] if w.endswith("s") and w[:-1] in UNITS else w


def clock(hour: str, minute: str | None, meridiem: str | None) -> tuple[int, int] | None:
    """(hour, minute) in 24-hour form from a clock reading like 3:30 p.m."""
    h = int(hour)
    m = int(minute) if minute else 0
    mer = (meridiem or "").replace(".", "").replace(" ", "")
    if mer == "pm" and h < 12:
        h += 12
    elif mer == "am" and h == 12:
        h = 0
    if h > 23 or m > 59:
        return None
    return h, m


# ---- clock readings inside an expression

_CLOCK = re.compile(
    r"(?P<h>\d{1,2})(?:[:.](?P<m>\d\d))? ?(?P<mer>a\.? ?m\.?|p\.? ?m\.?)|(?P<h2>\d{1,2}):(?P<m2>\d\d)|\b(?P<word>noon|midday|midnight)\b"
)
_TZ = re.compile(r"\b(?:[ecmp][sd]t|gmt|utc|local time|et|pt|[ecmp]t)\b\.?")


def split_clock(t: str) -> tuple[tuple[int, int], str] | None:
    """A clock reading in ``t`` and the rest of the text (the day part)."""
    m = _CLOCK.search(t)
    if not m:
        return None
    if m["word"]:
        hm: tuple[int, int] | None = (0, 0) if m["word"] == "midnight" else (12, 0)
    elif m["h"]:
        hm = clock(m["h"], m["m"], m["mer"])
    else:
        hm = clock(m["h2"], m["m2"], None)
    if hm is None:
        return None
    rest = _TZ.sub(" ", t[: m.start()] + " " + t[m.end() :])
    rest = re.sub(
        r"\b(?:at|on|of|about|around|shortly before|shortly after|before|after|until|by|from)\b",
        " ",
        rest,
    )
    rest = re.sub(r"[\s,]+", " ", rest).strip(" ,")
    return hm, rest


def format_time(date_value: str, hm: tuple[int, int]) -> str:
    return f"{date_value}T{hm[0]:02d}:{hm[1]:02d}"
