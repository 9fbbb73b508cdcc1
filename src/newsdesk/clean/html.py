"""HTML pages to main text and metadata, via trafilatura.

Takes an HTML string (and the page URL when known) and gives an
:class:`HtmlExtract`: the main text, one paragraph a line, and the page's
title, site name, author, date and URL from trafilatura's metadata reader
(which reads ``<meta>``, JSON-LD and the like). Returns None when the page
holds no main text.
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
    recall = _run(tree, url, favor_recall=True, with_metadata=False, no_fallback=True)
    best = precise
    if recall is not None and (precise is None or len(_text(precise)) < 0.5 * len(_text(recall))):
        best = recall
    if best is None or not _text(best).strip():
        return None
    sitename = _str(getattr(best, "sitename", None))
    if sitename is None:
        m = _OG_SITE.search(html[:200_000])
        sitename = m.group(1).strip() if m else None
    return HtmlExtract(
        text=_text(best),
        title=_str(getattr(best, "title", None)),
        sitename=sitename,
        author=_str(getattr(best, "author", None)),
        date=_str(getattr(best, "date", None)),
        url=_str(getattr(best, "url", None)) or url,
        language=_str(getattr(best, "language", None)),
    )


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
