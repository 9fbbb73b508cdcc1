"""Faults in the store: kills, a full disk, a read-only store, a file that is not a store,
two writers at once, and the web app reading while ``add`` writes.

Every scenario runs the real CLI (``python -m newsdesk.cli``) in processes of
its own, on real articles: PolNeAR train texts from ../shared/bench, evenly
spaced through the year, written as one JSONL file per run in a temporary
folder (nothing is copied into the repository).

- ``kills``: ``add`` of the pile killed with SIGKILL at N random moments (a
  seeded uniform delay after start), each kill followed by a check and the
  next run of the same command, then a last run left to finish. After every
  kill: SQLite's ``integrity_check``, FTS5's ``integrity-check`` on both
  full-text indexes and the store's own consistency checks pass, and every
  article seen committed before is still there. At the end the store equals
  one uninterrupted run's (same articles, copy links, stories as sets of
  articles, and briefs).
- ``disk full``: ``add`` under a file-size limit (``RLIMIT_FSIZE``) a little
  above the store's size: one error line, the store still sound, what was
  committed kept; the same command without the limit then finishes.
- ``read-only``: the store on a read-only bind mount (``unshare -m``; or a
  mode 0444 file when not root): one error line, the file unchanged, and
  ``stories`` still reads it.
- ``not a store``: a text file, random bytes and a store cut to its first
  8 KB as ``--db``: one error line each, the file unchanged.
- ``two writers``: two ``add`` processes on one store, started together,
  with overlapping inputs: the second waits for the first, both succeed,
  each article is stored once, the store is sound.
- ``serve during add``: ``newsdesk serve`` on the store while ``add`` writes,
  polled by a client (story list, story pages, search): every answer 200.
- ``hostile pages``: the pages of ``tests/hostile.py`` at full size (script in
  every field, ``javascript:`` URLs, SVG and CSS payloads, right-to-left and
  zero-width characters, a 1 MB title, 100,000 tiny paragraphs) through
  ``brief --format html`` and ``add`` + ``serve``; every page opened in
  headless Chromium (skipped without playwright or Chromium): scripts run,
  requests that left the page, and the slowest load.

Prints one line per scenario and the totals: faults injected, articles lost
(must be 0), problems found (must be 0).

    .venv/bin/python bench/faults.py [--articles 300] [--kills 20] [--seed 1]
    .venv/bin/python bench/faults.py --quick        # 60 articles, 4 kills

Exits 0 with a message when the shared data is absent; 1 when anything was lost or unsound.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from brief_speed import TEXTS, polnear_files, spread, write_pile

CLI = [sys.executable, "-m", "newsdesk.cli"]
ENV = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")


class Tally:
    def __init__(self) -> None:
        self.injected = 0
        self.lost = 0
        self.problems: list[str] = []

    def problem(self, what: str) -> None:
        self.problems.append(what)
        print(f"  PROBLEM: {what}", flush=True)


def cli(
    args: list[str], *, timeout: float = 900, preexec: Callable[[], None] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args], check=False, env=ENV, capture_output=True, text=True, timeout=timeout, preexec_fn=preexec
    )


def soundness(db: Path) -> list[str]:
    """What is wrong with the store at ``db`` (empty when sound): SQLite's and FTS5's checks, then the store's own."""
    from newsdesk.store.db import Store

    if not db.exists():
        return []
    conn = sqlite3.connect(db)
    try:
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for fts in ("article_fts", "sentence_fts"):
            if fts in tables:
                try:
                    conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
                except sqlite3.Error as exc:
                    problems.append(f"{fts}: {exc}")
    finally:
        conn.close()
    if "articles" in tables:
        with Store(db) as store:
            problems += store.check()
    return problems


def article_ids(db: Path) -> set[str]:
    if not db.exists():
        return set()
    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT id FROM articles")}
    except sqlite3.Error:
        return set()  # killed before the schema was made
    finally:
        conn.close()


def snapshot(db: Path) -> dict[str, Any]:
    """What a store holds, without what depends on when it was written (times, versions, story ids)."""
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        rows = conn.execute("SELECT id, content_hash, story_id, copy_of, copy_kind FROM articles").fetchall()
        members: dict[str, list[str]] = {}
        for r in rows:
            members.setdefault(r["story_id"], []).append(r["id"])
        briefs = {}
        for s in conn.execute("SELECT id, title, brief, stale FROM stories WHERE n_articles > 0"):
            brief = json.loads(s["brief"]) if s["brief"] else None
            if brief:
                brief.pop("id", None)
            briefs[tuple(sorted(members.get(s["id"], [])))] = (
                s["title"],
                s["stale"],
                json.dumps(brief, sort_keys=True),
            )
    finally:
        conn.close()
    return {
        "articles": {r["id"]: (r["content_hash"], r["copy_of"], r["copy_kind"]) for r in rows},
        "stories": {frozenset(v) for v in members.values()},
        "briefs": briefs,
    }


def compare(ref: dict[str, Any], got: dict[str, Any]) -> list[str]:
    diffs = []
    if ref["articles"].keys() != got["articles"].keys():
        diffs.append(
            f"articles: {len(ref['articles'].keys() - got['articles'].keys())} missing, "
            f"{len(got['articles'].keys() - ref['articles'].keys())} extra"
        )
    changed = [a for a in ref["articles"].keys() & got["articles"].keys() if ref["articles"][a] != got["articles"][a]]
    if changed:
        diffs.append(f"{len(changed)} articles with another hash or copy link")
    if ref["stories"] != got["stories"]:
        diffs.append(
            f"stories differ: {len(ref['stories'] - got['stories'])} of {len(ref['stories'])} not found as such"
        )
    elif ref["briefs"] != got["briefs"]:
        differ = [k for k in ref["briefs"] if ref["briefs"][k] != got["briefs"].get(k)]
        a, b = ref["briefs"][differ[0]], got["briefs"][differ[0]]
        parts = ["title"] if a[0] != b[0] else ["stale"] if a[1] != b[1] else []
        if a[2] != b[2]:
            ja, jb = json.loads(a[2]) or {}, json.loads(b[2]) or {}
            parts += [k for k in sorted(set(ja) | set(jb)) if ja.get(k) != jb.get(k)]
        diffs.append(f"{len(differ)} of {len(ref['briefs'])} briefs differ (the first in: {', '.join(parts)})")
    return diffs


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "absent"


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("newsdesk: error:")]


def traceback_in(stderr: str) -> bool:
    return "Traceback (most recent call last)" in stderr


# ---- the scenarios ---------------------------------------------------------------------------


def kills(tally: Tally, pile: Path, tmp: Path, n_kills: int, seed: int) -> None:
    ref_db = tmp / "reference.db"
    start = time.perf_counter()
    r = cli(["add", str(pile), "--db", str(ref_db)])
    full = time.perf_counter() - start
    if r.returncode != 0:
        tally.problem(f"uninterrupted add failed: {r.stderr.strip()[-300:]}")
        return
    reference = snapshot(ref_db)
    db = tmp / "killed.db"
    rng = random.Random(seed)
    committed: set[str] = set()
    killed = completed = 0
    moments = []
    while killed < n_kills and killed + completed < 3 * n_kills:
        delay = rng.uniform(0.5, full)
        proc = subprocess.Popen(
            [*CLI, "add", str(pile), "--db", str(db)], env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            killed += 1
            moments.append(delay)
        else:
            completed += 1
        proc.stderr.close()  # type: ignore[union-attr]
        ids = article_ids(db)
        lost = committed - ids
        tally.lost += len(lost)
        if lost:
            tally.problem(f"kill at {delay:.1f} s lost {len(lost)} committed articles")
        for p in soundness(db):
            tally.problem(f"after the kill at {delay:.1f} s: {p}")
        committed = ids
        if proc.returncode == 0:
            # Finished before its moment: it must equal the uninterrupted run; then start
            # again from an empty store, so every kill lands in real work.
            for d in compare(reference, snapshot(db)):
                tally.problem(f"store after kills differs from one uninterrupted run: {d}")
            for f in tmp.glob("killed.db*"):
                f.unlink()
            committed = set()
    tally.injected += killed
    r = cli(["add", str(pile), "--db", str(db)])
    if r.returncode != 0:
        tally.problem(f"the run after the kills failed: {r.stderr.strip()[-300:]}")
    for p in soundness(db):
        tally.problem(f"after the last run: {p}")
    final = snapshot(db)
    lost = reference["articles"].keys() - final["articles"].keys()
    tally.lost += len(lost)
    for d in compare(reference, final):
        tally.problem(f"store after kills differs from one uninterrupted run: {d}")
    same = "the same as" if not compare(reference, final) else "NOT the same as"
    print(
        f"kills             {killed:>4} SIGKILLs at {min(moments, default=0):.1f} to {max(moments, default=0):.1f} s "
        f"(uninterrupted run {full:.0f} s; {completed} runs finished before their moment, each checked "
        "against it and the store started again); "
        f"{len(final['articles'])} articles, {len(final['stories'])} stories, {same} one uninterrupted run",
        flush=True,
    )


def disk_full(tally: Tally, first: Path, second: Path, tmp: Path) -> None:
    db = tmp / "full.db"
    r = cli(["add", str(first), "--db", str(db)])
    if r.returncode != 0:
        tally.problem(f"disk full: the first add failed: {r.stderr.strip()[-300:]}")
        return
    before = article_ids(db)
    # Writes past this offset fail (EFBIG, as on a full disk): the WAL fills to it within a
    # batch or two, and the store file cannot grow at all.
    limit = 1536 * 1024

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    r = cli(["add", str(second), "--db", str(db)], preexec=cap)
    errors = error_lines(r.stderr)
    after = article_ids(db)
    tally.injected += 1
    ok = r.returncode == 1 and len(errors) == 1 and not traceback_in(r.stderr) and "disk is full" in errors[0]
    if not ok:
        tally.problem(f"disk full: exit {r.returncode}, stderr {r.stderr.strip()[-400:]!r}")
    lost = before - after
    tally.lost += len(lost)
    for p in soundness(db):
        tally.problem(f"disk full: {p}")
    r2 = cli(["add", str(second), "--db", str(db)])
    done = article_ids(db)
    expected = len(before) + records(second)
    if r2.returncode != 0 or len(done) != expected or soundness(db):
        tally.problem(f"disk full: the run after freeing space ended {r2.returncode} with {len(done)} of {expected}")
    print(
        f"disk full         limit {limit // 1024} KB: exit {r.returncode}, {len(errors)} error line, "
        f"{len(after) - len(before)} of the batch's articles committed before it, store sound; "
        f"rerun without the limit: {len(done)} articles",
        flush=True,
    )
    if errors:
        print(f"                  {errors[0][:150]}", flush=True)


def records(pile: Path) -> int:
    """The records of a JSONL pile, one per line (distinct articles: what an add of it stores)."""
    return sum(1 for line in pile.read_text().splitlines() if line.strip())


def read_only(tally: Tally, source_db: Path, pile: Path, tmp: Path) -> None:
    folder = tmp / "ro"
    folder.mkdir()
    db = folder / "store.db"
    shutil.copy(source_db, db)
    before = {p.name: digest(p) for p in folder.iterdir()}
    how = ""
    if os.geteuid() != 0:
        db.chmod(0o444)
        folder.chmod(0o555)
        how = "mode 0444 file in a 0555 folder"
        r = cli(["add", str(pile), "--db", str(db)])
        reads = cli(["stories", "--db", str(db), "--format", "json"])
        folder.chmod(0o755)
    elif (
        shutil.which("unshare")
        and subprocess.run(["unshare", "-m", "true"], check=False, capture_output=True).returncode == 0
    ):
        mnt = tmp / "mnt"
        mnt.mkdir()
        how = "read-only bind mount"

        def in_ro_mount(args: list[str]) -> subprocess.CompletedProcess[str]:
            inner = " ".join(map(_quote, [*CLI, *args]))
            script = f"mount --bind {_quote(str(folder))} {_quote(str(mnt))} && mount -o remount,bind,ro {_quote(str(mnt))} && {inner}"
            return subprocess.run(
                ["unshare", "-m", "sh", "-c", script], check=False, env=ENV, capture_output=True, text=True, timeout=600
            )

        r = in_ro_mount(["add", str(pile), "--db", str(mnt / "store.db")])
        reads = in_ro_mount(["stories", "--db", str(mnt / "store.db"), "--format", "json"])
    else:
        print("read-only         skipped: running as root without unshare, so no file is read-only to us", flush=True)
        return
    tally.injected += 1
    errors = error_lines(r.stderr)
    after = {p.name: digest(p) for p in folder.iterdir()}
    ok = r.returncode == 1 and len(errors) == 1 and not traceback_in(r.stderr) and "read-only" in errors[0]
    if not ok:
        tally.problem(f"read-only: exit {r.returncode}, stderr {r.stderr.strip()[-400:]!r}")
    if after != before:
        tally.problem("read-only: the store's files changed")
    n_read = len(json.loads(reads.stdout)["stories"]) if reads.returncode == 0 else None
    if n_read is None:
        tally.problem(f"read-only: stories could not read it: {reads.stderr.strip()[-300:]}")
    print(
        f"read-only         {how}: exit {r.returncode}, {len(errors)} error line, files "
        f"{'unchanged' if after == before else 'CHANGED'}; `stories` reads its {n_read} stories",
        flush=True,
    )


def _quote(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


def not_a_store(tally: Tally, source_db: Path, pile: Path, tmp: Path) -> None:
    cases = {
        "text file": b"these are my notes, not a database\n" * 20,
        "random bytes": random.Random(3).randbytes(50_000),
        "store cut to 8 KB": source_db.read_bytes()[:8192],
        "empty file": b"",
    }
    results = []
    for name, data in cases.items():
        db = tmp / f"{name.replace(' ', '_')}.db"
        db.write_bytes(data)
        before = digest(db)
        r = cli(["add", str(pile), "--db", str(db)])
        errors = error_lines(r.stderr)
        tally.injected += 1
        if name == "empty file":
            # An empty file is a new, empty SQLite database: add makes the store in it.
            ok = r.returncode == 0 and not soundness(db)
            results.append(f"{name}: {'made a store' if ok else 'FAILED'}")
        else:
            ok = r.returncode == 1 and len(errors) == 1 and not traceback_in(r.stderr) and digest(db) == before
            sidecars = [p.name for p in tmp.glob(db.name + "-*")]
            results.append(
                f"{name}: exit {r.returncode}, {len(errors)} line, {'unchanged' if digest(db) == before else 'CHANGED'}"
            )
            if sidecars:
                tally.problem(f"not a store ({name}): left {sidecars}")
        if not ok:
            tally.problem(f"not a store ({name}): exit {r.returncode}, stderr {r.stderr.strip()[-300:]!r}")
    print("not a store       " + "; ".join(results), flush=True)


def two_writers(tally: Tally, first: Path, second: Path, tmp: Path) -> None:
    db = tmp / "two.db"
    procs = []
    for pile in (first, second):
        procs.append(
            subprocess.Popen(
                [*CLI, "add", str(pile), "--db", str(db)],
                env=ENV,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
        time.sleep(0.3)
    outs = [p.communicate(timeout=900)[1] for p in procs]
    tally.injected += 1
    codes = [p.returncode for p in procs]
    waited = sum("waiting for it" in e for e in outs)
    ids = article_ids(db)
    lines = {line for pile in (first, second) for line in pile.read_text().splitlines() if line.strip()}
    problems = soundness(db)
    conn = sqlite3.connect(db)
    dup = conn.execute("SELECT count(*) - count(DISTINCT content_hash) FROM articles").fetchone()[0]
    conn.close()
    if codes != [0, 0] or problems or dup or len(ids) != len(lines):
        tally.problem(
            f"two writers: exits {codes}, {len(ids)} of {len(lines)} articles, {dup} duplicates, {problems}, "
            f"{[e.strip()[-200:] for e in outs]}"
        )
    print(
        f"two writers       exits {codes}, {waited} waited for the other; {len(ids)} of {len(lines)} distinct "
        f"articles stored once each, store {'sound' if not problems else 'UNSOUND'}",
        flush=True,
    )


def serve_during_add(tally: Tally, base_db: Path, pile: Path, tmp: Path) -> None:
    db = tmp / "served.db"
    shutil.copy(base_db, db)
    server, base = start_server(db)
    try:
        stop = threading.Event()
        counts = {"ok": 0, "failed": 0}
        failures: list[str] = []

        def poll() -> None:
            while not stop.is_set():
                for path in ("/", "/search?q=president", _some_story(db)):
                    try:
                        with urllib.request.urlopen(base + path, timeout=10) as resp:
                            resp.read()
                            counts["ok" if resp.status == 200 else "failed"] += 1
                    except Exception as exc:  # noqa: BLE001 - every failure is counted and shown
                        counts["failed"] += 1
                        failures.append(f"{path}: {exc}")

        client = threading.Thread(target=poll)
        client.start()
        r = cli(["add", str(pile), "--db", str(db)])
        stop.set()
        client.join()
    finally:
        stop_server(server)
    tally.injected += 1
    if counts["failed"] or r.returncode != 0:
        tally.problem(f"serve during add: {counts['failed']} failed requests {failures[:3]}, add exit {r.returncode}")
    print(
        f"serve during add  {counts['ok']} requests answered 200 while add wrote, {counts['failed']} failed; "
        f"add exit {r.returncode}",
        flush=True,
    )


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``newsdesk serve`` on ``db`` at a free loopback port, once it answers; and its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [*CLI, "serve", "--db", str(db), "--port", str(port)],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    return server, base


def stop_server(server: subprocess.Popen[bytes]) -> None:
    """SIGTERM, then SIGKILL: a server busy rendering a page finishes that request before it stops."""
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _some_story(db: Path) -> str:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        row = conn.execute("SELECT id FROM stories WHERE brief IS NOT NULL ORDER BY random() LIMIT 1").fetchone()
        conn.close()
    except sqlite3.Error:
        row = None
    return f"/stories/{row[0]}" if row else "/"


AUDIT = """() => ({
  ran: window.__ran || [],
  scripts: [...document.scripts].map(s => s.src),
  handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
  embeds: document.querySelectorAll('img, iframe, object, embed, frame, video, audio').length,
  badLinks: [...document.querySelectorAll('[href], [src], [action]')]
    .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))
    .filter(u => /^\\s*(javascript|data|vbscript):/i.test(u)).length,
})"""
HOOK = """window.__ran = [];
for (const name of ["alert", "confirm", "prompt", "print"]) { window[name] = (...a) => { window.__ran.push(name); }; }"""


def hostile_pages(tally: Tally, tmp: Path) -> None:
    """The pages of tests/hostile.py, at full size, through `brief --format html` and `add` +
    `serve`, each page opened in headless Chromium."""
    sys.path.insert(0, str(ROOT / "tests"))
    from hostile import write_hostile_pages

    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("hostile pages     skipped: the playwright package is not installed", flush=True)
        return
    chromium = next(
        (c for c in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")) if c), None
    )
    if not chromium or not Path(chromium).exists():
        print("hostile pages     skipped: no Chromium", flush=True)
        return
    folder = tmp / "hostile"
    pages = write_hostile_pages(folder)
    out = tmp / "hostile.html"
    start = time.perf_counter()
    r = cli(["brief", str(folder), "--format", "html", "-o", str(out)])
    brief_s = time.perf_counter() - start
    if r.returncode != 0:
        tally.problem(f"hostile pages: brief failed: {r.stderr.strip()[-300:]}")
        return
    db = tmp / "hostile.db"
    start = time.perf_counter()
    r = cli(["add", str(folder), "--db", str(db)])
    add_s = time.perf_counter() - start
    if r.returncode != 0:
        tally.problem(f"hostile pages: add failed: {r.stderr.strip()[-300:]}")
        return
    server, base = start_server(db)
    conn = sqlite3.connect(db)
    urls = [
        out.as_uri(),
        f"{base}/",
        *(f"{base}/stories/{r[0]}" for r in conn.execute("SELECT id FROM stories")),
        *(f"{base}/articles/{r[0]}" for r in conn.execute("SELECT id FROM articles")),
        f"{base}/search?q=script",
        f"{base}/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    ]
    conn.close()
    ran = offsite = bad = 0
    slowest = 0.0
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(
                executable_path=chromium,
                headless=True,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            for url in urls:
                page = browser.new_page()
                requests: list[str] = []
                dialogs: list[str] = []
                page.on("request", lambda q, requests=requests: requests.append(q.url))
                page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
                page.add_init_script(HOOK)
                start = time.perf_counter()
                page.goto(url, wait_until="load", timeout=300_000)
                slowest = max(slowest, time.perf_counter() - start)
                found = page.evaluate(AUDIT)
                local = "file://" if url.startswith("file:") else base
                outside = [u for u in requests if not u.startswith(local)]
                allowed = [] if url.startswith("file:") else [base + "/static/app.js"]
                ran += len(found["ran"]) + len(dialogs)
                offsite += len(outside)
                if found["scripts"] != allowed or found["handlers"] or found["embeds"] or found["badLinks"]:
                    bad += 1
                    tally.problem(f"hostile page {url}: {found}")
                page.close()
            browser.close()
    finally:
        stop_server(server)
    tally.injected += len(pages)
    if ran or offsite:
        tally.problem(f"hostile pages: {ran} scripts ran, {offsite} requests left the page")
    size = sum(p.stat().st_size for p in pages) / 1e6
    print(
        f"hostile pages     {len(pages)} inputs ({size:.1f} MB: a 1 MB title, 100,000 tiny paragraphs, script "
        f"in every field); brief {brief_s:.0f} s, add {add_s:.0f} s; {len(urls)} pages opened in Chromium: "
        f"{ran} scripts ran, {offsite} outside requests, {bad} pages with live markup, slowest load {slowest:.1f} s",
        flush=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=300)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quick", action="store_true", help="60 articles, 4 kills")
    ap.add_argument(
        "--only", default="", help="comma-separated scenarios (kills, disk, readonly, notstore, two, serve, hostile)"
    )
    args = ap.parse_args()
    want = set(filter(None, args.only.split(","))) or {
        "kills",
        "disk",
        "readonly",
        "notstore",
        "two",
        "serve",
        "hostile",
    }
    if args.quick:
        args.articles, args.kills = 60, 4
    if not TEXTS.is_dir():
        print(f"PolNeAR texts not found at {TEXTS}; set NEWSDESK_SHARED. Nothing to do.")
        return 0
    # A SIGTERM (a stopped bench) unwinds through the finally blocks, which stop the servers
    # and children this bench started, instead of leaving them running.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    tally = Tally()
    files = spread(polnear_files(), args.articles)
    with tempfile.TemporaryDirectory(prefix="newsdesk-faults-") as name:
        tmp = Path(name)
        os.chmod(tmp, 0o755)
        pile = write_pile(files, tmp / "pile.jsonl")
        third = len(files) // 3
        a = write_pile(files[:third], tmp / "a.jsonl")
        b = write_pile(files[third : 2 * third], tmp / "b.jsonl")
        ab = write_pile(files[third // 2 : third + third // 2], tmp / "ab.jsonl")  # overlaps a and b
        print(f"{len(files)} PolNeAR articles; {os.cpu_count()} cores", flush=True)
        start = time.perf_counter()
        if "kills" in want:
            kills(tally, pile, tmp, args.kills, args.seed)
        if want & {"disk", "readonly", "notstore"}:
            disk_full(tally, a, b, tmp)  # its store serves the next two
        if "readonly" in want:
            read_only(tally, tmp / "full.db", b, tmp)
        if "notstore" in want:
            not_a_store(tally, tmp / "full.db", a, tmp)
        if want & {"two", "serve"}:
            two_writers(tally, a, ab, tmp)  # its store serves the next
        if "serve" in want:
            serve_during_add(tally, tmp / "two.db", b, tmp)
        if "hostile" in want:
            hostile_pages(tally, tmp)
    print(f"faults injected   {tally.injected:>6}")
    print(f"articles lost     {tally.lost:>6}")
    print(f"problems          {len(tally.problems):>6}")
    print(f"time              {time.perf_counter() - start:>6.0f} s")
    return 1 if tally.lost or tally.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
