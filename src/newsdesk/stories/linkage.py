"""Batch linkage: stories over a whole pile at once.

Takes annotated articles and their copy links; gives :class:`Story` objects.
Stories are formed by average-linkage agglomerative clustering of the
independent sources under :class:`newsdesk.stories.similarity.Similarity`;
every copy joins its origin's story, so a repost can neither split nor glue
stories. Above ``linkage_max_sources`` independent sources (linkage is
quadratic in them) the incremental :class:`newsdesk.stories.assign.StoryIndex`
runs the same merge rule one article at a time in publication order.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform

from newsdesk.model import Article, CopyLink, Story
from newsdesk.settings import StoriesSettings
from newsdesk.stories.assign import StoryIndex
from newsdesk.stories.naming import story_id, story_title
from newsdesk.stories.profiles import TextEncoder, profiles
from newsdesk.stories.similarity import Similarity
from newsdesk.stories.terms import TermStats, key_terms

__all__ = ["average_linkage", "cluster_stories"]


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


def cluster_stories(
    articles: Sequence[Article],
    links: Sequence[CopyLink],
    encoder: TextEncoder,
    settings: StoriesSettings | None = None,
) -> list[Story]:
    """Stories over ``articles``; copies follow their origin. Largest story first.

    Up to ``settings.linkage_max_sources`` independent sources, average linkage
    over all their pairs; above, the incremental :class:`StoryIndex` (the same
    merge rule, one article at a time in publication order, blocked so the
    work grows linearly). The local and Spark engines both call this.
    """
    settings = settings or StoriesSettings()
    origin_of = {link.copy: link.origin for link in links}
    sources = [a for a in articles if a.id not in origin_of]
    if not sources:
        return []
    if len(sources) <= settings.linkage_max_sources:
        profs = profiles(sources, encoder, settings.lead_sentences, settings.term_sentences)
        stats = TermStats.of(p.terms for p in profs)
        sim = Similarity(settings, stats).square(profs)
        groups = average_linkage(sim, settings.merge_threshold)
        origin_groups = [[sources[i].id for i in group] for group in groups]
        terms_of = [key_terms([stats.unit(profs[i].terms) for i in group]) for group in groups]
    else:
        index = StoryIndex(encoder, settings)
        index.add(sources)
        indexed = index.stories()
        origin_groups = [s.origins for s in indexed]
        terms_of = [s.key_terms for s in indexed]
    by_id = {a.id: a for a in articles}
    group_of = {o: g for g, origin_ids in enumerate(origin_groups) for o in origin_ids}
    copies: list[list[str]] = [[] for _ in origin_groups]
    for copy, origin in origin_of.items():  # in link order, as the brief lists them
        if origin in group_of:
            copies[group_of[origin]].append(copy)
    stories: list[Story] = []
    for origin_ids, group_copies, terms in zip(origin_groups, copies, terms_of, strict=True):
        members = [*origin_ids, *group_copies]
        stories.append(
            Story(
                id=story_id(origin_ids[0]),
                title=story_title([by_id[m] for m in members]),
                articles=members,
                origins=origin_ids,
                key_terms=terms,
            )
        )
    stories.sort(key=lambda s: (-len(s.origins), -len(s.articles), s.title))
    return stories
