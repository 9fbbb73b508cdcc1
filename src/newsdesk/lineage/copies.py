"""Lineage: which articles copy which, and which copy is the origin.

Takes clean :class:`Article` objects, gives :class:`CopyLink` edges ``copy -> origin``
(and, through :func:`find_copies_report`, counts of what the index did).

How it works, built to hold at a million articles:

1. **Shingles.** Each text becomes word 5-grams over normalised tokens (lower
   case, ``\\w+``), so a repost flattened into one paragraph or with curly
   quotes shingles the same. Each distinct token is hashed once (blake2b, so
   values agree across processes and runs); 5-gram hashes are then combined
   for the whole batch at once in numpy and kept per article as a sorted
   unique ``uint64`` array.
2. **Candidates, containment first.** A fixed share (about 1 in 6) of shingle
   hashes is *sampled by value*. Because the choice depends only on the
   shingle, the sample of an excerpt is a subset of the sample of the story
   it came from, so ``shared samples / samples of the smaller text`` estimates
   containment directly, whatever the size ratio (Broder's mod-m sketch). A
   MinHash/Jaccard index cannot do that: a 20% excerpt has Jaccard 0.2 with its
   source and would need size-partitioned thresholds (LSH Ensemble) to be found.
   Sampled hashes go into an inverted index (one numpy sort); each text queries
   it with a few of its samples and meets the texts holding most of them,
   expanded a chunk at a time (``EXPAND_CHUNK``) so memory stays flat. Of
   those it keeps its ``MAX_PARTNERS`` best (most keys found, then the longest
   text): copies of a story reposted hundreds of times all meet each other,
   and verifying every pair among them would be quadratic, while a few links
   to the longest versions already put a copy in its group beside its origin.
   Lists longer than ``MAX_POSTING`` are boilerplate (a site footer carried by
   thousands of pages): they are skipped and counted in the report.
3. **Candidates, heavy duplication.** A wire story reposted thousands of times
   has only over-long posting lists, so MinHash signatures over the sampled
   hashes (``BANDS`` x ``ROWS``, vectorised) go through LSH banding as well;
   a bucket again yields a star. Band buckets are keyed by several hashes at
   once, so a shared footer alone does not fill one.
4. **Exact verification.** Every candidate is checked on the full shingle sets
   (sorted-array intersection, batched per hub text in :func:`verify_pairs`,
   one numpy call for many pairs) before it becomes an edge: at least
   ``MIN_CONTAINMENT`` of the smaller text must lie inside the larger. A shared
   quote or press-release paragraph stays well below that.
5. **Origins.** Linked articles form copy groups (connected components). The
   origin of a group is the version that shows no repost traces (no "appeared
   first on" footer, no "[…]" truncation, not flattened into one paragraph),
   then the earliest published, then the most complete (most shingles), then
   the first read. Each other member points to the origin when it overlaps it
   enough, else to another origin of the group it does overlap, else it is an
   origin itself (a chain through a roundup does not glue unrelated stories).
   The rules for the origin and the copy kinds (exact, near, truncated,
   excerpt, edited) live in :mod:`newsdesk.lineage.origin`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from newsdesk.model import Article, CopyKind, CopyLink, Dropped
from newsdesk.lineage.origin import copy_groups, origin_rank, starts_like
from newsdesk.lineage.origin import copy_kind as kind_by_rules

log = logging.getLogger(__name__)

SHINGLE_SIZE = 5
#: Share of the smaller text that must lie inside the larger to call it a copy.
#: A shared quote or press-release paragraph stays far below it.
MIN_CONTAINMENT = 0.5
#: Texts with fewer shingles than this are too short to call copies.
MIN_SHINGLES = 8
#: A shingle is sampled when the top 6 bits of its hash are below this (10/64).
SAMPLE_OF_64 = 10
#: Each text queries the index with this many of its sampled hashes ...
QUERY_KEYS = 8
#: Hashes held by more texts than this are used as keys only when a text lacks rarer ones.
COMMON_DF = 64
#: ... and meets the texts that hold at least this share of them (the exact check decides).
MIN_QUERY_SHARE = 0.5
#: Each text keeps at most this many containment candidates (most keys found, then largest).
MAX_PARTNERS = 6
#: Query hits expanded at once in :func:`_containment_pairs`: bounds its temporary arrays.
EXPAND_CHUNK = 1 << 21
#: Hashes compared per numpy call in :func:`verify_pairs`.
VERIFY_CHUNK = 1 << 20
#: Posting lists longer than this are boilerplate and skipped.
MAX_POSTING = 1000
#: Band buckets longer than this are skipped too (a template page repeated verbatim).
MAX_BAND_BUCKET = 20000
BANDS, ROWS = 8, 3
#: Hubs per posting list or band bucket (see :func:`_stars`).
HUBS = 2
#: Articles processed per numpy batch: bounds the temporary arrays.
BATCH = 4096
HEAD_SHINGLES = 20

_TOKEN = re.compile(r"\w+")
_U64 = np.uint64
# Odd 64-bit multipliers: a 5-gram hash is a position-weighted sum of its token hashes.
_POS_MULT = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD],
    dtype=np.uint64,
)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower())


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: spreads every input bit over the output (wraps mod 2**64)."""
    x = x ^ (x >> _U64(30))
    x = x * _U64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> _U64(27))
    x = x * _U64(0x94D049BB133111EB)
    return x ^ (x >> _U64(31))


def _token_hash(token: str) -> int:
    # Python's hash() is salted per process; signatures must agree across runs and workers.
    return int.from_bytes(hashlib.blake2b(token.encode("utf-8"), digest_size=8).digest(), "little")


class _Vocab(dict[str, int]):
    """Token -> dense id; ``hashes[id]`` is the token's stable 64-bit hash."""

    def __init__(self) -> None:
        super().__init__()
        self.hashes: list[int] = []

    def __missing__(self, token: str) -> int:
        self[token] = len(self.hashes)
        self.hashes.append(_token_hash(token))
        return self[token]


@dataclass
class Sketches:
    """What lineage keeps of each article, by position in the input."""

    sets: list[np.ndarray] = field(default_factory=list)  # sorted unique shingle hashes
    heads: list[np.ndarray] = field(default_factory=list)  # first shingles, in text order
    lengths: list[int] = field(default_factory=list)  # shingles in text order (with repeats)
    digests: list[bytes] = field(default_factory=list)  # hash of the whole token sequence
    samples: list[np.ndarray] = field(default_factory=list)  # sampled hashes (subset of sets)

    def size(self, i: int) -> int:
        return len(self.sets[i])


def _shingle_batch(id_lists: Sequence[list[int]], token_hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """All 5-gram hashes of a batch, concatenated, and each text's start offset into them."""
    lens = np.fromiter((len(x) for x in id_lists), dtype=np.int64, count=len(id_lists))
    total = int(lens.sum())
    ids = np.fromiter(chain.from_iterable(id_lists), dtype=np.int64, count=total)
    h = token_hashes[ids]
    n = max(0, total - SHINGLE_SIZE + 1)
    acc = np.zeros(n, dtype=np.uint64)
    for k in range(SHINGLE_SIZE):
        acc += h[k : k + n] * _POS_MULT[k]
    sh = _mix(acc)
    # Keep only 5-grams that start and end inside one text.
    ends = np.cumsum(lens)
    starts = ends - lens
    counts = np.maximum(lens - SHINGLE_SIZE + 1, 0)
    keep = np.concatenate([np.arange(s, s + c) for s, c in zip(starts, counts, strict=True)] or [np.zeros(0, np.int64)])
    offsets = np.concatenate([[0], np.cumsum(counts)])
    return sh[keep.astype(np.int64)], offsets


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    # np.unique's hash-based path is several times slower on short arrays.
    s = np.sort(a)
    if len(s) < 2:
        return s
    return s[np.concatenate(([True], s[1:] != s[:-1]))]


def sketch(articles: Sequence[Article]) -> Sketches:
    """Shingle sets, heads, digests and samples of every article (batched numpy)."""
    vocab = _Vocab()
    out = Sketches()
    threshold = _U64(SAMPLE_OF_64)
    for b in range(0, len(articles), BATCH):
        batch = articles[b : b + BATCH]
        id_lists = [list(map(vocab.__getitem__, tokens(a.text))) for a in batch]
        token_hashes = np.array(vocab.hashes, dtype=np.uint64)
        shingles, offsets = _shingle_batch(id_lists, token_hashes)
        for k, ids in enumerate(id_lists):
            ordered = shingles[offsets[k] : offsets[k + 1]]
            uniq = _sorted_unique(ordered)
            out.sets.append(uniq)
            out.heads.append(ordered[:HEAD_SHINGLES].copy())
            out.lengths.append(len(ordered))
            out.digests.append(hashlib.blake2b(token_hashes[ids].tobytes(), digest_size=16).digest())
            out.samples.append(uniq[(uniq >> _U64(58)) < threshold])
    return out


@dataclass
class LineageReport:
    """What :func:`find_copies_report` found, and what its index left out."""

    links: list[CopyLink]
    candidates: int = 0
    verified: int = 0
    oversized_postings: int = 0  # boilerplate sample hashes skipped (e.g. a shared footer)
    oversized_band_buckets: int = 0
    dropped: list[Dropped] = field(default_factory=list)  # what the stage could not do (see link_copies)


def _stars(keys: np.ndarray, docs: np.ndarray, sizes: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray, int]:
    """Pairs (hub, member) for every run of equal ``keys``.

    The ``HUBS`` longest texts of a run are its hubs (the most complete version
    is the likeliest to hold the others) and each is paired with every later
    member: a run of length L costs about ``HUBS * L`` pairs, not L². Runs of one
    are dropped; runs longer than ``cap`` are dropped and counted.
    """
    empty = np.zeros(0, np.int64)
    if len(keys) == 0:
        return empty, empty, 0
    order = np.lexsort((docs, -sizes[docs], keys))
    k, d = keys[order], docs[order]
    first = np.concatenate([[True], k[1:] != k[:-1]])
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


def _pair_keys(a: np.ndarray, b: np.ndarray, n: int) -> np.ndarray:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return lo * n + hi


def _band_keys(samples: Sequence[np.ndarray], usable: np.ndarray) -> np.ndarray:
    """MinHash over each text's sampled hashes, folded into ``BANDS`` keys per text."""
    k = BANDS * ROWS
    rng = np.random.default_rng(20200122)  # fixed: signatures must be comparable across runs
    a = rng.integers(1, 2**63, size=k, dtype=np.uint64) | _U64(1)
    c = rng.integers(0, 2**63, size=k, dtype=np.uint64)
    sig = np.full((len(usable), k), np.iinfo(np.uint64).max, dtype=np.uint64)
    lens = np.array([len(samples[i]) for i in usable], dtype=np.int64)
    nonempty = lens > 0
    if nonempty.any():
        flat = np.concatenate([samples[i] for i in usable])
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])[nonempty]
        # The samples are already well-mixed hashes, so a multiply-add permutation
        # with one xor-shift suffices per row (a full _mix costs twice as much).
        buf = np.empty_like(flat)
        for j in range(k):
            np.multiply(flat, a[j], out=buf)
            buf += c[j]
            buf ^= buf >> _U64(29)
            sig[nonempty, j] = np.minimum.reduceat(buf, starts)
    bands = np.zeros((len(usable), BANDS), dtype=np.uint64)
    for band in range(BANDS):
        acc = np.zeros(len(usable), dtype=np.uint64) + _U64(band + 1)
        for r in range(ROWS):
            acc = _mix(acc * _POS_MULT[r] + sig[:, band * ROWS + r])
        bands[:, band] = acc
    bands[~nonempty] = 0
    return bands


def _doc_runs(sorted_docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and length of each run of equal values in a sorted array."""
    first = np.concatenate([[True], sorted_docs[1:] != sorted_docs[:-1]])
    start = np.flatnonzero(first)
    return start, np.diff(np.concatenate([start, [len(sorted_docs)]]))


def _best_partners(me: np.ndarray, other: np.ndarray, hits: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Mask of the ``MAX_PARTNERS`` best candidates of each text (``me`` sorted).

    Best: most query keys found, then the larger text (the most complete
    version, the likeliest origin), then the earlier one. Copies of a story
    reposted hundreds of times all hold each other's keys; verifying every
    pair among them would be quadratic, while a few links each to its largest
    versions already put the copy in the group and next to its origin.
    """
    order = np.lexsort((other, -sizes[other], -hits, me))
    start, run = _doc_runs(me[order])
    rank = np.arange(len(order)) - np.repeat(start, run)
    keep = np.zeros(len(order), dtype=bool)
    keep[order[rank < MAX_PARTNERS]] = True
    return keep


def _containment_pairs(sk: Sketches, usable: np.ndarray, n: int) -> tuple[np.ndarray, int]:
    """Pair keys from the sampled-hash index.

    Each text queries the index with ``QUERY_KEYS`` of its sampled hashes (the
    smallest, preferring uncommon ones) and meets every text that holds at
    least ``MIN_QUERY_SHARE`` of them; of those it keeps its ``MAX_PARTNERS``
    best (:func:`_best_partners`). If x lies inside y, every sample of x is
    in y, so the query finds y whatever y's size; a text that shares one
    paragraph or a site footer with x meets few of the keys, and common
    (footer) hashes are keys only for a text that has little else.
    Cost: the posting lengths of each text's keys, never L², expanded a chunk
    of texts at a time (``EXPAND_CHUNK`` hits) so memory stays flat.
    """
    lens = np.array([len(sk.samples[i]) for i in usable], dtype=np.int64)
    keys = np.concatenate([sk.samples[i] for i in usable])
    docs = np.repeat(usable, lens)
    order = np.argsort(keys)  # order inside a posting list does not matter
    keys, docs = keys[order], docs[order]
    del order
    run_start, run_len = _doc_runs(keys)
    posting = np.repeat(np.arange(len(run_start)), run_len)  # which posting list each entry is in
    df = run_len[posting]
    n_oversized = int((run_len > MAX_POSTING).sum())
    # Keys: the smallest hashes of each text that some other text holds too (a
    # hash only one text holds, such as an edited-in word, can find nothing),
    # spread over the whole text by their random order, and taken from hashes
    # held by at most COMMON_DF texts while there are enough of those.
    eligible = np.flatnonzero((df >= 2) & (df <= MAX_POSTING))
    common = df[eligible] > COMMON_DF
    # ``eligible`` is in key order; a stable sort on (text, common) keeps that order inside.
    by_doc = eligible[np.argsort(docs[eligible] * 2 + common, kind="stable")]
    del eligible, common, keys
    if len(by_doc) == 0:
        return np.zeros(0, np.int64), n_oversized
    doc_start, doc_len = _doc_runs(docs[by_doc])
    rank = np.arange(len(by_doc)) - np.repeat(doc_start, doc_len)
    pick = by_doc[rank < QUERY_KEYS]  # grouped by text: a chunk boundary never splits a text's keys
    del by_doc, rank
    q_docs = docs[pick]
    # The bar is set by how many samples the text has at all, not how many are shared.
    qlen = np.zeros(n, dtype=np.int64)
    qlen[usable] = np.minimum(lens, QUERY_KEYS)
    sizes = np.array([len(s) for s in sk.sets], dtype=np.int64)
    lo = run_start[posting[pick]]
    counts = df[pick]
    ends = np.cumsum(counts)
    q_first, _ = _doc_runs(q_docs)
    out: list[np.ndarray] = []
    a = 0
    while a < len(pick):
        # Extend the chunk text by text until it would expand to more than EXPAND_CHUNK hits.
        base = ends[a - 1] if a else 0
        b = int(np.searchsorted(ends, base + EXPAND_CHUNK, side="right"))
        b = int(q_first[np.searchsorted(q_first, b, side="right") - 1]) if b < len(pick) else b
        if b <= a:  # one text alone is bigger than a chunk
            nxt = np.searchsorted(q_first, a, side="right")
            b = int(q_first[nxt]) if nxt < len(q_first) else len(pick)
        out.append(_chunk_pairs(q_docs[a:b], lo[a:b], counts[a:b], docs, qlen, sizes, n))
        a = b
    pk = np.unique(np.concatenate(out)) if out else np.zeros(0, np.int64)
    return pk, n_oversized


def _chunk_pairs(
    q_docs: np.ndarray, lo: np.ndarray, counts: np.ndarray, docs: np.ndarray, qlen: np.ndarray, sizes: np.ndarray, n: int
) -> np.ndarray:
    """Pair keys found by one chunk of query keys (texts ``q_docs``, postings ``lo`` / ``counts``)."""
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offs = np.repeat(lo - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    other = docs[offs + np.arange(total)]
    me = np.repeat(q_docs, counts)
    keep = other != me
    # Hits are counted per direction: x's keys found in y.
    directed, hits = np.unique(me[keep] * n + other[keep], return_counts=True)
    need = np.maximum(1, np.ceil(MIN_QUERY_SHARE * qlen[directed // n]))
    ok = hits >= need
    directed, hits = directed[ok], hits[ok]
    me, other = directed // n, directed % n
    best = _best_partners(me, other, hits, sizes)
    return np.unique(_pair_keys(me[best], other[best], n))


def candidate_pairs(sk: Sketches, report: LineageReport | None = None) -> np.ndarray:
    """Candidate pairs as an (m, 2) array of indices (i < j) where one text may contain the other."""
    n = len(sk.sets)
    sizes = np.array([len(s) for s in sk.sets], dtype=np.int64)
    usable = np.flatnonzero(sizes >= MIN_SHINGLES)
    if len(usable) < 2:
        return np.zeros((0, 2), np.int64)
    # 1. containment: bottom-k queries against the inverted index of sampled hashes
    pk, oversized = _containment_pairs(sk, usable, n)
    # 2. heavy duplication: LSH banding over MinHash of the samples
    bands = _band_keys(sk.samples, usable)
    band_pairs = []
    band_oversized = 0
    for band in range(BANDS):
        has = bands[:, band] != 0
        h2, m2, over = _stars(bands[has, band], usable[has], sizes, MAX_BAND_BUCKET)
        band_oversized += over
        band_pairs.append(_pair_keys(h2, m2, n))
    allk = np.unique(np.concatenate([pk, *band_pairs]))
    if report is not None:
        report.candidates = len(allk)
        report.oversized_postings = oversized
        report.oversized_band_buckets = band_oversized
    if oversized or band_oversized:
        log.info("lineage: skipped %d boilerplate postings, %d band buckets", oversized, band_oversized)
    return np.stack([allk // n, allk % n], axis=1)


@dataclass(frozen=True)
class Overlap:
    a_in_b: float  # share of a's shingles found in b
    b_in_a: float
    jaccard: float


def shared_count(a: np.ndarray, b: np.ndarray) -> int:
    """Size of the intersection of two sorted unique arrays."""
    if len(a) > len(b):
        a, b = b, a
    if len(a) == 0:
        return 0
    idx = np.searchsorted(b, a)
    idx[idx == len(b)] = 0
    return int(np.count_nonzero(b[idx] == a))


def overlap_sets(a: np.ndarray, b: np.ndarray) -> Overlap:
    shared = shared_count(a, b)
    union = len(a) + len(b) - shared or 1
    return Overlap(a_in_b=shared / (len(a) or 1), b_in_a=shared / (len(b) or 1), jaccard=shared / union)


def verify_pairs(sk: Sketches, pairs: np.ndarray) -> np.ndarray:
    """Exact shared-shingle count of every candidate pair (rows of ``pairs``).

    Pairs are grouped by their busier end (a hub: the long version most
    copies were paired with), and each group's other ends are searched in the
    hub's sorted set in one numpy call of at most ``VERIFY_CHUNK`` hashes, so
    the cost is the hashes compared, not a Python call per pair.
    """
    out = np.zeros(len(pairs), dtype=np.int64)
    if len(pairs) == 0:
        return out
    deg = np.bincount(pairs.ravel(), minlength=len(sk.sets))
    swap = deg[pairs[:, 1]] > deg[pairs[:, 0]]
    hub = np.where(swap, pairs[:, 1], pairs[:, 0])
    member = np.where(swap, pairs[:, 0], pairs[:, 1])
    order = np.lexsort((member, hub))
    sizes = np.array([len(x) for x in sk.sets], dtype=np.int64)
    start, run = _doc_runs(hub[order])
    for s0, r in zip(start.tolist(), run.tolist(), strict=True):
        rows = order[s0 : s0 + r]
        h = sk.sets[int(hub[rows[0]])]
        cum = np.cumsum(sizes[member[rows]])
        a = 0
        while a < len(rows):
            # Members of this hub taken at once: up to VERIFY_CHUNK hashes (at least one member).
            b = max(a + 1, int(np.searchsorted(cum, (cum[a - 1] if a else 0) + VERIFY_CHUNK, side="right")))
            part = rows[a:b]
            flat = np.concatenate([sk.sets[m] for m in member[part].tolist()])
            idx = np.searchsorted(h, flat)
            idx[idx == len(h)] = 0
            found = h[idx] == flat
            bounds = np.concatenate([[0], np.cumsum(sizes[member[part]])[:-1]])
            out[part] = np.add.reduceat(found, bounds)
            a = b
    return out


def is_copy_pair(ov: Overlap) -> bool:
    return max(ov.a_in_b, ov.b_in_a) >= MIN_CONTAINMENT


def copy_kind(copy: Article, c: int, o: int, sk: Sketches, ov: Overlap) -> CopyKind:
    """Kind of article ``c`` relative to its origin ``o``; ``ov`` is their overlap (copy first)."""
    return kind_by_rules(
        copy,
        identical=sk.digests[c] == sk.digests[o],
        jaccard=ov.jaccard,
        copy_in_origin=ov.a_in_b,
        origin_in_copy=ov.b_in_a,
        holds_opening=lambda: starts_like(sk.sets[c], sk.heads[o], sk.lengths[o]),
    )


def _cached_overlap(i: int, j: int, sk: Sketches, verified: dict[tuple[int, int], Overlap]) -> Overlap:
    """overlap(i, j), i first, reusing what verification computed."""
    if (i, j) in verified:
        return verified[i, j]
    if (j, i) in verified:
        ov = verified[j, i]
        return Overlap(a_in_b=ov.b_in_a, b_in_a=ov.a_in_b, jaccard=ov.jaccard)
    return overlap_sets(sk.sets[i], sk.sets[j])


def _link_group(
    group: list[int],
    articles: Sequence[Article],
    sk: Sketches,
    adjacent: dict[int, list[int]],
    verified: dict[tuple[int, int], Overlap],
    links: list[CopyLink],
) -> None:
    """Link each member, best-ranked first, to the origin that holds most of it.

    The origins tried are the member's verified neighbours that are origins and
    the origins of its neighbours that are copies: local, so a group chained
    together through roundups costs its edges, not its size squared. A member
    that overlaps none of them is an origin itself. Links always point at
    origins, never at another copy."""
    ranked = sorted(group, key=lambda i: origin_rank(articles[i], sk.size(i), i))
    origin_of: dict[int, int] = {}
    for i in ranked:
        # Neighbours ranked before i are settled: each is an origin or points at one.
        tried = {origin_of[j] for j in adjacent.get(i, ()) if j in origin_of}
        best: tuple[float, tuple[int, str, int, int], int, Overlap] | None = None
        for j in tried:
            ov = _cached_overlap(i, j, sk, verified)
            rank = origin_rank(articles[j], sk.size(j), j)
            if is_copy_pair(ov) and (best is None or (-ov.a_in_b, rank) < (-best[0], best[1])):
                best = (ov.a_in_b, rank, j, ov)
        if best is None:
            origin_of[i] = i
            continue
        _, _, j, ov = best
        origin_of[i] = j
        links.append(
            CopyLink(
                copy=articles[i].id,
                origin=articles[j].id,
                kind=copy_kind(articles[i], i, j, sk, ov),
                containment=round(ov.a_in_b, 3),
                origin_containment=round(ov.b_in_a, 3),
                jaccard=round(ov.jaccard, 3),
            )
        )


class _Verified(dict[tuple[int, int], Overlap]):
    """Verified pairs -> :class:`Overlap`, stored as (shared, size a, size b) and built on
    lookup: most verified pairs are never looked up again, and objects cost more than tuples."""

    def __getitem__(self, key: tuple[int, int]) -> Overlap:
        c, a, b = super().__getitem__(key)  # type: ignore[misc]
        return Overlap(a_in_b=c / a, b_in_a=c / b, jaccard=c / (a + b - c))


def find_copies_report(articles: Sequence[Article]) -> LineageReport:
    """:func:`find_copies` plus what the index did (candidates, verified, skipped buckets)."""
    report = LineageReport(links=[])
    if len(articles) < 2:
        return report
    sk = sketch(articles)
    pairs = candidate_pairs(sk, report)
    shared = verify_pairs(sk, pairs)
    sizes = np.array([len(x) for x in sk.sets], dtype=np.int64)
    a_len, b_len = sizes[pairs[:, 0]], sizes[pairs[:, 1]]
    # is_copy_pair, vectorised: the smaller text is the one whose share counts.
    ok = shared >= MIN_CONTAINMENT * np.minimum(a_len, b_len)
    edges = [(i, j) for i, j in pairs[ok].tolist()]
    verified = _Verified(zip(edges, zip(shared[ok].tolist(), a_len[ok].tolist(), b_len[ok].tolist(), strict=True), strict=True))
    report.verified = len(edges)
    adjacent: dict[int, list[int]] = {}
    for i, j in edges:
        adjacent.setdefault(i, []).append(j)
        adjacent.setdefault(j, []).append(i)
    for group in copy_groups(len(articles), edges):
        _link_group(group, articles, sk, adjacent, verified, report.links)
    return report


def find_copies(articles: Sequence[Article]) -> list[CopyLink]:
    """Every article that copies another, linked to its origin."""
    return find_copies_report(articles).links


def origins(articles: Sequence[Article], links: Sequence[CopyLink]) -> list[str]:
    """Ids of the articles that copy no one: the independent sources."""
    copies = {link.copy for link in links}
    return [a.id for a in articles if a.id not in copies]
