"""Story profiles in the store: the ``profiles`` table's rows, to and from :class:`newsdesk.stories.Profile`.

Which story a new source joins is decided by :class:`newsdesk.stories.StoryMatcher`,
the same rule as the in-memory index; this module only stores its inputs.
"""

from __future__ import annotations

import json
from datetime import date

import numpy as np

from newsdesk.stories import Profile


def profile_row(p: Profile) -> tuple[str, bytes, str, str | None]:
    """A profile as the ``profiles`` table stores it."""
    vector = np.asarray(p.vector, dtype=np.float32).tobytes()
    return p.article, vector, json.dumps(p.entities, ensure_ascii=False), p.published.isoformat() if p.published else None


def profile_from(article_id: str, vector: bytes, entities: str, published: str | None) -> Profile:
    return Profile(
        article_id,
        np.frombuffer(vector, dtype=np.float32).copy(),
        json.loads(entities),
        date.fromisoformat(published) if published else None,
    )
