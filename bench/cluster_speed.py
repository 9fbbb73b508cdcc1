"""Speed of story clustering: embeddings, batch clustering and incremental assignment.

Articles come from ``bench/lineage_speed.py``'s corpus builder (real texts from
../shared/bench, reposted, truncated and collaged). For each size it prints:

- the embedding rate of all-MiniLM-L6-v2 on the independent sources' lead
  texts (title + opening; batched), measured on the first size only because it
  is the same per text at every size;
- the same model's rate on single sentences (what the brief's claims and
  summary embed), in sentences per second;
- incremental assignment (:class:`newsdesk.stories.StoryIndex`, the store's
  path) in batches of 500, with hashed bag-of-words vectors standing in for
  the MiniLM ones so that 100k articles fit in a bench run: assignment cost does
  not depend on where the vectors came from. The articles arrive as a feed of
  ``--per-day`` articles a day, so blocking by date (:mod:`newsdesk.stories.blocking`)
  sees the same density at every size, as it would in a real archive;
- batch average-linkage clustering (:func:`cluster_stories`), which is
  quadratic in the number of sources, up to ``--batch-max`` articles.

    .venv/bin/python bench/cluster_speed.py [--sizes 1000,10000,100000] [--batch-max 2000] [--per-day 1000]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import resource
import sys
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from lineage_speed import SHARED, build

from newsdesk.lineage import find_copies
from newsdesk.model import Article, PubDate
from newsdesk.settings import ModelSettings
from newsdesk.stories import StoryIndex, cluster_stories, lead_text

DIM = 384
_WORD = re.compile(r"[a-z]{4,}")


class HashedBagOfWords:
    """Texts as L2-normalised hashed bags of words (a stand-in encoder for timing).

    Words of four letters or more, log-scaled counts: unrelated texts of the
    corpus score a mean cosine of about 0.07 (MiniLM: 0.13), so about as many
    stories come within reach of the merge threshold as with the real model.
    """

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            counts: dict[str, int] = {}
            for word in _WORD.findall(text.lower()):
                counts[word] = counts.get(word, 0) + 1
            for word, count in counts.items():
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little")
                out[row, h % DIM] += (1.0 + np.log(count)) * (1.0 if h & 1 << 31 else -1.0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def embedding_rate(texts: list[str]) -> float:
    from newsdesk.embed import Encoder

    encoder = Encoder()
    encoder.encode(texts[:16])  # load and warm
    start = time.perf_counter()
    encoder.encode(texts[16:])
    return (len(texts) - 16) / (time.perf_counter() - start)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'])")


def sentence_rate(texts: list[str], limit: int = 3000) -> tuple[float, int]:
    """MiniLM sentences per second over the texts' sentences (deduplicated, batched), and how many."""
    from newsdesk.embed import Encoder

    sentences = list(dict.fromkeys(s.strip() for t in texts for s in _SENTENCE_END.split(t) if len(s.split()) >= 4))
    sentences = sentences[:limit]
    encoder = Encoder(ModelSettings(encode_batch=128))
    encoder.encode(sentences[:32])
    start = time.perf_counter()
    encoder.encode(sentences[32:])
    return (len(sentences) - 32) / (time.perf_counter() - start), len(sentences) - 32


def date_feed(articles: list[Article], per_day: int) -> None:
    """Date the articles as a feed of ``per_day`` a day, in order, from 2020-01-01."""
    day0 = date(2020, 1, 1).toordinal()
    for i, a in enumerate(articles):
        a.published = PubDate(date.fromordinal(day0 + i // per_day).isoformat(), "day", "metadata")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--batch-max", type=int, default=2000, help="largest size for batch average linkage")
    ap.add_argument("--no-embed", action="store_true", help="skip the MiniLM embedding rate")
    ap.add_argument("--per-day", type=int, default=1000, help="feed rate: articles published a day")
    args = ap.parse_args()
    if not (SHARED / "bench").is_dir():
        print(f"shared bench data not found under {SHARED}; nothing to do")
        return 0
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"cores: {os.cpu_count()}; feed of {args.per_day} articles a day")
    print(f"{'articles':>9} {'sources':>8} {'stories':>8} {'assign s':>9} {'docs/s':>8} {'batch s':>8} {'peak MB':>8}")
    previous: tuple[int, float] | None = None
    for n in sizes:
        articles, _story, _copy = build(n)
        date_feed(articles, args.per_day)
        links = find_copies(articles)
        copies = {link.copy for link in links}
        sources = [a for a in articles if a.id not in copies]
        if previous is None and not args.no_embed:
            texts = [lead_text(a) for a in sources[:600]]
            print(f"MiniLM embedding rate on lead texts: {embedding_rate(texts):.0f} texts/s (batched, CPU)")
            rate, count = sentence_rate([a.text for a in sources[:600]])
            print(f"MiniLM embedding rate on sentences: {rate:.0f} sentences/s ({count} sentences, batched, CPU)")
        index = StoryIndex(encoder=HashedBagOfWords())
        start = time.perf_counter()
        for i in range(0, len(articles), 500):
            index.add(articles[i : i + 500], links)
        assign_s = time.perf_counter() - start
        batch = "-"
        if n <= args.batch_max:
            start = time.perf_counter()
            cluster_stories(articles, links, HashedBagOfWords())
            batch = f"{time.perf_counter() - start:.2f}"
        print(
            f"{n:>9} {len(sources):>8} {len(index):>8} {assign_s:>9.2f} {n / assign_s:>8.0f} {batch:>8} {peak_mb():>8.0f}"
        )
        if previous is not None:
            pn, ps = previous
            print(f"  growth {pn} -> {n}: docs x{n / pn:.0f}, assignment time x{assign_s / ps:.1f}")
        previous = (n, assign_s)
    return 0


if __name__ == "__main__":
    sys.exit(main())
