"""The public surface stays honest: __all__ resolves, every CLI command is documented."""

from __future__ import annotations

from pathlib import Path

import newsdesk
from newsdesk.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_all_names_resolve() -> None:
    for name in newsdesk.__all__:
        assert hasattr(newsdesk, name), name


def test_brief_is_the_pipeline_function_even_after_stage_imports() -> None:
    import newsdesk.briefing

    assert callable(newsdesk.brief) and newsdesk.brief.__module__ == "newsdesk.pipeline"


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in main.commands:
        assert f"newsdesk {name}" in readme, f"README does not document `newsdesk {name}`"
