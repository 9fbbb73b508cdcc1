"""Benchmark: date and time expressions on TimeBank + AQUAINT (TempEval-3 TBAQ gold).

Reads shared/bench/timex/{timebank,aquaint}/*.tml (path from $NEWSDESK_SHARED or
../shared beside the repo). For each document: the text of <TEXT> with the
character spans of its TIMEX3 tags, and the DCT value as the publication date.
Runs spaCy + ``find_dates`` and scores

* spans, strict (same start and end) and relaxed (any overlap, one-to-one);
* value accuracy over the relaxed matches (exact string, after dropping trailing
  "-XX" parts, so gold "1968-XX" equals "1968").

What is scored: gold TIMEX3 of type DATE or TIME against our mentions of kind
DATE or TIME (mentions with no value included). DURATION and SET are left out
on both sides; a DATE/TIME prediction that overlaps only a gold DURATION or SET
is a type disagreement, not a spurious span, so it is neither TP nor FP.

Baseline: spaCy's own DATE/TIME entities, each value from plain
``dateparser.parse`` with RELATIVE_BASE = DCT (formatted to the day, or to the
month / year when the text names no day).

    .venv/bin/python bench/timex.py [--limit N] [--errors N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

SCORED = ("DATE", "TIME")


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    text: str
    type: str
    value: str


@dataclass(frozen=True)
class Pred:
    start: int
    end: int
    text: str
    value: str | None


@dataclass
class Doc:
    name: str
    text: str
    dct: str
    gold: list[Gold]


def shared_dir() -> Path:
    return Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))


def load_tml(path: Path) -> Doc:
    root = ET.parse(path).getroot()
    dct_el = root.find("DCT/TIMEX3")
    dct = dct_el.get("value", "") if dct_el is not None else ""
    text_el = root.find("TEXT")
    parts: list[str] = []
    gold: list[Gold] = []
    pos = 0

    def walk(el: ET.Element) -> None:
        nonlocal pos
        if el.text:
            parts.append(el.text)
            pos += len(el.text)
        for child in el:
            if child.tag == "TIMEX3":
                surface = "".join(child.itertext())
                gold.append(
                    Gold(
                        pos,
                        pos + len(surface),
                        surface,
                        child.get("type", ""),
                        child.get("value", ""),
                    )
                )
                parts.append(surface)
                pos += len(surface)
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)
                pos += len(child.tail)

    if text_el is not None:
        walk(text_el)
    return Doc(path.stem, "".join(parts), dct, gold)


def norm_value(v: str | None) -> str | None:
    if v is None:
        return None
    v = re.sub(r"(?:-XX)+$", "", v)
    v = re.sub(r"-W(\d)(?!\d)", r"-W0\1", v)  # gold "2000-W7" is week 07
    return v.rstrip("X") if re.fullmatch(r"\d{2,3}X*", v) else v  # "197" and "197X" are both the 1970s


def match(gold: list[Gold], preds: list[Pred]) -> tuple[int, int, int, int, int, list[tuple[Gold, Pred]]]:
    """(strict TP, relaxed TP, scored gold, scored preds, value hits, relaxed pairs)."""
    g_scored = [g for g in gold if g.type in SCORED]
    ignore = [g for g in gold if g.type not in SCORED]
    overlaps = lambda a, b: a.start < b.end and b.start < a.end
    p_scored = [p for p in preds if any(overlaps(p, g) for g in g_scored) or not any(overlaps(p, g) for g in ignore)]
    strict = len({(g.start, g.end) for g in g_scored} & {(p.start, p.end) for p in p_scored})
    used: set[int] = set()
    pairs: list[tuple[Gold, Pred]] = []
    for g in g_scored:
        best = None
        for i, p in enumerate(p_scored):
            if i in used or not overlaps(g, p):
                continue
            ov = min(g.end, p.end) - max(g.start, p.start)
            if best is None or ov > best[0]:
                best = (ov, i)
        if best is not None:
            used.add(best[1])
            pairs.append((g, p_scored[best[1]]))
    hits = sum(1 for g, p in pairs if norm_value(g.value) == norm_value(p.value))
    return strict, len(pairs), len(g_scored), len(p_scored), hits, pairs


class Score:
    def __init__(self) -> None:
        self.strict = self.relaxed = self.gold = self.pred = self.hits = 0
        self.errors: list[tuple[str, Gold, Pred]] = []
        self.missed: list[tuple[str, Gold]] = []
        self.spurious: list[tuple[str, Pred]] = []

    def add(self, doc: Doc, preds: list[Pred]) -> None:
        s, r, g, p, h, pairs = match(doc.gold, preds)
        self.strict += s
        self.relaxed += r
        self.gold += g
        self.pred += p
        self.hits += h
        self.errors += [(doc.dct, g_, p_) for g_, p_ in pairs if norm_value(g_.value) != norm_value(p_.value)]
        matched_g = {id(g_) for g_, _ in pairs}
        matched_p = {id(p_) for _, p_ in pairs}
        self.missed += [(doc.dct, g_) for g_ in doc.gold if g_.type in SCORED and id(g_) not in matched_g]
        ignore = [g_ for g_ in doc.gold if g_.type not in SCORED]
        self.spurious += [
            (doc.dct, p_)
            for p_ in preds
            if id(p_) not in matched_p and not any(p_.start < g_.end and g_.start < p_.end for g_ in ignore)
        ]

    def row(self, name: str) -> str:
        def prf(tp: int) -> str:
            p = tp / self.pred if self.pred else 0.0
            r = tp / self.gold if self.gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            return f"{p:6.3f} {r:6.3f} {f:6.3f}"

        acc = self.hits / self.relaxed if self.relaxed else 0.0
        return f"{name:<22} {prf(self.strict)}   {prf(self.relaxed)}   {acc:6.3f}  ({self.hits}/{self.relaxed})"


def baseline_preds(doc, dct: dt.date) -> list[Pred]:
    import dateparser

    base = dt.datetime(dct.year, dct.month, dct.day)
    out: list[Pred] = []
    for ent in doc.ents:
        if ent.label_ not in SCORED:
            continue
        parsed = dateparser.parse(ent.text, languages=["en"], settings={"RELATIVE_BASE": base})
        value = None
        if parsed is not None:
            if re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b(?!\d)", ent.text) and not re.fullmatch(
                r"\d{4}", ent.text.strip()
            ):
                value = parsed.date().isoformat()
            elif re.search(r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", ent.text):
                value = f"{parsed.year:04d}-{parsed.month:02d}"
            elif re.search(
                r"(?i)\b(?:today|yesterday|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
                ent.text,
            ):
                value = parsed.date().isoformat()
            else:
                value = f"{parsed.year:04d}"
        out.append(Pred(ent.start_char, ent.end_char, ent.text, value))
    return out


def iter_docs(base: Path, limit: int | None) -> Iterable[Doc]:
    files = sorted((base / "timebank").glob("*.tml")) + sorted((base / "aquaint").glob("*.tml"))
    if limit:
        # take from both parts so a short run still sees both kinds of text
        tb = [f for f in files if f.parent.name == "timebank"]
        aq = [f for f in files if f.parent.name == "aquaint"]
        files = tb[: (limit + 1) // 2] + aq[: limit // 2]
    for f in files:
        yield load_tml(f)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--limit",
        type=int,
        default=None,
        help="score only N documents (half TimeBank, half AQUAINT)",
    )
    ap.add_argument(
        "--errors",
        type=int,
        default=0,
        help="print up to N value errors, misses and spurious spans",
    )
    args = ap.parse_args(argv)

    base = shared_dir() / "bench" / "timex"
    if not (base / "timebank").is_dir():
        print(f"timex bench data not found under {base}; set NEWSDESK_SHARED. Nothing to score.")
        return 0

    from newsdesk.annotate.dates import find_dates
    from newsdesk.annotate.nlp import load_nlp
    from newsdesk.model import PubDate

    docs = list(iter_docs(base, args.limit))
    nlp = load_nlp()
    ours, base_score = Score(), Score()
    t0 = time.perf_counter()
    for doc, sp in zip(docs, nlp.pipe(d.text for d in docs), strict=True):
        dct = dt.date.fromisoformat(doc.dct[:10])
        mentions = find_dates(sp, PubDate(dct.isoformat(), "day", "metadata"))
        preds = [Pred(m.start, m.end, m.text, m.value) for m in mentions if m.kind in SCORED]
        ours.add(doc, preds)
        base_score.add(doc, baseline_preds(sp, dct))
    elapsed = time.perf_counter() - t0

    print(f"TimeBank+AQUAINT timex: {len(docs)} docs, {ours.gold} gold DATE/TIME expressions, {elapsed:.1f}s")
    print(f"{'system':<22} {'strict P':>6} {'R':>6} {'F1':>6}   {'relax P':>6} {'R':>6} {'F1':>6}   value acc")
    print(base_score.row("baseline (dateparser)"))
    print(ours.row("newsdesk find_dates"))
    print("(value accuracy is over relaxed-matched spans; DURATION/SET gold left out, see module docstring)")
    print("seeds: no gold date annotations exist for the seed articles, so they are not scored here.")
    if args.errors:
        print("\n-- value errors (dct | text | gold | ours)")
        for dct_, g, p in ours.errors[: args.errors]:
            print(f"{dct_[:10]} | {g.text!r} / {p.text!r} | {g.value} | {p.value}")
        print("\n-- missed gold")
        for dct_, g in ours.missed[: args.errors]:
            print(f"{dct_[:10]} | {g.text!r} | {g.type} {g.value}")
        print("\n-- spurious")
        for dct_, p in ours.spurious[: args.errors]:
            print(f"{dct_[:10]} | {p.text!r} | {p.value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
