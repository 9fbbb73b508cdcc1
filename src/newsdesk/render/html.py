"""The HTML form of a brief: one self-contained, script-free page.

Takes a :class:`newsdesk.model.Brief` and gives the text of a single HTML file
with inline CSS and inline SVG charts, and nothing fetched from anywhere: a
Content-Security-Policy meta tag forbids every external load and every script.
Each story is a :class:`newsdesk.render.views.StoryView` shown through the
story partials the web app shares (``render/templates/_story.html.j2``). Each
citation ``[n]`` is a link to the cited span inside the article texts at the
end of the page, where cited spans are wrapped in ``<mark>``; its ``title``
shows the cited text on hover.

Safety: the Jinja2 environment autoescapes, the template never marks data
``|safe``, URLs from articles are shown as text and never become ``href`` or
``src``, and element ids are built from positions, not from article data.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from newsdesk.model import Article, Brief, Cite
from newsdesk.render.common import article_header, article_map, cite_key, one_line, outlet_name
from newsdesk.render.templating import render_template
from newsdesk.render.views import StoryView

__all__ = ["CSP", "Anchors", "Segment", "render_html", "segments"]

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@dataclass(frozen=True)
class Segment:
    """A run of article text: marked when a citation covers it, with the ids of the cited spans starting here."""

    text: str
    marked: bool
    anchors: tuple[str, ...]


@dataclass
class Anchors:
    """The page's own links (:class:`newsdesk.render.views.Links`): cited spans and articles by position.

    A cited span's id is built from its article's position and its offsets;
    the spans handed out are recorded, so the article texts at the end of the
    page mark exactly what the stories cite."""

    positions: dict[str, int]
    spans: dict[str, set[tuple[int, int]]] = field(default_factory=dict)

    def cite(self, cite: Cite) -> str:
        article, start, end = cite_key(cite)
        if article not in self.positions:
            return "#missing-article"
        self.spans.setdefault(article, set()).add((start, end))
        return f"#c{self.positions[article]}-{start}-{end}"

    def article(self, article_id: str) -> str:
        return f"#a{self.positions.get(article_id, 0)}"


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
        anchors = tuple(f"c{article_pos}-{original[sp][0]}-{original[sp][1]}" for sp in starts.get(a, []))
        out.append(Segment(text[a:b], covered, anchors))
    return out


def _article_views(brief: Brief, articles: dict[str, Article], anchors: Anchors) -> list[dict[str, object]]:
    kinds: dict[str, str] = {}
    shares: dict[str, float] = {}
    for link in brief.links:
        kinds.setdefault(link.copy, link.kind)
        if link.aligned is not None:
            shares.setdefault(link.copy, link.aligned)
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
                        "href": anchors.article(origin),
                        "name": outlet_name(articles.get(origin)),
                        "kind": kinds.get(article.id, ""),
                        "aligned": f"{shares[article.id]:.0%}" if article.id in shares else "",
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


def render_html(brief: Brief) -> str:
    """The brief as one self-contained HTML page (no scripts, no external loads)."""
    articles = article_map(brief)
    anchors = Anchors({a.id: i for i, a in enumerate(brief.articles)})
    # The stories are built first: the article texts mark the spans their citations handed out.
    stories = [StoryView(brief, i, s, anchors, articles).build() for i, s in enumerate(brief.stories, start=1)]
    dropped = sorted(brief.dropped, key=lambda d: (d.path, d.stage, d.reason))
    return render_template(
        "brief.html.j2",
        app=False,
        csp=CSP,
        stories=stories,
        articles=_article_views(brief, articles, anchors),
        dropped=[{"path": d.path, "stage": d.stage, "reason": one_line(d.reason)} for d in dropped],
        n_articles=len(brief.articles),
        title=one_line(brief.stories[0].title) if len(brief.stories) == 1 else "News brief",
    )
