"""Annotation in worker processes: the same annotations as in one process, in input order;
a failing extractor drops the same layer; a worker that dies costs nothing but time."""

from __future__ import annotations

import os

import pytest

from newsdesk import annotate
from newsdesk.annotate import annotate_articles
from newsdesk.codec import to_dict
from newsdesk.model import Article
from newsdesk.settings import ModelSettings

TOPICS = [
    ("harbour", "The harbour board approved a new ferry terminal in Dover on Tuesday, its chair Ann Lee said."),
    ("library", "The city library in Leeds will stay open until midnight from 3 May, the council said on Friday."),
    ("flood", "Heavy rain flooded 40 homes in York overnight, and police closed two roads on Sunday."),
    ("dam", "Engineers said the dam near Fresno released 2,000 cubic feet of water a second on Monday."),
    ("strike", '"We will not back down," said Tom Hart, a union leader, as 300 workers walked out in Hull.'),
]


def pile(n: int) -> list[Article]:
    out = []
    for i in range(n):
        name, text = TOPICS[i % len(TOPICS)]
        out.append(
            Article(id=f"a{i}", path=f"{name}-{i}.txt", text=f"{text} Report number {i} followed.", published=None)
        )
    return out


def annotations(articles: list[Article]) -> list[dict]:
    return [to_dict(a.annotations) for a in articles]


@pytest.fixture(scope="module")
def serial() -> list[Article]:
    result = annotate_articles(pile(12), ModelSettings(workers=1, parse_batch=2))
    assert not result.dropped
    return result.items


def test_two_workers_give_the_same_annotations_in_the_same_order(serial) -> None:
    result = annotate_articles(pile(12), ModelSettings(workers=2, parse_batch=2))
    assert [a.id for a in result.items] == [a.id for a in serial]
    assert annotations(result.items) == annotations(serial)
    assert any(a.annotations.quotes for a in result.items) and any(a.annotations.places for a in result.items)


def test_an_extractor_failing_in_a_worker_drops_that_layer_of_that_article(monkeypatch) -> None:
    real = annotate.find_places

    def fragile(doc):
        if "Leeds" in doc.text:
            raise ValueError("gazetteer exploded")
        return real(doc)

    monkeypatch.setattr(annotate, "find_places", fragile)  # forked workers inherit the patch
    result = annotate_articles(pile(10), ModelSettings(workers=2, parse_batch=2))
    assert len(result.items) == 10
    assert [d.path for d in result.dropped] == ["library-1.txt", "library-6.txt"]
    assert {d.stage for d in result.dropped} == {"annotate:places"}
    assert all(d.reason.startswith("ValueError: gazetteer exploded") for d in result.dropped)


def test_a_worker_that_dies_leaves_the_rest_to_the_parent(monkeypatch, serial) -> None:
    parent = os.getpid()
    real = annotate.annotate_doc

    def deadly(doc, article, dropped=None):
        if os.getpid() != parent and article.id == "a7":
            os._exit(3)  # a crash no exception handler sees
        return real(doc, article, dropped)

    monkeypatch.setattr(annotate, "annotate_doc", deadly)
    result = annotate_articles(pile(12), ModelSettings(workers=2, parse_batch=2))
    assert [a.id for a in result.items] == [a.id for a in serial]
    assert annotations(result.items) == annotations(serial) and not result.dropped


def test_a_long_text_parsed_in_pieces_keeps_its_text_sentences_and_entities(monkeypatch) -> None:
    from newsdesk.annotate import nlp as nlp_module

    text = "\n\n".join(t for _, t in TOPICS * 6)
    whole = annotate_articles([Article(id="w", path="w.txt", text=text, published=None)]).items[0].annotations
    monkeypatch.setattr(nlp_module, "PIECE_CHARS", 300)
    assert len(nlp_module.split_text(text, 300)) > 5
    cut = annotate_articles([Article(id="c", path="c.txt", text=text, published=None)]).items[0].annotations
    assert cut.sentences == whole.sentences
    # The models see a few words either side of each token: only next to a cut may an entity differ.
    same = {(e.start, e.end, e.label) for e in cut.entities} & {(e.start, e.end, e.label) for e in whole.entities}
    assert len(same) >= 0.9 * len(whole.entities)


def test_split_text_cuts_at_paragraph_then_line_then_space_and_loses_nothing() -> None:
    from newsdesk.annotate.nlp import split_text

    text = ("word " * 30 + "\n\n") * 20 + "x" * 500 + " tail"
    pieces = split_text(text, 200)
    assert "".join(pieces) == text
    assert all(len(p) <= 200 for p in pieces)
    assert pieces[0].endswith("\n\n")
