"""The store's columns: what :mod:`newsdesk.codec` gives, as SQLite holds it.

Takes model objects, gives JSON text for the store's JSON columns, and back;
takes an ``articles`` row (:data:`ARTICLE_COLUMNS`), gives an :class:`Article`.
The JSON is the codec's plain form of the model, so the stored data reads like
``newsdesk annotate`` output and needs no second schema. The only SQLite part
is that ``removed`` and ``signals`` are JSON text columns.
"""

from __future__ import annotations

import json
import sqlite3

from newsdesk.codec import article_from_row as article_of_row
from newsdesk.codec import dumps, from_json, to_json
from newsdesk.model import Annotations, Article, StoryBrief

__all__ = [
    "ARTICLE_COLUMNS",
    "annotations_from",
    "annotations_json",
    "article_from_row",
    "brief_from",
    "brief_json",
    "dumps",
]

ARTICLE_COLUMNS = (
    "id, path, url, title, publisher, byline, published, published_precision, published_source, "
    "language, text, removed, signals"
)


def annotations_json(ann: Annotations | None) -> str:
    """An article's annotations column: never NULL, an unannotated article stores empty lists."""
    return to_json(ann or Annotations())


def annotations_from(text: str) -> Annotations:
    return from_json(Annotations, text)


def brief_json(brief: StoryBrief) -> str:
    return to_json(brief)


def brief_from(text: str) -> StoryBrief:
    return from_json(StoryBrief, text)


def article_from_row(row: sqlite3.Row, annotations: str | None = None) -> Article:
    """An :class:`Article` from a row holding :data:`ARTICLE_COLUMNS` (plus annotations JSON if given)."""
    values = dict(row)
    values.update(removed=json.loads(row["removed"]), signals=json.loads(row["signals"]), annotations=annotations)
    return article_of_row(values)
