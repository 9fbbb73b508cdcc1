"""The JSON form of a brief: the contract users' scripts rely on.

Takes a :class:`newsdesk.model.Brief` and gives a plain ``dict`` (``to_dict``)
or its JSON text (``render_json``). The keys follow the "JSON contract" of
DESIGN.md; extra keys (``copy_kind``, ``byline``, ``language``, ``signals``,
``published.source``, top-level ``links``) only add to it. Citations are
``{"article", "start", "end"}`` with offsets into that article's ``text``.

Articles and stories keep the pipeline's order (it ranks them); sets and the
copy links and dropped records are sorted, so equal briefs give equal text.
The dicts are :func:`newsdesk.codec.to_dict`'s; :data:`CONTRACT` declares
where the contract differs from the codec's plain form.
"""

from __future__ import annotations

import json
from typing import Any

from newsdesk.codec import Shape
from newsdesk.codec import to_dict as encode
from newsdesk.model import Brief, CopyLink, Dropped, FigureItem, PlaceItem, SeriesPoint
from newsdesk.render.common import json_number
from newsdesk.render.records import article_record

__all__ = ["CONTRACT", "render_json", "to_dict"]


def _round4(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _sorted_links(links: list[CopyLink]) -> list[CopyLink]:
    return sorted(links, key=lambda link: (link.copy, link.origin, link.kind))


def _sorted_dropped(dropped: list[Dropped]) -> list[Dropped]:
    return sorted(dropped, key=lambda d: (d.path, d.stage, d.reason))


#: Where the contract differs from the codec's plain form: link overlaps to 4 places (what a
#: reader compares; lineage's own precision is noise), integral figure values as JSON ints
#: ("5200", not "5200.0"), a place's precision before its citations (the contract's order
#: predates the field), and links and dropped records sorted.
CONTRACT: dict[type, Shape] = {
    CopyLink: Shape(convert=dict.fromkeys(("containment", "origin_containment", "jaccard", "aligned"), _round4)),
    FigureItem: Shape(convert={"value": json_number}),
    SeriesPoint: Shape(convert={"value": json_number}),
    PlaceItem: Shape(keys=("name", "lat", "lon", "country", "precision", "citations")),
    Brief: Shape(convert={"links": _sorted_links, "dropped": _sorted_dropped}),
}


def to_dict(brief: Brief) -> dict[str, Any]:
    """The brief as plain JSON-ready data, following DESIGN.md's JSON contract."""
    link_of = brief.copy_links()
    records = [article_record(a, link_of.get(a.id)) for a in brief.articles]
    return encode(brief, CONTRACT, extra={"articles": records})


def render_json(brief: Brief) -> str:
    """The brief as indented JSON text (UTF-8 characters kept, trailing newline)."""
    return json.dumps(to_dict(brief), indent=2, ensure_ascii=False) + "\n"
