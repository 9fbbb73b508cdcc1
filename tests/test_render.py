"""Render stage: the JSON contract, Markdown sections, and HTML that stays inert.

The briefs here are built by hand from invented sentences (a drawdown of troops
from the made-up country of Valdoria), so the tests do not depend on the rest
of the pipeline.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest
from markupsafe import Markup

from newsdesk.errors import ConfigError
from newsdesk.model import (
    Agreement,
    Article,
    Brief,
    Cite,
    CopyLink,
    Disagreement,
    Dropped,
    FigureItem,
    OnlyHere,
    PlaceItem,
    PubDate,
    QuoteItem,
    Series,
    SeriesPoint,
    Side,
    StoryBrief,
    SummarySentence,
    TimelineEvent,
    article_id,
)
from newsdesk.render import (
    FORMATS,
    render,
    render_html,
    render_json,
    render_markdown,
    to_dict,
)
from newsdesk.render.common import fmt_date, timeml_interval
from newsdesk.render.html import CSP, segments
from newsdesk.render.svg import (
    Pin,
    Point,
    places_map,
    places_maps,
    series_chart,
    time_ticks,
)
from newsdesk.render.templating import environment
from newsdesk.render.views import StoryView

HOSTILE_TITLE = "Troops <script>alert(1)</script> leave"
HOSTILE_TAG = "<img src=x onerror=alert(1)>"
HOSTILE_LINK = "javascript:alert(1)"

WIRE = (
    "The Valdorian army said on Monday that 2,500 foreign soldiers will stay at Camp Harlow. "
    "About 4,000 soldiers were based in the country in January.\n\n"
    '"We are handing over the base in stages," said Mira Olsen, the coalition\'s deputy commander. '
    "The move follows talks in Port Amsel last March."
)
LOCAL = (
    "Officials in Port Amsel welcomed the plan. "
    "The Harbor Times counted nearly 3,000 soldiers still at Camp Harlow in June. "
    "Some lawmakers said the pace was too slow."
)


def cite(article: Article, phrase: str) -> Cite:
    start = article.text.index(phrase)
    return Cite(article.id, start, start + len(phrase))


def make_article(
    text: str, path: str, title: str, publisher: str, day: str, url: str | None = None
) -> Article:
    return Article(
        id=article_id(text),
        path=path,
        text=text,
        title=title,
        publisher=publisher,
        url=url,
        byline="By Staff",
        published=PubDate(day, "day", "metadata"),
        language="en",
    )


def sample_brief(hostile: bool = False) -> Brief:
    """Three articles (one an exact repost), one story with every section, one dropped file."""
    wire_text = WIRE + (
        f" A sign read {HOSTILE_TAG} and {HOSTILE_LINK}." if hostile else ""
    )
    wire = make_article(
        wire_text,
        "in/wire.html",
        HOSTILE_TITLE if hostile else "Troops to leave Valdoria",
        "Northwire",
        "2020-09-07",
        HOSTILE_LINK if hostile else "https://northwire.example/a",
    )
    repost = make_article(
        wire_text + " ",
        "in/ledger.html",
        "Valdoria drawdown",
        "Daily Ledger",
        "2020-09-08",
    )
    local = make_article(
        LOCAL, "in/harbor.txt", "Port Amsel reacts", "Harbor Times", "2020-09-09"
    )
    first = cite(
        wire,
        "The Valdorian army said on Monday that 2,500 foreign soldiers will stay at Camp Harlow.",
    )
    january = cite(wire, "About 4,000 soldiers were based in the country in January.")
    quote = cite(wire, "We are handing over the base in stages,")
    june = cite(
        local,
        "The Harbor Times counted nearly 3,000 soldiers still at Camp Harlow in June.",
    )
    slow = cite(local, "Some lawmakers said the pace was too slow.")
    talks = cite(wire, "The move follows talks in Port Amsel last March.")
    quote_text = "We are handing over the base in stages"
    hostile_cite = cite(wire, HOSTILE_TAG) if hostile else quote
    story = StoryBrief(
        id="s1",
        title=HOSTILE_TITLE if hostile else "Foreign troops to leave Valdoria",
        articles=[wire.id, repost.id, local.id],
        sources=2,
        summary=[
            SummarySentence(
                "The Valdorian army said 2,500 foreign soldiers will stay at Camp Harlow.",
                [first],
            ),
            SummarySentence("About 4,000 were there in January.", [january]),
        ],
        timeline=[
            TimelineEvent(
                "2020-09-07", "day", "Army announces 2,500 soldiers will stay.", [first]
            ),
            TimelineEvent("2020-03", "month", "Talks in Port Amsel.", [talks]),
            TimelineEvent(
                "2020-06", "month", "Nearly 3,000 soldiers at Camp Harlow.", [june]
            ),
        ],
        quotes=[
            QuoteItem("Mira Olsen", "deputy commander", quote_text, True, [quote]),
            QuoteItem(
                "Mira Olsen",
                "deputy commander",
                HOSTILE_TAG if hostile else "Handover in stages",
                False,
                [hostile_cite],
            ),
            QuoteItem(
                None,
                None,
                HOSTILE_LINK if hostile else "The pace was too slow",
                False,
                [slow],
            ),
        ],
        figures=[
            FigureItem(
                2500.0,
                None,
                "foreign soldiers",
                "2020-09-07",
                "2,500 foreign soldiers",
                [first],
            ),
            FigureItem(
                4000.0,
                "about",
                "soldiers",
                "2020-01",
                "About 4,000 soldiers",
                [january],
            ),
        ],
        places=[
            PlaceItem("Port Amsel", 33.31, 44.36, "VD", [talks]),
            PlaceItem("Camp Harlow", 36.19, 43.99, "VD", [first]),
        ],
        agreements=[Agreement("Soldiers remain at Camp Harlow", 2, [first, june])],
        disagreements=[
            Disagreement(
                "soldiers at Camp Harlow",
                "figure",
                [
                    Side("2,500 soldiers", [first]),
                    Side("nearly 3,000 soldiers", [june]),
                ],
            ),
        ],
        series=[
            Series(
                "foreign soldiers in Valdoria",
                [
                    SeriesPoint(4000.0, "2020-01", [january]),
                    SeriesPoint(3000.0, "2020-06", [june]),
                    SeriesPoint(2500.0, "2020-09-07", [first]),
                ],
            )
        ],
        only_here=[
            OnlyHere(
                "Harbor Times",
                local.id,
                [
                    SummarySentence(
                        f"Some lawmakers said {HOSTILE_TAG} was too slow."
                        if hostile
                        else "Some lawmakers said the pace was too slow.",
                        [slow],
                    )
                ],
            )
        ],
    )
    dropped = [
        Dropped("in/empty.txt", "ingest", "empty file"),
        Dropped("in/blob.bin", "ingest", "binary data"),
    ]
    if hostile:
        dropped.append(Dropped(f"in/{HOSTILE_TAG}.html", "clean", HOSTILE_LINK))
    link = CopyLink(repost.id, wire.id, "exact", 1.0, 1.0, 1.0)
    return Brief(
        articles=[wire, repost, local], links=[link], stories=[story], dropped=dropped
    )


def all_cites(story: dict) -> list[dict]:
    found = []
    for key in ("summary", "timeline", "quotes", "figures", "places", "agreements"):
        for item in story[key]:
            found.extend(item["citations"])
    for item in story["disagreements"]:
        for side in item["sides"]:
            found.extend(side["citations"])
    for series in story["series"]:
        for point in series["points"]:
            found.extend(point["citations"])
    for item in story["only_here"]:
        for claim in item["claims"]:
            found.extend(claim["citations"])
    return found


# ---- JSON --------------------------------------------------------------------------


def test_json_has_every_key_of_the_contract() -> None:
    data = json.loads(render_json(sample_brief()))
    assert {"articles", "stories", "dropped"} <= set(data)
    article = data["articles"][0]
    assert {
        "id",
        "path",
        "url",
        "title",
        "publisher",
        "published",
        "copy_of",
        "text",
    } <= set(article)
    assert article["published"] == {
        "date": "2020-09-07",
        "precision": "day",
        "source": "metadata",
    }
    story = data["stories"][0]
    assert {
        "id",
        "title",
        "articles",
        "sources",
        "summary",
        "timeline",
        "quotes",
        "figures",
        "places",
        "agreements",
        "disagreements",
        "series",
        "only_here",
    } <= set(story)
    assert set(story["timeline"][0]) >= {"date", "precision", "text", "citations"}
    assert set(story["quotes"][0]) >= {"speaker", "role", "text", "direct", "citations"}
    assert set(story["figures"][0]) >= {
        "value",
        "qualifier",
        "counts",
        "as_of",
        "text",
        "citations",
    }
    assert set(story["places"][0]) >= {"name", "lat", "lon", "country", "citations"}
    assert set(story["agreements"][0]) >= {"claim", "sources", "citations"}
    assert set(story["disagreements"][0]) >= {"about", "kind", "sides"}
    assert set(story["series"][0]) >= {"quantity", "points"}
    assert set(story["series"][0]["points"][0]) >= {"value", "as_of", "citations"}
    assert set(story["only_here"][0]) >= {"source", "article", "claims"}
    assert set(story["only_here"][0]["claims"][0]) >= {"text", "citations"}
    assert data["dropped"][0].keys() >= {"path", "stage", "reason"}


def test_json_only_here_names_the_source_and_cites_like_agreements() -> None:
    brief = sample_brief()
    local = brief.articles[2]
    (item,) = to_dict(brief)["stories"][0]["only_here"]
    assert item["source"] == "Harbor Times" and item["article"] == local.id
    (claim,) = item["claims"]
    c = claim["citations"][0]
    assert set(c) == {"article", "start", "end"}
    assert local.text[c["start"] : c["end"]] == claim["text"]


def test_only_here_is_escaped_in_markdown_and_html() -> None:
    brief = sample_brief(hostile=True)
    section = render_markdown(brief).split("### Only here", 1)[1].split("###", 1)[0]
    assert "**Harbor Times**" in section
    assert r"\<img src=x" in section and not re.search(r"(?<!\\)<", section)
    page = render_html(brief)
    only = page.split("Only here", 1)[1].split("</section>", 1)[0]
    assert "Harbor Times" in only
    assert "&lt;img src=x onerror=alert(1)&gt; was too slow" in only and "<img" not in only


def test_json_copy_of_points_at_the_origin_and_origins_have_none() -> None:
    brief = sample_brief()
    data = to_dict(brief)
    wire, repost, local = data["articles"]
    assert repost["copy_of"] == wire["id"] and repost["copy_kind"] == "exact"
    assert wire["copy_of"] is None and local["copy_of"] is None
    assert data["links"][0]["kind"] == "exact"


def test_json_citation_offsets_select_the_cited_sentence() -> None:
    data = json.loads(render_json(sample_brief()))
    texts = {a["id"]: a["text"] for a in data["articles"]}
    cites = all_cites(data["stories"][0])
    assert cites and all(set(c) == {"article", "start", "end"} for c in cites)
    selected = {texts[c["article"]][c["start"] : c["end"]] for c in cites}
    assert "About 4,000 soldiers were based in the country in January." in selected
    assert "Some lawmakers said the pace was too slow." in selected


def test_json_writes_whole_numbers_without_decimals_and_keeps_unicode() -> None:
    brief = sample_brief()
    brief.stories[0].title = "Soldaten verlassen Valdorië"
    text = render_json(brief)
    data = json.loads(text)
    assert data["stories"][0]["figures"][0]["value"] == 2500
    assert "2500.0" not in text
    assert "Valdorië" in text


def test_json_sorts_dropped_records() -> None:
    data = to_dict(sample_brief())
    assert [d["path"] for d in data["dropped"]] == ["in/blob.bin", "in/empty.txt"]


# ---- Markdown ----------------------------------------------------------------------


def test_markdown_has_every_section() -> None:
    text = render_markdown(sample_brief())
    for heading in (
        "# News brief",
        "## 1. Foreign troops to leave Valdoria",
        "### Summary",
        "### Timeline",
        "### Quotes",
        "### Key figures",
        "### Figures over time",
        "### Places",
        "### Where sources agree",
        "### Where sources differ",
        "### Only here",
        "### Sources",
        "## Dropped",
    ):
        assert heading in text, heading
    assert "**Northwire** (also carried by Daily Ledger)" in text
    assert "3 articles, 2 independent sources" in text
    assert "- in/empty.txt — ingest — empty file" in text


def test_markdown_citations_resolve_in_the_sources_list() -> None:
    text = render_markdown(sample_brief())
    body, sources = text.split("### Sources", 1)
    used = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    listed = {int(n) for n in re.findall(r"^(\d+)\. ", sources, flags=re.MULTILINE)}
    assert used and used == listed
    assert (
        "> The Harbor Times counted nearly 3,000 soldiers still at Camp Harlow in June."
        in sources
    )


def test_markdown_orders_timeline_by_date_and_groups_quotes_by_speaker() -> None:
    text = render_markdown(sample_brief())
    timeline = text.split("### Timeline", 1)[1].split("###", 1)[0]
    assert (
        timeline.index("Mar 2020")
        < timeline.index("Jun 2020")
        < timeline.index("7 Sep 2020")
    )
    quotes = text.split("### Quotes", 1)[1].split("###", 1)[0]
    assert quotes.count("**Mira Olsen**, deputy commander") == 1
    assert "**Unattributed**" in quotes


def test_markdown_does_not_dump_article_text() -> None:
    brief = sample_brief()
    long_tail = " ".join(
        f"Filler sentence number {i} about nothing." for i in range(200)
    )
    brief.articles[2].text += " " + long_tail
    assert "Filler sentence number 150" not in render_markdown(brief)


def test_markdown_escapes_tags_and_links_from_articles() -> None:
    text = render_markdown(sample_brief(hostile=True))
    assert not re.search(r"(?<!\\)<", text), "an unescaped < could open a tag"
    assert r"\<script\>" in text and r"\<img src=x" in text


# ---- HTML --------------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_html_escapes_hostile_titles_text_and_quotes() -> None:
    page = render_html(sample_brief(hostile=True))
    tags = parse(page)
    names = {t for t, _ in tags}
    assert "script" not in names and "img" not in names and "iframe" not in names
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    for _, attrs in tags:
        assert not any(name.startswith("on") for name in attrs), attrs
        for name in ("href", "src", "xlink:href", "action"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value.startswith("javascript:"), attrs


def test_html_links_only_to_anchors_on_the_page() -> None:
    page = render_html(sample_brief(hostile=True))
    tags = parse(page)
    ids = {attrs["id"] for _, attrs in tags if attrs.get("id")}
    hrefs = [attrs["href"] for _, attrs in tags if "href" in attrs]
    assert hrefs
    for href in hrefs:
        assert href and href.startswith("#") and href[1:] in ids, href
    for _, attrs in tags:
        for name in ("src", "href"):
            assert not re.match(r"\s*(https?:)?//", attrs.get(name) or ""), attrs
    assert not re.search(
        r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, flags=re.IGNORECASE
    )


def test_html_carries_a_strict_content_security_policy() -> None:
    page = render_html(sample_brief())
    metas = [
        a
        for t, a in parse(page)
        if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    ]
    assert metas and metas[0]["content"] == CSP
    assert "default-src 'none'" in CSP and "script-src" not in CSP


def test_html_marks_cited_spans_and_citations_carry_the_sentence() -> None:
    brief = sample_brief()
    page = render_html(brief)
    tags = parse(page)
    cites = [a for t, a in tags if t == "a" and a.get("class") == "cite"]
    assert cites
    titles = {a["title"] for a in cites}
    assert "About 4,000 soldiers were based in the country in January." in titles
    marks = {a.get("id") for t, a in tags if t == "mark"}
    assert {c["href"][1:] for c in cites} <= marks
    assert (
        "<svg" in page
        and "Timeline of dated events" in page
        and "Map of places" in page
    )


def test_html_and_every_format_are_deterministic() -> None:
    for fmt in FORMATS:
        assert render(sample_brief(hostile=True), fmt) == render(
            sample_brief(hostile=True), fmt
        )


def test_unknown_format_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown output format"):
        render(sample_brief(), "pdf")


def test_empty_brief_renders_in_every_format() -> None:
    empty = Brief(articles=[], links=[], stories=[], dropped=[])
    assert json.loads(render(empty, "json")) == {
        "articles": [],
        "links": [],
        "stories": [],
        "dropped": [],
    }
    assert "0 stories from 0 articles" in render(empty, "md")
    assert "<html" in render(empty, "html")


def test_citation_to_missing_article_does_not_break_rendering() -> None:
    brief = sample_brief()
    brief.stories[0].summary.append(SummarySentence("Ghost.", [Cite("nosuchid", 0, 4)]))
    assert "not in this brief" in render_markdown(brief)
    assert "Ghost." in render_html(brief)


# ---- pieces ------------------------------------------------------------------------


def test_segments_keep_the_text_and_mark_overlapping_spans() -> None:
    text = "Alpha beta gamma delta."
    pieces = segments(text, {(0, 10), (6, 16), (30, 40)}, 3)
    assert "".join(p.text for p in pieces) == text
    assert [p.text for p in pieces if p.marked] == ["Alpha ", "beta", " gamma"]
    assert pieces[0].anchors == ("c3-0-10",) and pieces[1].anchors == ("c3-6-16",)


@pytest.mark.parametrize(
    ("value", "first", "last"),
    [
        ("2020-01-22", "2020-01-22", "2020-01-22"),
        ("2020-02", "2020-02-01", "2020-02-29"),
        ("2020-W04", "2020-01-20", "2020-01-26"),
        ("2020-Q3", "2020-07-01", "2020-09-30"),
        ("2020-SU", "2020-06-01", "2020-08-31"),
        ("2020-WI", "2020-12-01", "2021-02-28"),
        ("2020", "2020-01-01", "2020-12-31"),
        ("201", "2010-01-01", "2019-12-31"),
        ("2021-05-06TMO", "2021-05-06", "2021-05-06"),
        ("2021-05-06T14:30", "2021-05-06", "2021-05-06"),
    ],
)
def test_timeml_values_become_calendar_intervals(
    value: str, first: str, last: str
) -> None:
    span = timeml_interval(value)
    assert span is not None and (span[0].isoformat(), span[1].isoformat()) == (
        first,
        last,
    )


def test_unknown_dates_have_no_interval_and_read_as_given() -> None:
    assert timeml_interval("2020-02-31") is None and timeml_interval("soon") is None
    assert fmt_date("2020-SU") == "summer 2020" and fmt_date(None) == "undated"


def test_time_ticks_pick_round_calendar_steps() -> None:
    from datetime import date

    months = time_ticks(date(2020, 1, 10), date(2020, 9, 7))
    assert [label for _, label in months] == [
        "Mar 2020",
        "May 2020",
        "Jul 2020",
        "Sep 2020",
    ]
    days = time_ticks(date(2020, 1, 1), date(2020, 1, 5))
    assert [label for _, label in days] == ["1 Jan", "2 Jan", "3 Jan", "4 Jan", "5 Jan"]
    years = time_ticks(date(2003, 3, 1), date(2020, 9, 7))
    assert all(re.fullmatch(r"\d{4}", label) for _, label in years) and len(years) <= 7


def test_charts_escape_labels_and_handle_single_points() -> None:
    chart = series_chart(
        "<b>troops</b>", [Point(5.0, "2020-01", "<i>x</i>"), Point(7.0, None, "y")]
    )
    assert chart is not None and "<b>" not in chart and "&lt;b&gt;troops" in chart
    assert "1 value without a date" in chart
    one = places_map([Pin("<script>x</script>", 10.0, 20.0, "t")])
    assert one is not None and "<script>" not in one and "&lt;script&gt;x" in one
    assert "20°E" in one and "10°N" in one  # graticule labels around the single point
    assert places_map([Pin("nowhere", float("nan"), 0.0, "t")]) is None


def test_crowded_cluster_far_from_other_places_gets_a_detail_map() -> None:
    near = [Pin(f"Town {i}", 33.0 + i * 0.3, 44.0 + i * 0.2, "t") for i in range(6)]
    far = [Pin("Faraway", 38.9, -77.0, "t")]
    maps = places_maps(near + far)
    assert len(maps) == 2 and "Detail map" in maps[1]
    assert all(f"Town {i}" in maps[1] for i in range(6)) and "Faraway" not in maps[1]
    assert len(places_maps(near)) == 1  # one readable map needs no detail


def test_long_citation_lists_are_cut_to_a_few_from_different_articles() -> None:
    brief = sample_brief()
    wire, _, local = brief.articles
    many = [Cite(wire.id, i, i + 5) for i in range(0, 50, 5)] + [Cite(local.id, 0, 8)]
    brief.stories[0].places[0] = PlaceItem("Port Amsel", 33.31, 44.36, "VD", many)
    text = render_markdown(brief)
    line = next(x for x in text.splitlines() if x.startswith("- Port Amsel"))
    assert line.endswith("(+8 more)") and len(re.findall(r"\[\d+\]", line)) == 3
    assert (
        "> Official" in text.split("### Sources", 1)[1]
    )  # the other outlet's citation is among those kept
    assert 'title="8 more citations in the JSON output">+8<' in render_html(brief)
    assert len(to_dict(brief)["stories"][0]["places"][0]["citations"]) == 11


# ---- one story view, two front ends ------------------------------------------------


class ToPages:
    """Links as a site with one page per article would make them."""

    def cite(self, cite: Cite) -> str:
        return f"/a/{cite.article}#{cite.start}"

    def article(self, article_id: str) -> str:
        return f"/a/{article_id}"


def test_story_view_takes_every_link_from_the_links_it_is_given() -> None:
    brief = sample_brief()
    view = StoryView(brief, 1, brief.stories[0], ToPages()).build()
    refs = [r for item in view["summary"] for r in item["refs"].items]  # type: ignore[attr-defined]
    assert refs and all(r.href.startswith("/a/") for r in refs)
    assert [r.n for r in refs] == list(range(1, len(refs) + 1))  # numbered in reading order
    assert all(row["href"].startswith("/a/") for row in view["sources_list"])  # type: ignore[attr-defined]
    outlets = view["outlets"]
    assert all(o["href"].startswith("/a/") for o in outlets)  # type: ignore[attr-defined]
    copies = [c for o in outlets for c in o["copies"]]  # type: ignore[attr-defined]
    assert copies and all(c["href"].startswith("/a/") for c in copies)


def test_static_brief_and_web_story_page_share_the_story_sections() -> None:
    env = environment()
    source = env.loader.get_source  # type: ignore[union-attr]
    for page in ("brief.html.j2", "story.html.j2"):
        text = source(env, page)[0]
        assert '{% import "_story.html.j2" as story with context %}' in text
        for section in ("summary", "timeline", "quotes", "figures", "series", "places", "sources"):
            assert f"story.{section}(s)" in text
        assert "<blockquote" not in text  # the sections are written once, in the partial


def test_static_brief_keeps_its_own_form_of_the_shared_sections() -> None:
    page = render_html(sample_brief())
    assert "<section><h3>Summary</h3>" in page and "data-excerpt" not in page
    assert "no basemap is drawn" in page and "<script" not in page


def test_places_map_draws_an_underlay_under_the_graticule_of_each_map() -> None:
    seen: list[tuple[tuple[float, ...], tuple[float, ...], int]] = []

    def underlay(box: tuple[float, float, float, float], rect: tuple[float, float, float, float], index: int) -> Markup:
        seen.append((box, rect, index))
        return Markup('<g class="land"/>')

    near = [Pin(f"Town {i}", 33.0 + i * 0.3, 44.0 + i * 0.2, "t") for i in range(6)]
    maps = places_maps([*near, Pin("Faraway", 38.9, -77.0, "t")], underlay)
    assert [index for _, _, index in seen] == [0, 1] and len(maps) == 2
    for chart in maps:
        assert re.search(r'<rect [^>]*/><g class="land"/>', chart)  # right after the plot's background
    plain = places_maps([*near, Pin("Faraway", 38.9, -77.0, "t")])
    assert [m.replace('<g class="land"/>', "") for m in maps] == plain  # the underlay adds, moves nothing


def test_a_rewrite_is_named_as_rewritten_by_its_outlet_in_markdown_and_html() -> None:
    brief = sample_brief()
    brief.links = [replace(link, kind="rewrite", aligned=0.75) for link in brief.links]
    text = render_markdown(brief)
    assert "**Northwire** (rewritten by Daily Ledger)" in text
    assert "also carried by" not in text
    html = render_html(brief)
    assert "rewritten by Daily Ledger" in html and "also carried by" not in html
    assert "rewrite copy of" in html and "(75% of sentences aligned)" in html


def test_the_sources_line_names_each_outlet_once_with_its_count() -> None:
    from dataclasses import replace

    from newsdesk.render import render_html, render_markdown

    base = sample_brief()
    wire = base.articles[0]
    more = [make_article(LOCAL + f" Note {i}.", f"in/h{i}.txt", f"Update {i}", "Harbor Times", "2020-09-10")
            for i in range(2)]
    reposts = [make_article(WIRE + " " * (i + 2), f"in/l{i}.html", "Drawdown", "Daily Ledger", "2020-09-08")
               for i in range(2)]
    links = [*base.links, *(CopyLink(r.id, wire.id, "exact", 1.0, 1.0, 1.0) for r in reposts)]
    story = replace(base.stories[0], articles=[*base.stories[0].articles, *(a.id for a in more + reposts)], sources=4)
    brief = replace(base, articles=[*base.articles, *more, *reposts], links=links, stories=[story])
    md = render_markdown(brief)
    line = next(x for x in md.splitlines() if "independent sources" in x)
    assert line.count("Harbor Times") == 1 and "**Harbor Times** (3 articles)" in line
    assert "also carried by Daily Ledger ×3" in line
    html = render_html(brief)
    assert html.count("<b><a") == 2 and "3 articles:" in html and "Daily Ledger ×3" in html


def test_key_facts_come_first_cited_and_escaped_in_markdown_and_html() -> None:
    from newsdesk.model import FactPart, KeyFact

    brief = sample_brief()
    story = brief.stories[0]
    c = story.summary[0].citations[0]
    facts = [
        KeyFact("figures", "guards <b>", [FactPart("300", "2021-05-01", [c]), FactPart("500", None, [c])]),
        KeyFact("disagreement", "the <i>dam</i>", [FactPart("It <script>holds</script>.", None, [c]),
                                                   FactPart("It will fail.", None, [c])]),
    ]
    brief = replace(brief, stories=[replace(story, key_facts=facts), *brief.stories[1:]])
    md = render_markdown(brief)
    section = md.split("### Key facts", 1)[1].split("###", 1)[0]
    assert md.index("### Key facts") < md.index("### Summary")
    assert "300 (1 May 2021) [1]; 500 [1]" in section
    assert "Sources differ on the \\<i\\>dam\\</i\\>" in section
    page = render_html(brief)
    block = page.split("Key facts", 1)[1].split("</section>", 1)[0]
    assert "guards &lt;b&gt;" in block and "It &lt;script&gt;holds&lt;/script&gt;." in block
    assert "<script>" not in block and 'class="cite"' in block


def test_background_dates_are_listed_apart_after_the_story_days() -> None:
    brief = sample_brief()
    story = brief.stories[0]
    c = story.summary[0].citations[0]
    old = TimelineEvent("1964", "year", "The old dam was built.", [c], background=True)
    brief = replace(brief, stories=[replace(story, timeline=[*story.timeline, old]), *brief.stories[1:]])
    section = render_markdown(brief).split("### Timeline", 1)[1].split("###", 1)[0]
    own, background = section.split("**Background**")
    assert "1964" not in own and "The old dam was built." in background
    page = render_html(brief)
    timeline = page.split("Timeline", 1)[1].split("</section>", 1)[0]
    assert timeline.index("Background") < timeline.index("The old dam was built.")
