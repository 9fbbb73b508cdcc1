"""Spark lineage: which articles copy which, as shuffles over :mod:`newsdesk.lineage`'s pieces.

Takes the articles frame (rows of :mod:`newsdesk.spark.rows`), gives the copy
links frame (copy, origin, kind, containment, origin_containment, jaccard)
and a :class:`newsdesk.lineage.LineageReport` of what the index did.

The steps are those of :func:`newsdesk.lineage.find_copies_report`, each run
where its data lives; every piece of logic is lineage's own function:

1. ``sketch`` per partition: shingle sets, samples, and the MinHash band keys
   (``_band_keys``): a document's signature depends only on its own text.
2. Candidates by containment (``_containment_pairs`` as four shuffles, each
   step numpy over one partition): sampled hashes grouped by value give each
   hash's document frequency (lists over ``MAX_POSTING`` are boilerplate:
   skipped and counted); each text queries with its rarest shared hashes and
   keeps the texts that hold enough of them. Lineage's constants and helpers
   throughout; the parity tests hold the two engines together.
3. Candidates by LSH banding: band keys shuffled by (band, key), ``_stars``
   again with the ``MAX_BAND_BUCKET`` cap: an oversized bucket (a footer on
   100,000 pages) is counted and skipped, never paired quadratically.
4. Exact verification on candidate pairs (``overlap_sets`` of the full sets,
   joined from the sketches), ``is_copy_pair``.
5. Copy groups: connected components (``copy_groups``) on the driver over the
   verified edge list, which is small next to the corpus.
6. Origins and kinds: each group on one executor, ``_link_group`` over its
   members in input order, so ties break as in the local engine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from newsdesk import lineage as L
from newsdesk.spark.rows import article_of

SKETCH_SCHEMA = "pos long, size long, n_samples long, shingles binary, samples binary, bands array<long>"
PAIR_SCHEMA = "lo long, hi long, oversized long"
EDGE_SCHEMA = "lo long, hi long, a_in_b double, b_in_a double, jaccard double"
#: ``group_first``/``seq`` put links back in the local engine's order (groups by first member, then ranked).
LINK_SCHEMA = (
    "copy string, origin string, kind string, containment double, origin_containment double, jaccard double,"
    " group_first long, seq long"
)
LINK_COLUMNS = ["copy", "origin", "kind", "containment", "origin_containment", "jaccard"]


def _u64(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint64)


def _sketch_partition(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    for pdf in batches:
        articles = [article_of(r) for r in pdf.to_dict("records")]
        sk = L.sketch(articles)
        sizes = np.array([len(s) for s in sk.sets], dtype=np.int64)
        bands = L._band_keys(sk.samples, np.arange(len(articles)))
        yield pd.DataFrame(
            {
                "pos": pdf["pos"].to_numpy(),
                "size": sizes,
                "n_samples": np.array([len(s) for s in sk.samples], dtype=np.int64),
                "shingles": [s.tobytes() for s in sk.sets],
                "samples": [s.tobytes() for s in sk.samples],
                "bands": list(bands.view(np.int64)),
            }
        )


def _whole(batches: Iterator[pd.DataFrame]) -> pd.DataFrame | None:
    """A shuffle partition at once: ``_stars`` needs every member of a key together."""
    frames = [b for b in batches if len(b)]
    return pd.concat(frames, ignore_index=True) if frames else None


def _stars_rows(keys: np.ndarray, pos: np.ndarray, size: np.ndarray, cap: int) -> tuple[np.ndarray, np.ndarray, int]:
    # Dense local ids in input order: _stars breaks size ties by id, the local engine by position.
    uniq, local = np.unique(pos, return_inverse=True)
    sizes = np.zeros(len(uniq), dtype=np.int64)
    sizes[local] = size
    hub, member, oversized = L._stars(keys, local.astype(np.int64), sizes, cap)
    return uniq[hub], uniq[member], oversized


def _pairs_frame(a: np.ndarray, b: np.ndarray, oversized: int) -> pd.DataFrame:
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    df = pd.DataFrame({"lo": lo, "hi": hi, "oversized": np.zeros(len(lo), dtype=np.int64)})
    # The count of skipped lists travels as one marker row (lo = -1) per partition.
    marker = pd.DataFrame({"lo": [-1], "hi": [-1], "oversized": [oversized]})
    return pd.concat([df, marker], ignore_index=True)


def _band_stars(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    pdf = _whole(batches)
    if pdf is None:
        return
    los, his, over = [], [], 0
    for _, part in pdf.groupby("band", sort=True):
        keys = part["key"].to_numpy().view(np.uint64)
        h, m, o = _stars_rows(keys, part["pos"].to_numpy(), part["size"].to_numpy(), L.MAX_BAND_BUCKET)
        los.append(h)
        his.append(m)
        over += o
    yield _pairs_frame(np.concatenate(los), np.concatenate(his), over)


def _verify(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    for pdf in batches:
        rows = []
        for lo, hi, a, b in zip(pdf["lo"], pdf["hi"], pdf["a_set"], pdf["b_set"], strict=True):
            ov = L.overlap_sets(_u64(a), _u64(b))
            if L.is_copy_pair(ov):
                rows.append((lo, hi, ov.a_in_b, ov.b_in_a, ov.jaccard))
        yield pd.DataFrame(rows, columns=["lo", "hi", "a_in_b", "b_in_a", "jaccard"])


POSTING_SCHEMA = "key long, pos long, size long, q long, common boolean"
QUERY_SCHEMA = "key long, pos long, size long, q long, common boolean, query boolean"
HIT_SCHEMA = "me long, q long, others array<long>, other_sizes array<long>"


def _explode_samples(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """Sketch rows -> one posting (sampled hash, text) per sample, with what the later steps need of the text."""
    for pdf in batches:
        keys = [_u64(s).view(np.int64) for s in pdf["samples"]]
        counts = np.array([len(k) for k in keys], dtype=np.int64)
        yield pd.DataFrame(
            {
                "key": np.concatenate(keys) if keys else np.zeros(0, np.int64),
                "pos": np.repeat(pdf["pos"].to_numpy(), counts),
                "size": np.repeat(pdf["size"].to_numpy(), counts),
                # The bar is set by how many samples the text has at all, not how many are shared.
                "q": np.repeat(np.minimum(pdf["n_samples"].to_numpy(), L.QUERY_KEYS), counts),
                "common": np.zeros(int(counts.sum()), dtype=bool),
            }
        )


def _posting_lists(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """A key partition: each hash's document frequency; postings of the usable hashes, and a marker row
    (pos = -1, size = number of oversized lists) for the boilerplate hashes skipped."""
    pdf = _whole(batches)
    if pdf is None:
        return
    pdf = pdf.sort_values("key", kind="stable", ignore_index=True)
    _, run = L._doc_runs(pdf["key"].to_numpy())
    df = np.repeat(run, run)
    keep = (df >= 2) & (df <= L.MAX_POSTING)
    out = pdf[keep].copy()
    out["common"] = df[keep] > L.COMMON_DF
    marker = pd.DataFrame(
        {"key": [0], "pos": [-1], "size": [int((run > L.MAX_POSTING).sum())], "q": [0], "common": [False]}
    )
    yield pd.concat([out, marker], ignore_index=True)


def _pick_queries(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """A text partition: each text's ``QUERY_KEYS`` keys, the smallest hashes, uncommon ones first."""
    pdf = _whole(batches)
    if pdf is None:
        return
    ukey = pdf["key"].to_numpy().view(np.uint64)
    order = np.lexsort((ukey, pdf["common"].to_numpy(), pdf["pos"].to_numpy()))
    pos = pdf["pos"].to_numpy()[order]
    start, run = L._doc_runs(pos)
    rank = np.arange(len(order)) - np.repeat(start, run)
    picked = pdf.iloc[order[rank < L.QUERY_KEYS]]
    yield picked.assign(query=True)


def _arrow_whole(batches: Iterator[pa.RecordBatch]) -> pa.Table | None:
    """A shuffle partition at once, as one Arrow table (``mapInArrow``)."""
    frames = [b for b in batches if b.num_rows]
    return pa.Table.from_batches(frames) if frames else None


def _np(table: pa.Table, col: str) -> np.ndarray:
    return table.column(col).to_numpy()


def _expand_queries(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """A key partition of postings and queries: each query with the posting list of its key.

    One row per query (text, its bar, the texts holding the key and their
    sizes, as Arrow lists): the hits are counted per text in the next step,
    and a list moves through the shuffle as one flat buffer, not a row per hit.
    """
    table = _arrow_whole(batches)
    if table is None:
        return
    is_q = _np(table, "query")
    key, pos, size = _np(table, "key"), _np(table, "pos"), _np(table, "size")
    order = np.argsort(key[~is_q], kind="stable")
    pkey, ppos, psize = key[~is_q][order], pos[~is_q][order], size[~is_q][order]
    qkey, me, q = key[is_q], pos[is_q], _np(table, "q")[is_q]
    lo = np.searchsorted(pkey, qkey, side="left")
    counts = np.searchsorted(pkey, qkey, side="right") - lo
    ends = np.cumsum(counts)
    a = 0
    while a < len(counts):
        # At most EXPAND_CHUNK hits at once: bounds the temporary arrays.
        b = max(a + 1, int(np.searchsorted(ends, (ends[a - 1] if a else 0) + L.EXPAND_CHUNK, side="right")))
        c = counts[a:b]
        offsets = np.concatenate([[0], np.cumsum(c)]).astype(np.int32)
        flat = np.repeat(lo[a:b] - offsets[:-1], c) + np.arange(int(offsets[-1]))
        yield pa.RecordBatch.from_arrays(
            [
                pa.array(me[a:b]),
                pa.array(q[a:b]),
                pa.ListArray.from_arrays(pa.array(offsets), pa.array(ppos[flat])),
                pa.ListArray.from_arrays(pa.array(offsets), pa.array(psize[flat])),
            ],
            names=["me", "q", "others", "other_sizes"],
        )
        a = b


def _best_pairs(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """A text partition of queries with their posting lists: the texts holding at least
    ``MIN_QUERY_SHARE`` of each text's keys, its ``MAX_PARTNERS`` best (``lineage._best_partners``)."""
    table = _arrow_whole(batches)
    if table is None:
        return
    others = table.column("others").combine_chunks()
    lengths = others.value_lengths().to_numpy(zero_copy_only=False)
    me = np.repeat(_np(table, "me"), lengths)
    q = np.repeat(_np(table, "q"), lengths)
    other = others.flatten().to_numpy()
    size = table.column("other_sizes").combine_chunks().flatten().to_numpy()
    keep = me != other
    me, other, q, size = me[keep], other[keep], q[keep], size[keep]
    # Hits per (text, other): how many of the text's keys the other holds.
    order = np.lexsort((other, me))
    me, other, q, size = me[order], other[order], q[order], size[order]
    first = np.flatnonzero(np.concatenate([[True], (me[1:] != me[:-1]) | (other[1:] != other[:-1])]))
    hits = np.diff(np.concatenate([first, [len(me)]]))
    me, other, q, size = me[first], other[first], q[first], size[first]
    ok = hits >= np.maximum(1, np.ceil(L.MIN_QUERY_SHARE * q))
    me, other, hits, size = me[ok], other[ok], hits[ok], size[ok]
    if len(me) == 0:
        return
    # Dense ids keep the positions' order, so _best_partners breaks ties as lineage does.
    uniq, dense = np.unique(other, return_inverse=True)
    sizes = np.zeros(len(uniq), dtype=np.int64)
    sizes[dense] = size
    best = L._best_partners(me, dense.astype(np.int64), hits, sizes)
    me, other = me[best], other[best]
    yield pa.RecordBatch.from_arrays(
        [pa.array(np.minimum(me, other)), pa.array(np.maximum(me, other))], names=["lo", "hi"]
    )


def containment_candidates(
    usable: DataFrame, partitions: int, cached: list[DataFrame] | None = None
) -> tuple[DataFrame, DataFrame]:
    """``lineage._containment_pairs`` as four shuffles, each step numpy over one partition.

    1. postings by hash: document frequencies; lists over ``MAX_POSTING`` are
       boilerplate (skipped and counted), hashes only one text holds can find nothing;
    2. usable postings by text: each text's ``QUERY_KEYS`` keys (smallest first,
       those held by more than ``COMMON_DF`` texts last);
    3. queries and postings by hash: every text each key meets;
    4. hits by text: the texts holding at least ``MIN_QUERY_SHARE`` of its keys,
       its ``MAX_PARTNERS`` best (``lineage._best_partners``).

    Gives pairs (lo < hi) and the number of oversized posting lists. Lineage's
    own constants and helpers throughout; ``test_spark`` compares the candidate sets.
    """
    postings = (
        usable.select("pos", "size", "n_samples", "samples")
        .mapInPandas(_explode_samples, POSTING_SCHEMA)
        .repartition(partitions, "key")
        .mapInPandas(_posting_lists, POSTING_SCHEMA)
        .persist()
    )
    if cached is not None:
        cached.append(postings)  # the caller unpersists once the candidates are collected
    oversized = postings.where("pos < 0").select(F.sum("size").alias("oversized"))
    lists = postings.where("pos >= 0")
    queries = lists.repartition(partitions, "pos").mapInPandas(_pick_queries, QUERY_SCHEMA)
    hits = (
        lists.withColumn("query", F.lit(False))
        .unionByName(queries)
        .repartition(partitions, "key")
        .mapInArrow(_expand_queries, HIT_SCHEMA)
    )
    pairs = hits.repartition(partitions, "me").mapInArrow(_best_pairs, "lo long, hi long")
    return pairs, oversized


def candidates(
    sketches: DataFrame, partitions: int, cached: list[DataFrame] | None = None
) -> tuple[DataFrame, DataFrame]:
    """Candidate pairs (lo < hi, positions) and the counts of skipped lists/buckets (lineage.candidate_pairs)."""
    usable = sketches.where(F.col("size") >= L.MIN_SHINGLES)
    cached = [] if cached is None else cached
    by_containment, oversized = containment_candidates(usable, partitions, cached)
    bands = (
        usable.select("pos", "size", F.posexplode("bands").alias("band", "key"))
        .where(F.col("key") != 0)
        .repartition(partitions, "band", "key")
        .mapInPandas(_band_stars, PAIR_SCHEMA)
        .cache()
    )
    cached.append(bands)
    pairs = by_containment.unionByName(bands.where("lo >= 0").select("lo", "hi")).distinct()
    markers = oversized.select(F.lit("postings").alias("what"), "oversized").unionByName(
        bands.where("lo < 0").select(F.lit("bands").alias("what"), "oversized")
    )
    return pairs, markers


def verified_edges(pairs: DataFrame, sketches: DataFrame) -> DataFrame:
    sets = sketches.select("pos", "shingles")
    joined = pairs.join(sets.withColumnRenamed("pos", "lo").withColumnRenamed("shingles", "a_set"), "lo").join(
        sets.withColumnRenamed("pos", "hi").withColumnRenamed("shingles", "b_set"), "hi"
    )
    return joined.select("lo", "hi", "a_set", "b_set").mapInPandas(_verify, EDGE_SCHEMA)


EDGE_COLUMNS = ["hi", "a_in_b", "b_in_a", "jaccard"]
EDGE_LISTS_SCHEMA = "pos long, hi array<long>, a_in_b array<double>, b_in_a array<double>, jaccard array<double>"


def _link_partition(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """A partition of whole copy groups (members, each with the edges it is the lower end of) -> links.

    One sketch and one Python call per partition, not per group: a 100k
    corpus has tens of thousands of small groups, and a call per group costs
    more than the group. Members are indexed in input order across the
    partition, so ``_link_group`` breaks ties as the local engine does.
    """
    pdf = _whole(batches)
    if pdf is None:
        return
    pdf = pdf.sort_values("pos", ignore_index=True)
    pos = pdf["pos"].to_numpy()
    articles = [article_of(r) for r in pdf.drop(columns=["group", *EDGE_COLUMNS]).to_dict("records")]
    sk = L.sketch(articles)
    has = pdf["hi"].notna().to_numpy()
    counts = np.array([len(x) for x in pdf["hi"][has]], dtype=np.int64)
    lo = np.repeat(np.flatnonzero(has), counts)
    flat = {c: np.concatenate(list(pdf[c][has])) if len(counts) else np.zeros(0) for c in EDGE_COLUMNS}
    hi = np.searchsorted(pos, flat["hi"].astype(np.int64))
    verified: dict[tuple[int, int], Any] = {}
    adjacent: dict[int, list[int]] = {}
    for k in np.lexsort((hi, lo)).tolist():  # edges in (lo, hi) order, as the local engine adds them
        i, j = int(lo[k]), int(hi[k])
        verified[i, j] = L.Overlap(a_in_b=flat["a_in_b"][k], b_in_a=flat["b_in_a"][k], jaccard=flat["jaccard"][k])
        adjacent.setdefault(i, []).append(j)
        adjacent.setdefault(j, []).append(i)
    rows: list[tuple[Any, ...]] = []
    for members in pdf.groupby("group", sort=False).indices.values():
        links: list[Any] = []
        group = sorted(members.tolist())
        L._link_group(group, articles, sk, adjacent, verified, links)
        first = int(pos[group[0]])
        rows += [
            (x.copy, x.origin, x.kind, x.containment, x.origin_containment, x.jaccard, first, k)
            for k, x in enumerate(links)
        ]
    yield pd.DataFrame(rows, columns=[*LINK_COLUMNS, "group_first", "seq"])


def find_copies(
    articles: DataFrame, partitions: int, timings: dict[str, float] | None = None
) -> tuple[DataFrame, L.LineageReport]:
    """Copy links of the articles frame, and the lineage report (counts only; links stay in Spark).

    ``timings``, when given, gains the seconds of the candidate and the
    verification steps; the links themselves are computed when first used.
    """
    spark = articles.sparkSession
    clock = time.perf_counter()
    sketches = articles.select("pos", "id", "path", "text").mapInPandas(_sketch_partition, SKETCH_SCHEMA).cache()
    cached = [sketches]
    pairs, markers = candidates(sketches, partitions, cached)
    pairs = pairs.cache()
    cached.append(pairs)
    report = L.LineageReport(links=[], candidates=pairs.count())
    for what, total in markers.groupBy("what").sum("oversized").collect():
        if what == "postings":
            report.oversized_postings = int(total or 0)
        else:
            report.oversized_band_buckets = int(total or 0)
    if timings is not None:
        timings["lineage: sketch+candidates"] = time.perf_counter() - clock
        clock = time.perf_counter()
    edges = verified_edges(pairs, sketches).toPandas().sort_values(["lo", "hi"], ignore_index=True)
    report.verified = len(edges)
    for frame in cached:  # what the links need is on the driver now; free the executors' memory
        frame.unpersist()
    if timings is not None:
        timings["lineage: verify"] = time.perf_counter() - clock
    if edges.empty:
        return spark.createDataFrame([], LINK_SCHEMA), report
    # Components on the driver over the edge list, with dense ids in input order.
    nodes = np.unique(np.concatenate([edges["lo"].to_numpy(), edges["hi"].to_numpy()]))
    dense = {int(p): k for k, p in enumerate(nodes)}
    groups = L.copy_groups(
        len(nodes), [(dense[int(a)], dense[int(b)]) for a, b in zip(edges["lo"], edges["hi"], strict=True)]
    )
    group_of = {int(nodes[k]): g for g, members in enumerate(groups) for k in members}
    # Each verified edge rides on its lower member's row, so one frame holds a group's members and edges.
    # The driver holds the edge list anyway; joined to the groups here, it reaches the texts in one
    # broadcast join, and each text moves once, to its group's partition.
    by_lo = edges.groupby("lo", sort=False).agg({c: list for c in EDGE_COLUMNS}).reset_index()
    assign = pd.DataFrame({"pos": list(group_of), "group": list(group_of.values())})
    assign = assign.merge(by_lo.rename(columns={"lo": "pos"}), on="pos", how="left")
    for c in EDGE_COLUMNS:  # members that are only ever the higher end carry no lists (null, not NaN)
        assign[c] = assign[c].astype(object).where(assign[c].notna(), None)
    assign_df = spark.createDataFrame(assign[["pos", *EDGE_COLUMNS, "group"]], f"{EDGE_LISTS_SCHEMA}, group long")
    cols = ["pos", "id", "path", "text", "published", "published_precision", "published_source", "signals"]
    members = articles.select(*cols).join(F.broadcast(assign_df), "pos")
    links = members.repartition(partitions, "group").mapInPandas(_link_partition, LINK_SCHEMA)
    return links, report
