"""Ingest: turn paths (files, folders, ``-`` for stdin) into raw documents.

Takes file system paths and gives a stream of :class:`RawDocument` (bytes as
read, the media type, and any structured fields the input carried) or
:class:`Dropped` records for input that cannot be used: a missing path, an
empty or binary file, a file over the size limit, a malformed JSON line, a
record without text, a feed item without its text, a zip bomb. One bad file
never stops the run; nothing is decoded or cleaned here beyond what a
container format needs (that is :mod:`newsdesk.clean`'s job).

Supported, by extension or by sniffing the bytes:

* ``.txt .text .md`` (text/plain), ``.html .htm .xhtml`` (text/html);
* news-database exports (Nexis, Factiva, ProQuest ``.txt``): one document per article;
* ``.jsonl .ndjson``, ``.json``, ``.csv``, ``.tsv``: one document per record or row;
* RSS and Atom feeds (``.rss .atom .xml``): one document per full-text item;
* WARC web archives (``.warc``, ``.warc.gz``): one document per archived HTML page;
* any of those in ``.gz`` or ``.zip`` (members are labelled "archive.zip!member.html").

Single documents over the size cap (default 50 MB) are dropped without being
read; record formats (JSONL, CSV, WARC, zip) are streamed and the cap holds
per record or member.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from io import BytesIO
from pathlib import Path
from typing import BinaryIO

from newsdesk.clean.decoding import decode
from newsdesk.ingest.archives import gzip_documents, zip_documents
from newsdesk.ingest.common import DEFAULT_MAX_BYTES, Items, Options, read_capped
from newsdesk.ingest.exports import export_documents, looks_like_export
from newsdesk.ingest.feeds import feed_documents
from newsdesk.ingest.records import (
    FIELDS,
    json_documents,
    jsonl_documents,
    parquet_documents,
    parse_columns,
    table_documents,
)
from newsdesk.ingest.sniff import HEAD_BYTES, kind_of, looks_binary, looks_like_feed, looks_like_html, sniff_media_type
from newsdesk.ingest.warc import warc_documents
from newsdesk.model import Dropped, RawDocument

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FIELDS",
    "looks_binary",
    "looks_like_export",
    "looks_like_feed",
    "looks_like_html",
    "parse_columns",
    "read_paths",
    "read_stream",
    "sniff_media_type",
]

STDIN_LABEL = "<stdin>"
# Kinds that must be text: a NUL byte anywhere in the head means a binary file.
_TEXT_KINDS = frozenset({"text/plain", "text/html", "export"})


def read_paths(
    paths: Sequence[str],
    stdin: BinaryIO | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    columns: Mapping[str, str] | None = None,
) -> Items:
    """Yield one RawDocument per readable document under ``paths``, a Dropped for the rest.

    Folders are read recursively in sorted order, skipping hidden files and
    folders. ``"-"`` reads ``stdin`` (default: the process's standard input)
    and sniffs what it holds. ``max_bytes`` caps one document (file, archive
    member, record). ``columns`` maps fields ("text", "title", "url",
    "published", "publisher", "byline") to the column or key that holds them
    in CSV, TSV, JSON and JSONL input; see :func:`parse_columns`.
    """
    if columns:
        unknown = sorted(set(columns) - set(FIELDS))
        if unknown:
            raise ValueError(f"unknown field(s) in column mapping: {', '.join(unknown)}; use {', '.join(FIELDS)}")
    options = Options(max_bytes=max_bytes, columns=dict(columns) if columns else None)
    for path in paths:
        if path == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            yield from _read_stdin(stream, options)
            continue
        p = Path(path)
        if p.is_dir():
            yield from _read_folder(p, options)
        elif p.exists():
            yield from _read_file(p, options)
        else:
            yield Dropped(path, "ingest", "no such file or folder")


def _read_folder(folder: Path, options: Options) -> Items:
    """Every file under ``folder``. Linked folders are followed, each real folder
    read once: a link back to a folder already read (a loop) is a Dropped record."""
    seen: dict[tuple[int, int], str] = {}
    try:
        st = folder.stat()
        seen[(st.st_dev, st.st_ino)] = str(folder)
    except OSError:
        pass
    for root, dirs, files in os.walk(folder, followlinks=True):
        # Sorting in place makes os.walk descend in a stable order; hidden
        # folders (.git, .cache) hold no articles.
        keep = []
        for d in sorted(d for d in dirs if not d.startswith(".")):
            sub = Path(root) / d
            try:
                st = sub.stat()
            except OSError as exc:  # a dangling folder link
                yield Dropped(str(sub), "ingest", f"cannot read folder: {exc.strerror or exc}")
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen:
                yield Dropped(str(sub), "ingest", f"folder link loop: {seen[key]} is already read")
                continue
            seen[key] = str(sub)
            keep.append(d)
        dirs[:] = keep
        for name in sorted(files):
            if not name.startswith("."):
                yield from _read_file(Path(root) / name, options)


def _read_stdin(stream: BinaryIO, options: Options) -> Items:
    # Standard input cannot be seeked or stat'ed: it is read whole, capped.
    try:
        data = read_capped(stream, options.max_bytes)
    except OSError as exc:
        yield Dropped(STDIN_LABEL, "ingest", f"cannot read standard input: {exc}")
        return
    if data is None:
        yield Dropped(STDIN_LABEL, "ingest", f"standard input is over the {options.max_bytes}-byte limit")
        return
    yield from read_stream(STDIN_LABEL, "", BytesIO(data), len(data), options, 0)


def _read_file(path: Path, options: Options) -> Items:
    label = str(path)
    try:
        size = path.stat().st_size
        stream = path.open("rb")
    except OSError as exc:
        yield Dropped(label, "ingest", f"cannot read file: {exc.strerror or exc}")
        return
    with stream:
        try:
            yield from read_stream(label, path.name, stream, size, options, 0)
        except OSError as exc:
            yield Dropped(label, "ingest", f"cannot read file: {exc.strerror or exc}")


def read_stream(label: str, name: str, stream: BinaryIO, size: int | None, options: Options, depth: int) -> Items:
    """Everything one opened file (or archive member, or inflated stream) gives.

    ``stream`` must be seekable: the head is sniffed, then the reader starts over.
    The one dispatcher by kind: Spark feeds it the bytes of remote files.
    """
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if not head.strip() and len(head) < HEAD_BYTES:
        yield Dropped(label, "ingest", "empty file")
        return
    ext = Path(name).suffix.lower()
    kind = kind_of(ext, head)

    def dispatch(inner_label: str, inner: str, fh: BinaryIO, inner_size: int | None, inner_depth: int) -> Items:
        return read_stream(inner_label, inner, fh, inner_size, options, inner_depth)

    if kind == "gzip":
        yield from gzip_documents(label, name, stream, depth, dispatch)
    elif kind == "zip":
        yield from zip_documents(label, stream, options, depth, dispatch)
    elif kind == "warc":
        yield from warc_documents(label, stream, options)
    elif kind == "jsonl":
        yield from jsonl_documents(label, stream, options)
    elif kind == "parquet":
        yield from parquet_documents(label, stream, options)
    elif kind in ("csv", "tsv"):
        yield from table_documents(label, stream, "\t" if kind == "tsv" else None, options)
    else:
        yield from _whole_document(label, stream, size, kind, options)


def _whole_document(label: str, stream: BinaryIO, size: int | None, kind: str, options: Options) -> Items:
    """Kinds that need all their bytes at once: refused by size before reading when the size is known."""
    limit = options.max_bytes
    if size is not None and size > limit:
        yield Dropped(label, "ingest", f"file is {size} bytes, over the {limit}-byte limit")
        return
    data = read_capped(stream, limit)
    if data is None:
        yield Dropped(label, "ingest", f"decompressed size is over the {limit}-byte limit")
        return
    if not data.strip():
        yield Dropped(label, "ingest", "empty file")
    elif kind == "binary" or (kind in _TEXT_KINDS and looks_binary(data)):
        yield Dropped(label, "ingest", "binary content (NUL or control bytes), not text")
    elif kind == "json":
        yield from json_documents(label, data, options)
    elif kind == "feed":
        yield from feed_documents(label, data)
    elif kind == "export":
        text = decode(data)
        if text is None:
            yield Dropped(label, "ingest", "undecodable bytes: no text encoding fits")
        else:
            yield from export_documents(label, text)
    else:
        yield RawDocument(label, data, kind)
