"""Feeds: RSS 0.9x/2.0, RSS 1.0 (RDF) and Atom files, one document per full-text item.

Takes a feed's bytes and gives, per item, a :class:`RawDocument` when the
item carries the article itself (``content:encoded`` or Atom ``content`` of
at least :data:`MIN_CONTENT_WORDS` words: the feed declares it the full text,
however short the story; or a description/summary of at least
:data:`MIN_FULL_TEXT_WORDS` words, since a summary is usually a teaser), with
title, link, published date, author and the feed's title as publisher in
``meta``; items that only point at the article are a :class:`Dropped` (the
text is not in the file, and ingest fetches nothing from the network).
"""

from __future__ import annotations

import re
from typing import Any

from newsdesk.ingest.common import Items, one_line
from newsdesk.ingest.sniff import looks_like_html
from newsdesk.model import Dropped, RawDocument
from newsdesk.stage import failure

__all__ = ["LINK_ONLY", "MIN_CONTENT_WORDS", "MIN_FULL_TEXT_WORDS", "feed_documents"]

#: Fewer words than this in a description/summary is a teaser, not the article.
MIN_FULL_TEXT_WORDS = 80
#: Declared full text (``content:encoded``, Atom ``content``) shorter than this is a
#: "Read more" stub; a short news item of a few sentences is above it.
MIN_CONTENT_WORDS = 25
LINK_ONLY = "feed item has only a link/summary, no full text"
_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+")


def feed_documents(label: str, data: bytes) -> Items:
    """One document per full-text item of the feed in ``data``, a Dropped per teaser item."""
    import feedparser  # imported on first feed: it costs ~30 ms that other inputs need not pay

    # Bytes, never a string: feedparser treats a string that looks like a URL as one to fetch.
    try:
        parsed = feedparser.parse(data, sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # noqa: BLE001 - feedparser is lenient but a garbled encoding declaration can still raise
        yield failure(label, "ingest", exc, prefix="malformed feed: ", message_chars=120)
        return
    entries = parsed.get("entries") or []
    if not entries:
        if parsed.get("bozo"):
            yield Dropped(label, "ingest", f"malformed feed: {one_line(str(parsed.get('bozo_exception')))}")
        else:
            yield Dropped(label, "ingest", "feed has no items")
        return
    publisher = _text(parsed.get("feed", {}).get("title"))
    for number, entry in enumerate(entries, start=1):
        yield _entry_document(f"{label}:{number}", entry, publisher)


def _entry_document(where: str, entry: Any, publisher: str | None) -> RawDocument | Dropped:
    body = _full_text(entry)
    if body is None:
        return Dropped(where, "ingest", LINK_ONLY)
    meta: dict[str, str] = {}
    for name, value in (
        ("title", entry.get("title")),
        ("url", entry.get("link")),
        # The raw date string: clean parses it and keeps the day as written (no shift to UTC).
        ("published", entry.get("published") or entry.get("updated") or entry.get("created")),
        ("publisher", publisher),
        ("byline", entry.get("author")),
    ):
        if text := _text(value):
            meta[name] = text
    media_type = "text/html" if looks_like_html(body) else "text/plain"
    return RawDocument(where, body.encode("utf-8"), media_type, meta)


def _full_text(entry: Any) -> str | None:
    """The longest body the item carries, if it is long enough to be the article:
    declared content from :data:`MIN_CONTENT_WORDS` words, a summary from
    :data:`MIN_FULL_TEXT_WORDS`."""
    content = [c.get("value", "") for c in entry.get("content") or []]
    summary = entry.get("summary") or ""
    # feedparser also files a content:encoded body under "summary" when the item
    # has no description: the same text, so it counts as content.
    if summary and summary in content:
        summary = ""
    best = max([*content, summary], key=_word_count)
    floor = MIN_CONTENT_WORDS if best in content else MIN_FULL_TEXT_WORDS
    return best if _word_count(best) >= floor else None


def _word_count(markup: str) -> int:
    return len(_WORD.findall(_TAG.sub(" ", markup)))


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None
