"""Tests for newsdesk.clean: decoding, chrome removal, metadata, seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.clean import clean_document, clean_text, decode
from newsdesk.model import Article, Dropped, PubDate, RawDocument, article_id

BODY_A = "The river council approved the new bridge on Tuesday after a long debate."
BODY_B = "Engineers said construction would take about two years and cost 40 million euros."
BODY_C = "Residents of the northern district had asked for a crossing since the old ferry closed."


def article(text: str, media_type: str = "text/plain", **meta: str) -> Article:
    result = clean_document(RawDocument("doc.txt", text.encode("utf-8"), media_type, dict(meta)))
    assert isinstance(result, Article), result
    return result


# ---- decode -------------------------------------------------------------------


def test_decode_reads_utf8_and_its_bom() -> None:
    assert decode("Zürich “quoted”".encode()) == "Zürich “quoted”"
    assert decode("\ufeffbridge".encode("utf-8")) == "bridge"


def test_decode_reads_utf16_with_bom() -> None:
    assert decode("Café in Zürich".encode("utf-16")) == "Café in Zürich"


def test_one_stray_latin1_byte_in_a_utf8_file_costs_nothing_else() -> None:
    line = "The ferry to Brønvik sails at noon, the harbour master said.\n"
    data = (line * 3).encode() + b"Tickets cost 12 \xa3 at the caf\xe9.\n" + (line * 3).encode()
    text = decode(data)
    assert text is not None
    assert text.count("Brønvik") == 6 and "Ã" not in text
    assert "Tickets cost 12 £ at the café." in text


def test_a_file_of_single_byte_text_with_no_utf8_is_still_read_whole_as_its_encoding() -> None:
    assert decode("Ferry to Brønvik, café at the pier".encode("latin-1")) == "Ferry to Brønvik, café at the pier"


def test_decode_falls_back_to_windows_1252_for_western_text() -> None:
    assert decode("The café’s “menu” is naïve".encode("cp1252")) == "The café’s “menu” is naïve"


def test_decode_reads_cyrillic_single_byte_text() -> None:
    text = "Мост через реку откроют в следующем году, сказал мэр города. " * 4
    assert decode(text.encode("cp1251")) == text


def test_decode_gives_none_for_control_byte_garbage() -> None:
    assert decode(bytes(range(1, 32)) * 20) is None


def test_undecodable_bytes_are_dropped_by_clean() -> None:
    result = clean_document(RawDocument("junk.bin", bytes(range(1, 32)) * 20, "text/plain"))
    assert isinstance(result, Dropped) and result.stage == "clean"


# ---- chrome lines -----------------------------------------------------------------


def test_slide_counter_full_screen_and_search_prompts_are_removed() -> None:
    a = article(f"Bridge Vote Passes\n\nFull Screen\n2 / 5\n\n{BODY_A}\n\n{BODY_B}\n\nRecommended Posts\n\nStart typing and press Enter to search\n")
    assert a.title == "Bridge Vote Passes"
    assert a.text == f"{BODY_A}\n\n{BODY_B}"
    assert {"Full Screen", "2 / 5", "Recommended Posts", "Start typing and press Enter to search"} <= set(a.removed)


def test_share_follow_and_separator_lines_are_removed() -> None:
    a = article(f"{BODY_A}\n\n__\n\n{BODY_B}\n\nFollow us on Facebook and Instagram for updates\nShare this article\n")
    assert a.text == f"{BODY_A}\n\n{BODY_B}"
    assert "Follow us on Facebook and Instagram for updates" in a.removed


def test_category_line_is_removed() -> None:
    a = article(f"Bridge Vote Passes\n\nIn Europe, Transport, Local Politics\n\n{BODY_A}\n\n{BODY_B}")
    assert "In Europe, Transport, Local Politics" in a.removed
    assert "Transport" not in a.text


def test_read_time_glued_to_dateline_gives_the_publication_date() -> None:
    a = article(f"Bridge Vote Passes\n\n4 MINS READFeb 11, 2021 | 08:30 GMT\n\n{BODY_A}\n\n{BODY_B}")
    assert a.published == PubDate("2021-02-11", "day", "dateline")
    assert "READ" not in a.text and "2021" not in a.text


def test_bare_date_line_near_the_top_is_the_publication_date() -> None:
    a = article(f"Bridge Vote Passes\n5 min read\n14 March, 2019\n{BODY_A}\n\n{BODY_B}")
    assert a.published == PubDate("2019-03-14", "day", "dateline")
    assert "5 min read" in a.removed and "14 March, 2019" in a.removed


def test_caption_is_removed_and_its_date_is_never_the_publication_date() -> None:
    caption = (
        "FILE - In this June 2, 2018 file photo, workers inspect the old ferry pier in Lindau. "
        "(AP Photo/Jane Doe, File)"
    )
    a = article(f"Bridge Vote Passes\n\n{caption}\n\n{BODY_A}\n\n{BODY_B}")
    assert a.published is None
    assert caption in a.removed
    assert "ferry pier" not in a.text


def test_caption_with_bracketed_agency_credit_is_removed() -> None:
    caption = "A worker walks along the riverbank near the planned crossing [Getty]"
    a = article(f"Bridge Vote Passes\n{caption}\n{BODY_A}\n\n{BODY_B}")
    assert caption in a.removed and "riverbank" not in a.text


def test_page_without_a_date_has_no_publication_date() -> None:
    a = article(f"Bridge Vote Passes\n\n{BODY_A}\n\n{BODY_B}\n\nCopyright 2022 The Associated Press. All rights reserved.")
    assert a.published is None  # never the copyright year, never today


# ---- publisher ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "publisher"),
    [
        ("Copyright 2020 The Associated Press. All rights reserved.", "AP"),
        ("Copyright © Acme Analytics Enterprises, LLC. All rights reserved.", "Acme Analytics"),
        ("© 2021 Agence France-Presse", "AFP"),
        ("Copyright 2019 Thomson Reuters. All rights reserved.", "Reuters"),
        ("Copyright © 2018 River Valley Media, Inc. All rights reserved.", "River Valley Media"),
    ],
)
def test_copyright_line_names_the_publisher_without_legal_suffixes(line: str, publisher: str) -> None:
    a = article(f"Bridge Vote Passes\n\n{BODY_A}\n\n{BODY_B}\n\n{line}")
    assert a.publisher == publisher
    assert line in a.removed and "rights" not in a.text


def test_syndication_footer_gives_publisher_title_and_signal() -> None:
    footer = "The post Council Backs New River Bridge appeared first on Lakeside Daily."
    a = article(f"{BODY_A} {BODY_B}\n{footer}\nRecent Comments")
    assert a.publisher == "Lakeside Daily"
    assert a.title == "Council Backs New River Bridge"
    assert "syndication-footer" in a.signals
    assert a.text == f"{BODY_A} {BODY_B}"
    assert "Recent Comments" in a.removed


def test_syndication_footer_glued_to_the_body_is_split_off() -> None:
    a = article(f"{BODY_A} {BODY_B} The post Bridge Vote appeared first on Lakeside Daily.")
    assert a.text == f"{BODY_A} {BODY_B}"
    assert a.publisher == "Lakeside Daily"


def test_syndication_footer_beats_the_wire_copyright() -> None:
    text = f"{BODY_A}\n\n{BODY_B}\n\nCopyright 2020 The Associated Press.\n\nThe post Bridge appeared first on Lakeside Daily."
    assert article(text).publisher == "Lakeside Daily"


def test_trailing_source_links_line_names_the_publisher() -> None:
    a = article(f"Bridge Vote Passes\n\n{BODY_A}\n\n{BODY_B}\n\nThe Harbour Herald source|articles\n")
    assert a.publisher == "The Harbour Herald"
    assert "Harbour Herald" not in a.text


def test_site_name_and_mission_statement_after_the_copyright_are_footer() -> None:
    footer = "Copyright © Acme Analytics Enterprises, LLC. All rights reserved.\n\nAcme Insight\n\nTo help readers understand a complex world with clarity."
    a = article(f"Bridge Vote Passes\n\n{BODY_A}\n\n{BODY_B}\n\n{BODY_C}\n\nArticle Search\n\n{footer}")
    assert a.text == f"{BODY_A}\n\n{BODY_B}\n\n{BODY_C}"
    assert "Acme Insight" in a.removed


def test_json_record_fields_are_trusted_over_guesses() -> None:
    a = article(f"{BODY_A}\n\n{BODY_B}", title="Given Title", publisher="Given Desk", published="2021-05-04T09:00:00Z", url="https://example.org/x")
    assert (a.title, a.publisher, a.url) == ("Given Title", "Given Desk", "https://example.org/x")
    assert a.published == PubDate("2021-05-04", "day", "metadata")


def test_date_in_the_url_is_used_when_nothing_better_exists() -> None:
    a = article(f"{BODY_A}\n\n{BODY_B}", url="https://example.org/news/2019/07/08/bridge-vote")
    assert a.published == PubDate("2019-07-08", "day", "url")


def test_site_describing_itself_at_the_end_is_footer_and_names_the_publisher() -> None:
    footer = "Harbour Herald is an independent newspaper for the lake district."
    a = article(f"Bridge Vote Passes\n\n{BODY_A}\n\n{BODY_B}\n\n{footer}")
    assert a.publisher == "Harbour Herald"
    assert a.text == f"{BODY_A}\n\n{BODY_B}"


def test_last_sentence_about_a_person_is_not_taken_for_a_site_description() -> None:
    last = "The mayor is a former engineer who worked on the old ferry."
    assert article(f"{BODY_A}\n\n{BODY_B}\n\n{last}").text.endswith(last)


def test_masthead_line_is_chrome_and_a_weak_publisher_hint() -> None:
    a = article(f"Bridge Vote Passes\n\nHarbour Herald | Transport\n\n{BODY_A}\n\n{BODY_B}")
    assert a.publisher == "Harbour Herald"
    assert "Transport" not in a.text


def test_row_of_share_buttons_and_source_credit_are_chrome() -> None:
    a = article(f"Bridge Vote Passes\nSource: Coast Wire\nShare on Facebook | Share on X | Email\n\n{BODY_A}\n\n{BODY_B}\n\nRead the full story at Coast Wire")
    assert a.text == f"{BODY_A}\n\n{BODY_B}"


def test_related_heading_and_the_headlines_listed_under_it_are_chrome_mid_body() -> None:
    listing = "Council Members Reject The Idea Of A Toll.\n\nFerry Operator Scores A Late Win On Fares."
    a = article(f"Bridge Vote Passes\n\n{BODY_A}\n\n\"Related:\"\n\n{listing}\n\n{BODY_B}\n\n{BODY_C}")
    assert a.text == f"{BODY_A}\n\n{BODY_B}\n\n{BODY_C}"
    assert "Ferry Operator Scores A Late Win On Fares." in a.removed


def test_see_also_list_at_the_end_is_chrome() -> None:
    a = article(f"Bridge Vote Passes\n\n{BODY_A}\n\n{BODY_B}\n\nSee also:\nHarbour Dredging Plan Delayed Again\nNew Tram Line Opens In The North")
    assert a.text == f"{BODY_A}\n\n{BODY_B}"


def test_a_headline_shaped_line_without_a_related_heading_stays() -> None:
    line = "Mayor Anna Berg Opens The New Bridge On Friday."
    a = article(f"Bridge Vote Passes\n\n{BODY_A}\n\n{line}\n\n{BODY_B}")
    assert line in a.text


def test_date_with_author_line_gives_date_and_byline() -> None:
    a = article(f"Bridge Vote Passes\n\nMay 5, 2021 by Lakeside Newsroom\n\n{BODY_A}\n\n{BODY_B}")
    assert a.published == PubDate("2021-05-05", "day", "dateline")
    assert a.byline == "Lakeside Newsroom"


def test_byline_with_outlet_names_the_publisher() -> None:
    a = article(f"Bridge Vote Passes\nBy Ann Lee, Harbour Herald\n{BODY_A}\n\n{BODY_B}")
    assert (a.byline, a.publisher) == ("Ann Lee, Harbour Herald", "Harbour Herald")
    b = article(f"Bridge Vote Passes\nBy Ann Lee, staff writer\n{BODY_A}\n\n{BODY_B}")
    assert b.publisher is None


# ---- title, paragraphs, signals --------------------------------------------------------


def test_title_repeated_on_the_next_line_is_dropped() -> None:
    a = article(f"Bridge Vote Passes\n\nBridge Vote Passes\n{BODY_A}\n\n{BODY_B}")
    assert a.title == "Bridge Vote Passes"
    assert "Bridge Vote Passes" not in a.text
    assert a.text.startswith(BODY_A)


def test_first_line_that_is_a_sentence_is_not_taken_as_title() -> None:
    a = article(f"{BODY_A}\n\n{BODY_B}")
    assert a.title is None
    assert a.text.startswith(BODY_A)


def test_line_broken_mid_sentence_is_rejoined() -> None:
    a = article(f"{BODY_A}\n\nThe ferry stopped running last spring after\nyears of falling demand.\n\n{BODY_B}")
    assert "The ferry stopped running last spring after years of falling demand." in a.text.split("\n\n")


def test_paragraphs_are_separated_by_blank_lines() -> None:
    a = article(f"{BODY_A}\n{BODY_B}\n{BODY_C}")
    assert a.text.split("\n\n") == [BODY_A, BODY_B, BODY_C]


def test_place_dateline_stays_with_the_first_paragraph() -> None:
    a = article(f"LINDAU, Germany (AP) — {BODY_A}\n\n{BODY_B}")
    assert a.text.startswith(f"LINDAU, Germany (AP) — {BODY_A}")


@pytest.mark.parametrize("marker", ["[…]", "[...]"])
def test_truncation_marker_is_a_signal_and_leaves_the_text(marker: str) -> None:
    a = article(f"{BODY_A}\n\n{BODY_B} The council will meet again in {marker}")
    assert "truncated" in a.signals
    assert a.text.endswith("meet again in")


def test_one_huge_paragraph_is_flagged_flattened() -> None:
    flat = " ".join([BODY_A, BODY_B, BODY_C] * 4)
    assert "flattened" in article(flat).signals
    assert "flattened" not in article("\n\n".join([BODY_A, BODY_B, BODY_C] * 4)).signals


def test_text_without_an_article_body_is_dropped() -> None:
    result = clean_document(RawDocument("nav.txt", b"Full Screen\n1 / 3\nShare this article\n", "text/plain"))
    assert result == Dropped("nav.txt", "clean", "no article text found")


def test_article_id_is_the_hash_of_the_clean_text() -> None:
    a = article(f"Bridge Vote Passes\n\n{BODY_A}\n\n{BODY_B}")
    assert a.id == article_id(a.text)


def test_clean_text_is_deterministic() -> None:
    text = f"Bridge Vote Passes\n\n{BODY_A}\n\nShare\n\n{BODY_B}"
    assert clean_text(text) == clean_text(text)


# ---- HTML ---------------------------------------------------------------------------


HTML_PAGE = f"""<!doctype html><html><head><title>Council Backs Bridge | Lakeside Daily</title>
<meta property="og:title" content="Council Backs Bridge">
<meta property="og:site_name" content="Lakeside Daily">
<meta property="article:published_time" content="2021-06-09T10:00:00Z">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Council Backs Bridge</h1>
<p>{BODY_A} {BODY_C}</p><p>{BODY_B} The mayor called the vote a turning point for the district.</p>
<p>Opponents said the money should have gone to schools and promised to keep campaigning against it.</p>
</article><footer>Copyright 2021 Lakeside Daily. All rights reserved.</footer></body></html>"""


def test_html_page_gives_body_title_publisher_and_date() -> None:
    a = article(HTML_PAGE, media_type="text/html")
    assert a.title == "Council Backs Bridge"
    assert a.publisher == "Lakeside Daily"
    assert a.published is not None and a.published.date == "2021-06-09" and a.published.source == "metadata"
    assert BODY_B in a.text and "Home" not in a.text and "Council Backs Bridge" not in a.text


def test_html_page_without_text_is_dropped() -> None:
    result = clean_document(RawDocument("empty.html", b"<html><body><nav>Home</nav></body></html>", "text/html"))
    assert isinstance(result, Dropped) and result.reason == "no article text found"


# ---- the seed articles ------------------------------------------------------------------


def seed(seeds: Path, prefix: str) -> Article:
    path = next(seeds.glob(f"{prefix}_*.txt"))
    result = clean_document(RawDocument(str(path), path.read_bytes(), "text/plain"))
    assert isinstance(result, Article), result
    return result


def test_seed_000_ap_explainer(seeds: Path) -> None:
    a = seed(seeds, "000")
    assert a.title == "EXPLAINER: How could US drawdown in Iraq aid IS, Iran?"
    assert a.publisher == "AP"
    assert a.published is None  # only a caption date and a copyright year on the page
    assert a.text.startswith("MOSUL – In a quest to root out Islamic State group hideouts")
    assert "So how could the American drawdown help IS and Iran? Here are three key ways." in a.text
    assert "regrouped and drove IS out in a costly three-year campaign." in a.text
    for chrome in ("Full Screen", "1 / 3", "Copyright", "AP Photo", "FILE -", "__", a.title):
        assert chrome not in a.text
    assert a.text.count("In a quest to root out") == 1  # the caption repeated the lead


def test_seed_001_syndicated_repost(seeds: Path) -> None:
    a = seed(seeds, "001")
    assert a.publisher == "The Yeshiva World"
    assert a.title == "EXPLAINER: How Could US Drawdown In Iraq Aid ISIS, Iran?"
    assert {"truncated", "flattened", "syndication-footer"} <= a.signals
    assert "“If the U.S. leaves us now, it will be a big mistake,” he said." in a.text
    assert a.text.endswith("IS lost the last territory under its")
    assert "appeared first on" not in a.text and "Recent Comments" not in a.text


def test_seed_002_defense_post(seeds: Path) -> None:
    a = seed(seeds, "002")
    assert a.title == "US General Sees Iraq Troop Drawdown as IS Threat Dims"
    assert a.publisher == "The Defense Post"
    assert a.published is None
    assert a.text.startswith("A feared resurgence of the Islamic State has not so far materialized in Iraq")
    assert a.text.endswith("is to be handed to them on Saturday, he added.")
    assert "There are currently about 5,200 US troops in Iraq" in a.text
    for chrome in ("Terrorism", "source|articles", "Recommended Posts", "Start typing"):
        assert chrome not in a.text


def test_seed_003_stratfor(seeds: Path) -> None:
    a = seed(seeds, "003")
    assert a.title == "As Attacks in Iraq Increase, U.S.-Led Coalition Forces Retreat"
    assert a.publisher == "Stratfor"
    assert a.published == PubDate("2020-03-23", "day", "dateline")
    assert "On March 19, the official Iraqi Security Media Cell announced via Twitter" in a.text
    assert a.text.rstrip().endswith("thus ending the ongoing proxy battle.")
    for chrome in ("MINS READ", "GMT", "Article Search", "Copyright", "Stratfor Worldview", "To empower members"):
        assert chrome not in a.text


def test_seed_004_new_arab(seeds: Path) -> None:
    a = seed(seeds, "004")
    assert a.title == "US general warns of IS resurgence if troops withdraw"
    assert a.published == PubDate("2020-01-23", "day", "dateline")
    assert "It collapsed last March after years of battle with coalition-backed forces." in a.text
    assert "The threat posed by the Islamic State group has lessened" in a.text
    assert a.text.rstrip().endswith("as do we,\" Grynkewich said.")
    for chrome in ("3 min read", "23 January, 2020", "[Getty]", "Follow us on Twitter", a.title):
        assert chrome not in a.text


def test_every_seed_paragraph_that_is_prose_survives(seeds: Path) -> None:
    """Long sentence-like lines of each seed are body: each must reach the clean text."""
    for path in sorted(seeds.glob("*.txt")):
        a = seed(seeds, path.name[:3])
        flat = " ".join(a.text.split())
        for line in path.read_text(encoding="utf-8").splitlines():
            line = " ".join(line.replace("\u00a0", " ").split())
            is_caption = line.startswith("FILE -") or line.endswith(("[Getty]", "File)"))
            if len(line) > 120 and line.endswith((".", '"', "”")) and not is_caption and "appeared first on" not in line:
                if "rights reserved" in line or line.startswith("To empower"):
                    continue
                assert line in flat, (path.name, line[:80])


# ---- HTML pages: metadata, the fallback extractors and htmldate -------------------------------


class _Doc:
    def __init__(self, text: str, **meta: str | None) -> None:
        self.text = text
        for key in ("title", "sitename", "author", "date", "url", "language"):
            setattr(self, key, meta.get(key))


BODY = " ".join(f"Paragraph {i} of the harbour report says the ferry service resumes next week." for i in range(12))


def test_a_page_whose_body_comes_from_the_recall_pass_keeps_the_pages_metadata(monkeypatch) -> None:
    from newsdesk.clean import html

    def run(tree, url, **options):
        if options.get("favor_precision"):  # keeps a fragment, but reads the metadata
            return _Doc("Paragraph 0 only.", title="Ferry service resumes", date="2021-03-04", sitename="Harbour Post")
        return _Doc(BODY)  # the recall pass: the whole body, no metadata

    monkeypatch.setattr(html, "_run", run)
    page = html.extract_html("<html><body><p>x</p></body></html>")
    assert page is not None and page.text == BODY
    assert (page.title, page.date, page.sitename) == ("Ferry service resumes", "2021-03-04", "Harbour Post")


def test_a_page_only_the_fallback_extractors_can_read_is_kept(monkeypatch) -> None:
    from newsdesk.clean import html

    def run(tree, url, **options):
        return _Doc(BODY) if options.get("no_fallback") is None else None

    monkeypatch.setattr(html, "_run", run)
    page = html.extract_html("<html><body><p>x</p></body></html>")
    assert page is not None and page.text == BODY


def test_htmldates_search_dates_a_page_its_metadata_and_url_leave_undated(monkeypatch) -> None:
    from newsdesk.clean import html

    monkeypatch.setattr(html, "_run", lambda tree, url, **options: _Doc(BODY, title="Ferry service resumes"))
    monkeypatch.setattr(html, "_searched_date", lambda tree: "2021-03-04")
    page = b"<html><body><p>x</p></body></html>"
    alone = clean_document(RawDocument("ferry.html", page, "text/html", {}))
    assert isinstance(alone, Article) and alone.published == PubDate("2021-03-04", "day", "page")
    dated_url = {"url": "https://harbour.example/2021/03/05/ferry"}
    with_url = clean_document(RawDocument("ferry.html", page, "text/html", dated_url))
    assert isinstance(with_url, Article) and with_url.published == PubDate("2021-03-05", "day", "url")


def test_a_real_page_dated_only_by_a_time_element_is_dated() -> None:
    paragraphs = "".join(f"<p>{s}.</p>" for s in BODY.split(". "))
    page = (
        "<html><head><title>Ferry service resumes</title></head><body><article>"
        '<div class="byline">Updated <time datetime="2021-03-04T09:30:00">4 March</time></div>'
        f"<h1>Ferry service resumes</h1>{paragraphs}</article></body></html>"
    ).encode()
    found = clean_document(RawDocument("ferry.html", page, "text/html", {}))
    assert isinstance(found, Article)
    assert found.published is not None and found.published.date == "2021-03-04"
