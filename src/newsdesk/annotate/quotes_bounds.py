"""Where reported content starts and ends: trimming a candidate range to what the source said.

Takes a spaCy ``Doc`` and a token or character range, gives the range
without what the reporter added around the source's words: edge punctuation
and a leading "that", a sentence-initial connective, a closing gloss (", which
...", an appositive, a participle clause), a second report by the same
speaker ("... and urged a vote"), the time or occasion of the saying, and a
run into the next line. Used by :mod:`newsdesk.annotate.quotes_indirect` and
:mod:`newsdesk.annotate.quotes_topics`.
"""

from __future__ import annotations

import re

from spacy.tokens import Doc, Token

from newsdesk.annotate.nlp import doc_text
from newsdesk.annotate.quotes_cues import is_cue, is_stance

OPENERS = '“‘"'


CLOSERS = '”’"'


_WORD = re.compile(r"\w+")


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


def skip_connective(doc: Doc, start: int, end: int) -> int:
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
            not (is_cue(t, weak_ok=False) or is_stance(t))
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


def words(text: str) -> int:
    return len(_WORD.findall(text))
