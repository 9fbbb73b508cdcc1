"""Clean: raw documents to articles.

Takes a :class:`RawDocument` (bytes, media type, optional structured meta) and
gives an :class:`Article` (body text as paragraphs separated by blank lines,
title, publisher, URL, byline, publication date with precision and source,
the chrome lines removed, repost signals) or a :class:`Dropped` record with
stage "clean" when the bytes do not decode or hold no article text.

Trust order for metadata: the record's own fields (a JSONL record), then the
HTML page's metadata, then what the page furniture said (syndication footer,
copyright line, dateline), then a date in the URL.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from newsdesk.clean.dates import date_from_url, parse_date_value
from newsdesk.clean.decoding import decode
from newsdesk.clean.html import extract_html
from newsdesk.clean.text import CleanText, clean_text, normalise_publisher
from newsdesk.model import Article, Dropped, PubDate, RawDocument, article_id
from newsdesk.stage import StageResult, each

__all__ = ["CleanText", "clean_articles", "clean_document", "clean_text", "decode"]

NO_TEXT = "no article text found"
_ENGLISH = frozenset(
    ("the", "of", "and", "to", "in", "a", "is", "that", "for", "on", "with", "as")
    + ("was", "said", "by", "it", "from", "at", "his", "he", "be", "are", "have")
)


def clean_articles(raws: Iterable[RawDocument]) -> StageResult[Article]:
    """The stage entry: :func:`clean_document` on each raw document, failures dropped, in order."""
    return each("clean", raws, clean_document, lambda raw: raw.path)


def clean_document(raw: RawDocument) -> Article | Dropped:
    """Clean one raw document into an Article, or say why it cannot be used."""
    text = decode(raw.data)
    if text is None:
        return Dropped(raw.path, "clean", "undecodable bytes: no text encoding fits")
    meta = raw.meta
    url = meta.get("url")
    if raw.media_type == "text/html":
        page = extract_html(text, url)
        if page is None:
            return Dropped(raw.path, "clean", NO_TEXT)
        cleaned = clean_text(page.text, known_title=meta.get("title") or page.title, title_from_first_line=False)
        publisher = meta.get("publisher") or page.sitename or cleaned.publisher
        published = _meta_date(meta) or _page_date(page.date) or cleaned.published
        url = url or page.url
        byline = meta.get("byline") or page.author or cleaned.byline
        language = page.language
        searched_date = page.searched_date
    else:
        cleaned = clean_text(text, known_title=meta.get("title"))
        publisher = meta.get("publisher") or cleaned.publisher
        published = _meta_date(meta) or cleaned.published
        byline = meta.get("byline") or cleaned.byline
        language = None
        searched_date = None
    if not _has_article_text(cleaned.body):
        return Dropped(raw.path, "clean", NO_TEXT)
    if published is None and url:
        published = date_from_url(url)
    if published is None and searched_date:
        # htmldate's extensive search (dates in the page's markup and text): after the
        # dateline and the URL, which say more surely when the article itself appeared.
        published = parse_date_value(searched_date, "page")
    if published is None and meta.get("crawled"):
        # A web archive's capture day: later than publication, so only when nothing else dates the page.
        published = parse_date_value(meta["crawled"], "crawled")
    return Article(
        id=article_id(cleaned.body),
        path=raw.path,
        text=cleaned.body,
        title=meta.get("title") or cleaned.title,
        publisher=normalise_publisher(publisher) if publisher else None,
        url=url,
        byline=byline,
        published=published,
        language=language or _guess_language(cleaned.body),
        removed=cleaned.removed,
        signals=cleaned.signals,
    )


def _meta_date(meta: dict[str, str]) -> PubDate | None:
    value = meta.get("published")
    return parse_date_value(value, "metadata") if value else None


def _page_date(value: str | None) -> PubDate | None:
    return parse_date_value(value, "metadata") if value else None


def _has_article_text(body: str) -> bool:
    """At least one sentence-sized run of words: a page of links and buttons is no article."""
    return len(re.findall(r"\w+", body)) >= 8


def _guess_language(body: str) -> str | None:
    """"en" when common English function words are frequent; other languages stay unknown."""
    words = re.findall(r"[a-z]+", body[:5000].lower())
    if len(words) < 20:
        return None
    share = sum(w in _ENGLISH for w in words) / len(words)
    return "en" if share > 0.15 else None
