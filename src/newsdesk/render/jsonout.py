"""The JSON form of a brief: the contract users' scripts rely on.

Takes a :class:`newsdesk.model.Brief` and gives a plain ``dict`` (``to_dict``)
or its JSON text (``render_json``). The keys follow the "JSON contract" of
DESIGN.md; extra keys (``copy_kind``, ``byline``, ``language``, ``signals``,
``published.source``, top-level ``links``) only add to it. Citations are
``{"article", "start", "end"}`` with offsets into that article's ``text``.

Articles and stories keep the pipeline's order (it ranks them); sets and the
copy links and dropped records are sorted, so equal briefs give equal text.
"""

from __future__ import annotations

import json
from typing import Any

from newsdesk.model import (
    Brief,
    Cite,
    CopyLink,
    Disagreement,
    Dropped,
    FigureItem,
    Series,
    StoryBrief,
)
from newsdesk.render.common import json_number
from newsdesk.render.records import article_record


def cite_dict(cite: Cite) -> dict[str, Any]:
    return {"article": cite.article, "start": cite.start, "end": cite.end}


def _cites(cites: list[Cite]) -> list[dict[str, Any]]:
    return [cite_dict(c) for c in cites]


def _link(link: CopyLink) -> dict[str, Any]:
    return {
        "copy": link.copy,
        "origin": link.origin,
        "kind": link.kind,
        "containment": round(link.containment, 4),
        "origin_containment": round(link.origin_containment, 4),
        "jaccard": round(link.jaccard, 4),
    }


def _figure(item: FigureItem) -> dict[str, Any]:
    return {
        "value": json_number(item.value),
        "qualifier": item.qualifier,
        "counts": item.counts,
        "as_of": item.as_of,
        "text": item.text,
        "citations": _cites(item.citations),
    }


def _disagreement(item: Disagreement) -> dict[str, Any]:
    return {
        "about": item.about,
        "kind": item.kind,
        "sides": [
            {"text": s.text, "citations": _cites(s.citations)} for s in item.sides
        ],
    }


def _series(item: Series) -> dict[str, Any]:
    return {
        "quantity": item.quantity,
        "points": [
            {
                "value": json_number(p.value),
                "as_of": p.as_of,
                "citations": _cites(p.citations),
            }
            for p in item.points
        ],
    }


def _story(story: StoryBrief) -> dict[str, Any]:
    return {
        "id": story.id,
        "title": story.title,
        "articles": list(story.articles),
        "sources": story.sources,
        "summary": [
            {"text": s.text, "citations": _cites(s.citations)} for s in story.summary
        ],
        "timeline": [
            {
                "date": e.date,
                "precision": e.precision,
                "text": e.text,
                "citations": _cites(e.citations),
            }
            for e in story.timeline
        ],
        "quotes": [
            {
                "speaker": q.speaker,
                "role": q.role,
                "text": q.text,
                "direct": q.direct,
                "citations": _cites(q.citations),
            }
            for q in story.quotes
        ],
        "figures": [_figure(f) for f in story.figures],
        "places": [
            {
                "name": p.name,
                "lat": p.lat,
                "lon": p.lon,
                "country": p.country,
                "precision": p.precision,
                "citations": _cites(p.citations),
            }
            for p in story.places
        ],
        "agreements": [
            {"claim": a.claim, "sources": a.sources, "citations": _cites(a.citations)}
            for a in story.agreements
        ],
        "disagreements": [_disagreement(d) for d in story.disagreements],
        "series": [_series(s) for s in story.series],
        "only_here": [
            {
                "source": o.source,
                "article": o.article,
                "claims": [
                    {"text": c.text, "citations": _cites(c.citations)} for c in o.claims
                ],
            }
            for o in story.only_here
        ],
    }


def _dropped(item: Dropped) -> dict[str, Any]:
    return {"path": item.path, "stage": item.stage, "reason": item.reason}


def to_dict(brief: Brief) -> dict[str, Any]:
    """The brief as plain JSON-ready data, following DESIGN.md's JSON contract."""
    link_of: dict[str, CopyLink] = {}
    for link in brief.links:  # the first link wins, as in Brief.copy_of
        link_of.setdefault(link.copy, link)
    links = sorted(brief.links, key=lambda link: (link.copy, link.origin, link.kind))
    dropped = sorted(brief.dropped, key=lambda d: (d.path, d.stage, d.reason))
    return {
        "articles": [article_record(a, link_of.get(a.id)) for a in brief.articles],
        "links": [_link(link) for link in links],
        "stories": [_story(s) for s in brief.stories],
        "dropped": [_dropped(d) for d in dropped],
    }


def render_json(brief: Brief) -> str:
    """The brief as indented JSON text (UTF-8 characters kept, trailing newline)."""
    return json.dumps(to_dict(brief), indent=2, ensure_ascii=False) + "\n"
