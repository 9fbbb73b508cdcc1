"""Helpers shared by the Markdown and HTML renderers and the web app.

Takes a :class:`newsdesk.model.Brief` (or parts of it) and gives plain values
ready to print: citation numbers per story, short excerpts of cited spans,
outlet names grouped into origins and their copies, quotes grouped by
speaker, formatted numbers, and TimeML date values turned into calendar
intervals for the charts. Nothing here escapes text: each renderer escapes for
its own format.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

# outlet_name is the model's (the compare stage and the store name outlets too); the renderers
# take it from here with the rest of what they print.
from newsdesk.model import REWRITE_KINDS, Article, Brief, Cite, QuoteItem, StoryBrief, outlet_name
from newsdesk.timeml import timeml_interval

MONTHS = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_SPACE = re.compile(r"\s+")
# TimeML's values for times that have no calendar date.
_REFS = {"PRESENT_REF": "now", "PAST_REF": "in the past", "FUTURE_REF": "in the future"}


def one_line(text: str | None) -> str:
    """Collapse runs of whitespace (newlines included) into single spaces."""
    return _SPACE.sub(" ", text or "").strip()


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` at a word boundary so it fits in ``limit`` characters."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.") + "…"


def cite_key(cite: Cite) -> tuple[str, int, int]:
    return (cite.article, cite.start, cite.end)


def cited_text(articles: dict[str, Article], cite: Cite) -> str | None:
    """The text a citation points at, or None when its article is not in the brief."""
    article = articles.get(cite.article)
    if article is None:
        return None
    start = min(max(cite.start, 0), len(article.text))
    end = min(max(cite.end, start), len(article.text))
    return article.text[start:end]


def excerpt(articles: dict[str, Article], cite: Cite, limit: int = 240) -> str:
    """A one-line excerpt of a cited span, shortened for lists and tooltips."""
    text = cited_text(articles, cite)
    if text is None:
        return "(article not in this brief)"
    return shorten(text, limit)


#: At most this many citations are shown per item; the JSON output keeps them all.
MAX_REFS = 3


def pick_cites(cites: list[Cite], limit: int = MAX_REFS) -> tuple[list[Cite], int]:
    """Up to ``limit`` distinct citations, one per article first so several outlets show; and how many
    distinct citations were left out."""
    unique = list({cite_key(c): c for c in cites}.values())
    chosen: list[Cite] = []
    seen_articles: set[str] = set()
    for cite in unique:
        if len(chosen) < limit and cite.article not in seen_articles:
            chosen.append(cite)
            seen_articles.add(cite.article)
    for cite in unique:
        if len(chosen) < limit and cite not in chosen:
            chosen.append(cite)
    chosen.sort(key=unique.index)
    return chosen, len(unique) - len(chosen)


@dataclass
class Citations:
    """Numbers citations in order of first use, so [1] is the first one cited in a story."""

    order: list[Cite] = field(default_factory=list)
    _numbers: dict[tuple[str, int, int], int] = field(default_factory=dict)

    def number(self, cite: Cite) -> int:
        key = cite_key(cite)
        if key not in self._numbers:
            self.order.append(cite)
            self._numbers[key] = len(self.order)
        return self._numbers[key]

    def numbers(self, cites: list[Cite]) -> list[int]:
        seen: list[int] = []
        for cite in pick_cites(cites)[0]:
            n = self.number(cite)
            if n not in seen:
                seen.append(n)
        return seen


def article_map(brief: Brief) -> dict[str, Article]:
    return {a.id: a for a in brief.articles}


def source_groups(brief: Brief, story: StoryBrief) -> list[tuple[str, list[str]]]:
    """Each origin article of a story with the copies that repeat it, in story order."""
    in_story = list(dict.fromkeys(story.articles))
    members = set(in_story)
    groups: dict[str, list[str]] = {}
    for aid in in_story:
        root = brief.root_origin(aid)
        if root not in members:
            # The origin sits outside this story: the copy stands for it here.
            root = aid
        groups.setdefault(root, [])
        if root != aid:
            groups[root].append(aid)
    return list(groups.items())


@dataclass
class OutletGroup:
    """One outlet's independent articles in a story (``origins``), with the copies that
    repeat them verbatim or nearly (``copies``) and those that rewrite them (``rewrites``)."""

    name: str
    origins: list[str]
    copies: list[str]
    rewrites: list[str]


def outlet_groups(brief: Brief, story: StoryBrief, name_of: Callable[[str], str]) -> list[OutletGroup]:
    """:func:`source_groups` gathered by outlet, in order of first appearance: an outlet with
    three independent articles is one entry, not three."""
    kinds = {c: link.kind for c, link in brief.copy_links().items()}
    out: dict[str, OutletGroup] = {}
    for origin, copies in source_groups(brief, story):
        name = name_of(origin)
        group = out.setdefault(name, OutletGroup(name, [], [], []))
        group.origins.append(origin)
        for c in copies:
            (group.rewrites if kinds.get(c) in REWRITE_KINDS else group.copies).append(c)
    return list(out.values())


def counted_names(names: Iterable[str]) -> list[tuple[str, int]]:
    """Names in order of first appearance, each with how often it occurs."""
    counts: dict[str, int] = {}
    for name in names:
        counts[name] = counts.get(name, 0) + 1
    return list(counts.items())


def speaker_groups(quotes: list[QuoteItem]) -> list[tuple[str, list[str], list[QuoteItem]]]:
    """The quotes grouped by speaker in order of first appearance: (speaker, the distinct roles given, quotes).

    A quote without a speaker goes under "Unattributed"."""
    groups: dict[str, tuple[str, list[str], list[QuoteItem]]] = {}
    for quote in quotes:
        speaker = one_line(quote.speaker) or "Unattributed"
        _, roles, said = groups.setdefault(speaker, (speaker, [], []))
        if quote.role and one_line(quote.role) not in roles:
            roles.append(one_line(quote.role))
        said.append(quote)
    return list(groups.values())


def fmt_number(value: float) -> str:
    """5200.0 -> "5,200"; 2.5 -> "2.5"; keeps at most three decimals."""
    if not math.isfinite(value):
        return str(value)
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


def fmt_figure(value: float, qualifier: str | None) -> str:
    number = fmt_number(value)
    return (
        f"{one_line(qualifier)} {number}" if qualifier and qualifier.strip() else number
    )


def json_number(value: float) -> int | float:
    """Integral floats as ints in JSON ("5200", not "5200.0")."""
    if math.isfinite(value) and float(value).is_integer():
        return int(value)
    return value


def fmt_latlon(lat: float, lon: float) -> str:
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat):.2f}°{ns}, {abs(lon):.2f}°{ew}"


def span_text(first: str | None, last: str | None) -> str:
    """A story's dates as a reader sees them: "5 Jan 2020 to 17 Nov 2020", one date, or ""."""
    if not first:
        return ""
    if not last or last == first:
        return fmt_date(first)
    return f"{fmt_date(first)} to {fmt_date(last)}"


def fmt_date(value: str | None) -> str:
    """A TimeML value for people: "2020-01-22" -> "22 Jan 2020", "2020-SU" -> "summer 2020"."""
    if not value:
        return "undated"
    if value in _REFS:
        return _REFS[value]
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if m and 1 <= int(m[2]) <= 12:
        return f"{int(m[3])} {MONTHS[int(m[2]) - 1]} {m[1]}"
    m = re.fullmatch(r"(\d{4})-(\d{2})", value)
    if m and 1 <= int(m[2]) <= 12:
        return f"{MONTHS[int(m[2]) - 1]} {m[1]}"
    m = re.fullmatch(r"(\d{4})-(SP|SU|FA|AU|WI)", value)
    if m:
        season = {
            "SP": "spring",
            "SU": "summer",
            "FA": "autumn",
            "AU": "autumn",
            "WI": "winter",
        }[m[2]]
        return f"{season} {m[1]}"
    m = re.fullmatch(r"(\d{4})-W(\d{2})", value)
    if m:
        return f"week {int(m[2])} of {m[1]}"
    m = re.fullmatch(r"(\d{4})-([QH])(\d)", value)
    if m:
        return f"{m[2]}{m[3]} {m[1]}"
    m = re.fullmatch(r"(\d{3})X?", value)
    if m:
        return f"the {m[1]}0s"
    return value


def date_sort_key(value: str | None) -> tuple[int, int, str]:
    """Orders TimeML values by start day, wider intervals after narrower ones; undated last."""
    span = timeml_interval(value)
    if span is None:
        return (1, 0, value or "")
    first, last = span
    return (
        0,
        first.toordinal() * 100000 + min((last - first).days, 99999),
        value or "",
    )


def article_header(article: Article) -> dict[str, str]:
    """What a page shows above an article: title, outlet, byline, date, URL (as text) and path."""
    return {
        "title": one_line(article.title) or article.path,
        "outlet": outlet_name(article),
        "byline": one_line(article.byline),
        "date": fmt_date(article.published.date) if article.published else "",
        "url": article.url or "",
        "path": article.path,
    }
