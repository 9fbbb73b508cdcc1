"""The store: schema and migrations, incremental add, story assignment, search, crash safety, CLI.

Articles are short invented reports written for these tests (two unrelated
stories: a port strike in "Velmora" and a volcano on "Kessaly Island").
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsdesk.cli import main
from newsdesk.store import Store, add_paths
from newsdesk.store.ingest import load_index
from newsdesk.store.schema import MIGRATIONS, migrate, schema_version
from newsdesk.web.views import pieces, snippet_parts

pytestmark = pytest.mark.slow

STRIKE = [
    {
        "title": "Dockworkers strike shuts Velmora port",
        "publisher": "Harbor Times",
        "url": "https://harbor.example/strike-1",
        "published": "2024-03-04",
        "text": (
            "Dockworkers at the port of Velmora walked off the job on Monday, halting cargo traffic. "
            "The union said about 4,000 workers joined the strike over pay and night shifts. "
            '"We will stay out until the port authority listens," said union leader Marta Oskren. '
            "Shipping companies diverted at least 12 container ships to nearby harbors."
        ),
    },
    {
        "title": "Velmora port strike enters second week",
        "publisher": "Coastal Ledger",
        "url": "https://ledger.example/velmora-strike",
        "published": "2024-03-11",
        "text": (
            "The strike at the port of Velmora entered its second week on Monday with no talks scheduled. "
            "Union leader Marta Oskren said more than 4,500 dockworkers were now on strike. "
            "The port authority said the walkout had cost the city 30 million euros in lost fees. "
            "Container ships remained anchored outside the Velmora harbor."
        ),
    },
    {
        "title": "Talks to end Velmora dock strike collapse",
        "publisher": "Morning Wire",
        "url": "https://wire.example/velmora-talks",
        "published": "2024-03-15",
        "text": (
            "Talks between the Velmora port authority and the dockworkers union collapsed on Friday. "
            "Marta Oskren, the union leader, said the authority's pay offer was an insult to workers. "
            "The port of Velmora has been closed by the strike since March 4, stranding cargo ships."
        ),
    },
]
VOLCANO = {
    "title": "Volcano erupts on Kessaly Island, villages evacuated",
    "publisher": "Island Post",
    "url": "https://islandpost.example/kessaly-eruption",
    "published": "2024-06-02",
    "text": (
        "Mount Teren on Kessaly Island erupted early on Sunday, sending ash eight kilometres into the sky. "
        "Authorities evacuated about 2,300 residents from three villages on the volcano's slopes. "
        '"The lava flow is moving slowly toward the coast," said geologist Ivo Brandt. '
        "Flights to the island were cancelled because of the ash cloud."
    ),
}


def write_jsonl(path: Path, records: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def test_migrations_are_numbered_and_idempotent(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    assert schema_version(conn) == 0
    assert migrate(conn) == len(MIGRATIONS)
    assert migrate(conn) == len(MIGRATIONS)  # a second run changes nothing
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table')")}
    assert {"articles", "stories", "profiles", "sentences", "sentence_fts", "article_fts", "sentence_vectors"} <= tables


def test_store_is_wal(tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_add_is_incremental_and_assigns_stories(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    first = write_jsonl(tmp_path / "first.jsonl", STRIKE[:2])
    with Store(db) as store:
        s1 = add_paths(store, [str(first)])
        assert (s1.read, s1.added, s1.already, s1.new_stories) == (2, 2, 0, 1)
        story_before = store.stories()[0]
        assert store.check() == []

        # Same input again: nothing added, nothing rebuilt.
        s2 = add_paths(store, [str(first)])
        assert (s2.added, s2.already, s2.briefs) == (0, 2, 0)

        # A third strike report joins the strike story; the volcano starts a new one.
        more = write_jsonl(tmp_path / "more.jsonl", [STRIKE[2], VOLCANO])
        s3 = add_paths(store, [str(more)])
        assert (s3.added, s3.new_stories) == (2, 1)
        rows = store.stories()
        assert len(rows) == 2
        strike = next(r for r in rows if r.id == story_before.id)  # the story id survives growth
        assert strike.n_articles == 3 and strike.n_sources == 3
        assert not strike.stale
        brief = store.brief(strike.id)
        assert brief is not None and len(brief.articles) == 3
        volcano = next(r for r in rows if r.id != strike.id)
        assert "Kessaly" in volcano.title
        assert store.counts()["articles"] == 4
        assert store.check() == []


FIRE = [
    {
        "title": "Wildfire spreads in the Orlen hills",
        "publisher": "Valley News",
        "url": "https://valley.example/orlen-fire",
        "published": "2024-07-01",
        "text": (
            "Firefighters battled a wildfire in the Orlen hills on Monday as strong winds pushed the flames "
            "toward farms. About 300 firefighters and four helicopters were deployed, the regional fire service "
            "said. Fire chief Anna Perl said the blaze had burned 2,000 hectares."
        ),
    },
    {
        "title": "Dask village evacuated as smoke covers highway",
        "publisher": "Coast Herald",
        "url": "https://herald.example/dask-evacuated",
        "published": "2024-07-02",
        "text": (
            "Residents of Dask village were ordered to leave their homes on Tuesday as thick smoke covered the "
            "main highway. Police closed the road and opened a shelter in the school gym. Mayor Tomas Vell said "
            "about 1,200 people had left."
        ),
    },
    {
        "title": "Orlen hills wildfire reaches Dask village",
        "publisher": "Morning Wire",
        "url": "https://wire.example/orlen-dask",
        "published": "2024-07-03",
        "text": (
            "The wildfire that began in the Orlen hills reached the edge of Dask village on Wednesday, after "
            "residents had been evacuated and the highway closed by smoke. Fire chief Anna Perl said 300 "
            "firefighters were defending the village. Mayor Tomas Vell said about 1,200 people were in shelters."
        ),
    },
]


def test_an_added_article_that_bridges_two_stored_stories_merges_them(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        add_paths(store, [str(write_jsonl(tmp_path / "halves.jsonl", FIRE[:2]))])
        halves = {r.id for r in store.stories()}
        assert len(halves) == 2
        summary = add_paths(store, [str(write_jsonl(tmp_path / "bridge.jsonl", FIRE[2:]))])
        assert summary.merged == 1 and "1 merged into another" in summary.line()
        (story,) = store.stories()
        assert story.id in halves and story.n_articles == 3 and not story.stale
        assert len(store.brief(story.id).articles) == 3
        (gone,) = halves - {story.id}
        assert store.conn.execute("SELECT count(*) FROM stories WHERE id = ?", (gone,)).fetchone()[0] == 0
        assert store.merged_into(gone) == story.id and store.find_story(gone) == story.id  # its id still finds it
        assert store.check() == []
    with Store(tmp_path / "s.db") as store:  # the index loaded anew holds the merged story
        index = load_index(store)
        assert len(index) == 1 and len(index.members(story.id)) == 3
    result = CliRunner().invoke(main, ["show", gone, "--db", str(tmp_path / "s.db"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert f"story {gone} was merged into {story.id}" in result.stderr
    assert json.loads(result.stdout)["stories"][0]["id"] == story.id


def test_profiles_stored_without_terms_get_them_back_and_stories_keep_key_terms(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    with Store(db) as store:
        add_paths(store, [str(write_jsonl(tmp_path / "first.jsonl", STRIKE[:2]))])
        before = {aid: json.loads(t) for aid, t in store.conn.execute("SELECT article_id, terms FROM profiles")}
        with store.write() as conn:  # as a store from before schema 3 holds them
            conn.execute("UPDATE profiles SET terms = '{}'")
        add_paths(store, [str(write_jsonl(tmp_path / "more.jsonl", [STRIKE[2]]))])
        empty = store.conn.execute("SELECT count(*) FROM profiles WHERE terms = '{}'").fetchone()[0]
        assert empty == 0
        refilled = dict(store.conn.execute("SELECT article_id, terms FROM profiles"))
        assert {aid: json.loads(t) for aid, t in refilled.items() if aid in before} == before
        ((sid, terms),) = store.conn.execute("SELECT id, key_terms FROM stories WHERE n_articles = 3")
        assert "velmora" in json.loads(terms)
        assert store.brief(sid).key_terms == json.loads(terms)


def test_a_story_rebuilt_after_add_encodes_only_the_new_sentences(tmp_path: Path, monkeypatch) -> None:
    from newsdesk import embed

    encoded: list[str] = []
    real = embed.load_encoder

    class Counting:
        def __init__(self, model) -> None:
            self.model = model

        def encode(self, texts, **kwargs):
            encoded.extend(texts)
            return self.model.encode(texts, **kwargs)

    monkeypatch.setattr(embed, "load_encoder", lambda *a: Counting(real(*a)))
    db = tmp_path / "v.db"
    with Store(db) as store:
        add_paths(store, [str(write_jsonl(tmp_path / "first.jsonl", STRIKE[:2]))])
        before = store.brief(store.stories()[0].id)
        first_run = set(encoded)
        encoded.clear()
        add_paths(store, [str(write_jsonl(tmp_path / "more.jsonl", [STRIKE[2]]))])
        after = store.brief(store.stories()[0].id)
        assert before is not None and after is not None and len(after.articles) == 3
        assert encoded, "the new article's lead and sentences are encoded"
        assert not set(encoded) & first_run, "no sentence of the stored articles is encoded again"
        new_words = set(re.findall(r"\w+", STRIKE[2]["title"] + " " + STRIKE[2]["text"]))
        assert all(set(re.findall(r"\w+", text)) <= new_words for text in encoded)
        stored = store.conn.execute("SELECT count(*) FROM sentence_vectors").fetchone()[0]
        assert stored >= len(first_run)

    # The brief from stored vectors is the brief from fresh ones.
    fresh_db = tmp_path / "fresh.db"
    with Store(fresh_db) as fresh:
        add_paths(fresh, [str(write_jsonl(tmp_path / "all.jsonl", STRIKE))])
        fresh_brief = fresh.brief(fresh.stories()[0].id)
    assert fresh_brief is not None and fresh_brief.summary == after.summary
    assert fresh_brief.agreements == after.agreements and fresh_brief.disagreements == after.disagreements


def test_exact_repost_is_linked_as_copy_to_stored_origin(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    origin = write_jsonl(tmp_path / "o.jsonl", [STRIKE[0]])
    repost = dict(STRIKE[0], publisher="Daily Echo", url="https://echo.example/copy", published="2024-03-05")
    with Store(db) as store:
        add_paths(store, [str(origin)])
        s = add_paths(store, [str(write_jsonl(tmp_path / "r.jsonl", [repost]))])
        assert (s.added, s.copies) == (1, 1)
        rows = store.conn.execute("SELECT id, copy_of, story_id FROM articles ORDER BY rowid").fetchall()
        assert rows[1]["copy_of"] == rows[0]["id"]
        assert rows[1]["story_id"] == rows[0]["story_id"]
        assert rows[0]["id"] != rows[1]["id"]  # same text, separate ids
        assert store.stories()[0].n_sources == 1
        assert [c.article.id for c in store.copies_of(rows[0]["id"])] == [rows[1]["id"]]


def test_search_gives_snippets_and_survives_bad_syntax(tmp_path: Path) -> None:
    with Store(tmp_path / "q.db") as store:
        add_paths(store, [str(write_jsonl(tmp_path / "a.jsonl", [*STRIKE, VOLCANO]))])
        hits = store.search("evacuated residents")
        assert hits and "Kessaly" in hits[0].title
        assert "\x02" in hits[0].snippet  # matched words are marked
        assert hits[0].start is not None
        text = store.article(hits[0].article_id).article.text
        assert "evacuated" in text[hits[0].start : hits[0].end]
        bad = store.search('"Velmora AND (')  # unbalanced: searched as the plain word
        assert bad and {h.article_id for h in bad} == {h.article_id for h in store.search("Velmora")}
        assert store.search("Oskren")
        assert store.search("") == []


def test_snippet_parts_and_pieces() -> None:
    assert snippet_parts("a \x02b\x03 c") == [("a ", False), ("b", True), (" c", False)]
    text = "Alpha beta gamma."
    ps = pieces(text, [(0, 5, "place", "place: Alpha")], {(0, 10)}, {(0, 17)})
    assert "".join(p.text for p in ps) == text
    assert ps[0].kinds == ("place",) and ps[0].cited and "c-0-10" in ps[0].anchors
    assert not ps[-1].cited and "c-0-17" in ps[-1].cites


def test_cli_add_stories_show_search(tmp_path: Path) -> None:
    db = str(tmp_path / "cli.db")
    src = write_jsonl(tmp_path / "a.jsonl", [*STRIKE, VOLCANO])
    runner = CliRunner()
    r = runner.invoke(main, ["add", str(src), "--db", db])
    assert r.exit_code == 0, r.output
    assert "read 4, added 4" in r.output
    r = runner.invoke(main, ["stories", "--db", db, "--format", "json"])
    stories = json.loads(r.output)["stories"]
    assert len(stories) == 2 and stories[0]["sources"] == 3
    for fmt in ("table", "md", "json"):
        r = runner.invoke(main, ["show", "1", "--db", db, "--format", fmt])
        assert r.exit_code == 0, r.output
        assert "Velmora" in r.output
    r = runner.invoke(main, ["search", "lava", "--db", db, "--format", "json"])
    hits = json.loads(r.output)["hits"]
    assert hits and "«lava»" in hits[0]["highlight"]
    r = runner.invoke(main, ["search", "lava", "--db", db, "--format", "md"])
    assert "**lava**" in r.output
    r = runner.invoke(main, ["show", "nosuchstory", "--db", db])
    assert r.exit_code == 1 and "no story" in r.output
    r = runner.invoke(main, ["stories", "--db", str(tmp_path / "missing.db")])
    assert r.exit_code == 1 and "no store" in r.output


def _many(n: int) -> list[dict[str, str]]:
    """Distinct short reports (different towns and numbers) so every one is a new article."""
    towns = ["Arvel", "Brisk", "Corran", "Dunmere", "Eskar", "Falto", "Gorin", "Hesk", "Ilvar", "Jorra"]
    return [
        {
            "title": f"Council of {towns[i % 10]} approves budget {i}",
            "publisher": f"Gazette {i}",
            "url": f"https://gazette{i}.example/budget",
            "published": f"2023-{1 + i % 12:02d}-{1 + i % 27:02d}",
            "text": (
                f"The council of {towns[i % 10]} approved a budget of {100 + i} million on Tuesday after a long debate. "
                f"Mayor Lina Varga{i} said the plan funds {20 + i} new schools and repairs to the river bridge. "
                f"Opposition members said the {towns[i % 10]} plan ignores housing."
            ),
        }
        for i in range(n)
    ]


def _count(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


@pytest.mark.timeout(600)
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT])
def test_interrupted_add_keeps_commits_and_rerun_finishes(tmp_path: Path, sig: signal.Signals) -> None:
    n = 40
    src = write_jsonl(tmp_path / "many.jsonl", _many(n))
    db = tmp_path / "k.db"
    cmd = [
        sys.executable,
        "-c",
        "from newsdesk.cli import main; main()",
        "add",
        str(src),
        "--db",
        str(db),
        "--batch-size",
        "1",
    ]
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    try:
        while _count(db) < 3 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        assert proc.poll() is None, "add finished before it could be interrupted"
        proc.send_signal(sig)
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    kept = _count(db)
    assert 3 <= kept < n
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and b"interrupted" in err
    with Store(db) as store:
        assert store.check() == []  # consistent: nothing half-written
        summary = add_paths(store, [str(src)])
        assert summary.already == kept and summary.added == n - kept
        assert store.counts()["articles"] == n
        assert store.counts()["stale"] == 0
        assert store.check() == []
        again = add_paths(store, [str(src)])
        assert again.added == 0 and store.counts()["articles"] == n


# ---- faults: a file that is no store, a full disk, a read-only store, two writers ----------------


def _cli(args: list[str], preexec=None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=preexec,
        check=False,
    )


def _error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("newsdesk: error:")]


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"my reading notes, not a database\n" * 40, "is not a newsdesk store"),
        (b"\x00\x9f" * 3000, "is not a newsdesk store"),
    ],
)
def test_a_file_that_is_not_a_store_gives_one_error_line_and_is_left_unchanged(tmp_path: Path, content, said) -> None:
    db = tmp_path / "notes.db"
    db.write_bytes(content)
    src = write_jsonl(tmp_path / "a.jsonl", [VOLCANO])
    for args in (["add", str(src), "--db", str(db)], ["stories", "--db", str(db)], ["search", "lava", "--db", str(db)]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 1
        lines = [line for line in r.output.splitlines() if line.strip()]
        assert len(lines) == 1 and said in lines[0] and "Traceback" not in r.output
    assert db.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.jsonl", "notes.db"]  # no journal left beside it


def test_a_damaged_store_is_called_damaged_not_a_stranger(tmp_path: Path) -> None:
    good = tmp_path / "good.db"
    with Store(good) as store:
        add_paths(store, [str(write_jsonl(tmp_path / "a.jsonl", [*STRIKE, VOLCANO]))])
    cut = tmp_path / "cut.db"
    cut.write_bytes(good.read_bytes()[:8192])
    r = CliRunner().invoke(main, ["stories", "--db", str(cut)])
    assert r.exit_code == 1 and "is damaged" in r.output and "restore it from a copy" in r.output


@pytest.mark.timeout(600)
def test_a_full_disk_rolls_the_batch_back_with_one_error_line_and_a_rerun_finishes(tmp_path: Path) -> None:
    import resource

    db = tmp_path / "full.db"
    first = write_jsonl(tmp_path / "first.jsonl", STRIKE)
    with Store(db) as store:
        add_paths(store, [str(first)])
    before = _count(db)
    limit = sum(p.stat().st_size for p in tmp_path.glob("full.db*")) + 16 * 1024

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    more = write_jsonl(tmp_path / "more.jsonl", _many(40))
    r = _cli(["add", str(more), "--db", str(db), "--batch-size", "4"], preexec=cap)
    assert r.returncode == 1, r.stderr
    errors = _error_lines(r.stderr)
    assert len(errors) == 1 and "disk is full" in errors[0] and "Traceback" not in r.stderr
    kept = _count(db)
    assert before <= kept < before + 40 and (kept - before) % 4 == 0  # whole batches only
    with Store(db) as store:
        assert store.check() == []
        summary = add_paths(store, [str(more)])
        assert summary.already == kept - before and store.counts()["articles"] == before + 40
        assert store.check() == []


def test_a_read_only_store_is_refused_before_anything_is_read_and_still_reads(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "ro.db"
    with Store(db) as store:
        add_paths(store, [str(write_jsonl(tmp_path / "a.jsonl", [VOLCANO]))])
    before = db.read_bytes()
    real_access = os.access
    # What the kernel says of a read-only file or mount (root is told so only by a read-only mount).
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == db and mode == os.W_OK else real_access(p, mode)
    )
    r = CliRunner().invoke(main, ["add", str(tmp_path / "a.jsonl"), "--db", str(db)])
    assert r.exit_code == 1 and "the store is read-only" in r.output
    assert len([line for line in r.output.splitlines() if line.strip()]) == 1
    r = CliRunner().invoke(main, ["stories", "--db", str(db), "--format", "json"])
    assert r.exit_code == 0 and len(json.loads(r.output)["stories"]) == 1
    assert db.read_bytes() == before


def test_a_store_on_a_read_only_mount_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    import shutil

    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare to make a read-only bind mount")
    if subprocess.run(["unshare", "-m", "true"], capture_output=True, check=False).returncode != 0:
        pytest.skip("this machine does not allow mount namespaces (unshare -m)")
    folder, mnt = tmp_path / "ro", tmp_path / "mnt"
    folder.mkdir()
    mnt.mkdir()
    db = folder / "s.db"
    with Store(db) as store:
        add_paths(store, [str(write_jsonl(tmp_path / "a.jsonl", [VOLCANO]))])
    src = write_jsonl(tmp_path / "b.jsonl", STRIKE)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    cli = f"{sys.executable} -m newsdesk.cli"
    script = (
        f"mount --bind {folder} {mnt} && mount -o remount,bind,ro {mnt} && "
        f"{cli} add {src} --db {mnt}/s.db; echo exit=$?; {cli} stories --db {mnt}/s.db --format json"
    )
    r = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, timeout=600, check=False)
    errors = _error_lines(r.stderr)
    assert "exit=1" in r.stdout and len(errors) == 1 and "read-only" in errors[0], r.stderr
    assert len(json.loads(r.stdout.split("exit=1", 1)[1])["stories"]) == 1
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.timeout(600)
def test_two_adds_on_one_store_take_turns_and_store_each_article_once(tmp_path: Path) -> None:
    db = tmp_path / "two.db"
    records = _many(24)
    a = write_jsonl(tmp_path / "a.jsonl", records[:16])
    b = write_jsonl(tmp_path / "b.jsonl", records[8:])  # 8 in common
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    procs = []
    for src in (a, b):
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "newsdesk.cli", "add", str(src), "--db", str(db)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
        )
        time.sleep(0.2)
    errs = [p.communicate(timeout=600)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errs
    assert any("waiting for it" in e for e in errs)
    with Store(db) as store:
        assert store.counts()["articles"] == 24 and store.check() == []


def test_the_web_app_answers_while_a_write_transaction_is_open(tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from newsdesk.web import create_app

    db = tmp_path / "w.db"
    with Store(db) as store:
        add_paths(store, [str(write_jsonl(tmp_path / "a.jsonl", [*STRIKE, VOLCANO]))])
    writer = Store(db)
    try:
        with writer.write() as conn:  # held open, as add holds it while it inserts a batch
            conn.execute("UPDATE stories SET title = 'changing' WHERE 1")
            client = TestClient(create_app(str(db)))
            assert client.get("/").status_code == 200
            assert client.get("/search?q=lava").status_code == 200
    finally:
        writer.close()


def test_the_writer_lock_dies_with_its_holder_even_when_a_forked_child_lives_on(tmp_path: Path) -> None:
    # Found by bench/faults.py: annotation workers orphaned by a SIGKILLed add inherited a flock
    # and kept every later add waiting. The lock is now a POSIX lock, which children never hold.
    db = tmp_path / "lock.db"
    Store(db).close()
    holder = (
        "import os, sys, time\n"
        "from newsdesk.store import Store\n"
        f"store = Store({str(db)!r})\n"
        "with store.exclusive():\n"
        "    if os.fork() == 0:\n"
        "        time.sleep(60); os._exit(0)\n"
        "    print('held', flush=True); time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", holder], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        waited: list[bool] = []
        with Store(db) as store:
            # While the holder lives, a second writer must wait (checked without blocking).
            import fcntl

            fd = os.open(str(db) + ".lock", os.O_RDWR)
            with pytest.raises(OSError):
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.close(fd)
            proc.kill()
            proc.wait()
            with store.exclusive(on_wait=lambda: waited.append(True)):
                pass
        assert waited == []  # free at once: the orphaned child holds nothing
    finally:
        proc.kill()
        subprocess.run(["pkill", "-f", f"Store\\({str(db)!r}"], check=False)


def test_a_store_finished_after_an_interruption_equals_one_made_in_one_run(tmp_path: Path) -> None:
    # Found by bench/faults.py: after a kill and a re-run one story's key terms differed from an
    # uninterrupted run's: the re-run rebuilt the story index from the store, working out each
    # source's TF-IDF vector anew, where the interrupted run had worked it out as the source came.
    from newsdesk.settings import Settings

    # Reports after the strike's first one use its words ("port", "union", "workers") often: a
    # source's vector worked out under the whole batch weighs those words less than one worked
    # out in order, so the story's key terms changed with the batch size.
    echoes = [
        {"title": f"Port union vote {i}", "publisher": f"Echo {i}", "url": f"https://echo{i}.example/{i}",
         "published": "2024-03-05",
         "text": (f"Port workers of the union in Arvel{i} voted on Monday over pay and night shifts. "
                  f"The union said the port workers want pay rises and cargo shifts {i}. "
                  "Workers said the port authority must listen to the union.")}
        for i in range(6)
    ]
    records = [STRIKE[0], *echoes, STRIKE[1], STRIKE[2], VOLCANO]
    whole = write_jsonl(tmp_path / "all.jsonl", records)
    settings = Settings().with_values({"store.batch_size": 2})

    def content(db: Path) -> list[tuple]:
        with Store(db) as store:
            return sorted(tuple(r) for r in store.conn.execute(
                "SELECT s.title, s.key_terms, s.brief, group_concat(a.id) FROM stories s "
                "JOIN articles a ON a.story_id = s.id GROUP BY s.id"
            ).fetchall())

    with Store(tmp_path / "one.db") as store:
        add_paths(store, [str(whole)], settings=settings)
    for stop in (3, 5, 8):  # the run stopped after this many articles committed (whole batches: 2 a time)
        db = tmp_path / f"stopped{stop}.db"
        with Store(db) as store:
            add_paths(store, [str(write_jsonl(tmp_path / f"first{stop}.jsonl", records[: stop - stop % 2]))],
                      settings=settings)
        with Store(db) as store:  # the same command again, as after a kill
            add_paths(store, [str(whole)], settings=settings)
        assert content(db) == content(tmp_path / "one.db")
