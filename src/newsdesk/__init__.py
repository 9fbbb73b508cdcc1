"""newsdesk: turn a pile of news articles into a sourced story brief.

    >>> import newsdesk
    >>> b = newsdesk.brief(["examples/"])          # doctest: +SKIP
    >>> b.stories[0].summary[0].citations[0]       # doctest: +SKIP
    Cite(article='…', start=0, end=154)
"""

from newsdesk.errors import ConfigError, InputError, NewsdeskError, StoreError
from newsdesk.model import (
    Annotations,
    Article,
    Brief,
    Cite,
    CopyLink,
    DateMention,
    Dropped,
    Entity,
    Figure,
    Place,
    PubDate,
    Quote,
    RawDocument,
    Sentence,
    Story,
    StoryBrief,
)
from newsdesk.pipeline import annotate_paths, brief, copies, read

__version__ = "0.1.0"

__all__ = [
    "Annotations",
    "Article",
    "Brief",
    "Cite",
    "ConfigError",
    "CopyLink",
    "DateMention",
    "Dropped",
    "Entity",
    "Figure",
    "InputError",
    "NewsdeskError",
    "Place",
    "PubDate",
    "Quote",
    "RawDocument",
    "Sentence",
    "StoreError",
    "Story",
    "StoryBrief",
    "annotate_paths",
    "brief",
    "copies",
    "read",
]
