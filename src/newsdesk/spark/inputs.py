"""Spark inputs: paths or a DataFrame in, raw documents and clean articles out.

Takes input paths (local files and folders, or any URI Spark reads:
``hdfs://``, ``s3a://``, ``file:``) or a user's DataFrame, gives DataFrames of
rows (:mod:`newsdesk.spark.rows`). The reading itself is newsdesk's own:

* a local file is read on an executor by :func:`newsdesk.ingest.read_paths`,
  exactly as the local engine reads it (folders, JSONL, CSV, WARC, feeds,
  zip/gz, exports; the same labels ``FILE:N`` and the same drop reasons);
* a remote file comes through Spark's ``binaryFile`` source and its bytes go
  through the same ingest dispatcher;
* Parquet files and record DataFrames (columns text/body/content, title, url,
  published, publisher, byline, or a ``columns`` mapping) are mapped row by
  row with :func:`newsdesk.ingest.records.record_document`, the function that
  maps a JSONL record locally;
* a DataFrame with ``path`` and binary ``content`` columns (what
  ``spark.read.format("binaryFile")`` gives) goes through the byte reader.

Clean runs the stage entry :func:`newsdesk.clean.clean_articles` per row of
a partition; an input no stage can use becomes a dropped row (the stage
contract's :func:`newsdesk.stage.failure` for an unexpected error), never a
failed job.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from io import BytesIO
from pathlib import Path
from typing import Any

import pandas as pd
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from newsdesk.ingest.common import DEFAULT_MAX_BYTES, Options
from newsdesk.model import Dropped
from newsdesk.spark.rows import (
    ARTICLE_OR_DROPPED,
    RAW_SCHEMA,
    RECORD_BITS,
    article_row,
    dropped_row,
    raw_of,
    raw_row,
)
from newsdesk.stage import failure

#: Rows per pandas batch handed back to Spark: bounds an executor's memory on a big JSONL shard.
CHUNK = 256
_PARQUET = (".parquet", ".parq")


def _is_remote(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def list_local(path: str) -> list[str]:
    """The files ``read_paths`` would read under ``path``, in its order (folders walked
    sorted, hidden names skipped), so labels and reading order match the local engine."""
    p = Path(path)
    if not p.is_dir():
        return [path]
    out: list[str] = []
    for root, dirs, files in os.walk(p):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(str(Path(root) / name) for name in sorted(files) if not name.startswith("."))
    return out


def _chunks(rows: Iterator[dict[str, Any]], columns: list[str]) -> Iterator[pd.DataFrame]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= CHUNK:
            yield pd.DataFrame(batch, columns=columns)
            batch = []
    if batch:
        yield pd.DataFrame(batch, columns=columns)


_RAW_COLUMNS = RAW_SCHEMA.fieldNames()


def _ingest_files(options: Options) -> Any:
    """mapInPandas body: (file_no, label) rows -> raw documents of each file."""
    from newsdesk.ingest import read_paths

    def items(label: str) -> Iterator[Any]:
        try:
            yield from read_paths([label], max_bytes=options.max_bytes, columns=options.columns)
        except Exception as exc:  # noqa: BLE001 - a reader bug on one file costs that file, not the job
            yield failure(label, "ingest", exc)

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        def rows() -> Iterator[dict[str, Any]]:
            for pdf in batches:
                for file_no, label in zip(pdf["file_no"], pdf["label"], strict=True):
                    for k, item in enumerate(items(label)):
                        yield raw_row((int(file_no) << RECORD_BITS) | k, item)

        yield from _chunks(rows(), _RAW_COLUMNS)

    return run


def _ingest_bytes(options: Options) -> Any:
    """mapInPandas body: (file_no, path, content) rows -> raw documents, through ingest's dispatcher."""
    from newsdesk.ingest import read_stream  # the one dispatcher by kind; bytes instead of a local path

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        def rows() -> Iterator[dict[str, Any]]:
            for pdf in batches:
                for file_no, path, content in zip(pdf["file_no"], pdf["path"], pdf["content"], strict=True):
                    name = path.rstrip("/").rsplit("/", 1)[-1]
                    data = bytes(content) if content is not None else b""
                    try:
                        found = list(read_stream(path, name, BytesIO(data), len(data), options, 0))
                    except Exception as exc:  # noqa: BLE001 - one bad file costs that file, not the job
                        found = [failure(path, "ingest", exc, prefix="cannot read file: ")]
                    for k, item in enumerate(found):
                        yield raw_row((int(file_no) << RECORD_BITS) | k, item)

        yield from _chunks(rows(), _RAW_COLUMNS)

    return run


#: A record frame's row number packs (partition, row in partition) into RECORD_BITS.
_PART_BITS, _ROW_BITS = 12, RECORD_BITS - 12


def _missing(value: Any) -> bool:
    # pandas gives a missing cell of a numeric column as NaN
    return value is None or (isinstance(value, float) and math.isnan(value))


def _row_number(mono: int) -> int:
    """monotonically_increasing_id (partition << 33 | row) packed into RECORD_BITS, order kept."""
    part, row = mono >> 33, mono & ((1 << 33) - 1)
    if part >= 1 << _PART_BITS or row >= 1 << _ROW_BITS:
        raise ValueError(
            f"input DataFrame has over {1 << _PART_BITS} partitions or {1 << _ROW_BITS} rows in one partition;"
            " repartition it first"
        )
    return (part << _ROW_BITS) | row


def _records_frame(df: DataFrame, label: str, file_no: int, options: Options) -> DataFrame:
    """A record DataFrame (one article per row) -> raw documents via ``record_document``."""
    columns = options.columns
    labelled = df.withColumn("_nd_row", F.monotonically_increasing_id())

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from newsdesk.ingest.records import record_document

        def rows() -> Iterator[dict[str, Any]]:
            for pdf in batches:
                for record in pdf.to_dict("records"):
                    n = _row_number(int(record.pop("_nd_row")))
                    record = {k: v for k, v in record.items() if not _missing(v)}
                    where = str(record.get("path") or f"{label}:{n}")
                    yield raw_row((file_no << RECORD_BITS) | n, record_document(where, record, columns))

        yield from _chunks(rows(), _RAW_COLUMNS)

    return labelled.mapInPandas(run, RAW_SCHEMA)


def _remote_files(spark: SparkSession, uri: str) -> DataFrame:
    return spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(uri).select("path", "content")


def _numbered(spark: SparkSession, files: DataFrame, start: int) -> tuple[DataFrame, int]:
    """(path, content) rows with ``file_no``: paths listed on the driver (the content column is
    pruned, so no bytes move), sorted, numbered from ``start`` as local files are."""
    paths = sorted(r["path"] for r in files.select("path").collect())
    numbers = spark.createDataFrame(
        pd.DataFrame({"path": paths, "file_no": range(start, start + len(paths))}), "path string, file_no long"
    )
    return files.join(numbers, "path"), len(paths)


def read_raw(
    spark: SparkSession,
    inputs: Sequence[str] | DataFrame,
    options: Options | None = None,
    partitions: int | None = None,
) -> DataFrame:
    """Raw documents (and ingest drops) of every input, as :data:`RAW_SCHEMA` rows."""
    options = options or Options(DEFAULT_MAX_BYTES, None)
    partitions = partitions or 4
    if isinstance(inputs, DataFrame):
        if "content" in inputs.columns and "path" in inputs.columns:
            framed, _ = _numbered(spark, inputs.select("path", "content"), 0)
            return framed.mapInPandas(_ingest_bytes(options), RAW_SCHEMA)
        return _records_frame(inputs, "record", 0, options)
    frames: list[DataFrame] = []
    local: list[tuple[int, str]] = []
    missing: list[dict[str, Any]] = []
    file_no = 0
    for path in inputs:
        if path == "-":
            raise ValueError("standard input cannot be read by a Spark job; give a path")
        if _is_remote(path):
            if path.lower().endswith(_PARQUET):
                frames.append(_records_frame(spark.read.parquet(path), path, file_no, options))
            else:
                files, count = _numbered(spark, _remote_files(spark, path), file_no)
                frames.append(files.mapInPandas(_ingest_bytes(options), RAW_SCHEMA))
                file_no += count
                continue
            file_no += 1
            continue
        local_path = path.removeprefix("file://")
        if not Path(local_path).exists():
            missing.append(raw_row(file_no << RECORD_BITS, Dropped(path, "ingest", "no such file or folder")))
            file_no += 1
            continue
        for f in list_local(local_path):
            local.append((file_no, f))
            file_no += 1
    if local:
        listing = spark.createDataFrame(pd.DataFrame(local, columns=["file_no", "label"]))
        listing = listing.repartition(max(1, min(len(local), partitions)))
        frames.append(listing.mapInPandas(_ingest_files(options), RAW_SCHEMA))
    if missing:
        frames.append(spark.createDataFrame(pd.DataFrame(missing, columns=_RAW_COLUMNS), RAW_SCHEMA))
    if not frames:
        return spark.createDataFrame([], RAW_SCHEMA)
    out = frames[0]
    for frame in frames[1:]:
        out = out.unionByName(frame)
    return out


_ARTICLE_COLUMNS = ARTICLE_OR_DROPPED.fieldNames()


def _clean_partition(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    from newsdesk.clean import clean_articles

    def rows() -> Iterator[dict[str, Any]]:
        for pdf in batches:
            for row in pdf.to_dict("records"):
                pos = int(row["pos"])
                if row.get("stage"):
                    yield dropped_row(pos, Dropped(row["path"], row["stage"], row["reason"]))
                    continue
                # One document per call: each output row keeps its input's position.
                result = clean_articles([raw_of(row)])
                if result.items:
                    yield article_row(pos, result.items[0])
                else:
                    yield dropped_row(pos, result.dropped[0])

    yield from _chunks(rows(), _ARTICLE_COLUMNS)


def clean(raw: DataFrame, partitions: int, cached: list[DataFrame] | None = None) -> DataFrame:
    """Articles and dropped rows (:data:`ARTICLE_OR_DROPPED`), duplicate clean texts given
    path-salted ids exactly as :func:`newsdesk.pipeline.read` does (first read keeps the id).

    The cleaned rows are cached (and added to ``cached``, for the caller to
    unpersist): only the ids and positions of texts read more than once move
    through a shuffle, never the texts themselves.
    """
    from newsdesk.model import article_id

    cleaned = raw.repartition(partitions).mapInPandas(_clean_partition, ARTICLE_OR_DROPPED).persist()
    if cached is not None:
        cached.append(cleaned)
    is_article = F.col("stage").isNull()
    repeated = (
        cleaned.where(is_article)
        .groupBy("id")
        .agg(F.count("*").alias("reads"), F.min("pos").alias("first_pos"))
        .where(F.col("reads") > 1)
        .select("id", "first_pos")
        .toPandas()
    )
    if repeated.empty:
        return cleaned
    # Only texts read more than once are here: small next to the corpus, so it goes to every task.
    firsts = cleaned.sparkSession.createDataFrame(repeated, "id string, first_pos long")
    # Spark may evaluate the UDF on dropped rows too (CASE does not guard UDFs): None in, None out.
    salt = F.udf(lambda path, text: article_id(path + "\0" + text) if text is not None else None, "string")
    later = is_article & F.col("first_pos").isNotNull() & (F.col("pos") > F.col("first_pos"))
    return (
        cleaned.join(F.broadcast(firsts), "id", "left")
        .withColumn("id", F.when(later, salt(F.col("path"), F.col("text"))).otherwise(F.col("id")))
        .select(*ARTICLE_OR_DROPPED.fieldNames())
    )
