"""The store's schema as numbered migrations, applied in order inside one transaction each.

Takes an open :class:`sqlite3.Connection`, gives it the newest schema. The
version lives in ``PRAGMA user_version``; a migration is never edited once
released, a change is a new migration appended to :data:`MIGRATIONS`.

Tables (migration 1):

- ``articles``: one row per stored article: clean text and metadata, the
  ``content_hash`` that keeps an article from being added twice, its
  annotations (JSON, spans into ``text``), its story, and, for a copy, its
  origin and the overlap numbers that made it one.
- ``profiles``: what story assignment compares (embedding of the lead as
  float32 bytes, salient entities as JSON, publication date), so adding an
  article never re-encodes the stored ones.
- ``stories``: a stable id (bookmarks survive growth), title, counts, date
  range, the brief as JSON and ``stale`` = 1 while the brief lags behind its
  members (set in the same transaction that changes them).
- ``sentences`` + ``sentence_fts`` and ``article_fts``: FTS5 indexes over
  sentences and whole articles (title + text), filled by the writer in the
  same transaction as the article row.

Migration 2 adds ``sentence_vectors``: each encoded sentence's vector (float32
bytes) under the SHA-1 of the model name and the text, so rebuilding a brief
never encodes a stored sentence again (:mod:`newsdesk.store.vectors`).
"""

from __future__ import annotations

import sqlite3

MIGRATION_1 = """
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    path TEXT NOT NULL,
    url TEXT,
    title TEXT,
    publisher TEXT,
    byline TEXT,
    published TEXT,
    published_precision TEXT,
    published_source TEXT,
    language TEXT,
    text TEXT NOT NULL,
    removed TEXT NOT NULL DEFAULT '[]',
    signals TEXT NOT NULL DEFAULT '[]',
    annotations TEXT NOT NULL,
    story_id TEXT NOT NULL REFERENCES stories(id),
    copy_of TEXT REFERENCES articles(id),
    copy_kind TEXT,
    containment REAL,
    origin_containment REAL,
    jaccard REAL,
    added_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX articles_story ON articles(story_id);
CREATE INDEX articles_copy_of ON articles(copy_of);

CREATE TABLE profiles (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    vector BLOB NOT NULL,
    entities TEXT NOT NULL,
    published TEXT
);

CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    n_articles INTEGER NOT NULL DEFAULT 0,
    n_sources INTEGER NOT NULL DEFAULT 0,
    first_date TEXT,
    last_date TEXT,
    brief TEXT,
    stale INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE sentences (
    rowid INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE INDEX sentences_article ON sentences(article_id);

CREATE VIRTUAL TABLE sentence_fts USING fts5(text, tokenize = 'porter unicode61');
CREATE VIRTUAL TABLE article_fts USING fts5(title, text, tokenize = 'porter unicode61');
"""

MIGRATION_2 = """
CREATE TABLE sentence_vectors (
    key BLOB PRIMARY KEY,
    vector BLOB NOT NULL
) WITHOUT ROWID;
"""

#: Profiles keep the article's terms (JSON, see :mod:`newsdesk.stories.terms`); rows from before
#: get ``{}`` and are filled from the stored article when the story index is next loaded.
#: Stories keep their key terms (a JSON list), set whenever ``add`` changes the story.
MIGRATION_3 = """
ALTER TABLE profiles ADD COLUMN terms TEXT NOT NULL DEFAULT '{}';
ALTER TABLE stories ADD COLUMN key_terms TEXT NOT NULL DEFAULT '[]';
"""

#: A source's TF-IDF vector as it was worked out when the source joined its story (JSON,
#: term -> weight), and whether its terms count in the document frequencies (1: it came in
#: as a source; 0: as a copy). Loading the story index reads both back, so an index
#: rebuilt after an interruption is the one the interrupted run held. NULL in rows from
#: before: worked out when the index is loaded, as then.
MIGRATION_4 = """
ALTER TABLE profiles ADD COLUMN unit TEXT;
ALTER TABLE profiles ADD COLUMN counted INTEGER;
"""

#: A copy found by sentence alignment keeps the share of the shorter text's sentences that
#: align with the other's (:attr:`newsdesk.model.CopyLink.aligned`); NULL for a copy made by
#: shared text, and in rows from before.
MIGRATION_5 = """
ALTER TABLE articles ADD COLUMN aligned REAL;
"""

#: A story merged into another when an added article bridged them (``gone`` was deleted;
#: its articles are ``kept``'s now): its id still finds the story, in ``show`` and the web app.
MIGRATION_6 = """
CREATE TABLE story_merges (
    gone TEXT PRIMARY KEY,
    kept TEXT NOT NULL,
    merged_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
"""

#: Migration n (1-based) is MIGRATIONS[n - 1].
MIGRATIONS: tuple[str, ...] = (MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4, MIGRATION_5, MIGRATION_6)


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> int:
    """Apply every migration newer than the file's version; returns the version reached.

    Each migration and its version bump commit together, so a crash leaves the
    file at the old or the new version, never between.
    """
    current = schema_version(conn)
    if current > len(MIGRATIONS):
        raise RuntimeError(f"store schema version {current} is newer than this newsdesk ({len(MIGRATIONS)})")
    for number in range(current + 1, len(MIGRATIONS) + 1):
        statements = [s.strip() for s in MIGRATIONS[number - 1].split(";") if s.strip()]
        conn.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(conn) >= number:  # another process migrated while we waited
                conn.execute("COMMIT")
                continue
            for statement in statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return schema_version(conn)
