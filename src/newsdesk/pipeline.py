"""The pipeline: ingest -> clean -> annotate -> lineage -> cluster -> brief.

The library entry points; the CLI and the web app are thin wrappers over them.
``read`` and ``copies`` load no NLP model and stay fast; ``annotate`` loads
spaCy; ``brief`` also loads the sentence encoder.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from newsdesk.clean import clean_document
from newsdesk.errors import InputError
from newsdesk.ingest import DEFAULT_MAX_BYTES, read_paths
from newsdesk.lineage import LineageReport, find_copies, find_copies_report
from newsdesk.model import Article, Brief, Dropped, article_id


@dataclass(frozen=True)
class InputOptions:
    """How inputs are read: ``columns`` maps fields (text, title, url, published,
    publisher, byline) to a table's or record's own column names; ``max_bytes``
    caps one file or record."""

    columns: Mapping[str, str] = field(default_factory=dict)
    max_bytes: int = DEFAULT_MAX_BYTES


def read(
    paths: Sequence[str], stdin: BinaryIO | None = None, options: InputOptions | None = None
) -> tuple[list[Article], list[Dropped]]:
    """Ingest and clean: the articles found under ``paths``, and what was dropped.

    Two inputs with the same clean text both stay (each outlet that carried a
    story counts for lineage); the second gets an id salted with its path.
    """
    articles: list[Article] = []
    dropped: list[Dropped] = []
    seen: set[str] = set()
    options = options or InputOptions()
    for item in read_paths(paths, stdin=stdin, max_bytes=options.max_bytes, columns=options.columns or None):
        if isinstance(item, Dropped):
            dropped.append(item)
            continue
        result = clean_document(item)
        if isinstance(result, Dropped):
            dropped.append(result)
            continue
        if result.id in seen:
            result.id = article_id(result.path + "\0" + result.text)
        seen.add(result.id)
        articles.append(result)
    return articles, dropped


def require_articles(articles: Sequence[Article], dropped: Sequence[Dropped]) -> None:
    if not articles:
        why = f"; {len(dropped)} input(s) dropped, first: {dropped[0].path}: {dropped[0].reason}" if dropped else ""
        raise InputError(f"no article could be read{why}")


def annotate_paths(
    paths: Sequence[str], stdin: BinaryIO | None = None, options: InputOptions | None = None
) -> tuple[list[Article], list[Dropped]]:
    """Read, clean and annotate."""
    from newsdesk.annotate import annotate_articles

    articles, dropped = read(paths, stdin, options)
    require_articles(articles, dropped)
    dropped += annotate_articles(articles)
    return articles, dropped


def copies(
    paths: Sequence[str], stdin: BinaryIO | None = None, options: InputOptions | None = None
) -> tuple[list[Article], LineageReport, list[Dropped]]:
    """Read, clean and find which articles copy which (with what the index capped)."""
    articles, dropped = read(paths, stdin, options)
    require_articles(articles, dropped)
    return articles, find_copies_report(articles), dropped


def brief_articles(articles: list[Article], dropped: list[Dropped]) -> Brief:
    """The brief of articles already read and annotated."""
    from newsdesk.briefing import brief_story
    from newsdesk.cluster import cluster_stories
    from newsdesk.embed import Encoder

    encoder = Encoder()
    links = find_copies(articles)
    stories = cluster_stories(articles, links, encoder)
    by_id = {a.id: a for a in articles}
    return Brief(
        articles=articles,
        links=links,
        stories=[brief_story(s, by_id, links, encoder) for s in stories],
        dropped=dropped,
    )


def brief(
    paths: Sequence[str] | str, stdin: BinaryIO | None = None, options: InputOptions | None = None
) -> Brief:
    """The whole pipeline: the sourced story brief of everything under ``paths``."""
    if isinstance(paths, str):
        paths = [paths]
    # The sentence encoder (torch) takes seconds to load: load it while spaCy works.
    loader = threading.Thread(target=_load_encoder_quietly, daemon=True)
    loader.start()
    articles, dropped = annotate_paths(paths, stdin, options)
    loader.join()
    return brief_articles(articles, dropped)


def _load_encoder_quietly() -> None:
    from newsdesk.embed import load_encoder

    try:
        load_encoder()
    except Exception:  # noqa: BLE001 - the main thread loads it again and reports the error
        load_encoder.cache_clear()
