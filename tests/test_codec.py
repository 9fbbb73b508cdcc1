"""The codec: every model dataclass to plain data and back, the flat article row, and the
brief's JSON contract (a stored expected shape), plus the facts derived on the model once."""

from __future__ import annotations

import dataclasses
import inspect
import json
import sqlite3
import types
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

import pytest

from newsdesk import model
from newsdesk.codec import (
    ARTICLE_ROW_COLUMNS,
    Shape,
    article_from_row,
    article_row,
    from_dict,
    from_json,
    kind_of,
    to_dict,
    to_json,
)
from newsdesk.model import (
    Agreement,
    Annotations,
    Article,
    Brief,
    Cite,
    CopyLink,
    Disagreement,
    Dropped,
    FigureItem,
    OnlyHere,
    PlaceItem,
    PubDate,
    Quote,
    QuoteItem,
    Series,
    SeriesPoint,
    Side,
    StoryBrief,
    SummarySentence,
    TimelineEvent,
    origin_map,
    outlet_name,
    root_origin,
)
from newsdesk.render import render_json
from newsdesk.render.records import article_record
from newsdesk.store.codec import annotations_json, brief_json

MODEL_CLASSES = sorted(
    (cls for _, cls in inspect.getmembers(model, inspect.isclass)
     if dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__),
    key=lambda cls: cls.__name__,
)


def example(tp: Any, depth: int = 0) -> Any:
    """A value of type ``tp`` with every optional part filled, so a round trip exercises it."""
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        return example(next(a for a in get_args(tp) if a is not type(None)), depth)
    if origin is Literal:
        return get_args(tp)[-1]
    if origin is list:
        return [example(get_args(tp)[0], depth + 1), example(get_args(tp)[0], depth + 1)]
    if origin is set:
        return {"b", "a"}
    if origin is dict:
        return {"k": example(get_args(tp)[1], depth + 1)}
    if dataclasses.is_dataclass(tp):
        hints = get_type_hints(tp)
        return tp(**{f.name: example(hints[f.name], depth + 1) for f in dataclasses.fields(tp)})
    return {str: f"text{depth}", int: 7 + depth, float: 2.5, bool: True, bytes: b"\x00raw"}[tp]


def test_every_model_dataclass_has_a_codec_form() -> None:
    assert {cls.__name__ for cls in MODEL_CLASSES} >= {"Article", "Brief", "StoryBrief", "RawDocument", "CopyLink"}
    for cls in MODEL_CLASSES:
        hints = get_type_hints(cls)
        for f in dataclasses.fields(cls):
            kind_of(hints[f.name])  # raises for a type the codec cannot carry


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
def test_every_model_dataclass_round_trips_through_to_dict(cls: type) -> None:
    obj = example(cls)
    assert from_dict(cls, to_dict(obj)) == obj
    if cls is not model.RawDocument:  # bytes have no JSON form
        assert from_json(cls, to_json(obj)) == obj


def test_plain_form_is_asdict_with_sets_sorted() -> None:
    brief = sample_brief()
    assert to_dict(brief.stories[0]) == dataclasses.asdict(brief.stories[0])
    data = to_dict(brief.articles[0])
    assert data["signals"] == ["flattened", "truncated"]
    assert list(data) == [f.name for f in dataclasses.fields(Article)]


def test_missing_keys_take_defaults_and_unknown_keys_are_refused() -> None:
    assert from_dict(StoryBrief, {"id": "s", "title": "t", "articles": [], "sources": 0}) == StoryBrief("s", "t", [], 0)
    with pytest.raises(TypeError, match="no field 'colour'"):
        from_dict(Cite, {"article": "a", "start": 0, "end": 1, "colour": "red"})


def test_shapes_order_keys_convert_values_and_take_extra_keys() -> None:
    shape = Shape(keys=("end", "start", "span"), convert={"start": lambda v: v * 10})
    assert list(to_dict(Cite("a", 1, 2), {Cite: shape}, extra={"span": 1}).items()) == [("end", 2), ("start", 10), ("span", 1)]


# ---- the flat article row ----------------------------------------------------------------------


def test_article_round_trips_through_the_flat_row() -> None:
    for article in sample_brief().articles:
        row = article_row(article)
        assert tuple(row) == ARTICLE_ROW_COLUMNS
        assert article_from_row(row) == article
    annotated = example(Article)
    row = article_row(annotated)
    assert (row["published"], row["published_precision"], row["published_source"]) == (
        annotated.published.date, annotated.published.precision, annotated.published.source)
    assert json.loads(row["annotations"]) == to_dict(annotated.annotations)
    assert article_from_row(row) == annotated


def test_a_row_without_the_dates_source_reads_as_metadata() -> None:
    row = {"id": "a", "path": "p", "text": "t", "published": "2020-01", "published_precision": "month"}
    assert article_from_row(row).published == PubDate("2020-01", "month", "metadata")


def test_the_store_row_is_the_same_article() -> None:
    from newsdesk.store.codec import ARTICLE_COLUMNS
    from newsdesk.store.codec import article_from_row as stored_article

    article = example(Article)
    conn = sqlite3.connect(":memory:")
    conn.row_factory = sqlite3.Row
    columns = [c.strip() for c in ARTICLE_COLUMNS.split(",")]
    conn.execute(f"CREATE TABLE articles ({', '.join(columns)}, annotations)")
    row = article_row(article)
    values = [json.dumps(row[c]) if c in ("removed", "signals") else row[c] for c in columns]
    conn.execute(f"INSERT INTO articles VALUES ({','.join('?' * (len(columns) + 1))})", [*values, row["annotations"]])
    got = conn.execute(f"SELECT {ARTICLE_COLUMNS}, annotations FROM articles").fetchone()
    assert stored_article(got, got["annotations"]) == article
    assert stored_article(got).annotations is None


def test_spark_rows_are_the_codec_row_at_a_position() -> None:
    pytest.importorskip("pyspark")
    from newsdesk.spark.rows import ANNOTATIONS_SCHEMA, ARTICLE_FIELDS, STORY_SCHEMA, article_of, dropped_row, schema_of
    from newsdesk.spark.rows import article_row as spark_row

    assert [f.name for f in ARTICLE_FIELDS] == ["pos", *ARTICLE_ROW_COLUMNS]
    article = example(Article)
    row = spark_row(5, article)
    assert row["pos"] == 5 and article_of(row) == article
    assert dropped_row(3, Dropped("p", "clean", "empty"))["reason"] == "empty"
    assert ANNOTATIONS_SCHEMA.fieldNames() == [f.name for f in dataclasses.fields(Annotations)]
    assert STORY_SCHEMA == schema_of(StoryBrief)
    assert schema_of(Quote)["speaker_start"].dataType.typeName() == "long"


def test_store_json_columns_are_compact_asdict() -> None:
    """What older stores hold must stay what the codec writes: compact ``asdict`` JSON."""
    brief = sample_brief()
    ann = example(Annotations)

    def compact(obj: Any) -> str:
        return json.dumps(dataclasses.asdict(obj), ensure_ascii=False, separators=(",", ":"))

    assert annotations_json(ann) == compact(ann)
    assert annotations_json(None) == compact(Annotations())
    assert brief_json(brief.stories[0]) == compact(brief.stories[0])


# ---- the JSON contract -------------------------------------------------------------------------


def sample_brief() -> Brief:
    """Two articles (one a copy), one story with every section, unsorted links and dropped records."""
    a = Article(id="a1", path="in/wire.txt", text="Troops leave. About 5,200 soldiers stay.", title="Troops leave",
                publisher="Northwire", url="https://www.northwire.example/a", byline="By Staff",
                published=PubDate("2020-09-07", "day", "metadata"), language="en",
                removed=["Share this"], signals={"truncated", "flattened"})
    b = Article(id="b2", path="in/ledger.html", text="Troops leave. About 5,200 soldiers stay.", publisher=None,
                url="https://www.ledger.example/x")
    c = Cite("a1", 0, 13)
    d = Cite("b2", 14, 40)
    story = StoryBrief(
        id="s1", title="Troops leave", articles=["a1", "b2"], sources=1,
        key_terms=["troops", "amsel"], first_date="2020-09-07", last_date="2020-09-08",
        summary=[SummarySentence("Troops leave.", [c, d])],
        timeline=[TimelineEvent("2020-09-07", "day", "Troops leave.", [c])],
        quotes=[QuoteItem("Mira Olsen", "deputy", "We go", True, [c])],
        figures=[FigureItem(5200.0, "about", "soldiers", "2020-09", "About 5,200 soldiers", [d]),
                 FigureItem(2.5, None, None, None, "2.5", [])],
        places=[PlaceItem("Port Amsel", 1.5, -2.25, "VA", [c], "city")],
        agreements=[Agreement("Troops leave.", 2, [c, d])],
        disagreements=[Disagreement("soldiers", "figure", [Side("5,200", [d]), Side("4,000", [c])])],
        series=[Series("soldiers", [SeriesPoint(4000.0, "2020-01", [c]), SeriesPoint(5200.5, None, [d])])],
        only_here=[OnlyHere("Northwire", "a1", [SummarySentence("Troops leave.", [c])])],
    )
    links = [CopyLink("b2", "a1", "exact", 0.123456, 0.98765432, 1 / 3), CopyLink("a0", "a1", "near", 0.5, 0.5, 0.5)]
    dropped = [Dropped("z.txt", "clean", "empty"), Dropped("a.txt", "read", "bad")]
    return Brief(articles=[a, b], links=links, stories=[story], dropped=dropped)


#: ``newsdesk brief --format json`` of :func:`sample_brief` as written before the codec: key order,
#: 4-place link figures, integral figure values as ints, sorted links and dropped records.
EXPECTED_CONTRACT: dict[str, Any] = {'articles': [{'id': 'a1',
                   'path': 'in/wire.txt',
                   'url': 'https://www.northwire.example/a',
                   'title': 'Troops leave',
                   'publisher': 'Northwire',
                   'byline': 'By Staff',
                   'published': {'date': '2020-09-07', 'precision': 'day', 'source': 'metadata'},
                   'language': 'en',
                   'copy_of': None,
                   'copy_kind': None,
                   'signals': ['flattened', 'truncated'],
                   'removed': ['Share this'],
                   'text': 'Troops leave. About 5,200 soldiers stay.'},
                  {'id': 'b2',
                   'path': 'in/ledger.html',
                   'url': 'https://www.ledger.example/x',
                   'title': None,
                   'publisher': None,
                   'byline': None,
                   'published': None,
                   'language': None,
                   'copy_of': 'a1',
                   'copy_kind': 'exact',
                   'signals': [],
                   'removed': [],
                   'text': 'Troops leave. About 5,200 soldiers stay.'}],
     'links': [{'copy': 'a0',
                'origin': 'a1',
                'kind': 'near',
                'containment': 0.5,
                'origin_containment': 0.5,
                'jaccard': 0.5,
                'aligned': None},
               {'copy': 'b2',
                'origin': 'a1',
                'kind': 'exact',
                'containment': 0.1235,
                'origin_containment': 0.9877,
                'jaccard': 0.3333,
                'aligned': None}],
     'stories': [{'id': 's1',
                  'title': 'Troops leave',
                  'articles': ['a1', 'b2'],
                  'sources': 1,
                  'key_terms': ['troops', 'amsel'],
                  'first_date': '2020-09-07',
                  'last_date': '2020-09-08',
                  'key_facts': [],
                  'summary': [{'text': 'Troops leave.',
                               'citations': [{'article': 'a1', 'start': 0, 'end': 13},
                                             {'article': 'b2', 'start': 14, 'end': 40}]}],
                  'timeline': [{'date': '2020-09-07',
                                'precision': 'day',
                                'text': 'Troops leave.',
                                'citations': [{'article': 'a1', 'start': 0, 'end': 13}],
                                'background': False}],
                  'quotes': [{'speaker': 'Mira Olsen',
                              'role': 'deputy',
                              'text': 'We go',
                              'direct': True,
                              'citations': [{'article': 'a1', 'start': 0, 'end': 13}]}],
                  'figures': [{'value': 5200,
                               'qualifier': 'about',
                               'counts': 'soldiers',
                               'as_of': '2020-09',
                               'text': 'About 5,200 soldiers',
                               'citations': [{'article': 'b2', 'start': 14, 'end': 40}]},
                              {'value': 2.5,
                               'qualifier': None,
                               'counts': None,
                               'as_of': None,
                               'text': '2.5',
                               'citations': []}],
                  'places': [{'name': 'Port Amsel',
                              'lat': 1.5,
                              'lon': -2.25,
                              'country': 'VA',
                              'precision': 'city',
                              'citations': [{'article': 'a1', 'start': 0, 'end': 13}]}],
                  'agreements': [{'claim': 'Troops leave.',
                                  'sources': 2,
                                  'citations': [{'article': 'a1', 'start': 0, 'end': 13},
                                                {'article': 'b2', 'start': 14, 'end': 40}]}],
                  'disagreements': [{'about': 'soldiers',
                                     'kind': 'figure',
                                     'sides': [{'text': '5,200',
                                                'citations': [{'article': 'b2', 'start': 14, 'end': 40}]},
                                               {'text': '4,000',
                                                'citations': [{'article': 'a1', 'start': 0, 'end': 13}]}]}],
                  'series': [{'quantity': 'soldiers',
                              'points': [{'value': 4000,
                                          'as_of': '2020-01',
                                          'citations': [{'article': 'a1', 'start': 0, 'end': 13}]},
                                         {'value': 5200.5,
                                          'as_of': None,
                                          'citations': [{'article': 'b2', 'start': 14, 'end': 40}]}]}],
                  'only_here': [{'source': 'Northwire',
                                 'article': 'a1',
                                 'claims': [{'text': 'Troops leave.',
                                             'citations': [{'article': 'a1', 'start': 0, 'end': 13}]}]}]}],
     'dropped': [{'path': 'a.txt', 'stage': 'read', 'reason': 'bad'},
                 {'path': 'z.txt', 'stage': 'clean', 'reason': 'empty'}]}


def test_brief_json_is_the_stored_contract_byte_for_byte() -> None:
    assert render_json(sample_brief()) == json.dumps(EXPECTED_CONTRACT, indent=2, ensure_ascii=False) + "\n"


def test_annotate_record_adds_every_annotation_list_after_the_article() -> None:
    article = example(Article)
    record = article_record(article, CopyLink(article.id, "o", "near", 0.5, 0.5, 0.5), annotations=True)
    names = [f.name for f in dataclasses.fields(Annotations)]
    assert list(record)[-len(names) - 1 :] == ["text", *names]
    assert (record["copy_of"], record["copy_kind"]) == ("o", "near")
    assert record["quotes"] == [dataclasses.asdict(q) for q in article.annotations.quotes]
    assert "annotations" not in article_record(article)


# ---- facts derived on the model ----------------------------------------------------------------


def test_root_origin_follows_chains_and_stops_on_a_cycle() -> None:
    chain = {"c2": "c1", "c1": "o"}
    assert root_origin("c2", chain.get) == "o"
    assert root_origin("o", chain.get) == "o"
    cycle = {"a": "b", "b": "c", "c": "a"}
    assert root_origin("a", cycle.get) == "c"


def test_origin_map_and_brief_agree_on_the_root_origin() -> None:
    links = [CopyLink("c2", "c1", "near", 1, 1, 1), CopyLink("c1", "o", "exact", 1, 1, 1),
             CopyLink("c2", "x", "near", 1, 1, 1)]
    assert origin_map(links) == {"c2": "o", "c1": "o"}  # the first link of a copy wins
    brief = Brief(articles=[], links=links, stories=[], dropped=[])
    assert [brief.root_origin(a) for a in ("c2", "c1", "o")] == ["o", "o", "o"]
    assert brief.copy_links()["c2"].origin == "c1"


def test_outlet_name_prefers_publisher_then_host_and_never_calls_a_file_an_outlet() -> None:
    assert outlet_name(Article("a", "in/x.txt", "t", publisher="  The\nTimes ")) == "The Times"
    assert outlet_name(Article("a", "in/x.txt", "t", url="https://www.wire.example/a")) == "wire.example"
    assert outlet_name(Article("a", "in/x.txt", "t")) == "outlet unknown"
    assert outlet_name(None) == "outlet unknown"


def test_a_brief_lists_every_citation() -> None:
    story = sample_brief().stories[0]
    walked = [c for v in to_dict(story).values() for c in _cites(v)]
    assert [to_dict(c) for c in story.citations()] == walked
    assert len(story.citations()) == 13


def _cites(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        if set(value) == {"article", "start", "end"}:
            return [value]
        return [c for v in value.values() for c in _cites(v)]
    if isinstance(value, list):
        return [c for v in value for c in _cites(v)]
    return []
