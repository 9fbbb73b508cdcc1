"""Bench for the brief itself: would an editor keep what it shows?

Per pile (the seeds; the dense PolNeAR pile of train texts dated 2016-07-05 to
2016-08-10; ECB+ development topics; AQUAINT) it builds the brief as a user would
and prints, over its stories:

- ``opens``: share of summary sentences that open with an unresolved reference or a
  connective ("That's the consensus ...", "But it's ...", "He added ..."): lower is better;
- ``teaser``: share of summary sentences that are teasers or fragments (trailing "...",
  no verb-like word, under six words): lower is better;
- ``in span``: share of timeline entries (outside "Background") whose date falls within
  the story's publication span, give or take :data:`SPAN_SLACK_DAYS`;
- ``past fwd``: forward references ("next week", "will speak ... later this month",
  "until after the November election": a forward cue just before the date or in it, see
  :data:`FORWARD_WINDOW`; a date that states its year is not resolved) resolved to a date
  before the article was published: should be 0;
- ``statements``: share of quote items that are statements (a direct quote, or a
  paraphrase spaCy parses with a finite verb or an infinitive clause): higher is better;
- ``tracked``: share of key figures that count a quantity a reader tracks (people,
  money, troops, votes, percentages, distances), not rhetoric ("3 key ways");
- seconds for the pile.

Then **coverage against reference main points** (bench/data/brief_main_points.jsonl:
14 stories, 3 to 6 points each, written with their source spans before the brief was
run on them, see its .md): a point is covered when a summary sentence or a key fact
of the story's brief cites a span that overlaps one of the point's spans. The
baseline beside it is the lead: the first sentences of each article, as many as the
summary has, spread over the articles.

Then **single articles**: each labelled article that states a point, summarised alone
(a story told by one source), scored on the points it states: newsdesk's summary of
such a story (its lead) beside the method it replaced, the sentences most central to
the article (cosine to the mean of its candidates' embeddings, a bonus for the first
sentences, maximal marginal relevance), both over the same candidates.

Each check here is written independently of the product's own filters (its word
lists are this file's, not newsdesk's), so the product is not graded by itself.

Run: .venv/bin/python bench/brief_quality.py [--piles seeds,polnear,ecbplus,aquaint] [--no-coverage]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))
POINTS = ROOT / "bench" / "data" / "brief_main_points.jsonl"
POLNEAR = SHARED / "bench" / "quotes" / "polnear"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

#: A timeline date this many days outside the story's publication span still counts as the
#: story's own (an event reported the week after, a plan for the coming month).
SPAN_SLACK_DAYS = 31
#: ECB+ topics used as the development pile (the first five of the 25).
ECB_TOPICS = range(1, 6)

#: Openers that need the sentence before: pronouns, demonstratives, connectives.
_OPENERS = re.compile(
    r"^(?:[\"“'‘(]\s*)?(?:he|she|it|its|they|them|their|this|that|these|those|there's|that's|it's|"
    r"but|and|or|so|yet|still|also|however|meanwhile|moreover|instead|indeed|besides|nevertheless|"
    r"then|thus|hence|likewise|similarly|otherwise|nonetheless|furthermore|in addition|as a result|"
    r"on the other hand|at the same time|even so|for example|for instance|such)\b",
    re.IGNORECASE,
)
_FORWARD = re.compile(
    r"\b(?:will|would|next|upcoming|coming|until|by (?:mid-|early |late )?(?:january|february|march|april|may|june|"
    r"july|august|september|october|november|december)|plans? to|scheduled|expected to|set to)\b",
    re.IGNORECASE,
)
#: Counted nouns of rhetoric, not of the news.
_RHETORIC = {"ways", "things", "reasons", "questions", "lessons", "takeaways", "times", "steps", "points", "facts",
             "signs", "factors", "moments", "words", "ideas", "tips", "myths", "options", "scenarios", "keys",
             "years", "days", "weeks", "months", "hours", "minutes", "countries", "sides", "parts", "pages"}


def opens_unresolved(text: str) -> bool:
    return bool(_OPENERS.match(text.strip()))


def teaser_or_fragment(text: str) -> bool:
    t = text.strip()
    if t.endswith(("...", "…", "....")) or len(t.split()) < 6:
        return True
    return not re.search(r"\b\w+(?:ed|es|s|ing)\b|\b(?:is|are|was|were|be|been|has|have|had|will|can|could|may|"
                         r"might|must|should|would|said|says|did|do|does)\b", t, re.IGNORECASE)


_NLP = None


def is_statement(quote) -> bool:
    """Direct speech, or a paraphrase that spaCy parses with a finite verb or an infinitive
    clause ("to build a wall"): a statement, not a noun phrase ("the withdrawal of forces")."""
    global _NLP
    if quote.direct:
        return True
    if _NLP is None:
        from newsdesk.annotate.nlp import load_nlp

        _NLP = load_nlp()
    doc = _NLP(quote.text)
    return any(t.pos_ in ("VERB", "AUX") and ("Fin" in t.morph.get("VerbForm") or t.tag_ == "MD"
                                              or (t.tag_ == "VB" and t.i > 0 and doc[t.i - 1].lower_ == "to"))
               for t in doc)


def is_tracked_figure(fig) -> bool:
    counts = (fig.counts or "").lower().split()
    noun = counts[-1] if counts else ""
    if noun in _RHETORIC and fig.value < 100:
        return False
    return bool(counts) or fig.qualifier is not None


def _date_of(value: str | None) -> date | None:
    from newsdesk.timeml import value_start

    return value_start(value) if value else None


#: Characters before a date mention searched for a forward cue ("will speak ... later this
#: month", "until after the November election"): the cue must govern the date, not merely share
#: its sentence ("the law, which would not have prevented a crisis in 2008" is no forward reference).
FORWARD_WINDOW = 30


def _looks_forward(article, cite, value: str) -> bool:
    """Whether a timeline entry's own date mention in ``cite`` is a forward reference: a
    forward cue within :data:`FORWARD_WINDOW` characters before it, or in its words."""
    for m in article.annotations.dates if article.annotations else []:
        own = m.value and (m.value[:10] if "T" in m.value else m.value) == value
        window = article.text[max(cite.start, m.start - FORWARD_WINDOW) : m.end]
        # A date that states its year ("until October 2015") is what it says, not a resolution.
        stated = re.search(r"\b\d{4}\b", m.text or "")
        if own and not stated and cite.start <= m.start < cite.end and _FORWARD.search(window):
            return True
    return False


def pile_scores(brief) -> dict[str, tuple[int, int]]:
    """(hits, total) per measure over the brief's stories."""
    arts = {a.id: a for a in brief.articles}
    out = {k: [0, 0] for k in ("opens", "teaser", "in span", "past fwd", "statements", "tracked")}
    for s in brief.stories:
        for x in s.summary:
            out["opens"][0] += opens_unresolved(x.text)
            out["teaser"][0] += teaser_or_fragment(x.text)
            out["opens"][1] += 1
            out["teaser"][1] += 1
        first, last = _date_of(s.first_date), _date_of(s.last_date)
        for e in s.timeline:
            if getattr(e, "background", False):
                continue
            d = _date_of(e.date)
            out["in span"][1] += 1
            if d and first and last:
                out["in span"][0] += first - timedelta(days=SPAN_SLACK_DAYS) <= d <= last + timedelta(days=SPAN_SLACK_DAYS)
            for c in e.citations:
                a = arts.get(c.article)
                pub = _date_of(a.published.date) if a and a.published else None
                if pub and d and d < pub - timedelta(days=1) and _looks_forward(a, c, e.date):
                    out["past fwd"][0] += 1
                    break
        out["past fwd"][1] += len(s.timeline)
        for q in s.quotes:
            out["statements"][0] += is_statement(q)
            out["statements"][1] += 1
        for f in s.figures:
            out["tracked"][0] += is_tracked_figure(f)
            out["tracked"][1] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def polnear_articles(first: str, last: str):
    from cluster_eval import make_article

    out = []
    for path in sorted((POLNEAR / "train" / "text").glob("*.txt")):
        m = re.search(r"_(\d{4}-\d{2}-\d{2})_", path.name)
        if not m or not first <= m.group(1) <= last:
            continue
        raw = path.read_text(encoding="utf-8")
        title, _, body = raw.partition("\n")
        out.append(make_article(path.stem, body.strip(), m.group(1), title.strip()))
    return out


def pile(name: str):
    """The articles of a named pile, not yet annotated."""
    from cluster_eval import ECBPLUS, iter_texts, make_article

    if name == "seeds":
        from newsdesk.pipeline import read

        articles, _ = read([str(SHARED / "corpus" / "seeds")])
        return articles
    if name == "polnear":
        return polnear_articles("2016-07-05", "2016-08-10")
    if name == "ecbplus":
        out = []
        with ECBPLUS.open(encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                if d["topic"] in ECB_TOPICS:
                    out.append(make_article(d["id"], d["text"], d.get("published"), d.get("title")))
        return out
    if name == "aquaint":
        return [make_article(*t) for t in iter_texts() if t[0].startswith("aq:")]
    raise SystemExit(f"unknown pile {name!r}")


def run_brief(articles):
    from newsdesk.annotate import annotate_articles
    from newsdesk.pipeline import brief_articles

    annotated = annotate_articles(articles)
    return brief_articles(annotated.items, list(annotated.dropped))


# ---- coverage ------------------------------------------------------------------------


def raw_span(clean: str, raw: str, start: int, end: int) -> tuple[int, int] | None:
    """Where a cited span of the clean text lies in the raw file (clean text may reflow whitespace)."""
    words = clean[start:end].split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), raw)
    return (m.start(), m.end()) if m else None


def lead_cites(brief, k: int) -> list[tuple[str, int, int]]:
    """The baseline: the first sentences of the articles, round robin, k in all."""
    out: list[tuple[str, int, int]] = []
    depth = 0
    while len(out) < k and depth < 10:
        for a in brief.articles:
            sents = a.annotations.sentences if a.annotations else []
            if depth < len(sents) and len(out) < k:
                out.append((a.id, sents[depth].start, sents[depth].end))
        depth += 1
    return out


def _halves() -> dict[str, str]:
    """Story id -> its half in the PolNeAR story labels (tune, fresh, heldout)."""
    import csv

    with (ROOT / "bench" / "data" / "polnear_story_labels.csv").open(encoding="utf-8") as f:
        return {row["story"]: row["half"] for row in csv.DictReader(f)}


def coverage(limit: int | None) -> None:
    """Main-point coverage per story; the tuning part (the seeds and the tune and fresh halves)
    is what the summary may be tuned on, the held-out part (the heldout half) is not."""
    from newsdesk.pipeline import brief as run

    rows = [json.loads(line) for line in POINTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    stories: dict[str, dict] = {}
    for r in rows:
        entry = stories.setdefault(r["story"], {"files": [], "points": [], "corpus": r["corpus"]})
        if "files" in r:
            entry["files"] = r["files"]
        else:
            entry["points"].append(r)
    halves = _halves()
    print(f"coverage of reference main points ({POINTS.name}): a point is covered when the brief cites one of "
          "its spans in the summary (+facts: or the key facts) of the story that holds most of the story's "
          "articles (main), or of any story of the brief (all); lead: as many lead sentences, round robin")
    print(f"  {'story':<52} {'part':<8} {'pts':>3} {'main':>5} {'+facts':>6} {'all':>5} {'lead':>5} {'sents':>5}")
    totals: dict[str, dict[str, int]] = {}
    for sid, entry in list(stories.items())[:limit]:
        part = "held-out" if halves.get(sid) == "heldout" else "tuning"
        root = SHARED / "corpus" / "seeds" if entry["corpus"] == "seeds" else POLNEAR
        paths = [str(root / f) for f in entry["files"]]
        b = run(paths)
        raws = {a.id: Path(a.path).read_text(encoding="utf-8", errors="replace") for a in b.articles}
        file_of = {a.id: str(Path(a.path).relative_to(root)) for a in b.articles}
        texts = {a.id: a.text for a in b.articles}
        main = max(b.stories, key=lambda s: len(s.articles)) if b.stories else None

        def spans(cites, texts=texts, raws=raws, file_of=file_of) -> set[tuple[str, int, int]]:
            out = set()
            for article, start, end in cites:
                r = raw_span(texts[article], raws[article], start, end)
                if r:
                    out.add((file_of[article], *r))
            return out

        def cited(stories, facts: bool) -> set[tuple[str, int, int]]:
            cites = [(c.article, c.start, c.end) for s in stories for x in s.summary for c in x.citations]
            if facts:
                cites += [(c.article, c.start, c.end) for s in stories for f in getattr(s, "key_facts", [])
                          for p in f.parts for c in p.citations]
            return spans(cites)

        main_s = cited([main] if main else [], False)
        main_f = cited([main] if main else [], True)
        all_f = cited(b.stories, True)
        n_sent = len(main.summary) if main else 0
        lead = spans(lead_cites(b, n_sent))

        def covered(cites: set[tuple[str, int, int]], point: dict) -> bool:
            return any(f == sp["file"] and s < sp["end"] and sp["start"] < e for sp in point["spans"]
                       for f, s, e in cites)

        got = {"n": len(entry["points"]), "main": 0, "facts": 0, "all": 0, "lead": 0}
        for p in entry["points"]:
            got["main"] += covered(main_s, p)
            got["facts"] += covered(main_f, p)
            got["all"] += covered(all_f, p)
            got["lead"] += covered(lead, p)
        for key in (part, "all"):
            t = totals.setdefault(key, {k: 0 for k in got} | {"stories": 0})
            t["stories"] += 1
            for k, v in got.items():
                t[k] += v
        n = got["n"]
        print(f"  {sid:<52} {part:<8} {n:>3} {got['main'] / n:>5.2f} {got['facts'] / n:>6.2f} {got['all'] / n:>5.2f} "
              f"{got['lead'] / n:>5.2f} {n_sent:>5}", flush=True)
    for key, t in totals.items():
        n = max(t["n"], 1)
        print(f"  {key + ' (' + str(t['stories']) + ' stories)':<61} {t['n']:>3} {t['main'] / n:>5.2f} "
              f"{t['facts'] / n:>6.2f} {t['all'] / n:>5.2f} {t['lead'] / n:>5.2f}")


def single_articles() -> None:
    """Main-point coverage of each labelled article summarised alone: newsdesk (the lead of a
    story told by one source) against the most central sentences (the method before)."""
    import numpy as np

    from newsdesk.briefing.build import LEAD_BONUS, SUMMARY_MIN, mmr, plan_story, summarize, summary_candidates
    from newsdesk.embed import Encoder
    from newsdesk.model import Story
    from newsdesk.pipeline import annotate_paths

    rows = [json.loads(line) for line in POINTS.read_text(encoding="utf-8").splitlines() if line.strip()]
    halves = _halves()
    encoder = Encoder()
    got: dict[str, list[int]] = {}
    for head in (r for r in rows if "files" in r):
        root = SHARED / "corpus" / "seeds" if head["corpus"] == "seeds" else POLNEAR
        points = [r for r in rows if r["story"] == head["story"] and "point" in r]
        part = "held-out" if halves.get(head["story"]) == "heldout" else "tuning"
        articles, _ = annotate_paths([str(root / f) for f in head["files"]])
        for a in articles:
            name = str(Path(a.path).relative_to(root))
            mine = [p for p in points if any(sp["file"] == name for sp in p["spans"])]
            if not mine:
                continue
            story = Story(id="s", title=a.title or "", articles=[a.id], origins=[a.id], key_terms=[])
            plan = plan_story(story, {a.id: a}, [])
            lead = [c for s in summarize(story, plan.members, {}, encoder, plan.pool) for c in s.citations]
            pool = summary_candidates(plan.pool)
            central: list = []
            if pool:
                vectors = encoder.encode([p.text for p in pool])
                centroid = vectors.mean(axis=0)
                relevance = vectors @ (centroid / (np.linalg.norm(centroid) or 1.0))
                relevance = relevance + np.array([LEAD_BONUS[p.position] if p.position < len(LEAD_BONUS) else 0.0
                                                  for p in pool])
                central = [c for i in mmr(vectors, relevance, [a.id] * len(pool), SUMMARY_MIN) for c in pool[i].citations]
            raw = Path(a.path).read_text(encoding="utf-8", errors="replace")
            for key, cites in (("lead", lead), ("central", central)):
                spans = {r for c in cites if (r := raw_span(a.text, raw, c.start, c.end))}
                hits = sum(any(sp["file"] == name and s < sp["end"] and sp["start"] < e for sp in p["spans"]
                               for s, e in spans) for p in mine)
                tally = got.setdefault(f"{part} {key}", [0, 0])
                tally[0] += hits
                tally[1] += len(mine)
    print("single articles (each labelled article summarised alone; points it states): newsdesk's lead / "
          "the most central sentences (the method before)")
    for part in ("tuning", "held-out"):
        (lh, n), (ch, _) = got.get(f"{part} lead", [0, 0]), got.get(f"{part} central", [0, 0])
        if n:
            print(f"  {part:<9} {n:>4} points  lead {lh / n:.3f}  central {ch / n:.3f}")


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--piles", default="seeds,polnear,ecbplus,aquaint")
    ap.add_argument("--no-coverage", action="store_true")
    ap.add_argument("--limit", type=int, default=None, help="coverage: only the first N stories")
    args = ap.parse_args(argv)
    if not (SHARED / "corpus" / "seeds").is_dir():
        print(f"shared bench data not found at {SHARED} (set NEWSDESK_SHARED); nothing to measure")
        return 0
    print(f"{'pile':<10} {'arts':>5} {'stories':>7} {'opens':>11} {'teaser':>11} {'in span':>11} {'past fwd':>11} "
          f"{'statements':>11} {'tracked':>11} {'s':>6}")
    for name in filter(None, args.piles.split(",")):
        t0 = time.time()
        articles = pile(name)
        b = run_brief(articles)
        scores = pile_scores(b)

        def cell(k: str, scores=scores) -> str:
            hit, n = scores[k]
            return f"{hit / n:.2f} ({n:>3})" if n else "   - (  0)"

        print(f"{name:<10} {len(b.articles):>5} {len(b.stories):>7} " + " ".join(
            f"{cell(k):>11}" for k in ("opens", "teaser", "in span", "past fwd", "statements", "tracked"))
            + f" {time.time() - t0:>6.1f}", flush=True)
    if not args.no_coverage:
        coverage(args.limit)
        single_articles()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
