"""What every ``newsdesk`` command shares: the group, the options, the error line, the output.

Takes nothing from the command modules (they register on :data:`main`), and
gives them:

- :data:`main`, the click group, whose one error handler turns any
  :class:`~newsdesk.errors.NewsdeskError` into ``newsdesk: error: ...`` on one
  line and the error's exit code, never a traceback;
- the options spelled once: :func:`paths_argument`, :func:`output_options`
  (``--format`` and ``-o``), :func:`input_options` (``--columns``,
  ``--max-bytes``, ``--set KEY=VALUE`` and ``--config FILE``, handed to the
  command as ready ``options`` and ``settings``);
- the output, written once: :func:`emit` (text to a file or stdout),
  :func:`emit_listing` (one list as a terminal table, Markdown or JSON),
  :func:`json_text`, and :func:`report_dropped` for the stderr line of each
  dropped input.

Settings come, each overriding the one before: the defaults, the environment
(:func:`newsdesk.settings.from_environment`), ``--config FILE``, each ``--set``
in order, then an option that names a setting itself (``--max-bytes`` is
``ingest.max_bytes``).
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterable, Sequence
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TypeVar

import click

from newsdesk.errors import ConfigError, NewsdeskError
from newsdesk.model import Dropped
from newsdesk.settings import Settings, from_environment

if TYPE_CHECKING:
    from newsdesk.pipeline import InputOptions

__all__ = [
    "emit",
    "emit_listing",
    "input_options",
    "json_text",
    "main",
    "markdown_table",
    "output_options",
    "paths_argument",
    "report_dropped",
    "settings_from",
    "stdin_of",
    "terminal_table",
]

F = TypeVar("F", bound=Callable[..., Any])


class NewsdeskGroup(click.Group):
    """The command group; library errors from any command end here, once."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except NewsdeskError as exc:
            click.echo(f"newsdesk: error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except sqlite3.Error as exc:
            # A store failure outside the store's own paths (a read meeting a damaged file).
            from newsdesk.store.db import store_error

            error = store_error("the store", exc)
            click.echo(f"newsdesk: error: {error}", err=True)
            sys.exit(error.exit_code)


@click.group(cls=NewsdeskGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsdesk")
def main() -> None:
    """Turn a pile of news articles into a sourced story brief."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def paths_argument(fn: F) -> F:
    return click.argument("paths", nargs=-1, required=True, metavar="PATH...")(fn)


def output_options(*formats: str) -> Callable[[F], F]:
    """``--format`` (the first of ``formats`` by default) and ``-o FILE``."""

    def decorate(fn: F) -> F:
        fn = click.option(
            "-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
            help="Write to FILE instead of standard output.",
        )(fn)
        return click.option(
            "--format", "fmt", type=click.Choice(list(formats)), default=formats[0], show_default=True
        )(fn)

    return decorate


def input_options(fn: F) -> F:
    """--columns, --max-bytes, --set and --config, spelled the same on every command that runs a stage.

    The command receives ``options`` (a :class:`newsdesk.pipeline.InputOptions`)
    and ``settings`` (a :class:`newsdesk.settings.Settings`) instead of the raw values.
    """

    @wraps(fn)
    def wrapper(
        *args: Any, columns: str, max_bytes: int | None, pairs: tuple[str, ...], config: str | None, **kwargs: Any
    ) -> Any:
        settings = settings_from(config, pairs)
        if max_bytes is not None:
            settings = settings.with_values({"ingest.max_bytes": max_bytes})
        return fn(*args, options=_input_options(columns), settings=settings, **kwargs)

    for option in reversed([
        click.option(
            "--columns", default="", metavar="FIELD=COLUMN,...",
            help="Column names of CSV/JSONL input, e.g. text=body,published=pub_date.",
        ),
        click.option(
            "--max-bytes", type=click.IntRange(min=1), default=None, metavar="N",
            help="Skip (and report) any file or record larger than N bytes [default: 50 MB] (ingest.max_bytes).",
        ),
        click.option(
            "--set", "pairs", multiple=True, metavar="KEY=VALUE",
            help="Change one setting, e.g. stories.merge_threshold=0.55 (repeatable; see README, Settings).",
        ),
        click.option(
            "--config", type=click.Path(dir_okay=False), default=None, metavar="FILE",
            help="A TOML file of settings, one table per stage ([stories] merge_threshold = 0.55).",
        ),
    ]):
        wrapper = option(wrapper)
    return wrapper  # type: ignore[return-value]


def settings_from(config: str | None = None, pairs: Iterable[str] = ()) -> Settings:
    """The environment's settings, then the file's, then each ``KEY=VALUE`` in order."""
    settings = from_environment()
    if config:
        settings = settings.with_file(config)
    return settings.with_pairs(pairs)


def _input_options(columns: str) -> InputOptions:
    from newsdesk.ingest import parse_columns
    from newsdesk.pipeline import InputOptions

    try:
        return InputOptions(parse_columns(columns) if columns else {})
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc


def stdin_of(paths: Sequence[str]) -> BinaryIO | None:
    """Standard input when ``-`` is one of the paths."""
    return sys.stdin.buffer if "-" in paths else None


def report_dropped(dropped: Iterable[Dropped]) -> None:
    for d in dropped:
        click.echo(f"newsdesk: dropped {d.path} ({d.stage}): {d.reason}", err=True)


def emit(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=not text.endswith("\n"))


def json_text(payload: Any) -> str:
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def emit_listing(
    fmt: str,
    output: str | None,
    *,
    payload: Any,
    title: str,
    headers: list[str],
    rows: list[list[Any]],
    heading: str = "",
    markdown: str | None = None,
) -> None:
    """One list in the formats every list command offers.

    ``json``: ``payload``; ``md``: ``markdown`` if given, else the rows as a
    Markdown table under ``# heading``; ``table``: a terminal table titled ``title``.
    """
    if fmt == "json":
        text = json_text(payload)
    elif fmt == "md":
        text = markdown if markdown is not None else f"# {heading}\n\n" + markdown_table(headers, rows)
    else:
        text = terminal_table(title, headers, rows)
    emit(text, output)


def terminal_table(title: str, headers: list[str], rows: list[list[Any]]) -> str:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, show_lines=False)
    for h in headers:
        table.add_column(h, overflow="fold")
    for r in rows:
        # Data is shown as text: rich markup in article titles must not be interpreted.
        table.add_row(*(Text(str(c) if c is not None else "") for c in r))
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(table)
    return console.export_text()


def markdown_table(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _md_cell(text: Any) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")
