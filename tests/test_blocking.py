"""Blocking: the stories an article is compared with, and the StoryIndex built on it."""

from __future__ import annotations

import random
from datetime import date

import numpy as np
from test_cluster import DAM, LIBRARY, WordEncoder, art

from newsdesk.stories import StoryIndex
from newsdesk.stories.blocking import Blocks, day_number


def unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


def day(iso: str) -> float:
    return day_number(date.fromisoformat(iso))


def test_a_story_is_a_candidate_only_inside_its_widened_date_span() -> None:
    blocks = Blocks(window_days=10, recent=0)
    row = blocks.open(2)
    blocks.update(row, unit(1, 0), day("2021-03-01"), [])
    blocks.update(row, unit(1, 0), day("2021-03-20"), [])
    scan = blocks.scan([day("2021-03-10"), day("2021-03-29"), day("2021-04-05")], [[], [], []], np.stack([unit(1, 0)] * 3))
    assert list(scan.candidates(0)[0]) == [row]  # inside the span
    assert list(scan.candidates(1)[0]) == [row]  # nine days after its latest article
    assert list(scan.candidates(2)[0]) == []  # sixteen days after: out of reach by date


def test_a_shared_entity_reaches_a_story_outside_the_window_and_undated_articles() -> None:
    blocks = Blocks(window_days=10, recent=0)
    row = blocks.open(2)
    blocks.update(row, unit(1, 0), day("2020-01-05"), ["soleimani"])
    scan = blocks.scan([day("2020-11-18"), float("nan"), day("2020-11-18")], [["soleimani"], ["soleimani"], ["kirkuk"]],
                       np.stack([unit(1, 0)] * 3))
    assert list(scan.candidates(0)[0]) == [row]
    assert list(scan.candidates(1)[0]) == [row]
    assert list(scan.candidates(2)[0]) == []


def test_entity_postings_keep_only_the_most_recently_updated_stories() -> None:
    blocks = Blocks(window_days=0, postings=2, recent=0)
    rows = [blocks.open(2) for _ in range(3)]
    for r in rows:
        blocks.update(r, unit(1, 0), float("nan"), ["iraq"])
    scan = blocks.scan([float("nan")], [["iraq"]], np.stack([unit(1, 0)]))
    assert sorted(scan.candidates(0)[0]) == rows[1:]


def test_recent_stories_are_always_candidates() -> None:
    blocks = Blocks(window_days=0, postings=0, recent=2)
    rows = [blocks.open(2) for _ in range(3)]
    for r in rows:
        blocks.update(r, unit(1, 0), float("nan"), [])
    scan = blocks.scan([float("nan")], [[]], np.stack([unit(0, 1)]))
    assert sorted(scan.candidates(0)[0]) == rows[1:]


def test_a_merged_row_takes_the_others_span_and_entities_and_the_other_leaves_every_block() -> None:
    blocks = Blocks(window_days=5, recent=0)
    early, late = blocks.open(2), blocks.open(2)
    blocks.update(early, unit(1, 0), day("2021-03-01"), ["kessel"])
    blocks.update(late, unit(1, 0), day("2021-03-30"), ["orlen"])
    blocks.merge(early, late, ["orlen"])
    scan = blocks.scan([day("2021-04-02"), float("nan")], [[], ["orlen"]], np.stack([unit(1, 0)] * 2))
    assert list(scan.candidates(0)[0]) == [early]  # by the span it took over
    assert list(scan.candidates(1)[0]) == [early]  # by the entity it took over
    assert not blocks.vectors_of(np.array([late])).any()


def test_a_scan_sees_stories_changed_or_opened_after_it_began() -> None:
    blocks = Blocks(window_days=5, recent=0)
    old = blocks.open(2)
    blocks.update(old, unit(1, 0), day("2021-01-01"), [])
    scan = blocks.scan([day("2021-02-01"), day("2021-02-02")], [[], []], np.stack([unit(0, 1), unit(0, 1)]))
    assert list(scan.candidates(0)[0]) == []
    # The old story gains an article dated near the batch, with a new vector; a new story opens.
    blocks.update(old, unit(0, 1), day("2021-01-30"), [])
    new = blocks.open(2)
    blocks.update(new, unit(1, 1), day("2021-02-01"), [])
    rows, scores = scan.candidates(1)
    got = dict(zip(rows.tolist(), scores.tolist(), strict=True))
    assert set(got) == {old, new}
    assert abs(got[old] - 1.0) < 1e-6  # re-scored against the story's current vector
    assert abs(got[new] - float(unit(1, 1) @ unit(0, 1))) < 1e-6


def test_assignment_does_not_depend_on_batching() -> None:
    rng = random.Random(3)
    topics = [
        "flood waters spillway dam engineers valley gates",
        "library renovation council roof wiring building",
        "harbour ferry earthquake islands damage shipping",
        "election ballots turnout candidates campaign polls",
    ]
    articles = []
    for i in range(60):
        words = topics[i % 4].split()
        text = " ".join(rng.choice(words) for _ in range(12)) + f" extra{rng.randrange(5)}"
        month = 1 + (i * 7) // 60
        published = f"2021-{month:02d}-{1 + i % 27:02d}"
        articles.append(art(f"a{i}", text, published))
    articles.sort(key=lambda a: a.published.date if a.published else "")
    one = StoryIndex(WordEncoder())
    one.add(articles)
    single = StoryIndex(WordEncoder())
    for a in articles:
        single.add([a])
    chunks = StoryIndex(WordEncoder())
    for k in range(0, len(articles), 7):
        chunks.add(articles[k : k + 7])
    expect = {frozenset(s.articles) for s in one.stories()}
    assert {frozenset(s.articles) for s in single.stories()} == expect
    assert {frozenset(s.articles) for s in chunks.stories()} == expect
    assert 4 <= len(expect) < 20


def test_a_long_running_story_stays_one_story_across_months() -> None:
    base = "Kessel dam flood spillway gates engineers valley"
    months = [art(f"m{m}", f"{base} update {m}.", f"2021-{m:02d}-10", [("Kessel", "FAC")]) for m in range(1, 11)]
    # Two months of silence (March, April) do not break it: the shared facility bridges the gap.
    months = [a for a in months if a.id not in {"m3", "m4"}]
    index = StoryIndex(WordEncoder(), blocks=Blocks(window_days=20, recent=0))
    for a in months:
        index.add([a])
    assert len(index) == 1


def test_a_story_out_of_reach_by_date_and_entities_is_never_compared() -> None:
    index = StoryIndex(WordEncoder(), blocks=Blocks(window_days=20, recent=0))
    index.add(DAM)
    later = art("dam-sept", DAM[0].text, "2021-09-01")  # same words, no entities, four months on
    out = index.add([later])
    assert out[0].opened  # without blocking it would join: same words, a small date penalty
    unblocked = StoryIndex(WordEncoder(), blocks=Blocks(window_days=400, recent=0))
    unblocked.add(DAM)
    assert not unblocked.add([later])[0].opened
    index.add(LIBRARY)
    assert len(index) == 3


def test_large_corpora_cluster_incrementally_with_the_same_stories() -> None:
    from newsdesk.model import CopyLink
    from newsdesk.settings import StoriesSettings
    from newsdesk.stories import cluster_stories

    repost = art("dam1-repost", DAM[0].text, "2021-05-03")
    links = [CopyLink("dam1-repost", "dam1", "exact", 1.0, 1.0, 1.0)]
    corpus = [*DAM, *LIBRARY, repost]
    exact = cluster_stories(corpus, links, WordEncoder())
    blocked = cluster_stories(corpus, links, WordEncoder(), StoriesSettings(linkage_max_sources=2))
    assert [(s.id, s.articles, s.origins) for s in blocked] == [(s.id, s.articles, s.origins) for s in exact]
    assert blocked[0].articles[-1] == "dam1-repost"
