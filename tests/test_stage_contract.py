"""One contract, every stage: called on a batch with its settings, it gives its outputs and the
``Dropped`` records of what it could not do; it survives an empty batch, is deterministic, and a
bug on one item drops that item (or that part of the work) and the run goes on."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest
from test_cluster import DAM, LIBRARY, WordEncoder

from newsdesk.briefing import brief_stories
from newsdesk.clean import clean_articles
from newsdesk.lineage import link_copies
from newsdesk.model import Article, CopyLink, Dropped, RawDocument, Story
from newsdesk.settings import LineageSettings, StoriesSettings
from newsdesk.stage import StageResult, each, failure
from newsdesk.stories import group_stories

BODY = (
    "The harbour board approved a new ferry terminal on Tuesday after a long debate about costs.\n\n"
    "Work is due to start in the spring and finish within two years, the board said."
)


class BrokenEncoder:
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        raise RuntimeError("encoder exploded")


def raw(path: str, text: str = "Ferry terminal approved\n\n" + BODY) -> RawDocument:
    return RawDocument(path, text.encode(), "text/plain")


def test_failure_is_one_line_with_the_exception_type_and_a_bounded_length() -> None:
    d = failure("a.txt", "clean", ValueError("bad\n" + "x" * 1000))
    assert d.path == "a.txt" and d.stage == "clean"
    assert d.reason.startswith("ValueError: bad") and len(d.reason) == 300


def test_each_keeps_order_and_turns_both_kinds_of_failure_into_dropped_records() -> None:
    def fn(x: int) -> int | Dropped:
        if x == 2:
            raise KeyError("two")
        if x == 3:
            return Dropped(str(x), "test", "expected")
        return x * 10

    out = each("test", [1, 2, 3, 4], fn, str)
    assert out.items == [10, 40]
    assert [(d.path, d.reason) for d in out.dropped] == [("2", "KeyError: 'two'"), ("3", "expected")]


@pytest.mark.parametrize(
    "run",
    [
        lambda: clean_articles([]),
        lambda: link_copies([], LineageSettings()),
        lambda: group_stories([], [], WordEncoder(), StoriesSettings()),
        lambda: brief_stories([], {}, [], WordEncoder()),
    ],
    ids=["clean", "lineage", "stories", "briefing"],
)
def test_every_stage_survives_an_empty_batch(run) -> None:
    out = run()
    items = out.links if hasattr(out, "links") else out.items
    assert items == [] and out.dropped == []


def test_clean_drops_the_item_it_cannot_clean_and_cleans_the_rest() -> None:
    broken = RawDocument("broken.txt", None, "text/plain")  # type: ignore[arg-type]
    out = clean_articles([raw("a.txt"), broken, raw("b.txt", "Other news\n\n" + BODY.replace("ferry", "bridge"))])
    assert [a.path for a in out.items] == ["a.txt", "b.txt"]
    assert [(d.path, d.stage) for d in out.dropped] == [("broken.txt", "clean")]


def test_clean_is_deterministic() -> None:
    docs = [raw("a.txt"), raw("b.txt", "Other news\n\n" + BODY.replace("ferry", "bridge"))]
    assert clean_articles(docs) == clean_articles(docs)


def test_lineage_failing_keeps_every_article_as_its_own_source() -> None:
    bad = Article("x", "x.txt", None)  # type: ignore[arg-type]
    out = link_copies([bad, Article("y", "y.txt", BODY)])
    assert out.links == []
    assert [(d.stage, d.reason.split(":")[0]) for d in out.dropped] == [("lineage", "AttributeError")]


def test_stories_failing_keeps_every_copy_group_as_a_story_of_its_own() -> None:
    articles = [*DAM, *LIBRARY]
    link = CopyLink(LIBRARY[0].id, DAM[0].id, "exact", 1.0, 1.0, 1.0)
    out = group_stories(articles, [link], BrokenEncoder(), StoriesSettings())
    assert sorted(len(s.articles) for s in out.items) == [1] * (len(articles) - 2) + [2]
    assert sum(len(s.articles) for s in out.items) == len(articles)
    assert [(d.stage, d.reason) for d in out.dropped] == [("stories", "RuntimeError: encoder exploded")]


def test_stories_are_deterministic_and_batch_ids_are_the_incremental_ids() -> None:
    from newsdesk.stories import StoryIndex

    articles = [*DAM, *LIBRARY]
    first = group_stories(articles, [], WordEncoder(), StoriesSettings())
    assert first == group_stories(articles, [], WordEncoder(), StoriesSettings())
    index = StoryIndex(WordEncoder(), StoriesSettings())
    index.add(articles)
    assert {s.id: sorted(s.articles) for s in first.items} == {s.id: sorted(s.articles) for s in index.stories()}


def test_a_story_whose_brief_fails_is_dropped_and_the_others_are_built() -> None:
    good = Story("s1", "Dam", [DAM[0].id], [DAM[0].id])
    missing = Story("s2", "Ghost", ["no-such-article"], ["no-such-article"])
    out = brief_stories([missing, good], {a.id: a for a in DAM}, [], WordEncoder())
    assert [b.id for b in out.items] == ["s1"]
    assert [(d.path, d.stage) for d in out.dropped] == [("story:s2", "brief")]
    assert isinstance(out, StageResult)
