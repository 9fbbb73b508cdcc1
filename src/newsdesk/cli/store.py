"""The store commands of ``newsdesk``: grow a corpus, list and read its stories, search, serve.

    newsdesk add PATH... [--db newsdesk.db] [--batch-size N]
    newsdesk stories [--db] [--format table|json|md]
    newsdesk show STORY [--db] [--format table|json|md]
    newsdesk search QUERY [--db] [--format table|json|md] [--limit N]
    newsdesk serve [--db] [--host 127.0.0.1] [--port 8000]

``add`` also takes ``--columns``, ``--max-bytes``, ``--set`` and ``--config``;
its ``--batch-size`` is the ``store.batch_size`` setting. STORY is a story id,
an unambiguous id prefix, or its number in ``newsdesk stories``. Each command
is a thin wrapper over :mod:`newsdesk.store` and :mod:`newsdesk.web`, and
registers on :data:`newsdesk.cli.common.main`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from newsdesk.cli.common import (
    emit,
    emit_listing,
    input_options,
    main,
    output_options,
    paths_argument,
    report_dropped,
    stdin_of,
    terminal_table,
)
from newsdesk.errors import InputError
from newsdesk.settings import Settings
from newsdesk.store.db import DEFAULT_DB, HIT_END, HIT_START, Hit, Store, StoryRow, story_dict

if TYPE_CHECKING:
    from newsdesk.pipeline import InputOptions

__all__ = ["INTERRUPTED_EXIT", "add", "search", "serve", "show", "stories"]

#: What a shell reports for a command stopped by Ctrl-C (128 + SIGINT).
INTERRUPTED_EXIT = 130

#: The formats of the commands that read the store; a terminal table by default, for a person at a shell.
FORMATS = ("table", "json", "md")


def _db_option(fn: Any) -> Any:
    return click.option(
        "--db", "db", default=DEFAULT_DB, show_default=True, type=click.Path(dir_okay=False),
        help="The store file.", envvar="NEWSDESK_DB",
    )(fn)


def _open_readonly(db: str) -> Store:
    try:
        return Store(db, readonly=True)
    except FileNotFoundError as exc:
        raise InputError(str(exc)) from exc


@main.command()
@paths_argument
@_db_option
@click.option("--batch-size", type=click.IntRange(min=1), default=None, metavar="N",
              help="Articles per transaction: an interrupted run keeps every finished batch "
                   "[default: 8] (store.batch_size).")
@input_options
def add(
    paths: tuple[str, ...], db: str, batch_size: int | None, options: InputOptions, settings: Settings
) -> None:
    """Add articles to the store: new ones are annotated, linked to origins and put in stories."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from newsdesk.store.ingest import AddSummary, add_paths

    if batch_size is not None:
        settings = settings.with_values({"store.batch_size": batch_size})
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
            add_paths(store, paths, stdin=stdin_of(paths), options=options,
                      progress=progress, summary=summary, settings=settings,
                      on_wait=lambda: click.echo(f"newsdesk: another add is writing to {db}; waiting for it", err=True))
        except KeyboardInterrupt:
            bar.stop()
            click.echo(f"newsdesk: interrupted; kept what was committed: {summary.line()}", err=True)
            click.echo("newsdesk: run the same command again to finish", err=True)
            sys.exit(INTERRUPTED_EXIT)
        finally:
            store.close()
    report_dropped(summary.dropped)
    click.echo(f"newsdesk: {summary.line()}", err=True)


def _story_rows(rows: list[StoryRow]) -> list[list[Any]]:
    return [
        [i, r.id, r.title, r.n_articles, r.n_sources, f"{r.first_date or '?'} .. {r.last_date or '?'}", ", ".join(r.outlets)]
        for i, r in enumerate(rows, start=1)
    ]


@main.command()
@_db_option
@output_options(*FORMATS)
def stories(db: str, fmt: str, output: str | None) -> None:
    """List the stored stories: size, sources, dates."""
    with _open_readonly(db) as store:
        rows = store.stories()
    emit_listing(
        fmt, output, payload={"stories": [story_dict(r) for r in rows]}, title=f"{len(rows)} stories in {db}",
        headers=["#", "id", "title", "articles", "sources", "dates", "outlets"], rows=_story_rows(rows),
        heading="Stories",
    )


@main.command()
@click.argument("story")
@_db_option
@output_options(*FORMATS)
def show(story: str, db: str, fmt: str, output: str | None) -> None:
    """One story's brief, as stored (nothing is recomputed)."""
    from newsdesk.render import render

    with _open_readonly(db) as store:
        sid = store.find_story(story)
        brief = store.as_brief(sid) if sid else None
        row = store.story(sid) if sid else None
        merged = store.merged_into(story)
    if sid is None or row is None:
        raise InputError(f"no story {story!r} in {db} (see `newsdesk stories`)")
    if brief is None:
        raise InputError(f"story {sid} has no brief yet: run `newsdesk add` again to finish it")
    text = _show_table(row, brief) if fmt == "table" else render(brief, fmt)
    if merged and merged == sid:
        click.echo(f"newsdesk: story {story} was merged into {sid} (an added article bridged them)", err=True)
    if row.stale:
        click.echo("newsdesk: this brief predates the story's newest articles; `newsdesk add` rebuilds it", err=True)
    emit(text, output)


def _show_table(row: StoryRow, brief: Any) -> str:
    from newsdesk.render.common import fmt_date, fmt_figure, one_line

    story = brief.stories[0]
    head = (
        f"{one_line(row.title)}\n{row.n_articles} articles, {row.n_sources} independent sources: "
        f"{', '.join(row.outlets)}\n\n" + "\n".join(f"- {one_line(s.text)}" for s in story.summary) + "\n\n"
    )
    parts = [head]
    if story.timeline:
        timeline = [[fmt_date(e.date), one_line(e.text)] for e in story.timeline]
        parts.append(terminal_table("Timeline", ["date", "event"], timeline))
    if story.quotes:
        quotes = [[q.speaker or "?", one_line(q.text)] for q in story.quotes]
        parts.append(terminal_table("Quotes", ["speaker", "quote"], quotes))
    if story.figures:
        figures = [[fmt_figure(f.value, f.qualifier), f.counts or "", fmt_date(f.as_of) if f.as_of else ""]
                   for f in story.figures]
        parts.append(terminal_table("Figures", ["figure", "counts", "as of"], figures))
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
@output_options(*FORMATS)
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
def search(query: str, db: str, fmt: str, output: str | None, limit: int) -> None:
    """Full-text search over sentences and articles (FTS5 syntax: words, "phrases", OR, NOT, prefix*)."""
    with _open_readonly(db) as store:
        hits = store.search(query, limit)
    lines = [f"# Search: {query}", ""]
    lines += [
        f"- {_plain_snippet(h.snippet, '**', '**')} — *{h.title or h.article_id}* ({h.publisher or '?'}), "
        f"story `{h.story_id}`, article `{h.article_id}`" + (f" chars {h.start}-{h.end}" if h.start is not None else "")
        for h in hits
    ]
    emit_listing(
        fmt, output, payload={"query": query, "hits": [_hit_dict(h) for h in hits]},
        title=f"{len(hits)} hit(s) for {query!r}", headers=["snippet", "article", "story"],
        rows=[[_plain_snippet(h.snippet), f"{h.title or ''} ({h.article_id})", h.story_id] for h in hits],
        markdown="\n".join(lines) + "\n",
    )


@main.command()
@_db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Listen address (loopback by default).")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8000, show_default=True)
def serve(db: str, host: str, port: int) -> None:
    """Read the store in a browser: a local web app (stories, articles, search)."""
    import uvicorn

    from newsdesk.web import create_app

    _open_readonly(db).close()
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"newsdesk: serving on {host}: anyone who can reach it can read the store", err=True)
    click.echo(f"newsdesk: serving {db} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(create_app(db), host=host, port=port, log_level="warning", access_log=False)
