"""A story's id and title: the same for every engine.

The id hashes the article that opened the story (the first of its
independent sources), so it stays put as the story grows in the store and is
the same whichever engine (batch linkage, incremental assignment, Spark) made it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from newsdesk.model import Article

__all__ = ["story_id", "story_title"]


def story_id(first_article: str) -> str:
    """A story's id, from the id of the article that opened it."""
    return "s" + hashlib.sha1(first_article.encode()).hexdigest()[:10]


def story_title(members: Sequence[Article]) -> str:
    """The title of the earliest titled source, else the first words of the text."""
    titled = [a for a in members if a.title]
    if titled:
        earliest = min(titled, key=lambda a: a.published.date if a.published else "9999")
        return earliest.title or ""
    return " ".join(members[0].text.split()[:12]) + "…"
