"""Spark lineage: which articles copy which, as shuffles over :mod:`newsdesk.lineage`'s pieces.

Takes the articles frame (rows of :mod:`newsdesk.spark.rows`), gives the copy
links frame (copy, origin, kind, containment, origin_containment, jaccard)
and a :class:`newsdesk.lineage.LineageReport` of what the index did.

The steps are those of :func:`newsdesk.lineage.find_copies_report`, each run
where its data lives; every piece of logic is lineage's own function:

1. ``sketch`` per partition: shingle sets, samples, and the MinHash band keys
   (``_band_keys``): a document's signature depends only on its own text.
2. Candidates by containment (``_containment_pairs`` as joins): sampled hashes
   grouped by value give each hash's document frequency (lists over
   ``MAX_POSTING`` are boilerplate: skipped and counted); each text queries
   with its rarest shared hashes and keeps the texts that hold enough of
   them. These few lines of Spark SQL mirror lineage's numpy and use its
   constants; the parity tests hold the two together.
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

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame, Window
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


def _explode_samples(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    for pdf in batches:
        keys = [_u64(s).view(np.int64) for s in pdf["samples"]]
        counts = np.array([len(k) for k in keys], dtype=np.int64)
        yield pd.DataFrame(
            {
                "key": np.concatenate(keys) if keys else np.zeros(0, np.int64),
                "pos": np.repeat(pdf["pos"].to_numpy(), counts),
            }
        )


def _verify(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    for pdf in batches:
        rows = []
        for lo, hi, a, b in zip(pdf["lo"], pdf["hi"], pdf["a_set"], pdf["b_set"], strict=True):
            ov = L.overlap_sets(_u64(a), _u64(b))
            if L.is_copy_pair(ov):
                rows.append((lo, hi, ov.a_in_b, ov.b_in_a, ov.jaccard))
        yield pd.DataFrame(rows, columns=["lo", "hi", "a_in_b", "b_in_a", "jaccard"])


def _unsigned(col: str) -> Any:
    # Spark longs sort signed; lineage orders uint64 hashes. Flipping the top bit maps one order onto the other.
    return F.col(col).bitwiseXOR(F.lit(-(2**63)))


def containment_candidates(usable: DataFrame) -> tuple[DataFrame, DataFrame]:
    """``lineage._containment_pairs`` as shuffles. Gives pairs (lo < hi) and the number of
    oversized posting lists.

    Each text queries the inverted index of sampled hashes with ``QUERY_KEYS``
    of its hashes that another text holds too (smallest first, those held by
    more than ``COMMON_DF`` texts last) and meets the texts holding at least
    ``MIN_QUERY_SHARE`` of them. This mirrors lineage's numpy step for step
    with its constants; ``test_spark`` compares the two candidate sets.
    """
    postings = usable.select("pos", "samples").mapInPandas(_explode_samples, "key long, pos long").cache()
    df = postings.groupBy("key").agg(F.count("*").alias("df"))
    oversized = df.where(F.col("df") > L.MAX_POSTING).select(F.count("*").alias("oversized"))
    eligible = postings.join(df.where((F.col("df") >= 2) & (F.col("df") <= L.MAX_POSTING)), "key")
    order = Window.partitionBy("pos").orderBy(F.col("df") > L.COMMON_DF, _unsigned("key"))
    queries = eligible.withColumn("r", F.row_number().over(order)).where(F.col("r") <= L.QUERY_KEYS).select(
        F.col("pos").alias("me"), "key"
    )
    hits = (
        queries.join(postings.withColumnRenamed("pos", "other"), "key")
        .where(F.col("me") != F.col("other"))
        .groupBy("me", "other")
        .count()
    )
    # The bar is set by how many samples the text has at all, not how many are shared.
    qlen = usable.select(F.col("pos").alias("me"), F.least(F.col("n_samples"), F.lit(L.QUERY_KEYS)).alias("q"))
    need = F.greatest(F.lit(1.0), F.ceil(F.lit(L.MIN_QUERY_SHARE) * F.col("q")))
    found = hits.join(qlen, "me").where(F.col("count") >= need)
    # lineage._best_partners: each text keeps its MAX_PARTNERS best candidates
    # (most keys found, then the larger text, then the earlier one).
    sizes = usable.select(F.col("pos").alias("other"), F.col("size").alias("other_size"))
    best = Window.partitionBy("me").orderBy(F.col("count").desc(), F.col("other_size").desc(), F.col("other"))
    found = (
        found.join(sizes, "other")
        .withColumn("rank", F.row_number().over(best))
        .where(F.col("rank") <= L.MAX_PARTNERS)
    )
    pairs = found.select(F.least("me", "other").alias("lo"), F.greatest("me", "other").alias("hi"))
    return pairs, oversized


def candidates(sketches: DataFrame, partitions: int) -> tuple[DataFrame, DataFrame]:
    """Candidate pairs (lo < hi, positions) and the counts of skipped lists/buckets (lineage.candidate_pairs)."""
    usable = sketches.where(F.col("size") >= L.MIN_SHINGLES)
    by_containment, oversized = containment_candidates(usable)
    bands = (
        usable.select("pos", "size", F.posexplode("bands").alias("band", "key"))
        .where(F.col("key") != 0)
        .repartition(partitions, "band", "key")
        .mapInPandas(_band_stars, PAIR_SCHEMA)
        .cache()
    )
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


def _link_groups(members: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """cogroup body: one copy group's members (input order) and its verified edges -> links."""
    members = members.sort_values("pos")
    articles = [article_of(r) for r in members.to_dict("records")]
    index = {int(p): k for k, p in enumerate(members["pos"])}
    sk = L.sketch(articles)
    verified: dict[tuple[int, int], Any] = {}
    adjacent: dict[int, list[int]] = {}
    for lo, hi, a, b, j in edges.sort_values(["lo", "hi"]).itertuples(index=False):
        i, k = index[int(lo)], index[int(hi)]
        verified[i, k] = L.Overlap(a_in_b=a, b_in_a=b, jaccard=j)
        adjacent.setdefault(i, []).append(k)
        adjacent.setdefault(k, []).append(i)
    links: list[Any] = []
    L._link_group(list(range(len(articles))), articles, sk, adjacent, verified, links)
    first = int(members["pos"].iloc[0])
    return pd.DataFrame(
        [(x.copy, x.origin, x.kind, x.containment, x.origin_containment, x.jaccard, first, k)
         for k, x in enumerate(links)],
        columns=[*LINK_COLUMNS, "group_first", "seq"],
    )


def find_copies(articles: DataFrame, partitions: int) -> tuple[DataFrame, L.LineageReport]:
    """Copy links of the articles frame, and the lineage report (counts only; links stay in Spark)."""
    spark = articles.sparkSession
    sketches = articles.select("pos", "id", "path", "text").mapInPandas(_sketch_partition, SKETCH_SCHEMA).cache()
    pairs, markers = candidates(sketches, partitions)
    pairs = pairs.cache()
    edges = verified_edges(pairs, sketches).toPandas().sort_values(["lo", "hi"], ignore_index=True)
    report = L.LineageReport(links=[], candidates=pairs.count(), verified=len(edges))
    for what, total in markers.groupBy("what").sum("oversized").collect():
        if what == "postings":
            report.oversized_postings = int(total or 0)
        else:
            report.oversized_band_buckets = int(total or 0)
    if edges.empty:
        return spark.createDataFrame([], LINK_SCHEMA), report
    # Components on the driver over the edge list, with dense ids in input order.
    nodes = np.unique(np.concatenate([edges["lo"].to_numpy(), edges["hi"].to_numpy()]))
    dense = {int(p): k for k, p in enumerate(nodes)}
    groups = L.copy_groups(len(nodes), [(dense[int(a)], dense[int(b)]) for a, b in zip(edges["lo"], edges["hi"], strict=True)])
    group_of = {int(nodes[k]): g for g, members in enumerate(groups) for k in members}
    assign = spark.createDataFrame(pd.DataFrame({"pos": list(group_of), "group": list(group_of.values())}))
    edges["group"] = [group_of[int(p)] for p in edges["lo"]]
    edge_df = spark.createDataFrame(edges)
    cols = ["pos", "id", "path", "text", "published", "published_precision", "published_source", "signals"]
    members = articles.select(*cols).join(F.broadcast(assign), "pos")
    links = (
        members.groupBy("group")
        .cogroup(edge_df.groupBy("group"))
        .applyInPandas(lambda m, e: _link_groups(m.drop(columns=["group"]), e.drop(columns=["group"])), LINK_SCHEMA)
    )
    sketches.unpersist()
    return links, report
