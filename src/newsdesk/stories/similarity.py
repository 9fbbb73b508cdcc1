"""Similarity: the one rule that says how alike two articles' profiles are.

``score(p, q) = cos(p, q) + entity_weight * overlap(p, q) + term_weight * tfidf(p, q) - date penalty``:
the cosine of the lead embeddings, plus a bonus for shared salient entities
(weighted overlap coefficient, 0..1), plus the TF-IDF cosine of their terms
(:mod:`newsdesk.stories.terms`; idf over the articles compared, so the names
a whole pile shares count little and a development's own words a lot), minus
a penalty that grows by the day between the publication dates, up to a cap:
news stories live for days and weeks. :class:`Similarity` gives it
for one pair (:meth:`~Similarity.pair`), for every pair of two lists at once
(:meth:`~Similarity.matrix`, vectorised with sparse entity matrices) and as
the mean over a story's members (:meth:`~Similarity.mean`, what incremental
assignment compares with the threshold). Batch linkage, incremental
assignment and Spark all score through this object.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from newsdesk.settings import StoriesSettings
from newsdesk.stories.profiles import SALIENT, Profile
from newsdesk.stories.terms import TermStats, dot

__all__ = ["Similarity", "entity_overlap"]

_LEVELS = sorted(set(SALIENT.values()))


def entity_overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Weighted overlap coefficient of two entity sets, 0..1."""
    if not a or not b:
        return 0.0
    shared = sum(min(a[k], b[k]) for k in a.keys() & b.keys())
    return shared / min(sum(a.values()), sum(b.values()))


class Similarity:
    """The similarity rule with its weights (from :class:`newsdesk.settings.StoriesSettings`)."""

    def __init__(self, settings: StoriesSettings | None = None, terms: TermStats | None = None) -> None:
        s = settings or StoriesSettings()
        self.entity_weight = s.entity_weight
        self.term_weight = s.term_weight
        self.penalty_per_day = s.date_penalty_per_day
        self.max_penalty = s.max_date_penalty
        #: Document frequencies the TF-IDF term is weighted by (the pile's, or those seen so far).
        self.terms = terms if terms is not None else TermStats()

    def pair(self, p: Profile, q: Profile) -> float:
        score = float(p.vector @ q.vector) + self.entity_weight * entity_overlap(p.entities, q.entities)
        score += self.term_weight * dot(self.terms.unit(p.terms), self.terms.unit(q.terms))
        if p.published and q.published:
            score -= self.date_penalty(abs((p.published - q.published).days))
        return score

    def date_penalty(self, days: float) -> float:
        return min(self.max_penalty, self.penalty_per_day * days)

    def matrix(self, ps: Sequence[Profile], qs: Sequence[Profile]) -> np.ndarray:
        """:meth:`pair` for every p in ``ps`` and q in ``qs``, vectorised."""
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
            sim += self.entity_weight * overlap
        if self.term_weight:
            sim += self.term_weight * self.terms.cosines([p.terms for p in ps], [q.terms for q in qs])
        dp, dq = _day_numbers(ps), _day_numbers(qs)
        days = np.abs(np.subtract.outer(dp, dq))
        sim -= np.nan_to_num(np.minimum(self.max_penalty, self.penalty_per_day * days), nan=0.0)
        return sim

    def square(self, ps: Sequence[Profile]) -> np.ndarray:
        """:meth:`matrix` of ``ps`` with itself, ones on the diagonal."""
        sim = self.matrix(ps, ps)
        np.fill_diagonal(sim, 1.0)
        return sim

    def mean(self, p: Profile, members: Sequence[Profile], embedding_term: float, term_term: float = 0.0) -> float:
        """Mean :meth:`pair` of ``p`` with ``members``, given the means of the cosines of the
        embeddings (``embedding_term``) and of the TF-IDF vectors (``term_term``)."""
        if not members:
            return float("-inf")
        score = embedding_term + self.term_weight * term_term
        if p.entities:
            score += self.entity_weight * sum(entity_overlap(p.entities, q.entities) for q in members) / len(members)
        if p.published is not None:
            days = [abs((p.published - q.published).days) for q in members if q.published is not None]
            penalties = np.minimum(self.max_penalty, self.penalty_per_day * np.array(days, dtype=np.float64))
            score -= float(penalties.sum()) / len(members)
        return score

    def bound(self, p: Profile, embedding_terms: np.ndarray, term_terms: np.ndarray) -> np.ndarray:
        """Upper bounds of :meth:`mean` from the embedding and term terms (the date term only subtracts)."""
        return embedding_terms + self.term_weight * term_terms + (self.entity_weight if p.entities else 0.0)


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
