"""Quote and attribution bench on PolNeAR dev and test, beside textacy.

Reads ``quotes/polnear/{dev,test}`` from the shared bench folder (env
``NEWSDESK_SHARED`` or ``../shared`` next to the repo root). One ``.ann`` per
article: the alphabetically first annotator file, as the bench README suggests.
Every gold attribution (E line) counts, including thoughts and beliefs, so the
figures include indirect speech.

Scores, micro-averaged over all articles:

* **content tokens**: word tokens (``\\w+``) inside predicted vs gold Content
  spans; quote marks and punctuation never count, so a span with or without
  its marks scores the same.
* **content spans (any overlap)**: a predicted content span is right when it
  overlaps any gold Content fragment; a gold attribution is found when any
  predicted span overlaps its content.
* **source**: a predicted quote is matched to the gold attribution whose content
  it overlaps most; it is right when its speaker mention overlaps the gold
  Source span, or its resolved name matches the gold source text or ends with
  the gold source's last word. Precision over predicted quotes that name a
  speaker (a quote left unattributed claims nothing), recall over gold
  attributions that have a Source.

The comparison is ``textacy.extract.triples.direct_quotations`` on the same
spaCy docs (direct quotes only, by design); the row ``nd direct`` is
newsdesk's direct quotes alone, the like-for-like comparison with it. Usage:
``.venv/bin/python bench/quotes.py [--limit N] [--split dev|test|both] [--errors N]``;
``--errors N`` lists N missed gold and N spurious spans of ours and the
missed gold counted by cue word.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

WORD = re.compile(r"\w+")


@dataclass
class Gold:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]]
    source_text: str
    cue: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Pred:
    start: int
    end: int
    speaker_span: tuple[int, int] | None
    speaker_name: str | None


@dataclass
class Tally:
    tok_tp: int = 0
    tok_pred: int = 0
    tok_gold: int = 0
    span_pred: int = 0
    span_pred_ok: int = 0
    span_gold: int = 0
    span_gold_found: int = 0
    src_pred: int = 0
    src_ok: int = 0
    src_gold: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [found, total]


def shared_dir() -> Path:
    return Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))


def _frags(field_: str) -> list[tuple[int, int]]:
    out = []
    for part in field_.split(";"):
        a, b = part.split()[-2:]
        out.append((int(a), int(b)))
    return out


def read_ann(path: Path) -> list[Gold]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 3:
            kind = cols[1].split()[0]
            spans[cols[0]] = (kind, _frags(cols[1][len(kind) :]), cols[2])
        elif line.startswith("E") and len(cols) >= 2:
            events.append(dict(arg.split(":", 1) for arg in cols[1].split()))
    out = []
    for ev in events:
        content: list[tuple[int, int]] = []
        for key in ("Content", "Content2"):
            if key in ev and ev[key] in spans:
                content += spans[ev[key]][1]
        if not content:
            continue
        src = spans.get(ev.get("Source", ""))
        cue = spans.get(ev.get("Cue", ""))
        out.append(Gold(content, src[1] if src else [], src[2] if src else "", cue[1] if cue else []))
    return out


def articles(split_dir: Path, limit: int | None) -> list[tuple[str, str, list[Gold]]]:
    out = []
    for txt in sorted((split_dir / "text").glob("*.txt")):
        anns = sorted((split_dir / "attributions").glob(txt.stem + "_*.ann"))
        if not anns:
            continue
        out.append((txt.stem, txt.read_text(encoding="utf-8"), read_ann(anns[0])))
        if limit and len(out) >= limit:
            break
    return out


def _words_in(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    spans = list(spans)
    return {m.start() for m in WORD.finditer(text) if any(a < m.end() and m.start() < b for a, b in spans)}


def _overlap(a: tuple[int, int], spans: list[tuple[int, int]]) -> int:
    return sum(max(0, min(a[1], e) - max(a[0], s)) for s, e in spans)


def _name_matches(name: str | None, gold_text: str) -> bool:
    if not name or not gold_text:
        return False
    n, g = name.lower().strip(), gold_text.lower().strip()
    gw = WORD.findall(g)
    return n == g or (bool(gw) and WORD.findall(n)[-1:] == gw[-1:])


def score(tally: Tally, text: str, gold: list[Gold], preds: list[Pred]) -> None:
    gold_tok = _words_in(text, (f for g in gold for f in g.content))
    pred_tok = _words_in(text, ((p.start, p.end) for p in preds))
    tally.tok_tp += len(gold_tok & pred_tok)
    tally.tok_gold += len(gold_tok)
    tally.tok_pred += len(pred_tok)
    all_gold = [f for g in gold for f in g.content]
    tally.span_pred += len(preds)
    tally.span_pred_ok += sum(1 for p in preds if _overlap((p.start, p.end), all_gold) > 0)
    tally.span_gold += len(gold)
    for g in gold:
        found = any(_overlap((p.start, p.end), g.content) > 0 for p in preds)
        tally.span_gold_found += found
        kind = "direct" if text[g.content[0][0] : g.content[0][0] + 1] in "“\"‘'" else "indirect"
        slot = tally.by_kind.setdefault(kind, [0, 0])
        slot[0] += found
        slot[1] += 1
    tally.src_gold += sum(1 for g in gold if g.source)
    tally.src_pred += sum(1 for p in preds if p.speaker_span or p.speaker_name)
    for p in preds:
        best = max(gold, key=lambda g: _overlap((p.start, p.end), g.content), default=None)
        if best is None or _overlap((p.start, p.end), best.content) == 0 or not best.source:
            continue
        by_span = p.speaker_span is not None and _overlap(p.speaker_span, best.source) > 0
        if by_span or _name_matches(p.speaker_name, best.source_text):
            tally.src_ok += 1


def prf(tp_p: int, n_p: int, tp_r: int, n_r: int) -> tuple[float, float, float]:
    p = tp_p / n_p if n_p else 0.0
    r = tp_r / n_r if n_r else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ours(doc) -> list[Pred]:  # type: ignore[no-untyped-def]
    from newsdesk.annotate.quotes import find_quotes

    out = []
    for q in find_quotes(doc):
        span = (q.speaker_start, q.speaker_end) if q.speaker_start is not None and q.speaker_end is not None else None
        out.append(Pred(q.start, q.end, span, q.speaker))
    return out


def ours_direct(doc) -> list[Pred]:  # type: ignore[no-untyped-def]
    """Our direct quotes only: the like-for-like row beside textacy, which finds nothing else."""
    from newsdesk.annotate.quotes import find_quotes

    out = []
    for q in find_quotes(doc):
        if not q.direct:
            continue
        span = (q.speaker_start, q.speaker_end) if q.speaker_start is not None and q.speaker_end is not None else None
        out.append(Pred(q.start, q.end, span, q.speaker))
    return out


def textacy_preds(doc) -> list[Pred]:  # type: ignore[no-untyped-def]
    from textacy.extract.triples import direct_quotations

    out = []
    try:
        triples = list(direct_quotations(doc))
    except Exception:  # noqa: BLE001 - textacy raises on some odd quote layouts; count as no output
        return out
    for t in triples:
        spk = (t.speaker[0].idx, t.speaker[-1].idx + len(t.speaker[-1].text)) if t.speaker else None
        name = " ".join(tok.text for tok in t.speaker) if t.speaker else None
        out.append(Pred(t.content.start_char, t.content.end_char, spk, name))
    return out


def regex_preds(doc) -> list[Pred]:  # type: ignore[no-untyped-def]
    """Fallback baseline when textacy is missing: text between double quote marks."""
    return [Pred(m.start(1), m.end(1), None, None) for m in re.finditer(r"[“\"]([^”\"\n]{3,})[”\"]", doc.text)]


def _frag_text(text: str, spans: list[tuple[int, int]], width: int = 160) -> str:
    joined = " | ".join(text[a:b] for a, b in spans).replace("\n", " ")
    return joined if len(joined) <= width else joined[: width // 2] + " … " + joined[-width // 2 :]


@dataclass
class Errors:
    """Missed gold attributions and spurious predictions, for ``--errors``."""

    missed: list[str] = field(default_factory=list)
    spurious: list[str] = field(default_factory=list)
    cues: dict[str, int] = field(default_factory=dict)  # missed gold cue words -> count


def collect_errors(errs: Errors, name: str, text: str, gold: list[Gold], preds: list[Pred]) -> None:
    """Record the gold attributions no prediction overlaps and the predictions no gold overlaps."""
    all_gold = [f for g in gold for f in g.content]
    for g in gold:
        if any(_overlap((p.start, p.end), g.content) > 0 for p in preds):
            continue
        cue = _frag_text(text, g.cue, 40).lower() or "(no cue)"
        errs.cues[cue] = errs.cues.get(cue, 0) + 1
        src = _frag_text(text, g.source, 40) or "-"
        errs.missed.append(f"{name} [{src} / {cue}] {_frag_text(text, g.content)}")
    for p in preds:
        if _overlap((p.start, p.end), all_gold) == 0:
            ctx = text[max(0, p.start - 60) : p.start] + "[[" + text[p.start : p.end] + "]]" + text[p.end : p.end + 60]
            errs.spurious.append(f"{name} {ctx.replace(chr(10), ' ')}")


def print_errors(errs: Errors, n: int) -> None:
    print(f"\nmissed gold ({len(errs.missed)}), first {n}:")
    for line in errs.missed[:n]:
        print("  - " + line)
    print(f"\nspurious predictions ({len(errs.spurious)}), first {n}:")
    for line in errs.spurious[:n]:
        print("  + " + line)
    top = sorted(errs.cues.items(), key=lambda kv: -kv[1])[:40]
    print("\nmissed gold by cue: " + ", ".join(f"{k} {v}" for k, v in top))


def table(rows: dict[str, Tally]) -> str:
    head = f"{'system':<10} {'tok P':>6} {'tok R':>6} {'tok F1':>6} | {'span P':>6} {'span R':>6} {'span F1':>7} | {'src P':>6} {'src R':>6} {'src F1':>6} | R direct  R indirect"
    lines = [head, "-" * len(head)]
    for name, t in rows.items():
        tok = prf(t.tok_tp, t.tok_pred, t.tok_tp, t.tok_gold)
        span = prf(t.span_pred_ok, t.span_pred, t.span_gold_found, t.span_gold)
        src = prf(t.src_ok, t.src_pred, t.src_ok, t.src_gold)
        kinds = "  ".join(
            f"{t.by_kind.get(k, [0, 0])[0] / max(1, t.by_kind.get(k, [0, 1])[1]):.3f}" for k in ("direct", "indirect")
        )
        lines.append(
            f"{name:<10} {tok[0]:6.3f} {tok[1]:6.3f} {tok[2]:6.3f} | {span[0]:6.3f} {span[1]:6.3f} {span[2]:7.3f} | "
            f"{src[0]:6.3f} {src[1]:6.3f} {src[2]:6.3f} |  {kinds}"
        )
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="articles per split")
    ap.add_argument("--split", choices=["dev", "test", "both"], default="both")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print N missed and N spurious spans (ours)")
    args = ap.parse_args()
    base = shared_dir() / "bench" / "quotes" / "polnear"
    if not base.is_dir():
        print(f"PolNeAR not found at {base} (set NEWSDESK_SHARED); nothing to score.")
        return 0
    from newsdesk.annotate.nlp import load_nlp

    baseline: tuple[str, Callable] = ("textacy", textacy_preds)  # type: ignore[type-arg]
    try:
        import textacy.extract.triples  # noqa: F401
    except ImportError as exc:
        print(f"textacy unavailable ({exc}); comparing against a regex quote baseline")
        baseline = ("regex", regex_preds)
    nlp = load_nlp()
    splits = ["dev", "test"] if args.split == "both" else [args.split]
    for split in splits:
        arts = articles(base / split, args.limit)
        rows = {"newsdesk": Tally(), "nd direct": Tally(), baseline[0]: Tally()}
        t0 = time.time()
        spent = {"newsdesk": 0.0, "nd direct": 0.0, baseline[0]: 0.0}
        errs = Errors()
        for (stem, text, gold), doc in zip(arts, nlp.pipe(t[1] for t in arts)):
            for name, fn in (("newsdesk", ours), ("nd direct", ours_direct), baseline):
                t1 = time.time()
                preds = fn(doc)
                spent[name] += time.time() - t1
                score(rows[name], text, gold, preds)
                if args.errors and name == "newsdesk":
                    collect_errors(errs, stem[:30], text, gold, preds)
        n_gold = sum(len(a[2]) for a in arts)
        print(
            f"\nPolNeAR {split}: {len(arts)} articles, {n_gold} gold attributions ({time.time() - t0:.0f}s; "
            + ", ".join(f"{k} {v:.1f}s" for k, v in spent.items())
            + ")"
        )
        print(table(rows))
        if args.errors:
            print_errors(errs, args.errors)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
