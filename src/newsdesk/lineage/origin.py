"""Origin and copy kind: editorial rules over lineage's measurements.

Takes the verified copy edges and overlap figures that :mod:`newsdesk.lineage`
measured; gives the copy groups (:func:`copy_groups`), which version of each
is the origin (:func:`origin_rank`) and what kind of
copy each other version is (:func:`copy_kind`). Lineage finds copies fast; this
module decides what they mean, and changes for a different reason.

Kinds:

   ``exact``      identical token sequence
   ``near``       Jaccard >= ``NEAR_JACCARD`` (re-wrapped, a word or two changed)
   ``truncated``  the copy is cut short (its text ends in "[…]", or it holds
                  only the origin's beginning)
   ``excerpt``    a part (under ``EXCERPT_MAX_SHARE``) of the origin, not from its beginning
   ``edited``     the bulk of the text is shared, with edits either way
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np

from newsdesk.model import Article, CopyKind

NEAR_JACCARD = 0.8
#: An excerpt holds less than this share of its origin.
EXCERPT_MAX_SHARE = 0.55
#: Traces a repost leaves: an origin is the version without them.
REPOST_SIGNALS = frozenset({"truncated", "flattened", "syndication-footer"})


def copy_groups(n: int, edges: Iterable[tuple[int, int]]) -> list[list[int]]:
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


def origin_rank(article: Article, size: int, position: int) -> tuple[int, str, int, int]:
    """Sort key, best origin first: no repost traces, then earliest, then most complete, then first read."""
    repost = len(article.signals & REPOST_SIGNALS)
    published = article.published.date if article.published else "9999"
    return (repost, published, -size, position)


def starts_like(copy_set: np.ndarray, origin_head: np.ndarray, origin_length: int) -> bool:
    """Does the copy (a sorted shingle set) hold the origin's opening shingles?"""
    head = origin_head[: max(1, min(len(origin_head), origin_length // 10))]
    if len(head) == 0:
        return False
    idx = np.searchsorted(copy_set, head)
    idx[idx == len(copy_set)] = 0
    found = int(np.count_nonzero(copy_set[idx] == head)) if len(copy_set) else 0
    return found >= 0.6 * len(head)


def copy_kind(
    copy: Article,
    *,
    identical: bool,
    jaccard: float,
    copy_in_origin: float,
    origin_in_copy: float,
    holds_opening: Callable[[], bool],
) -> CopyKind:
    """Kind of ``copy`` relative to its origin, from their overlap figures.

    ``holds_opening`` is asked only when it matters (it reads the shingle sets).
    """
    if identical:
        return "exact"
    if jaccard >= NEAR_JACCARD:
        return "near"
    if "truncated" in copy.signals:
        return "truncated"
    if copy_in_origin >= 0.9 and origin_in_copy < 0.7:
        if holds_opening():
            return "truncated"
        # Most of the origin without its opening: an earlier version before a new lead
        # was written on top (a wire update), not a passage lifted out of it.
        return "excerpt" if origin_in_copy < EXCERPT_MAX_SHARE else "edited"
    return "edited"


#: A rewrite with at most this share of its origin's sentences is a condensed version; one with
#: at least :data:`UPDATE_GROWTH` times them is an update (a later version with more on top).
CONDENSED_SHARE = 0.6
UPDATE_GROWTH = 1.25


def rewrite_kind(copy_sentences: int, origin_sentences: int) -> CopyKind:
    """Kind of a copy found by sentence alignment, from the two texts' sentence counts."""
    if copy_sentences <= CONDENSED_SHARE * origin_sentences:
        return "condensed"
    if copy_sentences >= UPDATE_GROWTH * origin_sentences:
        return "update"
    return "rewrite"
