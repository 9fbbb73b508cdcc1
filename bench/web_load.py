"""Load bench for `newsdesk serve`: requests/s and latency of the story page under concurrent clients.

    .venv/bin/python bench/web_load.py [--db newsdesk.db] [--clients 20] [--requests 4000] [--seconds 30]

Serves the store with uvicorn in a child process on a free loopback port
(127.0.0.1 only), then drives it from this process with CLIENTS keep-alive
HTTP/1.1 connections (plain asyncio streams, so the client costs little CPU),
each fetching the story page in a loop. Bounded: stops after REQUESTS requests
or SECONDS seconds, whichever comes first. Without --db it builds a store from
the seeds in ../shared (or $NEWSDESK_SHARED) and exits 0 with a message when
they are absent. Target: 200 requests/s and p99 under 200 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))


SERVER = (
    "import sys, uvicorn; from newsdesk.web import create_app; "
    "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning', "
    "access_log=False)"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build_seed_store(db: Path) -> bool:
    seeds = SHARED / "corpus" / "seeds"
    if not seeds.is_dir():
        return False
    from newsdesk.store import Store, add_paths

    with Store(db) as store:
        add_paths(store, [str(seeds)])
    return True


def first_story(db: Path) -> str:
    from newsdesk.store import Store

    with Store(db, readonly=True) as store:
        rows = store.stories()
    if not rows:
        raise SystemExit(f"no story in {db}")
    return rows[0].id


async def fetch(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> tuple[int, int]:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    body = await reader.readexactly(length)
    return status, len(body)


async def client(port: int, path: str, budget: list[int], deadline: float, out: list[float], errors: list[str]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        while budget[0] > 0 and time.perf_counter() < deadline:
            budget[0] -= 1
            t0 = time.perf_counter()
            try:
                status, _ = await fetch(reader, writer, path)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                errors.append(type(exc).__name__)
                return
            if status != 200:
                errors.append(str(status))
            out.append(time.perf_counter() - t0)
    finally:
        writer.close()


async def run_load(port: int, path: str, clients: int, requests: int, seconds: float) -> tuple[list[float], list[str], float]:
    budget = [requests]
    latencies: list[float] = []
    errors: list[str] = []
    t0 = time.perf_counter()
    deadline = t0 + seconds
    await asyncio.gather(*(client(port, path, budget, deadline, latencies, errors) for _ in range(clients)))
    return latencies, errors, time.perf_counter() - t0


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="store to serve (default: build one from the seeds)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--requests", type=int, default=4000, help="at most this many requests in all")
    ap.add_argument("--seconds", type=float, default=30.0, help="at most this long")
    ap.add_argument("--warmup", type=int, default=50)
    args = ap.parse_args()

    tmp = tempfile.TemporaryDirectory()
    db = Path(args.db) if args.db else Path(tmp.name) / "bench.db"
    if not args.db:
        print("building a store from the seeds…", file=sys.stderr)
        if not build_seed_store(db):
            print(f"shared seeds not found under {SHARED}; nothing to bench (set NEWSDESK_SHARED or pass --db)")
            return 0
    path = f"/stories/{first_story(db)}"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(db), str(port)],
    )
    try:
        wait_ready(port)
        cold, _, _ = asyncio.run(run_load(port, path, 1, 1, 30))
        asyncio.run(run_load(port, path, args.clients, args.warmup, 30))
        lat, errors, wall = asyncio.run(run_load(port, path, args.clients, args.requests, args.seconds))
    finally:
        server.terminate()
        server.wait(timeout=10)
        tmp.cleanup()
    n = len(lat)
    rps = n / wall if wall else 0.0
    p99 = pct(lat, 0.99) if lat else float("nan")
    rows = [
        ("page", path),
        ("cores", str(os.cpu_count())),
        ("clients", str(args.clients)),
        ("requests", str(n)),
        ("errors", str(len(errors))),
        ("seconds", f"{wall:.2f}"),
        ("requests/s", f"{rps:.0f}   (target 200)"),
        ("first render ms", f"{cold[0] * 1000:.1f}" if cold else "-"),
        ("p50 ms", f"{pct(lat, 0.50):.1f}" if lat else "-"),
        ("p95 ms", f"{pct(lat, 0.95):.1f}" if lat else "-"),
        ("p99 ms", f"{p99:.1f}   (target < 200)"),
        ("max ms", f"{max(lat) * 1000:.1f}" if lat else "-"),
        ("mean ms", f"{statistics.fmean(lat) * 1000:.1f}" if lat else "-"),
    ]
    width = max(len(k) for k, _ in rows)
    print("web_load: story page under concurrent clients (loopback)")
    for k, v in rows:
        print(f"  {k:<{width}}  {v}")
    ok = not errors and rps >= 200 and p99 < 200
    print("  result".ljust(width + 2), " meets target" if ok else " below target")
    return 0


if __name__ == "__main__":
    sys.exit(main())
