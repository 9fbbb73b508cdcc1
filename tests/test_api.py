"""The public surface stays honest: __all__ resolves, the API functions are not shadowed by stage packages."""

from __future__ import annotations

from pathlib import Path

import pytest

import newsdesk

ROOT = Path(__file__).resolve().parents[1]


def test_all_names_resolve() -> None:
    for name in newsdesk.__all__:
        assert hasattr(newsdesk, name), name


def test_brief_is_the_pipeline_function_even_after_stage_imports() -> None:
    import newsdesk.briefing

    assert callable(newsdesk.brief) and newsdesk.brief.__module__ == "newsdesk.pipeline"


@pytest.mark.slow
def test_library_brief_matches_what_the_cli_renders(tmp_path: Path) -> None:
    from newsdesk.render import to_dict

    text = (
        "Council approves new tram line\n\n"
        "The city council voted on Tuesday to approve a new tram line linking the harbour to the university, "
        "Mayor Ana Ruiz said. The line will cost about 340 million euros and open in four years.\n\n"
        "\u201cThis is the biggest investment in our streets for a generation,\u201d Ruiz said after the vote.\n"
    )
    (tmp_path / "tram.txt").write_text(text, encoding="utf-8")
    brief = newsdesk.brief([str(tmp_path)])
    assert len(brief.articles) == 1 and len(brief.stories) == 1
    story = to_dict(brief)["stories"][0]
    assert story["sources"] == 1
    assert story["quotes"] and story["timeline"] == []  # undated article: "Tuesday" has no anchor
    assert to_dict(brief)["articles"][0]["title"] == "Council approves new tram line"
