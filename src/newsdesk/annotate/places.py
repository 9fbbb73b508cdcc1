"""Places: toponyms in a parsed article, geocoded with the offline gazetteer.

Takes a spaCy ``Doc`` and gives :class:`~newsdesk.model.Place` spans, each with
a point, an ISO country code, a feature kind and a precision.

Recognition
    spaCy's GPE, LOC and FAC entities, plus names spaCy misses or mislabels
    that carry the Arabic article ("al Qaim", "Al-Qaim", tagged PERSON or
    nothing): those are tried on the gazetteer when the context is locative
    ("in", "near", "at", "the X military base", "X and Kirkuk") or when the
    match lies in a country the article names. Facility names ("Qayyarah
    Airfield", "Ain al-Asad air base") fall back to the town they are named
    after. Demonyms ("Iraqi", "American") are not places: NORP entities are
    skipped, and so is a GPE that is a country or region name plus a demonym
    suffix.

Resolution
    Each candidate is scored by log population, feature kind (a continent or
    country named outright beats a region, a region beats a town: "Georgia"
    is the country unless context says otherwise), whether the name is the
    entry's main name rather than an alternate, and context: candidates in a
    country the article mentions get a bonus. A region loses to a town of the
    same name inside it ("Baghdad" the city, not the governorate). A name
    with no exact match may still resolve by transliteration skeleton inside
    the article's countries ("Nineveh" -> Ninawa governorate).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from newsdesk.annotate.gazetteer import Entry, Gazetteer, load_gazetteer, normalize_name
from newsdesk.annotate.nlp import doc_text
from newsdesk.model import Place

_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_FEATURE_BONUS = {"continent": 4.0, "country": 4.0, "admin1": 1.0, "city": 0.0}
_PRECISION = {"continent": "region", "country": "country", "admin1": "region", "city": "city"}
_CONTEXT_BONUS = 3.0
_PRIMARY_BONUS = 1.0
_WITHIN_BONUS = 5.0  # "Paris, Texas": the name after the comma says where
_CAPITAL_BONUS = 2.0  # news names capitals far more than same-named regions ("Washington")

#: Words after a town's name that make a facility of it; the town is geocoded.
_FACILITY = re.compile(
    r"\s+(?:(?:military|air|airforce|air force|army|naval|navy|marine|coalition)\s+)?"
    r"(?:base|airbase|airfield|airport|air ?strip|camp|garrison|compound|port|harbou?r|"
    r"dam|refinery|border crossing|crossing|barracks)s?$",
    re.IGNORECASE,
)
#: Prepositions that put the following name in a place.
_LOCATIVE = {"in", "near", "at", "from", "to", "into", "outside", "around", "toward", "towards",
             "across", "inside", "through", "via", "of", "including", "between"}
_ARTICLE = re.compile(r"^(?:al|el|Al|El|AL|EL)(?:-[A-Z]\w+)?$")
_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "is", "i", "ese", "ish", "ns", "n")


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    text: str
    query: str  # the name looked up (facility words stripped, "the" dropped)
    loose: bool  # an "al X" name outside NER: needs locative context or a known country


def find_places(doc: Doc) -> list[Place]:
    """Geocoded place mentions in ``doc``, in text order."""
    gaz = load_gazetteer()
    mentions = _mentions(doc, gaz)
    candidates = {m: _candidates(gaz, m.query) for m in mentions}
    context = _context_countries(candidates)
    places: list[Place] = []
    for k, m in enumerate(mentions):
        cands = candidates[m]
        if not any(_primary(e, m.query) for e in cands):
            # Only alternate names matched (or none): a transliteration of a
            # place in the article's countries may be meant ("Nineveh").
            cands = cands + gaz.lookup_skeleton(m.query, context)
        if not cands:
            continue
        if m.loose and not any(c.country in context for c in cands) and not _locative(doc, m):
            continue
        within = _qualifying_region(doc, mentions, k, candidates)
        best = max(cands, key=lambda e: _score(e, m.query, cands, context)
                   + (_WITHIN_BONUS if (e.country, e.admin1) in within or (e.country, "") in within else 0.0))
        places.append(
            Place(m.start, m.end, m.text, best.name, best.lat, best.lon, best.country or None,
                  best.feature, _PRECISION[best.feature])
        )
    return places


def _qualifying_region(doc: Doc, mentions: list[_Mention], k: int,
                       candidates: dict[_Mention, list[Entry]]) -> set[tuple[str, str]]:
    """"Paris, Texas": (country, region) pairs named right after the mention."""
    if k + 1 >= len(mentions):
        return set()
    m, n = mentions[k], mentions[k + 1]
    if doc_text(doc)[m.end : n.start].strip() != ",":
        return set()
    out: set[tuple[str, str]] = set()
    for e in candidates.get(n, []):
        if e.feature == "admin1":
            out.add((e.country, e.name))
        elif e.feature == "country":
            out.add((e.country, ""))
    return out


def _mentions(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    out: list[_Mention] = []
    taken: set[int] = set()
    for ent in doc.ents:
        loose = ent.label_ in ("ORG", "PERSON")
        if ent.label_ not in _PLACE_LABELS and not (loose and _place_like(ent)):
            continue
        span = _trim(ent)
        if span is None or _is_demonym(span.text, gaz):
            continue
        parts = _compound_parts(span, gaz)
        if parts:
            out.extend(parts)
        else:
            query = span.text
            if not gaz.lookup(query):
                bare = _FACILITY.sub("", query)
                if bare != query and bare:
                    query = bare
            out.append(_Mention(span.start_char, span.end_char, span.text, query, loose))
        taken.update(range(span.start, span.end))
    out.extend(_article_names(doc, taken))
    out.sort(key=lambda m: m.start)
    return out


def _place_like(ent: Span) -> bool:
    """An ORG or PERSON entity that reads as a place: "in Nineveh", "Qayyarah Airfield"."""
    if _FACILITY.search(ent.text) or _ARTICLE.match(ent[0].text):
        return True
    prev = ent.doc[ent.start - 1] if ent.start > 0 else None
    return len(ent) <= 3 and prev is not None and prev.lower_ in ("in", "near", "outside", "across")


def _compound_parts(span: Span, gaz: Gazetteer) -> list[_Mention]:
    """"U.S.-Iran", "Syria/Iraq": two places joined, each resolved on its own."""
    text = span.text
    pieces = [(m.start(), m.group()) for m in re.finditer(r"[^-/–]+", text)]
    if len(pieces) < 2 or any(p[1].strip().lower() in ("al", "el") for p in pieces):
        return []
    if not all(gaz.lookup(p) for _, p in pieces):
        return []
    base = span.start_char
    return [_Mention(base + i, base + i + len(p), p, p, False) for i, p in pieces]


def _trim(ent: Span) -> Span | None:
    """Drop a leading "the" and a trailing possessive from an entity span."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and doc[start].lower_ in ("the", "'s", "’s"):
        start += 1
    while end > start and (doc[end - 1].tag_ == "POS" or doc[end - 1].is_punct):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


def _is_demonym(text: str, gaz: Gazetteer) -> bool:
    """"Iraqi", "Americans": a place name plus a demonym suffix, and not a place itself."""
    if " " in text or not text[:1].isupper():
        return False
    if any(_primary(e, text) for e in gaz.lookup(text)):
        return False  # "Paris" is a place before it is "Par" + "is"
    for suffix in _DEMONYM_SUFFIXES:
        if text.lower().endswith(suffix) and len(text) - len(suffix) >= 3:
            stem = text[: -len(suffix)]
            for guess in (stem, stem + "a", stem + "ia", stem + "y"):
                if any(e.feature in ("country", "admin1") and _primary(e, guess) for e in gaz.lookup(guess)):
                    return True
    return False


def _article_names(doc: Doc, taken: set[int]) -> list[_Mention]:
    """"al Qaim", "Al-Qaim": Arabic-style names that NER missed or called a person."""
    out: list[_Mention] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if i in taken or not _ARTICLE.match(tok.text):
            i += 1
            continue
        prev = doc[i - 1] if i > 0 else None
        # "Abu Bakr al-Baghdadi": the article inside a person's name is a nisba, not a place.
        if prev is not None and prev.text[:1].isupper() and prev.ent_type_ == "PERSON" and tok.ent_iob_ == "I":
            i += 1
            continue
        end = i + 1
        if "-" not in tok.text:
            # "al Qaim": the article as a token of its own, then one or two capitalised words.
            while end < len(doc) and end - i <= 2 and doc[end].text[:1].isupper() and doc[end].is_alpha:
                end += 1
            if end == i + 1:
                i += 1
                continue
        span = doc[i:end]
        out.append(_Mention(span.start_char, span.end_char, span.text, span.text, True))
        i = end
    return out


def _locative(doc: Doc, m: _Mention) -> bool:
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    i = span.start - 1
    if i >= 0 and doc[i].lower_ == "the":
        i -= 1
    if i >= 0 and doc[i].lower_ in _LOCATIVE:
        return True
    after = doc_text(doc)[m.end : m.end + 40]
    if _FACILITY.search(" " + " ".join(after.split()[:3])) or re.match(r"\s+(?:military|air)\s", after):
        return True
    # "the al Qaim and Kirkuk bases": coordinated with a recognised place.
    nxt = doc[span.end : span.end + 2]
    return len(nxt) == 2 and nxt[0].lower_ in ("and", "or", ",") and nxt[1].ent_type_ in _PLACE_LABELS


def _candidates(gaz: Gazetteer, query: str) -> list[Entry]:
    cands = gaz.lookup(query)
    # A region loses to a town of its own name inside it ("Baghdad", "Kirkuk").
    towns = {(e.country, e.admin1) for e in cands if e.feature == "city" and _primary(e, query)}
    return [e for e in cands if not (e.feature == "admin1" and (e.country, e.name) in towns)]


def _context_countries(candidates: dict[_Mention, list[Entry]]) -> set[str]:
    """Countries the article names outright, or that all of a mention's candidates share."""
    out: set[str] = set()
    for m, cands in candidates.items():
        if m.loose or not cands:
            continue
        key = normalize_name(m.query)
        countries = {e.country for e in cands if e.country}
        named = [e for e in cands if e.feature == "country" and normalize_name(e.name) == key]
        if named:
            out.add(named[0].country)
        elif len(countries) == 1:
            out |= countries
    return out


def _score(e: Entry, query: str, cands: list[Entry], context: set[str]) -> float:
    score = math.log10(e.population + 10) + _FEATURE_BONUS[e.feature]
    if _primary(e, query):
        score += _PRIMARY_BONUS
    if e.country in context and len({c.country for c in cands}) > 1:
        score += _CONTEXT_BONUS
    if e.capital:
        score += _CAPITAL_BONUS
    return score


def _primary(e: Entry, query: str) -> bool:
    return normalize_name(e.name) == normalize_name(query)
