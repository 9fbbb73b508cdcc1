"""Stories: group articles into stories the way an editor would.

Takes annotated :class:`Article` objects and their :class:`CopyLink` edges;
gives :class:`Story` objects (members, independent sources, title, id).

    profiles.py    what the stage knows of an article: lead embedding, salient entities, terms, date
    terms.py       an article's terms and the pile's document frequencies (the TF-IDF term)
    similarity.py  the one similarity rule (pair, matrix, mean over a story's members)
    linkage.py     batch: average-linkage clustering of the independent sources
    assign.py      incremental: a new source joins the story it resembles most, by the same rule
    blocking.py    which stories a new article is compared with, so assignment grows linearly
    naming.py      a story's id and title, the same for every engine

Copies always join their origin's story. Every engine (local, store, Spark)
calls :func:`group_stories` or, incrementally, :class:`StoryIndex` /
:class:`StoryMatcher`, with :class:`newsdesk.settings.StoriesSettings`.
"""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.model import Article, CopyLink, Story
from newsdesk.settings import StoriesSettings
from newsdesk.stage import StageResult, failure
from newsdesk.stories.assign import Assignment, StoryIndex, StoryMatcher
from newsdesk.stories.blocking import Blocks
from newsdesk.stories.linkage import average_linkage, cluster_stories
from newsdesk.stories.naming import story_id, story_title
from newsdesk.stories.profiles import Profile, TextEncoder, entity_weights, lead_text, parse_date, profiles
from newsdesk.stories.similarity import Similarity, entity_overlap
from newsdesk.stories.terms import Sparse, TermStats, term_counts

__all__ = [
    "Assignment",
    "Blocks",
    "Profile",
    "Similarity",
    "Sparse",
    "StoryIndex",
    "StoryMatcher",
    "TermStats",
    "TextEncoder",
    "average_linkage",
    "cluster_stories",
    "entity_overlap",
    "entity_weights",
    "group_stories",
    "lead_text",
    "parse_date",
    "profiles",
    "singleton_stories",
    "story_id",
    "story_title",
    "term_counts",
]


def group_stories(
    articles: Sequence[Article],
    links: Sequence[CopyLink],
    encoder: TextEncoder,
    settings: StoriesSettings | None = None,
) -> StageResult[Story]:
    """The stage entry: :func:`cluster_stories`, and if it fails, every copy group its own story
    (nothing is lost) with one :class:`Dropped` record saying why."""
    try:
        return StageResult(cluster_stories(articles, links, encoder, settings))
    except Exception as exc:  # noqa: BLE001 - the stories stage must not lose the articles
        return StageResult(singleton_stories(articles, links), [failure("(all articles)", "stories", exc)])


def singleton_stories(articles: Sequence[Article], links: Sequence[CopyLink]) -> list[Story]:
    """Each independent source with its copies as a story of its own."""
    origin_of = {link.copy: link.origin for link in links}
    by_id = {a.id: a for a in articles}
    members: dict[str, list[str]] = {a.id: [a.id] for a in articles if a.id not in origin_of}
    for copy, origin in origin_of.items():
        if origin in members:
            members[origin].append(copy)
    return [
        Story(story_id(o), story_title([by_id[m] for m in ms]), ms, [o]) for o, ms in members.items()
    ]
