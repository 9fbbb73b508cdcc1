"""Fuzzing the readers and clean: generated and mutated inputs, never an exception or a hang.

Seeds are real inputs from ../shared/bench (saved news pages, TimeML files,
PolNeAR texts, the geoparse XML files cut into pieces) and the formats
newsdesk reads built around them (JSONL, JSON, CSV, RSS, Atom, WARC, news-database exports, gzip, zip). Each
input is a seed, mutated by a seeded random choice of: truncation, byte
flips, inserted or deleted runs, a splice of two seeds, repeated chunks, or
pure random bytes; and it is read under a random file name (so every reader
sees every kind of bytes). Each goes through ``ingest.read_stream`` and
``clean.clean_document``: every outcome must be an Article or a Dropped with
a reason. Prints inputs tried, crashes (exceptions escaping), hangs (inputs
over 2 s of CPU time, stopped by a CPU-time timer, so a busy machine does not
turn a slow share of the CPU into a false hang), the slowest input and peak memory.

    .venv/bin/python bench/fuzz.py [--inputs 1000000] [--workers 2] [--seed 1]

Exits 0 with a message when the shared data is absent; 1 when anything crashed or hung.
"""

from __future__ import annotations

import argparse
import gzip
import html
import io
import json
import os
import random
import resource
import signal
import sys
import time
import traceback
import zipfile
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))

NAMES = [
    "a.txt",
    "a.html",
    "a.json",
    "a.jsonl",
    "a.csv",
    "a.tsv",
    "a.rss",
    "a.atom",
    "a.xml",
    "a.warc",
    "a.gz",
    "a.zip",
    "a.md",
    "a",
]
HANG_SECONDS = 2
SEEDS_PER_KIND = 40

_seeds: list[bytes] = []


def load_seeds(limit: int = SEEDS_PER_KIND) -> list[bytes]:
    bench = SHARED / "bench"
    seeds: list[bytes] = []
    pages = sorted((bench / "article-extraction" / "html").glob("*.html.gz"))[:limit]
    seeds += [gzip.decompress(p.read_bytes()) for p in pages]
    seeds += [p.read_bytes() for p in sorted((bench / "timex" / "timebank").glob("*.tml"))[:limit]]
    texts = sorted((bench / "quotes" / "polnear" / "train" / "text").glob("*.txt"))[:limit]
    seeds += [p.read_bytes() for p in texts]
    for xml in (bench / "geoparse" / "lgl.xml", bench / "geoparse" / "GWN.xml"):
        if xml.exists():
            data = xml.read_bytes()
            seeds += [data[i : i + 20_000] for i in range(0, min(len(data), 20_000 * limit), 20_000)]
    # The container formats, built around real text.
    # Half plain news text (so the containers hold real articles), half saved pages.
    prose = [p.read_text("utf-8", "replace") for p in texts]
    pages_text = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in pages]
    bodies = [b for pair in zip(prose, pages_text) for b in pair][:limit]
    for i, body in enumerate(bodies):
        record = {"title": f"t{i}", "text": body[:5000], "published": "2020-01-22"}
        seeds.append((json.dumps(record) + "\n").encode() * 3)
        seeds.append(json.dumps([record, record]).encode())
        seeds.append(f"title,text\nt{i},{json.dumps(body[:3000])}\n".encode())
        item = (
            f"<item><title>t{i}</title><link>http://x.example/{i}</link><description>{body[:2000]}</description></item>"
        )
        seeds.append(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>f</title>{item}</channel></rss>'.encode()
        )
        entry = (
            f'<entry><title>t{i}</title><link href="http://x.example/{i}"/><updated>2020-01-22T10:00:00Z</updated>'
            f'<content type="html">{html.escape(body[:3000])}</content></entry>'
        )
        seeds.append(
            f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>f</title>{entry}</feed>'.encode()
        )
        page = (
            body
            if body.lstrip().startswith("<")
            else "".join(f"<p>{html.escape(par)}</p>" for par in body.split("\n") if par.strip())
        )
        seeds.append(
            _warc(
                f"http://x.example/{i}",
                f"<html><body><article>{page}</article></body></html>".encode()
                if not body.lstrip().startswith("<")
                else page.encode("utf-8", "replace"),
            )
        )
        seeds.append(
            (
                f"Document 1 of 2\n\nt{i}\nThe Example Post\nJanuary 22, 2020 Wednesday\n\nLength: 420 words\n"
                f"Byline: A. Writer\n\nBody\n\n{body[:3000]}\n\nLoad-Date: January 23, 2020\n\nEnd of Document\n"
            ).encode()
            * 2
        )
        seeds.append(gzip.compress(body.encode()))
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("one.html", body)
            z.writestr("two.txt", body[:2000])
        seeds.append(buf.getvalue())
    return seeds


def _warc(uri: str, body: bytes) -> bytes:
    """One WARC/1.0 response record holding an HTTP response with ``body``, gzipped as a member like real WARCs."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    head = (
        f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: 2020-01-22T10:00:00Z\r\n"
        f"WARC-Record-ID: <urn:uuid:{abs(hash(uri)):032x}>\r\nContent-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return gzip.compress(head + http + b"\r\n\r\n")


def mutate(rng: random.Random, seeds: list[bytes]) -> bytes:
    data = bytearray(rng.choice(seeds))
    for _ in range(rng.randint(0, 4)):
        op = rng.randrange(7)
        n = len(data)
        if op == 0 and n:
            del data[rng.randrange(n) :]
        elif op == 1 and n:
            for _ in range(rng.randint(1, 32)):
                data[rng.randrange(n)] = rng.randrange(256)
        elif op == 2:
            at = rng.randrange(n + 1)
            data[at:at] = rng.randbytes(rng.randint(1, 256))
        elif op == 3 and n:
            at = rng.randrange(n)
            del data[at : at + rng.randint(1, 512)]
        elif op == 4:
            other = rng.choice(seeds)
            data = data[: rng.randrange(n + 1)] + bytearray(other[rng.randrange(len(other) + 1) :])
        elif op == 5 and n:
            at = rng.randrange(n)
            chunk = data[at : at + rng.randint(1, 64)]
            data[at:at] = chunk * rng.randint(2, 50)
        else:
            data = bytearray(rng.randbytes(rng.randint(0, 4096)))
    return bytes(data)


def _alarm(signum: int, frame: object) -> None:
    raise TimeoutError("hang")


def init_worker() -> None:
    global _seeds
    _seeds = load_seeds()
    signal.signal(signal.SIGPROF, _alarm)


def run_one(index: int, seed: int) -> tuple[str, float, str]:
    """('ok' | 'crash' | 'hang', seconds, detail) for input ``index``."""
    from newsdesk.clean import clean_document
    from newsdesk.ingest import read_stream
    from newsdesk.ingest.common import Options
    from newsdesk.model import Article, Dropped, RawDocument

    rng = random.Random(seed * 1_000_003 + index)
    data = mutate(rng, _seeds)
    name = rng.choice(NAMES)
    start = time.process_time()
    signal.setitimer(signal.ITIMER_PROF, HANG_SECONDS + 1)
    try:
        for item in read_stream(name, name, io.BytesIO(data), len(data), Options(max_bytes=5_000_000), 0):
            if isinstance(item, RawDocument):
                item = clean_document(item)
            if not isinstance(item, Article | Dropped):
                raise TypeError(f"{type(item).__name__} is neither an Article nor a Dropped")
            if isinstance(item, Dropped) and not item.reason.strip():
                raise ValueError("a Dropped record without a reason")
        status, detail = "ok", ""
    except TimeoutError:
        status, detail = "hang", f"input {index} (--seed {seed}), {name}, {len(data)} bytes"
    except Exception:  # noqa: BLE001 - the point of a fuzzer: count and show what escaped
        last = traceback.format_exc().strip().splitlines()[-1]
        status, detail = (
            "crash",
            f"input {index} (--seed {seed}), {name}, {len(data)} bytes: {last} | "
            + traceback.format_exc(limit=-3).replace("\n", " | "),
        )
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    seconds = time.process_time() - start
    if status == "ok" and seconds > HANG_SECONDS:
        status, detail = "hang", f"input {index} (--seed {seed}), {name}, {len(data)} bytes, {seconds:.1f} s CPU"
    return status, seconds, detail


def _run(args: tuple[int, int]) -> tuple[str, float, str]:
    return run_one(*args)


def _peak_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--inputs", type=int, default=1_000_000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not (SHARED / "bench").is_dir():
        print(f"shared bench data not found at {SHARED}; set NEWSDESK_SHARED. Nothing to do.")
        return 0
    start = time.perf_counter()
    counts = {"ok": 0, "crash": 0, "hang": 0}
    slowest = 0.0
    shown = 0
    with Pool(args.workers, initializer=init_worker) as pool:
        for status, seconds, detail in pool.imap_unordered(
            _run, ((i, args.seed) for i in range(args.inputs)), chunksize=64
        ):
            counts[status] += 1
            slowest = max(slowest, seconds)
            if status != "ok" and shown < 10:
                shown += 1
                print(f"{status}: {detail[:1200]}", flush=True)
    elapsed = time.perf_counter() - start
    print(
        f"inputs tried      {args.inputs:>10,}  ({args.inputs / elapsed:,.0f}/s on {args.workers} workers, {elapsed:.0f} s)"
    )
    print(f"crashes           {counts['crash']:>10,}")
    print(f"hangs over {HANG_SECONDS} s CPU{counts['hang']:>10,}")
    print(f"slowest input     {slowest:>10.2f} s CPU")
    print(f"peak memory       {_peak_mb():>10,.0f} MB (largest process)")
    return 1 if counts["crash"] or counts["hang"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
