"""Incremental story assignment: a new independent source joins the stored story it is most like.

Takes the stored profiles of every story's independent sources and a new
article's :class:`newsdesk.cluster.Profile`; gives the story it belongs to, or
None for a new story. The rule is the batch clusterer's, applied one article
at a time: the mean :func:`newsdesk.cluster.similarity` to the story's sources
(average linkage) must exceed :data:`newsdesk.cluster.MERGE_THRESHOLD`.

Cost: a story's mean similarity is at most ``v . centroid + ENTITY_WEIGHT``
(the mean of dot products is the dot product with the mean; the entity bonus
is at most ENTITY_WEIGHT and the date term only subtracts), so one matrix
product rules out most stories and only the rest are scored member by member.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from newsdesk.cluster import ENTITY_WEIGHT, MERGE_THRESHOLD, Profile, similarity
from newsdesk.embed import DIM


def profile_row(p: Profile) -> tuple[str, bytes, str, str | None]:
    """A profile as the ``profiles`` table stores it."""
    vector = np.asarray(p.vector, dtype=np.float32).tobytes()
    return p.article, vector, json.dumps(p.entities, ensure_ascii=False), p.published.isoformat() if p.published else None


def profile_from(article_id: str, vector: bytes, entities: str, published: str | None) -> Profile:
    return Profile(
        article_id,
        np.frombuffer(vector, dtype=np.float32).copy(),
        json.loads(entities),
        date.fromisoformat(published) if published else None,
    )


@dataclass
class StoryIndex:
    """The independent sources of every story, with a running centroid per story."""

    members: dict[str, list[Profile]] = field(default_factory=dict)
    _ids: list[str] = field(default_factory=list)
    _sums: list[np.ndarray] = field(default_factory=list)

    def add(self, story_id: str, profile: Profile) -> None:
        if story_id not in self.members:
            self.members[story_id] = []
            self._ids.append(story_id)
            self._sums.append(np.zeros(DIM, dtype=np.float64))
        self.members[story_id].append(profile)
        self._sums[self._ids.index(story_id)] += profile.vector

    def remove(self, story_id: str, article_id: str) -> None:
        """An article stops being an independent source (a later origin made it a copy)."""
        kept = [p for p in self.members.get(story_id, []) if p.article != article_id]
        gone = [p for p in self.members.get(story_id, []) if p.article == article_id]
        if gone:
            self.members[story_id] = kept
            self._sums[self._ids.index(story_id)] -= sum(p.vector for p in gone)

    def best(self, profile: Profile) -> tuple[str | None, float]:
        """The story whose sources are on average most similar, if above the merge threshold."""
        if not self._ids:
            return None, 0.0
        counts = np.array([max(len(self.members[s]), 1) for s in self._ids], dtype=np.float64)
        bounds = (np.stack(self._sums) @ profile.vector.astype(np.float64)) / counts + ENTITY_WEIGHT
        best_id, best_score = None, MERGE_THRESHOLD
        for i in np.argsort(-bounds):
            if bounds[i] <= best_score:
                break  # sorted: no later story can beat the best so far
            members = self.members[self._ids[i]]
            if not members:
                continue
            score = sum(similarity(profile, q) for q in members) / len(members)
            if score > best_score:
                best_id, best_score = self._ids[i], score
        return best_id, best_score
