"""Shared fixtures. Tests that read ../shared skip where it is absent (a user's clone)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))
EXAMPLES = ROOT / "examples"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "corpus" / "seeds").is_dir():
        pytest.skip(f"shared material not found at {SHARED} (set NEWSDESK_SHARED); it is present in CI")
    return SHARED


@pytest.fixture(scope="session")
def seeds(shared: Path) -> Path:
    return shared / "corpus" / "seeds"


@pytest.fixture(scope="session")
def nlp():
    from newsdesk.annotate.nlp import load_nlp

    return load_nlp()
