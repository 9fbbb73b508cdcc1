"""Indirect speech: reporting verbs, cue nouns and "according to", from the parse.

Takes a spaCy ``Doc`` (tagger, parser, NER) and the character ranges of quoted
text, and gives :class:`Cand` quote candidates (content char range, cue token,
speaker mention) for :mod:`newsdesk.annotate.quotes` to merge with direct quotes.

* A reporting verb (say, tell, warn, write, ...) with a subject and a clausal
  complement: the content stands after the verb (``X said that ...``), before it
  (``..., X said``) or around it (``The plan, X said, will fail``).
* Verbs of stance and communication with a noun-phrase object (``X criticized
  the plan``, ``X cited the report``) and infinitives (``X vowed to fight on``).
* ``according to X``; cue nouns with a that-clause (``his claim that ...``).
* Content boundaries follow the news-writing conventions for what the source
  said: a trailing non-restrictive relative clause, appositive or participle
  after a comma is the reporter's gloss, not the source's words, and is cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsdesk.annotate.nlp import doc_text

#: Lemmas of verbs that report speech, writing or a stated position.
REPORT_LEMMAS = frozenset(
    """
    say tell add warn note announce claim argue write state explain insist acknowledge admit
    agree predict declare contend recall respond reply complain estimate conclude indicate reveal
    confirm deny urge suggest report assert maintain caution stress emphasize emphasise observe
    remark comment mention testify tweet post ask believe think fear worry hope expect feel
    find show allege charge concede counter joke boast promise pledge vow threaten recount
    describe signal tout lament call demand propose decline refuse offer want plan intend
    """.split()  # noqa: SIM905 - a word list reads better as prose
)
#: Verbs that only report when they take a clause (never from a quote window alone).
_WEAK_CUES = frozenset(
    {
        "find",
        "show",
        "feel",
        "hope",
        "expect",
        "describe",
        "post",
        "call",
        "decline",
        "refuse",
        "offer",
        "want",
        "plan",
        "intend",
    }
)


OPENERS = '“‘"'
CLOSERS = '”’"'
_CONTENT_TAIL = frozenset({"conj", "cc", "appos", "dep", "attr", "dobj", "oprd", "ccomp"})
_WORD = re.compile(r"\w+")
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


def is_cue(tok: Token, weak_ok: bool) -> bool:
    if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
        return True
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX") or lemma not in REPORT_LEMMAS:
        return False
    return weak_ok or lemma not in _WEAK_CUES


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
    for ent in doc.ents:  # never cut a name in two
        if ent.start <= head.i < ent.end:
            left = min(left, ent.start)
            return doc[left : max(head.i + 1, ent.end)]
    return doc[left : head.i + 1]


def _trim(doc: Doc, a: int, b: int, min_tokens: int = 3) -> tuple[int, int] | None:
    """Token range [a, b) -> char range, without edge punctuation or a leading "that"."""
    while a < b and (doc[a].is_punct and doc[a].text not in OPENERS or doc[a].is_space):
        a += 1
    while a < b and doc[a].lower_ in ("that",) and doc[a].dep_ == "mark":
        a += 1
    b = _cut_gloss(doc, a, b)
    while a < b and (
        doc[b - 1].is_punct and doc[b - 1].text not in CLOSERS or doc[b - 1].is_space or doc[b - 1].dep_ == "cc"
    ):
        b -= 1
    if b - a < min_tokens:
        return None
    start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
    return _balance(doc_text(doc), start, end)


_GLOSS_PUNCT = frozenset({",", "—", "–", "--", "("})


def _cut_gloss(doc: Doc, a: int, b: int) -> int:
    """End the content before a reporter's gloss that closes it.

    A non-restrictive relative clause (", which forced her to leave"), an
    appositive (", the existing alliance"), a participle clause (", putting his
    name on the line") or a concession (", although he refused to ...") set off
    by a comma or dash at the end of the content is the reporter's comment on
    what was said; the source did not say it.
    """
    for k in range(a + 3, b - 1):
        if doc[k].text not in _GLOSS_PUNCT:
            continue
        nxt = doc[k + 1]
        head = nxt if nxt.left_edge.i == nxt.i else None
        for t in doc[k + 1 : b]:
            if t.left_edge.i == k + 1 and t.head.i < k:
                head = t
                break
        if head is None or head.right_edge.i < b - 2:
            continue
        relative = head.dep_ in ("relcl", "advcl") and nxt.lower_ in ("which", "who", "whom", "whose")
        appos = head.dep_ == "appos"
        participle = (
            head.dep_ == "advcl" and head.tag_ == "VBG" and all(t.dep_ == "advmod" for t in doc[k + 1 : head.i])
        )  # ", putting ...", ", implicitly putting ..."
        concession = head.dep_ == "advcl" and nxt.lower_ in ("although", "though", "whereas")
        if relative or appos or participle or concession or _new_clause(doc, k):
            return k
    return b


def _new_clause(doc: Doc, k: int) -> bool:
    """ ", but polls are not a measure": a coordinated clause with a new subject after a comma.

    Reported speech is one clause; a "but" clause with its own subject at the
    end is most often the reporter weighing what was said.
    """
    if k + 2 >= len(doc) or doc[k + 1].lower_ != "but" or doc[k].text != ",":
        return False
    verb = doc[k + 1].head
    return (
        verb.i > k + 1
        and verb.dep_ == "conj"
        and any(c.dep_ in ("nsubj", "nsubjpass") and c.i > k for c in verb.children)
    )


def _balance(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in a closing mark that the parse left just outside the content, or drop a stray one."""
    inner = text[start:end]
    opens = sum(1 for ch in inner if ch in "“") + inner.count('"') % 2
    closes = sum(1 for ch in inner if ch in "”")
    if opens > closes:
        m = re.match(r"[\s,.;]{0,2}([”\"])", text[end : end + 4])
        if m:
            end = end + m.end()
        elif inner[:1] in OPENERS:
            start += 1
    if closes > opens and inner[-1:] in CLOSERS:
        end -= 1
    return start, end


def find_indirect(doc: Doc, marked: Blocked) -> list[Cand]:
    """Reporting verbs with a subject and a clause: the content may stand before or after."""
    out: list[Cand] = []
    for v in doc:
        if not (is_cue(v, weak_ok=True) or _is_stance(v)) or _inside(v.idx, marked):
            continue
        if v.text.isupper() and len(v.text) > 1:
            continue  # "EVEN HIS BOSS THINKS ...": a capitalised section label, not a report
        subj = subject_of(v)
        if subj is None:
            continue
        if subj.lower_ == "who" and not any(c.dep_ == "ccomp" for c in v.children):
            continue  # "a man who has vowed to ...": a description of the man, not his words
        rng = _content_range(v, subj) if is_cue(v, weak_ok=True) else None
        if rng is None and _is_stance(v):
            rng = _stance_content(v)
        if rng is None:
            continue
        rng = _clip_to_line(doc_text(doc), rng, v.idx)
        rng = _repair_content(v, subj, rng) if rng is not None else None
        if rng is None:
            continue
        antecedent = subj.head.head if subj.lower_ == "who" else None
        if antecedent is not None and antecedent.dep_ == "appos" and antecedent.head.pos_ == "PROPN":
            antecedent = antecedent.head  # "Jo Lee, a farmer who said": the name, not the role
        resolve_as = (
            mention_span(antecedent) if antecedent is not None and antecedent.pos_ in ("PROPN", "NOUN") else None
        )
        out.append(Cand(rng[0], rng[1], False, v, mention_span(subj), resolve_as))
    return out


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


#: Verbs of stance and evaluation whose object is what the subject said or
#: thinks about ("X criticized the plan", "X cited the report"). They never
#: take a quote window on their own; only their object or clause is content.
STANCE_LEMMAS = frozenset(
    """
    cite mention discuss reference outline detail tout promote stress emphasize emphasise question criticize
    criticise attack blast slam condemn denounce decry praise hail applaud laud defend dismiss reject endorse
    oppose dispute welcome mock ridicule accuse blame rip chastise scold fault lambaste assail berate castigate
    recommend advocate champion dispute challenge doubt acknowledge deny confirm announce reveal
    predict admit propose demand highlight label dub brand credit thank congratulate apologize apologise
    call describe liken echo show support back favor favour
    """.split()  # noqa: SIM905 - a word list reads better as prose
)
#: Prepositions that carry the rest of a stance verb's content ("blamed him for the loss").
_STANCE_PREPS = frozenset({"for", "of", "as", "over", "on", "about"})


def _is_stance(v: Token) -> bool:
    return v.pos_ == "VERB" and v.lemma_.lower() in STANCE_LEMMAS


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
    return _trim(v.doc, lo, _cut_occasion(v.doc, lo, hi), min_tokens=MIN_STANCE_TOKENS)


_TIME_ENTS = frozenset({"DATE", "TIME"})


def _is_occasion(t: Token) -> bool:
    """The head of a when/where-said adjunct: "during a stop", "on Tuesday", "Wednesday"."""
    if t.dep_ == "prep" and t.lower_ == "during":
        return True
    if t.dep_ == "prep" and t.lower_ in ("on", "at", "in"):
        return any(c.dep_ == "pobj" and c.ent_type_ in _TIME_ENTS for c in t.children)
    return t.dep_ in ("npadvmod", "nmod", "compound", "pobj") and t.ent_type_ in _TIME_ENTS and t.head.pos_ != "ADP"


def _cut_occasion(doc: Doc, lo: int, hi: int) -> int:
    """End a stance verb's object before the time or occasion of the saying.

    "blasted the plan as a disgrace Wednesday on a radio show" and "described
    the law as a crazy system during a campaign stop": the parse hangs the
    adjunct on the object, but it says when the verb happened, and an object
    noun phrase (unlike a reported clause) never carries its own time.
    """
    for k in range(lo + 2, hi):
        t = doc[k]
        if t.head.i < k and t.left_edge.i == k and _is_occasion(t):
            return k
    return hi


#: Nouns that name what someone said or thought: "Trump's claim that ...".
_CUE_NOUNS = frozenset(
    """claim statement assertion argument suggestion belief allegation accusation warning insistence
    view assessment announcement charge promise pledge vow prediction contention admission""".split()  # noqa: SIM905
)


def find_noun_cued(doc: Doc, marked: Blocked) -> list[Cand]:
    """Content clauses of cue nouns: "his claim that the vote was rigged"."""
    out: list[Cand] = []
    for n in doc:
        if n.pos_ != "NOUN" or n.lemma_.lower() not in _CUE_NOUNS or _inside(n.idx, marked):
            continue
        clause = next(
            (
                c
                for c in n.children
                if c.dep_ in ("acl", "ccomp") and any(t.lower_ == "that" and t.dep_ == "mark" for t in c.children)
            ),
            None,
        )
        if clause is None:
            continue
        rng = _trim(doc, clause.left_edge.i, clause.right_edge.i + 1)
        rng = _clip_to_line(doc_text(doc), rng, n.idx) if rng else None
        if rng is None:
            continue
        owner = next((c for c in n.children if c.dep_ == "poss"), None)
        out.append(Cand(rng[0], rng[1], False, n, mention_span(owner) if owner is not None else None))
    return out


#: Verbs of speaking and attitude whose topic follows a preposition: "complained
#: about the mic", "spoke of her ties", "argued against the deal".
_TOPIC_VERBS = frozenset(
    """speak talk complain warn worry write comment testify joke boast brag lament argue rail advocate
    apologize apologise agree fret muse reflect protest campaign lobby push press caution tweet post
    inquire rant vent gush""".split()  # noqa: SIM905
)
#: Nouns that name a statement or a stance whose topic follows a preposition: "questions about his health".
_TOPIC_NOUNS = frozenset(
    """question comment remark complaint concern warning allegation accusation claim criticism doubt
    misgiving assessment thought statement testimony critique""".split()  # noqa: SIM905
)
_AMOUNT_ENTS = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"})
_TOPIC_PREPS = frozenset({"about", "of", "on", "against", "for", "over"})


def find_topics(doc: Doc, marked: Blocked) -> list[Cand]:
    """What someone spoke, wrote or complained about: the object of a topic preposition.

    "X complained about the debate" and "his questions about the foundation"
    report what X said without its words; the preposition's object is the
    content. Verbs need a subject (the speaker); nouns take a possessive owner
    when there is one.
    """
    out: list[Cand] = []
    for w in doc:
        lemma = w.lemma_.lower()
        verb = w.pos_ == "VERB" and lemma in _TOPIC_VERBS
        noun = w.pos_ == "NOUN" and lemma in _TOPIC_NOUNS
        if not (verb or noun) or _inside(w.idx, marked) or (w.text.isupper() and len(w.text) > 1):
            continue
        prep = next(
            (c for c in w.rights if c.dep_ == "prep" and c.lower_ in _TOPIC_PREPS and (verb or c.i == w.i + 1)),
            None,
        )
        obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
        if obj is None or obj.ent_type_ in _AMOUNT_ENTS:
            continue  # "spoke for five minutes", "spoke on Tuesday": when, not what
        owner = subject_of(w) if verb else next((c for c in w.children if c.dep_ == "poss"), None)
        if owner is None:
            continue
        rng = _trim(
            doc,
            obj.left_edge.i,
            _cut_occasion(doc, obj.left_edge.i, obj.right_edge.i + 1),
            min_tokens=MIN_STANCE_TOKENS,
        )
        rng = _clip_to_line(doc_text(doc), rng, w.idx) if rng else None
        if rng is None:
            continue
        out.append(Cand(rng[0], rng[1], False, w, mention_span(owner) if owner is not None else None))
    return out


HEADLINE_MAX_NAME = 4
_SOURCE_ENTS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def find_headline_sources(doc: Doc, marked: Blocked) -> list[Cand]:
    """Headline attributions: "Kim Lee: Taxes Will Rise" puts what Kim Lee said after the name.

    Only a line that opens with a short name of a person or body and a colon;
    a label ("Correction:", "UPDATE:") is not a source.
    """
    text = doc_text(doc)
    out: list[Cand] = []
    for colon in doc:
        if colon.text != ":" or _inside(colon.idx, marked) or colon.i == 0:
            continue
        line_start = text.rfind("\n", 0, colon.idx) + 1
        name = [t for t in doc[max(0, colon.i - HEADLINE_MAX_NAME - 1) : colon.i] if t.idx >= line_start]
        if not name or len(name) > HEADLINE_MAX_NAME or doc[name[0].i].idx != _lead(text, line_start):
            continue
        if not all(t.pos_ in ("PROPN", "NOUN") and t.text[:1].isupper() and not t.text.isupper() for t in name):
            continue
        if name[-1].ent_type_ not in _SOURCE_ENTS:
            continue  # "Correction:", "Stealth Over Health:": a label or a pun, not a person or body
        line_end = text.find("\n", colon.idx)
        line_end = len(text) if line_end < 0 else line_end
        k = colon.i + 1
        while k < len(doc) and doc[k].idx < line_end:
            k += 1
        rng = _trim(doc, colon.i + 1, k)
        rng = _clip_to_line(text, rng, colon.idx) if rng else None
        if rng is not None:
            out.append(Cand(rng[0], rng[1], False, None, doc[name[0].i : colon.i]))
    return out


def _lead(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\u00a0":
        i += 1
    return i


def _content_range(v: Token, subj: Token) -> tuple[int, int] | None:
    doc = v.doc
    if v.lower_ == "according":
        head = v.head
        lo, hi = head.left_edge.i, head.right_edge.i + 1
        if v.i > head.i:
            return _trim(doc, lo, v.left_edge.i)
        return _trim(doc, v.right_edge.i + 1, hi)
    comps = [c for c in v.children if c.dep_ == "ccomp"]
    if comps:
        c = comps[0]
        lo, hi = c.left_edge.i, c.right_edge.i + 1
        if lo <= subj.i < hi:  # the parse put the speaker inside the content: keep the far side
            lo = subj.right_edge.i + 1 if subj.i < v.i else lo
        if c.i > v.i:
            hi = _content_end(v, c, hi)
        return _trim(doc, lo, hi)
    if v.i > subj.i and (content := _object_content(v)) is not None:
        return _trim(doc, content.left_edge.i, content.right_edge.i + 1)
    # "The threat has lessened, X said." parsed with the content as the head.
    rest = doc[v.right_edge.i + 1 : v.head.right_edge.i + 1]
    head = v.head
    lo = min(head.left_edge.i, v.left_edge.i)
    inside = v.dep_ == "parataxis" and lo < subj.left_edge.i and v.right_edge.i < head.right_edge.i
    if inside and not is_cue(head, weak_ok=True) and doc[subj.left_edge.i - 1].text in (",", "—", "–"):
        return _trim(doc, lo, head.right_edge.i + 1)  # "The plan, he said, will fail": the saying inside
    if (
        v.dep_ in ("parataxis", "ccomp")
        and v.head.i < v.i
        and v.left_edge.i > v.head.left_edge.i
        and not is_cue(v.head, weak_ok=True)
        and all(t.is_punct or t.is_space for t in rest)
        and {doc[v.left_edge.i].text, doc[v.left_edge.i - 1].text} & {",", "—", "–", "”", '"'}
    ):  # "..., X said." and not "The issue is that X proposes ..."
        return _trim(doc, v.head.left_edge.i, v.left_edge.i)
    return None


#: Cues whose content can be an infinitive ("vowed to fight on") or, for the
#: second set, a noun phrase ("announced plans for a wall", "denied the report").
_INFINITIVE_CUES = frozenset(
    {
        "pledge",
        "vow",
        "promise",
        "threaten",
        "urge",
        "ask",
        "call",
        "agree",
        "decline",
        "refuse",
        "offer",
        "want",
        "plan",
        "intend",
    }
)
_OBJECT_CUES = frozenset(
    {"announce", "deny", "confirm", "reveal", "predict", "acknowledge", "admit", "propose", "demand"}
)
MIN_OBJECT_TOKENS = 3
MIN_STANCE_TOKENS = 2  # "attacked the plan"; a bare name ("attacked Smith") is not a statement


def _object_content(v: Token) -> Token | None:
    """The head of non-clausal content: an infinitive, "call for X", or a weighty object."""
    lemma = v.lemma_.lower()
    for c in v.children:
        if c.dep_ == "xcomp" and lemma in _INFINITIVE_CUES:
            return c
    for c in v.children:
        if lemma == "call" and c.dep_ == "prep" and c.lower_ == "for":
            return c
        if c.dep_ == "dobj" and lemma in _OBJECT_CUES and c.right_edge.i - c.left_edge.i + 1 >= MIN_OBJECT_TOKENS:
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


def _clip_to_line(text: str, rng: tuple[int, int], at: int) -> tuple[int, int] | None:
    """Keep content on the cue's line: a parse may run a headline into the first sentence."""
    lo = text.rfind("\n", 0, at) + 1
    hi = text.find("\n", at)
    hi = len(text) if hi < 0 else hi
    start, end = max(rng[0], lo), min(rng[1], hi)
    while start < end and text[start] in " \t\u00a0,;:":
        start += 1
    if words(text[start:end]) < 3:
        return None
    return start, end


def _inside(char: int, marked: Blocked) -> bool:
    return any(s <= char < e for s, e in marked)


def words(text: str) -> int:
    return len(_WORD.findall(text))
