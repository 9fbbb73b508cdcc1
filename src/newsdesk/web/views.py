"""Display values for the web app's pages, built from what the store holds.

Takes a :class:`newsdesk.store.Store` and ids; gives plain dicts for the
Jinja2 templates. The story page is the HTML brief's story view
(:class:`newsdesk.render.views.StoryView`) with two changes: links point to
the articles' own pages (:class:`PageLinks`: a citation to the cited span
there), and maps have coastlines (:mod:`newsdesk.web.basemap`).
Nothing here marks text safe; the templates autoescape every value.
"""

from __future__ import annotations

import itertools
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from newsdesk.lineage.align import aligned_pairs
from newsdesk.model import REWRITE_KINDS, Article, Brief, Cite, StoryBrief
from newsdesk.render.common import article_header, fmt_date, fmt_figure, one_line, outlet_name
from newsdesk.render.views import StoryView
from newsdesk.store.db import HIT_END, HIT_START, Store
from newsdesk.web.basemap import available, places_maps


def cite_anchor(cite: Cite) -> str:
    return f"c-{cite.start}-{cite.end}"


def cite_href(cite: Cite) -> str:
    return f"/articles/{cite.article}#{cite_anchor(cite)}"


class PageLinks:
    """Links for a story page (:class:`newsdesk.render.views.Links`): to the articles' own pages."""

    def cite(self, cite: Cite) -> str:
        return cite_href(cite)

    def article(self, article_id: str) -> str:
        return f"/articles/{article_id}"


def story_view(store: Store, story_id: str) -> dict[str, object] | None:
    row = store.story(story_id)
    brief = store.as_brief(story_id) if row else None
    if row is None or brief is None:
        return None
    view = StoryView(brief, 1, brief.stories[0], PageLinks(), draw_maps=places_maps).build()
    view["basemap"] = available()
    view["id"] = row.id
    view["stale"] = row.stale
    view["dates"] = _date_range(row.first_date, row.last_date)
    view["articles_list"] = [_article_item(brief, a) for a in brief.articles]
    return view


def _date_range(first: str | None, last: str | None) -> str:
    if not first:
        return "undated"
    return fmt_date(first) if first == last or not last else f"{fmt_date(first)} – {fmt_date(last)}"


def _article_item(brief: Brief, a: Article) -> dict[str, object]:
    origin = brief.copy_of(a.id)
    return {
        "href": f"/articles/{a.id}",
        "title": one_line(a.title) or a.path,
        "outlet": outlet_name(a),
        "date": fmt_date(a.published.date) if a.published else "",
        "copy_of": outlet_name(next((x for x in brief.articles if x.id == origin), None)) if origin else None,
    }


def index_view(store: Store) -> list[dict[str, object]]:
    return [
        {
            "href": f"/stories/{r.id}",
            "title": one_line(r.title),
            "outlets": r.outlets,
            "dates": _date_range(r.first_date, r.last_date),
            "articles": r.n_articles,
            "sources": r.n_sources,
            "stale": r.stale,
        }
        for r in store.stories()
    ]


# ---- article page ------------------------------------------------------------------


@dataclass(frozen=True)
class Piece:
    """A run of article text with the annotation kinds and citations covering it."""

    text: str
    kinds: tuple[str, ...]
    notes: tuple[str, ...]
    cites: tuple[str, ...]
    anchors: tuple[str, ...]
    cited: bool


def _brief_cites(brief: StoryBrief | None, article_id: str) -> set[tuple[int, int]]:
    if brief is None:
        return set()
    return {(c.start, c.end) for c in brief.citations() if c.article == article_id}


def _layers(article: Article) -> list[tuple[int, int, str, str]]:
    """(start, end, kind, note) for each annotation worth highlighting."""
    ann = article.annotations
    if ann is None:
        return []
    out = [(d.start, d.end, "date", f"date: {d.value or 'unresolved'}") for d in ann.dates]
    out += [(q.start, q.end, "quote", f"quote: {q.speaker or 'unattributed'}") for q in ann.quotes]
    out += [(f.start, f.end, "figure", f"figure: {fmt_figure(f.value, f.qualifier)} {f.counts or ''}".strip())
            for f in ann.figures]
    out += [(p.start, p.end, "place", f"place: {p.name} ({p.country or '?'})") for p in ann.places]
    out += [(e.start, e.end, "person", f"person: {e.text}") for e in ann.entities if e.label == "PERSON"]
    return out


def _events(spans: Sequence[tuple[int, ...]]) -> dict[int, tuple[list[int], list[int]]]:
    """Position -> (indices of spans ending there, of spans starting there); empty spans never start."""
    at: dict[int, tuple[list[int], list[int]]] = {}
    for i, x in enumerate(spans):
        if x[1] > x[0]:
            at.setdefault(x[1], ([], []))[0].append(i)
            at.setdefault(x[0], ([], []))[1].append(i)
    return at


def pieces(
    text: str,
    layers: list[tuple[int, int, str, str]],
    cited: set[tuple[int, int]],
    sentences: set[tuple[int, int]] | None = None,
) -> list[Piece]:
    """Cut ``text`` at every boundary of every layer, citation and sentence; each piece knows what covers it.

    Citations and sentences both get anchors (``c-START-END``) that links and search hits point at; only
    spans the brief cites are marked as cited."""
    size = len(text)

    def clamp(s: int, e: int) -> tuple[int, int]:
        return min(max(s, 0), size), min(max(e, 0), size)

    spans = [(*clamp(s, e), k, n) for s, e, k, n in layers]
    spans = [x for x in spans if x[1] > x[0]]
    cites = sorted({(s, e): clamp(s, e) for s, e in cited | (sentences or set())}.items())
    marked = [clamp(s, e) for s, e in cited]
    cuts = sorted({0, size} | {x[0] for x in spans} | {x[1] for x in spans}
                  | {c[0] for _, c in cites} | {c[1] for _, c in cites})
    # One sweep over the cuts, keeping what covers the current piece: linear in the
    # pieces, where testing every span at every piece was quadratic (an article of
    # 100,000 short paragraphs took minutes).
    span_at, cite_at, mark_at = _events(spans), _events([c for _, c in cites]), _events(marked)
    anchors_at: dict[int, list[int]] = {}  # every citation and sentence gets an anchor where it starts
    for i, (_, (cs, _)) in enumerate(cites):
        anchors_at.setdefault(cs, []).append(i)
    covering: set[int] = set()
    open_cites: set[int] = set()
    open_marks: set[int] = set()
    out: list[Piece] = []
    for a, b in itertools.pairwise(cuts):
        for events, live in ((span_at, covering), (cite_at, open_cites), (mark_at, open_marks)):
            ending, starting = events.get(a, ((), ()))
            live.difference_update(ending)
            live.update(starting)
        cover = [spans[i] for i in sorted(covering)]
        kinds = tuple(sorted({x[2] for x in cover}))
        notes = tuple(dict.fromkeys(x[3] for x in cover))
        ids = tuple(f"c-{s}-{e}" for (s, e), _ in (cites[i] for i in sorted(open_cites)))
        starts = tuple(f"c-{s}-{e}" for (s, e), _ in (cites[i] for i in anchors_at.get(a, ())))
        out.append(Piece(text[a:b], kinds, notes, ids, starts, bool(open_marks)))
    return out


def article_view(store: Store, article_id: str) -> dict[str, object] | None:
    stored = store.article(article_id, annotations=True)
    if stored is None:
        return None
    a = stored.article
    story = store.story(stored.story_id)
    rewrite = stored.copy_kind in REWRITE_KINDS
    origin = store.article(stored.copy_of, annotations=rewrite) if stored.copy_of else None
    link = next(iter(store.links([a.id])), None) if stored.copy_of else None
    ann = a.annotations
    counts = {
        "dates": len(ann.dates) if ann else 0, "quotes": len(ann.quotes) if ann else 0,
        "figures": len(ann.figures) if ann else 0, "places": len(ann.places) if ann else 0,
    }
    return {
        "id": a.id,
        **article_header(a),
        "story": {"href": f"/stories/{story.id}", "title": one_line(story.title)} if story else None,
        "copy_of": (
            {"href": f"/articles/{origin.article.id}", "name": outlet_name(origin.article),
             "title": one_line(origin.article.title), "kind": stored.copy_kind or "copy",
             "aligned": f"{link.aligned:.0%}" if link and link.aligned is not None else ""}
            if origin else None
        ),
        "copies": [
            {"href": f"/articles/{c.article.id}", "name": outlet_name(c.article), "title": one_line(c.article.title),
             "kind": c.copy_kind or "copy", "share": f"{(c.containment or 0):.0%}"}
            for c in store.copies_of(a.id)
        ],
        "aligned": _aligned(a, origin.article) if origin and rewrite else [],
        "counts": counts,
        "pieces": pieces(
            a.text, _layers(a), _brief_cites(store.brief(stored.story_id), a.id),
            {(x.start, x.end) for x in ann.sentences} if ann else set(),
        ),
    }


def _aligned(copy: Article, origin: Article) -> list[dict[str, str]]:
    """A rewrite's sentences beside the origin's sentences they were rewritten from, in order."""
    starts = sorted((s.start, s.end) for s in origin.annotations.sentences) if origin.annotations else []

    def href(at: int) -> str:
        # The origin's page anchors its own sentences: link to the one this starts in.
        k = bisect_right(starts, (at, len(origin.text) + 1)) - 1
        anchor = f"#c-{starts[k][0]}-{starts[k][1]}" if k >= 0 and at < starts[k][1] else ""
        return f"/articles/{origin.id}{anchor}"

    return [
        {"copy": copy.text[ca:cb], "origin": origin.text[oa:ob], "href": href(oa)}
        for (ca, cb), (oa, ob) in aligned_pairs(copy.text, origin.text)
    ]


# ---- search ------------------------------------------------------------------------


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """Split a search snippet at the hit markers: (text, is_hit) pieces, for the template to escape."""
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(snippet.split(HIT_START)):
        if i == 0:
            parts.append((chunk, False))
            continue
        hit, _, rest = chunk.partition(HIT_END)
        parts += [(hit, True), (rest, False)]
    return [(t.replace(HIT_END, ""), h) for t, h in parts if t]


def search_view(store: Store, query: str, limit: int = 50) -> list[dict[str, object]]:
    return [
        {
            "href": f"/articles/{h.article_id}" + (f"#c-{h.start}-{h.end}" if h.start is not None else ""),
            "parts": snippet_parts(one_line(h.snippet)),
            "title": one_line(h.title) or h.article_id,
            "outlet": one_line(h.publisher) or "",
            "date": fmt_date(h.published) if h.published else "",
            "story": {"href": f"/stories/{h.story_id}", "title": one_line(h.story_title)},
        }
        for h in store.search(query, limit)
    ]
