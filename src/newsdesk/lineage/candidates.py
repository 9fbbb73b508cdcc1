"""Candidate search kernels: the steps that propose pairs of texts for the exact check.

Takes flat numpy arrays of entries (a sampled hash or a band key, and the text
holding it), gives candidate pairs ``(lo, hi)`` of texts and counts of the
lists it skipped. Steps 2 and 3 of :mod:`newsdesk.lineage.copies` (its
docstring says why the search works this way).

Every step is a kernel over one *partition*: plain arrays in, arrays out, no
state. A text is named by any int64 id that sorts in input order (the local
engine's index, Spark's ``pos``), and what a step needs of a text (its size,
its query bar) travels beside its id, so no kernel needs the whole batch. The
local engine runs the kernels over the whole batch as one partition
(:func:`containment_pairs`, :func:`band_pairs`); Spark runs each one per
partition after the shuffle that brings together what its docstring says it
needs (:mod:`newsdesk.spark.copies`). One implementation, two engines.

Containment search (a text meets the texts that hold most of its query keys):

    usable_postings(keys, max_posting)             by key: usable entries, common ones, lists skipped
    pick_queries(keys, texts, common)               by text: each text's QUERY_KEYS query keys
    posting_ranges(sorted_keys, query_keys)         by key: where each query key's posting list lies
    hit_chunks(counts, chunk) + expand(lo, counts)  by key: the hits, at most ``chunk`` at a time
    best_pairs(me, other, bar, other_size)          by text: the MAX_PARTNERS best texts each text met

Heavy duplication (LSH banding over the MinHash band keys):

    band_stars(band, keys, texts, sizes, cap)       by band key: hub/member pairs of each bucket
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np

__all__ = [
    "COMMON_DF",
    "HUBS",
    "MAX_PARTNERS",
    "MIN_QUERY_SHARE",
    "QUERY_KEYS",
    "band_pairs",
    "band_stars",
    "best_pairs",
    "containment_pairs",
    "expand",
    "hit_chunks",
    "pick_queries",
    "posting_ranges",
    "query_bar",
    "runs",
    "usable_postings",
]

#: Each text queries the index with this many of its sampled hashes ...
QUERY_KEYS = 8
#: Hashes held by more texts than this are used as keys only when a text lacks rarer ones.
COMMON_DF = 64
#: ... and meets the texts that hold at least this share of them (the exact check decides).
MIN_QUERY_SHARE = 0.5
#: Each text keeps at most this many containment candidates (most keys found, then largest).
MAX_PARTNERS = 6
#: Hubs per band bucket (see :func:`band_stars`).
HUBS = 2

_EMPTY = np.zeros(0, np.int64)


def runs(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each run of equal values in a sorted array."""
    if len(values) == 0:
        return _EMPTY, _EMPTY
    first = np.concatenate([[True], values[1:] != values[:-1]])
    start = np.flatnonzero(first)
    return start, np.diff(np.concatenate([start, [len(values)]]))


def _rank_in_runs(sorted_values: np.ndarray) -> np.ndarray:
    """Each entry's place in its run of equal values (0 for the first)."""
    start, run = runs(sorted_values)
    return np.arange(len(sorted_values)) - np.repeat(start, run)


# ---- containment search ------------------------------------------------------------------------


def query_bar(n_samples: np.ndarray) -> np.ndarray:
    """Query keys a text must find in another to meet it, from how many samples the text
    has at all (not how many are shared): a text whose samples are mostly its own still
    needs half of its keys found."""
    return np.minimum(n_samples, QUERY_KEYS)


def usable_postings(keys: np.ndarray, max_posting: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Posting lists of sampled hashes: which entries can serve as query keys.

    Needs every entry of a key in the partition. Gives the indices of the
    usable entries, in key order (held by 2 to ``max_posting`` texts: a hash
    only one text holds can find nothing, a longer list is boilerplate), whether
    each is common (held by more than ``COMMON_DF`` texts), and the number of
    lists skipped as boilerplate.
    """
    order = np.argsort(keys)  # order inside a posting list does not matter
    _, run = runs(keys[order])
    df = np.repeat(run, run)
    ok = (df >= 2) & (df <= max_posting)
    return order[ok], df[ok] > COMMON_DF, int((run > max_posting).sum())


def pick_queries(keys: np.ndarray, texts: np.ndarray, common: np.ndarray) -> np.ndarray:
    """Indices of each text's ``QUERY_KEYS`` query keys, grouped by text in id order.

    Needs every usable entry of a text in the partition; ``keys`` unsigned.
    The smallest hashes, spread over the whole text by their random order,
    taken from the uncommon ones while there are enough of those.
    """
    order = np.lexsort((keys, common, texts))
    return order[_rank_in_runs(texts[order]) < QUERY_KEYS]


def posting_ranges(sorted_keys: np.ndarray, query_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each query key's posting list starts in ``sorted_keys``, and its length.

    Needs the postings of every query key in the partition.
    """
    # Searching in key order walks the postings once; in query order every search misses the cache.
    order = np.argsort(query_keys)
    ordered = query_keys[order]
    lo = np.empty(len(order), dtype=np.int64)
    counts = np.empty(len(order), dtype=np.int64)
    lo[order] = np.searchsorted(sorted_keys, ordered, side="left")
    counts[order] = np.searchsorted(sorted_keys, ordered, side="right") - lo[order]
    return lo, counts


def hit_chunks(counts: np.ndarray, chunk: int, starts: np.ndarray | None = None) -> Iterator[tuple[int, int]]:
    """Ranges ``[a, b)`` of queries whose posting lists hold at most ``chunk`` hits together,
    so expanding them keeps memory flat; a query (or group) bigger than a chunk is one range.

    With ``starts`` (the ascending first index of each group of queries) a
    range never splits a group: the local engine counts a text's hits within
    one range. Without, every query is its own group.
    """
    n = len(counts)
    ends = np.cumsum(counts)
    groups = np.arange(n) if starts is None else starts
    a = 0
    while a < n:
        base = ends[a - 1] if a else 0
        b = int(np.searchsorted(ends, base + chunk, side="right"))
        b = int(groups[np.searchsorted(groups, b, side="right") - 1]) if b < n else b
        if b <= a:
            nxt = np.searchsorted(groups, a, side="right")
            b = int(groups[nxt]) if nxt < len(groups) else n
        yield a, b
        a = b


def expand(lo: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Indices of every entry of the posting lists ``[lo, lo + count)``, list after list."""
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    return np.repeat(lo - offsets, counts) + np.arange(int(counts.sum()))


def best_pairs(
    me: np.ndarray, other: np.ndarray, bar: np.ndarray, other_size: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(lo, hi)`` of each text and the best texts its query keys met.

    Takes one row per hit (text ``me`` with its bar, a text ``other`` holding
    one of its keys, and that text's size); needs every hit of a text in the
    partition. A text meets the texts holding at least ``MIN_QUERY_SHARE`` of
    its keys (hits counted per direction: x's keys found in y) and keeps the
    ``MAX_PARTNERS`` best: most keys found, then the larger text (the most
    complete version, the likeliest origin), then the earlier one. Copies of a
    story reposted hundreds of times all hold each other's keys; verifying
    every pair among them would be quadratic, while a few links each to its
    largest versions already put a copy in its group, next to its origin.
    A pair found from both ends appears twice.
    """
    keep = np.flatnonzero(me != other)
    if len(keep) == 0:
        return _EMPTY, _EMPTY
    me, other = me[keep], other[keep]
    # Hits per (text, other): one sort of the pairs, packed into one integer when the ids allow.
    span = int(other.max()) + 1
    if int(me.max()) < (np.iinfo(np.int64).max - span) // span:
        code = me * span + other
        order = np.argsort(code)
        code = code[order]
        start, hits = runs(code)
    else:
        order = np.lexsort((other, me))
        m, o = me[order], other[order]
        start = np.flatnonzero(np.concatenate([[True], (m[1:] != m[:-1]) | (o[1:] != o[:-1])]))
        hits = np.diff(np.concatenate([start, [len(m)]]))
    first = keep[order[start]]
    me, other, bar, other_size = me[order[start]], other[order[start]], bar[first], other_size[first]
    ok = hits >= np.maximum(1, np.ceil(MIN_QUERY_SHARE * bar))
    me, other, hits, other_size = me[ok], other[ok], hits[ok], other_size[ok]
    order = np.lexsort((other, -other_size, -hits, me))
    best = order[_rank_in_runs(me[order]) < MAX_PARTNERS]
    me, other = me[best], other[best]
    return np.minimum(me, other), np.maximum(me, other)


def containment_pairs(
    samples: Sequence[np.ndarray], sizes: np.ndarray, max_posting: int, expand_chunk: int
) -> tuple[np.ndarray, int]:
    """The containment search over one partition holding every text (the local engine).

    ``samples[i]`` and ``sizes[i]`` are text ``i``'s sampled hashes and shingle
    count. Gives pair keys ``lo * len(samples) + hi`` (sorted, unique) and the
    number of posting lists skipped as boilerplate.

    If x lies inside y, every sample of x is in y, so x's query finds y
    whatever y's size; a text that shares one paragraph or a site footer with x
    meets few of the keys, and common (footer) hashes are keys only for a text
    that has little else. Cost: the posting lengths of each text's keys, never
    L², expanded a chunk of texts at a time (``expand_chunk`` hits) so memory
    stays flat.
    """
    n = len(samples)
    lens = np.array([len(s) for s in samples], dtype=np.int64)
    keys = np.concatenate(samples) if n else np.zeros(0, np.uint64)
    owner = np.repeat(np.arange(n, dtype=np.int64), lens)
    keep, common, oversized = usable_postings(keys, max_posting)
    keys, owner = keys[keep], owner[keep]  # the usable postings, in key order
    del keep
    picked = pick_queries(keys, owner, common)
    if len(picked) == 0:
        return _EMPTY, oversized
    q_docs = owner[picked]
    lo, counts = posting_ranges(keys, keys[picked])
    bar = query_bar(lens)
    starts, _ = runs(q_docs)
    out: list[np.ndarray] = []
    for a, b in hit_chunks(counts, expand_chunk, starts):
        hit = expand(lo[a:b], counts[a:b])
        me, other = np.repeat(q_docs[a:b], counts[a:b]), owner[hit]
        x, y = best_pairs(me, other, bar[me], sizes[other])
        out.append(np.unique(x * n + y))
    return np.unique(np.concatenate(out)), oversized


# ---- heavy duplication: LSH banding -------------------------------------------------------------


def band_stars(
    band: np.ndarray, keys: np.ndarray, texts: np.ndarray, sizes: np.ndarray, cap: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """Pairs ``(hub, member)`` for every bucket (run of equal ``(band, key)``).

    Needs every entry of a bucket in the partition; ``sizes`` are the texts'
    shingle counts. The ``HUBS`` largest texts of a bucket are its hubs (the most
    complete version is the likeliest to hold the others) and each is paired
    with every later member: a bucket of L texts costs about ``HUBS * L`` pairs,
    not L². Buckets of one are dropped; buckets over ``cap`` are dropped and counted.
    """
    if len(keys) == 0:
        return _EMPTY, _EMPTY, 0
    order = np.lexsort((texts, -sizes, keys, band))
    k, g, d = keys[order], band[order], texts[order]
    first = np.concatenate([[True], (k[1:] != k[:-1]) | (g[1:] != g[:-1])])
    run_start = np.flatnonzero(first)
    run_len = np.diff(np.concatenate([run_start, [len(k)]]))
    oversized = int((run_len > cap).sum())
    ok = np.repeat((run_len > 1) & (run_len <= cap), run_len)
    start = np.repeat(run_start, run_len)
    rank = np.arange(len(k)) - start
    hubs, members = [], []
    for h in range(HUBS):
        sel = ok & (rank > h)
        hubs.append(d[start[sel] + h])
        members.append(d[sel])
    return np.concatenate(hubs).astype(np.int64), np.concatenate(members).astype(np.int64), oversized


def band_pairs(bands: np.ndarray, sizes: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray, int]:
    """:func:`band_stars` over one partition holding every text (the local engine).

    ``bands[i]`` are text ``i``'s band keys (0: the text has no samples),
    ``sizes[i]`` its shingle count. Gives (hub, member, buckets skipped).
    """
    m, n_bands = bands.shape
    band = np.tile(np.arange(n_bands, dtype=np.int64), m)
    texts = np.repeat(np.arange(m, dtype=np.int64), n_bands)
    keys = bands.ravel()
    has = keys != 0
    return band_stars(band[has], keys[has], texts[has], sizes[texts[has]], cap)
