"""Quotes without a reporting clause: cue nouns, topics of speech, headline sources.

Takes a spaCy ``Doc`` (tagger, parser, NER) and the character ranges of quoted
text, and gives :class:`~newsdesk.annotate.quotes_indirect.Cand` candidates for
:mod:`newsdesk.annotate.quotes` to merge:

* cue nouns with a that-clause ("his claim that the vote was rigged");
* what someone spoke or complained about ("X complained about the debate",
  "his questions about the foundation"): the preposition's object is the content;
* headline attributions ("Kim Lee: Taxes Will Rise").
"""

from __future__ import annotations

from spacy.tokens import Doc

from newsdesk.annotate.nlp import doc_text, doc_tokens
from newsdesk.annotate.quotes_bounds import clip_to_line, cut_occasion, trim
from newsdesk.annotate.quotes_indirect import (
    MIN_STANCE_TOKENS,
    Blocked,
    Cand,
    in_marked,
    mention_span,
    subject_of,
    unperformed,
)
from newsdesk.lexicon import word_list

#: Nouns that name what someone said or thought: "Trump's claim that ...".
_CUE_NOUNS = frozenset(word_list("newsdesk.annotate", "speech_nouns.txt"))


def find_noun_cued(doc: Doc, marked: Blocked) -> list[Cand]:
    """Content clauses of cue nouns: "his claim that the vote was rigged"."""
    out: list[Cand] = []
    for n in doc_tokens(doc):
        if n.pos_ != "NOUN" or n.lemma_.lower() not in _CUE_NOUNS or in_marked(n.idx, marked):
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
        rng = trim(doc, clause.left_edge.i, clause.right_edge.i + 1)
        rng = clip_to_line(doc_text(doc), rng, n.idx) if rng else None
        if rng is None:
            continue
        owner = next((c for c in n.children if c.dep_ == "poss"), None)
        out.append(Cand(rng[0], rng[1], False, n, mention_span(owner) if owner is not None else None))
    return out


#: Verbs of speaking and attitude whose topic follows a preposition: "complained
#: about the mic", "spoke of her ties", "argued against the deal".
_TOPIC_VERBS = frozenset(word_list("newsdesk.annotate", "topic_verbs.txt"))
#: Nouns that name a statement or a stance whose topic follows a preposition: "questions about his health".
_TOPIC_NOUNS = frozenset(word_list("newsdesk.annotate", "topic_nouns.txt"))
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
    for w in doc_tokens(doc):
        lemma = w.lemma_.lower()
        verb = w.pos_ == "VERB" and lemma in _TOPIC_VERBS
        noun = w.pos_ == "NOUN" and lemma in _TOPIC_NOUNS
        if not (verb or noun) or in_marked(w.idx, marked) or (w.text.isupper() and len(w.text) > 1):
            continue
        prep = next(
            (c for c in w.rights if c.dep_ == "prep" and c.lower_ in _TOPIC_PREPS and (verb or c.i == w.i + 1)),
            None,
        )
        obj = next((c for c in prep.children if c.dep_ in ("pobj", "pcomp")), None) if prep is not None else None
        if obj is None or obj.ent_type_ in _AMOUNT_ENTS:
            continue  # "spoke for five minutes", "spoke on Tuesday": when, not what
        if verb and unperformed(w):
            continue
        owner = subject_of(w) if verb else next((c for c in w.children if c.dep_ == "poss"), None)
        if owner is None:
            continue
        rng = trim(
            doc,
            obj.left_edge.i,
            cut_occasion(doc, obj.left_edge.i, obj.right_edge.i + 1),
            min_tokens=MIN_STANCE_TOKENS,
        )
        rng = clip_to_line(doc_text(doc), rng, w.idx) if rng else None
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
    for colon in doc_tokens(doc):
        if colon.text != ":" or in_marked(colon.idx, marked) or colon.i == 0:
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
        rng = trim(doc, colon.i + 1, k)
        rng = clip_to_line(text, rng, colon.idx) if rng else None
        if rng is not None:
            out.append(Cand(rng[0], rng[1], False, None, doc[name[0].i : colon.i]))
    return out


def _lead(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t\u00a0":
        i += 1
    return i
