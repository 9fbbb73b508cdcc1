"""The ``newsdesk`` command line: each command a thin wrapper over the library.

    newsdesk brief | clean | annotate | copies PATH...   the local engine  (cli/local.py)
    newsdesk add | stories | show | search | serve       the store and web app  (cli/store.py)
    newsdesk spark INPUT... --out DIR                     the Spark engine  (cli/spark.py)

:mod:`newsdesk.cli.common` holds what they share: the group :data:`main`, the
options spelled once (``--format``, ``-o``, ``--columns``, ``--max-bytes``,
``--set KEY=VALUE``, ``--config FILE``), the one handler that turns a library
error into a one-line message and exit code 1, and the output writers. This
module imports the command modules, so that each registers on ``main``, and
gives ``main`` (the ``newsdesk`` console script; ``python -m newsdesk.cli``).
"""

from __future__ import annotations

from newsdesk.cli import local, spark, store
from newsdesk.cli.common import main

__all__ = ["local", "main", "spark", "store"]
