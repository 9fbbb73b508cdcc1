"""The codec: model dataclasses to plain dicts and flat rows, and back, derived from the dataclasses.

Takes any dataclass of :mod:`newsdesk.model` and gives JSON-ready data
(:func:`to_dict`), and takes such data back to the dataclass
(:func:`from_dict`); :func:`to_json`/:func:`from_json` add compact JSON text.
The form is read off ``dataclasses.fields`` and the type hints, so a new field
needs no edit here: nested dataclasses become dicts in field order, lists stay
lists, sets become sorted lists, dicts stay dicts, ``None`` stays ``None``,
scalars (``Literal`` and ``int | float`` included) pass as they are.

Where an output differs from that plain form (the JSON contract's key order,
rounding, keys derived from outside the object), the caller declares a
:class:`Shape` per class instead of writing a converter.

The flat article row (:func:`article_row`, :func:`article_from_row`) is the
form the SQLite store and Spark share: the publication date as three columns,
annotations as JSON text.

The same type walk (:func:`fields_of`) gives Spark its schemas
(:func:`newsdesk.spark.rows.schema_of`).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, Union, get_args, get_origin, get_type_hints

from newsdesk.model import Article

__all__ = [
    "ARTICLE_ROW_COLUMNS",
    "Kind",
    "Shape",
    "article_from_row",
    "article_row",
    "dumps",
    "field_names",
    "fields_of",
    "from_dict",
    "from_json",
    "kind_of",
    "to_dict",
    "to_json",
]

T = TypeVar("T")

#: Python types a field may hold as a plain value; anything else must be a dataclass or a container.
SCALARS = (str, int, float, bool, bytes)


# ---- the type walk ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A field's type as the codec reads it.

    ``form`` is ``"scalar"`` (``type`` is one of :data:`SCALARS`), ``"object"``
    (``type`` is a dataclass), ``"list"``, ``"set"`` or ``"map"`` (``item`` is
    the element's or the value's kind; map keys are strings).
    """

    form: Literal["scalar", "object", "list", "set", "map"]
    type: type | None = None
    item: Kind | None = None
    optional: bool = False


def kind_of(tp: Any) -> Kind:
    """The :class:`Kind` of a type hint; raises ``TypeError`` for a type the codec cannot carry."""
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = get_args(tp)
        inner = [a for a in args if a is not type(None)]
        optional = len(inner) < len(args)
        if len(inner) > 1:
            # int | float (a figure's value) is a number either way: carried as float.
            if set(inner) <= {int, float}:
                return Kind("scalar", float, optional=optional)
            raise TypeError(f"the codec cannot carry the union {tp!r}")
        return dataclasses.replace(kind_of(inner[0]), optional=optional)
    if origin is Literal:
        return Kind("scalar", type(get_args(tp)[0]))
    if origin in (list, typing.List):  # noqa: UP006
        return Kind("list", item=kind_of(get_args(tp)[0]))
    if origin in (set, frozenset):
        return Kind("set", item=kind_of(get_args(tp)[0]))
    if origin is dict:
        key, value = get_args(tp)
        if key is not str:
            raise TypeError(f"the codec carries maps with string keys only, not {tp!r}")
        return Kind("map", item=kind_of(value))
    if dataclasses.is_dataclass(tp):
        return Kind("object", tp)  # type: ignore[arg-type]
    if tp in SCALARS:
        return Kind("scalar", tp)
    raise TypeError(f"the codec cannot carry {tp!r}")


@functools.cache
def fields_of(cls: type) -> tuple[tuple[str, Kind], ...]:
    """Each field of dataclass ``cls`` with its :class:`Kind`, in field order."""
    hints = get_type_hints(cls)
    return tuple((f.name, kind_of(hints[f.name])) for f in dataclasses.fields(cls))


def field_names(cls: type) -> tuple[str, ...]:
    return tuple(name for name, _ in fields_of(cls))


# ---- dicts -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """How one class's dict differs from the plain codec form.

    ``keys``: the dict's keys in order (``None``: every field, in field order);
    a field not named is left out, a name that is no field takes its value
    from the ``extra`` given to :func:`to_dict`. ``convert``: field name ->
    function applied to the value before it is encoded (rounding, say).
    """

    keys: tuple[str, ...] | None = None
    convert: Mapping[str, Callable[[Any], Any]] = field(default_factory=dict)


Shapes = Mapping[type, Shape]


def to_dict(obj: Any, shapes: Shapes | None = None, *, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Dataclass ``obj`` as plain data: the module docstring's rules, changed by ``shapes`` per class.

    ``extra`` gives the top-level object's values for keys (named by its
    shape) that are not its own fields, or replaces a field's value.
    """
    return _object(obj, shapes or {}, extra or {})


def _object(obj: Any, shapes: Shapes, extra: Mapping[str, Any]) -> dict[str, Any]:
    shape = shapes.get(type(obj))
    names = shape.keys if shape is not None and shape.keys is not None else field_names(type(obj))
    convert = shape.convert if shape is not None else {}
    out: dict[str, Any] = {}
    for name in names:
        value = extra[name] if name in extra else getattr(obj, name)
        if name in convert:
            value = convert[name](value)
        out[name] = _value(value, shapes)
    return out


def _value(value: Any, shapes: Shapes) -> Any:
    if value is None or isinstance(value, SCALARS):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _object(value, shapes, {})
    if isinstance(value, (list, tuple)):
        return [_value(v, shapes) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted(_value(v, shapes) for v in value)
    if isinstance(value, Mapping):
        return {k: _value(v, shapes) for k, v in value.items()}
    return value


def from_dict(cls: type[T], data: Mapping[str, Any]) -> T:
    """A ``cls`` from :func:`to_dict`'s plain form. A missing key takes the field's default;
    a missing required one, or a key that is no field, raises ``TypeError``."""
    kinds = dict(fields_of(cls))
    unknown = [k for k in data if k not in kinds]
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {', '.join(map(repr, unknown))}")
    return cls(**{name: _decode(kinds[name], value) for name, value in data.items()})


def _decode(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind.form == "object":
        return from_dict(kind.type, value)  # type: ignore[arg-type]
    if kind.form == "list":
        return [_decode(kind.item, v) for v in value]  # type: ignore[arg-type]
    if kind.form == "set":
        return {_decode(kind.item, v) for v in value}  # type: ignore[arg-type]
    if kind.form == "map":
        # Arrow hands a map column to Python as a list of (key, value) pairs.
        pairs = value.items() if isinstance(value, Mapping) else value
        return {str(k): _decode(kind.item, v) for k, v in pairs}  # type: ignore[arg-type]
    if kind.type is str and isinstance(value, str):
        return str(value)  # numpy.str_ from a pandas column becomes a plain str
    if kind.type is bytes:
        return bytes(value)
    return value


def dumps(value: Any) -> str:
    """Compact JSON text, characters kept: the form of every JSON column the engines store."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def to_json(obj: Any) -> str:
    return dumps(to_dict(obj))


def from_json(cls: type[T], text: str) -> T:
    return from_dict(cls, json.loads(text))


# ---- the flat article row --------------------------------------------------------------------

#: Publication date field -> its column in the flat row.
PUBLISHED_COLUMNS = {"date": "published", "precision": "published_precision", "source": "published_source"}
#: Columns of the flat article row, in the order Spark's article schema lists them.
ARTICLE_ROW_COLUMNS = (
    "id", "path", "url", "title", "publisher", "byline", *PUBLISHED_COLUMNS.values(),
    "language", "signals", "removed", "text", "annotations",
)
#: What a row that kept a date but not how precise or where from (a Spark output read back) means:
#: the clean stage's own default for a date given in the input's metadata.
PUBLISHED_DEFAULTS = {"precision": "day", "source": "metadata"}

ARTICLE_ROW = Shape(
    keys=ARTICLE_ROW_COLUMNS,
    convert={"annotations": lambda ann: to_json(ann) if ann is not None else None},
)


def article_row(article: Article) -> dict[str, Any]:
    """The article as one flat row: :data:`ARTICLE_ROW_COLUMNS`, the date split in three,
    signals sorted, annotations as JSON text (``None`` before annotate)."""
    pub = article.published
    published = {column: getattr(pub, name) if pub else None for name, column in PUBLISHED_COLUMNS.items()}
    return to_dict(article, {Article: ARTICLE_ROW}, extra=published)


def article_from_row(row: Mapping[str, Any]) -> Article:
    """An article from a flat row (extra columns ignored; missing ones empty).

    ``removed`` and ``signals`` are sequences (a JSON column is the caller's
    to parse), ``annotations`` JSON text or ``None``.
    """
    published = None
    if row.get("published"):
        published = {
            name: row.get(column) or PUBLISHED_DEFAULTS.get(name) for name, column in PUBLISHED_COLUMNS.items()
        }
    ann = row.get("annotations")
    data = {name: row.get(name) for name, kind in fields_of(Article) if kind.form == "scalar"}
    data.update(
        text=data["text"] or "",
        published=published,
        removed=_sequence(row.get("removed")),
        signals=_sequence(row.get("signals")),
        annotations=json.loads(ann) if ann else None,
    )
    return from_dict(Article, data)


def _sequence(value: Any) -> list[Any]:
    # A pandas row holds a numpy array here, whose truth value is an error: test for None only.
    return [] if value is None else list(value)
