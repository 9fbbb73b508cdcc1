"""``newsdesk add``: grow the store with new articles, incrementally.

A ``newsdesk spark`` output folder among the paths is loaded as it is, with
no stage recomputed (:mod:`newsdesk.store.spark_import`).

Takes paths (files, folders, ``-``) and an open :class:`Store`; gives an
:class:`AddSummary`. Each article is read and cleaned; one whose content hash
(clean text, url and publisher) is already stored is skipped. New articles go
in batches: annotated, profiled, linked to their origins among the stored
articles that share words with them (FTS5 picks the candidates, so lineage
never re-reads the whole corpus), assigned to a story (:class:`newsdesk.stories.StoryMatcher`), and
committed in one transaction per batch. The stories a batch touched are marked
stale in that same transaction; their briefs are rebuilt afterwards, one
transaction per story. A run stopped anywhere (Ctrl-C, kill -9) leaves whole
batches or nothing, and stale marks that the next run (even with no new input)
finishes.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import BinaryIO

from newsdesk.lineage import LineageReport, link_copies
from newsdesk.model import Article, CopyLink, Dropped, Story, article_id
from newsdesk.pipeline import InputOptions, read
from newsdesk.settings import Settings, StoriesSettings, from_environment
from newsdesk.store.codec import ARTICLE_COLUMNS, article_from_row, brief_json
from newsdesk.store.db import Store
from newsdesk.store.profiles import profile_from
from newsdesk.store.vectors import StoredVectors
from newsdesk.store.write import AddSummary, content_hash, insert_article, refresh_counts, stored_root
from newsdesk.stories import Profile, StoryMatcher, profiles, story_id, story_title, term_counts

#: Store batches annotated together (in worker processes) before they are committed one by one:
#: 256 articles, so a window keeps both workers busy through 16 parse batches (at 64, `add` of
#: 300 PolNeAR articles ran 5.76 articles/s; at 256, 5.99).
ANNOTATE_WINDOW_BATCHES = 32
#: Stale stories briefed together: their sentences are encoded in one batch.
BRIEF_CHUNK = 64

_LONG_WORD = re.compile(r"[^\W\d_]{6,}", re.UNICODE)

Progress = Callable[[str, int, int], None]


def _new_articles(store: Store, articles: list[Article], summary: AddSummary) -> list[tuple[Article, str]]:
    """The articles not stored yet, each with its hash; ids made unique against the store."""
    hashes = [content_hash(a) for a in articles]
    known = store.known_hashes(list(set(hashes)))
    fresh: list[tuple[Article, str]] = []
    taken: set[str] = set()
    for article, h in zip(articles, hashes, strict=True):
        if h in known:
            summary.already += 1
            continue
        known.add(h)
        salt = 0
        # Same text from another outlet stays a separate article (lineage counts it), under a salted id.
        while article.id in taken or store.has_article(article.id):
            salt += 1
            article.id = article_id(f"{article.path}\0{salt}\0{article.text}")
        taken.add(article.id)
        fresh.append((article, h))
    return fresh


def _candidate_ids(store: Store, article: Article, limit: int) -> set[str]:
    """Stored articles that may share text with ``article``: those matching most of its long words."""
    words = list(dict.fromkeys(w.lower() for w in _LONG_WORD.findall(article.text[:3000])))[:30]
    if not words:
        return set()
    query = " OR ".join(f'"{w}"' for w in words)
    rows = store.conn.execute(
        "SELECT a.id FROM article_fts JOIN articles a ON a.rowid = article_fts.rowid "
        "WHERE article_fts MATCH ? ORDER BY bm25(article_fts) LIMIT ?",
        (query, limit),
    ).fetchall()
    return {r[0] for r in rows}


def _load_articles(store: Store, ids: Sequence[str]) -> list[Article]:
    out = []
    for aid in ids:
        row = store.conn.execute(f"SELECT {ARTICLE_COLUMNS} FROM articles WHERE id = ?", (aid,)).fetchone()
        if row:
            out.append(article_from_row(row))
    return out


def batch_links(store: Store, batch: Sequence[Article], settings: Settings | None = None) -> LineageReport:
    """Copy links that involve a new article, found among the batch and its stored candidates."""
    settings = settings or Settings()
    total = store.conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    if total <= settings.store.full_scan:
        candidates = {r[0] for r in store.conn.execute("SELECT id FROM articles")}
    else:
        candidates = set().union(*(_candidate_ids(store, a, settings.store.candidates_per_article) for a in batch))
    new_ids = {a.id for a in batch}
    stored = _load_articles(store, sorted(candidates - new_ids))
    report = link_copies([*batch, *stored], settings.lineage)
    report.links = [link for link in report.links if link.copy in new_ids or link.origin in new_ids]
    return report


def load_index(store: Store, settings: StoriesSettings | None = None) -> StoryMatcher:
    settings = settings or StoriesSettings()
    _fill_terms(store, settings.term_sentences)
    index = StoryMatcher(settings)
    rows = store.conn.execute(
        "SELECT a.story_id, p.article_id, p.vector, p.entities, p.published, p.terms, p.unit, p.counted, "
        "a.copy_of IS NULL FROM profiles p JOIN articles a ON a.id = p.article_id ORDER BY a.rowid"
    ).fetchall()
    # The frequencies first, over every article that counted when it came in (a source then,
    # a copy now included); then each source with its vector as it was worked out then.
    # Rows from before schema 4 have neither: sources count, and vectors are worked out here.
    for r in rows:
        if r[7] == 1 or (r[7] is None and r[8]):
            index.observe(profile_from(r[1], r[2], r[3], r[4], r[5]))
    for r in rows:
        if r[8]:
            p = profile_from(r[1], r[2], r[3], r[4], r[5])
            index.add(r[0], p, None if r[6] is None else index.similarity.terms.from_dict(json.loads(r[6])))
    return index


def _fill_terms(store: Store, term_sentences: int) -> None:
    """Terms for the sources' profiles stored before profiles had them (schema 3), from the stored articles."""
    missing = [r[0] for r in store.conn.execute(
        "SELECT p.article_id FROM profiles p JOIN articles a ON a.id = p.article_id "
        "WHERE a.copy_of IS NULL AND p.terms = '{}'"
    )]
    for start in range(0, len(missing), 500):
        # with their annotations: the terms come from the first sentences, as when they were added
        articles = [s.article for s in map(store.article, missing[start : start + 500]) if s is not None]
        with store.write() as conn:
            conn.executemany(
                "UPDATE profiles SET terms = ? WHERE article_id = ?",
                [(json.dumps(term_counts(a, term_sentences), ensure_ascii=False), a.id) for a in articles],
            )


def _merge_stories(conn: sqlite3.Connection, keep: str, gone: str) -> None:
    """Story ``gone``'s articles move to ``keep`` (its brief is rebuilt) and ``gone`` is deleted;
    ``story_merges`` remembers where it went (and where the stories merged into it went)."""
    conn.execute("UPDATE articles SET story_id = ? WHERE story_id = ?", (keep, gone))
    conn.execute("DELETE FROM stories WHERE id = ?", (gone,))
    conn.execute("UPDATE story_merges SET kept = ? WHERE kept = ?", (keep, gone))
    conn.execute("INSERT OR REPLACE INTO story_merges (gone, kept) VALUES (?, ?)", (gone, keep))


def _ensure_story(conn: sqlite3.Connection, a: Article) -> str:
    sid = story_id(a.id)
    conn.execute("INSERT OR IGNORE INTO stories (id, title) VALUES (?, ?)", (sid, story_title([a])))
    return sid


@dataclass
class _BatchResult:
    added: int = 0
    copies: int = 0
    new_stories: int = 0
    index_adds: list[str] = field(default_factory=list)  # stories a source joined
    index_removes: list[str] = field(default_factory=list)  # stories a stored source left
    merged: int = 0  # stories merged into another


def insert_batch(
    conn: sqlite3.Connection,
    batch: Sequence[tuple[Article, str]],
    profs: Sequence[Profile],
    links: Sequence[CopyLink],
    index: StoryMatcher,
) -> _BatchResult:
    """Write one batch inside the caller's transaction. Origins go first so copies find their story.

    Each source joins ``index`` as it is placed, so an article meets the batch's earlier
    sources exactly as it meets stored ones: where batches fall (the batch size, a re-run
    after an interruption) changes nothing. Should the transaction roll back, ``index`` is
    ahead of the store and must be dropped (``add_paths`` ends; the next run loads it anew)."""
    result = _BatchResult()
    profile_of = {p.article: p for p in profs}
    new_ids = {a.id for a, _ in batch}
    link_of = {link.copy: link for link in links if link.copy in new_ids}
    stored_copies = [link for link in links if link.copy not in new_ids]  # stored articles a new one originated
    touched: set[str] = set()
    ordered = sorted(batch, key=lambda item: item[0].id in link_of)
    for article, h in ordered:
        link = link_of.get(article.id)
        if link is not None:
            origin = stored_root(conn, link.origin)
            link = replace(link, origin=origin)
            sid = conn.execute("SELECT story_id FROM articles WHERE id = ?", (origin,)).fetchone()[0]
            result.copies += 1
            insert_article(conn, article, h, sid, link, profile_of[article.id])
        else:
            adopted = [x for x in stored_copies if x.origin == article.id]
            row = None
            if adopted:
                row = conn.execute(
                    "SELECT story_id FROM articles WHERE id = ? AND copy_of IS NULL", (adopted[0].copy,)
                ).fetchone()
            rivals: list[str] = []
            if row is not None:
                sid = row[0]  # the origin of a stored article joins that article's story
            else:
                found = index.matches(profile_of[article.id])
                if found:
                    sid, rivals = found[0][0], [s for s, _ in found[1:]]
                else:
                    sid = _ensure_story(conn, article)
                    result.new_stories += 1
            # Its TF-IDF vector under the frequencies as they are now, kept in the store so that
            # load_index rebuilds this very index after an interruption.
            index.observe(profile_of[article.id])  # (matches() has, unless it joined a stored copy's story)
            unit = index.unit(profile_of[article.id])
            index.add(sid, profile_of[article.id], unit)
            if rivals:  # it bridges stories: those alike merge, as batch linkage would merge them
                sid, merges = index.merge_rivals(sid, rivals)
                for keep, gone in merges:
                    _merge_stories(conn, keep, gone)
                    touched.discard(gone)
                    touched.add(keep)
                    result.merged += 1
            result.index_adds.append(sid)
            insert_article(conn, article, h, sid, None, profile_of[article.id], index.similarity.terms.as_dict(unit))
        touched.add(sid)
        result.added += 1
    for x in stored_copies:
        row = conn.execute("SELECT story_id, copy_of FROM articles WHERE id = ?", (x.copy,)).fetchone()
        if row is None or row[1] is not None:
            continue  # already a copy of something else: its first link stands
        origin_story = conn.execute("SELECT story_id FROM articles WHERE id = ?", (x.origin,)).fetchone()[0]
        conn.execute(
            "UPDATE articles SET copy_of = ?, copy_kind = ?, containment = ?, origin_containment = ?, jaccard = ?, "
            "aligned = ?, story_id = ? WHERE id = ?",
            (x.origin, x.kind, x.containment, x.origin_containment, x.jaccard, x.aligned, origin_story, x.copy),
        )
        conn.execute("UPDATE articles SET copy_of = ?, story_id = ? WHERE copy_of = ?", (x.origin, origin_story, x.copy))
        index.remove(row[0], x.copy)
        result.index_removes.append(row[0])
        touched |= {row[0], origin_story}
    refresh_counts(conn, touched)
    return result


def refresh_briefs(store: Store, encoder: object, progress: Progress | None = None) -> tuple[int, list[Dropped]]:
    """Rebuild every stale story's brief, one transaction per story; returns how many, and failures.

    Stories are briefed :data:`BRIEF_CHUNK` at a time, so their sentences are
    encoded in one batch while memory stays bounded on a large store."""
    from newsdesk.briefing import brief_stories

    stale = [r[0] for r in store.conn.execute("SELECT id FROM stories WHERE stale = 1 AND n_articles > 0")]
    dropped: list[Dropped] = []
    done = 0
    for lo in range(0, len(stale), BRIEF_CHUNK):
        stories: list[Story] = []
        versions: dict[str, str] = {}
        by_id: dict[str, Article] = {}
        links: list[CopyLink] = []
        for sid in stale[lo : lo + BRIEF_CHUNK]:
            versions[sid] = store.conn.execute("SELECT updated_at FROM stories WHERE id = ?", (sid,)).fetchone()[0]
            members = {m.article.id: m for m in store.story_articles(sid, annotations=True)}
            origins = [aid for aid, m in members.items() if m.copy_of is None or m.copy_of not in members]
            copies = [aid for aid in members if aid not in origins]
            title = story_title([members[o].article for o in origins] or [m.article for m in members.values()])
            terms = json.loads(store.conn.execute("SELECT key_terms FROM stories WHERE id = ?", (sid,)).fetchone()[0])
            stories.append(Story(sid, title, [*origins, *copies], origins, terms))
            by_id.update((aid, m.article) for aid, m in members.items())
            links += [link for link in store.links(copies) if link.origin in members]
        built = brief_stories(stories, by_id, links, encoder)  # type: ignore[arg-type]
        dropped += built.dropped
        titles = {story.id: story.title for story in stories}
        for brief in built.items:
            with store.write() as conn:
                conn.execute(
                    "UPDATE stories SET brief = ?, title = ?, stale = 0, version = version + 1"
                    " WHERE id = ? AND updated_at = ?",
                    (brief_json(brief), titles[brief.id], brief.id, versions[brief.id]),
                )
            done += 1
        if progress:
            progress("briefs", min(lo + BRIEF_CHUNK, len(stale)), len(stale))
    return done, dropped


def add_paths(
    store: Store,
    paths: Sequence[str],
    *,
    stdin: BinaryIO | None = None,
    options: InputOptions | None = None,
    progress: Progress | None = None,
    summary: AddSummary | None = None,
    settings: Settings | None = None,
    on_wait: Callable[[], None] | None = None,
) -> AddSummary:
    """Add what is new under ``paths`` and rebuild the briefs of the stories it touched.

    ``summary`` (optional) is filled as batches commit, so a caller that is
    interrupted still knows what was kept. The whole run holds the store's
    writer lock (:meth:`Store.exclusive`): a second ``add`` on the same store
    waits for it, calling ``on_wait`` once, and then adds only what is still new.
    """
    summary = summary if summary is not None else AddSummary()
    settings = settings or from_environment()
    with store.exclusive(on_wait):
        return _add_paths(store, paths, stdin, options, progress, summary, settings)


def _add_paths(
    store: Store,
    paths: Sequence[str],
    stdin: BinaryIO | None,
    options: InputOptions | None,
    progress: Progress | None,
    summary: AddSummary,
    settings: Settings,
) -> AddSummary:
    from newsdesk.annotate import annotate_articles
    from newsdesk.embed import Encoder
    from newsdesk.store.spark_import import import_output, is_spark_output

    batch_size = settings.store.batch_size
    encoder = Encoder(settings.models, StoredVectors(store))
    # A `newsdesk spark` output folder is loaded as computed on the cluster; the other paths are read.
    spark_dirs = [p for p in paths if p != "-" and is_spark_output(p)]
    plain = [p for p in paths if p not in spark_dirs]
    for folder in spark_dirs:
        import_output(store, folder, encoder, summary, progress)
    articles, dropped = read(plain, stdin, options, settings) if plain or not spark_dirs else ([], [])
    summary.read += len(articles)
    summary.dropped += dropped
    fresh = _new_articles(store, articles, summary)
    if progress:
        progress("add", 0, len(fresh))
    if fresh:
        index = load_index(store, settings.stories)
        # Annotated a window at a time (worker processes keep every core busy),
        # committed a batch at a time.
        window: dict[int, Profile] = {}
        window_end = 0
        for start in range(0, len(fresh), batch_size):
            if start >= window_end:
                window_end = start + batch_size * ANNOTATE_WINDOW_BATCHES
                upcoming = [a for a, _ in fresh[start:window_end]]
                annotated = annotate_articles(upcoming, settings.models)
                summary.dropped += annotated.dropped
                # The window's leads encoded in one batch (a batch of 8 long leads runs slowly).
                window = dict(zip(
                    (id(a) for a in annotated.items),
                    profiles(annotated.items, encoder, settings.stories.lead_sentences, settings.stories.term_sentences),
                    strict=True,
                ))
            batch = [(a, h) for a, h in fresh[start : start + batch_size] if id(a) in window]
            batch_articles = [a for a, _ in batch]
            if not batch:
                continue
            profs = [window[id(a)] for a in batch_articles]
            lineage = batch_links(store, batch_articles, settings)
            summary.dropped += lineage.dropped
            with store.write() as conn:
                result = insert_batch(conn, batch, profs, lineage.links, index)
                # In the batch's own transaction: an interruption never leaves a story's terms behind.
                changed = {sid for sid in (*result.index_adds, *result.index_removes) if sid in index}
                conn.executemany(
                    "UPDATE stories SET key_terms = ? WHERE id = ?",
                    [(json.dumps(index.key_terms(sid), ensure_ascii=False), sid) for sid in sorted(changed)],
                )
            summary.added += result.added
            summary.copies += result.copies
            summary.new_stories += result.new_stories
            summary.merged += result.merged
            if progress:
                progress("add", start + len(batch), len(fresh))
    built, failed = refresh_briefs(store, encoder, progress)
    summary.briefs += built
    summary.dropped += failed
    return summary
