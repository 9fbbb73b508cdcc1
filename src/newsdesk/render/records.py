"""Per-article JSON records for ``newsdesk clean`` and ``newsdesk annotate`` (JSON Lines).

Takes an :class:`Article` (and its copy link, if any), gives a plain ``dict``:
the article fields of the brief's JSON contract, plus, for ``annotate``, every
annotation as a list of objects with ``start``/``end`` offsets into ``text``.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from newsdesk.model import Article, CopyLink


def article_record(article: Article, link: CopyLink | None = None, *, annotations: bool = False) -> dict[str, Any]:
    published = dataclasses.asdict(article.published) if article.published else None
    record: dict[str, Any] = {
        "id": article.id,
        "path": article.path,
        "url": article.url,
        "title": article.title,
        "publisher": article.publisher,
        "byline": article.byline,
        "published": published,
        "language": article.language,
        "copy_of": link.origin if link else None,
        "copy_kind": link.kind if link else None,
        "signals": sorted(article.signals),
        "removed": list(article.removed),
        "text": article.text,
    }
    if annotations and article.annotations is not None:
        ann = article.annotations
        for name in ("sentences", "entities", "dates", "quotes", "figures", "places"):
            record[name] = [dataclasses.asdict(item) for item in getattr(ann, name)]
    return record


def render_jsonl(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
