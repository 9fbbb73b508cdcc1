"""Dates in news text: find temporal expressions and resolve them to TimeML values.

Takes a spaCy ``Doc`` of an article's text and its publication date; gives
:class:`newsdesk.model.DateMention` spans with TimeML ISO-8601 values
(``2020-01-22``, ``2020-01``, ``2020-W04``, ``2020-Q1``, ``2020-SU``, ``2020``,
``199X``, ``PAST_REF``, durations ``P3D``, times ``2020-01-22T15:30``).

Two entry points:

* :func:`resolve` is pure: an expression, an anchor date and (optionally) its
  sentence -> :class:`Resolution` or None. The grammar lives in
  :mod:`newsdesk.annotate.dates_rules`; dateparser handles numeric forms the
  grammar does not know.
* :func:`find_dates` takes spaCy DATE/TIME entities plus our own patterns for
  what spaCy misses or mis-spans, and resolves each against the publication
  date, or against the previous date of the text for "the next day", "three
  days later".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import dateparser
from spacy.tokens import Doc, Span, Token

from newsdesk.annotate.dates_lexicon import (
    MONTH,
    NUMBER,
    SEASON,
    UNIT,
    WEEKDAY,
    YEAR,
    format_time,
    split_clock,
)
from newsdesk.annotate.dates_other import rule_duration, rule_set, rule_spoken, rule_year_ago
from newsdesk.annotate.dates_rules import (
    YEAR_AGO,
    Lean,
    Resolution,
    Rule,
    is_event_relative,
    rule_ago,
    rule_deictic,
    rule_deictic_unit,
    rule_event_relative,
    rule_month_day,
    rule_quarter,
    rule_refs,
    rule_season,
    rule_weekday,
    rule_year,
    rule_year_end,
)
from newsdesk.annotate.nlp import doc_ents, doc_text
from newsdesk.lexicon import MONTH_ABBREVIATIONS, MONTH_NAMES, WEEKDAY_NAMES, alternation
from newsdesk.model import DateMention, PubDate

__all__ = ["Resolution", "find_dates", "resolve"]

_RULES: tuple[Rule, ...] = (
    rule_refs,
    rule_deictic,
    rule_event_relative,
    rule_year_ago,
    rule_ago,
    rule_year_end,
    rule_deictic_unit,
    rule_year,
    rule_spoken,
    rule_quarter,
    rule_season,
    rule_month_day,
    rule_weekday,
    rule_set,
    rule_duration,
)

#: Coarseness rank of each precision, finest first.
_RANK: dict[str, int] = {
    "day": 0,
    "week": 1,
    "month": 2,
    "season": 3,
    "quarter": 3,
    "half": 4,
    "year": 5,
    "decade": 6,
}

# Words in front of a date that do not change its value (TimeML keeps them as a
# "mod" attribute at most): prepositions, approximations, part-of-period words.
_LEADING = re.compile(
    r"^(?:on|in|at|since|by|from|until|till|through|throughout|during|over|for|of|as of|"
    r"around|about|approximately|roughly|some|nearly|almost|before|after|into|back in|"
    r"as early as|as late as|no later than|no earlier than|beginning|starting|"
    r"early|late|mid|mid-|early-|late-|earlier|later|the early|the late|the mid-|the middle of|middle of|the beginning of|the start of|the end of|"
    r"the close of|the turn of|the rest of|the remainder of|the dawn of|end of|start of)(?:\s+|(?<=-))"
)
_PAST_PREP = re.compile(r"^(?:since|as of|back in)\b")
_FUTURE_PREP = re.compile(r"^(?:by|no later than|until|till)\b")


def normalize(text: str) -> str:
    """Lower case, plain quotes and dashes, single spaces, no edge punctuation."""
    t = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    t = re.sub(r"[\u2010-\u2015]", "-", t)
    t = re.sub(r"\s+", " ", t).strip()
    t = re.sub(r"^[\s,;:\"'(\[]+|[\s,;:!?\"()\]]+$", "", t)
    if t.endswith(".") and not re.search(r"[ap]\.m\.$", t):
        t = t[:-1]
    return re.sub(r"'s$", "", t).strip()


def _strip_leading(t: str) -> str:
    while True:
        s = _LEADING.sub("", t, count=1).strip()
        if s == t or not s:
            return t
        t = s


# ---- tense -----------------------------------------------------------------------

_FUTURE_WORDS = re.compile(
    r"\b(?:will|'ll|shall|wo|going to|expected|expects?|plans?|planned|scheduled|due|"
    r"upcoming|would|intends?|aims?|set to|is to|are to)\b"
)
_PAST_WORDS = re.compile(r"\b(?:was|were|had|did|said|told|ago|\w{3,}ed)\b")


def guess_lean(text: str, sentence: str) -> Lean:
    """Past or future from the words nearest the expression in its sentence."""
    if not sentence:
        return None
    low = sentence.lower()
    pos = low.find(text.lower())
    if pos < 0:
        pos = len(low) // 2
    end = pos + len(text)
    best: tuple[int, Lean] | None = None
    for lean, pattern in (("future", _FUTURE_WORDS), ("past", _PAST_WORDS)):
        for m in pattern.finditer(low):
            if pos <= m.start() < end:
                continue
            dist = pos - m.end() if m.end() <= pos else m.start() - end
            if lean == "past" and m.group() in ("expected", "planned", "scheduled"):
                continue
            if best is None or dist < best[0]:
                best = (dist, lean)  # type: ignore[assignment]
    return best[1] if best else None


# ---- resolve -------------------------------------------------------------------


def resolve(text: str, anchor: dt.date | None, *, sentence: str = "", tense: Lean = None) -> Resolution | None:
    """Resolve one date expression against ``anchor``.

    ``sentence`` (the sentence the expression stands in) is used to guess
    whether it looks back or forward; ``tense`` ("past"/"future") overrides the
    guess. Returns None when the text is not a date expression we know, or
    when it needs an anchor and none is given.
    """
    t = normalize(text)
    if not t:
        return None
    lean = tense if tense is not None else guess_lean(text, sentence)
    if _PAST_PREP.match(t):
        lean = "before"
    elif _FUTURE_PREP.match(t) and lean is None:
        lean = "future"
    core = _strip_leading(t)
    timed = split_clock(core)
    if timed is not None:
        return _resolve_time(timed, anchor, lean)
    for candidate in _variants(core):
        for rule in _RULES:
            res = rule(candidate, anchor, lean)
            if res is not None:
                return res
    return _dateparser_fallback(core, anchor, lean)


def _variants(t: str) -> Iterator[str]:
    yield t
    if t.startswith("the "):  # "the summer" reads as "summer" where a rule has no "the"
        yield t[4:]


def _resolve_time(timed: tuple[tuple[int, int], str], anchor: dt.date | None, lean: Lean) -> Resolution | None:
    hm, rest = timed
    if not rest or rest in (
        "today",
        "this morning",
        "this afternoon",
        "this evening",
        "tonight",
    ):
        if anchor is None:
            return None
        return Resolution(format_time(anchor.isoformat(), hm), "day", "published", "TIME")
    date_part = resolve(rest, anchor, tense=lean)
    if date_part is None or date_part.precision != "day":
        return None
    value = date_part.value.split("T")[0]
    return Resolution(format_time(value, hm), "day", date_part.anchor_kind, "TIME")


_NUMERIC = re.compile(r"\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?")


def _dateparser_fallback(t: str, anchor: dt.date | None, lean: Lean) -> Resolution | None:
    """Numeric and other explicit forms the grammar does not cover ("1/22/2020")."""
    if not _NUMERIC.fullmatch(t):
        return None  # dateparser reads "April 24 and 25" as the year 2025: only numeric forms here
    settings: dict[str, object] = {
        "PREFER_DATES_FROM": {"past": "past", "future": "future"}.get(lean or "", "current_period"),
        "RETURN_AS_TIMEZONE_AWARE": False,
        "STRICT_PARSING": True,
    }
    if anchor is not None:
        settings["RELATIVE_BASE"] = dt.datetime(anchor.year, anchor.month, anchor.day)
    try:
        parsed = dateparser.parse(t, languages=["en"], settings=settings)  # type: ignore[arg-type]
    except (ValueError, OverflowError):
        return None
    if parsed is None:
        return None
    has_year = re.search(rf"\b{YEAR}\b", t) or (
        _NUMERIC.fullmatch(t) and t.count("/") + t.count("-") + t.count(".") == 2
    )
    return Resolution(parsed.date().isoformat(), "day", "none" if has_year else "published", "DATE")


# ---- find_dates -------------------------------------------------------------------

_MOD = r"(?:mid-|[Ee]arly |[Ll]ate |[Tt]he end of |[Tt]he beginning of |[Tt]he middle of |[Tt]he start of )"
# Month and weekday names only when capitalised: "may" and "march" are verbs.
_MONTH_C = rf"(?:{alternation([*MONTH_NAMES, *MONTH_ABBREVIATIONS], capitalize=True)})\.?"
_WEEKDAY_C = rf"(?:{alternation(WEEKDAY_NAMES, capitalize=True)})"
_CLOCK_C = r"(?:\d{1,2}(?::\d\d)? ?[ap]\.m\.?|\d{1,2}(?::\d\d)? ?[AP]M|noon|midnight)(?: [ECMP][SD]T| GMT)?"
_OWN_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(p)
    for p in (
        rf"\b(?:[Ll]ast|[Nn]ext|[Tt]his) {_MONTH_C}(?![\w-]| \d)",
        rf"\b{_MOD}?{_MONTH_C}(?: \d{{1,2}}(?:st|nd|rd|th)?)?(?:,? {YEAR})?(?![\w-])",
        rf"\b\d{{1,2}} {_MONTH_C}(?:,? {YEAR})?\b",
        rf"\b(?:(?:[Ll]ast|[Nn]ext|[Tt]his|[Ee]arly|[Ll]ate) )?{_WEEKDAY_C}(?: (?:morning|afternoon|evening|night))?\b",
        rf"\b{_CLOCK_C},?(?: (?:{_WEEKDAY_C}|{_MONTH_C} \d{{1,2}}|today|tonight|yesterday|tomorrow))?(?![\w])",
        rf"\b(?:[Tt]he|[Tt]his|[Ll]ast|[Nn]ext) {SEASON}\b",
        r"\b[Tt]he (?:first|second|third|fourth) quarter\b",
        r"\b[Tt]he (?:next|following|previous) (?:day|morning|week)\b|\b[Tt]he (?:day|week) (?:before|after)\b",
        rf"(?i:\b{NUMBER} {UNIT} (?:later|after|earlier|before)\b)(?! the\b| his\b| her\b| their\b| its\b| a\b)",
        r"(?i:\b(?:recent (?:months|years|weeks|days)|the (?:near )?future|now|currently|recently)\b)",
        rf"\b(?:[Ee]arly|[Ll]ate|[Mm]id)-{YEAR}\b",
    )
)
# A spaCy entity that runs two dates together: "Aug. 26 to Oct. 20", "the quarter ended Sept. 30".
_SPLIT = re.compile(r"\s+(?:to|through|and|until|ended|ending|or|-)\s+|,\s+(?=\d{4}\b)|\s*-\s*(?=\d)")
_RANGE_LEAD = re.compile(r"^(?:between|from)\s+", re.IGNORECASE)
_AGE = re.compile(r"\d+[\s-]+(?:years?|months?)[\s-]+old|-year-old|^aged?\b")
_TEMPORAL_WORD = re.compile(
    rf"\b(?:{MONTH}|{WEEKDAY}|{SEASON}|{UNIT}|{YEAR}|\d0s|today|tonight|yesterday|tomorrow|now|"
    r"morning|afternoon|evening|night|noon|midnight|weekend|future|past|recent(?:ly)?|currently|present|"
    r"daily|weekly|monthly|quarterly|annual(?:ly)?|yearly|[ap]\.?m\b|\d{1,2}:\d\d)",
    re.IGNORECASE,
)
_THIS_DATE = re.compile(rf"[Tt]his (?={_MONTH_C} \d)")
_PREFIX_MOD = re.compile(
    r"(?:\bmid-|\b(?:early|late|the end of|the beginning of|the middle of|the start of) )$",
    re.IGNORECASE,
)


def find_dates(doc: Doc, published: PubDate | None) -> list[DateMention]:
    """Date and time mentions of ``doc``, each resolved where possible."""
    anchor, anchor_rank = _anchor(published)
    spans = _candidate_spans(doc)
    out: list[DateMention] = []
    previous: tuple[dt.date, int] | None = None  # the last dated event and its precision rank
    last_quarter: str | None = None  # the last quarter named, for "a year earlier"
    for start, end in spans:
        text = doc_text(doc)[start:end]
        span = doc.char_span(start, end, alignment_mode="expand")
        # The parse's tense only: guessing from nearby words (guess_lean) scored
        # worse on TimeBank than leaving the lean open.
        lean = _tense(span) if span is not None else None
        norm = _strip_leading(normalize(text))
        res: Resolution | None = None
        used_anchor = anchor
        if last_quarter is not None and YEAR_AGO.fullmatch(norm):
            y, q = last_quarter.split("-Q")
            res = Resolution(f"{int(y) - 1:04d}-Q{q}", "quarter", "previous-date", "DATE")
        elif previous is not None and is_event_relative(norm):
            res = resolve(text, previous[0], tense=lean)
            used_anchor = previous[0]
            if res is not None and _RANK.get(res.precision or "", 9) < previous[1]:
                res = None  # "the next day" after a month cannot name a day
        if res is None:
            res = resolve(text, anchor, tense=lean)
            used_anchor = anchor
            if (
                res is not None
                and res.anchor_kind == "published"
                and res.precision is not None
                and _RANK[res.precision] < anchor_rank
            ):
                res = None  # finer than what we know of the publication date
        out.append(_mention(start, end, text, res, used_anchor))
        if res is not None and re.fullmatch(r"\d{4}-Q[1-4]", res.value) and not YEAR_AGO.fullmatch(norm):
            last_quarter = res.value
        if res is not None and res.kind in ("DATE", "TIME") and res.precision in ("day", "month", "year"):
            d = _as_date(res.value)
            if d is not None:
                previous = (d, _RANK[res.precision])
    return out


def _anchor(published: PubDate | None) -> tuple[dt.date | None, int]:
    if published is None:
        return None, 9
    parts = [int(p) for p in re.findall(r"\d+", published.date)[:3]]
    if not parts:
        return None, 9
    while len(parts) < 3:
        parts.append(1)
    try:
        return dt.date(*parts), _RANK.get(published.precision, 0)
    except ValueError:
        return None, 9


def _as_date(value: str) -> dt.date | None:
    m = re.match(r"(\d{4})(?:-(\d\d))?(?:-(\d\d))?", value)
    if not m or re.match(r"\d{4}-[WQHS]", value):
        return None
    return dt.date(int(m[1]), int(m[2] or 1), int(m[3] or 1))


def _mention(start: int, end: int, text: str, res: Resolution | None, anchor: dt.date | None) -> DateMention:
    if res is None:
        return DateMention(start, end, text, None, None)
    kind = "none" if res.anchor_kind == "none" else res.anchor_kind
    return DateMention(
        start=start,
        end=end,
        text=text,
        value=res.value,
        precision=res.precision,
        anchor=anchor.isoformat() if anchor is not None and kind != "none" else None,
        anchor_kind=kind,
        kind=res.kind,
    )


def _candidate_spans(doc: Doc) -> list[tuple[int, int]]:
    """spaCy DATE/TIME entities and our own pattern hits, overlaps merged to the longest."""
    found: list[tuple[int, int, int]] = []  # (start, end, priority: spaCy first)
    for ent in doc_ents(doc):
        if ent.label_ in ("DATE", "TIME"):
            for start, end in _split_range(doc_text(doc), ent.start_char, ent.end_char):
                trimmed = _trim(doc_text(doc), start, end)
                if trimmed:
                    found.append((*trimmed, 0))
    for pattern in _OWN_PATTERNS:
        for m in pattern.finditer(doc_text(doc)):
            trimmed = _trim(doc_text(doc), m.start(), m.end())
            if trimmed:
                found.append((*trimmed, 1))
    found.sort(key=lambda s: (s[0], -(s[1] - s[0]), s[2]))
    kept: list[tuple[int, int]] = []
    for start, end, _ in found:
        if kept and start < kept[-1][1]:
            if end - start > kept[-1][1] - kept[-1][0]:
                kept[-1] = (start, end)
            continue
        kept.append((start, end))
    return [s for s in kept if _is_date_text(doc_text(doc)[s[0] : s[1]])]


def _split_range(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The parts of a span that holds two or more dates, each of which resolves."""
    surface = text[start:end]
    lead = _RANGE_LEAD.match(surface)
    offset = lead.end() if lead else 0
    pieces: list[tuple[int, int]] = []
    pos = offset
    for m in _SPLIT.finditer(surface, offset):
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(surface)))
    # Any fixed anchor will do: this only asks whether each piece is a date at all.
    if len(pieces) < 2 or not all(resolve(surface[a:b], dt.date(2000, 6, 15)) for a, b in pieces if b > a):
        return [(start, end)]
    return [(start + a, start + b) for a, b in pieces if b > a]


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start] in " \t\n,;:\"'(“”‘’-":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:\"')“”‘’.!?-":
        end -= 1
    if text[max(start, end - 2) : end] in ("'s", "’s"):
        end -= 2
    if end <= start:
        return None
    if m := _THIS_DATE.match(text, start, end):  # "in this March 27, 2020 file photo"
        start = m.end()
    # Take in a modifier spaCy left out: "mid-January", "early 2019".
    if m := _PREFIX_MOD.search(text[max(0, start - 20) : start]):
        start -= len(m.group())
    return start, end


def _is_date_text(text: str) -> bool:
    if _AGE.search(text.lower()):
        return False
    return bool(_TEMPORAL_WORD.search(text))


# ---- tense from the parse ------------------------------------------------------------

_FUTURE_HEADS = {
    "expect",
    "plan",
    "schedule",
    "intend",
    "aim",
    "hope",
    "due",
    "set",
    "want",
    "seek",
    "propose",
}


#: Verbs of a scheduled occasion: in the simple present they announce it ("the convention,
#: which begins Monday", "talks resume Tuesday"), so the weekday is the coming one.
_SCHEDULED = frozenset({"begin", "start", "open", "convene", "reconvene", "resume", "expire", "premiere"})


#: Modal verbs that put a clause after its telling, unless "have" follows ("could beat" her in
#: November, not "could have beaten").
_MODALS = frozenset({"can", "could", "may", "might", "must", "should", "ca"})
#: Prepositions after which a date is a deadline or a wait: "until after the November election".
_UNTIL = frozenset({"until", "till", "til"})


def _under_until(token: Token) -> bool:
    """Whether the phrase of ``token`` hangs, through prepositions and nouns, off an
    "until": "until the debates in the fall" (the fall is still to come)."""
    for _ in range(4):
        head = token.head
        if head is token or head.pos_ in ("VERB", "AUX"):
            return False
        if head.lower_ in _UNTIL:
            return True
        token = head
    return False


def _tense(span: Span) -> Lean:
    """Whether the clause governing ``span`` talks about the past or the future.

    None (the nearest occurrence) where the date names an occasion inside a noun
    phrase ("the November election", "the November showdown"): the clause's tense is
    the telling's, not the occasion's. Future after "until" and with a modal verb."""
    root = span.root
    if root.dep_ in ("compound", "amod", "nmod", "npadvmod") and root.head.pos_ in ("NOUN", "PROPN"):
        return None
    if root.dep_ == "pobj" and root.head.lower_ in _UNTIL or any(
        t.lower_ in _UNTIL for t in root.doc[max(span.start - 3, 0) : span.start]
    ) or _under_until(root):
        return "future"
    verb: Token | None = span.root
    for _ in range(4):
        if verb is None or verb.pos_ in ("VERB", "AUX"):
            break
        verb = verb.head if verb.head is not verb else None
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return None
    for _ in range(3):
        auxes = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        words = {a.lower_ for a in auxes}
        if words & {"will", "'ll", "shall", "wo", "would"}:
            return "future"
        if words & _MODALS and not words & {"have", "'ve"}:
            return "future"
        if any(a.lower_ == "going" for a in verb.children) or ("to" in words and verb.head.lemma_ in _FUTURE_HEADS):
            return "future"
        if verb.lemma_ in _FUTURE_HEADS and verb.tag_ == "VBN" and words & {"has", "have"}:
            return "future"  # "has scheduled a news conference Thursday": the coming one
        if verb.tag_ == "VBD" or any(a.tag_ == "VBD" for a in auxes) or words & {"has", "have", "had"}:
            return "past"
        if verb.tag_ == "VBN" and verb.dep_ == "amod":
            return "past"
        if verb.lemma_ in _FUTURE_HEADS and verb.tag_ in ("VBN", "VBZ", "VBP"):
            return "future"
        if verb.lemma_ in _SCHEDULED and verb.tag_ in ("VBZ", "VBP") and not auxes:
            return "future"
        if verb.dep_ in ("xcomp", "ccomp", "advcl", "conj") and verb.head is not verb:
            verb = verb.head
            continue
        break
    return None
