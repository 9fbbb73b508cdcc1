"""Sniffing: what a file holds, from its extension and its first bytes.

Takes a file extension (may be empty) and the head of the bytes (the first
64 KiB or so) and gives a kind: "text/plain", "text/html", "json", "jsonl",
"csv", "tsv", "feed", "export", "warc", "zip", "gzip" or "binary". Content
wins over the extension where the two disagree in a way that matters (a
``.txt`` that is a news-database export, a ``.xml`` that is an RSS feed).
"""

from __future__ import annotations

import csv
import json
import re

from newsdesk.ingest.exports import looks_like_export

__all__ = ["HEAD_BYTES", "kind_of", "looks_binary", "looks_like_feed", "looks_like_html", "sniff_media_type"]

#: How many leading bytes the sniffers look at.
HEAD_BYTES = 65536

TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml", ".shtml"})
_BY_EXTENSION = {
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "json", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv",
    ".rss": "feed", ".atom": "feed", ".warc": "warc", ".arc": "warc", ".zip": "zip", ".gz": "gzip", ".gzip": "gzip",
    ".parquet": "parquet", ".parq": "parquet",
}  # fmt: skip

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_HTML_HINT = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article|br|span|h[1-6]|meta|title)[\s/>]",
    re.IGNORECASE,
)
_HTML_TEXT_HINT = re.compile(_HTML_HINT.pattern.decode(), re.IGNORECASE)
# A feed's root element comes before any HTML-looking tag (<title>, <description>).
_FEED_ROOT = re.compile(
    rb"^(?:\s|<\?xml[^>]*\?>|<!--.*?-->|<\?xml-stylesheet[^>]*\?>)*<(?:rss|feed|rdf:RDF)[\s>]", re.DOTALL
)
_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
_COLUMN_NAME = re.compile(r"^[A-Za-z_][\w-]*(?: [\w-]+){0,2}$")
_TEXT_COLUMNS = frozenset({"text", "body", "content", "articlebody", "article", "full_text", "fulltext", "story"})


def _container(head: bytes) -> str | None:
    """"gzip", "zip" or "warc" when the bytes open with that format's magic, else None."""
    if head[:2] == _GZIP_MAGIC:
        return "gzip"
    if head[:4] in _ZIP_MAGICS:
        return "zip"
    if head.startswith(b"WARC/"):
        return "warc"
    return None


def kind_of(ext: str, head: bytes) -> str:
    """The kind of a file with extension ``ext`` (lower case, with the dot) whose bytes start with ``head``."""
    if container := _container(head):
        return container
    if head[:4] == b"PAR1":
        return "parquet"
    by_ext = _BY_EXTENSION.get(ext)
    if by_ext in ("json", "jsonl", "csv", "tsv", "gzip", "zip", "warc", "parquet"):
        return by_ext
    if by_ext == "feed" or ext == ".xml":
        return "feed" if looks_like_feed(head) else sniff_media_type(head)
    if ext in TEXT_EXTENSIONS:
        if looks_binary(head):
            return "binary"
        return "export" if looks_like_export(_head_text(head)) else "text/plain"
    if ext in HTML_EXTENSIONS:
        return "binary" if looks_binary(head) else "text/html"
    return sniff_media_type(head)


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text: NUL bytes or many control characters.

    UTF-16 text carries NULs by design, so a UTF-16 byte-order mark makes the
    bytes text; decoding happens in clean.
    """
    if data[:2] in _UTF16_BOMS:
        return False
    head = data[:8192]
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return control > 0.05 * max(1, len(head))


def looks_like_html(text: str) -> bool:
    """True when a string holds HTML markup rather than plain prose."""
    return bool(_HTML_TEXT_HINT.search(text[:4096]))


def looks_like_feed(head: bytes) -> bool:
    """True when bytes start with an RSS, Atom or RSS 1.0 (RDF) root element."""
    return bool(_FEED_ROOT.match(head.lstrip(b"\xef\xbb\xbf")[:4096]))


def sniff_media_type(data: bytes) -> str:
    """Guess what bytes hold from content alone.

    Gives "binary", "gzip", "zip", "warc", "jsonl", "json", "feed",
    "text/html", "export", "csv", "tsv" or "text/plain".
    """
    if container := _container(data):
        return container
    if looks_binary(data):
        return "binary"
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    head = stripped[:1]
    if head == b"[":
        return "json"
    if head == b"{":
        first_line = stripped.split(b"\n", 1)[0]
        try:
            json.loads(first_line)
            return "jsonl"
        except ValueError:
            return "json"
    if looks_like_feed(data):
        return "feed"
    if _HTML_HINT.search(data[:4096]):
        return "text/html"
    text = _head_text(data)
    if looks_like_export(text):
        return "export"
    return _table_kind(text) or "text/plain"


def _table_kind(text: str) -> str | None:
    """Say "csv" or "tsv" when the first line is a header row naming a text column and the next row fits it.

    Prose with commas fails: its "names" are not column-like, or the next line splits differently.
    """
    lines = text.lstrip("\ufeff").splitlines()[:2]
    if len(lines) < 2:
        return None
    for delimiter, kind in (("\t", "tsv"), (",", "csv"), (";", "csv")):
        names = [n.strip().strip('"').strip() for n in lines[0].split(delimiter)]
        if len(names) < 2 or not all(_COLUMN_NAME.match(n) for n in names):
            continue
        if not _TEXT_COLUMNS & {n.lower().replace(" ", "_") for n in names}:
            continue
        row = next(csv.reader([lines[1]], delimiter=delimiter), [])
        if len(row) == len(names):
            return kind
    return None


def _head_text(head: bytes) -> str:
    # The head may end inside a multi-byte character; "replace" keeps the rest.
    return head[:HEAD_BYTES].decode("utf-8", errors="replace")
