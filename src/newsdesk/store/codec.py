"""JSON forms of what the store keeps: annotations, story briefs, articles.

Takes model objects, gives JSON text for the store's JSON columns, and back.
The JSON is ``dataclasses.asdict`` of the model, so the stored data reads like
``newsdesk annotate`` output and needs no second schema.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from typing import Any

from newsdesk.model import (
    Agreement,
    Annotations,
    Article,
    Cite,
    DateMention,
    Disagreement,
    Entity,
    Figure,
    FigureItem,
    OnlyHere,
    Place,
    PlaceItem,
    PubDate,
    Quote,
    QuoteItem,
    Sentence,
    Series,
    SeriesPoint,
    Side,
    StoryBrief,
    SummarySentence,
    TimelineEvent,
)


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def annotations_json(ann: Annotations | None) -> str:
    return dumps(dataclasses.asdict(ann or Annotations()))


def annotations_from(text: str) -> Annotations:
    raw = json.loads(text)
    return Annotations(
        sentences=[Sentence(**x) for x in raw.get("sentences", [])],
        entities=[Entity(**x) for x in raw.get("entities", [])],
        dates=[DateMention(**x) for x in raw.get("dates", [])],
        quotes=[Quote(**x) for x in raw.get("quotes", [])],
        figures=[Figure(**x) for x in raw.get("figures", [])],
        places=[Place(**x) for x in raw.get("places", [])],
    )


def brief_json(brief: StoryBrief) -> str:
    return dumps(dataclasses.asdict(brief))


def _cites(raw: list[dict[str, Any]]) -> list[Cite]:
    return [Cite(**c) for c in raw]


def _with_cites(cls: type, raw: dict[str, Any]) -> Any:
    fields = {k: v for k, v in raw.items() if k != "citations"}
    return cls(**fields, citations=_cites(raw.get("citations", [])))


def brief_from(text: str) -> StoryBrief:
    raw = json.loads(text)
    return StoryBrief(
        id=raw["id"],
        title=raw["title"],
        articles=list(raw["articles"]),
        sources=raw["sources"],
        summary=[_with_cites(SummarySentence, x) for x in raw.get("summary", [])],
        timeline=[_with_cites(TimelineEvent, x) for x in raw.get("timeline", [])],
        quotes=[_with_cites(QuoteItem, x) for x in raw.get("quotes", [])],
        figures=[_with_cites(FigureItem, x) for x in raw.get("figures", [])],
        places=[_with_cites(PlaceItem, x) for x in raw.get("places", [])],
        agreements=[_with_cites(Agreement, x) for x in raw.get("agreements", [])],
        disagreements=[
            Disagreement(x["about"], x["kind"], [_with_cites(Side, s) for s in x["sides"]])
            for x in raw.get("disagreements", [])
        ],
        series=[
            Series(x["quantity"], [_with_cites(SeriesPoint, p) for p in x["points"]])
            for x in raw.get("series", [])
        ],
        only_here=[
            OnlyHere(x["source"], x["article"], [_with_cites(SummarySentence, c) for c in x["claims"]])
            for x in raw.get("only_here", [])
        ],
    )


ARTICLE_COLUMNS = (
    "id, path, url, title, publisher, byline, published, published_precision, published_source, "
    "language, text, removed, signals"
)


def article_from_row(row: sqlite3.Row, annotations: str | None = None) -> Article:
    """An :class:`Article` from a row holding :data:`ARTICLE_COLUMNS` (plus annotations JSON if given)."""
    published = (
        PubDate(row["published"], row["published_precision"], row["published_source"] or "metadata")
        if row["published"]
        else None
    )
    return Article(
        id=row["id"],
        path=row["path"],
        text=row["text"],
        title=row["title"],
        publisher=row["publisher"],
        url=row["url"],
        byline=row["byline"],
        published=published,
        language=row["language"],
        removed=json.loads(row["removed"]),
        signals=set(json.loads(row["signals"])),
        annotations=annotations_from(annotations) if annotations is not None else None,
    )
