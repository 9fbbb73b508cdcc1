"""Records: JSON, JSON Lines, CSV and TSV files with one article per record or row.

Takes the bytes (JSON) or a stream (JSONL, CSV, TSV, read line by line so a
big dump never sits in memory) and gives one :class:`RawDocument` per record
that has text, with ``meta`` filled from the usual field names (title,
url/link, published/date, publisher/source, byline/author) or from a
user-given field -> column mapping, and a :class:`Dropped` per record that
cannot be used (malformed line, no text), numbered by line or row.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Mapping
from typing import Any, BinaryIO

from newsdesk.ingest.common import Items, Options, one_line
from newsdesk.ingest.sniff import HEAD_BYTES, looks_like_html
from newsdesk.model import Dropped, RawDocument
from newsdesk.stage import failure

__all__ = ["FIELDS", "json_documents", "jsonl_documents", "parse_columns", "record_document", "table_documents"]

# Field aliases seen in scraped-news dumps and spreadsheets; the first present one wins.
TEXT_KEYS = ("text", "body", "content", "articleBody", "article", "full_text", "fulltext", "story", "html")
META_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "url": ("url", "link", "uri"),
    "published": ("published", "date", "pubdate", "published_at", "datePublished", "publish_date", "pub_date"),
    "publisher": ("publisher", "source", "site", "sitename", "site_name", "outlet"),
    "byline": ("byline", "author", "authors"),
}
#: The fields a column mapping may name.
FIELDS = ("text", *META_ALIASES)
_NO_TEXT_HINT = "expected a text, body or content field"


def parse_columns(spec: str) -> dict[str, str]:
    """Parse "text=body,published=pub_date" into {"text": "body", "published": "pub_date"}.

    Field names are checked against :data:`FIELDS`; a malformed spec raises
    ValueError with a message fit for a command line.
    """
    mapping: dict[str, str] = {}
    for part in spec.split(","):
        if not part.strip():
            continue
        field, sep, column = part.partition("=")
        field, column = field.strip().lower(), column.strip()
        if not sep or not field or not column:
            raise ValueError(f"bad column mapping {part.strip()!r}: expected FIELD=COLUMN, e.g. text=body")
        if field not in FIELDS:
            raise ValueError(f"unknown field {field!r} in column mapping: use one of {', '.join(FIELDS)}")
        mapping[field] = column
    return mapping


def record_document(where: str, record: Any, columns: Mapping[str, str] | None = None) -> RawDocument | Dropped:
    """One JSON record or table row (a dict) as a document, or why not."""
    if not isinstance(record, dict):
        return Dropped(where, "ingest", "JSON record is not an object")
    columns = columns or {}
    text_keys = (columns["text"],) if "text" in columns else _present_keys(record, TEXT_KEYS)
    text = next((v for k in text_keys if isinstance(v := record.get(k), str) and v.strip()), None)
    if text is None:
        hint = f"no {columns['text']!r} field" if "text" in columns else _NO_TEXT_HINT
        return Dropped(where, "ingest", f"record has no text ({hint})")
    meta: dict[str, str] = {}
    for name, aliases in META_ALIASES.items():
        keys = (columns[name],) if name in columns else _present_keys(record, aliases)
        for key in keys:
            value = _scalar(record.get(key))
            if value:
                meta[name] = value
                break
    media_type = "text/html" if looks_like_html(text) else "text/plain"
    return RawDocument(where, text.encode("utf-8"), media_type, meta)


def _present_keys(record: dict[str, Any], aliases: tuple[str, ...]) -> list[str]:
    """The record's keys matching ``aliases``, exact spelling first, then ignoring case."""
    folded = {k.lower().strip(): k for k in record if isinstance(k, str)}
    keys = [a for a in aliases if a in record]
    keys += [folded[a.lower()] for a in aliases if a.lower() in folded and folded[a.lower()] not in keys]
    return keys


def _scalar(value: Any) -> str | None:
    """A metadata value as a string: strings as-is, numbers str()'d, {"name": ...} unwrapped, lists joined."""
    if isinstance(value, dict):
        value = value.get("name") or value.get("title")
    if isinstance(value, list):
        parts = [s for v in value if (s := _scalar(v))]
        return ", ".join(parts) or None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def jsonl_documents(label: str, stream: BinaryIO, options: Options) -> Items:
    """JSON Lines, read line by line; a line over the size cap is dropped and skipped."""
    found = False
    number = 0
    while True:
        line = stream.readline(options.max_bytes + 1)
        if not line:
            break
        number += 1
        where = f"{label}:{number}"
        if len(line) > options.max_bytes and not line.endswith(b"\n"):
            _skip_rest_of_line(stream)
            found = True
            yield Dropped(where, "ingest", f"JSON line is over the {options.max_bytes}-byte limit")
            continue
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        found = True
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield Dropped(where, "ingest", f"malformed JSON line: {one_line(str(exc))}")
            continue
        yield record_document(where, record, options.columns)
    if not found:
        yield Dropped(label, "ingest", "empty file")


def _skip_rest_of_line(stream: BinaryIO) -> None:
    while (chunk := stream.readline(1 << 20)) and not chunk.endswith(b"\n"):
        pass


def json_documents(label: str, data: bytes, options: Options) -> Items:
    """A JSON file: one record, a list of records, or {"articles": [...]}."""
    try:
        value = json.loads(data.removeprefix(codecs.BOM_UTF8))
    except ValueError as exc:
        yield Dropped(label, "ingest", f"malformed JSON: {one_line(str(exc))}")
        return
    if isinstance(value, dict) and isinstance(value.get("articles"), list):
        value = value["articles"]  # a common wrapper: {"articles": [...]}
    if isinstance(value, dict):
        yield record_document(label, value, options.columns)
    elif isinstance(value, list):
        if not value:
            yield Dropped(label, "ingest", "JSON list holds no records")
        for number, record in enumerate(value, start=1):
            yield record_document(f"{label}:{number}", record, options.columns)
    else:
        yield Dropped(label, "ingest", "JSON holds neither a record nor a list of records")


def table_documents(label: str, stream: BinaryIO, delimiter: str | None, options: Options) -> Items:
    """CSV or TSV rows with a header line; rows are numbered as a spreadsheet shows them (header = 1)."""
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    text_stream = io.TextIOWrapper(stream, encoding=_table_encoding(head), errors="replace", newline="")
    # Article bodies outgrow csv's default 128 KiB field limit; the size cap is the real bound.
    csv.field_size_limit(max(csv.field_size_limit(), options.max_bytes))
    try:
        header_line = text_stream.readline()
        delimiter = delimiter or _guess_delimiter(header_line)
        header = next(csv.reader([header_line], delimiter=delimiter), [])
        names = [h.strip() for h in header]
        problem = _header_problem(names, options.columns)
        if problem:
            yield Dropped(label, "ingest", problem)
            return
        reader = csv.reader(text_stream, delimiter=delimiter)
        row_number = 1
        found = False
        while True:
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                yield Dropped(f"{label}:{row_number + 1}", "ingest", f"bad CSV row: {one_line(str(exc))}")
                row_number += 1
                continue
            row_number += 1
            if not any(cell.strip() for cell in row):
                continue
            found = True
            record = dict(zip(names, row))
            result = record_document(f"{label}:{row_number}", record, options.columns)
            if isinstance(result, Dropped):
                result = Dropped(result.path, "ingest", result.reason.replace("record has no text", "row has no text"))
            yield result
        if not found:
            yield Dropped(label, "ingest", "table has a header but no rows")
    finally:
        # Let go of the binary stream: closing it is its owner's job.
        text_stream.detach()


def _table_encoding(head: bytes) -> str:
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "utf-16"
    try:
        # The head may stop inside a character; a few trailing bytes may fail.
        head[: max(0, len(head) - 3)].decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp1252"  # spreadsheet exports on Windows


def _guess_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header_problem(names: list[str], columns: Mapping[str, str] | None) -> str | None:
    """Why a header cannot give documents (a mapped column is missing, no text column), or None."""
    present = set(names)
    for field, column in (columns or {}).items():
        if column not in present:
            return f"no column {column!r} for {field} (columns: {one_line(', '.join(names), 120)})"
    if columns and "text" in columns:
        return None
    if not _present_keys(dict.fromkeys(names, ""), TEXT_KEYS):
        return f"table has no text column (expected text, body or content; columns: {one_line(', '.join(names), 120)})"
    return None


#: Rows read from a Parquet file at a time.
PARQUET_BATCH = 1000


def parquet_documents(label: str, stream: BinaryIO, options: Options) -> Items:
    """Parquet rows as records (the columns JSON records have), read a batch at a time.

    Needs pyarrow (the ``spark`` extra); without it, or for a corrupt file,
    the file is one dropped item with the reason.
    """
    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield Dropped(label, "ingest", "Parquet needs pyarrow: pip install 'newsdesk[spark]'")
        return
    number = 0
    try:
        table = pq.ParquetFile(stream)
        for batch in table.iter_batches(batch_size=PARQUET_BATCH):
            for record in batch.to_pylist():
                number += 1
                yield record_document(f"{label}:{number}", record, options.columns)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds for a damaged file
        yield failure(label, "ingest", exc, prefix=f"unreadable Parquet file after {number} row(s): ")
