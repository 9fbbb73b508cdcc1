"""Spark lineage: which articles copy which, lineage's kernels moved between partitions.

Takes the articles frame (rows of :mod:`newsdesk.spark.rows`), gives the copy
links frame (copy, origin, kind, containment, origin_containment, jaccard, aligned)
and a :class:`newsdesk.lineage.LineageReport` of what the index did.

The steps are those of :func:`newsdesk.lineage.find_copies_report`; this
module only shuffles the data so that each partition holds what a kernel of
:mod:`newsdesk.lineage.candidates` (or :mod:`newsdesk.lineage.copies`) needs,
and calls it there with the :class:`newsdesk.settings.LineageSettings` the
driver was given:

1. ``sketch`` and ``band_keys`` per partition: a text's shingles, samples and
   band keys depend only on its own text.
2. Candidates by containment, four shuffles: by hash (``usable_postings``),
   by text (``pick_queries``), by hash (``posting_ranges``, ``hit_chunks``,
   ``expand``), by text (``best_pairs``).
3. Candidates by LSH banding: band keys shuffled by (band, key), ``band_stars``.
4. Exact verification on candidate pairs (``overlap_sets`` of the full sets,
   joined from the sketches), ``is_edge`` (a copy, or a rewrite that linking checks by sentence alignment).
5. Copy groups: connected components (``copy_groups``) on the driver over the
   verified edge list, which is small next to the corpus.
6. Origins and kinds: whole groups per partition, ``link_groups`` over their
   members in input order, so ties break as in the local engine.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from newsdesk.lineage import LineageReport, Overlap, band_keys, copy_groups, link_groups, overlap_sets, sketch
from newsdesk.lineage.candidates import (
    band_stars,
    best_pairs,
    expand,
    hit_chunks,
    pick_queries,
    posting_ranges,
    query_bar,
    usable_postings,
)
from newsdesk.lineage.copies import MIN_SHINGLES, is_edge
from newsdesk.settings import LineageSettings
from newsdesk.spark.rows import article_of

SKETCH_SCHEMA = "pos long, size long, n_samples long, shingles binary, samples binary, bands array<long>"
PAIR_SCHEMA = "lo long, hi long, oversized long"
EDGE_SCHEMA = "lo long, hi long, a_in_b double, b_in_a double, jaccard double"
#: ``group_first``/``seq`` put links back in the local engine's order (groups by first member, then ranked).
LINK_SCHEMA = (
    "copy string, origin string, kind string, containment double, origin_containment double, jaccard double,"
    " aligned double, group_first long, seq long"
)
LINK_COLUMNS = ["copy", "origin", "kind", "containment", "origin_containment", "jaccard", "aligned"]
POSTING_SCHEMA = "key long, pos long, size long, q long, common boolean"
QUERY_SCHEMA = "key long, pos long, size long, q long, common boolean, query boolean"
HIT_SCHEMA = "me long, q long, others array<long>, other_sizes array<long>"

Batches = Iterator[pd.DataFrame]


def _u64(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype=np.uint64)


def _whole(batches: Batches) -> pd.DataFrame | None:
    """A shuffle partition at once: a kernel needs every entry of its key (or text) together."""
    frames = [b for b in batches if len(b)]
    return pd.concat(frames, ignore_index=True) if frames else None


def _arrow_whole(batches: Iterator[pa.RecordBatch]) -> pa.Table | None:
    """A shuffle partition at once, as one Arrow table (``mapInArrow``)."""
    frames = [b for b in batches if b.num_rows]
    return pa.Table.from_batches(frames) if frames else None


def _np(table: pa.Table, col: str) -> np.ndarray:
    return table.column(col).to_numpy()


def _sketch_partition(batches: Batches) -> Batches:
    for pdf in batches:
        sk = sketch([article_of(r) for r in pdf.to_dict("records")])
        yield pd.DataFrame(
            {
                "pos": pdf["pos"].to_numpy(),
                "size": np.array([len(s) for s in sk.sets], dtype=np.int64),
                "n_samples": np.array([len(s) for s in sk.samples], dtype=np.int64),
                "shingles": [s.tobytes() for s in sk.sets],
                "samples": [s.tobytes() for s in sk.samples],
                "bands": list(band_keys(sk.samples).view(np.int64)),
            }
        )


def _explode_samples(batches: Batches) -> Batches:
    """Sketch rows -> one posting (sampled hash, text) per sample, with what the later steps need of the text."""
    for pdf in batches:
        keys = [_u64(s).view(np.int64) for s in pdf["samples"]]
        counts = np.array([len(k) for k in keys], dtype=np.int64)
        yield pd.DataFrame(
            {
                "key": np.concatenate(keys) if keys else np.zeros(0, np.int64),
                "pos": np.repeat(pdf["pos"].to_numpy(), counts),
                "size": np.repeat(pdf["size"].to_numpy(), counts),
                "q": np.repeat(query_bar(pdf["n_samples"].to_numpy()), counts),
                "common": np.zeros(int(counts.sum()), dtype=bool),
            }
        )


def _posting_lists(max_posting: int, batches: Batches) -> Batches:
    """A key partition -> its usable postings (``usable_postings``), and a marker row
    (pos = -1, size = number of lists skipped) for the boilerplate hashes."""
    pdf = _whole(batches)
    if pdf is None:
        return
    keep, common, oversized = usable_postings(pdf["key"].to_numpy(), max_posting)
    marker = pd.DataFrame({"key": [0], "pos": [-1], "size": [oversized], "q": [0], "common": [False]})
    yield pd.concat([pdf.iloc[keep].assign(common=common), marker], ignore_index=True)


def _pick_queries(batches: Batches) -> Batches:
    """A text partition of usable postings -> each text's query keys (``pick_queries``)."""
    pdf = _whole(batches)
    if pdf is None:
        return
    keys = pdf["key"].to_numpy().view(np.uint64)  # the smallest hashes, as unsigned
    picked = pick_queries(keys, pdf["pos"].to_numpy(), pdf["common"].to_numpy())
    yield pdf.iloc[picked].assign(query=True)


def _expand_queries(expand_chunk: int, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """A key partition of postings and queries -> each query with the posting list of its key.

    One row per query (text, its bar, the texts holding the key and their
    sizes, as Arrow lists): the hits are counted per text in the next step,
    and a list moves through the shuffle as one flat buffer, not a row per hit.
    """
    table = _arrow_whole(batches)
    if table is None:
        return
    is_q = _np(table, "query")
    key, pos, size = _np(table, "key"), _np(table, "pos"), _np(table, "size")
    order = np.argsort(key[~is_q])
    pkey, ppos, psize = key[~is_q][order], pos[~is_q][order], size[~is_q][order]
    me, q = pos[is_q], _np(table, "q")[is_q]
    lo, counts = posting_ranges(pkey, key[is_q])
    for a, b in hit_chunks(counts, expand_chunk):
        hit = expand(lo[a:b], counts[a:b])
        offsets = pa.array(np.concatenate([[0], np.cumsum(counts[a:b])]).astype(np.int32))
        yield pa.RecordBatch.from_arrays(
            [
                pa.array(me[a:b]),
                pa.array(q[a:b]),
                pa.ListArray.from_arrays(offsets, pa.array(ppos[hit])),
                pa.ListArray.from_arrays(offsets, pa.array(psize[hit])),
            ],
            names=["me", "q", "others", "other_sizes"],
        )


def _best_pairs(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    """A text partition of queries with their posting lists -> its best pairs (``best_pairs``)."""
    table = _arrow_whole(batches)
    if table is None:
        return
    others = table.column("others").combine_chunks()
    lengths = others.value_lengths().to_numpy(zero_copy_only=False)
    lo, hi = best_pairs(
        np.repeat(_np(table, "me"), lengths),
        others.flatten().to_numpy(),
        np.repeat(_np(table, "q"), lengths),
        table.column("other_sizes").combine_chunks().flatten().to_numpy(),
    )
    if len(lo):
        yield pa.RecordBatch.from_arrays([pa.array(lo), pa.array(hi)], names=["lo", "hi"])


def _band_stars(cap: int, batches: Batches) -> Batches:
    """A (band, key) partition -> hub/member pairs of its buckets (``band_stars``) and a marker
    row (lo = -1) with the number of buckets skipped."""
    pdf = _whole(batches)
    if pdf is None:
        return
    hubs, members, oversized = band_stars(
        pdf["band"].to_numpy(), pdf["key"].to_numpy(), pdf["pos"].to_numpy(), pdf["size"].to_numpy(), cap
    )
    pairs = pd.DataFrame(
        {"lo": np.minimum(hubs, members), "hi": np.maximum(hubs, members), "oversized": np.zeros(len(hubs), np.int64)}
    )
    marker = pd.DataFrame({"lo": [-1], "hi": [-1], "oversized": [oversized]})
    yield pd.concat([pairs, marker], ignore_index=True)


def _verify(batches: Batches) -> Batches:
    for pdf in batches:
        rows = []
        for lo, hi, a, b in zip(pdf["lo"], pdf["hi"], pdf["a_set"], pdf["b_set"], strict=True):
            ov = overlap_sets(_u64(a), _u64(b))
            if is_edge(ov):
                rows.append((lo, hi, ov.a_in_b, ov.b_in_a, ov.jaccard))
        yield pd.DataFrame(rows, columns=["lo", "hi", "a_in_b", "b_in_a", "jaccard"])


def containment_candidates(
    usable: DataFrame, partitions: int, settings: LineageSettings, cached: list[DataFrame] | None = None
) -> tuple[DataFrame, DataFrame]:
    """The containment search of :mod:`newsdesk.lineage.candidates` as four shuffles.

    1. postings by hash: ``usable_postings`` (lists over ``settings.max_posting``
       are boilerplate: skipped and counted);
    2. usable postings by text: ``pick_queries``;
    3. queries and postings by hash: ``posting_ranges`` and ``expand``, at most
       ``settings.expand_chunk`` hits per batch;
    4. hits by text: ``best_pairs``.

    Gives pairs (lo < hi) and the number of oversized posting lists.
    """
    postings = (
        usable.select("pos", "size", "n_samples", "samples")
        .mapInPandas(_explode_samples, POSTING_SCHEMA)
        .repartition(partitions, "key")
        .mapInPandas(partial(_posting_lists, settings.max_posting), POSTING_SCHEMA)
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
        .mapInArrow(partial(_expand_queries, settings.expand_chunk), HIT_SCHEMA)
    )
    pairs = hits.repartition(partitions, "me").mapInArrow(_best_pairs, "lo long, hi long")
    return pairs, oversized


def candidates(
    sketches: DataFrame, partitions: int, settings: LineageSettings, cached: list[DataFrame] | None = None
) -> tuple[DataFrame, DataFrame]:
    """Candidate pairs (lo < hi, positions) and the counts of skipped lists/buckets (lineage.candidate_pairs)."""
    usable = sketches.where(F.col("size") >= MIN_SHINGLES)
    cached = [] if cached is None else cached
    by_containment, oversized = containment_candidates(usable, partitions, settings, cached)
    bands = (
        usable.select("pos", "size", F.posexplode("bands").alias("band", "key"))
        .where(F.col("key") != 0)
        .repartition(partitions, "band", "key")
        .mapInPandas(partial(_band_stars, settings.max_band_bucket), PAIR_SCHEMA)
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


def _link_partition(batches: Batches) -> Batches:
    """A partition of whole copy groups (members, each with the edges it is the lower end of) -> links.

    One sketch and one ``link_groups`` call per partition, not per group: a
    100k corpus has tens of thousands of small groups, and a call per group
    costs more than the group. Members are indexed in input order across the
    partition, so ties break as in the local engine.
    """
    pdf = _whole(batches)
    if pdf is None:
        return
    pdf = pdf.sort_values("pos", ignore_index=True)
    pos = pdf["pos"].to_numpy()
    articles = [article_of(r) for r in pdf.drop(columns=["group", *EDGE_COLUMNS]).to_dict("records")]
    has = pdf["hi"].notna().to_numpy()
    counts = np.array([len(x) for x in pdf["hi"][has]], dtype=np.int64)
    lo = np.repeat(np.flatnonzero(has), counts)
    flat = {c: np.concatenate(list(pdf[c][has])) if len(counts) else np.zeros(0) for c in EDGE_COLUMNS}
    hi = np.searchsorted(pos, flat["hi"].astype(np.int64))
    order = np.lexsort((hi, lo)).tolist()  # edges in (lo, hi) order, as the local engine adds them
    edges = [(int(lo[k]), int(hi[k])) for k in order]
    verified = {
        e: Overlap(a_in_b=flat["a_in_b"][k], b_in_a=flat["b_in_a"][k], jaccard=flat["jaccard"][k])
        for e, k in zip(edges, order, strict=True)
    }
    groups = [sorted(members.tolist()) for members in pdf.groupby("group", sort=False).indices.values()]
    rows: list[tuple[Any, ...]] = []
    for group, links in zip(groups, link_groups(articles, sketch(articles), edges, verified, groups), strict=True):
        first = int(pos[group[0]])
        rows += [
            (x.copy, x.origin, x.kind, x.containment, x.origin_containment, x.jaccard, x.aligned, first, k)
            for k, x in enumerate(links)
        ]
    yield pd.DataFrame(rows, columns=[*LINK_COLUMNS, "group_first", "seq"])


def find_copies(
    articles: DataFrame,
    partitions: int,
    timings: dict[str, float] | None = None,
    settings: LineageSettings | None = None,
) -> tuple[DataFrame, LineageReport]:
    """Copy links of the articles frame, and the lineage report (counts only; links stay in Spark).

    ``settings`` reach the executors as arguments of the partition steps.
    ``timings``, when given, gains the seconds of the candidate and the
    verification steps; the links themselves are computed when first used.
    """
    settings = settings or LineageSettings()
    spark = articles.sparkSession
    clock = time.perf_counter()
    sketches = articles.select("pos", "id", "path", "text").mapInPandas(_sketch_partition, SKETCH_SCHEMA).cache()
    cached = [sketches]
    pairs, markers = candidates(sketches, partitions, settings, cached)
    pairs = pairs.cache()
    cached.append(pairs)
    report = LineageReport(links=[], candidates=pairs.count())
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
    groups = copy_groups(
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
