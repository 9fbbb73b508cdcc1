"""Settings from the command line: ``--set KEY=VALUE`` and ``--config FILE`` reach the stages.

Precedence, weakest first: defaults, environment, ``--config``, each ``--set``,
an option that is itself a setting (``--max-bytes``, ``add --batch-size``).
A bad key or value is one line on stderr and exit code 1.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsdesk.cli import main
from newsdesk.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "examples" / "corpus"

GOOD = (
    "Ferry terminal delayed\n\n"
    "The harbour authority said on Monday that the new ferry terminal would open in the spring, "
    "two years later than planned. Officials blamed rising steel prices and a shortage of welders.\n"
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", *args], capture_output=True, text=True, timeout=600, check=False
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """One short article (~250 bytes) and one long one (~5 kB)."""
    (tmp_path / "short.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "long.txt").write_text(GOOD + GOOD[23:] * 20, encoding="utf-8")
    return tmp_path


def read_names(proc: subprocess.CompletedProcess[str]) -> list[str]:
    assert proc.returncode == 0, proc.stderr
    return sorted(Path(json.loads(line)["path"]).name for line in proc.stdout.splitlines())


def test_set_changes_what_a_stage_does(folder: Path) -> None:
    assert read_names(run("clean", str(folder))) == ["long.txt", "short.txt"]
    assert read_names(run("clean", str(folder), "--set", "ingest.max_bytes=1000")) == ["short.txt"]


def test_a_toml_config_file_is_read(folder: Path, tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text("[ingest]\nmax_bytes = 1_000\n", encoding="utf-8")
    assert read_names(run("clean", str(folder / "short.txt"), str(folder / "long.txt"), "--config", str(config))) == [
        "short.txt"
    ]


def test_set_wins_over_the_config_file_and_max_bytes_over_set(folder: Path, tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text("[ingest]\nmax_bytes = 1000\n", encoding="utf-8")
    paths = [str(folder / "short.txt"), str(folder / "long.txt")]
    assert read_names(run("clean", *paths, "--config", str(config), "--set", "ingest.max_bytes=100000")) == [
        "long.txt", "short.txt"
    ]
    assert read_names(run("clean", *paths, "--set", "ingest.max_bytes=100000", "--max-bytes", "1000")) == ["short.txt"]


def test_the_last_set_of_a_key_wins(folder: Path) -> None:
    args = ["--set", "ingest.max_bytes=1000", "--set", "ingest.max_bytes=100000"]
    assert read_names(run("clean", str(folder), *args)) == ["long.txt", "short.txt"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "stories.nope=1"], "unknown setting 'stories.nope'"),
        (["--set", "nowhere.merge_threshold=1"], "unknown setting 'nowhere.merge_threshold'"),
        (["--set", "stories.merge_threshold=high"], "setting stories.merge_threshold takes a float, not 'high'"),
        (["--set", "store.batch_size=2.5"], "setting store.batch_size takes a int, not '2.5'"),
        (["--set", "stories.merge_threshold"], "expected KEY=VALUE"),
        (["--config", "/no/such/settings.toml"], "cannot read settings file /no/such/settings.toml"),
    ],
)
def test_a_bad_setting_is_a_one_line_error(folder: Path, args: list[str], message: str) -> None:
    proc = run("copies", str(folder), *args)
    assert proc.returncode == 1
    assert proc.stdout == ""
    (line,) = proc.stderr.splitlines()
    assert line.startswith("newsdesk: error: ") and message in line, line


def test_a_bad_config_file_is_a_one_line_error(folder: Path, tmp_path: Path) -> None:
    config = tmp_path / "settings.toml"
    config.write_text("[stories]\nmerge_threshold = 'high'\n", encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text("[stories\n", encoding="utf-8")
    for path in (config, broken):
        proc = run("clean", str(folder), "--config", str(path))
        assert proc.returncode == 1
        (line,) = proc.stderr.splitlines()
        assert line.startswith("newsdesk: error: "), line


def test_add_gets_the_settings_and_batch_size_is_store_batch_size(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsdesk.store.ingest

    seen: list[Settings] = []

    def add_paths(*args: Any, settings: Settings, **kwargs: Any) -> None:
        seen.append(settings)

    monkeypatch.setattr(newsdesk.store.ingest, "add_paths", add_paths)
    db = str(tmp_path / "nd.db")
    runner = CliRunner()
    for args in (
        [],
        ["--set", "store.batch_size=3", "--set", "stories.window_days=30"],
        ["--set", "store.batch_size=3", "--batch-size", "5"],
    ):
        result = runner.invoke(main, ["add", str(folder), "--db", db, *args])
        assert result.exit_code == 0, result.output
    assert [s.store.batch_size for s in seen] == [8, 3, 5]
    assert seen[1].stories.window_days == 30


@pytest.mark.slow
def test_a_merge_threshold_above_any_similarity_gives_one_story_per_source() -> None:
    default = json.loads(run("brief", str(CORPUS), "--format", "json").stdout)
    proc = run("brief", str(CORPUS), "--format", "json", "--set", "stories.merge_threshold=4.0")
    assert proc.returncode == 0, proc.stderr
    apart = json.loads(proc.stdout)
    sources = [a for a in apart["articles"] if a["copy_of"] is None]
    assert len(default["stories"]) < len(sources)
    assert len(apart["stories"]) == len(sources)  # copies still follow their origin


def test_lineage_caps_set_on_the_command_line_reach_the_copy_search() -> None:
    corpus = str(ROOT / "examples" / "corpus")
    plain = run("copies", corpus, "--format", "json")
    capped = run("copies", corpus, "--format", "json", "--set", "lineage.max_posting=1",
                 "--set", "lineage.max_band_bucket=1")
    assert plain.returncode == 0 and capped.returncode == 0, capped.stderr
    copies = [a for a in json.loads(plain.stdout)["articles"] if a["copy_of"]]
    assert len(copies) == 3
    assert [a for a in json.loads(capped.stdout)["articles"] if a["copy_of"]] == []
    assert "too common to compare, skipped" in capped.stderr
