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
   expanded a chunk at a time (setting ``lineage.expand_chunk``) so memory
   stays flat. Of those it keeps its ``MAX_PARTNERS`` best (most keys found,
   then the longest text): copies of a story reposted hundreds of times all
   meet each other, and verifying every pair among them would be quadratic,
   while a few links to the longest versions already put a copy in its group
   beside its origin. Lists longer than ``lineage.max_posting`` are
   boilerplate (a site footer carried by thousands of pages): they are
   skipped and counted in the report.
3. **Candidates, heavy duplication.** A wire story reposted thousands of times
   has only over-long posting lists, so MinHash signatures over the sampled
   hashes (``BANDS`` x ``ROWS``, vectorised) go through LSH banding as well;
   a bucket yields a star (buckets over ``lineage.max_band_bucket`` are
   skipped and counted). Band buckets are keyed by several hashes at once, so
   a shared footer alone does not fill one.

   Both searches are kernels in :mod:`newsdesk.lineage.candidates`, run here
   over the whole batch and by Spark per partition.
4. **Exact verification.** Every candidate is checked on the full shingle sets
   (sorted-array intersection, batched per hub text in :func:`verify_pairs`,
   one numpy call for many pairs) before it becomes an edge: at least
   ``EDGE_CONTAINMENT`` of the smaller text must lie inside the larger. A copy
   needs ``MIN_CONTAINMENT`` (a shared quote or press-release paragraph stays
   well below it), or, below that, sentence alignment
   (:mod:`newsdesk.lineage.align`): a rewrite keeps most of its source's
   sentences, in order, with most of their content words.
5. **Origins.** Linked articles form copy groups (connected components). The
   origin of a group is the version that shows no repost traces (no "appeared
   first on" footer, no "[…]" truncation, not flattened into one paragraph),
   then the earliest published, then the most complete (most shingles), then
   the first read. Each other member points to the origin when it overlaps it
   enough, else to another origin of the group it does overlap, else (a cut
   of a cut) to the origin of a copy it lies mostly inside when that copy lies
   mostly inside its origin, else it is an origin itself (a chain through a
   roundup does not glue unrelated stories).
   The rules for the origin and the copy kinds (exact, near, truncated,
   excerpt, edited; rewrite, condensed, update for aligned copies) live in
   :mod:`newsdesk.lineage.origin`.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np

from newsdesk.lineage.align import Sentences, rewrite_share, sentences
from newsdesk.lineage.candidates import band_pairs, containment_pairs, runs
from newsdesk.lineage.origin import copy_groups, origin_rank, rewrite_kind, starts_like
from newsdesk.lineage.origin import copy_kind as kind_by_rules
from newsdesk.model import Article, CopyKind, CopyLink, Dropped
from newsdesk.settings import LineageSettings

log = logging.getLogger(__name__)

SHINGLE_SIZE = 5
#: Share of the smaller text that must lie inside the larger to call it a copy.
#: A shared quote or press-release paragraph stays far below it.
MIN_CONTAINMENT = 0.5
#: Share of the smaller text inside the larger that makes a verified pair an edge of a copy
#: group: a copy above ``MIN_CONTAINMENT``, a rewrite candidate (sentence alignment) above this.
EDGE_CONTAINMENT = 0.1
#: Articles whose sentences :func:`link_groups` keeps split at once.
SENTENCE_CACHE = 16384
#: Texts with fewer shingles than this are too short to call copies.
MIN_SHINGLES = 8
#: A shingle is sampled when the top 6 bits of its hash are below this (10/64).
SAMPLE_OF_64 = 10
#: Hashes compared per numpy call in :func:`verify_pairs`.
VERIFY_CHUNK = 1 << 20
#: MinHash bands x rows per band: a band key needs all of its rows' minima to agree, so
#: near-identical texts meet in some band while texts sharing a little rarely do.
BANDS, ROWS = 8, 3
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


def band_keys(samples: Sequence[np.ndarray]) -> np.ndarray:
    """MinHash over each text's sampled hashes, folded into ``BANDS`` keys per text (row ``i``:
    ``samples[i]``; 0 for a text without samples). A text's keys depend on its samples alone."""
    k = BANDS * ROWS
    rng = np.random.default_rng(20200122)  # fixed: signatures must be comparable across runs
    a = rng.integers(1, 2**63, size=k, dtype=np.uint64) | _U64(1)
    c = rng.integers(0, 2**63, size=k, dtype=np.uint64)
    sig = np.full((len(samples), k), np.iinfo(np.uint64).max, dtype=np.uint64)
    lens = np.array([len(x) for x in samples], dtype=np.int64)
    nonempty = lens > 0
    if nonempty.any():
        flat = np.concatenate(samples)
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])[nonempty]
        # The samples are already well-mixed hashes, so a multiply-add permutation
        # with one xor-shift suffices per row (a full _mix costs twice as much).
        buf = np.empty_like(flat)
        for j in range(k):
            np.multiply(flat, a[j], out=buf)
            buf += c[j]
            buf ^= buf >> _U64(29)
            sig[nonempty, j] = np.minimum.reduceat(buf, starts)
    bands = np.zeros((len(samples), BANDS), dtype=np.uint64)
    for band in range(BANDS):
        acc = np.zeros(len(samples), dtype=np.uint64) + _U64(band + 1)
        for r in range(ROWS):
            acc = _mix(acc * _POS_MULT[r] + sig[:, band * ROWS + r])
        bands[:, band] = acc
    bands[~nonempty] = 0
    return bands


def candidate_pairs(
    sk: Sketches, report: LineageReport | None = None, settings: LineageSettings | None = None
) -> np.ndarray:
    """Candidate pairs as an (m, 2) array of indices (i < j) where one text may contain the other:
    the kernels of :mod:`newsdesk.lineage.candidates` over the whole batch as one partition."""
    settings = settings or LineageSettings()
    n = len(sk.sets)
    sizes = np.array([len(s) for s in sk.sets], dtype=np.int64)
    usable = np.flatnonzero(sizes >= MIN_SHINGLES)
    if len(usable) < 2:
        return np.zeros((0, 2), np.int64)
    samples = [sk.samples[i] for i in usable]
    # 1. containment: bottom-k queries against the inverted index of sampled hashes
    pk, oversized = containment_pairs(samples, sizes[usable], settings.max_posting, settings.expand_chunk)
    m = len(usable)
    # 2. heavy duplication: LSH banding over MinHash of the samples
    hubs, members, band_oversized = band_pairs(band_keys(samples), sizes[usable], settings.max_band_bucket)
    lo = usable[np.concatenate([pk // m, np.minimum(hubs, members)])]
    hi = usable[np.concatenate([pk % m, np.maximum(hubs, members)])]
    allk = np.unique(lo * n + hi)
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


def verify_pairs(sk: Sketches, pairs: np.ndarray, chunk: int = VERIFY_CHUNK) -> np.ndarray:
    """Exact shared-shingle count of every candidate pair (rows of ``pairs``).

    Pairs are grouped by their busier end (a hub: the long version most
    copies were paired with), and each group's other ends are searched in the
    hub's sorted set in one numpy call of at most ``chunk`` hashes, so
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
    start, run = runs(hub[order])
    for s0, r in zip(start.tolist(), run.tolist(), strict=True):
        rows = order[s0 : s0 + r]
        h = sk.sets[int(hub[rows[0]])]
        cum = np.cumsum(sizes[member[rows]])
        a = 0
        while a < len(rows):
            # Members of this hub taken at once: up to ``chunk`` hashes (at least one member).
            b = max(a + 1, int(np.searchsorted(cum, (cum[a - 1] if a else 0) + chunk, side="right")))
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


def is_edge(ov: Overlap) -> bool:
    """Enough shared text to join a copy group: a copy, or a rewrite to check by alignment."""
    return max(ov.a_in_b, ov.b_in_a) >= EDGE_CONTAINMENT


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


def _cached_overlap(i: int, j: int, sk: Sketches, verified: Mapping[tuple[int, int], Overlap]) -> Overlap:
    """overlap(i, j), i first, reusing what verification computed."""
    if (i, j) in verified:
        return verified[i, j]
    if (j, i) in verified:
        ov = verified[j, i]
        return Overlap(a_in_b=ov.b_in_a, b_in_a=ov.a_in_b, jaccard=ov.jaccard)
    return overlap_sets(sk.sets[i], sk.sets[j])


def link_groups(
    articles: Sequence[Article],
    sk: Sketches,
    edges: Iterable[tuple[int, int]],
    verified: Mapping[tuple[int, int], Overlap],
    groups: Iterable[Sequence[int]],
) -> list[list[CopyLink]]:
    """The copy links of each copy group, in the order of ``groups``.

    Articles are named by their index in ``articles`` (and ``sk``), which must
    be input order: ties between equally good origins break by it. ``edges``
    are the verified pairs ``(i, j)``, ``i < j``, in ascending order; ``verified``
    holds their overlaps. The local engine passes the whole batch; Spark the
    members of the groups one partition holds, with the edges among them.
    """
    adjacent: dict[int, list[int]] = {}
    for i, j in edges:
        adjacent.setdefault(i, []).append(j)
        adjacent.setdefault(j, []).append(i)
    split = _SentenceCache(articles)  # sentences, split when a rewrite is checked
    return [_link_group(group, articles, sk, adjacent, verified, split) for group in groups]


def stock_sentences(near: Sequence[int], split: Mapping[int, Sentences]) -> frozenset[frozenset[str]]:
    """Sentences found word for word in more than half of the texts ``near`` one (it and its
    verified neighbours), and in at least three: a footer or stock paragraph, no evidence that
    one text rewrote another."""
    counts: Counter[frozenset[str]] = Counter()
    for i in near:
        counts.update(set(split[i].words))
    floor = max(2, len(near) // 2)
    return frozenset(words for words, n in counts.items() if n > floor)


class _SentenceCache(dict[int, Sentences]):
    """Articles' sentences for alignment, split when first needed; at most :data:`SENTENCE_CACHE`
    of them are kept (the oldest go), so a huge copy group costs bounded memory."""

    def __init__(self, articles: Sequence[Article]) -> None:
        super().__init__()
        self.articles = articles

    def __missing__(self, i: int) -> Sentences:
        if len(self) >= SENTENCE_CACHE:
            del self[next(iter(self))]
        value = self[i] = sentences(self.articles[i].text)
        return value


def _link_group(
    group: Sequence[int],
    articles: Sequence[Article],
    sk: Sketches,
    adjacent: Mapping[int, list[int]],
    verified: Mapping[tuple[int, int], Overlap],
    split: Mapping[int, Sentences],
) -> list[CopyLink]:
    """Link each member, best-ranked first, to the origin that holds most of it: a copy
    by shared text first, else a rewrite by aligned sentences.

    The origins tried are the member's verified neighbours that are origins and
    the origins of its neighbours that are copies: local, so a group chained
    together through roundups costs its edges, not its size squared. A member
    that overlaps none of them is an origin itself, unless it lies mostly inside
    a neighbour that lies mostly inside its own origin (a cut of a cut): then it
    links to that origin, with its kind against the copy it came through. Links
    always point at origins, never at another copy."""
    ranked = sorted(group, key=lambda i: origin_rank(articles[i], sk.size(i), i))
    links: list[CopyLink] = []
    origin_of: dict[int, int] = {}
    inside: dict[int, float] = {}  # a copy by shared text -> the share of its shingles inside its origin

    for i in ranked:
        # Neighbours ranked before i are settled: each is an origin or points at one.
        tried = {origin_of[j] for j in adjacent.get(i, ()) if j in origin_of}
        best: tuple[tuple[int, float, tuple[int, str, int, int]], int, Overlap, float | None] | None = None
        stock: frozenset[frozenset[str]] | None = None  # i's neighbourhood's stock sentences, when needed
        for j in sorted(tried):
            ov = _cached_overlap(i, j, sk, verified)
            shared = is_copy_pair(ov)
            share: float | None = None
            if not shared:
                if stock is None:
                    stock = stock_sentences([i, *adjacent[i]], split)
                share = rewrite_share(split[i], split[j], stock)
                if share is None:
                    continue
            key = (0 if shared else 1, -ov.a_in_b, origin_rank(articles[j], sk.size(j), j))
            if best is None or key < best[0]:
                best = (key, j, ov, share)
        kind: CopyKind | None = None
        if best is None:
            # Through a copy: i lies mostly inside a neighbour that lies mostly inside its origin
            # (a shorter cut of a cut of the wire story). Only that way round: a roundup that
            # holds a copy's text is not a copy of the copy's origin.
            for j in sorted(n for n in adjacent.get(i, ()) if inside.get(n, 0.0) >= MIN_CONTAINMENT):
                ov_j = _cached_overlap(i, j, sk, verified)
                if ov_j.a_in_b >= MIN_CONTAINMENT:
                    via_kind, share = copy_kind(articles[i], i, j, sk, ov_j), None
                elif len(split[i]) <= len(split[j]):
                    if stock is None:
                        stock = stock_sentences([i, *adjacent[i]], split)
                    share = rewrite_share(split[i], split[j], stock)
                    if share is None:
                        continue
                    via_kind = rewrite_kind(len(split[i]), len(split[j]))
                else:
                    continue
                o = origin_of[j]
                best = ((2, -ov_j.a_in_b, origin_rank(articles[o], sk.size(o), o)), o, _cached_overlap(i, o, sk, verified), share)
                kind = via_kind
                break
        if best is None:
            origin_of[i] = i
            continue
        key, j, ov, share = best
        origin_of[i] = j
        if kind is None:  # (else: i's kind against the copy it came through)
            kind = copy_kind(articles[i], i, j, sk, ov) if key[0] == 0 else rewrite_kind(len(split[i]), len(split[j]))
        if key[0] == 0:
            inside[i] = ov.a_in_b
        links.append(
            CopyLink(
                copy=articles[i].id,
                origin=articles[j].id,
                kind=kind,
                containment=round(ov.a_in_b, 3),
                origin_containment=round(ov.b_in_a, 3),
                jaccard=round(ov.jaccard, 3),
                aligned=None if share is None else round(share, 3),
            )
        )
    return links


class _Verified(dict[tuple[int, int], Overlap]):
    """Verified pairs -> :class:`Overlap`, stored as (shared, size a, size b) and built on
    lookup: most verified pairs are never looked up again, and objects cost more than tuples."""

    def __getitem__(self, key: tuple[int, int]) -> Overlap:
        c, a, b = super().__getitem__(key)  # type: ignore[misc]
        return Overlap(a_in_b=c / a, b_in_a=c / b, jaccard=c / (a + b - c))


def find_copies_report(articles: Sequence[Article], settings: LineageSettings | None = None) -> LineageReport:
    """:func:`find_copies` plus what the index did (candidates, verified, skipped buckets)."""
    report = LineageReport(links=[])
    if len(articles) < 2:
        return report
    sk = sketch(articles)
    pairs = candidate_pairs(sk, report, settings)
    shared = verify_pairs(sk, pairs)
    sizes = np.array([len(x) for x in sk.sets], dtype=np.int64)
    a_len, b_len = sizes[pairs[:, 0]], sizes[pairs[:, 1]]
    # is_edge, vectorised: the smaller text is the one whose share counts.
    ok = shared >= EDGE_CONTAINMENT * np.minimum(a_len, b_len)
    edges = [(i, j) for i, j in pairs[ok].tolist()]
    verified = _Verified(zip(edges, zip(shared[ok].tolist(), a_len[ok].tolist(), b_len[ok].tolist(), strict=True), strict=True))
    report.verified = len(edges)
    for links in link_groups(articles, sk, edges, verified, copy_groups(len(articles), edges)):
        report.links.extend(links)
    return report


def find_copies(articles: Sequence[Article], settings: LineageSettings | None = None) -> list[CopyLink]:
    """Every article that copies another, linked to its origin."""
    return find_copies_report(articles, settings).links


def origins(articles: Sequence[Article], links: Sequence[CopyLink]) -> list[str]:
    """Ids of the articles that copy no one: the independent sources."""
    copies = {link.copy for link in links}
    return [a.id for a in articles if a.id not in copies]
