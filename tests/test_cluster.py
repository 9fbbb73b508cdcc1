"""Clustering: stories from embeddings, entities and dates; the incremental StoryIndex.

A small bag-of-words encoder stands in for the sentence model so these tests
are fast and their similarities are easy to reason about; the seeds and
examples end-to-end tests run the real model.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np
import pytest

from newsdesk.model import Annotations, Article, CopyLink, Entity, PubDate, Sentence
from newsdesk.stories import Similarity, StoryIndex, average_linkage, cluster_stories, profiles


class WordEncoder:
    """Hashed bag of lower-case words, L2-normalised."""

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), 256), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"[a-z]{4,}", t.lower()):
                out[i, zlib.crc32(w.encode()) % 256] += 1.0
            n = np.linalg.norm(out[i])
            if n:
                out[i] /= n
        return out


def art(aid: str, text: str, published: str, entities: Sequence[tuple[str, str]] = ()) -> Article:
    ents = []
    for name, label in entities:
        at = text.find(name)
        if at >= 0:
            ents.append(Entity(at, at + len(name), name, label))
    return Article(
        id=aid, path=aid, text=text, published=PubDate(published, "day", "metadata"),
        annotations=Annotations(sentences=[Sentence(0, len(text))], entities=ents),
    )


DAM = [
    art("dam1", "Engineers opened the spillway gates of the Kessel dam as flood waters rose in the valley.",
        "2021-05-03", [("Kessel", "FAC")]),
    art("dam2", "Flood waters at the Kessel dam forced engineers to open more spillway gates in the valley overnight.",
        "2021-05-04", [("Kessel", "FAC")]),
    art("dam3", "The valley flood receded after engineers closed the Kessel dam spillway gates again.",
        "2021-05-09", [("Kessel", "FAC")]),
]
LIBRARY = [
    art("lib1", "The council voted to close the central library for renovation of its roof and wiring.",
        "2021-05-03", [("Brandauer", "PERSON")]),
    art("lib2", "Renovation of the central library roof and wiring will close the building, the council said.",
        "2021-05-05"),
]


def test_two_stories_stay_apart_and_copies_follow_their_origin() -> None:
    copy = art("dam1-repost", DAM[0].text, "2021-05-03", [("Kessel", "FAC")])
    links = [CopyLink("dam1-repost", "dam1", "exact", 1.0, 1.0, 1.0)]
    stories = cluster_stories([*DAM, *LIBRARY, copy], links, WordEncoder())
    groups = sorted(sorted(s.articles) for s in stories)
    assert groups == [["dam1", "dam1-repost", "dam2", "dam3"], ["lib1", "lib2"]]
    dam = next(s for s in stories if "dam1" in s.articles)
    assert sorted(dam.origins) == ["dam1", "dam2", "dam3"]


def test_shared_entities_raise_and_distant_dates_lower_similarity() -> None:
    enc = WordEncoder()
    a, b = profiles([DAM[0], DAM[1]], enc)
    plain_a, plain_b = profiles([art("x", DAM[0].text, "2021-05-03"), art("y", DAM[1].text, "2021-05-04")], enc)
    assert Similarity().pair(a, b) > Similarity().pair(plain_a, plain_b)
    late = profiles([art("z", DAM[1].text, "2024-05-04", [("Kessel", "FAC")])], enc)[0]
    assert Similarity().pair(a, late) < Similarity().pair(a, b)


def test_vectorised_similarity_matches_the_pairwise_definition() -> None:
    ps = profiles([*DAM, *LIBRARY], WordEncoder())
    m = Similarity().matrix(ps, ps)
    for i in range(len(ps)):
        for j in range(len(ps)):
            assert abs(m[i, j] - Similarity().pair(ps[i], ps[j])) < 1e-5


def test_average_linkage_merges_only_above_the_threshold() -> None:
    sim = np.array([[1.0, 0.9, 0.1], [0.9, 1.0, 0.2], [0.1, 0.2, 1.0]])
    assert average_linkage(sim, 0.5) == [[0, 1], [2]]
    assert average_linkage(sim, 0.95) == [[0], [1], [2]]
    assert average_linkage(sim, 0.1) == [[0, 1, 2]]


def test_story_index_assigns_new_articles_without_reclustering() -> None:
    index = StoryIndex(WordEncoder())
    first = index.add([DAM[0], LIBRARY[0]])
    assert all(a.opened for a in first) and len(index) == 2
    dam_story = index.story_of("dam1")
    later = index.add([DAM[1], LIBRARY[1], DAM[2]])
    by_id = {a.article: a for a in later}
    assert by_id["dam2"].story == dam_story and not by_id["dam2"].opened
    assert by_id["dam3"].story == dam_story
    assert by_id["lib2"].story == index.story_of("lib1")
    assert by_id["dam2"].score is not None and by_id["dam2"].score > index.threshold
    assert len(index) == 2


def test_story_index_opens_a_story_for_unrelated_news_and_places_copies() -> None:
    index = StoryIndex(WordEncoder())
    index.add(DAM)
    quake = art("quake", "A strong earthquake shook the northern islands, damaging harbours and ferries.", "2021-05-06")
    repost = art("quake-repost", quake.text, "2021-05-06")
    out = index.add([quake, repost], [CopyLink("quake-repost", "quake", "exact", 1.0, 1.0, 1.0)])
    assert out[0].opened and out[1].story == out[0].story and not out[1].opened
    stories = index.stories()
    assert [len(s.articles) for s in stories] == [3, 2]
    assert stories[1].origins == ["quake"]
    # Adding the same article again changes nothing.
    again = index.add([quake])
    assert again[0].story == out[0].story and len(index) == 2


def test_story_index_agrees_with_batch_clustering_on_a_small_set() -> None:
    enc = WordEncoder()
    batch = {frozenset(s.articles) for s in cluster_stories([*DAM, *LIBRARY], [], enc)}
    index = StoryIndex(enc)
    for a in [*DAM, *LIBRARY]:
        index.add([a])
    assert {frozenset(s.articles) for s in index.stories()} == batch


def test_a_word_the_whole_pile_shares_counts_less_than_a_developments_own_word() -> None:
    from newsdesk.stories import TermStats, term_counts

    pile = [
        art("d1", "Candidate Harlow spoke in Milwaukee about jobs.", "2016-02-01"),
        art("d2", "Candidate Harlow spoke in Tacoma about taxes.", "2016-02-02"),
        art("d3", "Candidate Harlow spoke in Milwaukee about wages.", "2016-02-03"),
    ]
    stats = TermStats.of(term_counts(a) for a in pile)
    assert stats.idf("harlow") < stats.idf("milwaukee") < stats.idf("tacoma")
    cos = stats.cosines([term_counts(pile[0])], [term_counts(pile[1]), term_counts(pile[2])])
    assert cos[0, 1] > cos[0, 0]  # the same city, not the same candidate, makes two articles alike


def test_similarity_falls_by_the_day_and_stops_falling_at_the_cap() -> None:
    enc = WordEncoder()
    base = profiles([DAM[0]], enc)[0]
    text = DAM[1].text
    week, month, year = (
        profiles([art(f"d{n}", text, day, [("Kessel", "FAC")])], enc)[0]
        for n, day in ((7, "2021-05-10"), (30, "2021-06-02"), (365, "2022-05-03"))
    )
    same = profiles([art("d0", text, "2021-05-03", [("Kessel", "FAC")])], enc)[0]
    sim = Similarity()
    assert sim.pair(base, same) - sim.pair(base, week) == pytest.approx(0.07, abs=1e-6)
    assert sim.pair(base, month) == pytest.approx(sim.pair(base, year))  # capped at 0.25


def test_a_profile_stored_without_terms_reads_back_with_none() -> None:
    from newsdesk.stories import Profile

    p = profiles([DAM[0]], WordEncoder())[0]
    assert p.terms and Profile.of(*p.fields()).terms == p.terms
    article, vector, entities, published, _ = p.fields()
    assert Profile.of(article, vector, entities, published).terms == {}


def test_incremental_assignment_counts_each_articles_terms_once() -> None:
    index = StoryIndex(WordEncoder())
    index.add(DAM[:2])
    index.add(DAM[1:])  # dam2 again: already assigned, not counted twice
    stats = index.matcher.similarity.terms
    assert stats.n == 3
    assert stats.doc_freq("kessel") == 3


def test_key_terms_are_shared_words_ranked_by_weight_never_news_prose() -> None:
    from newsdesk.stories.terms import key_terms

    units = [
        {"spillway": 0.6, "kessel": 0.5, "said": 0.9, "lone": 0.8},
        {"spillway": 0.5, "kessel": 0.6, "said": 0.9, "2021": 0.7},
        {"kessel": 0.2, "2021": 0.7},
    ]
    assert key_terms(units) == ["kessel", "spillway"]  # "lone" is one source's; numbers and "said" never
    assert key_terms(units[:1]) == ["lone", "spillway", "kessel"]  # a single source: its own words


def test_batch_and_incremental_stories_both_carry_key_terms() -> None:
    batch = cluster_stories([*DAM, *LIBRARY], [], WordEncoder())
    index = StoryIndex(WordEncoder())
    index.add([*DAM, *LIBRARY])
    for stories in (batch, index.stories()):
        dam = next(s for s in stories if "dam1" in s.articles)
        assert "kessel" in dam.key_terms and "spillway" in dam.key_terms


FIRE = [
    art("f1", "Firefighters battled a wildfire in the Orlen hills as strong winds pushed flames toward farms.",
        "2021-07-01", [("Orlen", "GPE")]),
    art("f2", "Evacuations ordered near Dask village as strong winds spread the wildfire and smoke covered the highway.",
        "2021-07-02", [("Dask", "GPE")]),
    art("f3", "The Orlen hills wildfire reached Dask village, where evacuations were ordered as flames spread toward farms.",
        "2021-07-03", [("Orlen", "GPE"), ("Dask", "GPE")]),
]


def test_an_article_that_bridges_two_stories_merges_them_as_batch_linkage_does() -> None:
    assert [sorted(s.articles) for s in cluster_stories(FIRE, [], WordEncoder())] == [["f1", "f2", "f3"]]
    index = StoryIndex(WordEncoder())
    first, second = index.add(FIRE[:1]) + index.add(FIRE[1:2])
    assert first.opened and second.opened and first.story != second.story  # too unlike to join alone
    (bridge,) = index.add(FIRE[2:])
    assert bridge.story == first.story  # the story opened first keeps its id
    (story,) = index.stories()
    assert story.id == first.story and sorted(story.articles) == ["f1", "f2", "f3"]
    assert story.origins == ["f1", "f2", "f3"]  # in the order they joined
    assert all(index.story_of(a) == first.story for a in ("f1", "f2", "f3"))


def test_stories_an_article_matches_stay_apart_when_their_sources_are_unlike() -> None:
    unlike = art("f2", "Evacuations ordered near Dask village as the blaze spread and smoke covered the highway.",
                 "2021-07-02", [("Dask", "GPE")])
    articles = [FIRE[0], unlike, FIRE[2]]
    batch = sorted(sorted(s.articles) for s in cluster_stories(articles, [], WordEncoder()))
    index = StoryIndex(WordEncoder())
    for a in articles:
        index.add([a])
    assert sorted(sorted(s.articles) for s in index.stories()) == batch == [["f1", "f3"], ["f2"]]


def test_a_merged_story_keeps_matching_new_articles_by_all_its_sources() -> None:
    index = StoryIndex(WordEncoder())
    for a in FIRE:
        index.add([a])
    late = art("f4", "Smoke from the wildfire near Dask village closed the highway again as evacuations continued.",
               "2021-07-04", [("Dask", "GPE")])
    (joined,) = index.add([late])
    assert not joined.opened and joined.story == index.story_of("f1")
    assert len(index) == 1
