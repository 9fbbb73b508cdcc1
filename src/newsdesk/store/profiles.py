"""Story profiles in the store: the ``profiles`` table's rows, to and from :class:`newsdesk.stories.Profile`.

Which story a new source joins is decided by :class:`newsdesk.stories.StoryMatcher`,
the same rule as the in-memory index; this module only stores its inputs, in
the row form :meth:`Profile.fields` gives (the vector packed into bytes).
"""

from __future__ import annotations

from newsdesk.stories import Profile

__all__ = ["profile_from", "profile_row"]


def profile_row(p: Profile) -> tuple[str, bytes, str, str | None, str]:
    """A profile as the ``profiles`` table stores it."""
    article, vector, entities, published, terms = p.fields()
    return article, vector.tobytes(), entities, published, terms


def profile_from(article_id: str, vector: bytes, entities: str, published: str | None, terms: str | None) -> Profile:
    return Profile.of(article_id, vector, entities, published, terms)
