"""Lineage: which articles copy which, and which copy is the origin.

Takes clean :class:`Article` objects, gives :class:`CopyLink` edges ``copy -> origin``.

How it works:

1. Each text becomes a set of word 5-gram shingles over normalised tokens
   (lower case, ``\\w+``), so a repost flattened into one paragraph or with
   curly instead of straight quotes shingles the same as the original.
2. Candidate pairs come from MinHash signatures in an LSH Ensemble index
   (datasketch), which answers *containment* queries: "which texts contain at
   least half of this one?". Jaccard alone misses an excerpt or a truncated
   repost: the AP story and its longer repost share only ~0.4 Jaccard.
3. Every candidate is verified exactly on the shingle sets before it is linked.
4. Linked articles form copy groups (connected components). The origin of a
   group is the version that shows no repost traces (no "appeared first on"
   footer, no "[…]" truncation, not flattened into one paragraph), then the
   earliest published, then the most complete (most shingles), then the first
   read. Every other member points to the origin with a kind:

   ``exact``      identical token sequence
   ``near``       Jaccard >= 0.8 (re-wrapped, a word or two changed)
   ``truncated``  the copy is cut short (its text ends in "[…]", or it holds
                  only the origin's beginning)
   ``excerpt``    a part of the origin, not from its beginning
   ``edited``     the bulk of the text is shared, with edits either way
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSHEnsemble

from newsdesk.model import Article, CopyKind, CopyLink

SHINGLE_SIZE = 5
NUM_PERM = 128
#: Share of the smaller text that must lie inside the larger to call it a copy.
#: A shared quote or press-release paragraph stays far below it.
MIN_CONTAINMENT = 0.5
NEAR_JACCARD = 0.8
#: Texts with fewer shingles than this are too short to call copies.
MIN_SHINGLES = 8

_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Fingerprint:
    """What lineage keeps of one article: its shingles in order and as a set."""

    article: str
    tokens: tuple[str, ...]
    shingles: tuple[int, ...]
    shingle_set: frozenset[int]


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _stable_hash(shingle: str) -> int:
    # Python's hash() is salted per process; signatures must agree across runs and workers.
    return int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def fingerprint(article: Article) -> Fingerprint:
    toks = tokens(article.text)
    shingles = tuple(
        _stable_hash(" ".join(toks[i : i + SHINGLE_SIZE])) for i in range(max(0, len(toks) - SHINGLE_SIZE + 1))
    )
    return Fingerprint(article.id, tuple(toks), shingles, frozenset(shingles))


def minhash(fp: Fingerprint) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=1)
    m.update_batch([s.to_bytes(8, "little", signed=True) for s in fp.shingle_set])
    return m


def candidate_pairs(fps: Sequence[Fingerprint]) -> set[tuple[int, int]]:
    """Index pairs (i, j), i < j, where one text may contain the other."""
    usable = [i for i, fp in enumerate(fps) if len(fp.shingle_set) >= MIN_SHINGLES]
    if len(usable) < 2:
        return set()
    hashes = {i: minhash(fps[i]) for i in usable}
    # The ensemble's threshold is a recall knob: query below the final cut, the
    # exact check below decides.
    ensemble = MinHashLSHEnsemble(threshold=MIN_CONTAINMENT * 0.8, num_perm=NUM_PERM, num_part=8)
    ensemble.index([(i, hashes[i], len(fps[i].shingle_set)) for i in usable])
    pairs: set[tuple[int, int]] = set()
    for i in usable:
        for j in ensemble.query(hashes[i], len(fps[i].shingle_set)):
            if j != i:
                pairs.add((min(i, j), max(i, j)))
    return pairs


@dataclass(frozen=True)
class Overlap:
    a_in_b: float  # share of a's shingles found in b
    b_in_a: float
    jaccard: float


def overlap(a: Fingerprint, b: Fingerprint) -> Overlap:
    shared = len(a.shingle_set & b.shingle_set)
    union = len(a.shingle_set | b.shingle_set) or 1
    return Overlap(
        a_in_b=shared / (len(a.shingle_set) or 1),
        b_in_a=shared / (len(b.shingle_set) or 1),
        jaccard=shared / union,
    )


def is_copy_pair(ov: Overlap) -> bool:
    return max(ov.a_in_b, ov.b_in_a) >= MIN_CONTAINMENT


def copy_groups(n: int, edges: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Connected components over ``edges`` (union-find), each sorted, singletons left out."""
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return [sorted(g) for g in groups.values() if len(g) > 1]


REPOST_SIGNALS = frozenset({"truncated", "flattened", "syndication-footer"})


def origin_rank(article: Article, fp: Fingerprint, position: int) -> tuple[int, str, int, int]:
    """Sort key: the best origin sorts first."""
    repost = len(article.signals & REPOST_SIGNALS)
    published = article.published.date if article.published else "9999"
    return (repost, published, -len(fp.shingle_set), position)


def starts_like(copy: Fingerprint, origin: Fingerprint) -> bool:
    """Does the copy hold the origin's opening (first shingles)?"""
    head = origin.shingles[: max(1, min(20, len(origin.shingles) // 10))]
    return sum(1 for s in head if s in copy.shingle_set) >= 0.6 * len(head)


def copy_kind(copy: Article, cfp: Fingerprint, ofp: Fingerprint, ov: Overlap) -> CopyKind:
    """Kind of ``copy`` relative to its origin; ``ov`` is overlap(copy, origin)."""
    if cfp.tokens == ofp.tokens:
        return "exact"
    if ov.jaccard >= NEAR_JACCARD:
        return "near"
    if "truncated" in copy.signals:
        return "truncated"
    if ov.a_in_b >= 0.9 and ov.b_in_a < 0.7:
        return "truncated" if starts_like(cfp, ofp) else "excerpt"
    return "edited"


def find_copies(articles: Sequence[Article]) -> list[CopyLink]:
    """Every article that copies another, linked to its group's origin."""
    fps = [fingerprint(a) for a in articles]
    edges = [(i, j) for i, j in sorted(candidate_pairs(fps)) if is_copy_pair(overlap(fps[i], fps[j]))]
    links: list[CopyLink] = []
    for group in copy_groups(len(articles), edges):
        ranked = sorted(group, key=lambda i: origin_rank(articles[i], fps[i], i))
        origin = ranked[0]
        for i in ranked[1:]:
            ov = overlap(fps[i], fps[origin])
            links.append(
                CopyLink(
                    copy=articles[i].id,
                    origin=articles[origin].id,
                    kind=copy_kind(articles[i], fps[i], fps[origin], ov),
                    containment=round(ov.a_in_b, 3),
                    origin_containment=round(ov.b_in_a, 3),
                    jaccard=round(ov.jaccard, 3),
                )
            )
    return links


def origins(articles: Sequence[Article], links: Sequence[CopyLink]) -> list[str]:
    """Ids of the articles that copy no one: the independent sources."""
    copies = {link.copy for link in links}
    return [a.id for a in articles if a.id not in copies]
