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

import numpy as np

from newsdesk.embed import Encoder
from newsdesk.model import Article, CopyLink, Story

#: Average-linkage cut: clusters merge while their mean similarity is above it.
MERGE_THRESHOLD = 0.55
ENTITY_WEIGHT = 0.35
#: Similarity lost per year between two articles' publication dates (capped).
DATE_PENALTY_PER_YEAR = 0.15
LEAD_SENTENCES = 5

_SALIENT = {"PERSON": 1.0, "ORG": 1.0, "FAC": 1.0, "EVENT": 1.0, "GPE": 0.5, "LOC": 0.5, "NORP": 0.25}


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


def profiles(articles: Sequence[Article], encoder: Encoder) -> list[Profile]:
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
        score -= min(0.5, DATE_PENALTY_PER_YEAR * years)
    return score


def similarity_matrix(ps: Sequence[Profile]) -> np.ndarray:
    n = len(ps)
    sim = np.eye(n, dtype=np.float64)
    for i in range(n):
        for j in range(i + 1, n):
            sim[i, j] = sim[j, i] = similarity(ps[i], ps[j])
    return sim


def average_linkage(sim: np.ndarray, threshold: float) -> list[list[int]]:
    """Agglomerative clustering: merge the closest pair of clusters (mean pairwise
    similarity) until no pair is above ``threshold``."""
    clusters: list[list[int]] = [[i] for i in range(sim.shape[0])]
    while len(clusters) > 1:
        best, pair = threshold, None
        for x in range(len(clusters)):
            for y in range(x + 1, len(clusters)):
                s = float(sim[np.ix_(clusters[x], clusters[y])].mean())
                if s > best:
                    best, pair = s, (x, y)
        if pair is None:
            break
        x, y = pair
        clusters[x] = sorted(clusters[x] + clusters[y])
        del clusters[y]
    return clusters


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
    articles: Sequence[Article], links: Sequence[CopyLink], encoder: Encoder | None = None
) -> list[Story]:
    """Stories over ``articles``; copies follow their origin. Largest story first."""
    encoder = encoder or Encoder()
    origin_of = {link.copy: link.origin for link in links}
    sources = [a for a in articles if a.id not in origin_of]
    if not sources:
        return []
    groups = average_linkage(similarity_matrix(profiles(sources, encoder)), MERGE_THRESHOLD)
    by_id = {a.id: a for a in articles}
    stories: list[Story] = []
    for group in groups:
        origin_ids = [sources[i].id for i in group]
        members = [*origin_ids, *(c for c, o in origin_of.items() if o in set(origin_ids))]
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
