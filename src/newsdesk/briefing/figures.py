"""Figures: the quantities a story reports, as key figures and as series over time.

Takes a story's annotated articles; gives :func:`figures` (the tracked figures, those
more independent sources carry first) and :func:`series` (each quantity at two or
more values or dates). What a reader tracks (:func:`is_tracked`), what can form a
series (:func:`is_series_quantity`: no scales or lengths), what is a change rather
than a level (:func:`is_change`) and which people a count is of (:func:`series_key`)
are decided here, for the brief and its key facts alike.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from newsdesk.annotate.figures import quantity_key
from newsdesk.compare.passages import NearDuplicates
from newsdesk.model import Article, Cite, Figure, FigureItem, Series, SeriesPoint
from newsdesk.timeml import value_start

__all__ = [
    "figures",
    "is_change",
    "is_series_quantity",
    "is_tracked",
    "keyed_figures",
    "series",
    "series_key",
]


#: Counted nouns of rhetoric, not of the news: "3 key ways", "5 things to know".
LISTICLE_NOUNS = frozenset(
    [
        "ways",
        "things",
        "reasons",
        "questions",
        "lessons",
        "takeaways",
        "times",
        "steps",
        "points",
        "facts",
        "signs",
        "factors",
        "keys",
        "moments",
        "words",
        "ideas",
        "tips",
        "myths",
        "options",
        "scenarios",
    ]
)
#: Units of a scale or of length rather than things counted: "a 20-point lead", "six
#: percentage points", "40 kilometers east of Coimbra". A figure in them says something in its
#: sentence, but values of different polls, races and places are no series ("point: 10; 1; 3;
#: 20", "mile: 9.6; 40"), so they never make the key facts. (Areas stay: a fire's acres grow.)
SCALE_NOUNS = frozenset(["point", "points", "mile", "miles", "kilometer", "kilometers", "kilometre", "kilometres",
                         "km", "meter", "meters", "metre", "metres", "foot", "feet", "yard", "yards", "inch",
                         "inches", "centimeters", "centimetres", "block", "blocks"])
#: Counted nouns a reader tracks only in numbers larger than a handful: "two countries", "three sides".
SMALL_GROUP_NOUNS = frozenset(["countries", "nations", "states", "cities", "parties", "sides", "groups"])


def is_series_quantity(f: Figure) -> bool:
    """A tracked figure whose values over time form a series: a count of things, not a scale."""
    noun = (f.counts or "").split()[-1:] or [""]
    return is_tracked(f) and noun[0].lower() not in SCALE_NOUNS


def is_tracked(f: Figure) -> bool:
    """A quantity a reader would track: not a listicle's count, nor a handful of countries."""
    noun = (f.counts or "").split()[-1:] or [""]
    word = noun[0].lower()
    return word not in LISTICLE_NOUNS and not (word in SMALL_GROUP_NOUNS and f.value < 5)


def figures(members: Sequence[Article], copy_origin: dict[str, str] | None = None) -> list[FigureItem]:
    """The story's tracked figures, the ones most independent sources carry first (then in
    story order); ``copy_origin`` maps a copy to its origin, so a repost adds no source."""
    copy_origin = copy_origin or {}
    items: dict[tuple[float, str, str, int], FigureItem] = {}
    groups = NearDuplicates()
    for a in members:
        for f in a.annotations.figures if a.annotations else []:
            if not f.counts or not is_tracked(f):
                continue
            sent = next((s for s in a.annotations.sentences if s.start <= f.start < s.end), None)
            context = a.text[sent.start : sent.end] if sent else f.text
            key = (f.value, quantity_key(f), f.as_of or "", groups.group(context))
            cite = Cite(a.id, f.start, f.end)
            if key in items:
                items[key].citations.append(cite)
                continue
            items[key] = FigureItem(f.value, f.qualifier, f.counts, f.as_of, f.text, [cite])
    return sorted(
        items.values(), key=lambda item: -len({copy_origin.get(c.article, c.article) for c in item.citations})
    )


#: Words before a figure that make it a change, not a level: "the withdrawal of 500
#: American troops", "cut by 500", "another 200 soldiers".
_CHANGE_BEFORE = re.compile(
    r"\b(?:withdrawals?|withdrawing|withdraw|withdrew|pull-?outs?|pulling out|cuts?|cutting|reductions?|"
    r"reduce[sd]?|reducing|drawdowns?|increases?|increased|increasing|surges?|additions?|additional|another|"
    r"extra|further|adding|added|add|(?:cut|reduced|increased|raised|lowered|grew|fell|rose|dropped|declined|"
    r"climbed|jumped) by)\s+"
    r"(?:of\s+)?(?:(?:about|some|nearly|around|roughly|almost|approximately|up to|more than|over|at least)\s+)?$",
    re.IGNORECASE,
)
#: Words after a figure's number that make it a change: "500 more troops", "300 fewer".
_CHANGE_AFTER = re.compile(r"^\s+(?:more|fewer|less|additional|extra|new)\b", re.IGNORECASE)


def is_change(a: Article, f: Figure) -> bool:
    """Whether a figure counts a change ("the withdrawal of 500 troops", "500 more
    troops") rather than a level: a series tracks levels, so changes stay out of it
    (they are still key figures)."""
    span = a.text[f.start : f.end]
    # The figure's span opens with its qualifier ("no more than eight blocks"): skip it.
    skip = len(f.qualifier) if f.qualifier and span.lower().startswith(f.qualifier.lower()) else 0
    number = re.match(r"\s*\S*", span[skip:])
    rest = a.text[f.start + skip + (number.end() if number else 0) : f.end + 20]
    return bool(_CHANGE_BEFORE.search(a.text[max(0, f.start - 40) : f.start]) or _CHANGE_AFTER.match(rest))


#: Nouns that count people without saying what happened to them: "12,000 people" left their
#: homes, "2 people" are missing, "37 people" were rescued. Their series is kept by what the
#: sentence says of them (:data:`PEOPLE_ROLES`), or one story's evacuees, missing and
#: rescued make one series ("people: 12,000; 2; 37; 11,000").
GENERIC_PEOPLE = frozenset(["people", "persons", "person", "residents", "resident", "civilians", "civilian",
                            "villagers", "inhabitants", "individuals"])
#: What happened to counted people, by the words near the figure (the first role found after
#: it in its clause, else just before it).
PEOPLE_ROLES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(rf"\b(?:{words})\b", re.IGNORECASE))
    for role, words in (
        ("killed", r"killed|kills|kill|dead|died|die|deaths?|death toll|lost their lives|fatalities|perished"),
        ("injured", r"injured|injuries|wounded|hurt|hospitali[sz]ed"),
        ("missing", r"missing|unaccounted"),
        ("rescued", r"rescued|rescue|pulled|saved|airlifted"),
        ("displaced", (r"evacuated|evacuate|evacuation|displaced|fled|flee|homeless|homes|shelters?|"
                       r"temporary housing|relocated")),
        ("arrested", r"arrested|detained|charged"),
    )
)


def series_key(a: Article, f: Figure) -> str:
    """The quantity a figure's series is kept under: :func:`quantity_key`, and for people
    counted without a role, the role the sentence gives them ("people displaced")."""
    key = quantity_key(f)
    head = (f.counts or "").split()[-1:] or [""]
    if head[0].lower() not in GENERIC_PEOPLE:
        return key
    sent = next((s for s in a.annotations.sentences if s.start <= f.start < s.end), None) if a.annotations else None
    end = min(sent.end, f.end + 80) if sent else f.end + 80
    start = max(sent.start, f.start - 40) if sent else max(0, f.start - 40)
    after, before = a.text[f.end : end], a.text[start : f.start]
    for window in (after, before):
        for role, pattern in PEOPLE_ROLES:
            if pattern.search(window):
                return f"{key} {role}"
    return key


def keyed_figures(members: Sequence[Article]) -> list[tuple[Article, Figure, str]]:
    """The figures a series may hold (counted, not a change), each with its :func:`series_key`.
    Where a story gives its counted people one role only, the figures of the same noun that
    name none join it ("12,000 residents left" beside "9,500 residents remain displaced");
    where it gives several, those stay under the bare noun."""
    out = [(a, f, series_key(a, f)) for a in members for f in (a.annotations.figures if a.annotations else [])
           if f.counts and not is_change(a, f)]
    roles: dict[str, set[str]] = {}
    for _a, f, key in out:
        base = quantity_key(f)
        if key != base:
            roles.setdefault(base, set()).add(key)
    return [(a, f, next(iter(roles[key])) if len(roles.get(key, ())) == 1 else key) for a, f, key in out]


def series(members: Sequence[Article]) -> list[Series]:
    """Each quantity reported at two or more values or dates, in date order (undated values
    in story order); a change (:func:`is_change`) is no value of the quantity."""
    by_quantity: dict[str, dict[tuple[float, str], SeriesPoint]] = {}
    for a, f, quantity in keyed_figures(members):
        points = by_quantity.setdefault(quantity, {})
        key = (f.value, f.as_of or "")
        cite = Cite(a.id, f.start, f.end)
        if key in points:
            points[key].citations.append(cite)
        else:
            points[key] = SeriesPoint(f.value, f.as_of, [cite])
    out = []
    for quantity, points in by_quantity.items():
        if len(points) < 2 or len({p.value for p in points.values()}) < 2:
            continue
        # Dated values by date; undated ones in the order the story tells them (a stable sort).
        ordered = sorted(points.values(), key=lambda p: value_start(p.as_of or "") or date.max)
        out.append(Series(quantity, ordered))
    return sorted(out, key=lambda s: (-len(s.points), s.quantity))
