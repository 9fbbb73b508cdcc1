"""Lineage: which articles copy which, and which copy is the origin.

Takes clean :class:`Article` objects, gives :class:`CopyLink` edges ``copy -> origin``
and a :class:`LineageReport` of what the index did.

    copies.py       shingles, candidate search, exact verification, copy groups (the algorithm, in its docstring)
    candidates.py   the candidate search as kernels over arrays: the whole batch here, a partition on Spark
    origin.py       the editorial rules: which version is the origin, what kind of copy each other one is

Every engine calls :func:`link_copies` with :class:`newsdesk.settings.LineageSettings`
(Spark runs the same kernels per partition, with the same settings).
"""

from __future__ import annotations

from collections.abc import Sequence

from newsdesk.lineage.copies import (
    LineageReport,
    Overlap,
    Sketches,
    band_keys,
    candidate_pairs,
    find_copies,
    find_copies_report,
    link_groups,
    origins,
    overlap_sets,
    sketch,
    tokens,
    verify_pairs,
)
from newsdesk.lineage.origin import copy_groups, origin_rank
from newsdesk.model import Article
from newsdesk.settings import LineageSettings
from newsdesk.stage import failure

__all__ = [
    "LineageReport",
    "Overlap",
    "Sketches",
    "band_keys",
    "candidate_pairs",
    "copy_groups",
    "find_copies",
    "find_copies_report",
    "link_copies",
    "link_groups",
    "origin_rank",
    "origins",
    "overlap_sets",
    "sketch",
    "tokens",
    "verify_pairs",
]


def link_copies(articles: Sequence[Article], settings: LineageSettings | None = None) -> LineageReport:
    """The stage entry: :func:`find_copies_report`; if it fails, no links (every article
    counts as its own source) and one :class:`Dropped` record saying why."""
    try:
        return find_copies_report(articles, settings)
    except Exception as exc:  # noqa: BLE001 - lineage failing must not lose the articles
        return LineageReport(links=[], dropped=[failure("(all articles)", "lineage", exc)])
