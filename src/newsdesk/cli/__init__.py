"""The ``newsdesk`` command line: each command a thin wrapper over the library.

    newsdesk brief PATH... [--format md|json|html] [-o FILE]
    newsdesk clean PATH... [--format jsonl]
    newsdesk annotate PATH... [--format jsonl]
    newsdesk copies PATH... [--format json|md]

PATH is a file, a folder (read recursively) or ``-`` for standard input.
Every input that could not be used is reported on standard error, one line
each, and listed in the output's ``dropped``. Library errors become a one-line
message and exit code 1, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Sequence
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from newsdesk.errors import ConfigError, NewsdeskError
from newsdesk.model import Dropped

F = TypeVar("F", bound=Callable[..., Any])


def _paths_argument(fn: F) -> F:
    return click.argument("paths", nargs=-1, required=True, metavar="PATH...")(fn)


def _input_options(fn: F) -> F:
    """--columns and --max-bytes, spelled the same on every command that reads input."""
    fn = click.option(
        "--columns", default="", metavar="FIELD=COLUMN,...",
        help="Column names of CSV/JSONL input, e.g. text=body,published=pub_date.",
    )(fn)
    return click.option(
        "--max-bytes", type=click.IntRange(min=1), default=None, metavar="N",
        help="Skip (and report) any file or record larger than N bytes [default: 50 MB].",
    )(fn)


def _options(columns: str, max_bytes: int | None) -> Any:
    from newsdesk.ingest import parse_columns
    from newsdesk.pipeline import InputOptions

    try:
        mapping = parse_columns(columns) if columns else {}
    except ValueError as exc:
        raise ConfigError(str(exc)) from exc
    return InputOptions(mapping, max_bytes) if max_bytes else InputOptions(mapping)


def _output_option(fn: F) -> F:
    return click.option(
        "-o", "--output", type=click.Path(dir_okay=False, writable=True), default=None,
        help="Write to FILE instead of standard output.",
    )(fn)


def _reports_errors(fn: F) -> F:
    """Turn library errors into one line on stderr and exit code 1."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except NewsdeskError as exc:
            click.echo(f"newsdesk: error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def _stdin(paths: Sequence[str]) -> Any:
    return sys.stdin.buffer if "-" in paths else None


def _emit(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=not text.endswith("\n"))


STRICT_EXIT = 2


def _strict_option(fn: F) -> F:
    return click.option(
        "--strict", is_flag=True, help=f"Exit with code {STRICT_EXIT} when any input was dropped (output is still written)."
    )(fn)


def _report(n_articles: int, dropped: Sequence[Dropped], extra: str = "", strict: bool = False) -> None:
    for d in dropped:
        click.echo(f"newsdesk: dropped {d.path} ({d.stage}): {d.reason}", err=True)
    click.echo(f"newsdesk: read {n_articles} article(s){extra}, dropped {len(dropped)}", err=True)
    if strict and dropped:
        click.echo(f"newsdesk: --strict: {len(dropped)} input(s) dropped", err=True)
        sys.exit(STRICT_EXIT)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="newsdesk")
def main() -> None:
    """Turn a pile of news articles into a sourced story brief."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@main.command()
@_paths_argument
@click.option("--format", "fmt", type=click.Choice(["md", "json", "html"]), default="md", show_default=True)
@_output_option
@_input_options
@_strict_option
@_reports_errors
def brief(
    paths: tuple[str, ...], fmt: str, output: str | None, columns: str, max_bytes: int | None, strict: bool
) -> None:
    """The story brief: sources, summary, timeline, quotes, figures, places."""
    from newsdesk.pipeline import brief as run_brief
    from newsdesk.render import render

    result = run_brief(paths, stdin=_stdin(paths), options=_options(columns, max_bytes))
    _emit(render(result, fmt), output)
    _report(len(result.articles), result.dropped, f" in {len(result.stories)} story(ies)", strict=strict)


@main.command()
@_paths_argument
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@_output_option
@_input_options
@_strict_option
@_reports_errors
def clean(
    paths: tuple[str, ...], fmt: str, output: str | None, columns: str, max_bytes: int | None, strict: bool
) -> None:
    """Clean text and metadata per article (no NLP models loaded)."""
    from newsdesk.pipeline import read, require_articles
    from newsdesk.render.records import article_record, render_jsonl

    articles, dropped = read(paths, stdin=_stdin(paths), options=_options(columns, max_bytes))
    require_articles(articles, dropped)
    _emit(render_jsonl([article_record(a) for a in articles]), output)
    _report(len(articles), dropped, strict=strict)


@main.command()
@_paths_argument
@click.option("--format", "fmt", type=click.Choice(["jsonl"]), default="jsonl", show_default=True)
@_output_option
@_input_options
@_strict_option
@_reports_errors
def annotate(
    paths: tuple[str, ...], fmt: str, output: str | None, columns: str, max_bytes: int | None, strict: bool
) -> None:
    """Per article: clean text plus every annotation as spans."""
    from newsdesk.pipeline import annotate_paths
    from newsdesk.render.records import article_record, render_jsonl

    articles, dropped = annotate_paths(paths, stdin=_stdin(paths), options=_options(columns, max_bytes))
    _emit(render_jsonl([article_record(a, annotations=True) for a in articles]), output)
    _report(len(articles), dropped, strict=strict)


@main.command()
@_paths_argument
@click.option("--format", "fmt", type=click.Choice(["json", "md"]), default="json", show_default=True)
@_output_option
@_input_options
@_strict_option
@_reports_errors
def copies(
    paths: tuple[str, ...], fmt: str, output: str | None, columns: str, max_bytes: int | None, strict: bool
) -> None:
    """Which articles are copies of which (no NLP models loaded)."""
    from newsdesk.pipeline import copies as find
    from newsdesk.render.records import article_record

    articles, report, dropped = find(paths, stdin=_stdin(paths), options=_options(columns, max_bytes))
    links = report.links
    link_of = {link.copy: link for link in links}
    if fmt == "json":
        records = []
        for a in articles:
            r = article_record(a, link_of.get(a.id))
            del r["text"], r["removed"]
            link = link_of.get(a.id)
            r["overlap"] = (
                {"containment": link.containment, "origin_containment": link.origin_containment, "jaccard": link.jaccard}
                if link else None
            )
            records.append(r)
        payload = {"articles": records, "dropped": [d.__dict__ for d in dropped]}
        _emit(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", output)
    else:
        _emit(_copies_markdown(articles, link_of), output)
    capped = report.oversized_postings + report.oversized_band_buckets
    note = f" ({capped} boilerplate hash bucket(s) too common to compare, skipped)" if capped else ""
    _report(len(articles), dropped, f", {len(links)} copy(ies){note}", strict=strict)


def _copies_markdown(articles: Sequence[Any], link_of: dict[str, Any]) -> str:
    by_id = {a.id: a for a in articles}
    lines = ["# Copies", ""]
    origins = [a for a in articles if a.id not in link_of]
    for o in origins:
        lines.append(f"- **{o.title or o.path}** ({o.publisher or 'unknown publisher'}) `{o.id}`")
        for link in (link for link in link_of.values() if link.origin == o.id):
            c = by_id[link.copy]
            lines.append(
                f"  - {link.kind} copy: {c.title or c.path} ({c.publisher or 'unknown publisher'}) `{c.id}`, "
                f"{link.containment:.0%} of it in the origin, {link.origin_containment:.0%} of the origin in it"
            )
    return "\n".join(lines) + "\n"


# The store, web and Spark commands live in their own modules and register on `main`.
from newsdesk.cli import spark as _spark_commands  # noqa: E402,F401
from newsdesk.cli import store as _store_commands  # noqa: E402,F401
