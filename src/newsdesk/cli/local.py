"""The local commands of ``newsdesk``: the pipeline over the paths given, in one process.

    newsdesk brief PATH... [--format md|json|html] [-o FILE]
    newsdesk clean PATH... [--format jsonl]
    newsdesk annotate PATH... [--format jsonl]
    newsdesk copies PATH... [--format json|md]
    (each also: --columns, --max-bytes N, --set KEY=VALUE, --config FILE, --strict)

PATH is a file, a folder (read recursively) or ``-`` for standard input.
Every input that could not be used is reported on standard error, one line
each, and listed in the output's ``dropped``. Each command is a thin wrapper
over :mod:`newsdesk.pipeline` and registers on :data:`newsdesk.cli.common.main`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

import click

from newsdesk.cli.common import (
    emit,
    input_options,
    json_text,
    main,
    output_options,
    paths_argument,
    report_dropped,
    stdin_of,
)
from newsdesk.model import Dropped
from newsdesk.settings import Settings

if TYPE_CHECKING:
    from newsdesk.pipeline import InputOptions

__all__ = ["STRICT_EXIT", "annotate", "brief", "clean", "copies"]

F = TypeVar("F", bound=Callable[..., Any])

#: Apart from 1 (nothing read): a script can tell "some input dropped" from "no output".
STRICT_EXIT = 2


def strict_option(fn: F) -> F:
    return click.option(
        "--strict", is_flag=True,
        help=f"Exit with code {STRICT_EXIT} when any input was dropped (output is still written).",
    )(fn)


def report(n_articles: int, dropped: Sequence[Dropped], extra: str = "", strict: bool = False) -> None:
    report_dropped(dropped)
    click.echo(f"newsdesk: read {n_articles} article(s){extra}, dropped {len(dropped)}", err=True)
    if strict and dropped:
        click.echo(f"newsdesk: --strict: {len(dropped)} input(s) dropped", err=True)
        sys.exit(STRICT_EXIT)


@main.command()
@paths_argument
@output_options("md", "json", "html")
@input_options
@strict_option
def brief(
    paths: tuple[str, ...], fmt: str, output: str | None, options: InputOptions, settings: Settings, strict: bool
) -> None:
    """The story brief: sources, summary, timeline, quotes, figures, places."""
    from newsdesk.pipeline import brief as run_brief
    from newsdesk.render import render

    result = run_brief(paths, stdin=stdin_of(paths), options=options, settings=settings)
    emit(render(result, fmt), output)
    report(len(result.articles), result.dropped, f" in {len(result.stories)} story(ies)", strict=strict)


@main.command()
@paths_argument
@output_options("jsonl")
@input_options
@strict_option
def clean(
    paths: tuple[str, ...], fmt: str, output: str | None, options: InputOptions, settings: Settings, strict: bool
) -> None:
    """Clean text and metadata per article (no NLP models loaded)."""
    from newsdesk.pipeline import read, require_articles
    from newsdesk.render.records import article_record, render_jsonl

    articles, dropped = read(paths, stdin=stdin_of(paths), options=options, settings=settings)
    require_articles(articles, dropped)
    emit(render_jsonl([article_record(a) for a in articles]), output)
    report(len(articles), dropped, strict=strict)


@main.command()
@paths_argument
@output_options("jsonl")
@input_options
@strict_option
def annotate(
    paths: tuple[str, ...], fmt: str, output: str | None, options: InputOptions, settings: Settings, strict: bool
) -> None:
    """Per article: clean text plus every annotation as spans."""
    from newsdesk.pipeline import annotate_paths
    from newsdesk.render.records import article_record, render_jsonl

    articles, dropped = annotate_paths(paths, stdin=stdin_of(paths), options=options, settings=settings)
    emit(render_jsonl([article_record(a, annotations=True) for a in articles]), output)
    report(len(articles), dropped, strict=strict)


@main.command()
@paths_argument
@output_options("json", "md")
@input_options
@strict_option
def copies(
    paths: tuple[str, ...], fmt: str, output: str | None, options: InputOptions, settings: Settings, strict: bool
) -> None:
    """Which articles are copies of which (no NLP models loaded)."""
    from newsdesk.pipeline import copies as find

    articles, lineage, dropped = find(paths, stdin=stdin_of(paths), options=options, settings=settings)
    link_of = {link.copy: link for link in lineage.links}
    if fmt == "json":
        payload = {"articles": _copy_records(articles, link_of), "dropped": [d.__dict__ for d in dropped]}
        emit(json_text(payload), output)
    else:
        emit(_copies_markdown(articles, link_of), output)
    capped = lineage.oversized_postings + lineage.oversized_band_buckets
    note = f" ({capped} boilerplate hash bucket(s) too common to compare, skipped)" if capped else ""
    report(len(articles), dropped, f", {len(lineage.links)} copy(ies){note}", strict=strict)


def _copy_records(articles: Sequence[Any], link_of: dict[str, Any]) -> list[dict[str, Any]]:
    from newsdesk.render.records import article_record

    records = []
    for a in articles:
        link = link_of.get(a.id)
        r = article_record(a, link)
        del r["text"], r["removed"]
        r["overlap"] = (
            {"containment": link.containment, "origin_containment": link.origin_containment, "jaccard": link.jaccard,
             "aligned": link.aligned}
            if link else None
        )
        records.append(r)
    return records


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
                + (f", {link.aligned:.0%} of the shorter one's sentences aligned in order" if link.aligned is not None
                   else "")
            )
    return "\n".join(lines) + "\n"
