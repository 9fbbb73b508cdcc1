"""``newsdesk spark``: the pipeline as Spark jobs, written to a folder of Parquet and JSON.

    newsdesk spark INPUT... --out DIR [--master local[*]|spark://HOST:7077|sc://HOST:15002]
                   [--partitions N] [--stages brief|copies] [--stories EARLIER_DIR] [--columns ...] [--max-bytes N]
                   [--set KEY=VALUE] [--config FILE]

Writes DIR/articles, annotations, lineage, stories, profiles, dropped (Parquet),
DIR/briefs/<story id>.json (the ``brief --format json`` contract, one story
each) and DIR/report.json (counts, lineage index report, stage timings).
With ``--stories EARLIER_DIR``, the new articles continue the stories of an
earlier run (read from its ``profiles/``) instead of being clustered alone.
Needs the ``spark`` extra (pyspark, pyarrow) and Java 17. A thin wrapper over
:func:`newsdesk.spark.run`; registers on :data:`newsdesk.cli.common.main`.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import click

from newsdesk.cli.common import input_options, main, report_dropped
from newsdesk.errors import ConfigError
from newsdesk.model import Dropped
from newsdesk.settings import Settings

if TYPE_CHECKING:
    from newsdesk.pipeline import InputOptions

__all__ = ["spark"]


@main.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--out", "out", required=True, metavar="DIR", help="Output folder (local path or a URI Spark writes).")
@click.option("--master", default="local[*]", show_default=True,
              help="local[N], spark://HOST:7077 (standalone) or sc://HOST:15002 (Spark Connect).")
@click.option("--partitions", type=click.IntRange(min=1), default=None, metavar="N",
              help="Partitions for the clean and shuffle stages [default: 2 x cores].")
@click.option("--stages", type=click.Choice(["brief", "copies"]), default="brief", show_default=True,
              help="copies: ingest, clean and lineage only (no NLP models).")
@click.option("--stories", "stories_from", default=None, metavar="DIR",
              help="Output folder of an earlier run: new articles join its stories (same ids) or open new ones.")
@click.option("--driver-memory", default="2g", show_default=True, help="Driver memory for local and standalone masters.")
@input_options
def spark(
    inputs: tuple[str, ...], out: str, master: str, partitions: int | None, stages: str, stories_from: str | None,
    driver_memory: str, options: InputOptions, settings: Settings,
) -> None:
    """Run clean, annotate, lineage, cluster and brief as Spark jobs; write Parquet and JSON to DIR."""
    try:
        from newsdesk import spark as nd_spark
    except ImportError as exc:
        raise ConfigError(f"pyspark is not installed ({exc}); install newsdesk[spark] and Java 17") from exc
    if shutil.which("java") is None and not master.startswith("sc://"):
        raise ConfigError("java not found on PATH: Spark needs Java 17 (check with `java -version`)")
    from pyspark.sql import SparkSession

    # Inside a process that already runs Spark (a notebook, a test), use its session and leave it running.
    owned = SparkSession.getActiveSession() is None
    session = nd_spark.session(master, driver_memory=driver_memory, partitions=partitions)
    try:
        try:
            result = nd_spark.run(session, list(inputs), partitions=partitions, columns=options.columns,
                                  stages=stages, stories_from=stories_from, settings=settings)
        except ValueError as exc:
            raise ConfigError(str(exc)) from exc
        summary = nd_spark.write(result, out)
        rows = result.dropped.orderBy("pos").toLocalIterator()
        report_dropped(Dropped(r["path"], r["stage"], r["reason"]) for r in rows)
        result.release()  # a session we did not start lives on: leave no cached frames behind
    finally:
        if owned:
            session.stop()
    if "://" not in out:
        Path(out, "report.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    lin = summary["lineage"]
    click.echo(
        f"newsdesk: read {summary['articles']} article(s) in {summary['stories']} story(ies), "
        f"{summary['copies']} copy(ies), dropped {summary['dropped']}; lineage: {lin['candidates']} candidate pairs, "
        f"{lin['verified']} verified, {lin['oversized_postings']} oversized postings and "
        f"{lin['oversized_band_buckets']} band buckets skipped; wrote {out}",
        err=True,
    )
