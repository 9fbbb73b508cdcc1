"""Speed and memory of `newsdesk brief`.

1. The five seeds (../shared/corpus/seeds) through the CLI in a fresh process:
   wall time including model load, and peak memory (max RSS).
2. The example corpus repeated to N articles (default 500), each repetition
   made distinct by a numbered closing line so no stage can skip work: articles
   per second for the whole pipeline in one process, with and without model load.

    .venv/bin/python bench/brief_speed.py [--n 500] [--skip-seeds]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def seeds_run() -> None:
    seeds = SHARED / "corpus" / "seeds"
    if not seeds.is_dir():
        print(f"seeds: skipped ({seeds} not found)")
        return
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", "brief", str(seeds), "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    wall = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    status = "ok" if proc.returncode == 0 else f"FAILED ({proc.stderr.strip()[-200:]})"
    print(f"seeds brief (5 articles, fresh process, incl. model load): {wall:.2f} s wall, peak RSS {peak_mb:.0f} MB  [{status}]")


def repeated_corpus(n: int, dest: Path) -> int:
    files = sorted(p for p in (ROOT / "examples" / "corpus").rglob("*") if p.suffix in {".txt", ".html"})
    count = 0
    while count < n:
        for f in files:
            if count >= n:
                break
            text = f.read_text(encoding="utf-8")
            marker = f"Benchmark repetition {count}."
            text = text.replace("</body>", f"<p>{marker}</p></body>") if f.suffix == ".html" else text + f"\n\n{marker}\n"
            (dest / f"{count:04d}_{f.name}").write_text(text, encoding="utf-8")
            count += 1
    return count


def corpus_run(n: int) -> None:
    from newsdesk.annotate.nlp import load_nlp
    from newsdesk.embed import load_encoder
    from newsdesk.pipeline import brief

    with tempfile.TemporaryDirectory() as tmp:
        written = repeated_corpus(n, Path(tmp))
        t0 = time.perf_counter()
        load_nlp()
        load_encoder()
        t1 = time.perf_counter()
        result = brief([tmp])
        t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rate = len(result.articles) / (t2 - t1)
    print(
        f"example corpus x{written}: {len(result.articles)} articles, {len(result.stories)} stories, "
        f"{len(result.links)} copies; model load {t1 - t0:.1f} s; pipeline {t2 - t1:.1f} s = {rate:.1f} articles/s "
        f"({len(result.articles) / (t2 - t0):.1f} articles/s incl. model load); peak RSS {peak_mb:.0f} MB"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=500)
    ap.add_argument("--skip-seeds", action="store_true")
    args = ap.parse_args()
    print(f"cores: {os.cpu_count()}")
    if not args.skip_seeds:
        seeds_run()
    if not any((ROOT / "examples" / "corpus").rglob("*.txt")):
        print("example corpus: skipped (examples/ is empty)")
        return
    corpus_run(args.n)


if __name__ == "__main__":
    main()
