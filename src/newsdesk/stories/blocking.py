"""Blocking: which stories a new article is compared with, so assignment grows linearly.

Takes, as stories grow, each story's vector (its centroid), its dated span and
its entity keys; gives, for a batch of new article profiles, every article's
candidate stories and the dot product of its vector with each candidate's.

An incremental clusterer that compares every article with every story does
O(articles x stories) work, quadratic in a growing corpus. A story is a
candidate for an article only when

- its span of publication dates, widened by :data:`WINDOW_DAYS` either side,
  covers the article's date (news is about now; a long-running story's span
  covers everything between its first and latest article), or
- it is among the :data:`ENTITY_POSTINGS` most recently updated stories naming
  one of the article's salient entities (a story coming back after a long
  silence, or an undated article, still finds its story by who and what), or
- it is among the :data:`RECENT_STORIES` most recently updated stories (the
  undated article with no salient entities: a plain text pile).

For a feed with a steady rate, every set is bounded, so the work per article
is too. The candidate vectors of a whole batch are scored in one matrix
product; stories that changed inside the batch are re-scored against their
current vector, so the answer does not depend on how articles were batched.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np

__all__ = ["ENTITY_POSTINGS", "RECENT_STORIES", "WINDOW_DAYS", "Blocks", "Scan", "day_number"]

#: Days either side of a story's dated span within which an article may join it.
WINDOW_DAYS = 14
#: Stories remembered per entity key (the most recently updated).
ENTITY_POSTINGS = 64
#: Most recently updated stories, always candidates.
RECENT_STORIES = 512


def day_number(d: date | None) -> float:
    return float(d.toordinal()) if d is not None else float("nan")


class Blocks:
    """Per-story rows: a vector, a dated span, entity postings and a recency ring."""

    def __init__(
        self,
        window_days: int = WINDOW_DAYS,
        postings: int = ENTITY_POSTINGS,
        recent: int = RECENT_STORIES,
    ) -> None:
        self.window_days = window_days
        self.postings_cap = postings
        self.recent_cap = recent
        self._n = 0
        self._vectors = np.zeros((0, 0), dtype=np.float32)  # grows by doubling; rows >= _n unused
        self._first = np.zeros(0)
        self._last = np.zeros(0)
        self._merged = np.zeros(0, dtype=bool)  # rows merged into another (out of every block)
        self._postings: dict[str, OrderedDict[int, None]] = {}
        self._recent: OrderedDict[int, None] = OrderedDict()
        self._touched: list[int] = []  # rows in update order, so a scan finds rows that changed after it began

    def __len__(self) -> int:
        return self._n

    def open(self, dim: int) -> int:
        """A new, empty story row."""
        if self._vectors.shape[1] != dim and self._n:
            raise ValueError(f"vector size {dim} differs from the index's {self._vectors.shape[1]}")
        if self._n == len(self._vectors) or self._vectors.shape[1] != dim:
            size = max(16, 2 * len(self._vectors))
            grown = np.zeros((size, dim), dtype=np.float32)
            if self._n:
                grown[: self._n] = self._vectors[: self._n]
            self._vectors = grown
            self._first = np.resize(self._first, size)
            self._last = np.resize(self._last, size)
            self._merged = np.resize(self._merged, size)
        row = self._n
        self._n += 1
        self._first[row] = np.nan
        self._last[row] = np.nan
        self._merged[row] = False
        return row

    def update(self, row: int, vector: np.ndarray, day: float, keys: Iterable[str]) -> None:
        """Row ``row`` gained a member dated ``day`` (NaN: undated) naming ``keys``; its vector is now ``vector``."""
        self._vectors[row] = vector
        if not np.isnan(day):
            self._first[row] = day if np.isnan(self._first[row]) else min(self._first[row], day)
            self._last[row] = day if np.isnan(self._last[row]) else max(self._last[row], day)
        for key in keys:
            posting = self._postings.setdefault(key, OrderedDict())
            posting[row] = None
            posting.move_to_end(row)
            if len(posting) > self.postings_cap:
                posting.popitem(last=False)
        self._recent[row] = None
        self._recent.move_to_end(row)
        if len(self._recent) > self.recent_cap:
            self._recent.popitem(last=False)
        self._touched.append(row)

    def set_vector(self, row: int, vector: np.ndarray) -> None:
        """A member left the story: only its vector changes (its span and postings stay, a superset is safe)."""
        self._vectors[row] = vector
        self._touched.append(row)

    def merge(self, into: int, other: int, keys: Iterable[str]) -> None:
        """Row ``other``'s story, whose members named ``keys``, joined row ``into``'s: ``into`` takes
        its span, postings and a fresh place in the recency ring; ``other`` leaves every block (its
        vector is zeroed; the caller sets ``into``'s)."""
        if not np.isnan(self._first[other]):
            first, last = self._first[into], self._last[into]
            self._first[into] = self._first[other] if np.isnan(first) else min(first, self._first[other])
            self._last[into] = self._last[other] if np.isnan(last) else max(last, self._last[other])
        for key in keys:
            posting = self._postings.setdefault(key, OrderedDict())
            posting.pop(other, None)
            posting[into] = None
            posting.move_to_end(into)
            if len(posting) > self.postings_cap:
                posting.popitem(last=False)
        self._recent.pop(other, None)
        self._recent[into] = None
        self._recent.move_to_end(into)
        if len(self._recent) > self.recent_cap:
            self._recent.popitem(last=False)
        self._first[other] = np.nan
        self._last[other] = np.nan
        self._vectors[other] = 0.0
        self._merged[other] = True
        self._touched += [into, other]

    def scan(self, days: Sequence[float], keys: Sequence[Iterable[str]], vectors: np.ndarray) -> Scan:
        """Score a batch of articles (dates, entity keys, vectors) against their candidate stories."""
        return Scan(self, np.asarray(days, dtype=np.float64), [set(k) for k in keys], vectors.astype(np.float32))

    # -- what a scan reads -----------------------------------------------------------------------

    def fixed_rows(self, keys: Iterable[str]) -> set[int]:
        """Rows in reach whatever the date: the recent ring and the postings of ``keys``."""
        rows = set(self._recent)
        for key in keys:
            rows.update(self._postings.get(key, ()))
        return rows

    def in_window(self, rows: np.ndarray, day: float) -> np.ndarray:
        """Which of ``rows`` have a dated span that, widened by the window, covers ``day``."""
        if np.isnan(day):
            return np.zeros(len(rows), dtype=bool)
        w = self.window_days
        with np.errstate(invalid="ignore"):
            return (self._first[rows] - w <= day) & (self._last[rows] + w >= day)

    def rows_in_window(self, first_day: float, last_day: float) -> np.ndarray:
        """Rows whose widened span meets the days from ``first_day`` to ``last_day``."""
        n = self._n
        w = self.window_days
        with np.errstate(invalid="ignore"):
            in_span = (self._first[:n] - w <= last_day) & (self._last[:n] + w >= first_day)
        return np.arange(n)[in_span]

    def merged(self, rows: np.ndarray) -> np.ndarray:
        """Which of ``rows`` were merged into another row (a scan that began before may still list them)."""
        return self._merged[rows]

    def vectors_of(self, rows: np.ndarray) -> np.ndarray:
        return self._vectors[rows]

    def log_position(self) -> int:
        """How many updates the index has seen: a scan reads the changes after it."""
        return len(self._touched)

    def changed_since(self, position: int) -> list[int]:
        """Rows updated after :meth:`log_position` gave ``position``."""
        return self._touched[position:]


class Scan:
    """One batch's candidate scores, computed in one matrix product and kept fresh.

    :meth:`candidates` gives article ``i``'s candidate rows and their scores
    against the index *as it is now*: rows updated since the scan began, or
    opened after it, are re-scored one by one.
    """

    def __init__(self, blocks: Blocks, days: np.ndarray, keys: list[set[str]], vectors: np.ndarray) -> None:
        self.blocks = blocks
        self.days = days
        self.keys = keys
        self.vectors = vectors
        n = len(blocks)
        self._n0 = n
        self._log = blocks.log_position()  # how far into the index's update log this scan has read
        self._changed: set[int] = set()
        dated = days[~np.isnan(days)]
        if len(dated) and n:
            window_rows = blocks.rows_in_window(dated.min(), dated.max())
        else:
            window_rows = np.arange(0)
        fixed = set().union(*(blocks.fixed_rows(k) for k in keys)) if keys else set()
        self.rows = np.union1d(window_rows, np.fromiter(fixed, dtype=np.int64, count=len(fixed)))
        self._pos = np.full(n, -1, dtype=np.int64)  # row -> its index in self.rows
        self._pos[self.rows] = np.arange(len(self.rows))
        # rows x batch: every candidate's vector against every article's, in one product.
        self.scores = blocks.vectors_of(self.rows) @ vectors.T if len(self.rows) else np.zeros((0, len(vectors)))

    def candidates(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Article ``i``'s candidate rows and their vector scores, now."""
        b = self.blocks
        self._changed.update(b.changed_since(self._log))
        self._log = b.log_position()
        day = self.days[i]
        keep = b.in_window(self.rows, day)
        fixed = np.fromiter(b.fixed_rows(self.keys[i]), dtype=np.int64)
        in_scan = fixed[fixed < self._n0]
        in_scan = self._pos[in_scan]
        keep[in_scan[in_scan >= 0]] = True
        scores = self.scores[:, i]
        changed = np.fromiter(self._changed, dtype=np.int64, count=len(self._changed))
        old = changed[changed < self._n0]
        stale = self._pos[old]
        stale = stale[stale >= 0]
        if len(stale):  # rows of the scan that changed since: their vectors moved
            scores = scores.copy()
            scores[stale] = b.vectors_of(self.rows[stale]) @ self.vectors[i]
        rows, scores = self.rows[keep], scores[keep]
        # Rows outside the scan that changed (or opened) since it began may have come into reach.
        extra = changed[(changed >= self._n0) | (self._pos[np.minimum(changed, self._n0 - 1)] < 0)] if self._n0 else changed
        if len(extra):
            extra = extra[b.in_window(extra, day) | np.isin(extra, fixed)]
            rows = np.concatenate([rows, extra])
            scores = np.concatenate([scores, b.vectors_of(extra) @ self.vectors[i]])
        return rows, scores
