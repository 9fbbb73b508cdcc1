"""English words that several stages read alike, and the loader for the word lists kept as data.

Takes nothing; gives the month, weekday and season names with the numbers
and TimeML codes they stand for, English number words below a hundred, and
:func:`word_list` / :func:`word_table`, which read a stage's ``data/`` files.

Month names are read by clean (publication dates), annotate (date mentions,
figures that are really dates) and :mod:`newsdesk.timeml`, so they live here,
once. A word list used by one stage only lives under that stage as a data
file (``annotate/data/speech_verbs.txt``), one entry a line, ``#`` lines
saying why; each is read once per process.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

__all__ = [
    "FUNCTION_WORDS",
    "LOOKS_AHEAD",
    "MONTHS",
    "MONTH_ABBREVIATIONS",
    "MONTH_NAMES",
    "NUMBER_WORDS",
    "SEASON_START",
    "WEEKDAYS",
    "WEEKDAY_ABBREVIATIONS",
    "WEEKDAY_NAMES",
    "alternation",
    "number_words",
    "word_list",
    "word_table",
]

#: English function words: what two texts share without sharing content. Our own list, so the
#: stages that read it (story terms, rewrite alignment) need not import spaCy for its stop words.
FUNCTION_WORDS = frozenset(
    """
    about above after again against all also although am among an and another any are around as at
    be became because been before being below between both but by can could did do does doing done
    down during each either else even ever every few for from further had has have having he her here
    hers herself him himself his how however if in into is it its itself just least less many may me
    might more most much must my myself neither no nor not now of off often on once one only onto or
    other others our ours ourselves out over own per perhaps quite rather really same several she
    should since so some such than that the their theirs them themselves then there therefore these
    they this those though through thus to too toward towards under until up upon us very via was we
    well were what whatever when whenever where whereas whether which while who whoever whole whom
    whose why will with within without would yet you your yours yourself yourselves
    across already almost alone along always amongst anyhow anyone anything anyway anywhere back
    become becomes beforehand behind beside besides beyond bottom call could cannot empty enough
    everyone everything everywhere except first five four front full get give go hence hereafter
    hereby herein indeed instead keep last latter latterly made make meanwhile mine moreover mostly
    move name namely never nevertheless next nine nobody none noone nothing nowhere part please put
    re regarding see seem seemed seeming seems serious show side six somehow someone something
    sometime sometimes somewhere still take ten third three top two various whence whereafter
    whereby wherein whereupon wherever whither
    """.split()  # noqa: SIM905
)

MONTH_NAMES: tuple[str, ...] = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
#: The short forms news writes, "sept" as well as "sep" (AP style); "may" has none.
MONTH_ABBREVIATIONS: dict[str, int] = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7,
    "aug": 8, "sept": 9, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
#: Month name or abbreviation (lower case) -> month number.
MONTHS: dict[str, int] = {name: n for n, name in enumerate(MONTH_NAMES, start=1)} | MONTH_ABBREVIATIONS

WEEKDAY_NAMES: tuple[str, ...] = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
WEEKDAY_ABBREVIATIONS: dict[str, int] = {
    "mon": 0, "tues": 1, "tue": 1, "wed": 2, "thurs": 3, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
#: Weekday name or abbreviation (lower case) -> ``date.weekday()`` number (Monday is 0).
WEEKDAYS: dict[str, int] = {name: n for n, name in enumerate(WEEKDAY_NAMES)} | WEEKDAY_ABBREVIATIONS

#: TimeML season code -> first month. Meteorological seasons of the northern
#: hemisphere, three months each; winter belongs to the year it starts in
#: (December). "AU" is TimeML's other spelling of autumn.
SEASON_START: dict[str, int] = {"SP": 3, "SU": 6, "FA": 9, "AU": 9, "WI": 12}

#: Number words below a hundred, as news spells counts out: the units and
#: teens, then the tens.
NUMBER_WORDS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip


#: Words of a sentence that looks ahead ("will vote on Monday", "is expected in June",
#: "plans to", "until"): what it dates may lie after its telling. Read by the briefing
#: (an undated story's day) and compare (a plan and its later outcome are no disagreement).
LOOKS_AHEAD = re.compile(
    r"\b(?:will|won't|shall|next|upcoming|coming|expected|scheduled|plans?|planned|set to|due|until|aims?|"
    r"hopes?|shooting for|going to)\b",
    re.IGNORECASE,
)


def number_words(low: int, high: int) -> tuple[str, ...]:
    """The number words for ``low`` to ``high`` inclusive, in :data:`NUMBER_WORDS` order."""
    return tuple(word for word, n in NUMBER_WORDS.items() if low <= n <= high)


def alternation(words: tuple[str, ...] | list[str], *, capitalize: bool = False) -> str:
    """``words`` as the body of a regex alternation, in the order given (which is the order tried)."""
    return "|".join(w.capitalize() if capitalize else w for w in words)


@cache
def word_list(package: str, name: str) -> tuple[str, ...]:
    """The entries of ``data/<name>`` under ``package``, in file order.

    One entry a line, trimmed; blank lines and lines starting with ``#`` (the
    why of the list) are left out.
    """
    text = (resources.files(package) / "data" / name).read_text(encoding="utf-8")
    return tuple(s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#"))


@cache
def word_table(package: str, name: str) -> tuple[tuple[str, ...], ...]:
    """The rows of a tab-separated ``data/<name>`` under ``package``, read like :func:`word_list`."""
    return tuple(tuple(field.strip() for field in line.split("\t")) for line in word_list(package, name))
