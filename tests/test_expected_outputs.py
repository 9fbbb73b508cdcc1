"""The CLI's outputs on the example corpus and the seeds are the stored expected ones.

A change meant to change them regenerates them (``tests/expected_outputs.py``)
and the diff is reviewed with the change.
"""

from __future__ import annotations

import json

import pytest
from expected_outputs import EXPECTED, OUTPUTS, digests, examples_output, parts, seeds_output

pytestmark = pytest.mark.slow


@pytest.mark.parametrize(("name", "args"), OUTPUTS, ids=[n for n, _ in OUTPUTS])
def test_example_corpus_output_is_the_expected_one(name: str, args: list[str]) -> None:
    got = examples_output(args)
    want = (EXPECTED / f"examples.{name}").read_text(encoding="utf-8")
    if got != want:
        got_parts, want_parts = parts(name, got), parts(name, want)
        changed = sorted(k for k in got_parts.keys() | want_parts.keys() if got_parts.get(k) != want_parts.get(k))
        pytest.fail(f"examples {name} differs from tests/expected in: {changed[:20]}")


@pytest.mark.parametrize(("name", "args"), OUTPUTS, ids=[n for n, _ in OUTPUTS])
def test_seed_output_is_the_expected_one(shared, name: str, args: list[str]) -> None:
    want = json.loads((EXPECTED / "seeds.digests.json").read_text(encoding="utf-8"))[name]
    got = digests(name, seeds_output(args))
    changed = sorted(k for k in got.keys() | want.keys() if got.get(k) != want.get(k))
    assert changed == [], f"seeds {name} differs from tests/expected in: {changed[:20]}"
