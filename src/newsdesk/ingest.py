"""Ingest: turn paths (files, folders, ``-`` for stdin) into raw documents.

Takes file system paths and gives a stream of :class:`RawDocument` (bytes as
read, the media type, and any structured fields a JSON record carried) or
:class:`Dropped` records for input that cannot be used: a missing path, an
empty or binary file, a file over the size limit, a malformed JSON line, a
record without text. One bad file never stops the run; nothing is decoded or
cleaned here (that is :mod:`newsdesk.clean`'s job).

Supported: ``.txt .text .md`` (text/plain), ``.html .htm .xhtml`` (text/html),
``.jsonl .ndjson`` and ``.json`` (one document per record), any of those
gzip-compressed (``.gz``), and unknown extensions by sniffing the bytes.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from newsdesk.model import Dropped, RawDocument

__all__ = ["looks_binary", "looks_like_html", "read_paths", "sniff_media_type"]

TEXT_EXTENSIONS = frozenset({".txt", ".text", ".md"})
HTML_EXTENSIONS = frozenset({".html", ".htm", ".xhtml"})
JSONL_EXTENSIONS = frozenset({".jsonl", ".ndjson"})
JSON_EXTENSIONS = frozenset({".json"})

STDIN_LABEL = "<stdin>"

# Field aliases seen in scraped-news dumps; the first present one wins.
TEXT_KEYS = ("text", "body", "content", "articleBody", "article", "html")
META_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "url": ("url", "link", "uri"),
    "published": ("published", "date", "pubdate", "published_at", "datePublished", "publish_date"),
    "publisher": ("publisher", "source", "site", "sitename", "site_name"),
}

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_HTML_HINT = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<(?:p|div|article|br|span|h[1-6]|meta|title)[\s/>]",
    re.IGNORECASE,
)
_HTML_TEXT_HINT = re.compile(_HTML_HINT.pattern.decode(), re.IGNORECASE)
_GZIP_MAGIC = b"\x1f\x8b"


def read_paths(
    paths: Sequence[str], stdin: BinaryIO | None = None, max_bytes: int = 50_000_000
) -> Iterator[RawDocument | Dropped]:
    """Yield one RawDocument per readable document under ``paths``, a Dropped for the rest.

    Folders are read recursively in sorted order, skipping hidden files and
    folders. ``"-"`` reads ``stdin`` (default: the process's standard input)
    and sniffs whether it holds JSONL, JSON, HTML or plain text.
    """
    for path in paths:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_stream(stream, max_bytes)
            continue
        p = Path(path)
        if p.is_dir():
            yield from _read_folder(p, max_bytes)
        elif p.exists():
            yield from _read_file(p, max_bytes)
        else:
            yield Dropped(path, "ingest", "no such file or folder")


def _read_folder(folder: Path, max_bytes: int) -> Iterator[RawDocument | Dropped]:
    for root, dirs, files in os.walk(folder):
        # Sorting in place makes os.walk descend in a stable order; hidden
        # folders (.git, .cache) hold no articles.
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield from _read_file(Path(root) / name, max_bytes)


def _read_stream(stream: BinaryIO, max_bytes: int) -> Iterator[RawDocument | Dropped]:
    try:
        data = stream.read(max_bytes + 1)
    except OSError as exc:
        yield Dropped(STDIN_LABEL, "ingest", f"cannot read standard input: {exc}")
        return
    if len(data) > max_bytes:
        yield Dropped(STDIN_LABEL, "ingest", f"standard input is over the {max_bytes}-byte limit")
        return
    yield from _documents_from_bytes(STDIN_LABEL, data, "", max_bytes)


def _read_file(path: Path, max_bytes: int) -> Iterator[RawDocument | Dropped]:
    label = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            yield Dropped(label, "ingest", f"file is {size} bytes, over the {max_bytes}-byte limit")
            return
        data = path.read_bytes()
    except OSError as exc:
        yield Dropped(label, "ingest", f"cannot read file: {exc.strerror or exc}")
        return
    suffixes = [s.lower() for s in path.suffixes]
    ext = suffixes[-1] if suffixes else ""
    if ext in (".gz", ".gzip"):
        ext = suffixes[-2] if len(suffixes) > 1 else ""
        unpacked = _gunzip(data, max_bytes)
        if isinstance(unpacked, str):
            yield Dropped(label, "ingest", unpacked)
            return
        data = unpacked
    yield from _documents_from_bytes(label, data, ext, max_bytes)


def _gunzip(data: bytes, max_bytes: int) -> bytes | str:
    """Decompressed bytes, or a one-line reason why not."""
    try:
        # Read one byte past the limit to detect gzip bombs without inflating them fully.
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = fh.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        return f"not a valid gzip file: {exc}"
    if len(out) > max_bytes:
        return f"decompressed size is over the {max_bytes}-byte limit"
    return out


def _documents_from_bytes(label: str, data: bytes, ext: str, max_bytes: int) -> Iterator[RawDocument | Dropped]:
    if not data.strip():
        yield Dropped(label, "ingest", "empty file")
        return
    if ext == "" or ext not in TEXT_EXTENSIONS | HTML_EXTENSIONS | JSONL_EXTENSIONS | JSON_EXTENSIONS:
        if data[:2] == _GZIP_MAGIC:
            unpacked = _gunzip(data, max_bytes)
            if isinstance(unpacked, str):
                yield Dropped(label, "ingest", unpacked)
            else:
                yield from _documents_from_bytes(label, unpacked, "", max_bytes)
            return
        kind = sniff_media_type(data)
    elif ext in TEXT_EXTENSIONS:
        kind = "text/plain"
    elif ext in HTML_EXTENSIONS:
        kind = "text/html"
    elif ext in JSONL_EXTENSIONS:
        kind = "jsonl"
    else:
        kind = "json"
    if kind in ("text/plain", "text/html") and looks_binary(data):
        yield Dropped(label, "ingest", "binary content (NUL or control bytes), not text")
        return
    if kind == "binary":
        yield Dropped(label, "ingest", "binary content (NUL or control bytes), not text")
    elif kind == "jsonl":
        yield from _jsonl_records(label, data)
    elif kind == "json":
        yield from _json_records(label, data)
    else:
        yield RawDocument(label, data, kind)


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


def sniff_media_type(data: bytes) -> str:
    """Guess what bytes hold: "binary", "jsonl", "json", "text/html" or "text/plain"."""
    if looks_binary(data):
        return "binary"
    head = data.lstrip()[:1]
    if head == b"[":
        return "json"
    if head == b"{":
        first_line = data.lstrip().split(b"\n", 1)[0]
        try:
            json.loads(first_line)
            return "jsonl"
        except ValueError:
            return "json"
    if _HTML_HINT.search(data[:4096]):
        return "text/html"
    return "text/plain"


def _jsonl_records(label: str, data: bytes) -> Iterator[RawDocument | Dropped]:
    found = False
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        found = True
        where = f"{label}:{number}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield Dropped(where, "ingest", f"malformed JSON line: {_one_line(str(exc))}")
            continue
        yield _record_document(where, record)
    if not found:
        yield Dropped(label, "ingest", "empty file")


def _json_records(label: str, data: bytes) -> Iterator[RawDocument | Dropped]:
    try:
        value = json.loads(data)
    except ValueError as exc:
        yield Dropped(label, "ingest", f"malformed JSON: {_one_line(str(exc))}")
        return
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]  # a common wrapper: {"articles": [...]}
    if isinstance(value, dict):
        yield _record_document(label, value)
    elif isinstance(value, list):
        if not value:
            yield Dropped(label, "ingest", "JSON list holds no records")
        for number, record in enumerate(value, start=1):
            yield _record_document(f"{label}:{number}", record)
    else:
        yield Dropped(label, "ingest", "JSON holds neither a record nor a list of records")


def _record_document(where: str, record: Any) -> RawDocument | Dropped:
    if not isinstance(record, dict):
        return Dropped(where, "ingest", "JSON record is not an object")
    text = next((v for k in TEXT_KEYS if isinstance(v := record.get(k), str) and v.strip()), None)
    if text is None:
        return Dropped(where, "ingest", "JSON record has no text (expected a text, body or content field)")
    meta: dict[str, str] = {}
    for name, aliases in META_ALIASES.items():
        for key in aliases:
            value = _scalar(record.get(key))
            if value:
                meta[name] = value
                break
    media_type = "text/html" if looks_like_html(text) else "text/plain"
    return RawDocument(where, text.encode("utf-8"), media_type, meta)


def _scalar(value: Any) -> str | None:
    """A metadata value as a string: strings as-is, numbers str()'d, {"name": ...} unwrapped."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("title")
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _one_line(message: str) -> str:
    return " ".join(message.split())[:200]
