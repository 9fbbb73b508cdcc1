"""Rows: the pipeline's data objects as flat rows, and Spark schemas derived from them.

Takes model objects (:class:`RawDocument`, :class:`Article`, :class:`Dropped`,
:class:`Annotations`) and gives plain dicts that fit the Spark schemas below,
and back. Nothing here knows how an article is cleaned or linked: the rows
only carry the stage functions' inputs and outputs between Spark jobs.

Every row carries ``pos``, the input order (``file number << 32 | record
number``): the local engine breaks ties by reading order (duplicate ids,
origin ranking, story order), so Spark must know it too.

The article row and the annotations JSON are :mod:`newsdesk.codec`'s, the
same the SQLite store keeps; nested annotation and brief columns are typed by
the codec's walk over the model's dataclasses (:func:`schema_of`), so the
Parquet output has the JSON contract's fields.
"""

from __future__ import annotations

from typing import Any

from pyspark.sql import types as T

from newsdesk.codec import Kind, article_from_row, fields_of, from_json, to_dict, to_json
from newsdesk.codec import article_row as codec_article_row
from newsdesk.model import Annotations, Article, Dropped, RawDocument, StoryBrief

#: Bits of ``pos`` that number records inside one input file.
RECORD_BITS = 32

RAW_SCHEMA = T.StructType(
    [
        T.StructField("pos", T.LongType(), False),
        T.StructField("path", T.StringType(), False),
        T.StructField("data", T.BinaryType(), True),
        T.StructField("media_type", T.StringType(), True),
        T.StructField("meta", T.MapType(T.StringType(), T.StringType()), True),
        T.StructField("stage", T.StringType(), True),  # set when the input was dropped
        T.StructField("reason", T.StringType(), True),
    ]
)

ARTICLE_FIELDS = [
    T.StructField("pos", T.LongType(), False),
    T.StructField("id", T.StringType(), True),
    T.StructField("path", T.StringType(), False),
    T.StructField("url", T.StringType(), True),
    T.StructField("title", T.StringType(), True),
    T.StructField("publisher", T.StringType(), True),
    T.StructField("byline", T.StringType(), True),
    T.StructField("published", T.StringType(), True),
    T.StructField("published_precision", T.StringType(), True),
    T.StructField("published_source", T.StringType(), True),
    T.StructField("language", T.StringType(), True),
    T.StructField("signals", T.ArrayType(T.StringType()), True),
    T.StructField("removed", T.ArrayType(T.StringType()), True),
    T.StructField("text", T.StringType(), True),
    T.StructField("annotations", T.StringType(), True),  # JSON of Annotations, None before annotate
]
#: Articles and the inputs a stage dropped travel in one frame: ``stage`` is set on dropped rows.
ARTICLE_OR_DROPPED = T.StructType(
    ARTICLE_FIELDS + [T.StructField("stage", T.StringType(), True), T.StructField("reason", T.StringType(), True)]
)
DROPPED_SCHEMA = T.StructType(
    [
        T.StructField("path", T.StringType(), False),
        T.StructField("stage", T.StringType(), False),
        T.StructField("reason", T.StringType(), False),
    ]
)


# ---- raw documents -------------------------------------------------------------------------


def raw_row(pos: int, item: RawDocument | Dropped) -> dict[str, Any]:
    if isinstance(item, Dropped):
        return {"pos": pos, "path": item.path, "data": None, "media_type": None, "meta": None,
                "stage": item.stage, "reason": item.reason}
    return {"pos": pos, "path": item.path, "data": item.data, "media_type": item.media_type,
            "meta": dict(item.meta), "stage": None, "reason": None}


def raw_of(row: dict[str, Any]) -> RawDocument:
    meta = row.get("meta")
    # Arrow hands a map column to pandas as a list of (key, value) pairs.
    meta = dict(meta) if meta is not None else {}
    return RawDocument(row["path"], bytes(row["data"]), row["media_type"], meta)


# ---- articles --------------------------------------------------------------------------------


def dropped_row(pos: int, d: Dropped) -> dict[str, Any]:
    row = dict.fromkeys(ARTICLE_OR_DROPPED.fieldNames())
    row.update(pos=pos, **to_dict(d))
    return row


def article_row(pos: int, a: Article) -> dict[str, Any]:
    """The codec's flat article row (:func:`newsdesk.codec.article_row`) at input position ``pos``."""
    return {"pos": pos, **codec_article_row(a), "stage": None, "reason": None}


def article_of(row: dict[str, Any]) -> Article:
    return article_from_row(row)


# ---- annotations -------------------------------------------------------------------------------


def annotations_json(ann: Annotations) -> str:
    return to_json(ann)


def annotations_of(text: str) -> Annotations:
    return from_json(Annotations, text)


# ---- Spark schemas from dataclasses -------------------------------------------------------------

_SCALARS: dict[type, T.DataType] = {
    str: T.StringType(), int: T.LongType(), float: T.DoubleType(), bool: T.BooleanType(), bytes: T.BinaryType(),
}


def _spark_type(kind: Kind) -> T.DataType:
    if kind.form in ("list", "set"):
        return T.ArrayType(_spark_type(kind.item))  # type: ignore[arg-type]
    if kind.form == "map":
        return T.MapType(T.StringType(), _spark_type(kind.item))  # type: ignore[arg-type]
    if kind.form == "object":
        return schema_of(kind.type)  # type: ignore[arg-type]
    return _SCALARS[kind.type]  # type: ignore[index]


def schema_of(cls: type) -> T.StructType:
    """The Spark struct of a model dataclass: same field names, same nesting (the codec's type walk)."""
    return T.StructType([T.StructField(name, _spark_type(kind), True) for name, kind in fields_of(cls)])


ANNOTATIONS_SCHEMA = schema_of(Annotations)
STORY_SCHEMA = schema_of(StoryBrief)
