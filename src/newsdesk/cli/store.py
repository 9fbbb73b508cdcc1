"""The store commands of ``newsdesk``: grow a corpus, list and read its stories, search, serve.

    newsdesk add PATH... [--db newsdesk.db]
    newsdesk stories [--db] [--format table|json|md]
    newsdesk show STORY [--db] [--format table|json|md]
    newsdesk search QUERY [--db] [--format table|json|md] [--limit N]
    newsdesk serve [--db] [--host 127.0.0.1] [--port 8000]

Registered on the :func:`newsdesk.cli.main` group when ``newsdesk.cli`` is
imported. STORY is a story id, an unambiguous id prefix, or its number in
``newsdesk stories``. Each command is a thin wrapper over :mod:`newsdesk.store`
and :mod:`newsdesk.web`.
"""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import click

from newsdesk.cli import _emit, _input_options, _options, _output_option, _paths_argument, _reports_errors, _stdin, main
from newsdesk.errors import InputError
from newsdesk.settings import from_environment
from newsdesk.store.db import DEFAULT_DB, HIT_END, HIT_START, Hit, Store, StoryRow, story_dict

FORMATS = click.Choice(["table", "json", "md"])
INTERRUPTED_EXIT = 130


def _db_option(fn: Any) -> Any:
    return click.option(
        "--db", "db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
        help="The store file.", envvar="NEWSDESK_DB",
    )(fn)


def _format_option(fn: Any) -> Any:
    return click.option("--format", "fmt", type=FORMATS, default="table", show_default=True)(fn)


def _open_readonly(db: str) -> Store:
    try:
        return Store(db, readonly=True)
    except FileNotFoundError as exc:
        raise InputError(str(exc)) from exc


@main.command()
@_paths_argument
@_db_option
@click.option("--batch-size", type=click.IntRange(min=1), default=8, show_default=True,
              help="Articles per transaction: an interrupted run keeps every finished batch.")
@_input_options
@_reports_errors
def add(paths: tuple[str, ...], db: str, batch_size: int, columns: str, max_bytes: int | None) -> None:
    """Add articles to the store: new ones are annotated, linked to origins and put in stories."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from newsdesk.store.ingest import AddSummary, add_paths

    console = Console(stderr=True)
    summary = AddSummary()
    store = Store(db)
    tasks: dict[str, Any] = {}
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True, disable=not console.is_terminal,
    ) as bar:

        def progress(stage: str, done: int, total: int) -> None:
            label = {"add": "annotating new articles", "briefs": "rebuilding briefs"}.get(stage, stage)
            if stage not in tasks:
                tasks[stage] = bar.add_task(label, total=total)
            bar.update(tasks[stage], completed=done, total=total)

        try:
            settings = from_environment().with_values({"store.batch_size": batch_size})
            add_paths(store, paths, stdin=_stdin(paths), options=_options(columns, max_bytes),
                      progress=progress, summary=summary, settings=settings)
        except KeyboardInterrupt:
            bar.stop()
            click.echo(f"newsdesk: interrupted; kept what was committed: {summary.line()}", err=True)
            click.echo("newsdesk: run the same command again to finish", err=True)
            sys.exit(INTERRUPTED_EXIT)
        finally:
            store.close()
    for d in summary.dropped:
        click.echo(f"newsdesk: dropped {d.path} ({d.stage}): {d.reason}", err=True)
    click.echo(f"newsdesk: {summary.line()}", err=True)


def _md_cell(text: Any) -> str:
    return str(text if text is not None else "").replace("|", "\\|").replace("\n", " ")


def _rich_table(title: str, headers: list[str], rows: list[list[Any]]) -> str:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    for h in headers:
        table.add_column(h, overflow="fold")
    for r in rows:
        # Data is shown as text: rich markup in article titles must not be interpreted.
        from rich.text import Text

        table.add_row(*(Text(str(c) if c is not None else "") for c in r))
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(table)
    return console.export_text()


def _md_table(headers: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_md_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def _story_rows(rows: list[StoryRow]) -> list[list[Any]]:
    return [
        [i, r.id, r.title, r.n_articles, r.n_sources, f"{r.first_date or '?'} .. {r.last_date or '?'}", ", ".join(r.outlets)]
        for i, r in enumerate(rows, start=1)
    ]


@main.command()
@_db_option
@_format_option
@_output_option
@_reports_errors
def stories(db: str, fmt: str, output: str | None) -> None:
    """List the stored stories: size, sources, dates."""
    with _open_readonly(db) as store:
        rows = store.stories()
    headers = ["#", "id", "title", "articles", "sources", "dates", "outlets"]
    if fmt == "json":
        text = json.dumps({"stories": [story_dict(r) for r in rows]}, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "md":
        text = "# Stories\n\n" + _md_table(headers, _story_rows(rows))
    else:
        text = _rich_table(f"{len(rows)} stories in {db}", headers, _story_rows(rows))
    _emit(text, output)


@main.command()
@click.argument("story")
@_db_option
@_format_option
@_output_option
@_reports_errors
def show(story: str, db: str, fmt: str, output: str | None) -> None:
    """One story's brief, as stored (nothing is recomputed)."""
    from newsdesk.render import render

    with _open_readonly(db) as store:
        sid = store.find_story(story)
        brief = store.as_brief(sid) if sid else None
        row = store.story(sid) if sid else None
    if sid is None or row is None:
        raise InputError(f"no story {story!r} in {db} (see `newsdesk stories`)")
    if brief is None:
        raise InputError(f"story {sid} has no brief yet: run `newsdesk add` again to finish it")
    if fmt == "json":
        text = render(brief, "json")
    elif fmt == "md":
        text = render(brief, "md")
    else:
        text = _show_table(row, brief)
    if row.stale:
        click.echo("newsdesk: this brief predates the story's newest articles; `newsdesk add` rebuilds it", err=True)
    _emit(text, output)


def _show_table(row: StoryRow, brief: Any) -> str:
    from newsdesk.render.common import fmt_date, fmt_figure, one_line

    story = brief.stories[0]
    head = (
        f"{one_line(row.title)}\n{row.n_articles} articles, {row.n_sources} independent sources: "
        f"{', '.join(row.outlets)}\n\n" + "\n".join(f"- {one_line(s.text)}" for s in story.summary) + "\n\n"
    )
    parts = [head]
    if story.timeline:
        parts.append(_rich_table("Timeline", ["date", "event"], [[fmt_date(e.date), one_line(e.text)] for e in story.timeline]))
    if story.quotes:
        parts.append(_rich_table("Quotes", ["speaker", "quote"], [[q.speaker or "?", one_line(q.text)] for q in story.quotes]))
    if story.figures:
        parts.append(_rich_table(
            "Figures", ["figure", "counts", "as of"],
            [[fmt_figure(f.value, f.qualifier), f.counts or "", fmt_date(f.as_of) if f.as_of else ""] for f in story.figures],
        ))
    return "\n".join(parts)


def _plain_snippet(text: str, start: str = "[", end: str = "]") -> str:
    return text.replace(HIT_START, start).replace(HIT_END, end)


def _hit_dict(h: Hit) -> dict[str, Any]:
    return {
        "article": h.article_id, "title": h.title, "publisher": h.publisher, "published": h.published,
        "story": h.story_id, "story_title": h.story_title, "snippet": _plain_snippet(h.snippet, "", ""),
        "start": h.start, "end": h.end,
        "highlight": _plain_snippet(h.snippet, "«", "»"),
    }


@main.command()
@click.argument("query")
@_db_option
@_format_option
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@_output_option
@_reports_errors
def search(query: str, db: str, fmt: str, limit: int, output: str | None) -> None:
    """Full-text search over sentences and articles (FTS5 syntax: words, "phrases", OR, NOT, prefix*)."""
    with _open_readonly(db) as store:
        hits = store.search(query, limit)
    if fmt == "json":
        text = json.dumps({"query": query, "hits": [_hit_dict(h) for h in hits]}, indent=2, ensure_ascii=False) + "\n"
    elif fmt == "md":
        lines = [f"# Search: {query}", ""]
        lines += [
            f"- {_plain_snippet(h.snippet, '**', '**')} — *{h.title or h.article_id}* ({h.publisher or '?'}), "
            f"story `{h.story_id}`, article `{h.article_id}`" + (f" chars {h.start}-{h.end}" if h.start is not None else "")
            for h in hits
        ]
        text = "\n".join(lines) + "\n"
    else:
        text = _rich_table(
            f"{len(hits)} hit(s) for {query!r}", ["snippet", "article", "story"],
            [[_plain_snippet(h.snippet), f"{h.title or ''} ({h.article_id})", h.story_id] for h in hits],
        )
    _emit(text, output)


@main.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Listen address (loopback by default).")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8000, show_default=True)
@_reports_errors
def serve(db: str, host: str, port: int) -> None:
    """Read the store in a browser: a local web app (stories, articles, search)."""
    import uvicorn

    from newsdesk.web import create_app

    _open_readonly(db).close()
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"newsdesk: serving on {host}: anyone who can reach it can read the store", err=True)
    click.echo(f"newsdesk: serving {db} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning", access_log=False)
