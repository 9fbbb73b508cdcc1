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
    Each name (all its mentions together: one name, one referent) gets a
    prior per candidate: log population, feature kind (a country named
    outright beats a region, a region a town), main name over alternate,
    capitals, countries and states the article names, and "Town, State"
    pairs. The article's other names then vote (``place_context.cohere``): a candidate
    gains for each other name that may lie in the same first-level region or
    within about 100 km, weighted by how likely that reading is, over a few
    rounds, so "Alexandria" beside "Rapides Parish" is the Louisiana town.
    Words after a name narrow its kind ("Lebanon police", "a Jordan man":
    a town), American civic institutions ("Police Department", "Township")
    favour US towns, and a region loses to a town of its own name inside it
    ("Baghdad"). A town that bears a name only as an alternate (a former
    name, "Kaliningrad" for Korolev) yields to a bigger place whose main name
    it is. A name with no exact match may resolve by transliteration skeleton
    to a region of the article's countries ("Nineveh" -> Ninawa).
    Recognition also takes names before "counties" as counties and finds a
    name the article already calls a place wherever else it occurs.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from newsdesk.annotate.gazetteer import (
    CONTINENT_DEMONYMS,
    IRREGULAR_DEMONYMS,
    Entry,
    Gazetteer,
    load_gazetteer,
    normalize_name,
)
from newsdesk.annotate.nlp import doc_ents, doc_text, doc_tokens
from newsdesk.annotate.place_context import CONTEXT_BONUS, candidates_for, cohere, is_primary, prior_score
from newsdesk.model import Place

_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_PRECISION = {"continent": "region", "region": "region", "country": "country", "admin1": "region",
              "admin2": "region", "city": "city"}
#: Features a name may be taken for when NER called it an organisation ("EU", "Orange County").
_AREA_FEATURES = {"continent", "region", "country", "admin1", "admin2"}
_BIG_CITY = 100_000
_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest",
               "northern", "southern", "eastern", "western", "central", "upstate", "downstate"}
_SPEECH = {"say", "tell", "add", "note", "write", "explain", "ask", "argue", "claim"}
_IRREGULAR = set(IRREGULAR_DEMONYMS) | set(CONTINENT_DEMONYMS)
_REGION_CONTEXT_BONUS = 2.0  # a town in a state the article names ("Paris" in a Texas story)
_MIN_VOTES = 2
_LOCAL_BONUS = 4.0  # a sheriff's office, a school district: American local news
_WITHIN_BONUS = 5.0  # "Paris, Texas": the name after the comma says where

#: Words after a name that make it a town's: its police, council, schools.
_TOWN_WORDS = {"police", "mayor", "township", "firefighters", "selectmen", "aldermen", "councilman",
               "councilwoman", "councilmember", "schools", "elementary", "fire", "sheriff"}
#: Words after a name that make it someone's home: "a Jordan man" (a state's too: "a Texas man").
_DWELLER_WORDS = {"man", "woman", "men", "women", "boy", "girl", "teen", "teenager", "couple", "resident",
                  "residents", "family", "homeowner", "homeowners", "motorist", "driver"}

#: Institutions only American local government has: the story is set in the US.
_US_CIVIC = re.compile(r"\b(?:Police Department|Sheriff[’']?s (?:Office|Department)|County Sheriff|"
                       r"School District|Board of Supervisors|County Commission(?:ers)?|Board of Selectmen|"
                       r"City Manager|Township|Fire Department)\b")

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
#: "Richmond, Va." / "W.Va.": an AP state abbreviation token.
_ABBREV = re.compile(r"^(?:[A-Z][a-z]{1,4}|[A-Z]\.(?:[A-Z][a-z]?\.)+|[A-Z][a-z]?\.[A-Z][a-z]\.?)\.?$")


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    text: str
    query: str  # the name looked up (facility words stripped, "the" dropped)
    loose: bool  # an "al X" name outside NER: needs locative context or a known country
    fixed: Entry | None = None  # already resolved: a demonym's country, a state abbreviation


def find_places(doc: Doc) -> list[Place]:
    """Geocoded place mentions in ``doc``, in text order."""
    gaz = load_gazetteer()
    mentions = _mentions(doc, gaz)
    candidates = {m: [m.fixed] if m.fixed else candidates_for(gaz, m.query) for m in mentions}
    context = _context_countries(candidates)
    regions = _context_regions(candidates)
    chosen: dict[int, tuple[list[Entry], set[tuple[str, str]]]] = {}
    for k, m in enumerate(mentions):
        cands = candidates[m]
        if not any(is_primary(e, m.query) for e in cands):
            # Only alternate names matched (or none): a transliteration of a
            # place in the article's countries may be meant ("Nineveh").
            exact = gaz.lookup(m.query)  # left out on purpose by _candidates: not to come back
            cands = cands + [e for e in gaz.lookup_skeleton(m.query, context) if e not in exact]
        if not cands:
            continue
        if m.loose and not any(c.country in context for c in cands) and not _locative(doc, m):
            continue
        chosen[k] = (cands, _qualifying_region(doc, mentions, k, candidates))

    # Every spelling of a name is one question ("Alexandria" twice is one
    # town), answered by its prior and by the article's other names.
    names: dict[str, list[Entry]] = {}
    for k, (cands, _) in chosen.items():
        names.setdefault(_key(mentions[k]), cands)
    for k in chosen:
        # "Lebanon police", "a Jordan resident": a town's words, not a country's.
        cue = _town_cue(doc, mentions[k])
        if cue:
            key = _key(mentions[k])
            keep = [e for e in names[key] if e.feature in ("city", "admin2") or (cue == 1 and e.feature == "admin1")]
            names[key] = keep or names[key]
    # "Gainesville, Georgia": the comma pairs a town with the state around it,
    # which settles both names.
    pairs: dict[str, set[tuple[str, str]]] = {}
    for k, (_, within) in chosen.items():
        pairs.setdefault(_key(mentions[k]), set()).update(within)
        if within and k + 1 in chosen:
            pairs.setdefault(_key(mentions[k + 1]), set()).update(
                (e.country, e.admin1) for e in names[_key(mentions[k])] if (e.country, e.admin1) in within)
    prior = {key: [prior_score(e, _query_of(mentions, chosen, key), cands, context)
                   + (_REGION_CONTEXT_BONUS if (e.country, e.admin1) in regions else 0.0)
                   + (_WITHIN_BONUS if (e.country, e.name if e.feature == "admin1" else e.admin1) in pairs.get(key, ())
                      or (e.feature != "country" and (e.country, "") in pairs.get(key, ())) else 0.0)
                   for e in cands] for key, cands in names.items()}
    weight = {key: 0.5 if all(mentions[k].loose for k in chosen if _key(mentions[k]) == key) else 1.0
              for key in names}
    score = cohere(names, prior, weight)
    # The country most of the article's names land in claims the doubtful ones.
    votes = Counter(names[key][max(range(len(sc)), key=sc.__getitem__)].country
                    for key, sc in score.items() if weight[key] == 1.0)
    votes.pop("", None)
    top = {c for c, n in votes.items() if n >= _MIN_VOTES and n == max(votes.values())}
    local = bool(_US_CIVIC.search(doc_text(doc)))
    score = {key: [x + (CONTEXT_BONUS if e.country in top and e.feature != "country" else 0.0)
                   + (_LOCAL_BONUS if local and e.country == "US" and e.feature != "country" else 0.0)
                   for e, x in zip(names[key], sc)] for key, sc in score.items()}
    best: dict[int, Entry] = {}
    for k, (_, within) in chosen.items():
        cands, sc = names[_key(mentions[k])], score[_key(mentions[k])]
        if _stray_alias(mentions[k], cands, regions):
            continue
        i = max(range(len(cands)), key=lambda i: sc[i] + (
            _WITHIN_BONUS if (cands[i].country, cands[i].admin1) in within or (cands[i].country, "") in within
            else 0.0))
        best[k] = cands[i]
    return [
        Place(mentions[k].start, mentions[k].end, mentions[k].text, e.name, e.lat, e.lon, e.country or None,
              e.feature, _PRECISION[e.feature])
        for k, e in sorted(best.items())
    ]


def _town_cue(doc: Doc, m: _Mention) -> int:
    """2 when the words after a name are a town's institutions ("Berea police",
    "Paris City Council"), 1 when they make its people ("a Jordan man"), else 0."""
    words = doc_text(doc)[m.end : m.end + 24].split()[:2]
    if not words or m.fixed is not None:
        return 0
    first = words[0].lower().strip(".,;:")
    if first in _TOWN_WORDS or (first == "city" and len(words) > 1 and words[1][:1].isupper()):
        return 2
    return 1 if first in _DWELLER_WORDS and words[0][:1].islower() else 0


def _stray_alias(m: _Mention, cands: list[Entry], regions: set[tuple[str, str]]) -> bool:
    """A name known only as another town's alternate name, in a country whose
    named states it lies outside of ("East Bank" in a West Virginia story is
    not Portsmouth): more likely a place too small for the gazetteer."""
    if m.fixed is not None or any(is_primary(e, m.query) for e in cands):
        return False
    named = {c for c, _ in regions}
    return bool(named) and all(e.country in named and (e.country, e.admin1) not in regions
                               and e.feature == "city" for e in cands)


def _key(m: _Mention) -> str:
    return normalize_name(m.query) if m.fixed is None else f"={m.fixed.country}/{m.fixed.name}"


def _query_of(mentions: list[_Mention], chosen: dict, key: str) -> str:
    return next(mentions[k].query for k in chosen if _key(mentions[k]) == key)


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
    out = _county_lists(doc, gaz)
    taken: set[int] = set()
    for m in out:
        taken.update(t.i for t in doc.char_span(m.start, m.end, alignment_mode="expand") or ())
    # Words that are part of a longer person's name here ("Michael Jordan").
    persons = {t.lower_ for e in doc_ents(doc) if e.label_ == "PERSON" and len(e) > 1 for t in e}
    for ent in doc_ents(doc):
        span = _trim(ent)
        if span is None or any(i in taken for i in range(ent.start, ent.end)):
            continue
        fixed = gaz.demonym(span.text) if ent.label_ in ("NORP", "GPE") else None
        if fixed is None and "." in span.text and len(span) == 1:
            fixed = gaz.state_abbreviation(span.text)  # "Va." tagged GPE: not Wa, Ghana
        if fixed is None:
            fixed = _called_a_state(span, gaz)  # "Washington state": the state, not the capital
        if fixed is not None:
            out.append(_Mention(span.start_char, span.end_char, span.text, span.text, False, fixed))
            taken.update(range(span.start, span.end))
            continue
        if ent.label_ == "ORG" and not _place_like(ent):
            found = _org_places(span, gaz)
            out.extend(found)
            if found:
                taken.update(range(span.start, span.end))
            continue
        if ent.label_ == "PERSON" and _town_called_person(span, gaz, persons):
            out.append(_Mention(span.start_char, span.end_char, span.text, span.text, False))
            taken.update(range(span.start, span.end))
            continue
        loose = ent.label_ in ("ORG", "PERSON")
        # NER sometimes calls a county a nationality ("Rapides Parish" as NORP); an
        # adjective it calls NORP ("Western forces") names no province.
        county = (ent.label_ == "NORP" and any(t.pos_ == "PROPN" for t in span)
                  and any(e.feature in ("admin1", "admin2") and is_primary(e, span.text)
                          for e in gaz.lookup(span.text)))
        if ent.label_ not in _PLACE_LABELS and not (loose and _place_like(ent)) and not county:
            continue
        if (len(span) > 1 and span[0].lower_ in _DIRECTIONS and not gaz.lookup(span.text)
                and _big_place(gaz, span[1:].text)):
            # "Northeast Georgia", "North Texas": the named place is the rest. A
            # small town after a direction ("East Bank") is another place's name.
            span = span[1:]
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
    out.extend(_untagged(doc, gaz, taken))
    out.extend(_repeats(doc, gaz, out))
    out.sort(key=lambda m: m.start)
    return out


def _county_lists(doc: Doc, gaz: Gazetteer) -> list[_Mention]:
    """"Eastland and Callahan counties": each name in the list is a county, not
    the town of that name."""
    out: list[_Mention] = []
    for tok in doc_tokens(doc):
        if tok.lower_ not in ("counties", "parishes") or tok.i == 0:
            continue
        suffix = "County" if tok.lower_ == "counties" else "Parish"
        j = tok.i - 1
        while j >= 0:
            end = j + 1
            while j >= 0 and end - j <= 3 and doc[j].is_alpha and doc[j].text[:1].isupper():
                j -= 1
            if j + 1 == end:
                break
            name = doc[j + 1 : end]
            query = f"{name.text} {suffix}"
            if any(e.feature == "admin2" for e in gaz.lookup(query)):
                out.append(_Mention(name.start_char, name.end_char, name.text, query, False))
            while j >= 0 and doc[j].lower_ in (",", "and", "or"):
                j -= 1
    return out


def _repeats(doc: Doc, gaz: Gazetteer, found: list[_Mention]) -> list[_Mention]:
    """Other uses of a name the article already calls a place, wherever NER
    put them ("Gainesville man", "the Gainesville Police", an untagged
    "Gainesville"): one name, one referent, in one article."""
    known: dict[str, str] = {}
    for m in found:
        if not m.loose and m.fixed is None and m.text[:1].isupper():
            for name in (m.text, m.query):
                known.setdefault(normalize_name(name), m.query)
    if not known:
        return []
    covered: set[int] = set()
    for m in found:
        covered.update(range(m.start, m.end))
    people = {t.i for e in doc_ents(doc) if e.label_ == "PERSON" and len(e) > 1 for t in e}
    out: list[_Mention] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if not tok.text[:1].isupper() or tok.idx in covered or i in people:
            i += 1
            continue
        for n in (3, 2, 1):
            span = doc[i : i + n]
            key = normalize_name(span.text)
            if (len(span) == n and key in known and not any(t.i in people or t.idx in covered for t in span)
                    and not (n == 1 and i + 1 < len(doc) and doc[i + 1].text[:1].isupper()
                             and doc[i + 1].ent_type_ == "PERSON")):
                out.append(_Mention(span.start_char, span.end_char, span.text, known[key], False))
                i += n
                break
        else:
            i += 1
    return out


def _org_places(span: Span, gaz: Gazetteer) -> list[_Mention]:
    """Places an organisation's name is, or starts with: "EU", "U.S. Army", "University of Ohio"."""
    if _area(gaz, span.text) is not None:
        return [_Mention(span.start_char, span.end_char, span.text, span.text, False)]
    for n in (3, 2, 1):
        if n < len(span) and span[n - 1].lower_ not in _DIRECTIONS:
            head = span[:n]
            fixed = gaz.demonym(head.text) if n == 1 else None
            if fixed is not None or _area(gaz, head.text, cities=True) is not None:
                return [_Mention(head.start_char, head.end_char, head.text, head.text, False, fixed)]
    for i, tok in enumerate(span[:-1]):
        if tok.lower_ == "of":
            tail = span[i + 1 :]
            if _area(gaz, tail.text, cities=True) is not None:
                return [_Mention(tail.start_char, tail.end_char, tail.text, tail.text, False)]
    return []


def _area(gaz: Gazetteer, name: str, cities: bool = False) -> Entry | None:
    """A country, region or county named exactly so (or, with ``cities``, a big town)."""
    if not name[:1].isupper():
        return None
    for e in gaz.lookup(name):
        if e.feature in _AREA_FEATURES and (e.feature != "admin2" or is_primary(e, name)):
            return e
        if cities and e.feature == "city" and e.population >= _BIG_CITY and is_primary(e, name):
            return e
    return None


def _called_a_state(span: Span, gaz: Gazetteer) -> Entry | None:
    """The first-level division a name followed by "state" or "province" names
    ("Washington state", "Punjab province"), when the gazetteer has one so called."""
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    if nxt is None or nxt.text not in ("state", "province"):
        return None
    return next((e for e in gaz.lookup(span.text) if e.feature == "admin1" and is_primary(e, span.text)), None)


def _big_place(gaz: Gazetteer, name: str) -> bool:
    """A place large enough to have parts: a country, a region or a big town, by its main name."""
    return any(is_primary(e, name) and (e.feature in _AREA_FEATURES or e.population >= _BIG_CITY)
               for e in gaz.lookup(name))


def _untagged(doc: Doc, gaz: Gazetteer, taken: set[int]) -> list[_Mention]:
    """Tokens outside NER that name a place by convention: "Va." after a town, "British"."""
    out: list[_Mention] = []
    for tok in doc_tokens(doc):
        if tok.i in taken or tok.ent_type_ or not tok.text[:1].isupper():
            continue
        if "." in tok.text and _ABBREV.match(tok.text) and tok.i >= 2 and doc[tok.i - 1].text == ",":
            state = gaz.state_abbreviation(tok.text)
            if state is not None and doc[tok.i - 2].text[:1].isupper():
                out.append(_Mention(tok.idx, tok.idx + len(tok.text), tok.text, state.name, False, state))
        elif tok.is_alpha and tok.tag_ in ("JJ", "NNP", "NNPS"):
            demonym = gaz.demonym(tok.text) if tok.lower_ in _IRREGULAR else None
            if demonym is not None:
                out.append(_Mention(tok.idx, tok.idx + len(tok.text), tok.text, tok.text, False, demonym))
    return out


def _town_called_person(span: Span, gaz: Gazetteer, persons: set[str]) -> bool:
    """A one-word PERSON that is a known town or region and no one's name in this
    article: NER often takes "Alexandria" for a person in local news."""
    if len(span) != 1 or span[0].lower_ in persons:
        return False
    nxt = span.doc[span.end] if span.end < len(span.doc) else None
    if nxt is not None and nxt.lemma_ in _SPEECH:
        return False  # "Alexandria said" is someone speaking
    return any(is_primary(e, span.text) and (e.feature in _AREA_FEATURES or e.population >= 20_000)
               for e in gaz.lookup(span.text))


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
    # "Dublin City Council", "the Paris City Manager": the town is the name before "City".
    if (end - start > 1 and doc[end - 1].lower_ == "city" and end < len(doc)
            and doc[end].lower_ in ("council", "manager", "hall", "commission", "clerk", "attorney", "schools")):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


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


def _context_regions(candidates: dict[_Mention, list[Entry]]) -> set[tuple[str, str]]:
    """First-level regions the article names outright ("Texas", "Va.")."""
    out: set[tuple[str, str]] = set()
    for m, cands in candidates.items():
        if m.loose:
            continue
        for e in cands:
            if e.feature == "admin1" and (m.fixed is e or is_primary(e, m.query)):
                out.add((e.country, e.name))
    return out
