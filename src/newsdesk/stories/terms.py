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

import numpy as np
from scipy import sparse
from spacy.lang.en.stop_words import STOP_WORDS

from newsdesk.model import Article

__all__ = ["KEY_TERMS", "TERM_SENTENCES", "TermStats", "dot", "key_terms", "term_counts", "term_text"]

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


def term_text(article: Article, sentences: int = TERM_SENTENCES) -> str:
    """The title twice, then the first ``sentences`` sentences of the body (its first 4,000
    characters when it has no sentences)."""
    spans = article.annotations.sentences if article.annotations else []
    body = " ".join(article.text[s.start : s.end] for s in spans[:sentences]) if spans else article.text[:4000]
    title = article.title or ""
    return f"{title} {title} {body}"


def term_counts(article: Article, sentences: int = TERM_SENTENCES) -> dict[str, float]:
    """Sublinear counts (``1 + ln(count)``) of the article's terms, rounded to 4 places."""
    words = (w for w in _WORD.findall(term_text(article, sentences).lower()) if w not in STOP_WORDS)
    return {w: round(1.0 + math.log(c), 4) for w, c in sorted(Counter(words).items())}


class TermStats:
    """Document frequencies of terms over the articles compared so far."""

    def __init__(self) -> None:
        self.n = 0
        self.df: Counter[str] = Counter()

    @classmethod
    def of(cls, term_sets: Iterable[Mapping[str, float]]) -> TermStats:
        stats = cls()
        for terms in term_sets:
            stats.add(terms)
        return stats

    def add(self, terms: Mapping[str, float]) -> None:
        self.n += 1
        self.df.update(terms.keys())

    def idf(self, term: str) -> float:
        return math.log((1 + self.n) / (1 + self.df.get(term, 0))) + 1.0

    def unit(self, terms: Mapping[str, float]) -> dict[str, float]:
        """The unit-length TF-IDF vector of ``terms`` under these statistics."""
        weighted = {t: tf * self.idf(t) for t, tf in terms.items()}
        norm = math.sqrt(sum(v * v for v in weighted.values()))
        return {t: v / norm for t, v in weighted.items()} if norm else {}

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
    """Dot product of two sparse vectors (iterates over the smaller)."""
    if len(unit) > len(other):
        unit, other = other, unit
    return sum(v * other.get(t, 0.0) for t, v in unit.items())


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
