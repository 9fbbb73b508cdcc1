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

import contextlib
import io
from typing import Any, BinaryIO

from newsdesk.ingest.common import Items, Options, one_line
from newsdesk.ingest.sniff import looks_binary
from newsdesk.model import Dropped, RawDocument
from newsdesk.stage import failure

__all__ = ["warc_documents"]

_BOOKKEEPING = frozenset({"warcinfo", "request", "metadata", "revisit", "continuation"})
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_NOT_PAGES = ("dns:", "whois:")


def warc_documents(label: str, stream: BinaryIO, options: Options) -> Items:
    """Pages from the WARC (plain or gzip-compressed per record) in ``stream``."""
    # Imported on first archive: warcio costs ~30 ms that other inputs need not pay.
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    seen: dict[str, int] = {}
    count = 0
    records = ArchiveIterator(stream, arc2warc=True)
    while True:
        try:
            # warcio writes its warnings about bad record lengths straight to stderr; keep the CLI's stderr ours.
            with contextlib.redirect_stderr(io.StringIO()):
                record = next(records, None)
        except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
            yield Dropped(label, "ingest", f"WARC unreadable after {count} record(s): {one_line(str(exc))}")
            return
        except Exception as exc:  # noqa: BLE001 - corrupt headers make warcio fail in arbitrary ways
            yield failure(label, "ingest", exc, prefix=f"WARC unreadable after {count} record(s): ", message_chars=0)
            return
        if record is None:
            break
        count += 1
        try:
            item = _record_item(label, record, options, seen)
        except Exception as exc:  # noqa: BLE001 - one record's bad encoding (e.g. brotli) must not end the archive
            uri = record.rec_headers.get_header("WARC-Target-URI") or "record"
            item = failure(f"{label}!{uri}", "ingest", exc, prefix="WARC record unreadable: ", message_chars=0)
        if item is not None:
            yield item
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
    if getattr(record.raw_stream, "limit", 0) > 0:
        # Fewer bytes than Content-Length promised: a half page would pass for a whole one.
        return Dropped(where, "ingest", "WARC record is truncated (the archive is cut short)")
    if not data.strip():
        return Dropped(where, "ingest", "WARC record has an empty page")
    if looks_binary(data):
        # warcio hands back the raw bytes when a Content-Encoding (e.g. brotli) cannot be undone.
        return Dropped(where, "ingest", "WARC page is binary (an undecodable content encoding?)")
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
    """The path "archive.warc!URI"; a URI captured again gets "#2", "#3" so paths stay unique."""
    key = uri or "record"
    seen[key] = seen.get(key, 0) + 1
    return f"{label}!{key}" + (f"#{seen[key]}" if seen[key] > 1 else "")
