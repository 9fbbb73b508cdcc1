"""The Markdown form of a brief, written to be read in a terminal.

Takes a :class:`newsdesk.model.Brief` and gives Markdown text: per story its
outlets (copies listed under their origin), summary, timeline, quotes by
speaker, key figures, figures over time, places, agreements and disagreements,
what one source alone reports ("Only here"),
each item with numbered citations ``[n]`` that resolve in the story's
"Sources" list (article, outlet, date and the cited excerpt); then the inputs
that were dropped and why. Article text appears only as short excerpts.

Text from articles is escaped so that it cannot become HTML tags or links when
the Markdown is later rendered by some other tool.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, TypeVar
from urllib.parse import quote as url_quote

from newsdesk.model import (
    UNKNOWN_OUTLET,
    Agreement,
    Article,
    Brief,
    Cite,
    FactPart,
    FigureItem,
    PlaceItem,
    Side,
    StoryBrief,
    SummarySentence,
    TimelineEvent,
    known_outlet,
)
from newsdesk.render.common import (
    Citations,
    article_map,
    counted_names,
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

# Characters that could open a tag, a link, code or emphasis in a Markdown renderer.
# Underscores stay bare: file names are common and intraword "_" does not emphasise.
_SPECIAL = re.compile(r"([\\`*<>\[\]|])")
_LINE_START = re.compile(r"^([#+\-=>]|\d+[.)])")


class _HasCitations(Protocol):
    @property
    def citations(self) -> list[Cite]: ...


_Cited = TypeVar("_Cited", bound=_HasCitations)


def md(text: str | None) -> str:
    """Article text made inert for Markdown: one line, special characters backslash-escaped."""
    escaped = _SPECIAL.sub(r"\\\1", one_line(text))
    return _LINE_START.sub(r"\\\1", escaped)


def _refs(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _with_refs(text: str, cites: Citations, items: list[Cite]) -> str:
    refs = _refs(cites.numbers(items))
    more = pick_cites(items)[1]
    if more:
        refs += f" (+{more} more)"
    return f"{text} {refs}" if refs else text


def _outlets(brief: Brief, story: StoryBrief, articles: dict[str, Article]) -> str:
    parts = []
    for group in outlet_groups(brief, story, lambda aid: _outlet(articles.get(aid))):
        name = f"**{group.name}**"
        also = [f"{len(group.origins)} articles"] if len(group.origins) > 1 else []
        if group.copies:
            also.append(f"also carried by {_names(_outlet(articles.get(c)) for c in group.copies)}")
        if group.rewrites:
            also.append(f"rewritten by {_names(_outlet(articles.get(c)) for c in group.rewrites)}")
        if also:
            name += f" ({'; '.join(also)})"
        parts.append(name)
    n_art = len(story.articles)
    head = f"{n_art} article{'s' if n_art != 1 else ''}, "
    head += f"{story.sources} independent source{'s' if story.sources != 1 else ''}"
    return f"{head}: {'; '.join(parts)}." if parts else f"{head}."


def _names(names: Iterable[str]) -> str:
    """"AP ×2, Yahoo": each outlet once, with how many copies it carried."""
    return ", ".join(name if n == 1 else f"{name} ×{n}" for name, n in counted_names(names))


def _why(story: StoryBrief) -> str:
    """The story's dates and the key terms that hold it together, on one line."""
    parts = []
    span = span_text(story.first_date, story.last_date)
    if span:
        parts.append(f"Dates: {md(span)}.")
    if story.key_terms:
        parts.append(f"Key terms: {md(', '.join(story.key_terms))}.")
    return " ".join(parts)


def _outlet(article: Article | None) -> str:
    """The outlet's name; for a source that names none, "outlet unknown" linked to its file."""
    if article is not None and known_outlet(article) is None:
        file = article.path.rsplit("/", 1)[-1] or article.path
        return f"{md(UNKNOWN_OUTLET)} ([{md(file)}]({url_quote(article.path)}))"
    return md(outlet_name(article))


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.replace(",", "").lower()))


def _section(title: str, *paragraphs: list[str]) -> list[str]:
    """A story section: its heading, then each paragraph of lines and a blank line; nothing when all are empty."""
    lines: list[str] = []
    for paragraph in paragraphs:
        if paragraph:
            lines += [*paragraph, ""]
    return [f"### {title}", "", *lines] if lines else []


def _key_facts(story: StoryBrief, cites: Citations) -> list[str]:
    lines: list[str] = []
    for fact in story.key_facts:
        if fact.kind == "figures":
            values = "; ".join(
                _with_refs(md(p.text) + (f" ({md(fmt_date(p.as_of))})" if p.as_of else ""), cites, p.citations)
                for p in fact.parts
            )
            lines.append(f"- **{md(fact.label)}**: {values}")
        else:
            head = f"**Sources differ on {md(fact.label)}**" if fact.label else "**Sources differ**"
            lines += _nested(head, fact.parts, cites)
    return _section("Key facts", lines)


def _summary(story: StoryBrief, cites: Citations) -> list[str]:
    text = " ".join(_with_refs(md(s.text), cites, s.citations) for s in story.summary)
    return _section("Summary", [text] if story.summary else [])


def _bullets(title: str, items: Sequence[_Cited], line: Callable[[_Cited], str], cites: Citations) -> list[str]:
    """A section of one bullet per item: ``line(item)`` followed by the item's citations."""
    return _section(title, [_with_refs(line(item), cites, item.citations) for item in items])


def _timeline(story: StoryBrief, cites: Citations) -> list[str]:
    """The story's own dated developments, then the background dates apart."""
    events = sorted(story.timeline, key=lambda e: date_sort_key(e.date))

    def line(e: TimelineEvent) -> str:
        return _with_refs(f"- **{md(fmt_date(e.date))}** — {md(e.text)}", cites, e.citations)

    own = [line(e) for e in events if not e.background]
    background = [line(e) for e in events if e.background]
    return _section("Timeline", own, ["**Background**", "", *background] if background else [])


def _quotes(story: StoryBrief, cites: Citations) -> list[str]:
    paragraphs: list[list[str]] = []
    for speaker, roles, said in speaker_groups(story.quotes):
        head = f"**{md(speaker)}**" + (f", {md('; '.join(roles))}" if roles else "")
        lines = [head, ""]
        for quote in said:
            body = f"“{md(quote.text)}”" if quote.direct else f"{md(quote.text)} (paraphrase)"
            lines.append(_with_refs(f"- {body}", cites, quote.citations))
        paragraphs.append(lines)
    return _section("Quotes", *paragraphs)


def _figure_line(fig: FigureItem) -> str:
    line = f"- **{md(fmt_figure(fig.value, fig.qualifier))}**"
    if fig.counts:
        line += f" {md(fig.counts)}"
    if fig.as_of:
        line += f", as of {md(fmt_date(fig.as_of))}"
    if fig.text and not _words(fig.text) <= _words(line):
        line += f" — “{md(fig.text)}”"  # only when the source words add something
    return line


def _figures(story: StoryBrief, cites: Citations) -> list[str]:
    return _bullets("Key figures", story.figures, _figure_line, cites)


def _series(story: StoryBrief, cites: Citations) -> list[str]:
    paragraphs: list[list[str]] = []
    for series in story.series:
        points = sorted(series.points, key=lambda p: date_sort_key(p.as_of))
        lines = [f"**{md(series.quantity)}**", ""]
        for point in points:
            lines.append(_with_refs(f"- {md(fmt_date(point.as_of))}: {fmt_number(point.value)}", cites, point.citations))
        paragraphs.append(lines)
    return _section("Figures over time", *paragraphs)


def _place_line(place: PlaceItem) -> str:
    country = f" ({md(place.country)})" if place.country else ""
    return f"- {md(place.name)}{country} — {fmt_latlon(place.lat, place.lon)}"


def _places(story: StoryBrief, cites: Citations) -> list[str]:
    return _bullets("Places", story.places, _place_line, cites)


def _agreement_line(item: Agreement) -> str:
    return f"- {md(item.claim)} — {item.sources} source{'s' if item.sources != 1 else ''}"


def _agreements(story: StoryBrief, cites: Citations) -> list[str]:
    return _bullets("Where sources agree", story.agreements, _agreement_line, cites)


def _nested(head: str, claims: list[Side] | list[SummarySentence] | list[FactPart], cites: Citations) -> list[str]:
    """A bullet with the claims under it, one indented bullet each with its citations."""
    return [f"- {head}", *(_with_refs(f"  - {md(c.text)}", cites, c.citations) for c in claims)]


def _disagreements(story: StoryBrief, cites: Citations) -> list[str]:
    lines = [
        line
        for item in story.disagreements
        for line in _nested(f"**{md(item.about)}** ({md(item.kind)})" if item.about else f"**{md(item.kind)}**",
                            item.sides, cites)
    ]
    return _section("Where sources differ", lines)


def _only_here(story: StoryBrief, cites: Citations) -> list[str]:
    lines = [line for item in story.only_here for line in _nested(f"**{md(item.source)}**", item.claims, cites)]
    return _section("Only here", lines)


def _sources(cites: Citations, articles: dict[str, Article]) -> list[str]:
    lines: list[str] = []
    for n, cite in enumerate(cites.order, start=1):
        article = articles.get(cite.article)
        if article is None:
            lines.append(f"{n}. (article {md(cite.article)} is not in this brief)")
            continue
        title = md(article.title) if article.title else md(article.path)
        head = f"{n}. “{title}” — {_outlet(article)}"
        if article.published is not None:
            head += f", {md(fmt_date(article.published.date))}"
        lines.append(head)
        lines.append(f"   > {md(excerpt(articles, cite))}")
    return _section("Sources", lines)


def _story(
    brief: Brief, number: int, story: StoryBrief, articles: dict[str, Article]
) -> list[str]:
    cites = Citations()
    lines = [
        f"## {number}. {md(story.title)}",
        "",
        _outlets(brief, story, articles),
        "",
    ]
    why = _why(story)
    if why:
        lines += [why, ""]
    for section in (
        _key_facts,
        _summary,
        _timeline,
        _quotes,
        _figures,
        _series,
        _places,
        _agreements,
        _disagreements,
        _only_here,
    ):
        lines.extend(section(story, cites))
    lines.extend(_sources(cites, articles))
    return lines


def _dropped(brief: Brief) -> list[str]:
    if not brief.dropped:
        return []
    lines = ["## Dropped", ""]
    for item in sorted(brief.dropped, key=lambda d: (d.path, d.stage, d.reason)):
        lines.append(f"- {md(item.path)} — {md(item.stage)} — {md(item.reason)}")
    return [*lines, ""]


def _overview(brief: Brief) -> str:
    n_stories, n_articles, n_dropped = (
        len(brief.stories),
        len(brief.articles),
        len(brief.dropped),
    )
    text = f"{n_stories} stor{'ies' if n_stories != 1 else 'y'} from {n_articles} article{'s' if n_articles != 1 else ''}"
    if n_dropped:
        text += f"; {n_dropped} input{'s' if n_dropped != 1 else ''} dropped (listed at the end)"
    return text + "."


def render_markdown(brief: Brief) -> str:
    """The brief as Markdown text, ending with a newline."""
    articles = article_map(brief)
    lines = ["# News brief", "", _overview(brief), ""]
    for number, story in enumerate(brief.stories, start=1):
        lines.extend(_story(brief, number, story, articles))
    lines.extend(_dropped(brief))
    return "\n".join(lines).rstrip("\n") + "\n"
