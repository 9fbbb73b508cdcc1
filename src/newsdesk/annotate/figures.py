"""Figures: numbers that count something, with what they count and when.

Takes a parsed spaCy ``Doc``, the article's resolved :class:`DateMention` list
and its publication date; gives :class:`~newsdesk.model.Figure` spans such as
"about 5,200 US troops" (value 5200, qualifier "about", counts "US troops").

What counts as a figure
    Digits and number words ("5,200", "three", "2.5 million", "$1.2bn"), with
    the qualifier written before them ("about", "more than", "up to", ...).
    Money and percentages carry a ``unit`` ("USD", "percent"). "half of its
    400 troops" gives the 400 only: fractions are not figures.

What does not
    Durations ("60 days", "a three-year campaign", "24-hour"): they are
    temporal expressions, which the dates layer reads. Years and dates, times, ordinals, list numbers ("1. SECURITY ..."), slide
    counters ("1 / 3"), phone numbers and clock times, ages ("35-year-old"),
    reading times ("3 min read"), and "one" when it is not counting ("one of",
    "one" with no noun, "One reader wrote", "one-time"; but "at least one" and
    "one vote for A, 13 for B" count). Names and identifiers ("Final Four",
    "Chapter One", "Channel 9", "Horizon 2020", street numbers), ratios and
    scores ("one in five", "0 for 12"), heights ("6-foot-7") and "turn 18".

What a figure counts
    The noun the number modifies, with its compound and adjective modifiers
    ("US troops"); for a partitive, the noun after "of" ("three of the eight
    bases" -> "bases"); for a range attached to an event noun ("the U.S.
    troop drawdown from 3,000 to 2,500"), the noun compounded onto that event,
    made plural ("U.S. troops").

As of
    The value of a date in the figure's clause or in a clause governing it
    ("... from 3,000 to 2,500 by mid-January"); else the publication date;
    else None. Dates in a relative clause under the figure ("troops in Iraq,
    which the US invaded in 2003") do not count.

:func:`quantity_key` and :func:`same_quantity` tell whether two figures count
the same thing, so the brief can build a series from them.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from newsdesk.annotate.nlp import doc_text, doc_tokens
from newsdesk.lexicon import MONTH_NAMES, NUMBER_WORDS, alternation, number_words, word_list
from newsdesk.model import DateMention, Figure, PubDate

_UNITS = {**NUMBER_WORDS, "dozen": 12}
_SCALES = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "k": 1e3, "m": 1e6, "mn": 1e6, "mln": 1e6, "bn": 1e9, "b": 1e9, "tn": 1e12}
_ONE_TO_TEN = alternation(number_words(1, 10))
_DIGITS = re.compile(r"^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?([a-z]{0,3})$", re.IGNORECASE)

#: A word that starts like a month name ("Mar", "January", "Sept."): a number beside it is taken for part of a date.
_MONTH = rf"(?:{alternation([name[:3] for name in MONTH_NAMES])})[a-z]*"
#: Words before a figure that qualify it, longer phrases first (see the data file).
_QUALIFIERS = word_list("newsdesk.annotate", "figure_qualifiers.txt")
_CURRENCY_SYMBOLS = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}
_CURRENCY_WORDS = {"dollar": "USD", "euro": "EUR", "yen": "JPY", "yuan": "CNY", "rupee": "INR"}
_PERCENT = {"%", "percent", "per cent", "pct"}
_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century",
               "fortnight", "min", "hr"}
#: Nouns that name a change or a level of something, not the thing counted:
#: "troop drawdown from 3,000 to 2,500", "troop numbers rose to 5,000".
_MEASURE_NOUNS = frozenset(word_list("newsdesk.annotate", "measure_nouns.txt"))
#: Adjectives that do not change what is counted ("500 more troops").
_VAGUE_ADJ = {"more", "other", "additional", "further", "several", "many", "few", "extra", "some",
              "remaining", "estimated", "roughly", "about"}

#: Head nouns treated as one quantity. Kept small and generic on purpose:
#: military personnel and people, the cases where newswire varies the word.
_HEAD_SYNONYMS = {
    "troop": "troops", "soldier": "troops", "force": "troops", "personnel": "troops",
    "serviceman": "troops", "servicemember": "troops", "servicewoman": "troops",
    "person": "people", "people": "people", "individual": "people",
}
#: Modifiers that name the same country: "US", "U.S.", "American", "United States".
_MODIFIER_SYNONYMS = {
    "us": "US", "u.s.": "US", "usa": "US", "american": "US", "america": "US",
    "united states": "US", "uk": "UK", "u.k.": "UK", "british": "UK", "britain": "UK",
}
_IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child",
              "personnel": "personnel", "police": "police", "staff": "staff"}


# ---- public ------------------------------------------------------------------


def find_figures(doc: Doc, dates: list[DateMention], published: PubDate | None) -> list[Figure]:
    """Figures in ``doc``, in text order; see the module docstring."""
    figures: list[Figure] = []
    for tok in doc_tokens(doc):
        figures.extend(_percent_pair(doc, tok))
    for group in _number_groups(doc):
        fig = _figure(doc, group, dates, published)
        if fig is not None:
            figures.append(fig)
    return sorted(figures, key=lambda f: f.start)


def _percent_pair(doc: Doc, tok: Token) -> list[Figure]:
    """ "58%-33%", which the tokenizer keeps as one token "58%-33": two percentages."""
    m = re.fullmatch(r"(\d+(?:\.\d+)?)%-(\d+(?:\.\d+)?)", tok.text)
    if m is None or tok.i + 1 >= len(doc) or doc[tok.i + 1].text != "%":
        return []
    a, b = tok.idx, tok.idx + m.start(2)
    end = doc[tok.i + 1].idx + 1
    text = doc_text(doc)
    return [Figure(a, a + m.end(1) + 1, text[a : a + m.end(1) + 1], float(m.group(1)), None, None, "percent"),
            Figure(b, end, text[b:end], float(m.group(2)), None, None, "percent")]


def quantity_key(f: Figure) -> str:
    """A canonical label for what ``f`` counts: "American soldiers" -> "US troops".

    Modifiers naming the same country are merged, the head noun is made
    singular and mapped through a small table of synonyms for troops and
    people. Money and percent figures are keyed by unit; an unknown count
    gives "" (and is never the same quantity as anything).
    """
    if f.counts is None:
        return f.unit or ""
    words = _split_counts(f.counts)
    if not words:
        return f.unit or ""
    head = _singular(words[-1].lower())
    head = _HEAD_SYNONYMS.get(head, head)
    mods = [_MODIFIER_SYNONYMS.get(w.lower(), w.lower()) for w in words[:-1]
            if w.lower() not in _VAGUE_ADJ]
    key = " ".join([*mods, head])
    return f"{key} ({f.unit})" if f.unit else key


def same_quantity(a: Figure, b: Figure) -> bool:
    """Whether two figures count the same thing ("about 5,200 US troops" ~ "5,200 American soldiers")."""
    ka, kb = quantity_key(a), quantity_key(b)
    return bool(ka) and ka == kb and a.unit == b.unit


# ---- number groups -----------------------------------------------------------


def _is_number_token(t: Token) -> bool:
    if t.tag_ == "CD" or t.like_num:
        return bool(_DIGITS.match(t.text)) or t.lower_ in _UNITS or t.lower_ in _SCALES or \
            bool(re.fullmatch(r"[a-z]+(?:-[a-z]+)?", t.lower_) and all(p in _UNITS for p in t.lower_.split("-")))
    return t.lower_ in ("hundred", "thousand", "million", "billion", "trillion") and t.i > 0 and \
        _is_number_token(t.doc[t.i - 1])


def _number_groups(doc: Doc) -> list[list[Token]]:
    groups: list[list[Token]] = []
    current: list[Token] = []
    for t in doc_tokens(doc):
        if _is_number_token(t):
            if current and t.i == current[-1].i + 2 and doc[t.i - 1].text == "-" and \
                    current[-1].lower_ in _UNITS and t.lower_ in _UNITS:
                current.append(t)  # "Forty-six" split into "Forty", "-", "six"
                continue
            if current and t.i == current[-1].i + 1:
                current.append(t)
                continue
            if current:
                groups.append(current)
            current = [t]
        elif current and t.text == "-" and current[-1].lower_ in _UNITS and t.i + 1 < len(doc) \
                and doc[t.i + 1].lower_ in _UNITS:
            continue  # the hyphen inside "Forty-six"
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups


def parse_number(text: str) -> float | None:
    """ "5,200" -> 5200, "2.5 million" -> 2.5e6, "1.2bn" -> 1.2e9, "twenty-five" -> 25."""
    total, current = 0.0, 0.0
    seen = False
    for word in re.split(r"[\s-]+", text.strip().lower()):
        m = _DIGITS.match(word)
        if m:
            current += float(m.group(1).replace(",", "") + (m.group(2) or ""))
            suffix = m.group(3).lower()
            if suffix:
                if suffix not in _SCALES:
                    return None
                current *= _SCALES[suffix]
            seen = True
        elif word in _UNITS:
            current += _UNITS[word]
            seen = True
        elif word == "hundred":
            current = (current or 1) * 100
        elif word in _SCALES and seen:
            total += (current or 1) * _SCALES[word]
            current = 0.0
        elif word == "and":
            continue
        else:
            return None
    return total + current if seen else None


# ---- one figure --------------------------------------------------------------


def _figure(doc: Doc, group: list[Token], dates: list[DateMention], published: PubDate | None) -> Figure | None:
    first, last = group[0], group[-1]
    value = parse_number(doc[first.i : last.i + 1].text)
    if value is None or _not_a_count(doc, group, value):
        return None
    main = _main_token(group)
    counts, unit, end_tok = _what_it_counts(doc, group, main)
    if counts is None and unit is None:
        counts = _tally_counts(doc, group)

    date_overlap = _overlapping_date(first.idx, last.idx + len(last), dates)
    if unit is not None and unit not in ("USD", "EUR", "GBP", "JPY", "CNY", "INR", "percent"):
        return None  # a duration
    if date_overlap is not None:
        return None
    if any(t.ent_type_ in ("DATE", "TIME", "ORDINAL") for t in group):
        return None
    if _looks_like_year(first, group, value, counts, unit):
        return None
    if value == 1 and first.lower_ in ("one", "a") and unit is None and \
            (counts is None or _next_word(doc, last) == "of"):
        return None
    if _is_name_or_id(doc, group, counts, unit) or _one_as_article(doc, group, value):
        return None

    start = first.idx
    if first.i > 0 and doc[first.i - 1].text in _CURRENCY_SYMBOLS:
        unit = unit or _CURRENCY_SYMBOLS[doc[first.i - 1].text]
        start = doc[first.i - 1].idx
    qualifier, qstart = _qualifier(doc, start)
    end = max(last.idx + len(last), end_tok.idx + len(end_tok)) if end_tok is not None else last.idx + len(last)
    if value == 1 and counts is None and unit is None:
        return None
    as_of = _as_of(doc, main, start, end, dates, published)
    return Figure(qstart, end, doc_text(doc)[qstart:end], value, qualifier, counts, unit, as_of)


def _not_a_count(doc: Doc, group: list[Token], value: float) -> bool:
    first, last = group[0], group[-1]
    text = doc_text(doc)
    after = text[last.idx + len(last) : last.idx + len(last) + 20]
    before = text[max(0, first.idx - 20) : first.idx]
    # "1. SECURITY COULD WORSEN", "2) ...": a list number at the start of a line or sentence.
    if len(group) == 1 and value < 100 and re.match(r"[.)]\s+\S", after) and \
            (not before.strip() or re.search(r"(?:^|[.!?:\n\u201d\"])\s*$", before)):
        return True
    # "1 / 3": slide counters; "10:00", "555-1234", "2/3": clock times, phone numbers, fractions.
    if re.match(r"\s*/\s*\d", after) or re.search(r"\d\s*/\s*$", before):
        return True
    if re.match(r"[:\-.]\d", after) or re.search(r"\d[:\-]$", before) or re.search(r"[()+]\s*$", before[-2:]):
        return True
    # Dates spaCy did not tag: "Mar 23, 2020", "23 January".
    if re.search(r"\b" + _MONTH + r"\.?\s*$", before, re.IGNORECASE) or re.match(r"\s*" + _MONTH + r"\b", after, re.IGNORECASE):
        return True
    # Ages and reading times: "35-year-old", "aged 60", "3 min read".
    if re.match(r"-?\s*years?[- ]old", after, re.IGNORECASE) or re.search(r"\baged\s+$", before, re.IGNORECASE):
        return True
    return bool(re.match(r"\s*mins?\.?\s+read", after, re.IGNORECASE))


def _is_name_or_id(doc: Doc, group: list[Token], counts: str | None, unit: str | None) -> bool:
    """Numbers that name rather than count: "Final Four", "Chapter One", "Fox News 6",
    "Horizon 2020", "2231 Royal St", "0 for 10", "one in five", "turn 18", "6-foot-7"."""
    first, last = group[0], group[-1]
    prev = doc[first.i - 1] if first.i > 0 else None
    nxt = doc[last.i + 1] if last.i + 1 < len(doc) else None
    text = doc_text(doc)
    after = text[last.idx + len(last) : last.idx + len(last) + 20]
    # A capitalised number word after a capitalised word, mid-sentence: a title.
    if first.text[:1].isupper() and first.text.isalpha() and prev is not None and \
            prev.text[:1].isupper() and not prev.is_sent_start and prev.pos_ in ("PROPN", "ADJ", "NOUN"):
        return True
    # A number after the capitalised name it belongs to: "Louisville 0", "Horizon 2020".
    main = _main_token(group)
    if main.dep_ == "nummod" and main.head.i < first.i and main.head.text[:1].isupper():
        return True
    # A number right after a proper noun, counting nothing: a channel, a programme, a score.
    if prev is not None and prev.pos_ == "PROPN" and prev.text[:1].isupper() and counts is None and unit is None:
        return True
    # A street number: digits without a thousands comma before a capitalised name
    # that the parser does not read as what is counted ("2231 Royal", "8024 Turtle Creek Cir.").
    if len(group) == 1 and re.fullmatch(r"\d{2,5}", first.text) and nxt is not None and \
            nxt.pos_ == "PROPN" and nxt.text[:1].isupper() and \
            (prev is None or prev.is_sent_start or prev.lower_ in ("is", "at", "on") or "\n" in prev.text) and \
            (counts is None or counts[:1].isupper()):
        return True
    # Ratios and scores: "one in five", "0 for 10", "3-2"; heights "6-foot-7"; "20-somethings".
    if re.match(rf"\s+(?:in|for|out of)\s+(?:\d+|{_ONE_TO_TEN})\b", after, re.IGNORECASE):
        return True
    if re.search(r"\b(?:in|for|out of)\s+$", text[max(0, first.idx - 8) : first.idx], re.IGNORECASE) and \
            prev is not None and prev.i > 0 and _is_number_token(doc[prev.i - 1]):
        return True
    if re.match(r"-(?:foot|feet|ft)-\d|-somethings?\b|-pointers?\b", after, re.IGNORECASE):
        return True
    # "will turn 18": an age.
    return prev is not None and prev.lemma_.lower() == "turn" and counts is None and unit is None


def _one_as_article(doc: Doc, group: list[Token], value: float) -> bool:
    """ "One user tweeted", "one county court", "one-time rival": "one" as an article,
    not a count. In a tally ("one vote for A, 13 for B") another number stands near it."""
    first = group[0]
    if value != 1 or len(group) != 1 or first.lower_ != "one":
        return False
    if first.i + 1 < len(doc) and doc[first.i + 1].text == "-":
        return True
    # "at least one veranda", "only one vote": a qualifier makes it a count.
    if re.search(r"\b(?:least|most|only|just|than|exactly)\s+$", doc_text(doc)[max(0, first.idx - 12) : first.idx], re.IGNORECASE):
        return False
    sent = first.sent
    near = [t for t in doc[max(sent.start, first.i - 8) : min(sent.end, first.i + 9)]
            if t.i != first.i and _is_number_token(t)]
    return not near


def _tally_counts(doc: Doc, group: list[Token]) -> str | None:
    """ "one vote for A, 13 for B": a bare number followed by "for" in a tally
    counts what the nearest earlier number of its sentence counts."""
    last = group[-1]
    if _next_word(doc, last) != "for":
        return None
    sent = last.sent
    for t in reversed(doc[sent.start : group[0].i]):
        if t.dep_ == "nummod" and t.head.pos_ == "NOUN" and t.head.i > t.i:
            return t.head.text
    return None


def _next_word(doc: Doc, tok: Token) -> str:
    return doc[tok.i + 1].lower_ if tok.i + 1 < len(doc) else ""


def _main_token(group: list[Token]) -> Token:
    """The token of the group whose head lies outside it."""
    ids = {t.i for t in group}
    for t in reversed(group):
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return group[-1]


def _looks_like_year(first: Token, group: list[Token], value: float, counts: str | None, unit: str | None) -> bool:
    return (len(group) == 1 and bool(re.fullmatch(r"1[0-9]{3}|20[0-9]{2}", first.text))
            and counts is None and unit is None)


def _qualifier(doc: Doc, start: int) -> tuple[str | None, int]:
    before = doc_text(doc)[max(0, start - 25) : start]
    low = before.lower()
    for q in _QUALIFIERS:
        if re.search(r"(?:^|[^a-z])" + re.escape(q) + r"\s+$", low):
            qs = start - len(before) + low.rstrip().rfind(q)
            return q, qs
    return None, start


def _what_it_counts(doc: Doc, group: list[Token], main: Token) -> tuple[str | None, str | None, Token | None]:
    """(counts, unit, last token of the figure's text) for a number group."""
    ids = {t.i for t in group}
    nxt = doc[group[-1].i + 1] if group[-1].i + 1 < len(doc) else None
    if nxt is not None and (nxt.text in _PERCENT or doc_text(doc)[nxt.idx : nxt.idx + 8].lower() == "per cent"):
        return None, "percent", nxt if nxt.text != "per" else doc[min(nxt.i + 1, len(doc) - 1)]
    # "one to two per cent": the low end of a percent range.
    rng = re.match(r"\s*(?:to|-|and)\s*\S+\s*(?:%|percent\b|per cent\b)",
                   doc_text(doc)[group[-1].idx + len(group[-1]) : group[-1].idx + len(group[-1]) + 30])
    if rng is not None and nxt is not None and nxt.lower_ in ("to", "-", "and") and nxt.i + 1 < len(doc) \
            and _is_number_token(doc[nxt.i + 1]):
        return None, "percent", None
    # Walk a range or conjunction to the number that carries the syntax: in
    # "from 3,000 to 2,500" the first is a quantmod of the second.
    anchor, hops = main, 0
    while anchor.dep_ in ("quantmod", "conj", "appos") and _is_number_token(anchor.head) and hops < 3:
        anchor, hops = anchor.head, hops + 1
    head = anchor.head
    if anchor.dep_ == "nummod" and head.pos_ in ("NOUN", "PROPN") and head.i not in ids:
        lemma = head.lemma_.lower()
        if lemma in _CURRENCY_WORDS:
            return None, _CURRENCY_WORDS[lemma], head
        if lemma in _TIME_UNITS:
            return None, head.lower_, head
        if lemma in _MEASURE_NOUNS and _event_counts(head) is not None:
            return _event_counts(head), None, None
        return _noun_phrase(doc, head, ids), None, head if hops == 0 and head.i > main.i else None
    # "three of the eight bases": the partitive's noun.
    for child in anchor.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            pobj = next((c for c in child.children if c.dep_ == "pobj" and c.pos_ in ("NOUN", "PROPN")), None)
            if pobj is not None:
                return _noun_phrase(doc, pobj, ids), None, None
    # "the troop drawdown from 3,000 to 2,500": what the range modifies.
    if anchor.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("from", "to", "between", "by", "of"):
        target = head.head
        if target.pos_ == "NOUN":
            return _event_counts(target), None, None
        if target.pos_ in ("VERB", "AUX"):
            obj = next((c for c in target.children if c.dep_ in ("dobj", "nsubjpass", "nsubj")
                        and c.pos_ == "NOUN"), None)
            if obj is not None:
                if obj.lemma_.lower() in _MEASURE_NOUNS:
                    return _event_counts(obj), None, None
                return _noun_phrase(doc, obj, set()), None, None
    return None, None, None


def _event_counts(noun: Token) -> str | None:
    """ "U.S. troop drawdown" -> "U.S. troops": the compound before an event or measure noun."""
    comps = [c for c in noun.lefts if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN")]
    if not comps:
        return None
    last = comps[-1]
    mods = [t for t in last.subtree if t.i < last.i and t.dep_ in ("compound", "amod") and not t.is_punct]
    words = [t.text for t in mods] + [_plural(last.text)]
    return " ".join(words)


def _noun_phrase(doc: Doc, head: Token, exclude: set[int]) -> str:
    """The head noun with its compound and adjective modifiers, as written."""
    start = head.i
    for child in sorted(head.lefts, key=lambda c: -c.i):
        if child.i in exclude or child.dep_ not in ("compound", "amod", "nmod") or child.like_num:
            break
        if child.lower_ in _VAGUE_ADJ:
            break
        start = min(t.i for t in child.subtree)
        if any(t.i in exclude for t in child.subtree):
            start = child.i
    # Do not let an earlier gap of excluded tokens leak into the phrase.
    start = max(start, max((i for i in exclude if i < head.i), default=-1) + 1)
    # Nor a line break: a headline above is not a modifier.
    while start < head.i and "\n" in doc[start : head.i + 1].text:
        start += 1
    return doc[start : head.i + 1].text


def _overlapping_date(start: int, end: int, dates: list[DateMention]) -> DateMention | None:
    for d in dates:
        if d.start < end and start < d.end:
            return d
    return None


def _clause(tok: Token) -> Token:
    """The nearest verb governing ``tok`` (or the root)."""
    t = tok
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def _as_of(doc: Doc, main: Token, start: int, end: int, dates: list[DateMention],
           published: PubDate | None) -> str | None:
    sent = main.sent
    clause = _clause(main)
    governing = {clause.i}
    t = clause
    while t.head.i != t.i:
        t = t.head
        if t.pos_ in ("VERB", "AUX"):
            governing.add(t.i)
    best: tuple[int, str] | None = None
    for d in dates:
        if d.value is None or d.kind not in ("DATE", "TIME") or not (sent.start_char <= d.start < sent.end_char):
            continue
        if d.start < end and start < d.end:
            continue
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is None:
            continue
        # "currently" resolves to PRESENT_REF: the figure holds at publication.
        value = d.value if d.value[:1].isdigit() else (published.date if published and d.value == "PRESENT_REF" else None)
        if value is not None and _clause(span.root).i in governing:
            distance = min(abs(d.start - end), abs(start - d.end))
            if best is None or distance < best[0]:
                best = (distance, value)
    if best is not None:
        return best[1]
    return published.date if published is not None else None


# ---- words -------------------------------------------------------------------


def _split_counts(counts: str) -> list[str]:
    # "United States troops": keep a multi-word country together.
    low = counts.lower()
    for name in ("united states", "united kingdom"):
        if name in low:
            i = low.index(name)
            counts = counts[:i] + name.replace(" ", "_") + counts[i + len(name):]
    return [w.replace("_", " ") for w in counts.split()]


def _singular(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(ss|sh|ch|x|z)es$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _plural(word: str) -> str:
    low = word.lower()
    if low in _IRREGULAR.values() or low.endswith("s"):
        return word
    if low.endswith("y") and low[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if re.search(r"(sh|ch|x|z)$", low):
        return word + "es"
    return word + "s"
