"""Display values for one story, shown by the static HTML brief and the web app.

Takes a :class:`newsdesk.model.Brief`, one of its stories and a :class:`Links`
(where a citation and an outlet point); gives, through :meth:`StoryView.build`,
a dict of plain values and chart ``Markup`` for the story partials in
``render/templates/_story.html.j2``. Citations are numbered in reading order,
each shown with its excerpt as hover text.

The two front ends differ only in what they pass in: the static brief links
into its own page (:class:`newsdesk.render.html.Anchors`) and draws maps over a
graticule; the web app links to article pages and draws coastlines
(:mod:`newsdesk.web.views`). Nothing here escapes text: the templates
autoescape every value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from markupsafe import Markup

from newsdesk.model import Article, Brief, Cite, Series, StoryBrief
from newsdesk.render.common import (
    Citations,
    article_map,
    date_sort_key,
    excerpt,
    fmt_date,
    fmt_figure,
    fmt_latlon,
    fmt_number,
    one_line,
    outlet_groups,
    outlet_name,
    pick_cites,
    span_text,
    speaker_groups,
)
from newsdesk.render.svg import Event, Pin, Point, places_maps, series_chart, timeline_chart

__all__ = ["Links", "Ref", "Refs", "StoryView"]


@dataclass(frozen=True)
class Ref:
    """One citation as shown: its number in the story, the link to the cited span, the hover text."""

    n: int
    href: str
    title: str


@dataclass(frozen=True)
class Refs:
    """The citations shown for one item, and how many more the JSON output lists."""

    items: list[Ref]
    more: int


class Links(Protocol):
    """Where the links of a story view point."""

    def cite(self, cite: Cite) -> str:
        """The link to a cited span."""
        ...

    def article(self, article_id: str) -> str:
        """The link to an article (an outlet's name links to its article)."""
        ...


class StoryView:
    """Builds one story's display values, numbering citations in reading order.

    ``articles`` is the brief's articles by id (computed when not given);
    ``draw_maps`` draws the places maps (:func:`newsdesk.render.svg.places_maps`
    by default)."""

    def __init__(
        self,
        brief: Brief,
        number: int,
        story: StoryBrief,
        links: Links,
        articles: dict[str, Article] | None = None,
        draw_maps: Callable[[list[Pin]], list[Markup]] = places_maps,
    ) -> None:
        self.brief, self.number, self.story, self.links = brief, number, story, links
        self.articles = article_map(brief) if articles is None else articles
        self.draw_maps = draw_maps
        self.cites = Citations()
        self.id = f"story-{number}"

    def refs(self, cites: list[Cite]) -> Refs:
        shown, more = pick_cites(cites)
        items = [Ref(self.cites.number(c), self.links.cite(c), excerpt(self.articles, c, 300)) for c in shown]
        return Refs(items, more)

    def build(self) -> dict[str, object]:
        """The story's values. Citations are numbered in the order built here: the static brief's reading order."""
        story = self.story
        view: dict[str, object] = {"id": self.id, "number": self.number, "title": one_line(story.title)}
        def named(ids: list[str]) -> list[dict[str, object]]:
            """Each outlet once, linking to its first article, with how many it carried."""
            first: dict[str, dict[str, object]] = {}
            for c in ids:
                name = outlet_name(self.articles.get(c))
                entry = first.setdefault(name, {"name": name, "href": self.links.article(c), "count": 0})
                entry["count"] = int(entry["count"]) + 1  # type: ignore[call-overload]
            return list(first.values())

        view["outlets"] = [
            {
                "name": group.name,
                "href": self.links.article(group.origins[0]),
                "more": [self.links.article(o) for o in group.origins[1:]],
                "copies": named(group.copies),
                "rewrites": named(group.rewrites),
            }
            for group in outlet_groups(self.brief, story, lambda aid: outlet_name(self.articles.get(aid)))
        ]
        view["n_articles"], view["sources"] = len(story.articles), story.sources
        view["key_terms"] = list(story.key_terms)
        view["span"] = span_text(story.first_date, story.last_date)
        view["key_facts"] = [
            {
                "kind": f.kind,
                "label": one_line(f.label),
                "parts": [
                    {"text": one_line(p.text), "as_of": fmt_date(p.as_of) if p.as_of else "", "refs": self.refs(p.citations)}
                    for p in f.parts
                ],
            }
            for f in story.key_facts
        ]
        view["summary"] = [{"text": one_line(s.text), "refs": self.refs(s.citations)} for s in story.summary]
        events = sorted((e for e in story.timeline if not e.background), key=lambda e: date_sort_key(e.date))
        view["timeline"] = [
            {"date": fmt_date(e.date), "iso": e.date, "text": one_line(e.text), "refs": self.refs(e.citations)}
            for e in events
        ]
        view["background"] = [
            {"date": fmt_date(e.date), "iso": e.date, "text": one_line(e.text), "refs": self.refs(e.citations)}
            for e in sorted((e for e in story.timeline if e.background), key=lambda e: date_sort_key(e.date))
        ]
        view["timeline_chart"] = timeline_chart(
            [Event(e.date, one_line(e.text), f"{fmt_date(e.date)}: {one_line(e.text)}") for e in events]
        )
        view["quote_groups"] = [
            {
                "speaker": speaker,
                "roles": roles,
                "quotes": [
                    {"text": one_line(q.text), "direct": q.direct, "refs": self.refs(q.citations)} for q in said
                ],
            }
            for speaker, roles, said in speaker_groups(story.quotes)
        ]
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
        view["maps"] = self.draw_maps(
            [
                Pin(one_line(p.name), p.lat, p.lon, f"{one_line(p.name)} ({fmt_latlon(p.lat, p.lon)})")
                for p in story.places
            ]
        )
        view["agreements"] = [
            {"claim": one_line(a.claim), "sources": a.sources, "refs": self.refs(a.citations)} for a in story.agreements
        ]
        view["disagreements"] = [
            {
                "about": one_line(d.about),
                "kind": d.kind,
                "sides": [{"text": one_line(s.text), "refs": self.refs(s.citations)} for s in d.sides],
            }
            for d in story.disagreements
        ]
        view["only_here"] = [
            {
                "source": one_line(o.source),
                "claims": [{"text": one_line(c.text), "refs": self.refs(c.citations)} for c in o.claims],
            }
            for o in story.only_here
        ]
        view["sources_list"] = self._sources()
        return view

    def _series(self, series: Series) -> dict[str, object]:
        points = sorted(series.points, key=lambda p: date_sort_key(p.as_of))
        chart = series_chart(
            one_line(series.quantity),
            [Point(p.value, p.as_of, f"{fmt_number(p.value)} ({fmt_date(p.as_of)})") for p in points],
        )
        rows = [
            {"date": fmt_date(p.as_of), "value": fmt_number(p.value), "refs": self.refs(p.citations)} for p in points
        ]
        return {"quantity": one_line(series.quantity), "chart": chart, "points": rows}

    def _sources(self) -> list[dict[str, object]]:
        """One row per citation, in number order: the article's title, outlet and date, and the cited excerpt."""
        rows = []
        for n, cite in enumerate(self.cites.order, start=1):
            article = self.articles.get(cite.article)
            rows.append(
                {
                    "n": n,
                    "href": self.links.cite(cite),
                    "title": one_line(article.title)
                    if article and article.title
                    else (article.path if article else ""),
                    "outlet": outlet_name(article),
                    "date": fmt_date(article.published.date) if article and article.published else "",
                    "excerpt": excerpt(self.articles, cite, 320),
                }
            )
        return rows
