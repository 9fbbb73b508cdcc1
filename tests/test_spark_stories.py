"""``newsdesk spark --stories DIR``: a second run continues the stories of a first.

Skips, with the reason, where pyspark or Java is missing.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'newsdesk[spark]')")
pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'newsdesk[spark]')")
if shutil.which("java") is None:
    pytest.skip("java not found on PATH: the Spark tests need Java 17", allow_module_level=True)

import pyarrow.parquet as pq
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"
FIRST = [  # the dam collapse's first days, and the light-rail vote preview
    "meridian-press_seixo-dam-collapse.txt",
    "europa-newsroom_mondego-evacuees.html",
    "inland-northwest-dispatch_council-vote-preview.html",
]
LATER = [  # the dam story months on, the light-rail vote's outcome, and an unrelated story
    "tagus-weekly_seixo-inquiry-summer.txt",
    "iberia-post_evacuees-thursday.txt",
    "falls-city-chronicle_light-rail-approved.txt",
    "valley-vintner-weekly_cork-prices.html",
    "north-coast-pour_screw-caps.txt",
]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark():
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from newsdesk.spark import session

    s = session("local[2]", app="newsdesk-tests-stories", driver_memory="1g", partitions=4)
    s.sparkContext.setLogLevel("ERROR")
    yield s
    s.stop()


def _folder(tmp: Path, name: str, files: list[str]) -> Path:
    d = tmp / name
    d.mkdir()
    for f in files:
        shutil.copy(EXAMPLES / f, d / f)
    return d


def _story_of_path(out: Path) -> dict[str, str]:
    rows = pq.read_table(out / "articles").to_pylist()
    return {Path(r["path"]).name: r["story"] for r in rows}


def test_a_second_run_continues_the_first_runs_stories(spark: Any, tmp_path: Path) -> None:
    from newsdesk.cli import main

    first, later = _folder(tmp_path, "first", FIRST), _folder(tmp_path, "later", LATER)
    out1, out2 = tmp_path / "out1", tmp_path / "out2"
    runner = CliRunner()
    r1 = runner.invoke(main, ["spark", str(first), "--out", str(out1), "--master", "local[2]"])
    assert r1.exit_code == 0, r1.output
    profiles = pq.read_table(out1 / "profiles").to_pylist()
    assert {p["id"] for p in profiles} == {r["id"] for r in pq.read_table(out1 / "articles").to_pylist()}
    assert all(len(p["vector"]) == 384 for p in profiles)
    r2 = runner.invoke(main, ["spark", str(later), "--out", str(out2), "--master", "local[2]", "--stories", str(out1)])
    assert r2.exit_code == 0, r2.output
    before, after = _story_of_path(out1), _story_of_path(out2)
    dam = before["meridian-press_seixo-dam-collapse.txt"]
    rail = before["inland-northwest-dispatch_council-vote-preview.html"]
    assert dam != rail
    assert after["tagus-weekly_seixo-inquiry-summer.txt"] == dam
    assert after["iberia-post_evacuees-thursday.txt"] == dam
    assert after["falls-city-chronicle_light-rail-approved.txt"] == rail
    cork = {after["valley-vintner-weekly_cork-prices.html"], after["north-coast-pour_screw-caps.txt"]}
    assert not cork & {dam, rail}  # stories the first run never saw open anew
    # Each continued story's brief covers this run's articles, under the earlier id.
    brief = json.loads((out2 / "briefs" / f"{dam}.json").read_text(encoding="utf-8"))
    assert {Path(a["path"]).name for a in brief["articles"]} == {
        "tagus-weekly_seixo-inquiry-summer.txt", "iberia-post_evacuees-thursday.txt"}


def test_stories_from_a_folder_without_profiles_is_one_clear_error(spark: Any, tmp_path: Path) -> None:
    from newsdesk.cli import main

    later = _folder(tmp_path, "later", LATER[:1])
    (tmp_path / "empty").mkdir()
    r = CliRunner().invoke(main, ["spark", str(later), "--out", str(tmp_path / "o"), "--master", "local[2]",
                                  "--stories", str(tmp_path / "empty")])
    assert r.exit_code != 0
    assert "has no profiles/" in r.output
