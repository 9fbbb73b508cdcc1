"""HTML pages to main text and metadata, via trafilatura.

Takes an HTML string (and the page URL when known) and gives an
:class:`HtmlExtract`: the main text, one paragraph a line, and the page's
title, site name, author, date and URL from trafilatura's metadata reader
(which reads ``<meta>``, JSON-LD and the like, and dates the page with
htmldate). Returns None only when trafilatura, its fallback extractors
included, finds no main text.
"""

from __future__ import annotations

import copy
import logging
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["HtmlExtract", "extract_html"]

# trafilatura logs every page it finds too short; that is our Dropped record's job.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

_OG_SITE = re.compile(r"""<meta[^>]+property=["']og:site_name["'][^>]+content=["']([^"'<>]{1,100})["']""", re.IGNORECASE)


@dataclass(frozen=True)
class HtmlExtract:
    text: str
    title: str | None = None
    sitename: str | None = None
    author: str | None = None
    date: str | None = None
    url: str | None = None
    language: str | None = None
    #: The page's date by htmldate's extensive search (the page alone, not its URL), when its
    #: metadata gives none: a signal for when nothing better dates the article.
    searched_date: str | None = None


def extract_html(html: str, url: str | None = None) -> HtmlExtract | None:
    """Main text and metadata of ``html``; None when trafilatura finds no main text.

    Precision mode first: on news pages it drops related-story teasers and
    newsletter boxes that the default mode keeps. When precision mode keeps
    much less than recall mode, it threw away body paragraphs (pages with
    unusual markup), so the recall result is used instead.
    """
    tree = _parse(html)
    if tree is None:
        return None
    precise = _run(copy.deepcopy(tree), url, favor_precision=True, no_fallback=True)
    # The recall pass only has to say how much text the page holds: no metadata,
    # no readability/justext comparison (a third of the time of a full pass).
    recall = _run(copy.deepcopy(tree), url, favor_recall=True, with_metadata=False, no_fallback=True)
    best = precise
    if recall is not None and (precise is None or len(_text(precise)) < 0.5 * len(_text(recall))):
        best = recall
    if best is None or not _text(best).strip():
        # Neither pass found a body: trafilatura's fallback extractors (readability, jusText)
        # may; a page trafilatura can read is never dropped.
        best = _run(copy.deepcopy(tree), url, favor_recall=True, with_metadata=False)
        if best is None or not _text(best).strip():
            return None
    meta = precise if precise is not None else _metadata(tree, url)
    sitename = _str(getattr(meta, "sitename", None))
    if sitename is None:
        m = _OG_SITE.search(html[:200_000])
        sitename = m.group(1).strip() if m else None
    date = _str(getattr(meta, "date", None))
    return HtmlExtract(
        text=_text(best),
        title=_str(getattr(meta, "title", None)),
        sitename=sitename,
        author=_str(getattr(meta, "author", None)),
        date=date,
        url=_str(getattr(meta, "url", None)) or url,
        language=_str(getattr(meta, "language", None)),
        searched_date=None if date else _searched_date(tree),
    )


def _metadata(tree: Any, url: str | None) -> Any:
    """The page's metadata alone, for a page whose precise pass found no text."""
    from trafilatura.metadata import extract_metadata

    try:
        return extract_metadata(copy.deepcopy(tree), default_url=url)
    except Exception:  # noqa: BLE001 - no metadata is a page without title or date, not a failure
        return None


def _searched_date(tree: Any) -> str | None:
    import htmldate  # installed with trafilatura

    try:
        return _str(htmldate.find_date(copy.deepcopy(tree), extensive_search=True, original_date=True))
    except Exception:  # noqa: BLE001 - no date found
        return None


def _parse(html: str) -> Any:
    """The page parsed once (each extraction pass prunes the tree it gets, so passes get copies)."""
    from trafilatura.utils import load_html

    try:
        return load_html(html)
    except Exception:  # noqa: BLE001 - unparseable markup: the caller drops the page
        return None


def _run(html: Any, url: str | None, **options: bool) -> Any:
    import trafilatura  # imported late: it is slow to import and only HTML needs it

    options = {"with_metadata": True, **options}
    try:
        return trafilatura.bare_extraction(html, url=url, include_comments=False, include_tables=True, **options)
    except Exception:  # noqa: BLE001 - trafilatura raises assorted errors on broken markup; the caller drops the page
        return None


def _text(doc: Any) -> str:
    return _str(getattr(doc, "text", None)) or ""


def _str(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
