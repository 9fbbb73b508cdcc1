"""Figures bench on the seed articles (there is no public gold for figures).

Prints, per seed article in ``corpus/seeds`` of the shared folder
(``NEWSDESK_SHARED`` or ``../shared``), the figures found with value,
qualifier, what they count, unit and as-of date, then checks the troop and
casualty figures a reader of the seeds expects and prints found/expected.
Dates come from :mod:`newsdesk.annotate.dates` when it is importable (else
as-of falls back to none: the raw seeds carry no publication metadata).

    .venv/bin/python bench/figures.py [--limit N]
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

#: (value, qualifier, quantity key) a careful reader finds in the seeds.
EXPECTED = [
    (5200.0, "about", "US troops"),
    (3000.0, None, "US troops"),
    (2500.0, None, "US troops"),
    (500.0, None, "US troops"),
    (460.0, "more than", "protester"),
    (90.0, "nearly", "village"),
]


def _dates(doc, published):
    try:
        from newsdesk.annotate.dates import find_dates
    except ImportError:
        return []
    try:
        return find_dates(doc, published)
    except Exception as exc:  # noqa: BLE001 - the bench is about figures, not dates
        print(f"  (dates failed: {type(exc).__name__}: {exc})")
        return []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    seeds = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared")) / "corpus" / "seeds"
    if not seeds.is_dir():
        print(f"seed articles not found at {seeds} (set NEWSDESK_SHARED); nothing to check.")
        return 0
    from newsdesk.annotate.figures import find_figures, quantity_key
    from newsdesk.annotate.nlp import load_nlp

    nlp = load_nlp()
    found: set[tuple[float, str | None, str]] = set()
    for path in sorted(seeds.glob("*.txt"))[: args.limit]:
        doc = nlp(path.read_text(encoding="utf-8"))
        figs = find_figures(doc, _dates(doc, None), None)
        print(f"\n{path.name}: {len(figs)} figures")
        print(f"  {'value':>9s}  {'qualifier':10s} {'counts':22s} {'unit':8s} {'as_of':10s}  text")
        for f in figs:
            print(f"  {f.value:9g}  {f.qualifier or '-':10s} {f.counts or '-':22s} {f.unit or '-':8s} "
                  f"{f.as_of or '-':10s}  {f.text!r}")
            found.add((f.value, f.qualifier, quantity_key(f)))
    print("\nexpected figures")
    hits = 0
    for exp in EXPECTED:
        ok = exp in found
        hits += ok
        print(f"  {'found  ' if ok else 'MISSING'}  {exp[0]:g} {exp[1] or ''} {exp[2]}")
    print(f"\nfound/expected: {hits}/{len(EXPECTED)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
