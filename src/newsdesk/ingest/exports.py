"""Exports from news databases (Nexis, Nexis Uni, Factiva, ProQuest): many articles in one text file.

Takes the decoded text of a file and gives one :class:`RawDocument`
(text/plain body) per article, with ``meta`` (title, publisher, published,
byline, section) read from the article's header block. Files are recognised
by their delimiter lines, not their extension:

* "Document 1 of 20" / "1 of 20 DOCUMENTS" before each article,
* "End of Document" or a row of underscores after each article,
* Factiva's trailer "Document NYTF000020200106eg160003n" (its accession number).

Header blocks come three ways: labelled lines ("BYLINE:", "Length: 1,234
words", "Publication date:"), Factiva's two-letter tags (HD, BY, WC, PD, SN,
LP, TD), or bare lines (title, publisher, date, "1,234 words", "By ...")
told apart by their shape. The body starts at a "Body"/"Full text" marker,
or else at the first paragraph-length line, and stops at trailer labels
("LOAD-DATE:", "Subject:", ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsdesk.clean.dates import date_line, find_date
from newsdesk.ingest.common import Items
from newsdesk.lexicon import word_list
from newsdesk.model import Dropped, RawDocument

__all__ = ["ExportArticle", "export_documents", "looks_like_export", "parse_export", "split_export"]

_START = re.compile(r"^\s*(?:Document\s+\d+\s+of\s+\d+|\d+\s+of\s+\d+\s+DOCUMENTS?)\s*$", re.IGNORECASE)
_END = re.compile(r"^\s*End\s+of\s+Document\s*$", re.IGNORECASE)
_RULE = re.compile(r"^\s*_{20,}\s*$")
# Factiva accession numbers mix letters and digits: "Document NYTF000020200106eg160003n".
_FACTIVA_ID = re.compile(r"^\s*(?:AN\s+)?Document\s+(?=[A-Za-z0-9]*\d)[A-Za-z0-9]{16,40}\s*$")
_FACTIVA_TAG = re.compile(
    r"^(HD|BY|WC|PD|ET|SN|SC|ED|PG|LA|CY|LP|TD|CT|RF|CO|IN|NS|RE|IPC|IPD|PUB|AN|SE|CLM|ART|CR|DE|GC)(?:\s+(.*))?$"
)
_LABEL = re.compile(r"^\s*([A-Za-z][A-Za-z -]{0,30}?)\s*:\s*(.*)$")
_FIELD_LABELS = {
    "title": "title", "headline": "title", "byline": "byline", "author": "byline", "authors": "byline",
    "section": "section", "length": "length", "publication date": "published", "publication-date": "published",
    "date": "published", "publication title": "publisher", "publication": "publisher", "source": "publisher",
    "publication info": "pubinfo", "dateline": "dateline",
}  # fmt: skip
_BODY_LABELS = frozenset({"body", "full text", "text"})
#: Labels of the fields printed after the body: the body ends at the first of them.
_TRAILER_LABELS = frozenset(word_list("newsdesk.ingest", "export_trailer_labels.txt"))
_WORDS_LINE = re.compile(r"^\d{1,3}(?:[,.\s]?\d{3})*\s+words$", re.IGNORECASE)
_BY = re.compile(r"^by\s+(?=\S)", re.IGNORECASE)
_COPYRIGHT = re.compile(r"^(?:copyright\b|©|\(c\))", re.IGNORECASE)
_COPYRIGHT_PREFIX = re.compile(r"^(?:copyright|©|\(c\)|\s|\d{4}|[-,–])+", re.IGNORECASE)
_RIGHTS = re.compile(r"[.,;]?\s*all rights reserved.*$", re.IGNORECASE)
_EDITION = re.compile(r"\bedition\b|^(?:final|late|early|city|national)\b[\w\s-]*$", re.IGNORECASE)
_CODE = re.compile(r"^(?:[A-Z0-9]{2,8}|[\d\s.,;-]+|[A-Z]?\d+[A-Z]?)$")
_LANGUAGES = frozenset(("english", "french", "german", "spanish", "italian", "arabic", "dutch", "portuguese"))
_MIN_BODY_WORDS = 8
_LONG_LINE_WORDS = 25


@dataclass
class ExportArticle:
    """One article of an export: header fields and the body text."""

    meta: dict[str, str] = field(default_factory=dict)
    body: str = ""


def looks_like_export(text: str) -> bool:
    """True when ``text`` has news-database delimiter lines ("Document 1 of 20", "End of Document")."""
    return any(_START.match(line) or _END.match(line) or _FACTIVA_ID.match(line) for line in text.splitlines())


def split_export(text: str) -> tuple[list[str], list[list[str]]]:
    """(cover-page lines before the first "Document N of M", one list of lines per article)."""
    preamble: list[str] = []
    segments: list[list[str]] = []
    current: list[str] = []
    seen_marker = False
    for line in text.splitlines():
        if _START.match(line):
            if _has_content(current):
                # Before any marker, lines not closed by an end marker are a cover page.
                (segments.append(current) if seen_marker else preamble.extend(current))
            current, seen_marker = [], True
        elif _END.match(line) or _RULE.match(line) or _FACTIVA_ID.match(line):
            if _has_content(current):
                segments.append(current)
            current, seen_marker = [], True
        else:
            current.append(line)
    if _has_content(current):
        segments.append(current)
    return preamble, segments


def export_documents(label: str, text: str) -> Items:
    """One text/plain document per article in the export ``text``; "label:N" numbers them from 1."""
    preamble, segments = split_export(text)
    if _has_content(preamble):
        yield Dropped(label, "ingest", "export cover page before the first document (not an article)")
    if not segments:
        yield Dropped(label, "ingest", "export holds no documents")
    for number, lines in enumerate(segments, start=1):
        where = f"{label}:{number}"
        article = parse_export(lines)
        if len(re.findall(r"\w+", article.body)) < _MIN_BODY_WORDS:
            yield Dropped(where, "ingest", "export document has no article body")
        else:
            yield RawDocument(where, article.body.encode("utf-8"), "text/plain", article.meta)


def parse_export(lines: list[str]) -> ExportArticle:
    """Header fields and body of one article's lines."""
    if any(line.startswith("HD ") for line in lines) and any(re.match(r"^(LP|TD)\b", line) for line in lines):
        return _parse_tagged(lines)
    return _parse_plain(lines)


def _parse_tagged(lines: list[str]) -> ExportArticle:
    """Factiva's tagged layout: "HD  headline", "PD  6 January 2020", "LP"/"TD" then paragraphs."""
    fields: dict[str, list[str]] = {}
    tag = ""
    for line in lines:
        m = _FACTIVA_TAG.match(line)
        if m:
            tag = m.group(1)
            fields.setdefault(tag, [])
            line = m.group(2) or ""
        if tag:
            fields[tag].append(line.strip())
    body = "\n\n".join(part for tag in ("LP", "TD") if (part := "\n".join(fields.get(tag, [])).strip()))
    meta: dict[str, str] = {}
    for name, tag in (("title", "HD"), ("byline", "BY"), ("published", "PD"), ("publisher", "SN"), ("section", "SE")):
        value = " ".join(v for v in fields.get(tag, []) if v).strip()
        if value:
            meta[name] = _BY.sub("", value) if name == "byline" else value
    return ExportArticle(meta, body)


def _parse_plain(lines: list[str]) -> ExportArticle:
    start, inline = _body_start(lines)
    end = next((i for i in range(start, len(lines)) if _label_kind(lines[i]) == "trailer"), len(lines))
    body_lines = ([inline] if inline else []) + [line.rstrip() for line in lines[start:end]]
    meta = _header_meta(lines[: _marker_index(lines, start, inline)], lines[end:])
    return ExportArticle(meta, "\n".join(body_lines).strip())


def _marker_index(lines: list[str], start: int, inline: str) -> int:
    """Where the header stops: the body marker line (if any) is not a header line."""
    if start > 0 and (inline or _label_kind(lines[start - 1]) == "body" or _bare_body_marker(lines[start - 1])):
        return start - 1
    return start


def _body_start(lines: list[str]) -> tuple[int, str]:
    """(index of the first body line, body text on the marker line itself)."""
    for i, line in enumerate(lines):
        if _bare_body_marker(line):
            return i + 1, ""
        m = _LABEL.match(line)
        if m and m.group(1).strip().lower() in _BODY_LABELS:
            return i + 1, m.group(2).strip()
    for i, line in enumerate(lines):
        if len(line.split()) >= _LONG_LINE_WORDS and _label_kind(line) is None:
            # Walk back over the short lines of the same paragraph (a dateline, a lead).
            while i > 0 and lines[i - 1].strip() and _line_kind(lines[i - 1].strip()) == "other":
                i -= 1
            return i, ""
    # No paragraph-length line: the body starts after the last header-looking line.
    last = max((i for i, line in enumerate(lines) if line.strip() and _line_kind(line.strip()) != "other"), default=-1)
    return last + 1, ""


def _bare_body_marker(line: str) -> bool:
    return line.strip() in ("Body", "BODY", "Full text", "Full Text", "TEXT")


def _label_kind(line: str) -> str | None:
    """Say "field", "body" or "trailer" for a labelled line ("BYLINE: ...", "Subject: ..."), else None."""
    m = _LABEL.match(line)
    if not m:
        return None
    name = m.group(1).strip().lower()
    if name in _BODY_LABELS:
        return "body"
    if name in _TRAILER_LABELS:
        return "trailer"
    return "field" if name in _FIELD_LABELS else None


def _line_kind(line: str) -> str:
    """What a bare header line is: length, copyright, byline, date, skip (code, page, edition) or other."""
    if _label_kind(line) is not None:
        return "label"
    if _WORDS_LINE.match(line):
        return "length"
    if _COPYRIGHT.match(line):
        return "copyright"
    if _BY.match(line) and len(line.split()) <= 8:
        return "byline"
    if date_line(line) is not None:
        return "date"
    if line.lower() in _LANGUAGES or _CODE.match(line) or _EDITION.search(line) or line.lower().startswith("proquest"):
        return "skip"
    return "other"


def _header_meta(header: list[str], trailer: list[str]) -> dict[str, str]:
    labelled: dict[str, str] = {}
    kinds: list[tuple[str, str]] = []
    for index, raw in enumerate(header + trailer):
        line = raw.strip()
        if not line:
            continue
        m = _LABEL.match(line)
        name = m.group(1).strip().lower() if m else ""
        if m and name in _FIELD_LABELS and m.group(2).strip():
            labelled.setdefault(_FIELD_LABELS[name], m.group(2).strip())
        elif index < len(header) and _label_kind(line) is None:
            kinds.append((_line_kind(line), line))
    meta: dict[str, str] = {}
    byline = labelled.get("byline") or next((v for k, v in kinds if k == "byline"), None)
    published = labelled.get("published") or next((v for k, v in kinds if k == "date"), None)
    title, publisher = _title_and_publisher(kinds)
    title = labelled.get("title") or title
    publisher = labelled.get("publisher") or publisher
    info = labelled.get("pubinfo")
    if info:  # ProQuest: "New York Times; New York, N.Y. 06 Jan 2020: A.1."
        publisher = publisher or re.split(r"[,;\[]", info, maxsplit=1)[0]
        found = find_date(info)
        published = published or (found and info[found[2][0] : found[2][1]]) or None
    if not publisher:
        copyright_line = next((v for k, v in kinds if k == "copyright"), None)
        publisher = _RIGHTS.sub("", _COPYRIGHT_PREFIX.sub("", copyright_line)) if copyright_line else None
    if publisher:
        # "New York Times, Late Edition (East Coast); New York, N.Y." names the paper first.
        head = re.split(r"[;\[]", publisher, maxsplit=1)[0]
        publisher = ",".join(p for p in head.split(",") if not _EDITION.search(p)) or head
    for name, value in (("title", title), ("publisher", publisher), ("published", published),
                        ("byline", _BY.sub("", byline) if byline else None), ("section", labelled.get("section"))):  # fmt: skip
        if value and value.strip(" .,;"):
            meta[name] = value.strip(" ,;")
    return meta


def _title_and_publisher(kinds: list[tuple[str, str]]) -> tuple[str | None, str | None]:
    """Title and publisher among the bare header lines, by where they sit around the date line.

    Nexis Uni: title, publisher, date. Factiva: title, (byline, words), date,
    publisher. Old Nexis: publisher, date, (edition), title.
    """
    date_at = next((i for i, (k, _) in enumerate(kinds) if k == "date"), len(kinds))
    before = [v for k, v in kinds[:date_at] if k == "other"]
    after = [v for k, v in kinds[date_at:] if k == "other"]
    if len(before) >= 2:
        return before[0], before[1]
    if len(before) == 1 and after:
        factiva = any(k == "length" for k, _ in kinds)  # Factiva writes a bare "1,234 words" line
        return (before[0], after[0]) if factiva else (after[0], before[0])
    if before:
        return before[0], None
    if after:
        return after[0], after[1] if len(after) > 1 else None
    return None, None


def _has_content(lines: list[str]) -> bool:
    return any(line.strip() for line in lines)
