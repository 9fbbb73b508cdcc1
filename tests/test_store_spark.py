"""``newsdesk add DIR`` loads a ``newsdesk spark`` output folder into the store without recomputing.

One Spark run (local[2]) over a copy of examples/corpus plus one unreadable
file builds the folder for the whole module. The Spark tests skip, with the
reason, where pyspark, pyarrow or Java is missing; the folder-layout tests run
everywhere.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsdesk.errors import ConfigError, InputError
from newsdesk.store import Store, add_paths
from newsdesk.store.spark_import import PYARROW_MISSING, is_spark_output, load_output

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "corpus"


def _why_no_spark() -> str | None:
    for name in ("pyspark", "pyarrow"):
        try:
            __import__(name)
        except ImportError:
            return f"{name} is not installed (pip install 'newsdesk[spark]')"
    if shutil.which("java") is None:
        return "java not found on PATH: the Spark tests need Java 17"
    return None


needs_spark = pytest.mark.skipif(_why_no_spark() is not None, reason=_why_no_spark() or "")


@pytest.fixture(scope="module")
def spark_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Spark output folder, as `newsdesk spark --out` writes it (report.json included)."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from newsdesk.spark import run, session, write

    base = tmp_path_factory.mktemp("spark")
    corpus = base / "corpus"
    shutil.copytree(EXAMPLES, corpus)
    (corpus / "zz-empty.txt").write_text("", encoding="utf-8")  # must come back as a dropped record
    out = base / "out"
    spark = session("local[2]", app="newsdesk-store-tests", driver_memory="1g", partitions=4)
    spark.sparkContext.setLogLevel("ERROR")
    try:
        summary = write(run(spark, [str(corpus)], partitions=4), str(out))
    finally:
        spark.stop()
    (out / "report.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return out


def _parquet(folder: Path) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(str(folder)).to_pylist()


def _no_recompute(monkeypatch: pytest.MonkeyPatch) -> None:
    """Annotating, linking, clustering or briefing during the import fails the test."""

    def boom(*_a: Any, **_k: Any) -> Any:
        raise AssertionError("a pipeline stage was recomputed")

    import newsdesk.annotate
    import newsdesk.briefing
    import newsdesk.store.ingest
    import newsdesk.stories

    monkeypatch.setattr(newsdesk.annotate, "annotate_articles", boom)
    monkeypatch.setattr(newsdesk.briefing, "brief_story", boom)
    monkeypatch.setattr(newsdesk.stories, "cluster_stories", boom)
    monkeypatch.setattr(newsdesk.store.ingest, "link_copies", boom)


def _by_id(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(records, key=lambda r: r["id"])


@needs_spark
@pytest.mark.slow
def test_add_loads_spark_output_as_computed(spark_out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsdesk.render import to_dict

    assert is_spark_output(spark_out)
    _no_recompute(monkeypatch)
    with Store(tmp_path / "s.db") as store:
        summary = add_paths(store, [str(spark_out)])
        articles = _parquet(spark_out / "articles")
        lineage = _parquet(spark_out / "lineage")
        stories = _parquet(spark_out / "stories")
        assert (summary.read, summary.added, summary.copies) == (len(articles), len(articles), len(lineage))
        assert summary.briefs == 0 and summary.new_stories == len(stories)
        assert [d.path for d in summary.dropped] == [r["path"] for r in _parquet(spark_out / "dropped")]
        assert any(d.path.endswith("zz-empty.txt") for d in summary.dropped)
        assert store.check() == []
        assert store.counts()["stale"] == 0
        assert sorted(r.id for r in store.stories()) == sorted(r["id"] for r in stories)
        for row in articles:
            stored = store.article(row["id"])
            assert stored is not None
            assert (stored.story_id, stored.copy_of, stored.copy_kind) == (row["story"], row["copy_of"], row["copy_kind"])
            assert stored.article.annotations is not None and stored.article.annotations.sentences
        for path in sorted((spark_out / "briefs").glob("*.json")):
            want = json.loads(path.read_text(encoding="utf-8"))
            brief = store.as_brief(path.stem)
            assert brief is not None
            got = to_dict(brief)
            # The store lists a story's articles origins first; the members and every field are the same.
            assert _by_id(got["articles"]) == _by_id(want["articles"])
            assert (got["stories"], got["links"]) == (want["stories"], want["links"])


@needs_spark
@pytest.mark.slow
def test_second_add_of_the_same_output_changes_nothing(spark_out: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        first = add_paths(store, [str(spark_out)])
        versions = {r.id: r.version for r in store.stories()}
        again = add_paths(store, [str(spark_out)])
        assert (again.added, again.already, again.new_stories) == (0, first.added, 0)
        assert {r.id: r.version for r in store.stories()} == versions
        assert store.check() == []


@needs_spark
@pytest.mark.slow
def test_cli_add_then_stories_and_show(spark_out: Path, tmp_path: Path) -> None:
    from newsdesk.cli import main

    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    result = runner.invoke(main, ["add", str(spark_out), "--db", db])
    assert result.exit_code == 0, result.output
    assert "0 brief(s) rebuilt" in result.output and "zz-empty.txt" in result.output
    listed = json.loads(runner.invoke(main, ["stories", "--db", db, "--format", "json"]).output)
    ranked = [r["id"] for r in _parquet(spark_out / "stories")]
    assert sorted(s["id"] for s in listed["stories"]) == sorted(ranked)
    shown = runner.invoke(main, ["show", ranked[0], "--db", db, "--format", "json"])
    assert shown.exit_code == 0, shown.output
    want = json.loads((spark_out / "briefs" / f"{ranked[0]}.json").read_text(encoding="utf-8"))
    assert json.loads(shown.output)["stories"] == want["stories"]


FOLLOW_UP = """Dam collapse: Coimbra families return as the Mondego valley flood recedes

COIMBRA, Portugal - Families who fled the Mondego valley after the Seixo dam on the Alva River collapsed began
returning home on Sunday, as the civil protection authority said the water had fallen across Penacova and Arganil.

Helena Baptista, national commander of the civil protection authority, said engineers were checking buildings in
Penacova before residents could go back. Environment Minister Teresa Lobo said the dam inquiry would report soon.
"""


@needs_spark
@pytest.mark.slow
def test_plain_add_after_import_joins_a_cluster_story(spark_out: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        add_paths(store, [str(spark_out)])
        dam = next(r for r in _parquet(spark_out / "stories") if "dam" in r["title"].lower())
        before = store.story(dam["id"])
        assert before is not None
        new = tmp_path / "follow-up.txt"
        new.write_text(FOLLOW_UP, encoding="utf-8")
        summary = add_paths(store, [str(new)])
        assert (summary.added, summary.new_stories, summary.briefs) == (1, 0, 1)
        after = store.story(dam["id"])
        assert after is not None and after.n_articles == before.n_articles + 1 and not after.stale
        assert store.check() == []


def _layout(root: Path) -> Path:
    (root / "articles").mkdir(parents=True)
    (root / "report.json").write_text("{}", encoding="utf-8")
    return root


def test_layout_is_recognised_and_plain_folders_are_not(tmp_path: Path) -> None:
    assert is_spark_output(_layout(tmp_path / "out"))
    api = tmp_path / "api"
    for name in ("articles", "lineage", "dropped"):
        (api / name).mkdir(parents=True)
    assert is_spark_output(api)
    plain = tmp_path / "plain"
    (plain / "articles").mkdir(parents=True)
    assert not is_spark_output(plain)
    assert not is_spark_output(EXAMPLES)


def test_output_without_stories_says_how_to_get_them(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--stages brief"):
        load_output(_layout(tmp_path / "out"))


def test_missing_pyarrow_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _layout(tmp_path / "out")
    (out / "stories").mkdir()
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)  # import now raises ImportError
    with pytest.raises(ConfigError) as info:
        load_output(out)
    assert str(info.value) == PYARROW_MISSING and "pip install 'newsdesk[spark]'" in str(info.value)
