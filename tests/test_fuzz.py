"""Property-based tests: any bytes in, and every input ends as articles or Dropped records.

Each reader gets arbitrary bytes and bytes built around its own format (a
valid skeleton with random fields, or a valid file cut and flipped); the
date, figure and quote extractors get arbitrary text. Nothing may raise,
and every dropped record says why. ``bench/fuzz.py`` runs the same checks on
far more inputs, mutated from the real pages and feeds in ``../shared/bench``.
"""

from __future__ import annotations

import gzip
import io
import json
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.clean import clean_document
from newsdesk.clean.dates import date_line, find_date, parse_date_value
from newsdesk.ingest import read_stream
from newsdesk.ingest.common import Options
from newsdesk.model import Article, Dropped, RawDocument

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NAMES = ["a.txt", "a.html", "a.json", "a.jsonl", "a.csv", "a.tsv", "a.rss", "a.atom", "a.xml", "a.warc",
         "a.gz", "a.zip", "a.md", "a"]
OPTIONS = Options(max_bytes=1_000_000)


def outcomes(name: str, data: bytes) -> list[Article | Dropped]:
    """What the reader and clean make of ``data`` named ``name``: each an Article or a Dropped."""
    out: list[Article | Dropped] = []
    for item in read_stream(name, name, io.BytesIO(data), len(data), OPTIONS, 0):
        if isinstance(item, Dropped):
            out.append(item)
            continue
        assert isinstance(item, RawDocument)
        out.append(clean_document(item))
    for item in out:
        assert isinstance(item, Article | Dropped)
        if isinstance(item, Dropped):
            assert item.reason.strip() and "\n" not in item.reason
        else:
            assert item.text.strip()
    return out


def mutate(data: bytes, cuts: list[int], flips: list[tuple[int, int]]) -> bytes:
    """``data`` truncated at the first cut (if any) with some bytes replaced."""
    b = bytearray(data[: cuts[0] % (len(data) + 1)] if cuts else data)
    for at, value in flips:
        if b:
            b[at % len(b)] = value
    return bytes(b)


words = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
cuts = st.lists(st.integers(min_value=0, max_value=10_000), max_size=1)
flips = st.lists(st.tuples(st.integers(min_value=0, max_value=10_000), st.integers(0, 255)), max_size=8)


@FAST
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=4000))
def test_any_bytes_under_any_name_become_articles_or_dropped_records(name: str, data: bytes) -> None:
    outcomes(name, data)


@FAST
@given(title=words, text=words, published=words, cut=cuts, flip=flips)
def test_json_records_with_any_fields_cut_and_flipped_never_raise(title, text, published, cut, flip) -> None:
    record = {"title": title, "text": text + " " + "word " * 20, "published": published}
    line = json.dumps(record).encode()
    outcomes("a.jsonl", mutate(line + b"\n" + line, cut, flip))
    outcomes("a.json", mutate(json.dumps([record, record]).encode(), cut, flip))


@FAST
@given(title=words, body=words, cut=cuts, flip=flips)
def test_html_feeds_and_csv_around_any_text_cut_and_flipped_never_raise(title, body, cut, flip) -> None:
    paragraphs = "".join(f"<p>{body} the harbour reopened on Monday after the storm.</p>" for _ in range(6))
    page = f"<html><head><title>{title}</title></head><body><article>{paragraphs}</article></body></html>"
    outcomes("a.html", mutate(page.encode("utf-8", "replace"), cut, flip))
    item = f"<item><title>{title}</title><link>http://x.example/1</link><description>{body}</description></item>"
    feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{item * 2}</channel></rss>'
    outcomes("a.rss", mutate(feed.encode("utf-8", "replace"), cut, flip))
    table = f"title,text\n{json.dumps(title)},{json.dumps(body + ' word' * 20)}\n"
    outcomes("a.csv", mutate(table.encode("utf-8", "replace"), cut, flip))


@FAST
@given(body=words, cut=cuts, flip=flips)
def test_gzip_and_zip_archives_cut_and_flipped_never_raise(body, cut, flip) -> None:
    text = (body + " The council met on Tuesday to vote on the new budget for the port. ") * 5
    outcomes("a.txt.gz", mutate(gzip.compress(text.encode("utf-8", "replace")), cut, flip))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("one.txt", text)
        z.writestr("two.html", f"<html><body><p>{text}</p></body></html>")
    outcomes("a.zip", mutate(buf.getvalue(), cut, flip))


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200))
def test_the_publication_date_parsers_take_any_text(text: str) -> None:
    found = find_date(text)
    assert found is None or isinstance(found[0], str)
    value = parse_date_value(text)
    assert value is None or value.date[:4].isdigit()
    date_line(text)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.text(min_size=1, max_size=600))
def test_the_annotators_take_any_text_and_drop_at_most_a_layer(text: str) -> None:
    from newsdesk.annotate import annotate_articles
    from newsdesk.model import PubDate
    from newsdesk.settings import ModelSettings

    article = Article(id="a", path="a.txt", text=text, published=PubDate("2020-01-22", "day", "metadata"))
    result = annotate_articles([article], ModelSettings(workers=1))
    for dropped in result.dropped:
        assert dropped.reason.strip()
    for a in result.items:
        ann = a.annotations
        assert ann is not None
        for span in [*ann.sentences, *ann.entities, *ann.dates, *ann.quotes, *ann.figures, *ann.places]:
            assert 0 <= span.start <= span.end <= len(text)


def test_a_short_run_of_the_fuzz_bench_on_real_seeds_finds_no_crash_or_hang(shared) -> None:
    """``bench/fuzz.py`` in miniature: 2,000 mutated real inputs (its seed 1, inputs 0 to 1,999),
    in this process, each under the bench's CPU-time limit."""
    import signal
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
    import fuzz

    previous = signal.getsignal(signal.SIGPROF)
    try:
        fuzz.init_worker()  # the seeds, and the CPU-time limit's handler
        results = [fuzz.run_one(i, 1) for i in range(2000)]
    finally:
        signal.signal(signal.SIGPROF, previous)
    bad = [(status, detail) for status, _, detail in results if status != "ok"]
    assert bad == []
