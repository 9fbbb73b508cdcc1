"""End to end through the CLI on the bundled example corpus, checked against examples/EXPECTED.md."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"


def expected_index() -> list[dict[str, str]]:
    rows = []
    for line in (ROOT / "examples" / "EXPECTED.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) == 8 and cells[0] not in ("Entry", "") and not set(cells[0]) <= {"-"}:
            rows.append(dict(zip(["entry", "story", "kind", "copy_of", "copy_kind", "publisher", "published", "title"], cells)))
    return rows


@pytest.fixture(scope="module")
def brief() -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", "brief", str(CORPUS), "--format", "json"],
        capture_output=True, text=True, check=True, timeout=600,
    )
    return json.loads(proc.stdout)


def entry_of(article: dict[str, Any]) -> str:
    path = Path(article["path"].split(":")[0]).name
    line = article["path"].rsplit(":", 1)[1] if article["path"].endswith(tuple("0123456789")) and ".jsonl:" in article["path"] else None
    return f"{path}:{line}" if line else path


def test_every_example_is_read_with_its_publisher_and_date(brief: dict[str, Any]) -> None:
    assert brief["dropped"] == []
    by_entry = {entry_of(a): a for a in brief["articles"]}
    rows = expected_index()
    assert set(by_entry) == {r["entry"] for r in rows}
    for r in rows:
        a = by_entry[r["entry"]]
        assert a["publisher"] == r["publisher"], r["entry"]
        want = None if r["published"] == "none" else r["published"]
        assert (a["published"] or {}).get("date") == want, r["entry"]


def test_reposts_point_to_the_wire_origin_and_nothing_else_is_a_copy(brief: dict[str, Any]) -> None:
    by_entry = {entry_of(a): a for a in brief["articles"]}
    for r in expected_index():
        a = by_entry[r["entry"]]
        if r["kind"] == "copy":
            assert a["copy_of"] == by_entry[r["copy_of"]]["id"], r["entry"]
            kinds = {k.strip() for k in r["copy_kind"].split("/")}
            assert a["copy_kind"] in kinds, (r["entry"], a["copy_kind"])
        else:
            assert a["copy_of"] is None, r["entry"]


def test_three_stories_with_their_independent_sources(brief: dict[str, Any]) -> None:
    ids = {entry_of(a): a["id"] for a in brief["articles"]}
    want: dict[str, set[str]] = {}
    for r in expected_index():
        want.setdefault(r["story"], set()).add(ids[r["entry"]])
    got = [set(s["articles"]) for s in brief["stories"]]
    assert sorted(map(sorted, got)) == sorted(map(sorted, want.values()))
    sources = sorted(s["sources"] for s in brief["stories"])
    expected_sources = sorted(
        sum(1 for r in expected_index() if r["story"] == story and r["kind"] != "copy") for story in want
    )
    assert sources == expected_sources


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def test_every_citation_points_into_its_article(brief: dict[str, Any]) -> None:
    texts = {a["id"]: a["text"] for a in brief["articles"]}
    for story in brief["stories"]:
        assert 4 <= len(story["summary"]) <= 8
        for section in ("summary", "timeline", "quotes", "figures", "places"):
            for item in story[section]:
                for c in item["citations"]:
                    assert c["article"] in story["articles"]
                    assert 0 <= c["start"] < c["end"] <= len(texts[c["article"]])
        for item in story["summary"]:
            words = lambda t: re.findall(r"\w+", t.lower())
            c = item["citations"][0]
            assert words(texts[c["article"]][c["start"] : c["end"]]) == words(item["text"])


def test_the_planted_conflicts_are_found_with_both_sides_cited(brief: dict[str, Any]) -> None:
    dam = next(s for s in brief["stories"] if "dam" in s["title"].lower())
    sides = [" || ".join(side["text"] for side in d["sides"]) for d in dam["disagreements"]]
    assert any("9,500" in s and "11,000" in s for s in sides), sides
    assert any("danger has passed" in s and "flood again" in s for s in sides), sides
    for d in dam["disagreements"]:
        assert len(d["sides"]) >= 2 and all(side["citations"] for side in d["sides"])


def test_the_evacuee_count_is_a_series_over_time(brief: dict[str, Any]) -> None:
    dam = next(s for s in brief["stories"] if "dam" in s["title"].lower())
    values = {p["value"] for s in dam["series"] for p in s["points"]}
    assert {12000, 9500} <= values
