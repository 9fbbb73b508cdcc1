"""Rows: the pipeline's data objects as flat rows, and Spark schemas derived from them.

Takes model objects (:class:`RawDocument`, :class:`Article`, :class:`Dropped`,
:class:`Annotations`) and gives plain dicts that fit the Spark schemas below,
and back. Nothing here knows how an article is cleaned or linked: the rows
only carry the stage functions' inputs and outputs between Spark jobs.

Every row carries ``pos``, the input order (``file number << 32 | record
number``): the local engine breaks ties by reading order (duplicate ids,
origin ranking, story order), so Spark must know it too.

Nested annotation and brief columns are typed from the model's dataclasses
(:func:`schema_of`), so the Parquet output has the JSON contract's fields.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from pyspark.sql import types as T

from newsdesk.model import (
    Annotations,
    Article,
    DateMention,
    Dropped,
    Entity,
    Figure,
    Place,
    PubDate,
    Quote,
    RawDocument,
    Sentence,
    StoryBrief,
)

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
    row = {f.name: None for f in ARTICLE_OR_DROPPED.fields}
    row.update(pos=pos, path=d.path, stage=d.stage, reason=d.reason)
    return row


def article_row(pos: int, a: Article) -> dict[str, Any]:
    return {
        "pos": pos,
        "id": a.id,
        "path": a.path,
        "url": a.url,
        "title": a.title,
        "publisher": a.publisher,
        "byline": a.byline,
        "published": a.published.date if a.published else None,
        "published_precision": a.published.precision if a.published else None,
        "published_source": a.published.source if a.published else None,
        "language": a.language,
        "signals": sorted(a.signals),
        "removed": list(a.removed),
        "text": a.text,
        "annotations": annotations_json(a.annotations) if a.annotations is not None else None,
        "stage": None,
        "reason": None,
    }


def _strings(value: Any) -> list[str]:
    return [str(v) for v in value] if value is not None else []


def article_of(row: dict[str, Any]) -> Article:
    published = None
    if row.get("published"):
        published = PubDate(row["published"], row["published_precision"], row["published_source"])
    ann = row.get("annotations")
    return Article(
        id=row["id"],
        path=row["path"],
        text=row.get("text") or "",
        title=row.get("title"),
        publisher=row.get("publisher"),
        url=row.get("url"),
        byline=row.get("byline"),
        published=published,
        language=row.get("language"),
        removed=_strings(row.get("removed")),
        signals=set(_strings(row.get("signals"))),
        annotations=annotations_of(ann) if ann else None,
    )


# ---- annotations -------------------------------------------------------------------------------

_ANNOTATION_TYPES: dict[str, type] = {
    "sentences": Sentence,
    "entities": Entity,
    "dates": DateMention,
    "quotes": Quote,
    "figures": Figure,
    "places": Place,
}


def annotations_json(ann: Annotations) -> str:
    return json.dumps(dataclasses.asdict(ann), ensure_ascii=False)


def annotations_of(text: str) -> Annotations:
    data = json.loads(text)
    return Annotations(**{name: [cls(**item) for item in data.get(name, [])] for name, cls in _ANNOTATION_TYPES.items()})


# ---- Spark schemas from dataclasses -------------------------------------------------------------

_SCALARS: dict[Any, T.DataType] = {str: T.StringType(), int: T.LongType(), float: T.DoubleType(), bool: T.BooleanType()}


def _spark_type(tp: Any) -> T.DataType:
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        inner = [a for a in get_args(tp) if a is not type(None)]
        # int | float (a figure's value) widens to double
        if set(inner) <= {int, float} and len(inner) > 1:
            return T.DoubleType()
        return _spark_type(inner[0])
    if origin is Literal:
        return T.StringType()
    if origin in (list, typing.List):  # noqa: UP006
        return T.ArrayType(_spark_type(get_args(tp)[0]))
    if dataclasses.is_dataclass(tp):
        return schema_of(tp)
    if tp in _SCALARS:
        return _SCALARS[tp]
    raise TypeError(f"no Spark type for {tp!r}")


def schema_of(cls: type) -> T.StructType:
    """The Spark struct of a model dataclass: same field names, same nesting."""
    hints = get_type_hints(cls)
    return T.StructType([T.StructField(f.name, _spark_type(hints[f.name]), True) for f in dataclasses.fields(cls)])


ANNOTATIONS_SCHEMA = schema_of(Annotations)
STORY_SCHEMA = schema_of(StoryBrief)
