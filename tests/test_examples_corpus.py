"""Structural checks on the bundled example corpus, ``examples/``.

These need no pipeline: they keep the corpus files, ``examples/README.md`` and
the answer key ``examples/EXPECTED.md`` in step, so the end-to-end tests built
on EXPECTED.md can trust it (every file is indexed once, dates and titles in
the index match the files, copies really copy and independent reports really
are independent).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CORPUS = EXAMPLES / "corpus"
DOC_FILES = {"README.md", "EXPECTED.md"}
JSONL_FIELDS = {"title", "text", "url", "published", "publisher"}


@dataclass(frozen=True)
class Entry:
    """One row of the index table in EXPECTED.md."""

    name: str
    story: str
    kind: str
    copy_of: str | None
    publisher: str
    published: str | None
    title: str


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file())


def _cell(value: str) -> str:
    return value.strip().strip("`").strip()


def read_index() -> list[Entry]:
    """Parse the ``| `name` | story | ...`` rows of EXPECTED.md's index table."""
    entries = []
    for line in (EXAMPLES / "EXPECTED.md").read_text(encoding="utf-8").splitlines():
        if not line.startswith("| `"):
            continue
        cells = [_cell(c) for c in line.strip().strip("|").split("|")]
        name, story, kind, copy_of, _copy_kind, publisher, published, title = cells
        entries.append(
            Entry(
                name=name,
                story=story,
                kind=kind,
                copy_of=None if copy_of == "-" else copy_of,
                publisher=publisher,
                published=None if published == "none" else published,
                title=title,
            )
        )
    return entries


def jsonl_records(path: Path) -> list[dict[str, str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


class _PageParser(HTMLParser):
    """Collects <meta property/name> values and the text inside <article>."""

    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.article_depth = 0
        self.article_seen = False
        self.chunks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "meta":
            key = a.get("property") or a.get("name")
            if key and a.get("content") is not None:
                self.meta[key] = a["content"] or ""
        if tag == "article":
            self.article_depth += 1
            self.article_seen = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.article_depth -= 1
        elif tag == "p" and self.article_depth:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if self.article_depth:
            self.chunks.append(data)


def parse_page(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def article_texts() -> dict[str, str]:
    """Entry name -> rough article text (whole file for .txt, <article> for html)."""
    texts: dict[str, str] = {}
    for path in corpus_files():
        if path.suffix == ".jsonl":
            for i, rec in enumerate(jsonl_records(path), start=1):
                texts[f"{path.name}:{i}"] = rec["text"]
        elif path.suffix == ".html":
            texts[path.name] = "".join(parse_page(path).chunks)
        else:
            texts[path.name] = path.read_text(encoding="utf-8")
    return texts


def shingles(text: str, n: int = 8) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def containment(copy: str, origin: str) -> float:
    a, b = shingles(copy), shingles(origin)
    return len(a & b) / len(a) if a else 0.0


# ---- files -------------------------------------------------------------------


def test_corpus_is_declared_fictional_in_readme() -> None:
    readme = (EXAMPLES / "README.md").read_text(encoding="utf-8").lower()
    assert "fiction" in readme
    assert "invented" in readme


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_every_file_decodes_as_utf8_and_has_a_known_format(path: Path) -> None:
    text = path.read_bytes().decode("utf-8")  # raises on bad bytes
    assert not text.startswith("\ufeff"), "no byte-order mark"
    assert path.suffix in {".txt", ".html", ".jsonl"}
    assert text.strip()


def test_jsonl_records_parse_with_the_documented_fields() -> None:
    feeds = [p for p in corpus_files() if p.suffix == ".jsonl"]
    assert len(feeds) == 1
    records = jsonl_records(feeds[0])
    assert 2 <= len(records) <= 3
    for rec in records:
        assert JSONL_FIELDS <= rec.keys()
        assert all(isinstance(rec[k], str) and rec[k].strip() for k in JSONL_FIELDS)
        datetime.fromisoformat(rec["published"])
        assert rec["url"].startswith("https://") and ".example/" in rec["url"]
        assert "fictional" in rec.get("note", "").lower()
        assert "\n\n" in rec["text"], "paragraphs are separated by blank lines"


@pytest.mark.parametrize(
    "path", [p for p in corpus_files() if p.suffix == ".html"], ids=lambda p: p.name
)
def test_html_pages_look_like_saved_news_pages(path: Path) -> None:
    raw = path.read_text(encoding="utf-8")
    page = parse_page(path)
    assert "<title>" in raw and page.article_seen
    for key in ("og:site_name", "og:title", "article:published_time", "newsdesk-note"):
        assert key in page.meta, key
    datetime.fromisoformat(page.meta["article:published_time"])
    assert "fictional" in page.meta["newsdesk-note"].lower()
    assert "cookie" in raw.lower(), "keeps a cookie banner as chrome"
    assert "<nav" in raw and "<footer" in raw and "<aside" in raw


def test_format_mix_matches_the_plan() -> None:
    suffixes = [p.suffix for p in corpus_files()]
    assert 3 <= suffixes.count(".html") <= 4
    assert suffixes.count(".txt") > suffixes.count(".html")


# ---- the index in EXPECTED.md -------------------------------------------------


def test_expected_md_indexes_every_file_and_record_exactly_once() -> None:
    names = [e.name for e in read_index()]
    assert len(names) == len(set(names))
    assert set(names) == set(article_texts())
    expected_text = (EXAMPLES / "EXPECTED.md").read_text(encoding="utf-8")
    for path in corpus_files():
        assert path.name in expected_text


def test_corpus_size_and_each_story_has_at_least_three_articles() -> None:
    entries = read_index()
    assert 15 <= len(entries) <= 18
    stories: dict[str, int] = {}
    for e in entries:
        stories[e.story] = stories.get(e.story, 0) + 1
    assert len(stories) == 3
    assert all(n >= 3 for n in stories.values()), stories


def test_copies_point_at_an_origin_in_the_same_story() -> None:
    entries = {e.name: e for e in read_index()}
    copies = [e for e in entries.values() if e.kind == "copy"]
    assert len(copies) >= 3
    for e in copies:
        assert e.copy_of in entries, e.copy_of
        origin = entries[e.copy_of]
        assert origin.kind == "origin" and origin.story == e.story
    assert {e.kind for e in entries.values()} <= {"origin", "copy", "independent"}


def test_copies_repeat_their_origin_and_independent_reports_do_not() -> None:
    entries = {e.name: e for e in read_index()}
    texts = article_texts()
    for e in entries.values():
        others = [n for n in texts if n != e.name]
        if e.kind == "copy":
            assert e.copy_of is not None
            assert containment(texts[e.name], texts[e.copy_of]) >= 0.5, e.name
        else:
            # An original report may be quoted by copies but repeats no one.
            originals = [n for n in others if entries[n].kind != "copy"]
            worst = max(containment(texts[e.name], texts[n]) for n in originals)
            assert worst < 0.1, (e.name, worst)


def test_index_titles_and_publishers_match_the_files() -> None:
    feeds = {p.name: jsonl_records(p) for p in corpus_files() if p.suffix == ".jsonl"}
    for e in read_index():
        if ":" in e.name:
            file_name, line = e.name.rsplit(":", 1)
            rec = feeds[file_name][int(line) - 1]
            assert (rec["title"], rec["publisher"]) == (e.title, e.publisher)
        elif e.name.endswith(".html"):
            meta = parse_page(CORPUS / e.name).meta
            assert (meta["og:title"], meta["og:site_name"]) == (e.title, e.publisher)
        else:
            text = (CORPUS / e.name).read_text(encoding="utf-8")
            assert text.splitlines()[0] == e.title, "a .txt export starts with its title"
            assert e.publisher.removeprefix("The ") in text


def test_index_dates_match_metadata_and_undated_files_name_no_year() -> None:
    feeds = {p.name: jsonl_records(p) for p in corpus_files() if p.suffix == ".jsonl"}
    undated = 0
    for e in read_index():
        if ":" in e.name:
            file_name, line = e.name.rsplit(":", 1)
            assert e.published == feeds[file_name][int(line) - 1]["published"][:10]
        elif e.name.endswith(".html"):
            meta = parse_page(CORPUS / e.name).meta
            assert e.published == meta["article:published_time"][:10]
        elif e.published is None:
            undated += 1
            text = (CORPUS / e.name).read_text(encoding="utf-8")
            assert not re.search(r"\b(19|20)\d\d\b", text), e.name
        else:
            datetime.fromisoformat(e.published)
    assert undated == 2


def test_articles_are_news_length() -> None:
    for name, text in article_texts().items():
        words = len(text.split())
        # The truncated repost is short by design (about 40% of its origin).
        assert 150 <= words <= 650, (name, words)


def test_two_stories_share_a_country_name_but_no_people() -> None:
    entries = read_index()
    texts = article_texts()
    by_story: dict[str, str] = {}
    for e in entries:
        by_story[e.story] = by_story.get(e.story, "") + texts[e.name]
    assert "Portugal" in by_story["seixo-dam"] and "Portugal" in by_story["cork"]
    for name in ("Baptista", "Vilaça", "Seixo", "Mondego"):
        assert name not in by_story["cork"]
