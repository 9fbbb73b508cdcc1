"""End to end through the CLI on the five real seed articles (../shared/corpus/seeds).

The seeds are: 000 AP explainer (truncated capture), 001 a flattened repost of
it, 002 The Defense Post, 003 Stratfor, 004 The New Arab.
"""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", *args], capture_output=True, text=True, check=check, timeout=600
    )


@pytest.fixture(scope="module")
def brief(seeds: Path) -> dict[str, Any]:
    out = run_cli("brief", str(seeds), "--format", "json")
    return json.loads(out.stdout)


def by_seed(brief: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {Path(a["path"]).name[:3]: a for a in brief["articles"]}


def test_all_five_seeds_are_read_and_nothing_dropped(brief: dict[str, Any]) -> None:
    assert sorted(by_seed(brief)) == ["000", "001", "002", "003", "004"]
    assert brief["dropped"] == []


def test_repost_of_wire_story_is_counted_once(brief: dict[str, Any]) -> None:
    a = by_seed(brief)
    assert a["001"]["copy_of"] == a["000"]["id"] or (
        a["000"]["copy_of"] is not None and a["000"]["copy_of"] == a["001"]["copy_of"]
    )
    for seed in ("002", "003", "004"):
        assert a[seed]["copy_of"] is None


def test_one_story_with_four_independent_sources(brief: dict[str, Any]) -> None:
    assert len(brief["stories"]) == 1
    story = brief["stories"][0]
    assert story["sources"] == 4
    assert sorted(story["articles"]) == sorted(a["id"] for a in brief["articles"])


def test_publication_dates_and_publishers(brief: dict[str, Any]) -> None:
    a = by_seed(brief)
    assert a["003"]["published"]["date"] == "2020-03-23"
    assert a["004"]["published"]["date"] == "2020-01-23"
    # The only date in 000 is a photo caption's: not a publication date.
    assert a["000"]["published"] is None or a["000"]["published"]["date"] != "2020-03-27"
    assert a["000"]["publisher"] == "AP"
    assert a["001"]["publisher"] == "The Yeshiva World"
    assert a["002"]["publisher"] == "The Defense Post"
    assert a["003"]["publisher"] == "Stratfor"


CHROME = [
    "Full Screen", "1 / 3", "Recommended Posts", "Start typing and press Enter to search",
    "appeared first on", "Recent Comments", "MINS READ", "min read", "All rights reserved",
    "To empower members", "Article Search", "source|articles", "Follow us on Twitter",
]


def test_chrome_is_removed(brief: dict[str, Any]) -> None:
    for seed, article in by_seed(brief).items():
        for chrome in CHROME:
            assert chrome not in article["text"], (seed, chrome)


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def body_lines(raw: str) -> list[str]:
    """The seed's lines that are body text: long lines, minus the title (the first
    line, which some pages repeat), captions, the syndication footer and the
    mission statement."""
    keep = []
    lines = [line.strip() for line in raw.splitlines()]
    for line in lines[1:]:
        if line == lines[0] or len(line.split()) < 8 or any(c in line for c in CHROME):
            continue
        if line.startswith(("FILE -", "The post ")) or "[Getty]" in line:
            continue
        keep.append(line)
    return keep


def test_every_body_sentence_is_kept(brief: dict[str, Any], seeds: Path) -> None:
    articles = by_seed(brief)
    for path in sorted(seeds.iterdir()):
        text = _words(articles[path.name[:3]]["text"])
        for line in body_lines(path.read_text(encoding="utf-8")):
            for sentence in re.split(r"(?<=[.!?”])\s+(?=[A-Z“])", line):
                if len(sentence.split()) >= 4 and "[…]" not in sentence:
                    assert _words(sentence) in text, (path.name, sentence)


def test_timeline_has_the_key_dates(brief: dict[str, Any]) -> None:
    timeline = brief["stories"][0]["timeline"]
    dates = {e["date"] for e in timeline}
    assert {"2020-01-05", "2020-01-22", "2020-03-19"} <= dates
    vote = next(e for e in timeline if e["date"] == "2020-01-05")
    assert "parliament" in vote["text"]
    qaim = next(e for e in timeline if e["date"] == "2020-03-19")
    assert "al Qaim" in qaim["text"]
    keys = [e["date"] for e in timeline]
    assert keys.index("2020-01-05") < keys.index("2020-01-22") < keys.index("2020-03-19")


def test_quotes_are_attributed_to_full_names(brief: dict[str, Any]) -> None:
    quotes = brief["stories"][0]["quotes"]
    speakers = {q["speaker"] for q in quotes}
    for name in ("Najm Jibouri", "Kenneth Ekman", "Alexus Grynkewich", "Benedicte Aboul-Nasr"):
        assert name in speakers, (name, speakers)
    # "he said" resolves to the general, and his role comes along.
    potential = next(q for q in quotes if "potential to resurge" in q["text"])
    assert potential["speaker"] == "Alexus Grynkewich"
    assert "second-in-command" in (potential["role"] or "")


def test_troop_figures_are_listed(brief: dict[str, Any]) -> None:
    values = {f["value"] for f in brief["stories"][0]["figures"]}
    assert {5200, 3000, 2500} <= values


def _ascii(name: str) -> str:
    """"Al Qā’im" -> "al qaim": the gazetteer spells names as GeoNames does."""
    return re.sub(r"[^a-z ]", "", unicodedata.normalize("NFKD", name).lower())


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


@pytest.mark.parametrize(
    ("name", "lat", "lon"),
    [("Mosul", 36.34, 43.13), ("Baghdad", 33.34, 44.40), ("Kirkuk", 35.47, 44.39), ("Qaim", 34.37, 41.09)],
)
def test_places_are_geocoded_within_50_km(brief: dict[str, Any], name: str, lat: float, lon: float) -> None:
    places = brief["stories"][0]["places"]
    found = [p for p in places if name.lower() in _ascii(p["name"])]
    assert found, (name, [p["name"] for p in places])
    assert min(_km(lat, lon, p["lat"], p["lon"]) for p in found) < 50
    assert {p["precision"] for p in found} == {"city"}


def test_every_summary_sentence_cites_a_valid_span(brief: dict[str, Any]) -> None:
    texts = {a["id"]: a["text"] for a in brief["articles"]}
    summary = brief["stories"][0]["summary"]
    assert 4 <= len(summary) <= 8
    for item in summary:
        assert item["citations"]
        for c in item["citations"]:
            assert _words(texts[c["article"]][c["start"] : c["end"]]) == _words(item["text"])
    # No wire sentence twice.
    assert len({_words(s["text"]) for s in summary}) == len(summary)


def test_markdown_brief_goes_to_stdout(seeds: Path) -> None:
    out = run_cli("brief", str(seeds))
    assert "Alexus Grynkewich" in out.stdout
    assert "read 5 article(s)" in out.stderr


def test_clean_and_copies_commands(seeds: Path) -> None:
    lines = run_cli("clean", str(seeds), "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 5 and all(json.loads(line)["text"] for line in lines)
    copies = json.loads(run_cli("copies", str(seeds), "--format", "json").stdout)
    kinds = [a["copy_kind"] for a in copies["articles"] if a["copy_of"]]
    assert len(kinds) == 1


def test_annotate_gives_spans_into_text(seeds: Path) -> None:
    out = run_cli("annotate", str(seeds / "004_618ec2f034e382a2.txt"), "--format", "jsonl")
    record = json.loads(out.stdout)
    for layer in ("entities", "dates", "quotes", "figures", "places"):
        assert record[layer], layer
        for item in record[layer]:
            assert 0 <= item["start"] < item["end"] <= len(record["text"])
    assert any(d["value"] == "2020-01-05" for d in record["dates"])


def test_a_scare_quoted_term_is_not_listed_as_a_quote(brief: dict[str, Any]) -> None:
    [story] = brief["stories"]
    bare = [q["text"] for q in story["quotes"] if not q.get("speaker") and len(q["text"].split()) < 5]
    assert bare == []


def test_an_adjective_like_western_forces_is_not_placed_on_the_map(brief: dict[str, Any]) -> None:
    [story] = brief["stories"]
    assert "Western" not in {p["name"] for p in story["places"]}


def test_a_source_with_no_outlet_is_shown_as_unknown_with_its_file_as_the_link(seeds: Path) -> None:
    out = run_cli("brief", str(seeds), "--format", "md").stdout
    sources_line = next(line for line in out.splitlines() if "independent source" in line)
    assert "outlet unknown ([004_618ec2f034e382a2.txt](" in sources_line
    assert "**004_618ec2f034e382a2.txt**" not in out


def test_the_seed_story_says_why_it_holds_together(brief: dict[str, Any]) -> None:
    (story,) = brief["stories"]
    assert {"iraq", "troops", "drawdown"} <= set(story["key_terms"])
    assert "said" not in story["key_terms"]
    dates = sorted(a["published"]["date"] for a in brief["articles"] if a["published"])
    assert (story["first_date"], story["last_date"]) == (dates[0], dates[-1])
