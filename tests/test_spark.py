"""The Spark engine gives the local engine's answer: same copies, same stories, same dropped.

Every test runs twice: on ``local[2]`` and on a standalone cluster on this
machine (one master, two one-core workers started from the pyspark
distribution, bound to 127.0.0.1, stopped when the module ends; see
``tests/spark_cluster.py``). One SparkSession per mode serves the module.
Skips, with the reason, where pyspark or Java is missing.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'newsdesk[spark]')")
pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'newsdesk[spark]')")
from spark_cluster import StandaloneCluster, java_missing_reason, spark_session

if (_why := java_missing_reason()) is not None:
    pytest.skip(_why, allow_module_level=True)

import pandas as pd
from click.testing import CliRunner

from newsdesk.clean import clean_document
from newsdesk.ingest.records import record_document
from newsdesk.lineage import find_copies_report
from newsdesk.model import Article, article_id
from newsdesk.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"

pytestmark = [pytest.mark.slow, pytest.mark.spark]


#: The Spark masters every test runs on; "standalone" starts a cluster for the module.
MODES = ["local[2]", "standalone"]


@pytest.fixture(scope="module", params=MODES)
def spark(request: pytest.FixtureRequest):
    cluster = None
    master = request.param
    if master == "standalone":
        cluster = StandaloneCluster(workers=2)
        request.addfinalizer(cluster.stop)  # registered first, so it runs after the session stops
        master = cluster.start().url
    s = spark_session(master)
    request.addfinalizer(s.stop)
    return s


def _local_brief(paths: list[str]) -> dict[str, Any]:
    from newsdesk.pipeline import brief
    from newsdesk.render import to_dict

    return to_dict(brief(paths))


def _spark_out(spark: Any, paths: list[str], out: Path) -> dict[str, Any]:
    from newsdesk.spark import run, write

    summary = write(run(spark, paths, partitions=4), str(out))
    return summary


def _assert_same_as_local(local: dict[str, Any], out: Path) -> None:
    arts = pd.read_parquet(out / "articles").to_dict("records")
    by_path = {a["path"]: a for a in local["articles"]}
    assert sorted(a["path"] for a in arts) == sorted(by_path)
    story_of = {aid: s["id"] for s in local["stories"] for aid in s["articles"]}
    for a in arts:
        want = by_path[a["path"]]
        # same copy groups, same origins, same kinds, same story
        assert (a["id"], a["copy_of"], a["copy_kind"]) == (want["id"], want["copy_of"], want["copy_kind"]), a["path"]
        assert a["story"] == story_of[a["id"]], a["path"]
    briefs = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in (out / "briefs").glob("*.json")}
    assert sorted(briefs) == sorted(s["id"] for s in local["stories"])
    for story in local["stories"]:
        mine = briefs[story["id"]]
        assert mine["stories"] == [story]
        assert mine["articles"] == [a for a in local["articles"] if a["id"] in story["articles"]]
        assert mine["links"] == [x for x in local["links"] if x["copy"] in story["articles"]]
    stories = pd.read_parquet(out / "stories")
    assert list(stories["id"]) == [s["id"] for s in local["stories"]]  # same ranking
    dropped = pd.read_parquet(out / "dropped").to_dict("records")
    assert sorted(map(tuple, (d.values() for d in dropped))) == sorted(
        (d["path"], d["stage"], d["reason"]) for d in local["dropped"]
    )


def test_examples_corpus_same_as_local(spark: Any, tmp_path: Path) -> None:
    out = tmp_path / "out"
    summary = _spark_out(spark, [str(EXAMPLES)], out)
    assert summary["articles"] == 16 and summary["copies"] == 3
    _assert_same_as_local(_local_brief([str(EXAMPLES)]), out)
    ann = pd.read_parquet(out / "annotations")
    assert {"sentences", "entities", "dates", "quotes", "figures", "places"} <= set(ann.columns)
    arts = pd.read_parquet(out / "articles")
    for col in ("id", "path", "url", "title", "publisher", "published", "published_precision",
                "copy_of", "copy_kind", "story", "text"):
        assert col in arts.columns


def test_seeds_same_as_local(spark: Any, seeds: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _spark_out(spark, [str(seeds)], out)
    _assert_same_as_local(_local_brief([str(seeds)]), out)


def test_bad_input_becomes_dropped_rows(spark: Any, tmp_path: Path) -> None:
    from newsdesk.pipeline import read
    from newsdesk.spark import run

    folder = tmp_path / "in"
    folder.mkdir()
    good = "The river council of Varnholt voted on Tuesday to rebuild the old stone bridge before winter. " * 3
    (folder / "a.txt").write_text(good, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02garbage\x00" * 50)
    (folder / "feed.jsonl").write_text('{"text": "' + good + '"}\n{"broken json\n{"title": "no text"}\n')
    (folder / "menu.html").write_text("<html><body><a href='/'>Home</a></body></html>", encoding="utf-8")
    paths = [str(folder), str(tmp_path / "missing.txt")]
    result = run(spark, paths, partitions=2, stages="copies")
    got = sorted(tuple(r) for r in result.dropped.select("path", "stage", "reason").collect())
    articles, dropped = read(paths)
    assert got == sorted((d.path, d.stage, d.reason) for d in dropped)
    assert len(got) >= 5
    assert sorted(r["path"] for r in result.articles.collect()) == sorted(a.path for a in articles)


WORDS = ["harbor", "council", "ferry", "toll", "bridge", "mayor", "river", "winter", "grant", "vote", "budget", "school", "flood", "levee", "tunnel", "rail", "station", "museum", "festival", "storm", "pier", "market", "district", "housing", "tower", "clinic", "library", "highway", "bus", "fare", "union", "strike", "court", "ruling", "permit", "zoning", "farm", "drought", "orchard", "mill", "canal", "lock", "barge"]


def _synthetic(n_base: int, seed: int = 3) -> list[dict[str, str]]:
    """Invented stories plus exact, truncated, excerpted and collaged reposts of them."""
    rng = random.Random(seed)

    def para() -> str:
        return " ".join(rng.choice(WORDS) for _ in range(40)).capitalize() + "."

    bases = [[para() for _ in range(5)] for _ in range(n_base)]
    out = []
    for i, b in enumerate(bases):
        out.append({"path": f"base-{i}", "text": "\n\n".join(b), "title": f"Story {i}"})
    for i, b in enumerate(bases):
        kind = i % 4
        if kind == 0:
            text = "\n\n".join(b)
        elif kind == 1:
            text = "\n\n".join(b[:3]) + " […]"
        elif kind == 2:
            text = b[2]
        else:
            text = "\n\n".join([*b[:2], para(), bases[(i + 1) % n_base][0]])
        out.append({"path": f"copy-{i}", "text": text, "title": f"Repost {i}"})
    return out


def _local_articles(records: list[dict[str, str]]) -> list[Article]:
    local: list[Article] = []
    for r in records:
        a = clean_document(record_document(r["path"], r))
        assert isinstance(a, Article)
        if a.id in {x.id for x in local}:  # as pipeline.read: a second equal text gets a path-salted id
            a.id = article_id(a.path + "\0" + a.text)
        local.append(a)
    return local


def _same_links(result: Any, local: list[Article], report: Any) -> list[tuple[str, str, str]]:
    path_of = {a.id: a.path for a in local}
    want = sorted((path_of[x.copy], path_of[x.origin], x.kind) for x in report.links)
    spath = {r["id"]: r["path"] for r in result.articles.collect()}
    got = sorted((spath[r["copy"]], spath[r["origin"]], r["kind"]) for r in result.lineage.collect())
    assert got == want
    return want


def test_lineage_dataframe_input_same_as_local(spark: Any) -> None:
    from newsdesk.spark import run

    records = _synthetic(24)
    df = spark.createDataFrame(pd.DataFrame(records)).coalesce(1)
    result = run(spark, df, partitions=3, stages="copies")
    local = _local_articles(records)
    report = find_copies_report(local)
    assert len(_same_links(result, local, report)) >= 12
    assert (result.report.candidates, result.report.verified) == (report.candidates, report.verified)


def test_lineage_settings_set_on_the_driver_reach_the_executors(spark: Any) -> None:
    from newsdesk.spark import run

    # Caps this low change the candidates: only settings that reached every executor give the local answer.
    settings = Settings().with_values(
        {"lineage.max_posting": 2, "lineage.max_band_bucket": 1, "lineage.expand_chunk": 3}
    )
    records = _synthetic(24)
    df = spark.createDataFrame(pd.DataFrame(records)).coalesce(1)
    result = run(spark, df, partitions=3, stages="copies", settings=settings)
    local = _local_articles(records)
    report = find_copies_report(local, settings.lineage)
    assert report.candidates != find_copies_report(local).candidates
    assert report.oversized_postings > 0 and report.oversized_band_buckets > 0
    assert len(_same_links(result, local, report)) >= 12
    counts = ("candidates", "verified", "oversized_postings", "oversized_band_buckets")
    assert [getattr(result.report, c) for c in counts] == [getattr(report, c) for c in counts]


@pytest.mark.parametrize("spark", ["local[2]"], indirect=True)
def test_a_story_whose_brief_fails_is_dropped_and_the_others_are_briefed(spark: Any) -> None:
    from newsdesk.model import Dropped, Story
    from newsdesk.pipeline import annotate_paths
    from newsdesk.spark import copies, stories
    from newsdesk.spark.rows import ARTICLE_OR_DROPPED, article_row

    articles, _ = annotate_paths([str(p) for p in sorted(EXAMPLES.glob("*.txt"))[:2]])
    rows = [article_row(k, a) for k, a in enumerate(articles)]
    frame = spark.createDataFrame(rows, ARTICLE_OR_DROPPED).drop("stage", "reason")
    good, bad = articles
    found = [
        Story("s-good", "Good", [good.id], [good.id]),
        Story("s-bad", "Bad", [bad.id, "ghost"], [bad.id]),  # an article its brief cannot find: KeyError
    ]
    briefs = stories.briefs(frame, spark.createDataFrame([], copies.LINK_SCHEMA), found)
    by_story = {r["story"]: r for r in briefs.collect()}
    assert json.loads(by_story["s-good"]["brief"])["stories"][0]["id"] == "s-good"
    assert by_story["s-bad"]["brief"] is None
    assert stories.brief_failures(briefs) == [Dropped("story:s-bad", "brief", "KeyError: 'ghost'")]


def test_cli_spark_writes_the_output_folder(spark: Any, tmp_path: Path) -> None:
    from newsdesk.cli import main

    folder = tmp_path / "in"
    folder.mkdir()
    text = "The ferry union of Osterby said on Monday that crossings would stop for two days in March. " * 3
    (folder / "one.txt").write_text(text, encoding="utf-8")
    (folder / "two.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["spark", str(folder), "--out", str(out), "--master", spark.sparkContext.master,
                                    "--partitions", "2", "--stages", "copies"])
    assert res.exit_code == 0, res.output
    assert "1 copy(ies)" in res.output
    arts = pd.read_parquet(out / "articles")
    assert sorted(arts["copy_kind"].fillna("-")) == ["-", "exact"]
    assert json.loads((out / "report.json").read_text())["copies"] == 1
    assert spark.range(1).count() == 1  # the shared session outlives the command


def test_binaryfile_dataframe_input_same_copies(spark: Any) -> None:
    """Bytes from Spark's binaryFile source (how remote files arrive) go through the same ingest."""
    from newsdesk.pipeline import copies
    from newsdesk.spark import run

    df = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(str(EXAMPLES))
    result = run(spark, df, partitions=2, stages="copies")
    got = sorted((Path(r["path"].removeprefix("file:")).name, r["copy_kind"] or "-") for r in result.articles.collect())
    articles, report, _ = copies([str(EXAMPLES)])
    kind = {x.copy: x.kind for x in report.links}
    want = sorted((Path(a.path).name, kind.get(a.id, "-")) for a in articles)
    assert got == want
