"""newsdesk on Spark: the same pipeline, run as Spark jobs, handing back DataFrames.

    >>> from newsdesk.spark import session, run, write        # doctest: +SKIP
    >>> spark = session("local[2]")                             # doctest: +SKIP
    >>> result = run(spark, ["examples/corpus"])                # doctest: +SKIP
    >>> result.stories.select("id", "title").show()             # doctest: +SKIP
    >>> write(result, "out/")                                   # doctest: +SKIP

Takes a SparkSession and input paths (or a DataFrame: records with a text
column, or ``binaryFile`` rows), gives a :class:`SparkResult` of DataFrames:
articles, annotations, lineage (copy links), stories (with each story's brief
as JSON text), dropped. Every stage calls the local engine's stage entry
points (:mod:`newsdesk.stage`) per partition or per story, so an item a stage
cannot do becomes a dropped row, as locally, never a failed job (see
:mod:`newsdesk.spark.inputs`, :mod:`newsdesk.spark.copies`,
:mod:`newsdesk.spark.stories`); story assignment runs on the driver. The
:class:`newsdesk.settings.Settings` given to :func:`run` travel to the
executors as arguments of the partition functions.

Needs the ``spark`` extra (pyspark 4, pyarrow) and Java 17.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from newsdesk.ingest.common import Options
from newsdesk.lineage import LineageReport
from newsdesk.settings import Settings, from_environment
from newsdesk.spark import copies, inputs, stories
from newsdesk.spark.rows import ANNOTATIONS_SCHEMA, STORY_SCHEMA

__all__ = ["SparkResult", "default_partitions", "run", "session", "write"]

#: Columns of ``articles/``, in order.
ARTICLE_COLUMNS = (
    "id", "path", "url", "title", "publisher", "published", "published_precision", "copy_of", "copy_kind",
    "story", "byline", "language", "signals", "text",
)


def session(master: str = "local[*]", app: str = "newsdesk", driver_memory: str = "2g",
            partitions: int | None = None, conf: Mapping[str, str] | None = None) -> SparkSession:
    """A SparkSession for newsdesk: ``local[N]``, ``spark://HOST:7077`` or Spark Connect ``sc://HOST:15002``.

    Python workers run this interpreter (so they import the same newsdesk)
    unless PYSPARK_PYTHON says otherwise; on a real cluster install the wheel
    on every node or ship it with ``--py-files``/an archive.
    """
    if master.startswith("sc://"):
        builder = SparkSession.builder.remote(master)
    else:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        builder = (
            SparkSession.builder.master(master)
            .config("spark.driver.memory", driver_memory)
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.python.worker.reuse", "true")  # models load once per Python worker
        )
    builder = builder.appName(app).config("spark.sql.execution.arrow.maxRecordsPerBatch", "1000")
    if partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions))
    for key, value in (conf or {}).items():
        builder = builder.config(key, value)
    return builder.getOrCreate()


def default_partitions(spark: SparkSession) -> int:
    try:
        return max(2, 2 * spark.sparkContext.defaultParallelism)
    except Exception:  # noqa: BLE001 - Spark Connect has no SparkContext
        return int(spark.conf.get("spark.sql.shuffle.partitions") or 8)


@dataclass
class SparkResult:
    """The pipeline's output as DataFrames (``stories`` and ``annotations`` are None for ``stages="copies"``)."""

    articles: DataFrame
    lineage: DataFrame
    dropped: DataFrame
    annotations: DataFrame | None = None
    stories: DataFrame | None = None
    profiles: DataFrame | None = None  # independent sources' story profiles, for a later run's --stories
    report: LineageReport = field(default_factory=lambda: LineageReport(links=[]))
    timings: dict[str, float] = field(default_factory=dict)
    cached: list[DataFrame] = field(default_factory=list, repr=False)

    def release(self) -> None:
        """Unpersist the frames ``run`` cached, once they are written or no longer needed."""
        for frame in self.cached:
            frame.unpersist()
        self.cached.clear()


def run(
    spark: SparkSession,
    data: Sequence[str] | str | DataFrame,
    *,
    partitions: int | None = None,
    columns: Mapping[str, str] | None = None,
    max_bytes: int | None = None,
    stages: str = "brief",
    stories_from: str | None = None,
    settings: Settings | None = None,
) -> SparkResult:
    """Run the pipeline on Spark. ``stages`` is ``"copies"`` (ingest, clean, lineage) or
    ``"brief"`` (everything: annotate, lineage, cluster, brief).

    ``settings`` (default: :func:`newsdesk.settings.from_environment` on the
    driver) are read on the driver and passed to every stage; ``max_bytes``,
    when given, overrides ``settings.ingest.max_bytes``.

    ``stories_from`` is the output folder of an earlier run: its stories are
    continued (new articles join them under their ids, or open new stories)
    instead of clustering this run's articles on their own.

    Lineage and clustering are computed eagerly (their results steer the next
    stage); the returned frames are cached, so writing them does not recompute.
    """
    if stages not in ("copies", "brief"):
        raise ValueError(f"stages must be 'copies' or 'brief', not {stages!r}")
    if stories_from and stages != "brief":
        raise ValueError("--stories continues earlier stories, so it needs the whole pipeline (--stages brief)")
    if isinstance(data, str):
        data = [data]
    settings = settings or from_environment()
    max_bytes = max_bytes if max_bytes is not None else settings.ingest.max_bytes
    partitions = partitions or default_partitions(spark)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    raw = inputs.read_raw(spark, data, Options(max_bytes, dict(columns) if columns else None), partitions)
    cached: list[DataFrame] = []
    cleaned = inputs.clean(raw, partitions, cached)
    dropped = [stories.dropped_of(cleaned)]
    articles = cleaned.where(F.col("stage").isNull()).drop("stage", "reason")
    n = articles.count()
    timings["read+clean"] = time.perf_counter() - t0
    if stages == "brief":
        t = time.perf_counter()
        annotated = stories.annotate(articles.repartition(partitions), settings.models).persist()
        cached.append(annotated)
        dropped.append(stories.dropped_of(annotated))
        articles = annotated.where(F.col("stage").isNull()).drop("stage", "reason")
        articles.count()
        timings["annotate"] = time.perf_counter() - t
    t = time.perf_counter()
    links, report = copies.find_copies(articles, partitions, timings, settings.lineage)
    links = links.persist()
    cached.append(links)
    links.count()
    timings["lineage"] = time.perf_counter() - t
    story_of = None
    story_df = None
    profiles_df = None
    if stages == "brief":
        t = time.perf_counter()
        prior = _prior_profiles(spark, stories_from) if stories_from else None
        grouped, profile_rows = stories.cluster(articles, links, prior, settings)
        found = grouped.items
        profiles_df = spark.createDataFrame(profile_rows, stories.PROFILES_OUT) if len(profile_rows) else None
        frame = stories.story_frame(spark, found)
        timings["cluster"] = time.perf_counter() - t
        t = time.perf_counter()
        briefs = stories.briefs(articles, links, found, settings.models).persist()
        story_df = _stories_out(frame, briefs.where(F.col("brief").isNotNull())).persist()
        cached.append(story_df)
        story_df.count()
        failed = stories.brief_failures(briefs)  # a story whose brief failed is dropped, as locally
        briefs.unpersist()
        dropped.append(stories.dropped_frame(spark, [*grouped.dropped, *failed]))
        timings["brief"] = time.perf_counter() - t
        briefed = story_df.select(F.col("id").alias("story"))
        story_of = frame.join(briefed, "story").select("story", F.explode("story_articles").alias("id"))
    out = articles.join(
        links.select(F.col("copy").alias("id"), F.col("origin").alias("copy_of"), F.col("kind").alias("copy_kind")),
        "id", "left",
    )
    out = out.join(story_of, "id", "left") if story_of is not None else out.withColumn("story", F.lit(None).cast("string"))
    annotations = None
    if stages == "brief":
        annotations = articles.select(
            "pos", "id", "path", F.from_json("annotations", ANNOTATIONS_SCHEMA).alias("a")
        ).select("pos", "id", "path", "a.*")
    all_dropped = dropped[0]
    for d in dropped[1:]:
        all_dropped = all_dropped.unionByName(d)
    timings["total"] = time.perf_counter() - t0
    timings["articles"] = float(n)
    return SparkResult(
        articles=out.select("pos", *ARTICLE_COLUMNS),
        lineage=links.select(*copies.LINK_COLUMNS),
        dropped=all_dropped,
        annotations=annotations,
        stories=story_df,
        profiles=profiles_df,
        report=report,
        timings=timings,
        cached=cached,
    )


def _prior_profiles(spark: SparkSession, folder: str) -> Any:
    """The ``profiles/`` of an earlier run's output folder, as pandas; a clear error when absent."""
    from pyspark.errors import AnalysisException

    try:
        return spark.read.parquet(f"{folder.rstrip('/')}/profiles").toPandas()
    except AnalysisException as exc:
        raise ValueError(
            f"{folder} has no profiles/ to continue its stories from (an output of `newsdesk spark` "
            f"with the whole pipeline is needed): {str(exc).splitlines()[0]}"
        ) from exc


def _stories_out(frame: DataFrame, briefs: DataFrame) -> DataFrame:
    """One row per story: the JSON contract's story fields, its origins and rank, and the brief text."""
    contract = T.StructType([T.StructField("stories", T.ArrayType(STORY_SCHEMA))])
    parsed = briefs.select("story", "brief", F.from_json("brief", contract)["stories"][0].alias("s"))
    return (
        frame.select("story", "story_rank", F.col("story_origins").alias("origins"))
        .join(parsed, "story")
        .select("story_rank", "s.*", "origins", "brief")
        .withColumnRenamed("story_rank", "rank")
    )


def write(result: SparkResult, out: str, *, mode: str = "overwrite") -> dict[str, Any]:
    """Write DIR/articles, annotations, lineage, stories, profiles, dropped (Parquet) and
    DIR/briefs/<story id>.json; returns a summary (counts, lineage report, timings)."""
    base = out.rstrip("/")
    result.articles.orderBy("pos").write.mode(mode).parquet(f"{base}/articles")
    result.lineage.orderBy("copy").write.mode(mode).parquet(f"{base}/lineage")
    result.dropped.orderBy("pos", "path", "stage").drop("pos").write.mode(mode).parquet(f"{base}/dropped")
    if result.annotations is not None:
        result.annotations.orderBy("pos").write.mode(mode).parquet(f"{base}/annotations")
    n_stories = 0
    if result.profiles is not None:
        result.profiles.orderBy("id").write.mode(mode).parquet(f"{base}/profiles")
    if result.stories is not None:
        result.stories.orderBy("rank").write.mode(mode).parquet(f"{base}/stories")
        if "://" not in base or base.startswith("file://"):
            folder = Path(base.removeprefix("file://")) / "briefs"
            folder.mkdir(parents=True, exist_ok=True)
            for row in result.stories.select("id", "brief").toLocalIterator():
                (folder / f"{row['id']}.json").write_text(row["brief"], encoding="utf-8")
                n_stories += 1
    r = result.report
    return {
        "articles": int(result.timings.get("articles", 0)),
        "stories": n_stories,
        "copies": result.lineage.count(),
        "dropped": result.dropped.count(),
        "lineage": {"candidates": r.candidates, "verified": r.verified,
                    "oversized_postings": r.oversized_postings, "oversized_band_buckets": r.oversized_band_buckets},
        "timings": {k: round(v, 2) for k, v in result.timings.items() if k != "articles"},
    }
