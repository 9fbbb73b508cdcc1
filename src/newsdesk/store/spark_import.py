"""``newsdesk add DIR`` for a ``newsdesk spark`` output folder: load it, recompute nothing.

Takes the folder that :func:`newsdesk.spark.write` (and ``newsdesk spark
--out DIR``) writes: ``articles/``, ``annotations/``, ``lineage/``,
``stories/``, ``dropped/`` as Parquet, ``briefs/<story id>.json`` in the
``brief --format json`` contract, and ``report.json``. Gives the same store
rows that ``newsdesk add`` of the original inputs would have made: articles
with their annotations (nothing re-annotated), copy links as found on the
cluster (no lineage run), stories under the cluster's ids with the cluster's
briefs (no clustering, no brief rebuilt), and the Spark run's dropped records
in the :class:`AddSummary`.

The only model work done here: the Spark output holds no embeddings, so each
independent source's lead text (title plus first sentences, as
:func:`newsdesk.stories.lead_text` defines it) is encoded once, to store the
story profiles that let a later ``newsdesk add`` of plain files join these
stories. A copy stores its origin's vector (its text is the origin's) with its
own entities and date, so copies cost no encoding.

One transaction per story: an interrupted import keeps whole stories, and a
second run skips what is stored (same content hash) and finishes the rest.
Limits: imported stories are not merged with stories already in the store,
and no copy links are searched between imported and already-stored articles.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsdesk.codec import article_from_row, field_names, from_dict
from newsdesk.errors import ConfigError, InputError
from newsdesk.model import Annotations, Article, CopyLink, Dropped, StoryBrief
from newsdesk.stage import failure
from newsdesk.store.codec import brief_json
from newsdesk.store.db import Store
from newsdesk.store.profiles import profile_from
from newsdesk.store.write import AddSummary, content_hash, insert_article, refresh_counts
from newsdesk.stories import Profile, TextEncoder, entity_weights, parse_date, profiles, term_counts

__all__ = [
    "PYARROW_MISSING", "SparkOutput", "SparkStory", "import_output", "is_spark_output", "load_output", "read_parquet",
]

Progress = Callable[[str, int, int], None]
PYARROW_MISSING = "reading a `newsdesk spark` output folder needs pyarrow: pip install 'newsdesk[spark]'"


def is_spark_output(path: str | Path) -> bool:
    """A folder laid out by :func:`newsdesk.spark.write`: ``articles/`` next to ``report.json``
    (the CLI writes it) or next to ``lineage/`` and ``dropped/`` (the Python API's layout)."""
    p = Path(path)
    if not p.is_dir() or not (p / "articles").is_dir():
        return False
    return (p / "report.json").is_file() or ((p / "lineage").is_dir() and (p / "dropped").is_dir())


def read_parquet(folder: Path) -> list[dict[str, Any]]:
    """Every row of a Spark Parquet folder (part files in name order, which keeps Spark's sort)."""
    if not folder.is_dir():
        return []
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise ConfigError(PYARROW_MISSING) from exc
    try:
        return pq.read_table(str(folder)).to_pylist()
    except Exception as exc:  # a damaged folder must name itself, not raise an Arrow trace
        raise InputError(f"cannot read {folder} as Parquet ({failure(str(folder), 'store', exc).reason})") from exc


def _share(value: Any) -> float | None:
    """An alignment share as read back: None for a shingle copy (null, or NaN from pandas,
    or absent in output written before the column existed)."""
    return None if value is None or math.isnan(value) else float(value)


@dataclass
class SparkStory:
    id: str
    title: str
    brief: StoryBrief
    members: list[str]  # article ids in the cluster's order


@dataclass
class SparkOutput:
    """A Spark output folder as model objects, articles in input order."""

    articles: list[Article] = field(default_factory=list)
    story_of: dict[str, str] = field(default_factory=dict)
    links: dict[str, CopyLink] = field(default_factory=dict)
    stories: list[SparkStory] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


def _briefs(root: Path, story_rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each story's brief in the JSON contract: briefs/<id>.json, else the stories/ ``brief`` column."""
    out: dict[str, dict[str, Any]] = {}
    for row in story_rows:
        if row.get("brief"):
            out[row["id"]] = json.loads(row["brief"])
    folder = root / "briefs"
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        try:
            out[path.stem] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read the brief {path} ({exc})") from exc
    return out


def _article(row: dict[str, Any], record: dict[str, Any] | None, ann: dict[str, Any] | None) -> Article:
    """An article from its articles/ row; the brief's article record adds what the row lacks
    (the date's source, the removed boilerplate)."""
    record = record or {}
    source = (record.get("published") or {}).get("source")
    article = article_from_row({**row, "published_source": source, "removed": record.get("removed"), "annotations": None})
    # An annotations/ row holds the article's id, path and pos beside the Annotations fields.
    article.annotations = from_dict(Annotations, {k: (ann or {}).get(k) or [] for k in field_names(Annotations)})
    return article


def load_output(path: str | Path) -> SparkOutput:
    """Read a Spark output folder; raises :class:`InputError` when it holds no stories."""
    root = Path(path)
    story_rows = sorted(read_parquet(root / "stories"), key=lambda r: r.get("rank") or 0)
    briefs = _briefs(root, story_rows)
    if not briefs:
        raise InputError(
            f"{root} holds no stories (written with `newsdesk spark --stages copies`?): "
            "run `newsdesk spark --stages brief`, or `newsdesk add` the original inputs"
        )
    out = SparkOutput()
    records = {r["id"]: r for b in briefs.values() for r in b.get("articles", [])}
    ann_of = {r["id"]: r for r in read_parquet(root / "annotations")}
    rows = sorted(read_parquet(root / "articles"), key=lambda r: r.get("pos") or 0)
    for row in rows:
        out.articles.append(_article(row, records.get(row["id"]), ann_of.get(row["id"])))
        if row.get("story"):
            out.story_of[row["id"]] = row["story"]
    for r in read_parquet(root / "lineage"):
        out.links[r["copy"]] = CopyLink(r["copy"], r["origin"], r["kind"], r["containment"] or 0.0,
                                        r["origin_containment"] or 0.0, r["jaccard"] or 0.0,
                                        _share(r.get("aligned")))
    ordered = [r["id"] for r in story_rows if r["id"] in briefs] + sorted(set(briefs) - {r["id"] for r in story_rows})
    for sid in ordered:
        contract = briefs[sid]
        if not contract.get("stories"):
            raise InputError(f"the brief of story {sid} in {root} has no story in it")
        brief = from_dict(StoryBrief, contract["stories"][0])
        out.stories.append(SparkStory(sid, brief.title, brief, list(brief.articles)))
        for aid in brief.articles:
            out.story_of.setdefault(aid, sid)
    out.dropped = [Dropped(r["path"], r["stage"], r["reason"]) for r in read_parquet(root / "dropped")]
    return out


def _stored_vector(conn: sqlite3.Connection, article_id: str) -> Profile | None:
    row = conn.execute(
        "SELECT article_id, vector, entities, published, terms FROM profiles WHERE article_id = ?", (article_id,)
    ).fetchone()
    return profile_from(row[0], row[1], row[2], row[3], row[4]) if row else None


def _insert_order(members: list[Article], links: dict[str, CopyLink]) -> list[Article]:
    """Origins before their copies (the copy_of foreign key is checked at once)."""
    done: set[str] = set()
    ordered: list[Article] = []
    pending = list(members)
    while pending:
        ready = [a for a in pending if a.id not in links or links[a.id].origin not in {p.id for p in pending}]
        if not ready:  # a cycle cannot come from lineage; break it rather than loop
            ready = pending[:1]
        ordered += ready
        done |= {a.id for a in ready}
        pending = [a for a in pending if a.id not in done]
    return ordered


def import_output(
    store: Store,
    path: str | Path,
    encoder: TextEncoder,
    summary: AddSummary,
    progress: Progress | None = None,
) -> AddSummary:
    """Load one Spark output folder into ``store``; fills ``summary`` as stories commit."""
    out = load_output(path)
    summary.read += len(out.articles)
    summary.dropped += out.dropped
    hashes = {a.id: content_hash(a) for a in out.articles}
    known = store.known_hashes(sorted(set(hashes.values())))
    fresh: dict[str, Article] = {}
    for a in out.articles:
        if hashes[a.id] in known:
            summary.already += 1
        elif store.has_article(a.id):
            # Ids are cited by the briefs, so they cannot be salted as a plain add would.
            summary.dropped.append(Dropped(a.path, "store", f"article id {a.id} is already stored with other content"))
        elif a.id not in out.story_of:
            summary.dropped.append(Dropped(a.path, "store", "the Spark output puts this article in no story"))
        else:
            fresh[a.id] = a
    # A copy keeps its link only when its origin is (or will be) stored.
    links = {c: link for c, link in out.links.items()
             if c in fresh and (link.origin in fresh or store.has_article(link.origin))}
    sources = [a for a in fresh.values() if a.id not in links]
    if progress:
        progress("encoding story leads", 0, len(sources))
    profile_of = {p.article: p for p in profiles(sources, encoder)}
    if progress:
        progress("encoding story leads", len(sources), len(sources))
    for i, story in enumerate(out.stories, start=1):
        members = [fresh[aid] for aid in dict.fromkeys([*story.members, *(a for a, s in out.story_of.items() if s == story.id)])
                   if aid in fresh]
        with store.write() as conn:
            _import_story(conn, story, _insert_order(members, links), hashes, links, profile_of, encoder, summary)
        if progress:
            progress("loading Spark stories", i, len(out.stories))
    return summary


def _import_story(
    conn: sqlite3.Connection,
    story: SparkStory,
    members: list[Article],
    hashes: dict[str, str],
    links: dict[str, CopyLink],
    profile_of: dict[str, Profile],
    encoder: TextEncoder,
    summary: AddSummary,
) -> None:
    """One story's new articles, counts and stored brief, inside the caller's transaction."""
    created = conn.execute(
        "INSERT OR IGNORE INTO stories (id, title, key_terms) VALUES (?, ?, ?)",
        (story.id, story.title, json.dumps(story.brief.key_terms, ensure_ascii=False)),
    ).rowcount
    summary.new_stories += created
    for a in members:
        link = links.get(a.id)
        if link is None:
            p = profile_of[a.id]
        else:
            origin = profile_of.get(link.origin) or _stored_vector(conn, link.origin)
            # The copy's text is its origin's: reuse that vector, keep its own entities and date.
            p = Profile(a.id, origin.vector, entity_weights(a), parse_date(a), term_counts(a)) if origin else profiles([a], encoder)[0]
            summary.copies += 1
        insert_article(conn, a, hashes[a.id], story.id, link, p)
        summary.added += 1
    if not members and not created:
        return  # stored by an earlier import: leave its brief (and any later growth) alone
    refresh_counts(conn, {story.id})
    stored = {r[0] for r in conn.execute("SELECT id FROM articles WHERE story_id = ?", (story.id,))}
    # The cluster's brief is current only when the story holds exactly the articles it was built from.
    fresh = int(stored == set(story.brief.articles))
    conn.execute(
        "UPDATE stories SET brief = ?, title = ?, stale = ?, version = version + 1 WHERE id = ?",
        (brief_json(story.brief), story.title, 1 - fresh, story.id),
    )
