"""Lineage speed: documents per second for find_copies at 1k, 10k and 100k articles.

Builds the large sets from the real news texts in ../shared/bench (TimeBank,
AQUAINT, PolNeAR, LGL, GeoWebNews; loaded by bench/cluster_eval.py) repeated
with perturbations:

* 55% fresh articles: collages of paragraphs from five different texts (no
  copies of each other, but they share paragraphs, the press-release case);
* 45% copies of a story: exact, near (a few words swapped), truncated
  (first 40-80%, "[…]"), excerpt (a 20-40% passage), edited (a paragraph
  dropped and a new one written in). With ``--pool growing`` (default) a story
  is a real text or a collage and story sizes are heavy-tailed (see
  :func:`build`); ``--pool fixed`` copies only the ~2,000 real texts, so at
  100k every story has ~22 copies and at 1M it would have ~220: duplication
  that grows with the corpus, which no real feed does;
* 30% of all articles carry one of 8 long site footers, so at 100k a footer is
  shared by ~4,000 pages (the index must skip it, not go quadratic).

Each size runs in its own process so peak memory (ru_maxrss) is that size's.
Also prints how many planted copies ended up in their source's copy group.

    .venv/bin/python bench/lineage_speed.py [--sizes 1000,10000,100000] [--pool growing|fixed]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cluster_eval import SHARED, iter_texts

from newsdesk.model import Article

FOOTER_WORDS = ["subscribe", "newsletter", "privacy", "policy", "terms", "of", "use", "cookie", "settings", "contact", "us", "advertise", "with", "us", "all", "rights", "reserved", "copyright", "follow", "us", "on", "social", "media", "download", "our", "app", "sign", "up", "for", "alerts", "about", "our", "journalism", "corrections", "careers", "help", "center", "site", "map", "manage", "preferences"]


def footers(rng: random.Random, n: int = 8) -> list[str]:
    out = []
    for _ in range(n):
        words = [rng.choice(FOOTER_WORDS) for _ in range(60)]
        out.append(" ".join(words).capitalize() + ".")
    return out


def paragraphs(text: str) -> list[str]:
    paras = [p.strip() for p in text.split("\n\n") if len(p.split()) >= 12]
    if len(paras) < 3:  # one-paragraph texts: cut into sentence groups
        sents = text.replace("\n", " ").split(". ")
        paras = [". ".join(sents[i : i + 3]) for i in range(0, len(sents), 3)]
    return [p for p in paras if p] or [text]


def perturb(text: str, kind: str, rng: random.Random, vocab: list[str]) -> str:
    words = text.split()
    if kind == "exact":
        return text
    if kind == "near":
        for _ in range(max(1, len(words) // 150)):
            words[rng.randrange(len(words))] = rng.choice(vocab)
        return " ".join(words)
    if kind == "truncated":
        return " ".join(words[: max(20, int(len(words) * rng.uniform(0.4, 0.8)))]) + " […]"
    if kind == "excerpt":
        k = max(30, int(len(words) * rng.uniform(0.2, 0.4)))
        s = rng.randrange(max(1, len(words) - k))
        return " ".join(words[s : s + k])
    paras = paragraphs(text)  # edited
    if len(paras) > 2:
        del paras[rng.randrange(len(paras))]
    paras.insert(rng.randrange(len(paras) + 1), " ".join(rng.choice(vocab) for _ in range(40)))
    return "\n\n".join(paras)


def build(n: int, seed: int = 7, pool: str = "growing") -> tuple[list[Article], list[int], list[bool]]:
    """``n`` articles; for each, its story (the index of the article it copies, or its own)
    and whether it is a planted copy.

    ``pool="fixed"``: copies are drawn only from the ~2,000 real texts, so a story's
    copies grow with ``n`` (2 at 10k, 22 at 100k, 220 at 1M) and collages reuse each
    real paragraph 12 times at 100k. ``pool="growing"``: fresh collages are stories
    too; half the copies repost a story chosen uniformly among those published so far,
    half repost the story of an earlier copy (preferential attachment: a few wire
    stories get hundreds of reposts, most get none or a few, as in real syndication).
    """
    rng = random.Random(seed)
    base = [t[1] for t in iter_texts() if len(t[1].split()) >= 60]
    vocab = sorted({w for t in base[:200] for w in t.split()})
    paras = [p for t in base for p in paragraphs(t)]
    feet = footers(rng)
    texts: list[str] = []
    story: list[int] = []
    copied: list[bool] = []
    kinds = ["exact", "near", "truncated", "excerpt", "edited"]
    n_base = min(len(base), n // 5)
    for b in rng.sample(range(len(base)), n_base):
        story.append(len(texts))
        texts.append(base[b])
        copied.append(False)
    originals = list(range(len(texts)))
    copies: list[int] = []
    while len(texts) < n:
        if rng.random() < 0.55:
            if pool == "growing":
                originals.append(len(texts))
            story.append(len(texts))
            texts.append("\n\n".join(rng.choice(paras) for _ in range(5)))
            copied.append(False)
        else:
            if pool == "growing" and copies and rng.random() < 0.5:
                src = story[rng.choice(copies)]
            else:
                src = rng.choice(originals)
            copies.append(len(texts))
            story.append(src)
            texts.append(perturb(texts[src], rng.choice(kinds), rng, vocab))
            copied.append(True)
    for i in range(len(texts)):
        if rng.random() < 0.3:
            texts[i] = texts[i] + "\n\n" + rng.choice(feet)
    arts = [Article(id=f"a{i}", path=f"a{i}", text=t) for i, t in enumerate(texts)]
    return arts, story, copied


def run_one(n: int, pool: str) -> dict[str, float]:
    from newsdesk.lineage import find_copies_report

    arts, story, copied = build(n, pool=pool)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0, c0 = time.perf_counter(), time.process_time()
    rep = find_copies_report(arts)
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    idx = {a.id: i for i, a in enumerate(arts)}
    parent = list(range(n))

    def find(i: int) -> int:  # copy groups: connected components of the links
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for link in rep.links:
        parent[find(idx[link.copy])] = find(idx[link.origin])
    root = [find(i) for i in range(n)]
    planted = [i for i in range(n) if copied[i]]
    found = sum(1 for i in planted if root[i] == root[story[i]])
    direct = {idx[link.copy]: idx[link.origin] for link in rep.links}
    to_origin = sum(1 for i in planted if direct.get(i) == story[i])
    has_copies = {story[i] for i in planted}
    fresh = [i for i in range(n) if not copied[i] and i not in has_copies]
    fresh_linked = sum(1 for i in fresh if root[i] != i)
    sizes = sorted(Counter(story[i] for i in planted).values(), reverse=True)
    return {
        "n": n, "seconds": dt, "cpu_seconds": cpu, "docs_per_s": n / dt, "peak_rss_mb": rss1 / 1024, "rss_before_mb": rss0 / 1024,
        "links": len(rep.links), "candidates": rep.candidates, "verified": rep.verified,
        "oversized_postings": rep.oversized_postings, "oversized_band_buckets": rep.oversized_band_buckets,
        "planted_copies": len(planted), "planted_found": found / max(1, len(planted)),
        "planted_to_origin": to_origin / max(1, len(planted)),
        "fresh_linked": fresh_linked / max(1, len(fresh)),
        "biggest_story": sizes[0] + 1 if sizes else 1, "copies_per_story": len(planted) / max(1, len(has_copies)),
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--pool", choices=["growing", "fixed"], default="growing",
                    help="where copies come from (see build); 'fixed' is the bench before issue 4's speed work")
    ap.add_argument("--one", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if not (SHARED / "bench").is_dir():
        print(f"shared bench data not found at {SHARED}; set NEWSDESK_SHARED. Nothing to do.")
        return 0
    if args.one:
        print(json.dumps(run_one(args.one, args.pool)))
        return 0
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--pool", args.pool], capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    print(f"{'docs':>8} {'seconds':>8} {'cpu s':>8} {'docs/s':>8} {'peak MB':>8} {'(before)':>8} {'links':>7} "
          f"{'cands':>8} {'verified':>8} {'skipped':>8} {'found':>6} {'direct':>6} {'fresh~':>6} {'biggest':>7} {'c/story':>7}")
    for r in rows:
        print(f"{r['n']:>8} {r['seconds']:>8.2f} {r['cpu_seconds']:>8.2f} {r['docs_per_s']:>8.0f} {r['peak_rss_mb']:>8.0f} "
              f"{r['rss_before_mb']:>8.0f} {r['links']:>7} {r['candidates']:>8} "
              f"{r['verified']:>8} {r['oversized_postings'] + r['oversized_band_buckets']:>8} {r['planted_found']:>6.3f} "
              f"{r['planted_to_origin']:>6.3f} {r['fresh_linked']:>6.3f} {r['biggest_story']:>7} {r['copies_per_story']:>7.1f}")
    for a, b in itertools.pairwise(rows):
        print(f"growth {a['n']} -> {b['n']}: docs x{b['n'] / a['n']:.0f}, time x{b['seconds'] / a['seconds']:.1f}, cpu time x{b['cpu_seconds'] / a['cpu_seconds']:.1f}")
    print("docs/s is on wall time; cpu s is the process's CPU time (the machine may be shared)")
    print("found: planted copies in their source's copy group; direct: linked straight to that source; fresh~: share of articles without planted copies")
    print("linked to anything; biggest: articles in the largest planted story; c/story: copies per copied story")
    print(f"pool: {args.pool}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
