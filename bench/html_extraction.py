"""Benchmark: article body extraction from HTML, newsdesk's clean stage beside plain trafilatura.

Reads shared/bench/article-extraction (saved news pages and their true article
bodies) and scores both extractors with that benchmark's metric: text split
into ``\\w+`` tokens, multisets of word 4-grams, per-page precision and recall
averaged over pages, F1 of the two means. Also prints pages per second and,
on the seed articles (shared/corpus/seeds), the chrome lines clean removed.

    .venv/bin/python bench/html_extraction.py [--limit N] [--workers 2]

The shared folder is $NEWSDESK_SHARED or ../shared next to the repository.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsdesk.clean import clean_document
from newsdesk.model import Article, RawDocument

SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))
DATA = SHARED / "bench" / "article-extraction"
SEEDS = SHARED / "corpus" / "seeds"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Multiset of word n-grams over ``\\w+`` tokens (case kept)."""
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_scores(truth: str, predicted: str) -> tuple[float | None, float | None]:
    """(precision, recall) of one page; None where undefined (nothing predicted / nothing true)."""
    t, p = shingles(truth), shingles(predicted)
    tp = sum((t & p).values())
    fp = sum(p.values()) - tp
    fn = sum(t.values()) - tp
    precision = tp / (tp + fp) if tp + fp else None
    recall = tp / (tp + fn) if tp + fn else None
    return precision, recall


def corpus_score(pairs: Iterable[tuple[str, str]]) -> tuple[float, float, float]:
    """(F1, P, R): means of per-page P and R over pages where defined, F1 of the means."""
    ps: list[float] = []
    rs: list[float] = []
    for truth, predicted in pairs:
        p, r = page_scores(truth, predicted)
        if p is not None:
            ps.append(p)
        if r is not None:
            rs.append(r)
    p_mean = sum(ps) / len(ps) if ps else 0.0
    r_mean = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * p_mean * r_mean / (p_mean + r_mean) if p_mean + r_mean else 0.0
    return f1, p_mean, r_mean


_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](\d{1,2})[/-](\d{1,2})(?:/|-|$)")


def url_date(url: str) -> str | None:
    """A day written in the page's URL (/2019/05/12/): the benchmark's only dated "gold"."""
    m = _URL_DATE.search(url)
    if not m or not (1 <= int(m[2]) <= 12 and 1 <= int(m[3]) <= 31):
        return None
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}"


def _extract(item: tuple[str, str]) -> tuple[str, str, str, float, float, str | None, str | None, str | None]:
    """(id, newsdesk text, trafilatura text, newsdesk seconds, trafilatura seconds,
    newsdesk's publication date and its source, htmldate's date) for one page. htmldate
    gets the page without its URL, so its date comes from the page alone."""
    import htmldate
    import trafilatura

    page_id, url = item
    data = gzip.decompress((DATA / "html" / f"{page_id}.html.gz").read_bytes())
    start = time.perf_counter()
    result = clean_document(RawDocument(page_id, data, "text/html", {"url": url}))
    ours = result.text if isinstance(result, Article) else ""
    middle = time.perf_counter()
    theirs = trafilatura.extract(data.decode("utf-8"), url=url) or ""
    end = time.perf_counter()
    published = result.published if isinstance(result, Article) else None
    try:
        their_date = htmldate.find_date(data.decode("utf-8"), original_date=True, extensive_search=True)
    except Exception:  # noqa: BLE001 - a failure is no date
        their_date = None
    return (
        page_id, ours, theirs, middle - start, end - middle,
        published.date if published else None, published.source if published else None, their_date,
    )


def _newsdesk_only(item: tuple[str, str]) -> int:
    page_id, url = item
    data = gzip.decompress((DATA / "html" / f"{page_id}.html.gz").read_bytes())
    return len(getattr(clean_document(RawDocument(page_id, data, "text/html", {"url": url})), "text", ""))


def throughput(items: list[tuple[str, str]], workers: int) -> float:
    """Wall-clock pages per second of newsdesk's clean stage alone, over ``workers`` processes."""
    with Pool(workers) as pool:
        pool.map(_newsdesk_only, items[:8])  # warm the workers (imports)
        start = time.perf_counter()
        pool.map(_newsdesk_only, items, chunksize=4)
        return len(items) / (time.perf_counter() - start)


def run_extraction(limit: int | None, workers: int) -> None:
    truth = json.loads((DATA / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(truth)[:limit] if limit else sorted(truth)
    items = [(i, truth[i].get("url", "")) for i in ids]
    with Pool(workers) as pool:
        results = pool.map(_extract, items, chunksize=4)
    ours_s = sum(r[3] for r in results)
    theirs_s = sum(r[4] for r in results)
    rows = [
        ("newsdesk clean_document", corpus_score((truth[r[0]]["articleBody"], r[1]) for r in results), ours_s),
        ("trafilatura.extract (defaults)", corpus_score((truth[r[0]]["articleBody"], r[2]) for r in results), theirs_s),
    ]
    print(f"article-extraction: {len(results)} pages, {workers} worker(s)")
    print(f"{'extractor':32} {'F1':>7} {'P':>7} {'R':>7} {'pages/s':>8}")
    for name, (f1, p, r), seconds in rows:
        print(f"{name:32} {f1:7.4f} {p:7.4f} {r:7.4f} {len(results) / max(seconds, 1e-9):8.1f}")
    print("(pages/s: per worker, time spent in each extractor only)")
    dropped_ours = sum(1 for r in results if not r[1].strip())
    dropped_theirs = sum(1 for r in results if not r[2].strip())
    lost = sum(1 for r in results if not r[1].strip() and r[2].strip())
    print(f"pages with no text: newsdesk {dropped_ours}, trafilatura {dropped_theirs}; "
          f"newsdesk dropped where trafilatura extracts: {lost}")
    print(f"newsdesk clean throughput: {throughput(items, workers):.1f} pages/s wall on {workers} worker(s)")
    report_dates(results, {i: u for i, u in items})


def report_dates(results: list, urls: dict[str, str]) -> None:
    """Publication days against the day in the URL, on every page with a dated URL:
    newsdesk (dates it took from the URL itself count as none: that would score the URL
    against itself) beside htmldate on the same page without its URL. The benchmark has
    no title gold."""
    dated = [r for r in results if url_date(urls[r[0]])]
    if not dated:
        return
    ours_right = sum(1 for r in dated if r[5] and r[6] != "url" and r[5][:10] == url_date(urls[r[0]]))
    ours_none = sum(1 for r in dated if not r[5] or r[6] == "url")
    theirs_right = sum(1 for r in dated if r[7] and r[7][:10] == url_date(urls[r[0]]))
    theirs_none = sum(1 for r in dated if not r[7])
    n = len(dated)
    print(f"publication day vs the day in the URL, {n} pages with a dated URL:")
    print(f"  newsdesk  right {ours_right}/{n} = {ours_right / n:.3f}, no date from the page {ours_none}")
    print(f"  htmldate  right {theirs_right}/{n} = {theirs_right / n:.3f}, no date {theirs_none}")


def report_seeds() -> None:
    if not SEEDS.is_dir():
        return
    print("\nseed chrome removal (clean_document on corpus/seeds):")
    for path in sorted(SEEDS.iterdir()):
        result = clean_document(RawDocument(path.name, path.read_bytes(), "text/plain"))
        if not isinstance(result, Article):
            print(f"  {path.name}: dropped ({result.reason})")
            continue
        date = f"{result.published.date}/{result.published.precision}" if result.published else None
        print(f"  {path.name}: title={result.title!r} publisher={result.publisher!r} published={date}")
        print(f"    signals={sorted(result.signals)} removed {len(result.removed)} line(s):")
        for line in result.removed:
            print(f"      - {line[:90]}{'...' if len(line) > 90 else ''}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None, help="score only the first N pages")
    parser.add_argument("--workers", type=int, default=2, help="processes (default 2)")
    args = parser.parse_args()
    if not (DATA / "ground-truth.json").is_file():
        print(f"article-extraction data not found under {SHARED} (set NEWSDESK_SHARED); nothing to do")
        return 0
    run_extraction(args.limit, args.workers)
    report_seeds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
