"""Per-article JSON records for ``newsdesk clean`` and ``newsdesk annotate`` (JSON Lines).

Takes an :class:`Article` (and its copy link, if any), gives a plain ``dict``:
the article fields of the brief's JSON contract, plus, for ``annotate``, every
annotation as a list of objects with ``start``/``end`` offsets into ``text``.
The dicts are :func:`newsdesk.codec.to_dict`'s, shaped by :data:`RECORD`.
"""

from __future__ import annotations

import json
from typing import Any

from newsdesk.codec import Shape, to_dict
from newsdesk.model import Article, CopyLink

__all__ = ["RECORD", "article_record", "render_jsonl"]

#: The contract's article record: its own key order (DESIGN.md fixed it before the codec), the
#: copy link's two keys, which are not the article's fields, and no annotations (``annotate`` adds
#: them as top-level lists).
RECORD = Shape(
    keys=(
        "id", "path", "url", "title", "publisher", "byline", "published", "language",
        "copy_of", "copy_kind", "signals", "removed", "text",
    )
)


def article_record(article: Article, link: CopyLink | None = None, *, annotations: bool = False) -> dict[str, Any]:
    copy = {"copy_of": link.origin if link else None, "copy_kind": link.kind if link else None}
    record = to_dict(article, {Article: RECORD}, extra=copy)
    if annotations and article.annotations is not None:
        record.update(to_dict(article.annotations))
    return record


def render_jsonl(records: list[dict[str, Any]]) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
