"""Spark on a real cluster: the answer on 2,000 real-text documents, bad input, a killed worker.

Runs on ``local[2]`` and on a standalone cluster on this machine (one master,
two one-core workers from the pyspark distribution, bound to 127.0.0.1,
stopped when the module ends; see ``tests/spark_cluster.py``):

* copies parity: a corpus of 2,000 documents built from the real news texts
  in ../shared/bench the way ``bench/lineage_speed.py`` builds it (real
  articles, collages of real paragraphs, exact/near/truncated/excerpt/edited
  copies, shared site footers), written as JSONL shards, gives the same copy
  groups, origins and kinds through Spark as through
  :func:`newsdesk.lineage.find_copies_report`;
* stories parity on a smaller real-text corpus (annotating all 2,000 takes
  many minutes on two cores): same stories, same briefs, same ranking;
* corrupt files become rows of ``dropped/``, never a failed job;
* fault (standalone only): one worker (its JVM, its executor and their Python
  workers) is killed with SIGKILL while tasks run; the job finishes on the
  surviving worker with the same copy links.

Skips, with the reason, where pyspark or Java is missing or ../shared is absent.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("pyspark", reason="pyspark is not installed (pip install 'newsdesk[spark]')")
pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'newsdesk[spark]')")

from spark_cluster import StandaloneCluster, executor_count, java_missing_reason, spark_session

if (_why := java_missing_reason()) is not None:
    pytest.skip(_why, allow_module_level=True)

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
#: Documents in the copies parity corpus (the issue asks for at least 2,000).
N_COPIES = 2000
#: Documents in the stories parity corpus: every one is annotated twice (local and Spark).
N_STORIES = 120
SHARDS = 8

pytestmark = [pytest.mark.slow, pytest.mark.spark]

Links = set[tuple[str, str, str]]


# ---- sessions ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=["local[2]", "standalone"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def cluster(mode: str, request: pytest.FixtureRequest) -> StandaloneCluster | None:
    if mode != "standalone":
        return None
    c = StandaloneCluster(workers=2)
    request.addfinalizer(c.stop)
    return c.start()


@pytest.fixture(scope="module")
def spark(mode: str, cluster: StandaloneCluster | None, request: pytest.FixtureRequest) -> Any:
    s = spark_session(cluster.url if cluster else mode)
    request.addfinalizer(s.stop)
    return s


# ---- corpora ----------------------------------------------------------------------------------------


def _build(n: int, seed: int) -> list[str]:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from lineage_speed import build
    finally:
        sys.path.remove(str(ROOT / "bench"))
    articles, _, _ = build(n, seed=seed)
    return [a.text for a in articles]


def _write_shards(texts: list[str], folder: Path, shards: int) -> Path:
    folder.mkdir(parents=True)
    files = [(folder / f"part-{k:03d}.jsonl").open("w", encoding="utf-8") for k in range(shards)]
    for i, text in enumerate(texts):
        record = {"title": f"Report {i}", "text": text, "publisher": f"Outlet {i % 23}"}
        files[i * shards // len(texts)].write(json.dumps(record, ensure_ascii=False) + "\n")
    for f in files:
        f.close()
    return folder


@pytest.fixture(scope="module")
def copies_corpus(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    texts = _build(N_COPIES, seed=7)
    assert len(texts) >= 2000
    return _write_shards(texts, tmp_path_factory.mktemp("copies") / "corpus", SHARDS)


@pytest.fixture(scope="module")
def local_copies(copies_corpus: Path) -> tuple[Links, Any]:
    """The local engine's copy links (copy path, origin path, kind) and its lineage report."""
    from newsdesk.lineage import find_copies_report
    from newsdesk.pipeline import read

    articles, dropped = read([str(copies_corpus)])
    assert len(articles) == N_COPIES and not dropped
    report = find_copies_report(articles)
    path_of = {a.id: a.path for a in articles}
    return {(path_of[x.copy], path_of[x.origin], x.kind) for x in report.links}, report


def _spark_links(result: Any) -> Links:
    path_of = {r["id"]: r["path"] for r in result.articles.select("id", "path").collect()}
    return {(path_of[r["copy"]], path_of[r["origin"]], r["kind"]) for r in result.lineage.collect()}


def _groups(links: Links) -> set[frozenset[str]]:
    """Copy groups: each origin with the articles that point to it."""
    by_origin: dict[str, set[str]] = {}
    for copy, origin, _ in links:
        by_origin.setdefault(origin, {origin}).add(copy)
    return {frozenset(g) for g in by_origin.values()}


# ---- tests ------------------------------------------------------------------------------------------


def test_copies_same_as_local_on_2000_real_texts(spark: Any, copies_corpus: Path, local_copies: tuple[Links, Any]) -> None:
    from newsdesk.spark import run

    want, report = local_copies
    result = run(spark, [str(copies_corpus)], partitions=4, stages="copies")
    got = _spark_links(result)
    assert result.timings["articles"] == N_COPIES
    assert result.dropped.count() == 0
    assert len(want) >= 500  # the corpus really holds copies
    assert _groups(got) == _groups(want)  # same copy groups, same origins
    assert got == want  # and the same kinds
    assert (result.report.candidates, result.report.verified) == (report.candidates, report.verified)


@pytest.fixture(scope="module")
def stories_corpus(shared: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _write_shards(_build(N_STORIES, seed=11), tmp_path_factory.mktemp("stories") / "corpus", 2)


@pytest.fixture(scope="module")
def local_brief(stories_corpus: Path) -> dict[str, Any]:
    from newsdesk.pipeline import brief
    from newsdesk.render import to_dict

    return to_dict(brief([str(stories_corpus)]))


def test_stories_same_as_local_on_real_texts(spark: Any, stories_corpus: Path, local_brief: dict[str, Any],
                                             tmp_path: Path) -> None:
    from test_spark import _assert_same_as_local

    from newsdesk.spark import run, write

    out = tmp_path / "out"
    summary = write(run(spark, [str(stories_corpus)], partitions=4), str(out))
    assert summary["articles"] == N_STORIES
    assert len(local_brief["stories"]) >= 10 and len(local_brief["links"]) >= 10
    _assert_same_as_local(local_brief, out)  # same copy groups, origins, stories, briefs, ranking, drops


def _corrupt_inputs(folder: Path) -> None:
    """Good articles next to files no reader can use (each must cost only itself)."""
    folder.mkdir()
    good = "The harbor board of Kelmsey agreed on Friday to dredge the north channel before the spring tides. "
    (folder / "good.txt").write_text(good * 4, encoding="utf-8")
    (folder / "copy.txt").write_text(good * 4, encoding="utf-8")
    (folder / "truncated.txt.gz").write_bytes(gzip.compress((good * 40).encode())[:60])
    (folder / "garbage.zip").write_bytes(b"PK\x03\x04" + b"\xff" * 200)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("inner.txt", good * 3)
    (folder / "cut.zip").write_bytes(buf.getvalue()[:40])
    (folder / "broken.warc.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 30)
    (folder / "blob.txt").write_bytes(b"\x00\x01\x02\xfe\xff" * 300)
    (folder / "empty.html").write_bytes(b"")
    (folder / "feed.jsonl").write_text('{"text": "' + good * 3 + '"}\n{"text": \n[1, 2]\n', encoding="utf-8")


def test_corrupt_files_become_rows_of_dropped(spark: Any, tmp_path: Path) -> None:
    from newsdesk.pipeline import read
    from newsdesk.spark import run, write

    folder = tmp_path / "in"
    _corrupt_inputs(folder)
    out = tmp_path / "out"
    summary = write(run(spark, [str(folder)], partitions=3, stages="copies"), str(out))
    articles, dropped = read([str(folder)])
    got = sorted(map(tuple, pd.read_parquet(out / "dropped")[["path", "stage", "reason"]].itertuples(index=False)))
    assert got == sorted((d.path, d.stage, d.reason) for d in dropped)
    assert len(got) >= 7
    arts = pd.read_parquet(out / "articles")
    assert sorted(arts["path"]) == sorted(a.path for a in articles) and len(arts) >= 3
    assert summary["copies"] == 2  # the good article, its copy and the JSONL record it repeats


def _wait_for_running_tasks(spark: Any, done_before: set[int], job: threading.Thread, timeout: float = 300) -> bool:
    """Wait until a job of this run has finished and a later stage has tasks running on both executors."""
    tracker = spark.sparkContext.statusTracker()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and job.is_alive():
        ids = set(tracker.getJobIdsForGroup()) - done_before
        finished = [j for j in ids if (info := tracker.getJobInfo(j)) and info.status == "SUCCEEDED"]
        stages = [tracker.getStageInfo(s) for s in tracker.getActiveStageIds()]
        if finished and any(st and st.numActiveTasks >= 2 and st.numCompletedTasks < st.numTasks for st in stages):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("mode", ["standalone"], indirect=True)
def test_killed_worker_job_finishes_with_same_copies(
    spark: Any, cluster: StandaloneCluster, copies_corpus: Path, local_copies: tuple[Links, Any]
) -> None:
    from newsdesk.spark import run

    assert cluster is not None and cluster.alive_workers() == 2
    assert executor_count(spark) == 2
    done_before = set(spark.sparkContext.statusTracker().getJobIdsForGroup())
    outcome: dict[str, Any] = {}

    def job() -> None:
        try:
            # More partitions than cores: work is still queued when the worker dies.
            result = run(spark, [str(copies_corpus)], partitions=8, stages="copies")
            outcome["links"] = _spark_links(result)
            outcome["articles"] = result.timings["articles"]
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome["error"] = exc

    thread = threading.Thread(target=job, daemon=True)
    thread.start()
    assert _wait_for_running_tasks(spark, done_before, thread), f"no running tasks seen: {outcome}"
    cluster.kill_worker(0)
    killed_mid_job = thread.is_alive()
    thread.join(timeout=480)
    assert not thread.is_alive(), "the job did not finish after the worker was killed"
    assert "error" not in outcome, f"the job failed after losing a worker: {outcome.get('error')!r}"
    assert killed_mid_job, "the job had already finished when the worker was killed"
    assert cluster.workers[0].returncode is not None and cluster.workers[1].poll() is None
    assert executor_count(spark) == 1  # the lost executor's tasks ran on the surviving one
    want, _ = local_copies
    assert outcome["articles"] == N_COPIES
    assert outcome["links"] == want


def test_sigterm_to_the_test_process_stops_the_cluster(tmp_path: Path) -> None:
    """A CI timeout sends SIGTERM, which skips atexit: the cluster's JVMs must still go."""
    import os
    import signal
    import subprocess

    script = tmp_path / "hold.py"
    script.write_text(
        "import sys, time\n"
        f"sys.path.insert(0, {str(ROOT / 'tests')!r})\n"
        "from spark_cluster import StandaloneCluster\n"
        "c = StandaloneCluster(workers=1).start()\n"
        "print(c.master.pid, c.workers[0].pid, flush=True)\n"
        "time.sleep(300)\n",
        encoding="utf-8",
    )
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        pids = [int(x) for x in line.split()]
        assert len(pids) == 2, f"the cluster did not start: {line!r}"
        assert all(_alive(p) for p in pids)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == -signal.SIGTERM  # it still dies of the signal, as before
        deadline = time.monotonic() + 30
        while any(_alive(p) for p in pids) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert not any(_alive(p) for p in pids), "master or worker outlived the SIGTERM'd test process"
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().split(") ")[-1][:1] != "Z"  # a zombie has exited
    except OSError:
        return False
