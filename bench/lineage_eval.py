"""Copies and rewrites: pair precision and recall on hand-labelled pairs of real news.

Reads bench/data/lineage_pairs.csv (ids and labels only, labelled by
bench/data/lineage_guideline.md, written before labelling). The texts are
rebuilt from ../shared/bench by the readers of ``cluster_eval.py`` (TimeBank,
AQUAINT, PolNeAR, LGL, GeoWebNews) and ECB+ (``ecb:<id>``), and cleaned as the
product cleans a text file (page chrome such as a "Related:" list of other
headlines out). Every article of the labelled pairs goes through
``lineage.link_copies`` at once. A pair is
predicted a copy when both articles end in the same copy group (the same
origin).

A pair is gold positive when its kind is a copy kind (verbatim, truncated,
rewrite, condensed, update). The false friends (same_event, shared_statement,
shared_background) and unrelated pairs are gold negatives. The bench prints:

- precision, recall and F1 over all pairs of the half;
- recall per copy kind;
- the false-positive rate per false-friend kind;
- the same figures for a baseline in the same run, 5-gram shingle containment
  of the shorter text at or above 0.5.

The ``tune`` half is the default. ``--half heldout`` is scored once, when the
method is final. Pairs marked ``sure=0`` are counted, and also reported
apart.

    .venv/bin/python bench/lineage_eval.py [--half tune|heldout|all]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))

import cluster_eval as ce

from newsdesk.clean import clean_document
from newsdesk.model import Article, Dropped, RawDocument

PAIRS = ROOT / "bench" / "data" / "lineage_pairs.csv"
COPY_KINDS = ("verbatim", "truncated", "rewrite", "condensed", "update")
FRIEND_KINDS = ("same_event", "shared_statement", "shared_background", "unrelated")
WORD = re.compile(r"[a-z0-9]+")
BASELINE_CONTAINMENT = 0.5


def texts_by_id(needed: set[str]) -> dict[str, tuple[str, str, str | None]]:
    out: dict[str, tuple[str, str, str | None]] = {}
    for aid, text, pub, title in ce.iter_texts():
        if aid in needed:
            out[aid] = (title or "", text, pub)
    if ce.ECBPLUS.exists():
        with ce.ECBPLUS.open(encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                if "ecb:" + d["id"] in needed:
                    out["ecb:" + d["id"]] = (d.get("title") or "", d["text"], d.get("published"))
    return out


def cleaned(aid: str, title: str, text: str, published: str | None) -> Article:
    """The article as the product reads it: the text through the clean stage (page chrome
    out), with the title and date the corpus gives; the raw text when clean finds none."""
    meta = {k: v for k, v in (("title", title), ("published", published)) if v}
    article = clean_document(RawDocument(aid, text.encode("utf-8"), "text/plain", meta))
    if isinstance(article, Dropped):
        return ce.make_article(aid, text, published, title or None)
    article.id = article.path = aid
    return article


def containment(a: str, b: str, n: int = 5) -> float:
    wa, wb = WORD.findall(a.lower()), WORD.findall(b.lower())
    sa = {" ".join(wa[i : i + n]) for i in range(max(0, len(wa) - n + 1))}
    sb = {" ".join(wb[i : i + n]) for i in range(max(0, len(wb) - n + 1))}
    return len(sa & sb) / (min(len(sa), len(sb)) or 1)


def report(name: str, rows: list[dict[str, str]], predicted: dict[tuple[str, str], bool]) -> None:
    tp = sum(1 for r in rows if r["kind"] in COPY_KINDS and predicted[(r["a"], r["b"])])
    fp = sum(1 for r in rows if r["kind"] not in COPY_KINDS and predicted[(r["a"], r["b"])])
    fn = sum(1 for r in rows if r["kind"] in COPY_KINDS and not predicted[(r["a"], r["b"])])
    p = tp / (tp + fp) if tp + fp else 1.0
    rec = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * p * rec / (p + rec) if p + rec else 0.0
    print(f"{name:<28} P {p:.3f}  R {rec:.3f}  F1 {f1:.3f}  (tp {tp}, fp {fp}, fn {fn})")
    per = []
    for kind in COPY_KINDS:
        ks = [r for r in rows if r["kind"] == kind]
        if ks:
            per.append(f"{kind} {sum(predicted[(r['a'], r['b'])] for r in ks)}/{len(ks)}")
    for kind in FRIEND_KINDS:
        ks = [r for r in rows if r["kind"] == kind]
        if ks:
            per.append(f"{kind} called copy {sum(predicted[(r['a'], r['b'])] for r in ks)}/{len(ks)}")
    print(f"{'':<28} " + ", ".join(per))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--half", default="tune", choices=("tune", "heldout", "all"))
    args = ap.parse_args()
    if not (ce.SHARED / "bench").is_dir():
        print(f"shared bench data not found at {ce.SHARED}; set NEWSDESK_SHARED. Nothing to do.")
        return 0
    from newsdesk.lineage import link_copies
    from newsdesk.model import origin_map

    with PAIRS.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if args.half == "all" or r["half"] == args.half]
    needed = {r["a"] for r in rows} | {r["b"] for r in rows}
    texts = texts_by_id(needed)
    missing = needed - texts.keys()
    if missing:
        print(f"{len(missing)} labelled article(s) not found in ../shared, e.g. {sorted(missing)[:3]}")
        rows = [r for r in rows if r["a"] in texts and r["b"] in texts]
    articles = [cleaned(aid, *texts[aid]) for aid in sorted(texts)]
    report_ = link_copies(articles)
    origin = origin_map(report_.links)

    def root(aid: str) -> str:
        return origin.get(aid, aid)

    ours = {(r["a"], r["b"]): root(r["a"]) == root(r["b"]) for r in rows}
    text_of = {a.id: a.text for a in articles}
    base = {
        (r["a"], r["b"]): containment(text_of[r["a"]], text_of[r["b"]]) >= BASELINE_CONTAINMENT for r in rows
    }
    print(f"half {args.half}: {len(rows)} pairs, {len(articles)} articles; kinds {dict(Counter(r['kind'] for r in rows))}")
    report("newsdesk link_copies", rows, ours)
    report(f"baseline containment>={BASELINE_CONTAINMENT}", rows, base)
    unsure = [r for r in rows if r.get("sure") == "0"]
    if unsure:
        report("newsdesk, unsure pairs only", unsure, ours)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
