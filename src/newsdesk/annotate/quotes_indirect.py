"""Indirect speech: reporting verbs, stance verbs and "according to", from the parse.

Takes a spaCy ``Doc`` (tagger, parser, NER) and the character ranges of quoted
text, and gives :class:`Cand` quote candidates (content char range, cue token,
speaker mention) for :mod:`newsdesk.annotate.quotes` to merge with direct quotes.

* A reporting verb (say, tell, warn, write, ...) with a subject and a clausal
  complement: the content stands after the verb (``X said that ...``), before it
  (``..., X said``) or around it (``The plan, X said, will fail``).
* Verbs of stance and communication with a noun-phrase object (``X criticized
  the plan``, ``X cited the report``) and infinitives (``X vowed to fight on``).
* ``according to X``. Cue nouns, topics of speech and headline sources are in
  :mod:`newsdesk.annotate.quotes_topics`.
* The cue words are :mod:`newsdesk.annotate.quotes_cues`; where content starts
  and ends (a reporter's gloss cut off, and so on) is
  :mod:`newsdesk.annotate.quotes_bounds`.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsdesk.annotate.nlp import doc_ents, doc_text, doc_tokens
from newsdesk.annotate.quotes_bounds import OPENERS, clip_to_line, cut_occasion, skip_connective, trim
from newsdesk.annotate.quotes_cues import INFINITIVE_CUES, OBJECT_CUES, is_cue, is_stance

_CONTENT_TAIL = frozenset({"conj", "cc", "appos", "dep", "attr", "dobj", "oprd", "ccomp"})
Blocked = list[tuple[int, int]]


@dataclass
class Cand:
    """A quote candidate before speaker resolution."""

    start: int
    end: int
    direct: bool
    cue: Token | None = None
    mention: Span | None = None
    resolve_as: Span | None = None  # what names the speaker when the mention is "who"


def subject_of(verb: Token) -> Token | None:
    """The speaker head of a reporting verb: its subject, or its head verb's for "adding"."""
    if verb.lower_ == "according":
        for to in verb.children:
            if to.lower_ == "to":
                objs = [c for c in to.children if c.dep_ == "pobj"]
                return objs[0] if objs else None
        return None
    for c in verb.children:
        if c.dep_ == "nsubj" and c.lower_ not in ("it", "there", "which", "that", "who"):
            return c
        if c.dep_ == "nsubj" and c.lower_ == "who" and verb.dep_ == "relcl":
            return c  # "a farmer who said ...": the antecedent is the speaker
    outer = verb.head.head
    if verb.dep_ == "conj" and verb.head.dep_ == "ccomp" and outer.i < verb.head.i and is_cue(outer, weak_ok=True):
        return subject_of(outer)  # "Kim said taxes would rise and urged ...": Kim urged, not the taxes
    if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head.i < verb.i:
        return subject_of(verb.head)
    return None


def mention_span(head: Token) -> Span:
    """The speaker mention: the head noun with the modifiers written before it."""
    left = head.i
    for c in head.lefts:
        if c.dep_ in ("compound", "det", "amod", "nmod", "poss", "nummod", "quantmod"):
            left = min(left, c.left_edge.i)
    doc = head.doc
    right = head.i
    for c in head.rights:  # "coalition and Iraqi officials": both are the speaker
        if c.dep_ == "conj":
            right = max(right, c.i)
    if right > head.i:
        return doc[left : right + 1]
    for ent in doc_ents(doc):  # never cut a name in two
        if ent.start <= head.i < ent.end:
            left = min(left, ent.start)
            return doc[left : max(head.i + 1, ent.end)]
    return doc[left : head.i + 1]


def find_indirect(doc: Doc, marked: Blocked) -> list[Cand]:
    """Reporting verbs with a subject and a clause: the content may stand before or after."""
    out: list[Cand] = []
    for v in doc_tokens(doc):
        if not (is_cue(v, weak_ok=True) or is_stance(v)) or in_marked(v.idx, marked):
            continue
        if v.text.isupper() and len(v.text) > 1:
            continue  # "EVEN HIS BOSS THINKS ...": a capitalised section label, not a report
        subj = subject_of(v)
        if subj is None:
            continue
        if subj.lower_ == "who" and not any(c.dep_ == "ccomp" for c in v.children):
            continue  # "a man who has vowed to ...": a description of the man, not his words
        if unperformed(v):
            continue
        rng = _content_range(v, subj) if is_cue(v, weak_ok=True) else None
        if rng is None and is_stance(v):
            rng = _stance_content(v)
        if rng is None:
            continue
        rng = clip_to_line(doc_text(doc), rng, v.idx)
        rng = _repair_content(v, subj, rng) if rng is not None else None
        if rng is None:
            continue
        if _not_said(v, rng):
            continue
        if rng[0] < v.idx:
            rng = (skip_connective(doc, rng[0], rng[1]), rng[1])
            rng = _skip_fronted_adverbial(v, subj, rng)
        antecedent = subj.head.head if subj.lower_ == "who" else None
        if antecedent is not None and antecedent.dep_ == "appos" and antecedent.head.pos_ == "PROPN":
            antecedent = antecedent.head  # "Jo Lee, a farmer who said": the name, not the role
        resolve_as = (
            mention_span(antecedent) if antecedent is not None and antecedent.pos_ in ("PROPN", "NOUN") else None
        )
        out.append(Cand(rng[0], rng[1], False, v, mention_span(subj), resolve_as))
    return out


#: Verbs whose infinitive complement is an act not (yet) done: "tried to talk to X about Y".
_UNDONE_LEMMAS = frozenset({"try", "attempt", "seek", "fail", "rely", "struggle", "scramble", "need"})


def unperformed(v: Token) -> bool:
    """A saying that was only attempted or needed: "tried to talk to her about it", "needs to explain"."""
    return v.dep_ in ("xcomp", "advcl") and v.head.lemma_.lower() in _UNDONE_LEMMAS and v.head.i < v.i


def _not_said(v: Token, rng: tuple[int, int]) -> bool:
    """Content that the cue cannot have said, however the parse joined them.

    * "Everything she says is a lie": a cue inside a relative clause describes
      its antecedent; the clause around the antecedent is the reporter's claim.
    * "..., according to the letter, which ...": a relative clause about the
      source is the reporter's gloss on the source.
    * "she said, but the crowd ...": a clause joined to the cue by "but" or
      "and" after it is the reporter's narrative.
    """
    doc = v.doc
    span = doc.char_span(rng[0], rng[1], alignment_mode="expand")
    if span is None or not len(span):
        return False
    if v.dep_ == "relcl" and not (span.start <= v.i < span.end) and span.start <= v.head.i < span.end:
        return True
    first = span[0]
    if v.lower_ == "according" and first.lower_ in ("which", "who", "whom", "whose") and first.head.dep_ == "relcl":
        return True
    between = doc[v.i + 1 : span.start]
    return span.start > v.i and any(t.dep_ == "cc" and t.head == v for t in between)


def _skip_fronted_adverbial(v: Token, subj: Token, rng: tuple[int, int]) -> tuple[int, int]:
    """Start after the cue when only a fronted adverbial stands before the attribution.

    "Back home, Kim said, she began to write": the speaker is named mid-sentence
    and what precedes the name is a scene-setting phrase with no subject of its
    own, so the report is what follows the cue. "The plan, Kim said, will fail"
    keeps its subject, and a condition ("If it fails, Kim said, ...") is part of
    what was said.
    """
    doc = v.doc
    mention = mention_span(subj)
    if not (rng[0] < mention.start_char and rng[1] > v.idx + len(v.text)) or subj.i > v.i:
        return rng
    before = [t for t in doc[mention.start - 1 : mention.start]]
    first = doc.char_span(rng[0], rng[1], alignment_mode="expand")
    if first is None or not before or before[0].text not in (",", "—", "–"):
        return rng
    lead = doc[first.start : mention.start - 1]
    if len(lead) < 2 or any(t.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") for t in lead):
        return rng
    if any(t.lower_ in ("if", "unless") and t.dep_ == "mark" for t in lead):
        return rng
    k = v.i + 1
    while k < len(doc) and (doc[k].is_punct or doc[k].dep_ == "advmod" and doc[k].head == v):
        k += 1
    if k >= len(doc) or doc[k].idx >= rng[1]:
        return rng
    return doc[k].idx, rng[1]


_ADVERBIAL_MARKS = frozenset({"before", "after", "until", "since", "when", "while", "once", "whenever"})


def _repair_content(v: Token, subj: Token, rng: tuple[int, int]) -> tuple[int, int] | None:
    """Fix or reject content ranges that the parse got structurally wrong.

    * Content that opens with its own speaker and cue ("which she said was a
      bargain") starts after the cue.
    * Content written before the cue must not end in a colon or semicolon:
      those introduce or separate, so "It is unlikely; the team says ..." and
      "..., Kim said: ..." do not report the text before them.
    * An adverbial clause of the cue ("said before he died") is when or why
      something was said, not what.
    """
    doc = v.doc
    start, end = rng
    mention = mention_span(subj)
    lead = [t for t in doc[mention.start : v.i + 1] if t.idx >= start] if mention.start < v.i else []
    if lead and lead[0].idx == start and v.i + 1 < len(doc) and doc[v.i + 1].idx < end:
        if doc[v.i + 1].is_punct:
            return None  # "she said, but ...": what follows is the reporter's narrative
        start = doc[v.i + 1].idx
    if end <= mention.start_char:
        between = doc_text(doc)[end : mention.start_char]
        if ":" in between or ";" in between:
            return None
        nxt = doc[v.i + 1] if v.i + 1 < len(doc) else None
        if nxt is not None and nxt.text == ":":
            return None
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return start, end
    root = next((t for t in span if t.head == t or not start <= t.head.idx < end), None)
    if root is not None and root.dep_ == "advcl" and root.head == v:
        first = span[0]
        if first.lower_ in _ADVERBIAL_MARKS or (first.pos_ == "AUX" and first.head == root):
            return None  # "said before he died", "Should it fail, X warned ..."
    return start, end


#: Prepositions that carry the rest of a stance verb's content ("blamed him for the loss").
_STANCE_PREPS = frozenset({"for", "of", "as", "over", "on", "about"})


#: Stance verbs that also name a physical act: "attacked the ship", "hit the town".
_PHYSICAL_LEMMAS = frozenset({"attack", "blast", "hit", "strike", "target"})
#: Entity types of places and things (ships, buildings, towns), which one attacks physically, not in words.
_THING_ENTS = frozenset({"FAC", "GPE", "LOC", "PRODUCT", "ORG"})


def _not_a_statement(v: Token, obj: Token) -> bool:
    """Objects that make a stance verb a deed: "attacked the USS Cole", "called a meeting"."""
    lemma = v.lemma_.lower()
    if lemma in _PHYSICAL_LEMMAS and obj.ent_type_ in _THING_ENTS:
        return True
    if lemma == "call" and obj.dep_ == "dobj" and not any(c.dep_ in ("oprd", "xcomp", "ccomp") for c in v.children):
        # "called an emergency meeting" convenes; "called the plan a hoax" judges (that needs a complement)
        return any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in obj.children)
    return False


def _stance_content(v: Token) -> tuple[int, int] | None:
    """The object of a stance verb and what its prepositions add: "him for not paying taxes"."""
    objs = [c for c in v.children if c.dep_ in ("dobj", "ccomp", "xcomp") and c.i > v.i]
    if not objs or _not_a_statement(v, objs[0]):
        return None
    lo, hi = objs[0].left_edge.i, objs[0].right_edge.i + 1
    for c in v.rights:
        if (
            c.i >= hi
            and c.left_edge.i == hi
            and (c.dep_ == "prep" and c.lower_ in _STANCE_PREPS or c.dep_ in ("oprd", "xcomp", "ccomp"))
        ):
            hi = c.right_edge.i + 1  # "called the charges unsubstantiated", "blamed him for it"
    return trim(v.doc, lo, cut_occasion(v.doc, lo, hi), min_tokens=MIN_STANCE_TOKENS)


def _content_range(v: Token, subj: Token) -> tuple[int, int] | None:
    doc = v.doc
    if v.lower_ == "according":
        head = v.head
        lo, hi = head.left_edge.i, head.right_edge.i + 1
        if v.i > head.i:
            return trim(doc, lo, v.left_edge.i)
        return trim(doc, v.right_edge.i + 1, hi)
    comps = [c for c in v.children if c.dep_ == "ccomp"]
    if comps:
        c = comps[0]
        lo, hi = c.left_edge.i, c.right_edge.i + 1
        if lo <= subj.i < hi:  # the parse put the speaker inside the content: keep the far side
            lo = subj.right_edge.i + 1 if subj.i < v.i else lo
        if c.i > v.i:
            hi = _content_end(v, c, hi)
        return trim(doc, lo, hi)
    if v.i > subj.i and (content := _object_content(v)) is not None:
        return trim(doc, content.left_edge.i, content.right_edge.i + 1)
    # "The threat has lessened, X said." parsed with the content as the head.
    rest = doc[v.right_edge.i + 1 : v.head.right_edge.i + 1]
    head = v.head
    lo = min(head.left_edge.i, v.left_edge.i)
    inside = v.dep_ == "parataxis" and lo < subj.left_edge.i and v.right_edge.i < head.right_edge.i
    if inside and not is_cue(head, weak_ok=True) and doc[subj.left_edge.i - 1].text in (",", "—", "–"):
        return trim(doc, lo, head.right_edge.i + 1)  # "The plan, he said, will fail": the saying inside
    if (
        v.dep_ in ("parataxis", "ccomp")
        and v.head.i < v.i
        and v.left_edge.i > v.head.left_edge.i
        and not is_cue(v.head, weak_ok=True)
        and all(t.is_punct or t.is_space for t in rest)
        and {doc[v.left_edge.i].text, doc[v.left_edge.i - 1].text} & {",", "—", "–", "”", '"'}
    ):  # "..., X said." and not "The issue is that X proposes ..."
        return trim(doc, v.head.left_edge.i, v.left_edge.i)
    return None


MIN_OBJECT_TOKENS = 3
MIN_STANCE_TOKENS = 2  # "attacked the plan"; a bare name ("attacked Smith") is not a statement


def _object_content(v: Token) -> Token | None:
    """The head of non-clausal content: an infinitive, "call for X", or a weighty object."""
    lemma = v.lemma_.lower()
    for c in v.children:
        if c.dep_ == "xcomp" and lemma in INFINITIVE_CUES:
            return c
    for c in v.children:
        if lemma == "call" and c.dep_ == "prep" and c.lower_ == "for":
            # "called for a ban": what was demanded is the ban; "for" belongs to the cue
            return next((t for t in c.children if t.dep_ in ("pobj", "pcomp")), c)
        if c.dep_ == "dobj" and lemma in OBJECT_CUES and c.right_edge.i - c.left_edge.i + 1 >= MIN_OBJECT_TOKENS:
            return c
    return None


def _content_end(v: Token, comp: Token, hi: int) -> int:
    """Take in what the parse hung on the verb after its clause ("..., but would add $8bn").

    Stops at a second reporting verb ("adding that ...") and at a quote mark,
    which starts a new quote.
    """
    for c in v.rights:
        if c.i <= comp.i or c.is_punct:
            continue
        # Adjuncts of the saying ("in a statement", "adding that ...", "citing ...") end the content.
        if is_cue(c, weak_ok=True) or c.dep_ not in _CONTENT_TAIL:
            break
        if c.dep_ in ("conj", "dep") and any(s.dep_ in ("nsubj", "nsubjpass") for s in c.children):
            break  # "X said A, but polls are not B": a new subject starts the reporter's own clause
        if any(t.text in OPENERS for t in c.doc[hi : c.left_edge.i]):
            break
        hi = max(hi, c.right_edge.i + 1)
    return hi


def in_marked(char: int, marked: Blocked) -> bool:
    return any(s <= char < e for s, e in marked)
