"""Expected outputs: what ``brief``, ``annotate`` and ``copies`` print on the example corpus
and on the seeds, stored so that a refactor that changes behaviour fails a test.

The example corpus is fictional and ours, so its outputs are stored whole
(``tests/expected/examples.*``). The seeds are third-party text, so for them
only a digest of each part of each output is stored (``tests/expected/seeds.digests.json``):
a failure still names the part that changed (an article, a story's timeline, ...).

When a change is meant to change the output, regenerate and review the diff:

    .venv/bin/python tests/expected_outputs.py
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "tests" / "expected"
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))

#: (name, command arguments after the corpus path) of each stored output.
OUTPUTS = (
    ("brief.json", ["brief", "--format", "json"]),
    ("annotate.jsonl", ["annotate"]),
    ("copies.json", ["copies", "--format", "json"]),
)


def run(corpus: str, cwd: Path, args: list[str]) -> str:
    cmd = [sys.executable, "-m", "newsdesk.cli", args[0], corpus, *args[1:]]
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True, timeout=900)
    return proc.stdout


def examples_output(args: list[str]) -> str:
    return run("examples/corpus", ROOT, args)


def seeds_output(args: list[str]) -> str:
    return run("seeds", SHARED / "corpus", args)


def parts(name: str, text: str) -> dict[str, Any]:
    """An output split into named parts: per article, per story section, per JSON line."""
    if name.endswith(".jsonl"):
        return {f"line {i}": json.loads(line) for i, line in enumerate(text.splitlines())}
    data = json.loads(text)
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key == "stories":
            for i, story in enumerate(value):
                for section, body in story.items():
                    out[f"stories[{i}].{section}"] = body
        elif isinstance(value, list):
            for i, item in enumerate(value):
                out[f"{key}[{i}]"] = item
            out[f"{key} (count)"] = len(value)
        else:
            out[key] = value
    return out


def digests(name: str, text: str) -> dict[str, str]:
    return {
        part: hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
        for part, body in parts(name, text).items()
    }


def regenerate() -> None:
    EXPECTED.mkdir(exist_ok=True)
    for name, args in OUTPUTS:
        (EXPECTED / f"examples.{name}").write_text(examples_output(args), encoding="utf-8")
    seeds = {name: digests(name, seeds_output(args)) for name, args in OUTPUTS}
    (EXPECTED / "seeds.digests.json").write_text(json.dumps(seeds, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    regenerate()
