"""Key facts: the lines an editor reads before the summary, built from the brief's own parts.

Takes the story's figure series, its disagreements and its members; gives
:class:`KeyFact` lines, every part cited:

- the main figure series (at most :data:`MAX_SERIES`): the tracked quantities that the
  most independent sources (at least :data:`MIN_SOURCES`) report at two or more values, each value once, dated values
  in date order and then the undated ones in the order the story tells them ("US troops:
  about 5,200 (5 Jan 2020); 3,000; 2,500");
- the main disagreement: what it is about and one line per side.

Nothing here is generated text: every part is a figure or a sentence of a source.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from newsdesk.model import Article, Cite, Disagreement, FactPart, KeyFact, Series
from newsdesk.timeml import value_start

__all__ = ["MAX_POINTS", "MAX_SERIES", "key_facts"]

#: Figure series among the key facts: the one or two a reader follows; the rest are below.
MAX_SERIES = 2
#: A series leads the key facts only when this many independent sources report it: one
#: outlet's count of bases is a detail, not the story's arc.
MIN_SOURCES = 2
#: Values shown per series; more is a table, which the figures section already is.
MAX_POINTS = 6


def key_facts(
    series: Sequence[Series],
    disagreements: Sequence[Disagreement],
    members: Sequence[Article],
    copy_origin: dict[str, str],
    tracked: set[str] | None = None,
) -> list[KeyFact]:
    """See the module docstring. ``tracked``: the quantities a reader tracks (see
    :func:`newsdesk.briefing.figures.is_series_quantity`); None lets every series in."""
    position = {a.id: i for i, a in enumerate(members)}
    out: list[KeyFact] = []
    ranked = sorted(
        (s for s in series if (tracked is None or s.quantity in tracked) and _sources(s, copy_origin) >= MIN_SOURCES),
        key=lambda s: (-_sources(s, copy_origin), -len(s.points), s.quantity),
    )
    for s in ranked[:MAX_SERIES]:
        parts = _points(s, position)
        if len(parts) >= 2:
            out.append(KeyFact("figures", s.quantity, parts[:MAX_POINTS]))
    if disagreements:
        d = disagreements[0]
        out.append(KeyFact("disagreement", d.about, [FactPart(side.text, None, list(side.citations))
                                                     for side in d.sides]))
    return out


def _sources(s: Series, copy_origin: dict[str, str]) -> int:
    return len({copy_origin.get(c.article, c.article) for p in s.points for c in p.citations})


def _points(s: Series, position: dict[str, int]) -> list[FactPart]:
    """Each value once (its earliest date, all its citations); dated values by date, then
    undated ones in story order."""
    by_value: dict[float, tuple[str | None, list[Cite]]] = {}
    for p in s.points:
        as_of, cites = by_value.get(p.value, (None, []))
        if p.as_of and (as_of is None or (value_start(p.as_of) or date.max) < (value_start(as_of) or date.max)):
            as_of = p.as_of
        by_value[p.value] = (as_of, cites + [c for c in p.citations if c not in cites])

    def key(item: tuple[float, tuple[str | None, list[Cite]]]) -> tuple[int, date, int, int]:
        _value, (as_of, cites) = item
        first = min(cites, key=lambda c: (position.get(c.article, 1 << 30), c.start))
        start = value_start(as_of) if as_of else None
        return (0 if start else 1, start or date.max, position.get(first.article, 1 << 30), first.start)

    return [FactPart(_number(v), as_of, cites) for v, (as_of, cites) in sorted(by_value.items(), key=key)]


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,}"
