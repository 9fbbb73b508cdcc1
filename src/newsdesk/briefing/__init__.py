"""Briefing: per story, what a reader needs, every item citing its source spans.

Takes stories, their annotated articles and the copy links; gives one
:class:`StoryBrief` per story (:mod:`newsdesk.briefing.build` says what is in
it). Every engine calls :func:`brief_stories`: one story whose brief fails
is dropped and reported, the others are built.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress

from newsdesk.briefing.build import (
    StoryPlan,
    brief_story,
    mmr,
    ordered_articles,
    plan_story,
    quotes,
    summarize,
    timeline,
)
from newsdesk.briefing.figures import series
from newsdesk.compare import PairReadings
from newsdesk.model import Article, CopyLink, Story, StoryBrief
from newsdesk.stage import StageResult, failure
from newsdesk.stories import TextEncoder

__all__ = [
    "StoryPlan",
    "brief_stories",
    "brief_story",
    "mmr",
    "ordered_articles",
    "plan_story",
    "quotes",
    "series",
    "summarize",
    "timeline",
]


#: Stories planned, and their sentences encoded, together: large enough for full
#: encoder batches, small enough that a huge pile's plans never sit in memory at once.
PLAN_CHUNK = 64


def brief_stories(
    stories: Sequence[Story],
    articles: Mapping[str, Article],
    links: Iterable[CopyLink],
    encoder: TextEncoder,
) -> StageResult[StoryBrief]:
    """The brief of each story, in order; a story whose brief fails becomes a ``story:<id>`` drop."""
    links = list(links)
    out: StageResult[StoryBrief] = StageResult()
    by_id = dict(articles)
    for lo in range(0, len(stories), PLAN_CHUNK):
        chunk = stories[lo : lo + PLAN_CHUNK]
        plans: dict[str, StoryPlan] = {}
        for story in chunk:
            try:
                plans[story.id] = plan_story(story, by_id, links)
            except Exception as exc:  # noqa: BLE001 - one story's failure must not stop the others
                out.dropped.append(failure(f"story:{story.id}", "brief", exc))
        # The chunk's sentences in one batch: the encoder sorts them by length and
        # runs full batches, twice as fast as story by story; the stories then read
        # the encoder's cache. Should it fail, each story encodes (and fails) alone.
        with suppress(Exception):
            encoder.encode(list(dict.fromkeys(t for plan in plans.values() for t in plan.texts())))
        # Likewise the pair model reads the chunk's claim pairs back to back.
        readings = PairReadings()
        with suppress(Exception):
            readings.prefetch([p for plan in plans.values() for p in plan.pairs(encoder)])
        for story in chunk:
            if story.id not in plans:
                continue
            try:
                out.items.append(brief_story(story, by_id, links, encoder, plans.pop(story.id), readings))
            except Exception as exc:  # noqa: BLE001 - one story's failure must not stop the others
                out.dropped.append(failure(f"story:{story.id}", "brief", exc))
    return out
