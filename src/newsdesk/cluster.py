"""Cluster: group articles into stories the way an editor would.

Takes annotated :class:`Article` objects and their :class:`CopyLink` edges,
gives :class:`Story` objects.

An article's profile is the embedding of its title and opening sentences
(all-MiniLM-L6-v2), its salient named entities (people, organisations,
facilities, events; places count half because a country name alone is not a
story), and its publication date. Two articles' similarity is the cosine of
their embeddings plus a bonus for shared entities, minus a penalty when their
dates lie far apart. Stories are formed by average-linkage agglomerative
clustering over the independent sources; every copy joins its origin's story,
so a repost can neither split nor glue stories.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

import numpy as np
from scipy import sparse
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from newsdesk.embed import Encoder
from newsdesk.model import Article, CopyLink, Story

#: Average-linkage cut: clusters merge while their mean similarity is above it.
MERGE_THRESHOLD = 0.60
ENTITY_WEIGHT = 0.35
#: Similarity lost per year between two articles' publication dates (capped).
DATE_PENALTY_PER_YEAR = 0.15
MAX_DATE_PENALTY = 0.5
LEAD_SENTENCES = 5
#: Largest number of independent sources clustered by batch average linkage (quadratic in them).
LINKAGE_MAX_SOURCES = 3000

_SALIENT = {"PERSON": 1.0, "ORG": 1.0, "FAC": 1.0, "EVENT": 1.0, "GPE": 0.5, "LOC": 0.5, "NORP": 0.25}
_LEVELS = sorted(set(_SALIENT.values()))


class TextEncoder(Protocol):
    """Anything that turns texts into L2-normalised vectors (:class:`newsdesk.embed.Encoder`)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Profile:
    article: str
    vector: np.ndarray
    entities: dict[str, float]
    published: date | None


def lead_text(article: Article) -> str:
    """Title plus the first sentences: what the story is about."""
    sentences = article.annotations.sentences if article.annotations else []
    body = [article.text[s.start : s.end] for s in sentences[:LEAD_SENTENCES]]
    if not body:
        body = [article.text[:1000]]
    return " ".join(([article.title] if article.title else []) + body)


def entity_weights(article: Article) -> dict[str, float]:
    weights: dict[str, float] = {}
    for ent in article.annotations.entities if article.annotations else []:
        w = _SALIENT.get(ent.label)
        if w is None:
            continue
        key = " ".join(ent.text.lower().replace("the ", "").split())
        # A surname alone ("Ekman") should meet the full name ("Kenneth Ekman").
        if ent.label == "PERSON":
            key = key.split()[-1] if key.split() else key
        weights[key] = max(weights.get(key, 0.0), w)
    return weights


def parse_date(article: Article) -> date | None:
    if article.published is None:
        return None
    parts = article.published.date.split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 7, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        return None


def profiles(articles: Sequence[Article], encoder: TextEncoder) -> list[Profile]:
    vectors = encoder.encode([lead_text(a) for a in articles])
    return [
        Profile(a.id, vectors[i], entity_weights(a), parse_date(a)) for i, a in enumerate(articles)
    ]


def entity_overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Weighted overlap coefficient of two entity sets, 0..1."""
    if not a or not b:
        return 0.0
    shared = sum(min(a[k], b[k]) for k in a.keys() & b.keys())
    return shared / min(sum(a.values()), sum(b.values()))


def similarity(p: Profile, q: Profile) -> float:
    score = float(p.vector @ q.vector) + ENTITY_WEIGHT * entity_overlap(p.entities, q.entities)
    if p.published and q.published:
        years = abs((p.published - q.published).days) / 365.0
        score -= min(MAX_DATE_PENALTY, DATE_PENALTY_PER_YEAR * years)
    return score


def _entity_matrices(ps: Sequence[Profile], vocab: dict[str, int]) -> list[tuple[float, sparse.csr_matrix]]:
    """Binary article x entity matrices, one per weight level, with the step to the level below.

    ``min(a, b)`` of two weights from ``_LEVELS`` is the sum of the steps of the
    levels both reach, so weighted overlaps become sparse matrix products.
    """
    out = []
    prev = 0.0
    for level in _LEVELS:
        rows, cols = [], []
        for i, p in enumerate(ps):
            for key, w in p.entities.items():
                if w >= level and key in vocab:
                    rows.append(i)
                    cols.append(vocab[key])
        m = sparse.csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(ps), len(vocab)))
        out.append((level - prev, m))
        prev = level
    return out


def _day_numbers(ps: Sequence[Profile]) -> np.ndarray:
    return np.array([p.published.toordinal() if p.published else np.nan for p in ps], dtype=np.float64)


def cross_similarity(ps: Sequence[Profile], qs: Sequence[Profile]) -> np.ndarray:
    """``similarity(p, q)`` for every p in ``ps`` and q in ``qs``, vectorised."""
    if not ps or not qs:
        return np.zeros((len(ps), len(qs)))
    vp = np.stack([p.vector for p in ps]).astype(np.float32)
    vq = np.stack([q.vector for q in qs]).astype(np.float32)
    sim = (vp @ vq.T).astype(np.float64)
    vocab: dict[str, int] = {}
    for prof in (*ps, *qs):
        for key in prof.entities:
            vocab.setdefault(key, len(vocab))
    if vocab:
        shared = np.zeros_like(sim)
        for (step, mp), (_, mq) in zip(_entity_matrices(ps, vocab), _entity_matrices(qs, vocab), strict=True):
            shared += step * (mp @ mq.T).toarray()
        tp = np.array([sum(p.entities.values()) for p in ps])
        tq = np.array([sum(q.entities.values()) for q in qs])
        denom = np.minimum.outer(tp, tq)
        with np.errstate(invalid="ignore", divide="ignore"):
            overlap = np.where(denom > 0, shared / np.where(denom > 0, denom, 1), 0.0)
        sim += ENTITY_WEIGHT * overlap
    dp, dq = _day_numbers(ps), _day_numbers(qs)
    years = np.abs(np.subtract.outer(dp, dq)) / 365.0
    sim -= np.nan_to_num(np.minimum(MAX_DATE_PENALTY, DATE_PENALTY_PER_YEAR * years), nan=0.0)
    return sim


def similarity_matrix(ps: Sequence[Profile]) -> np.ndarray:
    sim = cross_similarity(ps, ps)
    np.fill_diagonal(sim, 1.0)
    return sim


def average_linkage(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Agglomerative clustering: merge the closest pair of clusters (mean pairwise
    similarity) until no pair is above ``threshold``. Clusters in order of their first member."""
    n = sim.shape[0]
    if n == 1:
        return [[0]]
    # Average linkage commutes with ``c - sim``: mean distance = c - mean similarity.
    c = float(sim.max()) + 1.0
    dist = c - sim
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    labels = fcluster(tree, t=c - threshold, criterion="distance")
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        groups.setdefault(int(lab), []).append(i)
    return sorted(groups.values(), key=lambda g: g[0])


def story_id(article_ids: Sequence[str]) -> str:
    return "s" + hashlib.sha1("|".join(sorted(article_ids)).encode()).hexdigest()[:10]


def story_title(members: Sequence[Article]) -> str:
    """The title of the earliest titled source, else the first words of the text."""
    titled = [a for a in members if a.title]
    if titled:
        earliest = min(titled, key=lambda a: a.published.date if a.published else "9999")
        return earliest.title or ""
    return " ".join(members[0].text.split()[:12]) + "…"


def cluster_stories(
    articles: Sequence[Article], links: Sequence[CopyLink], encoder: TextEncoder | None = None
) -> list[Story]:
    """Stories over ``articles``; copies follow their origin. Largest story first.

    Up to :data:`LINKAGE_MAX_SOURCES` independent sources, average linkage over
    all their pairs; above, the incremental :class:`newsdesk.assign.StoryIndex`
    (the same merge rule, one article at a time in publication order, blocked
    so the work grows linearly). Either way the local and Spark engines, which
    both call this, give the same stories.
    """
    encoder = encoder or Encoder()
    origin_of = {link.copy: link.origin for link in links}
    sources = [a for a in articles if a.id not in origin_of]
    if not sources:
        return []
    if len(sources) <= LINKAGE_MAX_SOURCES:
        groups = average_linkage(similarity_matrix(profiles(sources, encoder)), MERGE_THRESHOLD)
        origin_groups = [[sources[i].id for i in group] for group in groups]
    else:
        from newsdesk.assign import StoryIndex  # assign builds on this module

        index = StoryIndex(encoder)
        index.add(sources)
        origin_groups = [s.origins for s in index.stories()]
    by_id = {a.id: a for a in articles}
    group_of = {o: g for g, origin_ids in enumerate(origin_groups) for o in origin_ids}
    copies: list[list[str]] = [[] for _ in origin_groups]
    for copy, origin in origin_of.items():  # in link order, as the brief lists them
        if origin in group_of:
            copies[group_of[origin]].append(copy)
    stories: list[Story] = []
    for origin_ids, group_copies in zip(origin_groups, copies, strict=True):
        members = [*origin_ids, *group_copies]
        member_articles = [by_id[m] for m in members]
        stories.append(
            Story(
                id=story_id(members),
                title=story_title(member_articles),
                articles=members,
                origins=origin_ids,
            )
        )
    stories.sort(key=lambda s: (-len(s.origins), -len(s.articles), s.title))
    return stories
