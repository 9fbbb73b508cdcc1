"""Profiles: what the story stage knows of an article.

Takes annotated :class:`Article` objects and a text encoder; gives one
:class:`Profile` per article: the embedding of its title and opening
sentences (all-MiniLM-L6-v2), its salient named entities (people,
organisations, facilities, events; places count half because a country name
alone is not a story), its terms (:mod:`newsdesk.stories.terms`: the words of
its title and opening, for a TF-IDF cosine against the pile) and its
publication date.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import numpy as np

from newsdesk.model import Article
from newsdesk.stories.terms import TERM_SENTENCES, term_counts

__all__ = [
    "SALIENT",
    "Profile",
    "TextEncoder",
    "block_keys",
    "entity_weights",
    "lead_text",
    "parse_date",
    "profiles",
]

#: How much a shared entity of each spaCy label says about two articles being one story.
SALIENT = {"PERSON": 1.0, "ORG": 1.0, "FAC": 1.0, "EVENT": 1.0, "GPE": 0.5, "LOC": 0.5, "NORP": 0.25}
#: Default number of body sentences in the lead (``StoriesSettings.lead_sentences``).
LEAD_SENTENCES = 5


class TextEncoder(Protocol):
    """Anything that turns texts into L2-normalised vectors (:class:`newsdesk.embed.Encoder`)."""

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Profile:
    article: str
    vector: np.ndarray
    entities: dict[str, float]
    published: date | None
    terms: dict[str, float] = field(default_factory=dict)

    def fields(self) -> tuple[str, np.ndarray, str, str | None, str]:
        """The profile as a stored row holds it: article id, float32 vector, entities as JSON, ISO date,
        terms as JSON.

        The store and Spark both keep profiles this way (the store packs the vector into bytes)."""
        entities = json.dumps(self.entities, ensure_ascii=False)
        published = self.published.isoformat() if self.published else None
        terms = json.dumps(self.terms, ensure_ascii=False)
        return self.article, np.asarray(self.vector, dtype=np.float32), entities, published, terms

    @classmethod
    def of(
        cls, article: str, vector: Any, entities: str, published: str | None, terms: str | None = None
    ) -> Profile:
        """The profile from its stored fields (the vector as float32 bytes or a sequence of floats;
        no terms for a row written before profiles had them)."""
        if isinstance(vector, bytes | bytearray | memoryview):
            values = np.frombuffer(vector, dtype=np.float32).copy()
        else:
            values = np.asarray(vector, dtype=np.float32)
        return cls(
            article,
            values,
            json.loads(entities),
            date.fromisoformat(published) if published else None,
            json.loads(terms) if terms else {},
        )


def lead_text(article: Article, sentences: int = LEAD_SENTENCES) -> str:
    """Title plus the first sentences: what the story is about."""
    spans = article.annotations.sentences if article.annotations else []
    body = [article.text[s.start : s.end] for s in spans[:sentences]]
    if not body:
        body = [article.text[:1000]]
    return " ".join(([article.title] if article.title else []) + body)


def entity_weights(article: Article) -> dict[str, float]:
    weights: dict[str, float] = {}
    for ent in article.annotations.entities if article.annotations else []:
        w = SALIENT.get(ent.label)
        if w is None:
            continue
        key = " ".join(ent.text.lower().replace("the ", "").split())
        # A surname alone ("Ekman") should meet the full name ("Kenneth Ekman").
        if ent.label == "PERSON":
            key = key.split()[-1] if key.split() else key
        weights[key] = max(weights.get(key, 0.0), w)
    return weights


def parse_date(article: Article) -> date | None:
    if article.published is None:
        return None
    parts = article.published.date.split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 7, int(parts[2]) if len(parts) > 2 else 1)
    except ValueError:
        return None


def profiles(
    articles: Sequence[Article],
    encoder: TextEncoder,
    lead_sentences: int = LEAD_SENTENCES,
    term_sentences: int = TERM_SENTENCES,
) -> list[Profile]:
    vectors = encoder.encode([lead_text(a, lead_sentences) for a in articles])
    return [
        Profile(a.id, vectors[i], entity_weights(a), parse_date(a), term_counts(a, term_sentences))
        for i, a in enumerate(articles)
    ]


def block_keys(p: Profile) -> list[str]:
    """The entity keys an article is blocked on: people, organisations, facilities, events, places."""
    return [key for key, w in p.entities.items() if w >= 0.5]
