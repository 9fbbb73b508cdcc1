"""Story clustering evaluation: B-cubed precision, recall and F1 on hand-labelled real news.

Two labelled sets, each scored batch and incremental (the store's path), beside
a TF-IDF average-link baseline in the same run:

- ``timebank``: news texts from ../shared/bench (TimeBank and AQUAINT TimeML,
  PolNeAR, LGL and GeoWebNews), the articles listed in
  bench/data/story_labels.csv (article id, story label: labels only, never texts);
- ``ecbplus``: ../shared/bench/stories/ecbplus/docs.jsonl, 510 articles of 23
  ECB+ topics, each topic two different events of one kind (one event = one
  story): the close-stories case;
- ``polnear``: the tuning half (171 articles, May-June 2016) of our own labels
  of close campaign stories, bench/data/polnear_story_labels.csv, labelled by
  bench/data/story_guideline.md (written before labelling); ``polnear-heldout``
  (183 articles, July-September 2016) is not in the default run (its figures
  were printed once during a development scan, so it is no longer blind);
  ``polnear-fresh`` (173 articles, February-March 2016, labelled afterwards
  without seeing the method's output) is the held-out set, scored once when
  the method is final.

Articles are built directly (no ingest), annotated, linked and clustered. The
baseline: TF-IDF (sublinear, English stop words) of the title and lead
(``stories.lead_text``), cosine, average linkage, cut at the similarity that
scores best on ``timebank`` (chosen there in the same run, then applied
unchanged to ``ecbplus``).

    .venv/bin/python bench/cluster_eval.py [--sets timebank,ecbplus] [--limit N] [--threshold T]

Exits 0 with a message when the shared data is absent.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSDESK_SHARED", ROOT.parent / "shared"))
LABELS = ROOT / "bench" / "data" / "story_labels.csv"
ECBPLUS = SHARED / "bench" / "stories" / "ecbplus" / "docs.jsonl"
POLNEAR_LABELS = ROOT / "bench" / "data" / "polnear_story_labels.csv"
POLNEAR_TEXTS = SHARED / "bench" / "quotes" / "polnear" / "train" / "text"
#: Similarity cuts the baseline is tried at on ``timebank``.
BASELINE_CUTS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4)

sys.path.insert(0, str(ROOT / "src"))

from newsdesk.model import Article, PubDate


def _timeml(path: Path) -> tuple[str, str | None, str | None]:
    """(text, DCT ISO date, title) of a TimeML file."""
    root = ET.parse(path).getroot()
    text_el = root.find("TEXT")
    text = "".join(text_el.itertext()) if text_el is not None else ""
    dct = None
    for t in root.iter("TIMEX3"):
        if t.get("functionInDocument") == "CREATION_TIME":
            dct = (t.get("value") or "")[:10] or None
            break
    title_el = root.find("TITLE")
    title = " ".join("".join(title_el.itertext()).split()) if title_el is not None else None
    return text.strip(), dct, title


def iter_texts(shared: Path = SHARED) -> Iterator[tuple[str, str, str | None, str | None]]:
    """(id, text, published ISO date or None, title or None) of every bench news text."""
    for sub in ("timebank", "aquaint"):
        for p in sorted((shared / "bench" / "timex" / sub).glob("*.tml")):
            text, dct, title = _timeml(p)
            yield f"{sub[:2]}:{p.stem}", text, dct, title
    for split in ("train", "dev", "test"):
        for p in sorted((shared / "bench" / "quotes" / "polnear" / split / "text").glob("*.txt")):
            raw = p.read_text(encoding="utf-8")
            title, _, body = raw.partition("\n")
            m = re.search(r"_(\d{4}-\d{2}-\d{2})_", p.name)
            yield f"pn:{p.stem}", body.strip(), m.group(1) if m else None, title.strip()
    geo = shared / "bench" / "geoparse"
    if (geo / "lgl.xml").exists():
        for a in ET.parse(geo / "lgl.xml").getroot().iter("article"):
            dl = (a.findtext("dltime") or "")[:10] or None
            yield f"lgl:{a.get('docid')}", (a.findtext("text") or "").strip(), dl, a.findtext("title")
    if (geo / "GWN.xml").exists():
        for a in ET.parse(geo / "GWN.xml").getroot().iter("article"):
            yield f"gwn:{a.get('file')}", (a.findtext("text") or "").strip(), None, a.findtext("title")


def make_article(aid: str, text: str, published: str | None, title: str | None) -> Article:
    pub = PubDate(published, "day", "metadata") if published and len(published) == 10 else None
    return Article(id=aid, path=aid, text=text, title=title, published=pub)


def read_labels(path: Path = LABELS) -> dict[str, str]:
    with path.open(encoding="utf-8") as f:
        return {row["article"]: row["story"] for row in csv.DictReader(f)}


def bcubed(gold: dict[str, str], pred: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1 over the items of ``gold``."""
    items = list(gold)
    by_gold: dict[str, set[str]] = {}
    by_pred: dict[str, set[str]] = {}
    for i in items:
        by_gold.setdefault(gold[i], set()).add(i)
        by_pred.setdefault(pred[i], set()).add(i)
    p = r = 0.0
    for i in items:
        same_pred = by_pred[pred[i]]
        same_gold = by_gold[gold[i]]
        both = len(same_pred & same_gold)
        p += both / len(same_pred)
        r += both / len(same_gold)
    p, r = p / len(items), r / len(items)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def load_set(name: str) -> tuple[list[Article], dict[str, str]]:
    """A labelled set's articles and gold story of each."""
    if name == "timebank":
        gold = read_labels()
        articles = [make_article(*t) for t in iter_texts() if t[0] in gold]
        return articles, gold
    if name == "ecbplus":
        articles, gold = [], {}
        with ECBPLUS.open(encoding="utf-8") as f:
            for line in f:
                d = json.loads(line)
                articles.append(make_article(d["id"], d["text"], d.get("published"), d.get("title")))
                gold[d["id"]] = d["story"]
        return articles, gold
    if name in ("polnear", "polnear-heldout", "polnear-fresh"):
        half = {"polnear": "tune", "polnear-heldout": "heldout", "polnear-fresh": "fresh"}[name]
        articles, gold = [], {}
        with POLNEAR_LABELS.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["half"] != half:
                    continue
                raw = (POLNEAR_TEXTS / f"{row['article']}.txt").read_text(encoding="utf-8")
                title, _, body = raw.partition("\n")
                m = re.search(r"_(\d{4}-\d{2}-\d{2})_", row["article"])
                articles.append(make_article(row["article"], body.strip(), m.group(1) if m else None, title.strip()))
                gold[row["article"]] = row["story"]
        return articles, gold
    raise SystemExit(f"unknown set {name!r} (timebank, ecbplus, polnear, polnear-heldout, polnear-fresh)")


def tfidf_clusters(texts: list[str], cut: float) -> list[int]:
    """Average-link clusters of TF-IDF vectors, merged while mean cosine similarity >= ``cut``."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.feature_extraction.text import TfidfVectorizer

    if len(texts) < 2:
        return [1] * len(texts)
    x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts)
    dist = np.clip(1.0 - (x @ x.T).toarray(), 0.0, None)
    np.fill_diagonal(dist, 0.0)
    tree = linkage(squareform(dist, checks=False), method="average")
    return [int(c) for c in fcluster(tree, t=1.0 - cut, criterion="distance")]


def baseline(articles: list[Article], gold: dict[str, str], cut: float, lead_sentences: int) -> tuple[float, ...]:
    from newsdesk.stories import lead_text

    labels = tfidf_clusters([lead_text(a, lead_sentences) for a in articles], cut)
    return bcubed(gold, {a.id: str(c) for a, c in zip(articles, labels, strict=True)})


def score_set(name: str, args: argparse.Namespace, cut: float | None) -> float | None:
    """Print one set's scores; gives the baseline cut chosen on it (``timebank``) or ``cut`` back."""
    from newsdesk.annotate import annotate_articles
    from newsdesk.embed import Encoder
    from newsdesk.lineage import find_copies
    from newsdesk.settings import StoriesSettings
    from newsdesk.stories import StoryIndex, cluster_stories, lead_text
    from newsdesk.stories.blocking import Blocks

    settings = StoriesSettings()
    if args.threshold is not None:
        settings = StoriesSettings(merge_threshold=args.threshold)
    articles, gold = load_set(name)
    if args.limit:
        articles = articles[: args.limit]
    gold = {a.id: gold[a.id] for a in articles}
    t0 = time.perf_counter()
    annotate_articles(articles)
    t_ann = time.perf_counter() - t0
    links = find_copies(articles)
    encoder = Encoder()
    texts = [lead_text(a, settings.lead_sentences) for a in articles]
    n_sent = sum(min(settings.lead_sentences, len(a.annotations.sentences) if a.annotations else 1) for a in articles)
    t0 = time.perf_counter()
    encoder.encode(texts)  # warms the cache cluster_stories reads from
    t_emb = time.perf_counter() - t0
    t0 = time.perf_counter()
    stories = cluster_stories(articles, links, encoder, settings)
    t_clu = time.perf_counter() - t0
    pred = {aid: s.id for s in stories for aid in s.articles}
    p, r, f = bcubed(gold, pred)
    # The store's path: articles arrive one by one in publication order, blocked (newsdesk.stories.assign).
    incremental = {}
    for label, blocks in (("blocked", Blocks()), ("unblocked", Blocks(window_days=10**6, recent=10**6))):
        index = StoryIndex(encoder, settings, blocks=blocks)
        for a in sorted(articles, key=lambda a: a.published.date if a.published else "9999"):
            index.add([a], links)
        pred_i = {aid: s.id for s in index.stories() for aid in s.articles}
        incremental[label] = (*bcubed(gold, pred_i), len(index))
    if cut is None:  # chosen here, on this set
        cut = max(BASELINE_CUTS, key=lambda c: baseline(articles, gold, c, settings.lead_sentences)[2])
    bp, br, bf = baseline(articles, gold, cut, settings.lead_sentences)
    if args.show:
        for s in stories:
            print(f"{s.id} " + ", ".join(f"{a}[{gold[a]}]" for a in s.articles))
    print(f"== {name}")
    print(f"articles {len(articles)}  gold stories {len(set(gold.values()))}  predicted {len(stories)}  copies {len(links)}")
    print(f"{'metric':<24}{'value':>10}")
    print(f"{'B-cubed precision':<24}{p:>10.3f}")
    print(f"{'B-cubed recall':<24}{r:>10.3f}")
    print(f"{'B-cubed F1':<24}{f:>10.3f}")
    for label, (ip, ir, i_f, n_i) in incremental.items():
        print(f"{'incremental, ' + label:<24}P {ip:.3f}  R {ir:.3f}  F1 {i_f:.3f}  ({n_i} stories)")
    print(f"{'baseline TF-IDF':<24}P {bp:.3f}  R {br:.3f}  F1 {bf:.3f}  (cut {cut}, chosen on timebank)")
    print(f"{'annotate s':<24}{t_ann:>10.1f}")
    print(f"{'embed sentences/s':<24}{n_sent / t_emb if t_emb else 0:>10.1f}")
    print(f"{'cluster s (cached emb)':<24}{t_clu:>10.2f}")
    return cut


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--sets", default="timebank,ecbplus,polnear", help="labelled sets to score, in order (timebank first)"
    )
    ap.add_argument("--limit", type=int, default=0, help="evaluate the first N labelled articles of each set only")
    ap.add_argument("--threshold", type=float, default=None, help="override the stories.merge_threshold setting")
    ap.add_argument("--show", action="store_true", help="print the predicted clusters")
    args = ap.parse_args()
    if not (SHARED / "bench").is_dir():
        print(f"shared bench data not found at {SHARED}; set NEWSDESK_SHARED. Nothing to do.")
        return 0
    cut = None
    for name in args.sets.split(","):
        needed = {"ecbplus": ECBPLUS, "polnear": POLNEAR_TEXTS, "polnear-heldout": POLNEAR_TEXTS,
                  "polnear-fresh": POLNEAR_TEXTS}.get(name)
        if needed is not None and not needed.exists():
            print(f"== {name}: {needed} not found, skipped")
            continue
        chosen = score_set(name, args, cut if name != "timebank" else None)
        cut = chosen if name == "timebank" else cut
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
