"""Figures bench: a hand-labelled gold set, then the seed articles.

No public gold set exists for figures, so ``bench/data/figures_gold.jsonl``
holds figures labelled by hand in GeoWebNews articles and PolNeAR train texts
(``quotes/polnear/train/text/*.txt``) of the shared folder:
only the article id, character offsets of the number and the labels (value,
qualifier, what is counted as a singular head noun, unit), never the text.
Every number in a listed article was judged; an ``empty`` line marks an
article with no figure. Not figures: dates, years, clock times, durations and
ages (the dates layer owns them), ordinals, identifiers (addresses, "season
3", "Chapter One"), game scores and heights, pronoun "one", vague amounts
with no value ("hundreds of thousands"), names with a number ("Fight for
$15", "Final Four"), fractions and ratios ("half the states", "one in five"),
size adjectives ("a billion-dollar machine"), and "one" used as an article
("One user tweeted", "one county court"; but "one vote for X, 13 for Y" in a
tally is a figure). Poll margins count "point"; an elided noun counts what
its tally counts ("13 for Cruz" -> vote). A prediction counts as right when it
overlaps a gold figure, has its value and names what it counts (the head noun
of ``counts``, or the unit for money and percentages). The GeoWebNews part
was labelled with the
extractor's output in view, then checked number by number: expect some
anchoring towards what it finds. The PolNeAR part (8 articles, 85 figures)
was labelled from a plain list of every number in the text, before the
extractor was run on those articles.

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


def _singular(word: str) -> str:
    word = word.lower().strip(".’'")
    irregular = {"people": "person", "men": "man", "women": "woman", "children": "child",
                 "grandchildren": "grandchild", "militiamen": "militiaman", "feet": "foot"}
    if word in irregular:
        return irregular[word]
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def _keys(fig) -> set[str]:
    keys = set()
    if fig.counts:
        keys.add(_singular(fig.counts.split()[-1]))
    if fig.unit:
        keys.add({"percent": "percent"}.get(fig.unit, fig.unit))
    return keys


def gold_scores(shared: Path) -> None:
    """Precision and recall against the hand-labelled figures in GeoWebNews."""
    import json
    import xml.etree.ElementTree as ET

    from newsdesk.annotate.figures import find_figures
    from newsdesk.annotate.nlp import load_nlp

    gold_path = ROOT / "bench" / "data" / "figures_gold.jsonl"
    gwn = shared / "bench" / "geoparse" / "GWN.xml"
    if not gwn.is_file():
        print(f"GeoWebNews not found at {gwn}; gold figures not scored.")
        return
    rows = [json.loads(line) for line in gold_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = {f"geoparse/GWN.xml#file={a.get('file')}": a.findtext("text") or ""
             for a in ET.parse(gwn).getroot().iter("article")}
    # Other articles are plain text files, named by their path under shared/bench.
    for doc_id in {r["doc"] for r in rows} - set(texts):
        path = shared / "bench" / doc_id
        if path.is_file():
            texts[doc_id] = path.read_text(encoding="utf-8")
    docs = sorted({r["doc"] for r in rows if r["doc"] in texts})
    nlp = load_nlp()
    n_pred = n_gold = right = value_right = qual_right = matched = 0
    for doc_id, doc in zip(docs, nlp.pipe(texts[d] for d in docs)):
        golds = [r for r in rows if r["doc"] == doc_id and not r.get("empty")]
        preds = find_figures(doc, _dates(doc, None), None)
        n_pred += len(preds)
        n_gold += len(golds)
        used: set[int] = set()
        for p in preds:
            for i, g in enumerate(golds):
                if i in used or not (p.start < g["end"] and g["start"] < p.end):
                    continue
                used.add(i)
                matched += 1
                same_value = abs(p.value - g["value"]) <= 1e-6 * max(1.0, abs(g["value"]))
                value_right += same_value
                qual_right += (p.qualifier or None) == g["qualifier"]
                key = g["counts"] or g["unit"]
                right += same_value and key in _keys(p)
                break

    def prf(tp: int) -> str:
        pr = tp / n_pred if n_pred else 0.0
        rc = tp / n_gold if n_gold else 0.0
        f1 = 2 * pr * rc / (pr + rc) if pr + rc else 0.0
        return f"{pr:6.3f} {rc:6.3f} {f1:6.3f}"

    print(f"gold figures: {n_gold} in {len(docs)} articles (GeoWebNews, PolNeAR); predicted {n_pred}")
    print(f"  {'':24s} {'P':>6s} {'R':>6s} {'F1':>6s}")
    print(f"  {'span overlap':24s} {prf(matched)}")
    print(f"  {'value':24s} {prf(value_right)}")
    print(f"  {'value + counted noun':24s} {prf(right)}")
    print(f"  qualifier accuracy on matched figures: {qual_right / matched if matched else 0.0:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args()
    shared = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))
    gold_scores(shared)
    seeds = shared / "corpus" / "seeds"
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
