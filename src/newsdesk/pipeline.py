"""The local engine: every stage over one batch, in memory.

    ingest.read_paths -> clean.clean_articles -> annotate.annotate_articles
      -> lineage.link_copies -> stories.group_stories -> briefing.brief_stories

Each stage is called through the stage contract (:mod:`newsdesk.stage`) with
its settings, and gives its outputs and its ``Dropped`` records; this module
only moves data between them (the store's ``add`` and Spark call the same
stages on their own batches). These are the library entry points; the CLI and
the web app are thin wrappers over them. ``read`` and ``copies`` load no NLP
model and stay fast; ``annotate`` loads spaCy; ``brief`` also loads the
sentence encoder.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from newsdesk.clean import clean_articles
from newsdesk.errors import InputError
from newsdesk.ingest import read_paths
from newsdesk.lineage import LineageReport, link_copies
from newsdesk.model import Article, Brief, Dropped, RawDocument, article_id
from newsdesk.settings import Settings, from_environment

#: Raw documents held before they are cleaned: bounds memory on a large pile.
CLEAN_BATCH = 64

__all__ = ["InputOptions", "annotate_paths", "brief", "brief_articles", "copies", "read", "require_articles"]


@dataclass(frozen=True)
class InputOptions:
    """How inputs are read: ``columns`` maps fields (text, title, url, published,
    publisher, byline) to a table's or record's own column names; ``max_bytes``
    caps one file or record (default: the ``ingest.max_bytes`` setting)."""

    columns: Mapping[str, str] = field(default_factory=dict)
    max_bytes: int | None = None


def read(
    paths: Sequence[str],
    stdin: BinaryIO | None = None,
    options: InputOptions | None = None,
    settings: Settings | None = None,
) -> tuple[list[Article], list[Dropped]]:
    """Ingest and clean: the articles found under ``paths``, and what was dropped.

    Two inputs with the same clean text both stay (each outlet that carried a
    story counts for lineage); the second gets an id salted with its path.
    """
    options = options or InputOptions()
    settings = settings or from_environment()
    max_bytes = options.max_bytes if options.max_bytes is not None else settings.ingest.max_bytes
    articles: list[Article] = []
    dropped: list[Dropped] = []
    seen: set[str] = set()
    raws: list[RawDocument] = []

    def flush() -> None:
        cleaned = clean_articles(raws)
        raws.clear()
        dropped.extend(cleaned.dropped)
        for article in cleaned.items:
            if article.id in seen:
                article.id = article_id(article.path + "\0" + article.text)
            seen.add(article.id)
            articles.append(article)

    for item in read_paths(paths, stdin=stdin, max_bytes=max_bytes, columns=options.columns or None):
        if isinstance(item, Dropped):
            flush()  # keep drops and articles in reading order
            dropped.append(item)
        else:
            raws.append(item)
            if len(raws) >= CLEAN_BATCH:
                flush()
    flush()
    return articles, dropped


def require_articles(articles: Sequence[Article], dropped: Sequence[Dropped]) -> None:
    if not articles:
        why = f"; {len(dropped)} input(s) dropped, first: {dropped[0].path}: {dropped[0].reason}" if dropped else ""
        raise InputError(f"no article could be read{why}")


def annotate_paths(
    paths: Sequence[str],
    stdin: BinaryIO | None = None,
    options: InputOptions | None = None,
    settings: Settings | None = None,
) -> tuple[list[Article], list[Dropped]]:
    """Read, clean and annotate."""
    from newsdesk.annotate import annotate_articles

    settings = settings or from_environment()
    articles, dropped = read(paths, stdin, options, settings)
    require_articles(articles, dropped)
    annotated = annotate_articles(articles, settings.models)
    require_articles(annotated.items, dropped + annotated.dropped)
    return annotated.items, dropped + annotated.dropped


def copies(
    paths: Sequence[str],
    stdin: BinaryIO | None = None,
    options: InputOptions | None = None,
    settings: Settings | None = None,
) -> tuple[list[Article], LineageReport, list[Dropped]]:
    """Read, clean and find which articles copy which (with what the index capped)."""
    settings = settings or from_environment()
    articles, dropped = read(paths, stdin, options, settings)
    require_articles(articles, dropped)
    report = link_copies(articles, settings.lineage)
    return articles, report, dropped + report.dropped


def brief_articles(articles: list[Article], dropped: list[Dropped], settings: Settings | None = None) -> Brief:
    """The brief of articles already read and annotated."""
    from newsdesk.briefing import brief_stories
    from newsdesk.embed import Encoder
    from newsdesk.stories import group_stories

    settings = settings or from_environment()
    encoder = Encoder(settings.models)
    lineage = link_copies(articles, settings.lineage)
    stories = group_stories(articles, lineage.links, encoder, settings.stories)
    briefs = brief_stories(stories.items, {a.id: a for a in articles}, lineage.links, encoder)
    return Brief(
        articles=articles,
        links=lineage.links,
        stories=briefs.items,
        dropped=[*dropped, *lineage.dropped, *stories.dropped, *briefs.dropped],
    )


def brief(
    paths: Sequence[str] | str,
    stdin: BinaryIO | None = None,
    options: InputOptions | None = None,
    settings: Settings | None = None,
) -> Brief:
    """The whole pipeline: the sourced story brief of everything under ``paths``."""
    if isinstance(paths, str):
        paths = [paths]
    settings = settings or from_environment()
    articles, dropped = annotate_paths(paths, stdin, options, settings)
    return brief_articles(articles, dropped, settings)

