"""Spark scale: articles per second of the Spark engine on local[2], next to the local engine.

Builds corpora the way bench/lineage_speed.py does (real news texts from
../shared/bench repeated with perturbations: exact, near, truncated, excerpt
and edited copies, paragraph collages, shared site footers) and writes each
as JSONL shards, the way archives come. Then, per size:

* clean + copies (``stages="copies"``: ingest, clean, lineage) on Spark
  local[2], and the local engine (``newsdesk.pipeline.copies``) on the same
  shards, with the copy links compared;
* the whole pipeline (annotate, lineage, cluster, brief) on Spark for the
  smaller ``--full`` size.

A warm-up job starts the Python workers first, so the times are the
pipeline's, not the JVM's start.

    .venv/bin/python bench/spark_scale.py [--sizes 1000,10000] [--full 200] [--limit N]
        [--master local|standalone] [--local-max 200000]

Exits 0 with a message when the shared data or pyspark/Java is absent.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Self

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from cluster_eval import SHARED

SHARDS = 8


class MemorySampler:
    """Peak resident memory of each Spark executor, sampled from /proc every half second.

    An executor is a JVM (``CoarseGrainedExecutorBackend`` on a cluster; the
    driver JVM itself in local mode) plus every process it started (the
    Python workers that run newsdesk's stage code); its memory is their summed
    RSS. Linux only; elsewhere it reports nothing.
    """

    def __init__(self, interval: float = 0.5) -> None:
        import threading

        self.interval = interval
        self.peaks: dict[str, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            for name, mb in self.sample().items():
                self.peaks[name] = max(self.peaks.get(name, 0.0), mb)

    @staticmethod
    def sample() -> dict[str, float]:
        procs: dict[int, tuple[int, str, float]] = {}
        for d in Path("/proc").iterdir():
            if not d.name.isdigit():
                continue
            try:
                status = (d / "status").read_text()
                cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            rss = float(fields.get("VmRSS", "0 kB").split()[0]) / 1024
            procs[int(d.name)] = (int(fields.get("PPid", "0").strip()), cmd, rss)
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in procs.items():
            children.setdefault(ppid, []).append(pid)

        def tree(pid: int) -> float:
            return procs[pid][2] + sum(tree(c) for c in children.get(pid, []))

        out = {}
        for pid, (_, cmd, _) in procs.items():
            if "CoarseGrainedExecutorBackend" in cmd:
                out[f"executor {pid}"] = tree(pid)
            elif "org.apache.spark.deploy.SparkSubmit" in cmd and "pyspark-shell" in cmd:
                out["driver JVM (+ local executor)"] = tree(pid)
        return out


def write_shards(n: int, folder: Path) -> None:
    from lineage_speed import build

    articles, _story, _copied = build(n)
    folder.mkdir(parents=True, exist_ok=True)
    files = [(folder / f"part-{k:03d}.jsonl").open("w", encoding="utf-8") for k in range(SHARDS)]
    for i, a in enumerate(articles):
        record = {"title": f"Bench article {i}", "text": a.text, "publisher": f"Outlet {i % 37}"}
        files[i * SHARDS // len(articles)].write(json.dumps(record, ensure_ascii=False) + "\n")
    for f in files:
        f.close()


def local_copies(folder: Path) -> tuple[float, set[tuple[str, str, str]]]:
    from newsdesk.pipeline import copies

    t = time.perf_counter()
    articles, report, _ = copies([str(folder)])
    dt = time.perf_counter() - t
    links = getattr(report, "links", report)
    path = {a.id: a.path for a in articles}
    return dt, {(path[x.copy], path[x.origin], x.kind) for x in links}


def partitions_for(spark: Any, n: int, asked: int) -> int:
    """Shuffle partitions for ``n`` documents: a 1M corpus in 8 partitions does not fit 3 GB executors."""
    parts = asked or max(8, n // 15_000)
    spark.conf.set("spark.sql.shuffle.partitions", str(parts))
    return parts


def spark_run(spark: object, folder: Path, stages: str, partitions: int) -> tuple[float, dict, set]:
    from newsdesk.spark import run

    t = time.perf_counter()
    result = run(spark, [str(folder)], partitions=partitions, stages=stages)
    if result.stories is not None:
        result.stories.select("id").count()
    path = {r["id"]: r["path"] for r in result.articles.select("id", "path").collect()}
    links = {(path[r["copy"]], path[r["origin"]], r["kind"]) for r in result.lineage.collect()}
    result.release()
    return time.perf_counter() - t, result.timings, links


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000", help="corpus sizes for clean + copies")
    ap.add_argument("--full", type=int, default=200, help="corpus size for the whole pipeline (0: skip)")
    ap.add_argument("--limit", type=int, default=0, help="cap every size at N articles")
    ap.add_argument("--partitions", type=int, default=0,
                    help="shuffle partitions (0: one per 15,000 documents, at least 8)")
    ap.add_argument("--no-local", action="store_true", help="skip the local engine comparison")
    ap.add_argument("--local-max", type=int, default=200_000, help="largest size also run on the local engine")
    ap.add_argument("--master", choices=["local", "standalone"], default="local",
                    help="local[2], or a standalone cluster on this machine: one master, two 1-core workers")
    ap.add_argument("--executor-memory", default="3g", help="per executor, with --master standalone")
    ap.add_argument("--driver-memory", default="3g", help="the driver JVM (in local mode it is also the executor)")
    args = ap.parse_args()
    if not (SHARED / "bench").is_dir():
        print(f"shared bench data not found at {SHARED}/bench (set NEWSDESK_SHARED); nothing to measure")
        return 0
    try:
        import pyspark  # noqa: F401
    except ImportError:
        print("pyspark is not installed (pip install 'newsdesk[spark]'); nothing to measure")
        return 0
    if shutil.which("java") is None:
        print("java not found on PATH (Spark needs Java 17); nothing to measure")
        return 0
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from newsdesk.spark import session

    sizes = [int(s) for s in args.sizes.split(",") if s]
    if args.limit:
        sizes = [min(s, args.limit) for s in sizes]
    cluster = None
    if args.master == "standalone":
        # The tests' throwaway cluster (tests/spark_cluster.py): spark-class master and workers on 127.0.0.1.
        sys.path.insert(0, str(HERE.parent / "tests"))
        from spark_cluster import StandaloneCluster

        cluster = StandaloneCluster(workers=2, cores=1, memory=args.executor_memory).start()
        conf = {"spark.executor.memory": args.executor_memory, "spark.executor.cores": "1", "spark.cores.max": "2",
                "spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"}
        spark = session(cluster.url, app="newsdesk-bench", driver_memory=args.driver_memory, partitions=8, conf=conf)
    else:
        spark = session("local[2]", app="newsdesk-bench", driver_memory=args.driver_memory, partitions=8)
    print(f"master: {spark.sparkContext.master}", flush=True)
    spark.sparkContext.setLogLevel("ERROR")
    spark.range(4).rdd.map(lambda x: x).count()  # start the Python workers
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            folder = Path(tmp) / f"c{n}"
            write_shards(n, folder)
            with MemorySampler() as mem:
                dt, timings, links = spark_run(spark, folder, "copies", partitions_for(spark, n, args.partitions))
            row = {"n": n, "stages": "clean+copies", "spark_s": dt, "spark_docs_s": n / dt,
                   "timings": {k: round(v, 1) for k, v in timings.items() if k not in ("articles", "total")},
                   "links": len(links), "peak_mb": {k: round(v) for k, v in mem.peaks.items()}}
            if not args.no_local and n <= args.local_max:
                ldt, llinks = local_copies(folder)
                row.update(local_s=ldt, local_docs_s=n / ldt, same_links=llinks == links)
            rows.append(row)
            print(json.dumps(row), flush=True)
        if args.full:
            n = min(args.full, args.limit) if args.limit else args.full
            folder = Path(tmp) / f"full{n}"
            write_shards(n, folder)
            with MemorySampler() as mem:
                dt, timings, links = spark_run(spark, folder, "brief", partitions_for(spark, n, args.partitions))
            row = {"n": n, "stages": "full", "spark_s": dt, "spark_docs_s": n / dt,
                   "timings": {k: round(v, 1) for k, v in timings.items() if k not in ("articles", "total")},
                   "links": len(links), "peak_mb": {k: round(v) for k, v in mem.peaks.items()}}
            rows.append(row)
            print(json.dumps(row), flush=True)
    spark.stop()
    if cluster is not None:
        cluster.stop()
    print()
    print(f"{'stages':<14}{'n':>8}{'spark s':>10}{'docs/s':>10}{'local s':>10}{'docs/s':>10}{'same':>6}  stage seconds")
    for r in rows:
        local = (f"{r['local_s']:>10.1f}{r['local_docs_s']:>10.0f}{r['same_links']!s:>6}"
                 if "local_s" in r else f"{'-':>10}{'-':>10}{'-':>6}")
        print(f"{r['stages']:<14}{r['n']:>8}{r['spark_s']:>10.1f}{r['spark_docs_s']:>10.0f}{local}  {r['timings']}")
        print(f"{'':<14}peak memory per executor (MB, JVM + its Python workers): {r['peak_mb']}")
    copies_rows = [r for r in rows if r["stages"] == "clean+copies"]
    for a, b in itertools.pairwise(copies_rows):
        print(f"growth {a['n']} -> {b['n']} ({b['n'] / a['n']:.0f}x documents): Spark time x{b['spark_s'] / a['spark_s']:.1f}"
              + (f", local time x{b['local_s'] / a['local_s']:.1f}" if "local_s" in a and "local_s" in b else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
