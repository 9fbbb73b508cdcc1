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
    for ent in doc.ents:  # never cut a name in two
        if ent.start <= head.i < ent.end:
            left = min(left, ent.start)
            return doc[left : max(head.i + 1, ent.end)]
    return doc[left : head.i + 1]


def trim(doc: Doc, a: int, b: int, min_tokens: int = 3) -> tuple[int, int] | None:
    """Token range [a, b) -> char range, without edge punctuation or a leading "that"."""
    while a < b and (doc[a].is_punct and doc[a].text not in OPENERS or doc[a].is_space):
        a += 1
    while a < b and doc[a].lower_ in ("that",) and doc[a].dep_ == "mark":
        a += 1
    b = _cut_second_report(doc, a, _cut_gloss(doc, a, b))
    while a < b and (
        doc[b - 1].is_punct and doc[b - 1].text not in CLOSERS or doc[b - 1].is_space or doc[b - 1].dep_ == "cc"
    ):
        b -= 1
    if b - a < min_tokens:
        return None
    start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
    return _balance(doc_text(doc), start, end)


def _skip_connective(doc: Doc, start: int, end: int) -> int:
    """Start content that opens a sentence after its connective: "But", "And", "However,".

    A sentence-initial conjunction or comma-fenced adverb ties the sentence to
    the reporter's narrative ("But the plan, she said, will fail"; "However,
    growth slowed, he said"); the source's words begin after it. Only for
    content written before its cue: after "said that" the words are the source's.
    """
    first = doc.char_span(start, end, alignment_mode="expand")
    if first is None or len(first) < 4:
        return start
    a = first.start
    if doc[a].dep_ == "cc" and doc[a].head.i > a and not doc[a + 1].is_punct:
        return doc[a + 1].idx
    t = doc[a]
    if t.dep_ == "advmod" and t.tag_ != "WRB" and t.right_edge.i == a and doc[a + 1].text == "," and t.head.i > a + 1:
        return doc[a + 2].idx
    return start


def _cut_second_report(doc: Doc, a: int, b: int) -> int:
    """End the content before a second report by the same speaker: "... and warned against X".

    "She said the plan would fail and urged a vote": the parse may hang
    "urged" inside the reported clause, but a coordinated reporting verb with no
    subject of its own is the speaker's next act, reported by the reporter.
    """
    for k in range(a + 3, b):
        t = doc[k]
        if t.dep_ != "conj" or t.pos_ != "VERB" or not a <= t.head.i < k or doc[t.left_edge.i - 1].dep_ != "cc":
            continue
        if a <= t.head.head.i < b and t.head.head != t.head:
            continue  # coordinated inside a smaller clause ("a plan that cuts costs and ..."): still the content
        if (
            not (is_cue(t, weak_ok=False) or _is_stance(t))
            or doc[t.left_edge.i - 1].lower_ not in ("and", "but")
            or any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children)
        ):
            continue
        cut = t.left_edge.i
        while cut > a and (doc[cut - 1].dep_ == "cc" or doc[cut - 1].is_punct):
            cut -= 1
        if cut - a >= 3:
            return cut
    return b


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
        appos = head.dep_ == "appos" or (head.dep_ == "dep" and head.pos_ in ("NOUN", "PROPN"))
        participle = (
            head.dep_ in ("advcl", "acl", "dep")
            and head.tag_ in ("VBG", "VBN")
            and all(t.dep_ == "advmod" for t in doc[k + 1 : head.i])
        )  # ", putting ...", ", implicitly putting ...", ", known as ..."
        concession = nxt.lower_ in ("although", "though", "whereas")
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
        if not (is_cue(v, weak_ok=True) or _is_stance(v)) or in_marked(v.idx, marked):
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
        if rng is None and _is_stance(v):
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
            rng = (_skip_connective(doc, rng[0], rng[1]), rng[1])
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
    return trim(v.doc, lo, cut_occasion(v.doc, lo, hi), min_tokens=MIN_STANCE_TOKENS)


_TIME_ENTS = frozenset({"DATE", "TIME"})


def _is_occasion(t: Token) -> bool:
    """The head of a when/where-said adjunct: "during a stop", "on Tuesday", "Wednesday"."""
    if t.dep_ == "prep" and t.lower_ == "during":
        return True
    if t.dep_ == "prep" and t.lower_ in ("on", "at", "in"):
        return any(c.dep_ == "pobj" and c.ent_type_ in _TIME_ENTS for c in t.children)
    return t.dep_ in ("npadvmod", "nmod", "compound", "pobj") and t.ent_type_ in _TIME_ENTS and t.head.pos_ != "ADP"


def cut_occasion(doc: Doc, lo: int, hi: int) -> int:
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
            # "called for a ban": what was demanded is the ban; "for" belongs to the cue
            return next((t for t in c.children if t.dep_ in ("pobj", "pcomp")), c)
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


def clip_to_line(text: str, rng: tuple[int, int], at: int) -> tuple[int, int] | None:
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


def in_marked(char: int, marked: Blocked) -> bool:
    return any(s <= char < e for s, e in marked)


def words(text: str) -> int:
    return len(_WORD.findall(text))
