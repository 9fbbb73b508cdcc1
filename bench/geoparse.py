"""Geoparsing bench: toponym recognition and geocoding on GeoWebNews and LGL.

Reads ``bench/geoparse/GWN.xml`` and ``bench/geoparse/lgl.xml`` from the shared
folder (``NEWSDESK_SHARED`` or ``../shared`` beside the repo) and scores two
systems on each:

* ``newsdesk``: :func:`newsdesk.annotate.places.find_places`;
* ``baseline``: spaCy GPE/LOC entities, geocoded by the most populous exact
  name match in the same gazetteer.

Recognition: precision/recall/F1 against the gold toponyms (GeoWebNews: all
types except the expression and non-toponym ones, 2,720 in all; LGL: all),
with exact spans and with overlapping spans (one-to-one). Geocoding: on gold
toponyms with coordinates that the system recognised (overlap), the share
within 161 km (100 miles) and the median error in km; "of all" is the same
count of toponyms placed within 161 km over all gold toponyms with
coordinates (a missed toponym counts as wrong).

    .venv/bin/python bench/geoparse.py [--limit N] [--corpus gwn|lgl|both] [--errors N] [--missed N]

``--errors N`` prints N wrong resolutions of ours (over 161 km), gold against
ours with the distance; ``--missed N`` prints the N gold toponyms we miss most
often. Both are for studying the system, not scores.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

NOT_GEOTAGGED = {"Literal_Expression", "Non_Lit_Expression", "Non_Toponym"}


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    lat: float | None
    lon: float | None
    name: str = ""  # gold gazetteer name and kind, for --errors


@dataclass(frozen=True)
class Pred:
    start: int
    end: int
    lat: float
    lon: float
    name: str = ""


def shared_dir() -> Path:
    return Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))


def _float(text: str | None) -> float | None:
    try:
        return float(text) if text not in (None, "") else None
    except ValueError:
        return None


def load_gwn(path: Path) -> list[tuple[str, list[Gold]]]:
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        golds = []
        for t in art.iter("toponym"):
            if t.findtext("type") in NOT_GEOTAGGED:
                continue
            start, end = int(t.findtext("start")), int(t.findtext("end"))
            if start < 0 or end < 0:
                continue  # documented quirk: a few negative offsets
            golds.append(Gold(start, end, _float(t.findtext("latitude")), _float(t.findtext("longitude")),
                              t.findtext("normalisedName") or ""))
        out.append((text, golds))
    return out


def load_lgl(path: Path) -> list[tuple[str, list[Gold]]]:
    out = []
    for art in ET.parse(path).getroot().iter("article"):
        text = art.findtext("text") or ""
        golds = []
        for t in art.find("toponyms") or []:
            g = t.find("gaztag")
            lat = _float(g.findtext("lat")) if g is not None else None
            lon = _float(g.findtext("lon")) if g is not None else None
            name = "" if g is None else (f"{g.findtext('name')} [{g.findtext('fcode')}] "
                                         f"{g.findtext('admin1') or ''}, {g.findtext('country') or ''}")
            golds.append(Gold(int(t.findtext("start")), int(t.findtext("end")), lat, lon, name))
        out.append((text, golds))
    return out


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(a)))


def baseline(doc) -> list[Pred]:
    from newsdesk.annotate.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    out = []
    for ent in doc.ents:
        if ent.label_ not in ("GPE", "LOC"):
            continue
        span = ent[1:] if ent[0].lower_ == "the" and len(ent) > 1 else ent
        cands = gaz.lookup(span.text)
        if cands:
            best = max(cands, key=lambda e: e.population)
            out.append(Pred(span.start_char, span.end_char, best.lat, best.lon))
    return out


def ours(doc) -> list[Pred]:
    from newsdesk.annotate.places import find_places

    return [Pred(p.start, p.end, p.lat, p.lon, f"{p.name} [{p.feature}] {p.country}") for p in find_places(doc)]


class Score:
    def __init__(self) -> None:
        self.pred = self.gold = self.exact = self.overlap_pred = self.overlap_gold = self.geo_gold = 0
        self.errors: list[float] = []
        self.wrong: list[tuple[Pred, Gold, float]] = []
        self.missed: list[Gold] = []

    def add(self, preds: list[Pred], golds: list[Gold]) -> None:
        self.pred += len(preds)
        self.gold += len(golds)
        self.geo_gold += sum(1 for g in golds if g.lat is not None and g.lon is not None)
        gold_spans = {(g.start, g.end) for g in golds}
        self.exact += sum(1 for p in preds if (p.start, p.end) in gold_spans)
        used: set[int] = set()
        for p in preds:
            for i, g in enumerate(golds):
                if i not in used and p.start < g.end and g.start < p.end:
                    used.add(i)
                    self.overlap_pred += 1
                    if g.lat is not None and g.lon is not None:
                        self.errors.append(km(p.lat, p.lon, g.lat, g.lon))
                        if self.errors[-1] > 161:
                            self.wrong.append((p, g, self.errors[-1]))
                    break
        self.overlap_gold += len(used)
        self.missed.extend(g for i, g in enumerate(golds) if i not in used)

    def row(self, name: str) -> str:
        def prf(tp_p: int, tp_g: int) -> str:
            p = tp_p / self.pred if self.pred else 0.0
            r = tp_g / self.gold if self.gold else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            return f"{p:6.3f} {r:6.3f} {f:6.3f}"

        near = sum(e <= 161 for e in self.errors)
        acc = near / len(self.errors) if self.errors else 0.0
        acc_all = near / self.geo_gold if self.geo_gold else 0.0
        med = statistics.median(self.errors) if self.errors else float("nan")
        return (f"{name:10s} {self.pred:6d} {self.gold:6d} | {prf(self.exact, self.exact)} | "
                f"{prf(self.overlap_pred, self.overlap_gold)} | {len(self.errors):6d} {acc:7.3f} "
                f"{acc_all:7.3f} {med:9.1f}")


def run(name: str, articles: list[tuple[str, list[Gold]]], errors: int = 0, missed: int = 0) -> None:
    from newsdesk.annotate.nlp import load_nlp

    nlp = load_nlp()
    ours_score, base_score = Score(), Score()
    t0 = time.time()
    wrong: list[tuple[str, Pred, Gold, float]] = []
    lost: Counter[str] = Counter()
    for (text, golds), doc in zip(articles, nlp.pipe((a[0] for a in articles), batch_size=8)):
        n_wrong, n_missed = len(ours_score.wrong), len(ours_score.missed)
        ours_score.add(ours(doc), golds)
        base_score.add(baseline(doc), golds)
        wrong.extend((text, p, g, d) for p, g, d in ours_score.wrong[n_wrong:])
        lost.update(text[g.start : g.end] for g in ours_score.missed[n_missed:])
    print(f"\n{name}: {len(articles)} articles, {sum(len(g) for _, g in articles)} gold toponyms, {time.time() - t0:.0f}s")
    print(f"{'system':10s} {'pred':>6s} {'gold':>6s} | {'exact P':>6s} {'R':>6s} {'F1':>6s} | "
          f"{'ovl P':>6s} {'R':>6s} {'F1':>6s} | {'geo n':>6s} {'acc@161':>7s} {'of all':>7s} {'median km':>9s}")
    print(ours_score.row("newsdesk"))
    print(base_score.row("baseline"))
    for text, p, g, d in wrong[:errors]:
        print(f"  {text[g.start:g.end]!r:28s} {d:7.0f} km  gold {g.name or (g.lat, g.lon)}  ours {p.name}"
              f"  | {' '.join(text[max(0, g.start - 60): g.end + 30].split())}")
    if missed:
        print("  missed: " + ", ".join(f"{t} ({n})" for t, n in lost.most_common(missed)))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="articles per corpus")
    ap.add_argument("--corpus", choices=["gwn", "lgl", "both"], default="both")
    ap.add_argument("--errors", type=int, default=0, help="print this many wrong resolutions")
    ap.add_argument("--missed", type=int, default=0, help="print this many most-missed gold toponyms")
    args = ap.parse_args()
    folder = shared_dir() / "bench" / "geoparse"
    if not folder.is_dir():
        print(f"geoparse data not found at {folder} (set NEWSDESK_SHARED); nothing to score.")
        return 0
    if args.corpus in ("gwn", "both"):
        run("GeoWebNews", load_gwn(folder / "GWN.xml")[: args.limit], args.errors, args.missed)
    if args.corpus in ("lgl", "both"):
        run("LGL", load_lgl(folder / "lgl.xml")[: args.limit], args.errors, args.missed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
