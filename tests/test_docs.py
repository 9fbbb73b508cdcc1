"""The README stays true: every setting in its table as :func:`newsdesk.settings.table` has it,
and every command and shared option of the CLI mentioned (datasette's test_docs, for newsdesk).

After a setting is added or changed, ``python tests/test_docs.py`` prints the
table to paste under the README's "## Settings".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsdesk.cli import main
from newsdesk.settings import table

README = Path(__file__).resolve().parents[1] / "README.md"


def settings_markdown() -> str:
    """The README's settings table, generated from the settings themselves."""
    lines = ["| setting | type | default | what it does |", "|---|---|---|---|"]
    lines += [f"| `{r.key}` | {r.type} | `{r.default}` | {r.help.replace('|', chr(92) + '|')} |" for r in table()]
    return "\n".join(lines) + "\n"


def _readme() -> str:
    return README.read_text(encoding="utf-8")


def _settings_section() -> str:
    match = re.search(r"^## Settings\n(.*?)(?=^## )", _readme(), flags=re.MULTILINE | re.DOTALL)
    assert match, "README has no '## Settings' section"
    return match.group(1)


def test_readme_settings_table_is_the_settings_table() -> None:
    expected = settings_markdown()
    assert expected in _settings_section(), (
        "README's settings table differs from newsdesk.settings.table(); paste this under '## Settings':\n\n" + expected
    )


def test_every_setting_key_is_documented_once() -> None:
    documented = re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", _settings_section(), flags=re.MULTILINE)
    assert documented == [r.key for r in table()]


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"newsdesk {name}" in _readme(), f"README does not document `newsdesk {name}`"


@pytest.mark.parametrize("option", ["--set", "--config", "--columns", "--max-bytes", "--strict"])
def test_every_shared_option_is_in_the_readme(option: str) -> None:
    assert option in _readme(), f"README does not mention {option}"


if __name__ == "__main__":
    print(settings_markdown(), end="")
