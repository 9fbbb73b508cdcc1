"""The HTML form of a brief: one self-contained, script-free page.

Takes a :class:`newsdesk.model.Brief` and gives the text of a single HTML file
with inline CSS and inline SVG charts, and nothing fetched from anywhere: a
Content-Security-Policy meta tag forbids every external load and every script.
Each citation ``[n]`` is a link to the cited span inside the article texts at
the end of the page, where cited spans are wrapped in ``<mark>``; its ``title``
shows the cited text on hover.

Safety: the Jinja2 environment autoescapes, the template never marks data
``|safe``, URLs from articles are shown as text and never become ``href`` or
``src``, and element ids are built from positions, not from article data.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from newsdesk.model import Article, Brief, Cite, Series, StoryBrief
from newsdesk.render import svg
from newsdesk.render.common import (
    Citations,
    article_header,
    article_map,
    cite_key,
    date_sort_key,
    excerpt,
    fmt_date,
    fmt_figure,
    fmt_latlon,
    fmt_number,
    one_line,
    outlet_name,
    pick_cites,
    source_groups,
)

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@dataclass(frozen=True)
class Ref:
    """One citation as shown: its number in the story, the anchor it links to, the hover text."""

    n: int
    href: str
    title: str


@dataclass(frozen=True)
class Refs:
    """The citations shown for one item, and how many more the JSON output lists."""

    items: list[Ref]
    more: int


@dataclass(frozen=True)
class Segment:
    text: str
    marked: bool
    anchors: tuple[str, ...]


@dataclass
class Anchors:
    """Gives every cited span a page-wide id built from the article's position and the offsets."""

    positions: dict[str, int]
    articles: dict[str, Article]
    spans: dict[str, set[tuple[int, int]]] = field(default_factory=dict)

    def span_id(self, cite: Cite) -> str:
        article, start, end = cite_key(cite)
        if article not in self.positions:
            return "missing-article"
        self.spans.setdefault(article, set()).add((start, end))
        return f"c{self.positions[article]}-{start}-{end}"

    def article_id(self, article_id: str) -> str:
        return f"a{self.positions.get(article_id, 0)}"


class _StoryView:
    """Builds one story's display values, numbering citations in reading order."""

    def __init__(
        self, brief: Brief, index: int, story: StoryBrief, anchors: Anchors
    ) -> None:
        self.brief, self.story, self.anchors = brief, story, anchors
        self.articles = anchors.articles
        self.cites = Citations()
        self.id = f"story-{index}"
        self.number = index

    def refs(self, cites: list[Cite]) -> Refs:
        shown, more = pick_cites(cites)
        items = [
            Ref(
                self.cites.number(c),
                "#" + self.anchors.span_id(c),
                excerpt(self.articles, c, 300),
            )
            for c in shown
        ]
        return Refs(items, more)

    def build(self) -> dict[str, object]:
        story = self.story
        view: dict[str, object] = {
            "id": self.id,
            "number": self.number,
            "title": one_line(story.title),
        }
        view["outlets"] = [
            {
                "name": outlet_name(self.articles.get(origin)),
                "href": "#" + self.anchors.article_id(origin),
                "copies": [outlet_name(self.articles.get(c)) for c in copies],
            }
            for origin, copies in source_groups(self.brief, story)
        ]
        view["n_articles"], view["sources"] = len(story.articles), story.sources
        view["summary"] = [
            {"text": one_line(s.text), "refs": self.refs(s.citations)}
            for s in story.summary
        ]
        events = sorted(story.timeline, key=lambda e: date_sort_key(e.date))
        view["timeline"] = [
            {
                "date": fmt_date(e.date),
                "iso": e.date,
                "text": one_line(e.text),
                "refs": self.refs(e.citations),
            }
            for e in events
        ]
        view["timeline_chart"] = svg.timeline_chart(
            [
                svg.Event(
                    e.date, one_line(e.text), f"{fmt_date(e.date)}: {one_line(e.text)}"
                )
                for e in events
            ]
        )
        view["quote_groups"] = self._quotes()
        view["figures"] = [
            {
                "value": fmt_figure(f.value, f.qualifier),
                "counts": one_line(f.counts),
                "as_of": fmt_date(f.as_of) if f.as_of else "",
                "text": one_line(f.text),
                "refs": self.refs(f.citations),
            }
            for f in story.figures
        ]
        view["series"] = [self._series(s) for s in story.series]
        view["places"] = [
            {
                "name": one_line(p.name),
                "country": p.country or "",
                "precision": p.precision or "",
                "where": fmt_latlon(p.lat, p.lon),
                "refs": self.refs(p.citations),
            }
            for p in story.places
        ]
        view["maps"] = svg.places_maps(
            [
                svg.Pin(
                    one_line(p.name),
                    p.lat,
                    p.lon,
                    f"{one_line(p.name)} ({fmt_latlon(p.lat, p.lon)})",
                )
                for p in story.places
            ]
        )
        view["agreements"] = [
            {
                "claim": one_line(a.claim),
                "sources": a.sources,
                "refs": self.refs(a.citations),
            }
            for a in story.agreements
        ]
        view["disagreements"] = [
            {
                "about": one_line(d.about),
                "kind": d.kind,
                "sides": [
                    {"text": one_line(s.text), "refs": self.refs(s.citations)}
                    for s in d.sides
                ],
            }
            for d in story.disagreements
        ]
        view["only_here"] = [
            {
                "source": one_line(o.source),
                "claims": [
                    {"text": one_line(c.text), "refs": self.refs(c.citations)}
                    for c in o.claims
                ],
            }
            for o in story.only_here
        ]
        view["sources_list"] = self._sources()
        return view

    def _quotes(self) -> list[dict[str, object]]:
        groups: dict[str, dict[str, object]] = {}
        for quote in self.story.quotes:
            speaker = one_line(quote.speaker) or "Unattributed"
            group = groups.setdefault(
                speaker, {"speaker": speaker, "roles": [], "quotes": []}
            )
            roles = group["roles"]
            assert isinstance(roles, list)
            if quote.role and one_line(quote.role) not in roles:
                roles.append(one_line(quote.role))
            quotes = group["quotes"]
            assert isinstance(quotes, list)
            quotes.append(
                {
                    "text": one_line(quote.text),
                    "direct": quote.direct,
                    "refs": self.refs(quote.citations),
                }
            )
        return list(groups.values())

    def _series(self, series: Series) -> dict[str, object]:
        points = sorted(series.points, key=lambda p: date_sort_key(p.as_of))
        chart = svg.series_chart(
            one_line(series.quantity),
            [
                svg.Point(
                    p.value, p.as_of, f"{fmt_number(p.value)} ({fmt_date(p.as_of)})"
                )
                for p in points
            ],
        )
        rows = [
            {
                "date": fmt_date(p.as_of),
                "value": fmt_number(p.value),
                "refs": self.refs(p.citations),
            }
            for p in points
        ]
        return {"quantity": one_line(series.quantity), "chart": chart, "points": rows}

    def _sources(self) -> list[dict[str, object]]:
        rows = []
        for n, cite in enumerate(self.cites.order, start=1):
            article = self.articles.get(cite.article)
            rows.append(
                {
                    "n": n,
                    "href": "#" + self.anchors.span_id(cite),
                    "title": one_line(article.title)
                    if article and article.title
                    else (article.path if article else ""),
                    "outlet": outlet_name(article),
                    "date": fmt_date(article.published.date)
                    if article and article.published
                    else "",
                    "excerpt": excerpt(self.articles, cite, 320),
                }
            )
        return rows


def segments(text: str, spans: set[tuple[int, int]], article_pos: int) -> list[Segment]:
    """Cuts ``text`` at every span boundary; pieces inside a span are marked, span starts get anchors."""
    size = len(text)
    clean = {(min(max(s, 0), size), min(max(e, 0), size)) for s, e in spans}
    clean = {(s, e) for s, e in clean if e > s}
    cuts = sorted({0, size} | {s for s, _ in clean} | {e for _, e in clean})
    out: list[Segment] = []
    starts: dict[int, list[tuple[int, int]]] = {}
    for s, e in sorted(clean):
        starts.setdefault(s, []).append((s, e))
    # Anchor ids use the offsets the brief cited, so clamped spans keep their links.
    original = {(min(max(s, 0), size), min(max(e, 0), size)): (s, e) for s, e in spans}
    for a, b in itertools.pairwise(cuts):
        if b <= a:
            continue
        covered = any(s <= a and b <= e for s, e in clean)
        anchors = tuple(
            f"c{article_pos}-{original[sp][0]}-{original[sp][1]}"
            for sp in starts.get(a, [])
        )
        out.append(Segment(text[a:b], covered, anchors))
    return out


def _article_views(brief: Brief, anchors: Anchors) -> list[dict[str, object]]:
    kinds: dict[str, str] = {}
    for link in brief.links:
        kinds.setdefault(link.copy, link.kind)
    views = []
    for pos, article in enumerate(brief.articles):
        origin = brief.copy_of(article.id)
        spans = anchors.spans.get(article.id, set())
        views.append(
            {
                "id": f"a{pos}",
                **article_header(article),
                "copy_of": (
                    {
                        "href": "#" + anchors.article_id(origin),
                        "name": outlet_name(anchors.articles.get(origin)),
                        "kind": kinds.get(article.id, ""),
                    }
                    if origin
                    else None
                ),
                # Copies nobody cites start folded: their text is already shown under the origin.
                "open": origin is None or bool(spans),
                "segments": segments(article.text, spans, pos),
                "cited": len(spans),
            }
        )
    return views


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("newsdesk", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def render_html(brief: Brief) -> str:
    """The brief as one self-contained HTML page (no scripts, no external loads)."""
    articles = article_map(brief)
    anchors = Anchors({a.id: i for i, a in enumerate(brief.articles)}, articles)
    stories = [
        _StoryView(brief, i, s, anchors).build()
        for i, s in enumerate(brief.stories, start=1)
    ]
    dropped = sorted(brief.dropped, key=lambda d: (d.path, d.stage, d.reason))
    page = (
        _environment()
        .get_template("brief.html.j2")
        .render(
            csp=CSP,
            stories=stories,
            articles=_article_views(brief, anchors),
            dropped=[
                {"path": d.path, "stage": d.stage, "reason": one_line(d.reason)}
                for d in dropped
            ],
            n_articles=len(brief.articles),
            title=one_line(brief.stories[0].title)
            if len(brief.stories) == 1
            else "News brief",
        )
    )
    return page
