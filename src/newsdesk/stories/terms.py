"""Terms: the distinctive words of an article, weighted against the pile they come from.

Takes an article (title and opening sentences); gives its term counts
(:func:`term_counts`: lower-case words of two or more characters, English stop
words left out, sublinear ``1 + ln(count)``, the title counted twice because
it names the development). :class:`TermStats` holds how many of the compared
articles use each term, and turns counts into unit TF-IDF vectors
(``idf = ln((1 + n) / (1 + df)) + 1``): a word every article of the pile uses
("Trump" in a campaign, "Colts" in a season) counts little, the words of one
development ("Jaguars", "31-24", "Milwaukee") count a lot.

Batch clustering takes the statistics of the whole pile; incremental assignment
grows them as articles arrive, so they are those of everything seen so far.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from itertools import repeat
from operator import mul

import numpy as np
from scipy import sparse

from newsdesk.lexicon import FUNCTION_WORDS
from newsdesk.model import Article

__all__ = [
    "KEY_TERMS",
    "TERM_SENTENCES",
    "Scatter",
    "Sparse",
    "TermStats",
    "add_sparse",
    "dot",
    "key_terms",
    "term_counts",
    "term_text",
]

#: How many key terms a story lists.
KEY_TERMS = 8
#: Words of news prose itself (reporting verbs, titles, time units): never a story's key term,
#: even in a pile of one story, where every word's idf is alike.
NEWS_WORDS = frozenset(
    "said says say saying told tells according added reported reports mr mrs ms "  # noqa: SIM905
    "year years month months week weeks day days time times today yesterday".split()
)

#: Default number of body sentences whose words are an article's terms (``StoriesSettings.term_sentences``).
TERM_SENTENCES = 20

_WORD = re.compile(r"\b\w\w+\b")

#: English function words (:data:`newsdesk.lexicon.FUNCTION_WORDS`), left out of an article's terms.
STOP_WORDS = FUNCTION_WORDS


def term_text(article: Article, sentences: int = TERM_SENTENCES) -> str:
    """The title twice, then the first ``sentences`` sentences of the body (its first 4,000
    characters when it has no sentences)."""
    spans = article.annotations.sentences if article.annotations else []
    body = " ".join(article.text[s.start : s.end] for s in spans[:sentences]) if spans else article.text[:4000]
    title = article.title or ""
    return f"{title} {title} {body}"


def term_counts(article: Article, sentences: int = TERM_SENTENCES) -> dict[str, float]:
    """Sublinear counts (``1 + ln(count)``) of the article's terms, rounded to 4 places."""
    counts = Counter(_WORD.findall(term_text(article, sentences).lower()))
    for w in STOP_WORDS & counts.keys():
        del counts[w]
    return {w: _sublinear(c) for w, c in sorted(counts.items())}


_SUBLINEAR = [0.0, *(round(1.0 + math.log(c), 4) for c in range(1, 64))]


def _sublinear(count: int) -> float:
    return _SUBLINEAR[count] if count < len(_SUBLINEAR) else round(1.0 + math.log(count), 4)


#: A sparse vector over :class:`TermStats`'s vocabulary: distinct term ids and their values.
Sparse = tuple[np.ndarray, np.ndarray]


class TermStats:
    """Document frequencies of terms over the articles compared so far, and the vocabulary
    that numbers the terms (arrays indexed by term id, so a large index stays compact)."""

    def __init__(self) -> None:
        self.n = 0
        self.vocab: dict[str, int] = {}
        self._terms: list[str] = []
        self._df = np.zeros(1024, dtype=np.int32)
        self._log_df = np.zeros(1024, dtype=np.float64)  # ln(1 + df), kept as df grows

    @classmethod
    def of(cls, term_sets: Iterable[Mapping[str, float]]) -> TermStats:
        stats = cls()
        for terms in term_sets:
            stats.add(terms)
        return stats

    def ids(self, terms: Mapping[str, float]) -> Sparse:
        """``terms`` as a sparse vector of their counts, in their order (unseen terms join the vocabulary)."""
        vocab = self.vocab
        for t in terms:
            if t not in vocab:
                vocab[t] = len(self._terms)
                self._terms.append(t)
        if len(self._terms) > len(self._df):
            size = max(2 * len(self._df), len(self._terms))
            self._df = np.concatenate([self._df, np.zeros(size - len(self._df), dtype=np.int32)])
            self._log_df = np.concatenate([self._log_df, np.zeros(size - len(self._log_df))])
        ids = np.fromiter(map(vocab.__getitem__, terms), dtype=np.int32, count=len(terms))
        return ids, np.fromiter(terms.values(), dtype=np.float64, count=len(terms))

    def add(self, terms: Mapping[str, float]) -> None:
        ids, _ = self.ids(terms)
        self.n += 1
        self._df[ids] += 1
        self._log_df[ids] = np.log1p(self._df[ids])

    def doc_freq(self, term: str) -> int:
        j = self.vocab.get(term)
        return 0 if j is None else int(self._df[j])

    def idf(self, term: str) -> float:
        j = self.vocab.get(term)
        return math.log(1 + self.n) - (0.0 if j is None else float(self._log_df[j])) + 1.0

    def unit_vector(self, terms: Mapping[str, float]) -> Sparse:
        """The unit-length TF-IDF vector of ``terms`` under these statistics, as a sparse vector."""
        ids, tf = self.ids(terms)
        weighted = tf * (math.log(1 + self.n) + 1.0 - self._log_df[ids])
        norm = float(np.sqrt(weighted @ weighted))
        if not norm:
            return ids[:0], weighted[:0].astype(np.float32)
        return ids, (weighted / norm).astype(np.float32)

    def unit(self, terms: Mapping[str, float]) -> dict[str, float]:
        """The unit-length TF-IDF vector of ``terms`` as a dict of term -> weight."""
        return self.as_dict(self.unit_vector(terms))

    def from_dict(self, weights: Mapping[str, float]) -> Sparse:
        """A vector given as term -> weight (:meth:`as_dict`'s form), as a sparse vector."""
        ids, values = self.ids(weights)
        return ids, values.astype(np.float32)

    def as_dict(self, vector: Sparse) -> dict[str, float]:
        ids, values = vector
        return {self._terms[j]: float(v) for j, v in zip(ids.tolist(), values.tolist(), strict=True)}

    def cosines(self, ps: Sequence[Mapping[str, float]], qs: Sequence[Mapping[str, float]]) -> np.ndarray:
        """TF-IDF cosine of every p with every q (a dense len(ps) x len(qs) matrix)."""
        vocab: dict[str, int] = {}
        for terms in (*ps, *qs):
            for t in terms:
                vocab.setdefault(t, len(vocab))
        if not vocab:
            return np.zeros((len(ps), len(qs)))
        idf = np.ones(len(vocab))
        for t, j in vocab.items():
            idf[j] = self.idf(t)
        mp, mq = _unit_rows(ps, vocab, idf), _unit_rows(qs, vocab, idf)
        return (mp @ mq.T).toarray()


def add_sparse(a: Sparse, b: Sparse, sign: float = 1.0) -> Sparse:
    """``a + sign * b``; entries that cancel to (near) zero are left out."""
    ids = np.concatenate([a[0], b[0]])
    if not len(ids):
        return a
    uniq, inverse = np.unique(ids, return_inverse=True)
    values = np.bincount(inverse, weights=np.concatenate([a[1], sign * b[1]]), minlength=len(uniq))
    keep = np.abs(values) > 1e-6
    return uniq[keep].astype(np.int32), values[keep].astype(np.float32)


def dot_sparse(a: Sparse, b: Sparse) -> float:
    """The dot product of two sparse vectors (each with distinct ids)."""
    _, ia, ib = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return float(a[1][ia].astype(np.float64) @ b[1][ib].astype(np.float64))


class Scatter:
    """One sparse vector spread over a dense buffer, so its dot product with many others costs
    one gather each (the buffer is reused: it grows with the vocabulary and is cleared after)."""

    def __init__(self) -> None:
        self._buf = np.zeros(1024, dtype=np.float64)
        self._ids: np.ndarray | None = None

    def load(self, vector: Sparse, size: int) -> None:
        if size > len(self._buf):
            self._buf = np.zeros(max(size, 2 * len(self._buf)), dtype=np.float64)
        self.clear()
        self._ids = vector[0]
        self._buf[vector[0]] = vector[1]

    def dot(self, other: Sparse) -> float:
        return float(self._buf[other[0]] @ other[1].astype(np.float64)) if len(other[0]) else 0.0

    def clear(self) -> None:
        if self._ids is not None:
            self._buf[self._ids] = 0.0
            self._ids = None


def key_terms(units: Sequence[Mapping[str, float]], k: int = KEY_TERMS) -> list[str]:
    """What holds a story together: the terms with the most TF-IDF weight summed over its
    sources' unit vectors (``units``); with two sources or more, only terms two of them share.
    Ties go alphabetically."""
    total: dict[str, float] = {}
    used: Counter[str] = Counter()
    for unit in units:
        used.update(unit.keys())
        for t, v in unit.items():
            total[t] = total.get(t, 0.0) + v
    shared = 2 if len(units) > 1 else 1
    ranked = sorted(
        (t for t in total if used[t] >= shared and not t.isdigit() and t not in NEWS_WORDS),
        key=lambda t: (-total[t], t),
    )
    return ranked[:k]


def dot(unit: Mapping[str, float], other: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors (iterates over the smaller, in C)."""
    if len(unit) > len(other):
        unit, other = other, unit
    return sum(map(mul, unit.values(), map(other.get, unit.keys(), repeat(0.0))))


def _unit_rows(rows: Sequence[Mapping[str, float]], vocab: dict[str, int], idf: np.ndarray) -> sparse.csr_matrix:
    r, c, v = [], [], []
    for i, terms in enumerate(rows):
        for t, tf in terms.items():
            r.append(i)
            c.append(vocab[t])
            v.append(tf)
    m = sparse.csr_matrix((np.array(v, dtype=np.float64), (r, c)), shape=(len(rows), len(vocab)))
    m = m.multiply(idf[None, :]).tocsr()
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return sparse.csr_matrix(m.multiply(1.0 / norms[:, None]))
