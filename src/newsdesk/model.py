"""The data objects that flow through the pipeline.

    RawDocument --clean--> Article --annotate--> Article(+Annotations)
        --lineage--> CopyLink --cluster--> Story --brief--> Brief

Every annotation is a span: ``start``/``end`` are character offsets into
``Article.text`` (end exclusive), so any claim in a brief can be traced back to
the exact source text. What a stage cannot use becomes a :class:`Dropped`
record; stages never drop input silently.

Facts derived from these objects are computed here, once, for every stage,
engine and renderer: an article's outlet name (:func:`outlet_name`), the root
origin at the end of a copy chain (:func:`root_origin`, :func:`origin_map`),
and the citations of a brief (:meth:`StoryBrief.citations`). Their dict, JSON
and row forms are :mod:`newsdesk.codec`'s.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

#: Precision of a resolved date, coarsest last. Values follow TimeML's ISO-8601
#: forms: day ``2020-01-22``, week ``2020-W04``, month ``2020-01``,
#: season ``2020-SU``, quarter ``2020-Q1``, year ``2020``.
Precision = Literal["day", "week", "month", "season", "quarter", "half", "year", "decade"]

CopyKind = Literal["exact", "near", "excerpt", "truncated", "edited", "rewrite", "condensed", "update"]
#: Copies found by sentence alignment: the same story reworded, not the same text.
REWRITE_KINDS: frozenset[str] = frozenset({"rewrite", "condensed", "update"})


@dataclass(frozen=True)
class RawDocument:
    """Bytes as read, plus where they came from. Never edited.

    ``meta`` carries fields that arrived already structured (a JSONL record's
    title, url, published, publisher); clean trusts them over guesses.
    """

    path: str
    data: bytes
    media_type: str  # "text/plain" | "text/html"
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Dropped:
    """An input, or part of one, that a stage could not use, and why (one line)."""

    path: str
    stage: str
    reason: str


@dataclass(frozen=True)
class PubDate:
    """A publication date: ISO value, its precision, and how it was found."""

    date: str  # "2020-01-23", "2020-01", "2020"
    precision: Precision
    source: str  # "metadata" | "url" | "dateline" | "text" | "page" (htmldate's search) | "crawled"


@dataclass(frozen=True)
class Cite:
    """A citation: a span of one article's text."""

    article: str
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int


@dataclass(frozen=True)
class Entity:
    start: int
    end: int
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, FAC, NORP, DATE, ...


@dataclass(frozen=True)
class DateMention:
    """A date or time expression resolved to a TimeML value.

    ``value`` is None when the expression could not be placed in time (e.g.
    "recently" with no anchor). ``anchor`` is the ISO date the value was
    resolved against (usually the publication date) and ``anchor_kind`` says
    which ("published", "previous-date", "none").
    """

    start: int
    end: int
    text: str
    value: str | None
    precision: Precision | None
    anchor: str | None = None
    anchor_kind: str = "none"
    kind: str = "DATE"  # TimeML type: DATE, TIME, DURATION, SET


@dataclass(frozen=True)
class Quote:
    """Speech or writing attributed to someone, with the speaker resolved.

    ``start``/``end`` cover the quoted content (without the quote marks for a
    direct quote). ``speaker`` is the resolved full name ("Alexus Grynkewich"),
    ``role`` the role given anywhere in the article ("second-in-command of the
    coalition"), ``speaker_start``/``speaker_end`` the mention at the
    attribution ("he", "Grynkewich") when there is one.
    """

    start: int
    end: int
    text: str
    speaker: str | None
    role: str | None
    cue: str | None
    direct: bool
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass(frozen=True)
class Figure:
    """A number that counts something: "about 5,200 American soldiers"."""

    start: int
    end: int
    text: str
    value: float
    qualifier: str | None  # "about", "more than", "up to", "nearly", ...
    counts: str | None  # "American soldiers" (head noun phrase), None when unknown
    unit: str | None = None  # "percent", "USD", ...
    as_of: str | None = None  # TimeML value of the date the figure holds for


@dataclass(frozen=True)
class Place:
    """A place name geocoded from the offline gazetteer."""

    start: int
    end: int
    text: str
    name: str  # gazetteer name
    lat: float
    lon: float
    country: str | None  # ISO 3166 alpha-2
    feature: str  # "country" | "admin1" | "city" | ...
    precision: str  # "country" | "region" | "city"
    sentence_start: int | None = None  # the sentence the place was named in
    sentence_end: int | None = None


@dataclass
class Annotations:
    sentences: list[Sentence] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)


@dataclass
class Article:
    """One article's clean body text and metadata.

    ``text`` is the body only: title, byline and page furniture live in their
    own fields or are dropped. ``removed`` lists the chrome lines that clean
    took out (for the report and for tests), ``signals`` records repost traces
    seen while cleaning ("truncated", "flattened", "syndication-footer") that
    lineage uses to choose an origin.
    """

    id: str
    path: str
    text: str
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    byline: str | None = None
    published: PubDate | None = None
    language: str | None = None
    removed: list[str] = field(default_factory=list)
    signals: set[str] = field(default_factory=set)
    annotations: Annotations | None = None


def article_id(text: str) -> str:
    """Stable article id: a short hash of the clean text."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


#: What a source with no publisher and no URL is called: a file name is no outlet.
UNKNOWN_OUTLET = "outlet unknown"


def known_outlet(article: Article | None) -> str | None:
    """The publisher, else the web host; None when the article names neither."""
    if article is None:
        return None
    if article.publisher and article.publisher.strip():
        return " ".join(article.publisher.split())
    if article.url:
        host = urlsplit(article.url).hostname or ""
        if host:
            return host.removeprefix("www.")
    return None


def outlet_name(article: Article | None) -> str:
    """The publisher, else the web host, else :data:`UNKNOWN_OUTLET` (renderers link
    such a source to its file, so the reader can still tell two of them apart)."""
    return known_outlet(article) or UNKNOWN_OUTLET


@dataclass(frozen=True)
class CopyLink:
    """``copy`` repeats text of ``origin``.

    ``containment`` is the share of the copy's shingles found in the origin,
    ``origin_containment`` the share of the origin's found in the copy,
    ``jaccard`` their Jaccard similarity. ``aligned``, for a copy found by
    sentence alignment (``rewrite``, ``condensed``, ``update``), is the share of
    the shorter text's sentences that align, in order, with the other's (quotes
    and stock sentences left out); None where shared text made the copy.
    """

    copy: str
    origin: str
    kind: CopyKind
    containment: float
    origin_containment: float
    jaccard: float
    aligned: float | None = None


def root_origin(article_id: str, copy_of: Callable[[str], str | None]) -> str:
    """The article at the end of ``article_id``'s copy chain: nobody's copy, or, on a cycle,
    the last one before the chain comes back. ``copy_of`` gives an article's origin or ``None``
    (a dict's ``get``, :meth:`Brief.copy_of`, a store query)."""
    seen = {article_id}
    current = article_id
    while True:
        origin = copy_of(current)
        if origin is None or origin in seen:
            return current
        seen.add(origin)
        current = origin


def copy_links(links: Iterable[CopyLink]) -> dict[str, CopyLink]:
    """Each copy's link; where one copy has several, the first wins."""
    out: dict[str, CopyLink] = {}
    for link in links:
        out.setdefault(link.copy, link)
    return out


def origin_map(links: Iterable[CopyLink]) -> dict[str, str]:
    """Copy id -> the origin at the end of its copy chain (a copy of a copy counts as the first origin)."""
    direct = {copy: link.origin for copy, link in copy_links(links).items()}
    return {copy: root_origin(copy, direct.get) for copy in direct}


@dataclass
class Story:
    id: str
    title: str
    articles: list[str]  # article ids, origins first
    origins: list[str]  # independent sources: articles that are no one's copy
    key_terms: list[str] = field(default_factory=list)  # the words that hold it together, most telling first


# ---- the brief ---------------------------------------------------------------


@dataclass(frozen=True)
class SummarySentence:
    text: str
    citations: list[Cite]


@dataclass(frozen=True)
class TimelineEvent:
    """A dated sentence of the story. ``background``: the date lies well before the story's
    own days (history, context), so the brief lists it apart from the story's developments."""

    date: str
    precision: Precision
    text: str
    citations: list[Cite]
    background: bool = False


@dataclass(frozen=True)
class QuoteItem:
    speaker: str | None
    role: str | None
    text: str
    direct: bool
    citations: list[Cite]


@dataclass(frozen=True)
class FigureItem:
    value: float
    qualifier: str | None
    counts: str | None
    as_of: str | None
    text: str
    citations: list[Cite]


@dataclass(frozen=True)
class PlaceItem:
    name: str
    lat: float
    lon: float
    country: str | None
    citations: list[Cite]
    precision: str | None = None  # "country" | "region" | "city"


@dataclass(frozen=True)
class Agreement:
    claim: str
    sources: int
    citations: list[Cite]


@dataclass(frozen=True)
class Side:
    text: str
    citations: list[Cite]


@dataclass(frozen=True)
class Disagreement:
    about: str
    kind: str  # "figure" | "assessment" | "date"
    sides: list[Side]


@dataclass(frozen=True)
class OnlyHere:
    """What one independent source alone reports: its claims no other source carries.

    ``source`` is the outlet's name, ``article`` the origin article's id; each
    claim cites its sentence there and in the copies that repeat it.
    """

    source: str
    article: str
    claims: list[SummarySentence]


@dataclass(frozen=True)
class SeriesPoint:
    value: float
    as_of: str | None
    citations: list[Cite]


@dataclass(frozen=True)
class Series:
    quantity: str
    points: list[SeriesPoint]


@dataclass(frozen=True)
class FactPart:
    """One cited piece of a key fact: a value of a figure series (with the date it holds
    for, a TimeML value, or None) or one side of a disagreement."""

    text: str
    as_of: str | None
    citations: list[Cite]


@dataclass(frozen=True)
class KeyFact:
    """A line of the story's key facts, built from the brief's own structured data:
    ``kind`` "figures" (``label`` the quantity, parts its values over time) or
    "disagreement" (``label`` what it is about, parts the sides)."""

    kind: str
    label: str
    parts: list[FactPart]


@dataclass
class StoryBrief:
    id: str
    title: str
    articles: list[str]
    sources: int
    key_terms: list[str] = field(default_factory=list)
    first_date: str | None = None  # the earliest and latest publication date of its articles
    last_date: str | None = None
    key_facts: list[KeyFact] = field(default_factory=list)
    summary: list[SummarySentence] = field(default_factory=list)
    timeline: list[TimelineEvent] = field(default_factory=list)
    quotes: list[QuoteItem] = field(default_factory=list)
    figures: list[FigureItem] = field(default_factory=list)
    places: list[PlaceItem] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    only_here: list[OnlyHere] = field(default_factory=list)

    def citations(self) -> list[Cite]:
        """Every citation in the brief, section by section in field order (repeats kept)."""
        return list(_cites_in(self))


def _cites_in(value: Any) -> Iterator[Cite]:
    if isinstance(value, Cite):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _cites_in(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _cites_in(getattr(value, f.name))


@dataclass
class Brief:
    """What ``newsdesk brief`` renders: articles, their stories, and what was dropped."""

    articles: list[Article]
    links: list[CopyLink]
    stories: list[StoryBrief]
    dropped: list[Dropped]

    def article(self, article_id: str) -> Article:
        for a in self.articles:
            if a.id == article_id:
                return a
        raise KeyError(article_id)

    def copy_of(self, article_id: str) -> str | None:
        for link in self.links:
            if link.copy == article_id:
                return link.origin
        return None

    def copy_links(self) -> dict[str, CopyLink]:
        """Each copy's link (the first wins, as in :meth:`copy_of`)."""
        return copy_links(self.links)

    def root_origin(self, article_id: str) -> str:
        """The article nobody copied from at the end of ``article_id``'s copy chain."""
        return root_origin(article_id, self.copy_of)
