"""The store: one SQLite file (WAL mode), read queries, and the one writer path.

Takes a file path, gives a :class:`Store` whose read methods return plain
values and model objects, and whose :meth:`Store.write` context is the only
place rows change (``BEGIN IMMEDIATE`` .. ``COMMIT``; any exception, Ctrl-C
included, rolls the whole transaction back). WAL lets ``newsdesk serve`` read
while ``newsdesk add`` writes.

SQLite's failures (a file that is not a store, a full disk, a read-only file,
another writer holding the lock past the busy timeout) become one
:class:`~newsdesk.errors.StoreError` each, with a message that says what to do
(:func:`store_error`); the transaction that met one is rolled back whole.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from newsdesk.errors import StoreError
from newsdesk.model import Article, Brief, CopyLink, StoryBrief, outlet_name
from newsdesk.stage import failure
from newsdesk.store.codec import ARTICLE_COLUMNS, article_from_row, brief_from
from newsdesk.store.schema import migrate

DEFAULT_DB = "newsdesk.db"
#: How long a writer waits for another process's transaction before giving up (milliseconds).
BUSY_TIMEOUT_MS = 60_000
#: Snippet markers: control characters no article text keeps, swapped for markup by each renderer.
HIT_START, HIT_END = "\x02", "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


def store_error(path: str | Path, exc: sqlite3.Error) -> StoreError:
    """One line for what SQLite said, saying what the user can do about it."""
    said = str(exc) or failure(str(path), "store", exc).reason
    low = said.lower()
    if "not a database" in low or "file is encrypted" in low:
        what = f"{path} is not a newsdesk store (SQLite: {said}); give another --db, or move the file away"
    elif "malformed" in low or "corrupt" in low:
        what = f"the store {path} is damaged (SQLite: {said}); restore it from a copy, or give another --db"
    elif "disk is full" in low or "disk i/o error" in low:
        what = (f"cannot write {path}: the disk is full, a file-size limit was reached or the disk failed ({said}); "
                "the unfinished batch was rolled back: free some space and run the same command again")
    elif "readonly" in low or "read-only" in low:
        what = f"cannot write {path}: the store is read-only ({said}); make it writable or give another --db"
    elif "locked" in low or "busy" in low:
        what = (f"{path} is busy: another process (a second newsdesk add?) held it for "
                f"{BUSY_TIMEOUT_MS // 1000} s ({said}); run the command again when it has finished")
    elif "unable to open" in low:
        what = f"cannot open the store {path} ({said}): check that its folder exists and can be written"
    else:
        what = f"the store {path} failed: {said}"
    return StoreError(what)


def _check_writable(path: Path) -> None:
    """A store that cannot be written fails before anything is read or annotated."""
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(f"cannot write {path}: the store is read-only; make it writable or give another --db")
    folder = path.parent if str(path.parent) else Path(".")
    if folder.is_dir() and not os.access(folder, os.W_OK):
        raise StoreError(
            f"cannot write {path}: its folder {folder} is read-only (SQLite keeps its journal beside the store); "
            "give a --db in a writable folder"
        )


def _connect_readonly(path: Path) -> sqlite3.Connection:
    """Read-only: ``mode=ro``; a store on a read-only disk or share (where SQLite cannot make
    the shared-memory file WAL reading needs) is opened immutable, as nothing can write it."""
    base = f"file:{quote(str(path.resolve()))}"
    conn = sqlite3.connect(f"{base}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError as exc:
        conn.close()
        if "unable to open" not in str(exc) or os.access(path.parent, os.W_OK):
            raise
        conn = sqlite3.connect(f"{base}?mode=ro&immutable=1", uri=True, isolation_level=None, check_same_thread=False)
    return conn


@dataclass(frozen=True)
class StoryRow:
    id: str
    title: str
    n_articles: int
    n_sources: int
    first_date: str | None
    last_date: str | None
    outlets: list[str]
    stale: bool
    version: int
    updated_at: str


@dataclass(frozen=True)
class StoredArticle:
    """An article with where it sits in the store: its story and, for a copy, its origin."""

    article: Article
    story_id: str
    copy_of: str | None
    copy_kind: str | None
    containment: float | None
    added_at: str


@dataclass(frozen=True)
class Hit:
    """A search hit: a sentence (``start``/``end`` set) or a whole article's title/text."""

    article_id: str
    title: str | None
    publisher: str | None
    published: str | None
    story_id: str
    story_title: str
    snippet: str  # text with HIT_START/HIT_END around matched terms
    start: int | None
    end: int | None


class Store:
    """An open store file. Not shared across threads for writing; readers may open their own."""

    def __init__(self, path: str | Path = DEFAULT_DB, *, readonly: bool = False) -> None:
        self.path = Path(path)
        if readonly and not self.path.exists():
            raise FileNotFoundError(f"no store at {self.path} (run `newsdesk add PATH --db {self.path}` first)")
        if not readonly:
            _check_writable(self.path)
        try:
            self.conn = self._connect(readonly)
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from exc

    def _connect(self, readonly: bool) -> sqlite3.Connection:
        if readonly:
            conn = _connect_readonly(self.path)
        else:
            conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        try:
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA foreign_keys = ON")
            # Reads the header: a file that is not SQLite fails here, before anything is written.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
                # NORMAL in WAL mode: a power cut may lose the last commits, never corrupt the file.
                conn.execute("PRAGMA synchronous = NORMAL")
                migrate(conn)
        except BaseException:
            conn.close()
            raise
        return conn

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:  # noqa: PYI034
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def exclusive(self, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """Held by a whole ``add``: a second writer process waits here (``on_wait`` is called
        once if it must), then sees everything the first committed. The lock is a POSIX
        record lock on ``<store>.lock``: the kernel frees it when its holder dies, SIGKILL
        included, and forked workers do not inherit it (an orphaned worker cannot keep it).
        SQLite's own locks still guard every transaction; this only keeps two adds from
        interleaving their batches (and deciding twice which articles are new)."""
        try:
            import fcntl
        except ImportError:  # no fcntl (Windows): SQLite's transaction locks alone
            yield
            return
        fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # held by another process (EAGAIN or EACCES)
                if on_wait is not None:
                    on_wait()
                fcntl.lockf(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """The writer path: one immediate transaction, committed whole or rolled back whole."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise store_error(self.path, exc) from exc
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as exc:
            # A failed COMMIT (a full disk) may have ended the transaction already.
            if self.conn.in_transaction:
                with suppress(sqlite3.Error):
                    self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise store_error(self.path, exc) from exc
            raise

    # ---- reads ------------------------------------------------------------------

    def data_version(self) -> int:
        """Changes whenever another connection commits: the web app's cache key."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def known_hashes(self, hashes: list[str]) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(hashes), 500):
            chunk = hashes[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found |= {r[0] for r in self.conn.execute(f"SELECT content_hash FROM articles WHERE content_hash IN ({marks})", chunk)}
        return found

    def has_article(self, article_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None

    def counts(self) -> dict[str, int]:
        row = self.conn.execute(
            "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM stories) AS stories, "
            "(SELECT count(*) FROM articles WHERE copy_of IS NOT NULL) AS copies, "
            "(SELECT count(*) FROM stories WHERE stale = 1) AS stale"
        ).fetchone()
        return dict(row)

    def _story_row(self, row: sqlite3.Row) -> StoryRow:
        outlets = list(
            dict.fromkeys(
                outlet_name(Article(id="", path=r[0], text="", publisher=r[1], url=r[2]))
                for r in self.conn.execute(
                    "SELECT path, publisher, url FROM articles WHERE story_id = ? AND copy_of IS NULL "
                    "ORDER BY published, rowid",
                    (row["id"],),
                )
            )
        )
        return StoryRow(
            row["id"], row["title"], row["n_articles"], row["n_sources"], row["first_date"], row["last_date"],
            outlets, bool(row["stale"]), row["version"], row["updated_at"],
        )

    def stories(self, limit: int | None = None) -> list[StoryRow]:
        """Stories with most independent sources first, then the most recent."""
        sql = "SELECT * FROM stories WHERE n_articles > 0 ORDER BY n_sources DESC, last_date DESC, title"
        rows = self.conn.execute(sql + (f" LIMIT {int(limit)}" if limit else "")).fetchall()
        return [self._story_row(r) for r in rows]

    def story(self, story_id: str) -> StoryRow | None:
        row = self.conn.execute("SELECT * FROM stories WHERE id = ?", (story_id,)).fetchone()
        return self._story_row(row) if row else None

    def merged_into(self, story_id: str) -> str | None:
        """The story ``story_id`` was merged into (an added article bridged them), if it was."""
        row = self.conn.execute("SELECT kept FROM story_merges WHERE gone = ?", (story_id,)).fetchone()
        return row[0] if row else None

    def find_story(self, key: str) -> str | None:
        """A story id from an id (of the story, or of one merged into it), an unambiguous id prefix,
        or a 1-based position in :meth:`stories`."""
        if self.conn.execute("SELECT 1 FROM stories WHERE id = ?", (key,)).fetchone():
            return key
        if kept := self.merged_into(key):
            return kept
        if key.isdigit():
            rows = self.stories()
            return rows[int(key) - 1].id if 0 < int(key) <= len(rows) else None
        rows = self.conn.execute("SELECT id FROM stories WHERE id LIKE ? LIMIT 2", (key + "%",)).fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def brief(self, story_id: str) -> StoryBrief | None:
        row = self.conn.execute("SELECT brief FROM stories WHERE id = ?", (story_id,)).fetchone()
        return brief_from(row[0]) if row and row[0] else None

    def story_articles(self, story_id: str, *, annotations: bool = False) -> list[StoredArticle]:
        cols = ARTICLE_COLUMNS + (", annotations" if annotations else "")
        rows = self.conn.execute(
            f"SELECT {cols}, story_id, copy_of, copy_kind, containment, added_at FROM articles "
            "WHERE story_id = ? ORDER BY rowid",
            (story_id,),
        ).fetchall()
        return [self._stored(r, annotations) for r in rows]

    def _stored(self, row: sqlite3.Row, annotations: bool) -> StoredArticle:
        article = article_from_row(row, row["annotations"] if annotations else None)
        return StoredArticle(article, row["story_id"], row["copy_of"], row["copy_kind"], row["containment"], row["added_at"])

    def article(self, article_id: str, *, annotations: bool = True) -> StoredArticle | None:
        cols = ARTICLE_COLUMNS + (", annotations" if annotations else "")
        row = self.conn.execute(
            f"SELECT {cols}, story_id, copy_of, copy_kind, containment, added_at FROM articles WHERE id = ?",
            (article_id,),
        ).fetchone()
        return self._stored(row, annotations) if row else None

    def articles(self, ids: list[str], *, annotations: bool = False) -> list[StoredArticle]:
        out = []
        for aid in ids:
            stored = self.article(aid, annotations=annotations)
            if stored:
                out.append(stored)
        return out

    def copies_of(self, article_id: str) -> list[StoredArticle]:
        rows = self.conn.execute(
            f"SELECT {ARTICLE_COLUMNS}, story_id, copy_of, copy_kind, containment, added_at FROM articles "
            "WHERE copy_of = ? ORDER BY published, rowid",
            (article_id,),
        ).fetchall()
        return [self._stored(r, False) for r in rows]

    def links(self, article_ids: list[str]) -> list[CopyLink]:
        """Copy links whose copy is among ``article_ids``."""
        out = []
        for aid in article_ids:
            row = self.conn.execute(
                "SELECT id, copy_of, copy_kind, containment, origin_containment, jaccard, aligned FROM articles "
                "WHERE id = ? AND copy_of IS NOT NULL",
                (aid,),
            ).fetchone()
            if row:
                out.append(CopyLink(row[0], row[1], row[2], row[3] or 0.0, row[4] or 0.0, row[5] or 0.0, row[6]))
        return out

    def as_brief(self, story_id: str) -> Brief | None:
        """One story as a :class:`Brief` (its articles, links and stored brief) for the renderers."""
        brief = self.brief(story_id)
        if brief is None:
            return None
        members = {m.article.id: m.article for m in self.story_articles(story_id)}
        ordered = [members[a] for a in brief.articles if a in members]
        ordered += [a for aid, a in members.items() if aid not in brief.articles]
        links = [link for link in self.links(list(members)) if link.origin in members]
        return Brief(articles=ordered, links=links, stories=[brief], dropped=[])

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """Sentences matching ``query`` (FTS5 syntax; a query that does not parse is searched as plain words),
        best first; articles that match only as a whole (words spread over sentences) follow."""
        query = query.strip()
        if not query:
            return []
        try:
            return self._search(query, limit)
        except sqlite3.OperationalError:
            # FTS5 operators left dangling by the bad syntax would be searched as words: drop them.
            words = [w for w in _WORD.findall(query) if w not in {"AND", "OR", "NOT", "NEAR"}]
            if not words:
                return []
            return self._search(" ".join(f'"{w}"' for w in words), limit)

    def _search(self, match: str, limit: int) -> list[Hit]:
        rows = self.conn.execute(
            f"SELECT s.article_id, s.start, s.\"end\", snippet(sentence_fts, 0, '{HIT_START}', '{HIT_END}', '…', 24) AS snip, "
            "a.title, a.publisher, a.published, a.story_id, st.title AS story_title "
            "FROM sentence_fts JOIN sentences s ON s.rowid = sentence_fts.rowid "
            "JOIN articles a ON a.id = s.article_id JOIN stories st ON st.id = a.story_id "
            "WHERE sentence_fts MATCH ? ORDER BY bm25(sentence_fts) LIMIT ?",
            (match, limit),
        ).fetchall()
        hits = [
            Hit(r["article_id"], r["title"], r["publisher"], r["published"], r["story_id"], r["story_title"],
                r["snip"], r["start"], r["end"])
            for r in rows
        ]
        if len(hits) < limit:
            seen = {h.article_id for h in hits}
            rows = self.conn.execute(
                f"SELECT a.id, snippet(article_fts, -1, '{HIT_START}', '{HIT_END}', '…', 24) AS snip, "
                "a.title, a.publisher, a.published, a.story_id, st.title AS story_title "
                "FROM article_fts JOIN articles a ON a.rowid = article_fts.rowid "
                "JOIN stories st ON st.id = a.story_id WHERE article_fts MATCH ? ORDER BY bm25(article_fts) LIMIT ?",
                (match, limit),
            ).fetchall()
            for r in rows:
                if r["id"] not in seen and len(hits) < limit:
                    seen.add(r["id"])
                    hits.append(Hit(r["id"], r["title"], r["publisher"], r["published"], r["story_id"],
                                    r["story_title"], r["snip"], None, None))
        return hits

    def check(self) -> list[str]:
        """Consistency problems (empty when the store is sound): what the crash tests assert on."""
        problems = [r[0] for r in self.conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        q: dict[str, str] = {
            "article without story": "SELECT count(*) FROM articles a LEFT JOIN stories s ON s.id = a.story_id WHERE s.id IS NULL",
            "article without profile": "SELECT count(*) FROM articles a LEFT JOIN profiles p ON p.article_id = a.id WHERE p.article_id IS NULL",
            "copy of a missing article": "SELECT count(*) FROM articles a WHERE copy_of IS NOT NULL AND copy_of NOT IN (SELECT id FROM articles)",
            "article not in full-text index": "SELECT (SELECT count(*) FROM articles) - (SELECT count(*) FROM article_fts)",
            "sentence not in full-text index": "SELECT (SELECT count(*) FROM sentences) - (SELECT count(*) FROM sentence_fts)",
            "story count out of date": "SELECT count(*) FROM stories s WHERE n_articles != (SELECT count(*) FROM articles WHERE story_id = s.id)",
            "fresh story without brief": "SELECT count(*) FROM stories WHERE stale = 0 AND brief IS NULL",
            "merged story kept nowhere": "SELECT count(*) FROM story_merges WHERE kept NOT IN (SELECT id FROM stories)",
        }
        for what, sql in q.items():
            n = self.conn.execute(sql).fetchone()[0]
            if n:
                problems.append(f"{what}: {n}")
        return problems


def story_dict(row: StoryRow) -> dict[str, Any]:
    return {
        "id": row.id, "title": row.title, "articles": row.n_articles, "sources": row.n_sources,
        "first_date": row.first_date, "last_date": row.last_date, "outlets": row.outlets,
        "brief_stale": row.stale, "updated_at": row.updated_at,
    }
