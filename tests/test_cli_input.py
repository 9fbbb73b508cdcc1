"""Bad input through the CLI: each bad file is one line on stderr and a dropped record; the run goes on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

GOOD = (
    "Council approves new tram line\n\n"
    "The city council voted on Tuesday to approve a new tram line linking the harbour to the university. "
    "The project is expected to cost about 340 million euros and open in four years, officials said.\n\n"
    "Opponents said the money would be better spent on buses, and promised to keep campaigning.\n"
)


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "newsdesk.cli", *args], input=stdin, capture_output=True, timeout=120, check=False)


def bad_folder(tmp_path: Path) -> Path:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (tmp_path / "latin1.txt").write_bytes(GOOD.replace("euros", "euros – café").encode("cp1252"))
    (tmp_path / "feed.jsonl").write_text(
        json.dumps({"title": "Tram", "text": GOOD, "publisher": "City Wire"}) + "\n{not json\n", encoding="utf-8"
    )
    return tmp_path


def test_bad_files_are_reported_and_the_good_ones_read(tmp_path: Path) -> None:
    proc = run("clean", str(bad_folder(tmp_path)), "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    paths = {Path(r["path"].split(":")[0]).name for r in records}
    assert {"good.txt", "latin1.txt", "feed.jsonl"} <= paths
    assert any("café" in r["text"] for r in records)
    err = proc.stderr.decode()
    for name in ("empty.txt", "binary.txt", "feed.jsonl:2"):
        lines = [line for line in err.splitlines() if name in line and "dropped" in line]
        assert len(lines) == 1, (name, err)
    assert "Traceback" not in err


def test_no_readable_article_is_an_error_with_a_clear_message(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    proc = run("clean", str(tmp_path))
    assert proc.returncode == 1
    assert b"no article could be read" in proc.stderr
    assert b"Traceback" not in proc.stderr


def test_missing_path_is_reported(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    proc = run("clean", str(tmp_path / "good.txt"), str(tmp_path / "nope.txt"))
    assert proc.returncode == 0
    assert b"nope.txt" in proc.stderr


def test_stdin_is_read_with_dash() -> None:
    proc = run("clean", "-", stdin=GOOD.encode())
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["title"] == "Council approves new tram line"
    assert "tram line linking the harbour" in record["text"]


def test_csv_with_its_own_column_names(tmp_path: Path) -> None:
    table = tmp_path / "export.csv"
    table.write_text('headline,body,pub_date\n"Tram approved","' + GOOD.replace('"', "'") + '",2022-03-15\n', encoding="utf-8")
    proc = run("clean", str(table), "--columns", "title=headline,text=body,published=pub_date")
    assert proc.returncode == 0, proc.stderr
    record = json.loads(proc.stdout)
    assert record["title"] == "Tram approved"
    assert record["published"]["date"] == "2022-03-15"


def test_a_bad_column_mapping_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    proc = run("clean", str(tmp_path), "--columns", "nonsense")
    assert proc.returncode == 1
    assert proc.stderr.decode().startswith("newsdesk: error: bad column mapping")


def test_files_over_the_size_cap_are_reported(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "big.txt").write_text(GOOD * 50, encoding="utf-8")
    proc = run("clean", str(tmp_path), "--max-bytes", "2000")
    assert proc.returncode == 0
    assert b"big.txt" in proc.stderr and len(proc.stdout.splitlines()) == 1
