"""WARC: web archives (``.warc``, ``.warc.gz``, and old ``.arc``) read record by record.

Takes a stream and gives one :class:`RawDocument` per archived HTML page (a
``response`` record with HTTP 200 and an HTML content type, or a ``resource``
record of HTML), with the page URL (WARC-Target-URI) in ``meta["url"]`` and
the capture day (WARC-Date) in ``meta["crawled"]``. A capture day is not a
publication day, so it is not put in ``meta["published"]``: clean prefers
the page's own date and falls back to the capture day only when nothing
else dates the article. Extracted-text ``conversion`` records (WET files)
become text/plain documents.

Bookkeeping records (warcinfo, request, metadata, revisit, DNS lookups) are
skipped silently: they are not documents. Every other response that does not
give a page (an image, a 404, a redirect, a page over the size cap) is a
:class:`Dropped`. The archive is streamed; its total size is not capped.
"""

from __future__ import annotations

from typing import Any, BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from newsdesk.ingest.common import Items, Options, one_line
from newsdesk.model import Dropped, RawDocument

__all__ = ["warc_documents"]

_BOOKKEEPING = frozenset({"warcinfo", "request", "metadata", "revisit", "continuation"})
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_NOT_PAGES = ("dns:", "whois:")


def warc_documents(label: str, stream: BinaryIO, options: Options) -> Items:
    """Pages from the WARC (plain or gzip-compressed per record) in ``stream``."""
    seen: dict[str, int] = {}
    count = 0
    try:
        for record in ArchiveIterator(stream, arc2warc=True):
            count += 1
            item = _record_item(label, record, options, seen)
            if item is not None:
                yield item
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield Dropped(label, "ingest", f"WARC unreadable after {count} record(s): {one_line(str(exc))}")
        return
    if count == 0:
        yield Dropped(label, "ingest", "WARC holds no records")


def _record_item(label: str, record: Any, options: Options, seen: dict[str, int]) -> RawDocument | Dropped | None:
    kind = record.rec_type
    uri = (record.rec_headers.get_header("WARC-Target-URI") or "").strip()
    if kind in _BOOKKEEPING or uri.startswith(_NOT_PAGES):
        return None
    where = _where(label, uri, seen)
    if kind == "response":
        why = _not_a_page(record)
        if why:
            return Dropped(where, "ingest", why)
        media_type = "text/html"
    elif kind in ("resource", "conversion"):
        ctype = _content_type(record.rec_headers.get_header("Content-Type"))
        if ctype in _HTML_TYPES:
            media_type = "text/html"
        elif kind == "conversion" and ctype == "text/plain":
            media_type = "text/plain"
        else:
            return Dropped(where, "ingest", f"WARC {kind} record is {ctype or 'untyped'}, not an HTML page")
    else:
        return Dropped(where, "ingest", f"WARC record of type {kind!r} holds no page")
    # content_stream() undoes chunked transfer and gzip/deflate content encoding.
    data = record.content_stream().read(options.max_bytes + 1)
    if len(data) > options.max_bytes:
        return Dropped(where, "ingest", f"WARC record is over the {options.max_bytes}-byte limit")
    if not data.strip():
        return Dropped(where, "ingest", "WARC record has an empty page")
    meta: dict[str, str] = {}
    if uri:
        meta["url"] = uri
    crawled = (record.rec_headers.get_header("WARC-Date") or "")[:10]
    if len(crawled) == 10:
        meta["crawled"] = crawled
    return RawDocument(where, data, media_type, meta)


def _not_a_page(record: Any) -> str | None:
    """Why an HTTP response record is no HTML page, or None when it is one."""
    http = record.http_headers
    if http is None:
        return "WARC response has no HTTP headers"
    status = (http.get_statuscode() or "").strip()
    ctype = _content_type(http.get_header("Content-Type"))
    if status != "200":
        location = http.get_header("Location")
        return f"HTTP status {status or 'unknown'}" + (f" (redirect to {one_line(location, 120)})" if location else "")
    if ctype not in _HTML_TYPES:
        return f"WARC response is {ctype or 'untyped'}, not HTML"
    return None


def _content_type(value: str | None) -> str:
    return (value or "").split(";", 1)[0].strip().lower()


def _where(label: str, uri: str, seen: dict[str, int]) -> str:
    """"archive.warc!URI"; a URI captured again gets "#2", "#3" so paths stay unique."""
    key = uri or "record"
    seen[key] = seen.get(key, 0) + 1
    return f"{label}!{key}" + (f"#{seen[key]}" if seen[key] > 1 else "")
