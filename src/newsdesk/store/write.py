"""The store's write helpers shared by ``newsdesk add`` and the Spark import.

Takes an open transaction (a connection inside :meth:`Store.write`) and model
objects; gives inserted ``articles`` rows (with their full-text, profile and
sentence rows) and refreshed story counts. Also what both paths report and
compare on: the :class:`AddSummary` of a run, an article's content hash, and
the stored root origin of a copy chain. Both :mod:`newsdesk.store.ingest` and
:mod:`newsdesk.store.spark_import` import this module, and neither imports
the other's internals.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass, field

from newsdesk.codec import article_row
from newsdesk.model import Article, CopyLink, Dropped, root_origin
from newsdesk.store.codec import annotations_json, dumps
from newsdesk.store.profiles import profile_row
from newsdesk.stories import Profile

__all__ = ["AddSummary", "content_hash", "insert_article", "refresh_counts", "stored_root"]


@dataclass
class AddSummary:
    read: int = 0
    added: int = 0
    already: int = 0
    copies: int = 0
    new_stories: int = 0
    briefs: int = 0
    dropped: list[Dropped] = field(default_factory=list)
    merged: int = 0  # stories merged into another, an article having bridged them

    def line(self) -> str:
        merged = f", {self.merged} merged into another" if self.merged else ""
        return (
            f"read {self.read}, added {self.added}, already stored {self.already}, copies {self.copies}, "
            f"dropped {len(self.dropped)}; {self.new_stories} new story(ies){merged}, {self.briefs} brief(s) rebuilt"
        )


def content_hash(article: Article) -> str:
    """What makes two inputs the same stored article: the clean text from the same url and publisher."""
    key = "\0".join((article.text, article.url or "", (article.publisher or "").strip().lower()))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def stored_root(conn: sqlite3.Connection, article_id: str) -> str:
    """Follow stored copy links to the article nobody copied from (:func:`newsdesk.model.root_origin`)."""

    def copy_of(aid: str) -> str | None:
        row = conn.execute("SELECT copy_of FROM articles WHERE id = ?", (aid,)).fetchone()
        return row[0] if row is not None else None

    return root_origin(article_id, copy_of)


def insert_article(
    conn: sqlite3.Connection, a: Article, h: str, story: str, link: CopyLink | None, p: Profile,
    unit: dict[str, float] | None = None,
) -> None:
    """One article with its full-text, profile and sentence rows, inside the caller's transaction.
    ``unit``: a source's TF-IDF vector as the story index worked it out (None for a copy)."""
    row = article_row(a)
    cur = conn.execute(
        "INSERT INTO articles (id, content_hash, path, url, title, publisher, byline, published, published_precision, "
        "published_source, language, text, removed, signals, annotations, story_id, copy_of, copy_kind, containment, "
        "origin_containment, jaccard, aligned) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            row["id"], h, row["path"], row["url"], row["title"], row["publisher"], row["byline"], row["published"],
            row["published_precision"], row["published_source"], row["language"], row["text"],
            dumps(row["removed"]), dumps(row["signals"]), row["annotations"] or annotations_json(None), story,
            link.origin if link else None, link.kind if link else None, link.containment if link else None,
            link.origin_containment if link else None, link.jaccard if link else None,
            link.aligned if link else None,
        ),
    )
    conn.execute("INSERT INTO article_fts (rowid, title, text) VALUES (?, ?, ?)", (cur.lastrowid, a.title or "", a.text))
    conn.execute(
        "INSERT INTO profiles (article_id, vector, entities, published, terms, unit, counted) VALUES (?,?,?,?,?,?,?)",
        (*profile_row(p), None if unit is None else dumps(unit), int(unit is not None)),
    )
    for s in a.annotations.sentences if a.annotations else []:
        cur = conn.execute('INSERT INTO sentences (article_id, start, "end") VALUES (?,?,?)', (a.id, s.start, s.end))
        conn.execute("INSERT INTO sentence_fts (rowid, text) VALUES (?, ?)", (cur.lastrowid, a.text[s.start : s.end]))


def refresh_counts(conn: sqlite3.Connection, story_ids: set[str]) -> None:
    """Recount the stories' articles, sources and dates, and mark them stale (their briefs are rebuilt)."""
    for sid in story_ids:
        conn.execute(
            "UPDATE stories SET n_articles = (SELECT count(*) FROM articles WHERE story_id = :s), "
            "n_sources = (SELECT count(*) FROM articles WHERE story_id = :s AND copy_of IS NULL), "
            "first_date = (SELECT min(published) FROM articles WHERE story_id = :s), "
            "last_date = (SELECT max(published) FROM articles WHERE story_id = :s), stale = 1, "
            "updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = :s",
            {"s": sid},
        )
