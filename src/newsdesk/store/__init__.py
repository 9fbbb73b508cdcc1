"""The persistent store behind ``newsdesk add/stories/show/search/serve``.

One SQLite file (WAL, FTS5, numbered migrations). :class:`Store` reads and
holds the only writer path; :func:`add_paths` grows it incrementally.
"""

from newsdesk.store.db import DEFAULT_DB, HIT_END, HIT_START, Hit, Store, StoredArticle, StoryRow, story_dict
from newsdesk.store.ingest import add_paths
from newsdesk.store.write import AddSummary, content_hash

__all__ = [
    "DEFAULT_DB", "HIT_END", "HIT_START", "AddSummary", "Hit", "Store", "StoredArticle", "StoryRow",
    "add_paths", "content_hash", "story_dict",
]
