"""Issue 3's list of bad input: each file is read or dropped with a one-line reason; the run finishes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BODY = (
    "The harbour authority said on Monday that the new ferry terminal would open in the spring, "
    "two years later than planned. Officials blamed rising steel prices and a shortage of welders. "
    "Local businesses said the delay had cost them customers, and asked for compensation.\n"
)


def clean(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", "clean", *args], capture_output=True, text=True, timeout=120, check=False
    )


def dropped_lines(proc: subprocess.CompletedProcess[str], name: str) -> list[str]:
    return [line for line in proc.stderr.splitlines() if "dropped" in line and name in line]


def test_mixed_encodings_are_all_read(tmp_path: Path) -> None:
    text = "Ferry terminal delayed\n\n" + BODY.replace("welders", "soldadores — señal café")
    (tmp_path / "latin1.txt").write_bytes(text.replace("—", "-").encode("latin-1"))
    (tmp_path / "cp1252.txt").write_bytes(text.encode("cp1252"))
    (tmp_path / "utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "utf8.txt").write_text(text, encoding="utf-8")
    proc = clean(str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(records) == 4
    assert all("café" in r["text"] for r in records)


def test_malformed_html_is_still_read(tmp_path: Path) -> None:
    page = "<html><head><title>Ferry terminal delayed</title><body><div><p>" + BODY + "<p>Unclosed <b>tags <i>everywhere"
    (tmp_path / "broken.html").write_text(page, encoding="utf-8")
    proc = clean(str(tmp_path))
    assert proc.returncode == 0, proc.stderr
    assert "steel prices" in json.loads(proc.stdout)["text"]


def test_truncated_jsonl_line_is_dropped_and_the_rest_read(tmp_path: Path) -> None:
    good = json.dumps({"title": "Ferry", "text": BODY})
    (tmp_path / "feed.jsonl").write_text(good + "\n" + good[: len(good) // 2] + "\n" + good.replace("Ferry", "Ferry 2") + "\n")
    proc = clean(str(tmp_path))
    assert proc.returncode == 0
    assert len(proc.stdout.splitlines()) == 2
    assert len(dropped_lines(proc, "feed.jsonl:2")) == 1


def test_csv_with_a_broken_quote_finishes(tmp_path: Path) -> None:
    (tmp_path / "table.csv").write_text(f'title,text\nFerry,"{BODY}"\nBroken,"never closed {BODY}\n', encoding="utf-8")
    proc = clean(str(tmp_path))
    assert proc.returncode in (0, 1)
    assert "Traceback" not in proc.stderr
    read = len(proc.stdout.splitlines())
    assert read >= 1 or dropped_lines(proc, "table.csv")


def test_a_200_mb_file_is_refused_by_size(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Ferry terminal delayed\n\n" + BODY, encoding="utf-8")
    big = tmp_path / "huge.txt"
    with big.open("wb") as fh:  # sparse: costs no disk
        fh.truncate(200 * 1024 * 1024)
    proc = clean(str(tmp_path))
    assert proc.returncode == 0
    (line,) = dropped_lines(proc, "huge.txt")
    assert "MB" in line or "bytes" in line


def test_a_symlink_loop_does_not_hang_or_stop_the_run(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Ferry terminal delayed\n\n" + BODY, encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "loop")
    os.symlink(tmp_path / "nowhere", tmp_path / "dangling.txt")
    proc = clean(str(tmp_path))
    assert proc.returncode == 0
    assert len(proc.stdout.splitlines()) == 1
    assert dropped_lines(proc, "dangling.txt")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_an_unreadable_file_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Ferry terminal delayed\n\n" + BODY, encoding="utf-8")
    secret = tmp_path / "secret.txt"
    secret.write_text(BODY, encoding="utf-8")
    secret.chmod(0)
    proc = clean(str(tmp_path))
    assert proc.returncode == 0
    assert dropped_lines(proc, "secret.txt")


def test_strict_exits_non_zero_when_anything_was_dropped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Ferry terminal delayed\n\n" + BODY, encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    assert clean(str(tmp_path)).returncode == 0
    proc = clean(str(tmp_path), "--strict")
    assert proc.returncode == 2
    assert proc.stdout.strip()  # the articles are still written
    assert "--strict" in proc.stderr
