"""Tests for the container and record formats of newsdesk.ingest: gzip, zip, WARC, feeds, CSV/TSV, size caps.

Every sample is written here, in tmp_path, from short invented stories.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import zipfile
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdesk.clean import clean_document
from newsdesk.ingest import parse_columns, read_paths, sniff_media_type
from newsdesk.ingest.feeds import LINK_ONLY
from newsdesk.model import Article, Dropped, RawDocument

STORY = (
    "The harbour authority in Port Ellis closed the east pier on Monday after a storm damaged its pilings. "
    "Engineers will inspect the deck this week, and the ferry to the islands will leave from the west quay, "
    "a spokeswoman for the authority said. Fishing boats were told to moor elsewhere until further notice."
)
LONG_STORY = " ".join([STORY] * 2)  # comfortably over the 80-word full-text threshold
PAGE = (
    "<html><head><title>Pier closed after storm</title>{meta}</head><body>"
    "<nav><a href='/'>Home</a></nav><article><h1>Pier closed after storm</h1>"
    f"<p>{STORY}</p><p>{STORY.replace('Monday', 'Tuesday')}</p></article></body></html>"
)


def read(*paths: Path | str, **kwargs: object) -> list[RawDocument | Dropped]:
    return list(read_paths([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def docs_of(items: list[RawDocument | Dropped]) -> list[RawDocument]:
    return [d for d in items if isinstance(d, RawDocument)]


def dropped_of(items: list[RawDocument | Dropped]) -> list[Dropped]:
    return [d for d in items if isinstance(d, Dropped)]


# --- gzip and zip -------------------------------------------------------------------------


def test_gzipped_csv_and_gzip_sniffed_without_extension(tmp_path: Path) -> None:
    table = "title,body\nPier closed," + json.dumps(STORY) + "\n"
    (tmp_path / "rows.csv.gz").write_bytes(gzip.compress(table.encode()))
    (tmp_path / "mystery").write_bytes(gzip.compress(PAGE.format(meta="").encode()))
    rows, page = read(tmp_path / "rows.csv.gz", tmp_path / "mystery")
    assert (
        isinstance(rows, RawDocument) and rows.path.endswith("rows.csv.gz:2") and rows.meta == {"title": "Pier closed"}
    )
    assert isinstance(page, RawDocument) and page.media_type == "text/html"


def test_gzip_that_inflates_past_the_cap_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "bomb.txt.gz").write_bytes(gzip.compress(b"a" * 200_000))
    [doc] = read(tmp_path / "bomb.txt.gz", max_bytes=10_000)
    assert isinstance(doc, Dropped) and "decompressed size is over the 10000-byte limit" in doc.reason


def test_zip_members_become_documents_labelled_with_a_bang(tmp_path: Path) -> None:
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.txt", STORY)
        zf.writestr("pages/b.html", PAGE.format(meta=""))
        zf.writestr("feed.jsonl", json.dumps({"text": STORY}) + "\n" + json.dumps({"title": "no text"}) + "\n")
        zf.writestr("pages/c.html.gz", gzip.compress(PAGE.format(meta="").encode()))
        zf.writestr("__MACOSX/pages/._b.html", b"\x00\x05\x16\x07resource fork")
        zf.writestr(".DS_Store", b"\x00\x00\x00\x01Bud1")
        zf.writestr("empty/", b"")
    items = read(archive)
    labels = [d.path.removeprefix(str(archive)) for d in items]
    assert labels == ["!a.txt", "!pages/b.html", "!feed.jsonl:1", "!feed.jsonl:2", "!pages/c.html.gz"]
    assert [getattr(d, "media_type", None) for d in items] == [
        "text/plain",
        "text/html",
        "text/plain",
        None,
        "text/html",
    ]


def test_zip_member_over_the_cap_and_zip_bomb_are_dropped(tmp_path: Path) -> None:
    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("ok.txt", STORY)
        zf.writestr("big.txt", STORY * 100)
        zf.writestr("bomb.txt", b" " * 3_000_000)  # inflates ~1000x: a bomb's signature
    items = read(archive, max_bytes=20_000)
    ok, big, bomb = items
    assert isinstance(ok, RawDocument)
    assert isinstance(big, Dropped) and big.path.endswith("!big.txt") and "over the 20000-byte limit" in big.reason
    assert isinstance(bomb, Dropped) and bomb.path.endswith("!bomb.txt")
    items = read(archive)  # with the default cap the bomb is caught by its inflation ratio
    assert [type(d).__name__ for d in items] == ["RawDocument", "RawDocument", "Dropped"]
    assert "zip bomb" in items[2].reason  # type: ignore[union-attr]


def test_encrypted_member_nested_zip_and_broken_zip(tmp_path: Path) -> None:
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("deep.txt", STORY)
    archive = tmp_path / "outer.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("inner.zip", inner.getvalue())
    locked = io.BytesIO()
    with zipfile.ZipFile(locked, "w") as zf:
        zf.writestr("secret.txt", STORY)
    data = bytearray(locked.getvalue())
    # Set the "encrypted" flag bit in the local and the central header, as a password-protected zip has it.
    data[data.find(b"PK\x03\x04") + 6] |= 0x1
    data[data.find(b"PK\x01\x02") + 8] |= 0x1
    (tmp_path / "locked.zip").write_bytes(bytes(data))
    (tmp_path / "broken.zip").write_bytes(b"PK\x03\x04 this is not really a zip")
    nested, secret_doc, broken = read(archive, tmp_path / "locked.zip", tmp_path / "broken.zip")
    assert isinstance(nested, RawDocument) and nested.path == f"{archive}!inner.zip!deep.txt"
    assert isinstance(secret_doc, Dropped) and "encrypted" in secret_doc.reason
    assert isinstance(broken, Dropped) and "not a valid zip file" in broken.reason


# --- size caps and streaming --------------------------------------------------------------


def test_huge_file_is_refused_by_size_without_reading_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    huge = tmp_path / "huge.html"
    with huge.open("wb") as fh:
        fh.write(b"<html><body><p>")
        fh.truncate(60_000_000)  # sparse: 60 MB on paper, nothing on disk
    from newsdesk import ingest

    def no_full_read(*args: object) -> bytes:
        raise AssertionError("the whole file was read only to be rejected")

    monkeypatch.setattr(ingest, "read_capped", no_full_read)
    [doc] = read(huge)
    assert isinstance(doc, Dropped) and doc.reason == "file is 60000000 bytes, over the 50000000-byte limit"


def test_jsonl_is_streamed_and_an_oversized_line_is_dropped_alone(tmp_path: Path) -> None:
    lines = [json.dumps({"text": STORY}), json.dumps({"text": "x" * 5000}), json.dumps({"text": STORY})]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines) + "\n")
    items = read(tmp_path / "dump.jsonl", max_bytes=1000)
    assert [type(d).__name__ for d in items] == ["RawDocument", "Dropped", "RawDocument"]
    assert items[1].path.endswith(":2") and "over the 1000-byte limit" in items[1].reason  # type: ignore[union-attr]
    assert items[2].path.endswith(":3")


def test_stdin_still_reads_archives_and_sniffs(tmp_path: Path) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("x.txt", STORY)
    [doc] = read("-", stdin=io.BytesIO(buf.getvalue()))
    assert isinstance(doc, RawDocument) and doc.path == "<stdin>!x.txt"


# --- CSV, TSV and column mappings ---------------------------------------------------------


def write_csv(path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8") -> None:
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh, delimiter=delimiter).writerows(rows)


def test_csv_rows_with_the_usual_column_names(tmp_path: Path) -> None:
    multi_paragraph = STORY + '\n\nA second paragraph, with a comma, and "quotes".'
    write_csv(
        tmp_path / "export.csv",
        [
            ["Title", "Body", "Link", "Date", "Source", "Author"],
            ["Pier closed", multi_paragraph, "https://ellis.example/pier", "2021-03-01", "Ellis Daily", "Ana Sol"],
            ["Empty row", "   ", "https://ellis.example/none", "2021-03-02", "Ellis Daily", ""],
            ["Ferry moved", STORY, "", "", "", ""],
        ],
    )
    first, empty, third = read(tmp_path / "export.csv")
    assert isinstance(first, RawDocument) and first.path.endswith("export.csv:2")
    assert first.data.decode() == multi_paragraph
    assert first.meta == {
        "title": "Pier closed", "url": "https://ellis.example/pier", "published": "2021-03-01",
        "publisher": "Ellis Daily", "byline": "Ana Sol",
    }  # fmt: skip
    assert isinstance(empty, Dropped) and empty.path.endswith("export.csv:3") and "row has no text" in empty.reason
    assert isinstance(third, RawDocument) and third.path.endswith(":4") and third.meta == {"title": "Ferry moved"}


def test_tsv_semicolon_csv_and_cp1252(tmp_path: Path) -> None:
    write_csv(tmp_path / "a.tsv", [["headline", "content"], ["Pier", STORY]], delimiter="\t")
    write_csv(
        tmp_path / "b.csv",
        [["titre", "text", "site"], ["Quai", STORY + " Café.", "Gazette du Port"]],
        delimiter=";",
        encoding="cp1252",
    )
    tsv, semi = read(tmp_path / "a.tsv", tmp_path / "b.csv")
    assert isinstance(tsv, RawDocument) and tsv.meta == {"title": "Pier"}
    assert isinstance(semi, RawDocument) and semi.data.decode().endswith("Café.")
    assert semi.meta == {"publisher": "Gazette du Port"}


def test_column_mapping_for_csv_and_jsonl(tmp_path: Path) -> None:
    write_csv(
        tmp_path / "odd.csv",
        [["story_html", "pub_date", "outlet_name"], [f"<p>{STORY}</p>", "2021-03-04", "Coast Wire"]],
    )
    (tmp_path / "odd.jsonl").write_text(json.dumps({"article_text": STORY, "when": "2021-03-05"}) + "\n")
    columns = parse_columns("text=story_html, published=pub_date,publisher=outlet_name")
    [row] = read(tmp_path / "odd.csv", columns=columns)
    assert isinstance(row, RawDocument) and row.media_type == "text/html"
    assert row.meta == {"published": "2021-03-04", "publisher": "Coast Wire"}
    [record] = read(tmp_path / "odd.jsonl", columns=parse_columns("text=article_text,published=when"))
    assert isinstance(record, RawDocument) and record.meta == {"published": "2021-03-05"}
    [missing] = read(tmp_path / "odd.jsonl", columns={"text": "nope"})
    assert isinstance(missing, Dropped) and "'nope'" in missing.reason


def test_table_without_a_text_column_or_with_a_missing_mapped_column(tmp_path: Path) -> None:
    write_csv(tmp_path / "meta.csv", [["title", "url"], ["Pier", "https://ellis.example"]])
    [doc] = read(tmp_path / "meta.csv")
    assert isinstance(doc, Dropped) and "no text column" in doc.reason and "title, url" in doc.reason
    [doc] = read(tmp_path / "meta.csv", columns={"text": "body"})
    assert isinstance(doc, Dropped) and "no column 'body' for text" in doc.reason


def test_parse_columns_rejects_bad_specs() -> None:
    assert parse_columns("text=body,published=pub_date") == {"text": "body", "published": "pub_date"}
    assert parse_columns("") == {}
    with pytest.raises(ValueError, match="FIELD=COLUMN"):
        parse_columns("text")
    with pytest.raises(ValueError, match="unknown field 'colour'"):
        parse_columns("colour=red")
    with pytest.raises(ValueError, match="unknown field"):
        list(read_paths(["x"], columns={"colour": "red"}))


def test_csv_is_sniffed_from_stdin_but_prose_with_commas_is_not() -> None:
    assert sniff_media_type(b"title,text,url\nPier,Closed,https://e.example\n") == "csv"
    assert sniff_media_type(b"id\ttitle\tbody\n1\tPier\tClosed\n") == "tsv"
    assert sniff_media_type(b"Text, like this, has commas.\nSecond line.") == "text/plain"


# --- feeds --------------------------------------------------------------------------------

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
  <title>Ellis Daily</title>
  <link>https://ellis.example/</link>
  <description>News from Port Ellis</description>
  <item>
    <title>Pier closed after storm</title>
    <link>https://ellis.example/2021/03/01/pier</link>
    <pubDate>Mon, 01 Mar 2021 18:30:00 -0500</pubDate>
    <dc:creator>Ana Sol</dc:creator>
    <description>The east pier is shut.</description>
    <content:encoded><![CDATA[<p>{STORY}</p><p>{STORY}</p>]]></content:encoded>
  </item>
  <item>
    <title>Ferry timetable changes</title>
    <link>https://ellis.example/2021/03/02/ferry</link>
    <pubDate>Tue, 02 Mar 2021 09:00:00 GMT</pubDate>
    <description>Ferries will leave from the west quay. Read more on our site.</description>
  </item>
  <item>
    <title>Only a link</title>
    <link>https://ellis.example/2021/03/03/link</link>
  </item>
</channel>
</rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Coast Wire</title>
  <id>urn:uuid:60a76c80-d399-11d9-b93C-0003939e0af6</id>
  <updated>2021-03-04T12:00:00Z</updated>
  <entry>
    <title>Fishing fleet moves to west quay</title>
    <link href="https://coast.example/fleet"/>
    <id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>
    <published>2021-03-04T07:15:00+01:00</published>
    <author><name>Ivo Kern</name></author>
    <summary type="text">{LONG_STORY}</summary>
  </entry>
</feed>
"""


def test_rss_full_text_items_become_documents_and_teasers_are_dropped(tmp_path: Path) -> None:
    (tmp_path / "ellis.rss").write_text(RSS)
    full, teaser, link = read(tmp_path / "ellis.rss")
    assert isinstance(full, RawDocument) and full.path.endswith("ellis.rss:1") and full.media_type == "text/html"
    assert full.meta == {
        "title": "Pier closed after storm", "url": "https://ellis.example/2021/03/01/pier",
        "published": "Mon, 01 Mar 2021 18:30:00 -0500", "publisher": "Ellis Daily", "byline": "Ana Sol",
    }  # fmt: skip
    assert b"east pier on Monday" in full.data
    assert teaser == Dropped(f"{tmp_path / 'ellis.rss'}:2", "ingest", LINK_ONLY)
    assert link == Dropped(f"{tmp_path / 'ellis.rss'}:3", "ingest", LINK_ONLY)
    article = clean_document(full)
    assert isinstance(article, Article) and article.published is not None
    assert article.published.date == "2021-03-01" and article.publisher == "Ellis Daily" and article.byline == "Ana Sol"


def test_atom_feed_with_a_long_summary_sniffed_from_xml_and_stdin(tmp_path: Path) -> None:
    (tmp_path / "wire.xml").write_text(ATOM)
    [entry] = read(tmp_path / "wire.xml")
    assert isinstance(entry, RawDocument) and entry.media_type == "text/plain"
    assert entry.meta["publisher"] == "Coast Wire" and entry.meta["url"] == "https://coast.example/fleet"
    assert entry.meta["published"].startswith("2021-03-04") and entry.meta["byline"] == "Ivo Kern"
    [from_stdin] = read("-", stdin=io.BytesIO(ATOM.encode()))
    assert isinstance(from_stdin, RawDocument) and from_stdin.path == "<stdin>:1"


SHORT_STORY = (
    "The council voted on Tuesday to reopen the east pier after storm repairs. "
    "Work will finish by May, the harbour master said, and fishing boats may moor there from June. "
    "Residents asked for a new railing and better lighting."
)  # 39 words: a short news item, below the 80-word teaser floor for summaries


def test_full_text_in_content_encoded_is_an_article_however_short(tmp_path: Path) -> None:
    rss = f"""<?xml version="1.0"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Ellis Daily</title>
  <item><title>Pier to reopen</title><link>https://ellis.example/pier</link>
    <description>The pier will reopen.</description>
    <content:encoded><![CDATA[<p>{SHORT_STORY}</p>]]></content:encoded></item>
  <item><title>Stub</title><link>https://ellis.example/stub</link>
    <content:encoded><![CDATA[<p>Read the full story on our website.</p>]]></content:encoded></item>
</channel></rss>"""
    (tmp_path / "short.rss").write_text(rss)
    item, stub = read(tmp_path / "short.rss")
    assert isinstance(item, RawDocument) and b"better lighting" in item.data
    assert stub == Dropped(f"{tmp_path / 'short.rss'}:2", "ingest", LINK_ONLY)


def test_full_text_in_atom_html_content_is_an_article_however_short(tmp_path: Path) -> None:
    atom = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Coast Wire</title><id>urn:x</id><updated>2021-03-04T12:00:00Z</updated>
  <entry><title>Pier to reopen</title><link href="https://coast.example/pier"/><id>urn:y</id>
    <updated>2021-03-04T07:15:00Z</updated><summary>The pier will reopen.</summary>
    <content type="html">&lt;p&gt;{SHORT_STORY}&lt;/p&gt;</content></entry>
</feed>"""
    (tmp_path / "wire.atom").write_text(atom)
    [entry] = read(tmp_path / "wire.atom")
    assert isinstance(entry, RawDocument) and b"better lighting" in entry.data


def test_broken_and_empty_feeds_are_dropped(tmp_path: Path) -> None:
    (tmp_path / "empty.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
    )
    [doc] = read(tmp_path / "empty.rss")
    assert isinstance(doc, Dropped) and doc.reason == "feed has no items"


# --- WARC ---------------------------------------------------------------------------------


def write_warc(path: Path, compress: bool) -> None:
    dated_page = PAGE.format(meta='<meta property="article:published_time" content="2021-02-27T10:00:00Z">')
    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=compress)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test-crawler/1.0"}))

        def response(
            uri: str, status: str, ctype: str, body: bytes, extra: list[tuple[str, str]] | None = None
        ) -> None:
            http = StatusAndHeaders(status, [("Content-Type", ctype), *(extra or [])], protocol="HTTP/1.1")
            request = StatusAndHeaders("GET / HTTP/1.1", [("Host", "ellis.example")], is_http_request=True)
            date = {"WARC-Date": "2021-03-20T08:00:00Z"}
            writer.write_record(
                writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=request)
            )
            writer.write_record(
                writer.create_warc_record(
                    uri, "response", payload=io.BytesIO(body), http_headers=http, warc_headers_dict=date
                )
            )

        response("https://ellis.example/pier", "200 OK", "text/html; charset=utf-8", dated_page.encode())
        response("https://ellis.example/undated", "200 OK", "text/html", PAGE.format(meta="").encode())
        response("https://ellis.example/logo.png", "200 OK", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(50))
        response("https://ellis.example/gone", "404 Not Found", "text/html", b"<html><body>Not found</body></html>")
        response(
            "https://ellis.example/old", "301 Moved", "text/html", b"", [("Location", "https://ellis.example/pier")]
        )
        meta = writer.create_warc_record(
            "https://ellis.example/pier", "metadata", payload=io.BytesIO(b"outlink: https://ellis.example/"),
            warc_content_type="application/warc-fields",
        )  # fmt: skip
        writer.write_record(meta)


@pytest.mark.parametrize("name,compress", [("crawl.warc", False), ("crawl.warc.gz", True)])
def test_warc_html_responses_become_articles(tmp_path: Path, name: str, compress: bool) -> None:
    write_warc(tmp_path / name, compress)
    items = read(tmp_path / name)
    pages = docs_of(items)
    assert [p.path.removeprefix(str(tmp_path / name)) for p in pages] == [
        "!https://ellis.example/pier", "!https://ellis.example/undated",
    ]  # fmt: skip
    assert all(p.media_type == "text/html" for p in pages)
    assert pages[0].meta == {"url": "https://ellis.example/pier", "crawled": "2021-03-20"}
    reasons = {d.path.rsplit("!", 1)[1]: d.reason for d in dropped_of(items)}
    assert reasons == {
        "https://ellis.example/logo.png": "WARC response is image/png, not HTML",
        "https://ellis.example/gone": "HTTP status 404",
        "https://ellis.example/old": "HTTP status 301 (redirect to https://ellis.example/pier)",
    }


def test_warc_crawl_date_is_only_a_fallback_for_the_publication_date(tmp_path: Path) -> None:
    write_warc(tmp_path / "crawl.warc.gz", True)
    dated, undated = (clean_document(p) for p in docs_of(read(tmp_path / "crawl.warc.gz")))
    assert isinstance(dated, Article) and dated.published is not None and dated.published.date == "2021-02-27"
    assert isinstance(undated, Article) and undated.published is not None and undated.published.date == "2021-03-20"
    assert dated.url == "https://ellis.example/pier"


def test_truncated_warc_keeps_what_came_before(tmp_path: Path) -> None:
    write_warc(tmp_path / "crawl.warc", False)
    data = (tmp_path / "crawl.warc").read_bytes()
    cut = data.index(b"</article>", data.index(b"https://ellis.example/undated"))
    (tmp_path / "cut.warc").write_bytes(data[:cut])  # the second page stops halfway
    first, second = read(tmp_path / "cut.warc")
    assert isinstance(first, RawDocument) and first.path.endswith("!https://ellis.example/pier")
    assert isinstance(second, Dropped) and second.path.endswith("!https://ellis.example/undated")
    assert second.reason == "WARC record is truncated (the archive is cut short)"


def test_warc_http_content_encoding_is_undone_and_binary_payloads_dropped(tmp_path: Path) -> None:
    with (tmp_path / "enc.warc").open("wb") as fh:
        writer = WARCWriter(fh, gzip=False)
        for uri, body, encoding in (
            ("https://ellis.example/gz", gzip.compress(PAGE.format(meta="").encode()), "gzip"),
            ("https://ellis.example/br", b"\x1b\x00\x01\x02\x03\x04" * 20, "br"),
        ):
            http = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html"), ("Content-Encoding", encoding)], protocol="HTTP/1.1"
            )
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http))
    page, brotli = read(tmp_path / "enc.warc")
    assert isinstance(page, RawDocument) and page.data == PAGE.format(meta="").encode()
    assert isinstance(brotli, Dropped) and "binary" in brotli.reason


def test_parquet_rows_are_documents_and_a_damaged_file_is_dropped(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed (pip install 'newsdesk[spark]')")
    import pyarrow.parquet as pq

    table = pa.table({
        "title": ["Dam gives way", "Council votes"],
        "body": ["Water poured through the breach overnight. " * 5, "The council approved the line. " * 5],
        "url": ["https://a.example/1", None],
    })
    good = tmp_path / "archive.parquet"
    pq.write_table(table, good)
    renamed = tmp_path / "no-extension"  # sniffed by its magic bytes, not its name
    renamed.write_bytes(good.read_bytes())
    damaged = tmp_path / "damaged.parquet"
    damaged.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    items = list(read_paths([str(good), str(renamed), str(damaged)]))
    docs = [i for i in items if isinstance(i, RawDocument)]
    assert [d.path for d in docs] == [f"{good}:1", f"{good}:2", f"{renamed}:1", f"{renamed}:2"]
    assert docs[0].meta["title"] == "Dam gives way" and docs[0].meta["url"] == "https://a.example/1"
    dropped = [i for i in items if isinstance(i, Dropped)]
    assert [d.path for d in dropped] == [str(damaged)]
    assert "unreadable Parquet file" in dropped[0].reason


def test_a_zip_cut_at_the_front_drops_the_member_it_cannot_reach_and_reads_the_rest(tmp_path) -> None:
    # Found by bench/fuzz.py: the central directory then points before the file's start,
    # and zipfile raises ValueError (a negative seek) when a member is opened.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("one.txt", "The council met on Tuesday. " * 40)
        z.writestr("two.txt", "The port reopened on Monday. " * 40)
    cut = tmp_path / "cut.zip"
    cut.write_bytes(buf.getvalue()[200:])
    items = list(read_paths([str(cut)]))
    dropped = [i for i in items if isinstance(i, Dropped)]
    assert [d.path.rsplit("!", 1)[-1] for d in dropped] == ["one.txt"]
    assert "zip member unreadable" in dropped[0].reason
    assert [i.path.rsplit("!", 1)[-1] for i in items if isinstance(i, RawDocument)] == ["two.txt"]


def test_a_zip_asking_for_a_zip_version_python_cannot_read_is_dropped_with_a_reason(tmp_path) -> None:
    # Found by bench/fuzz.py (1M run): flipped bytes in the central directory's "version needed
    # to extract" made zipfile raise NotImplementedError while listing the members.
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("one.txt", "The council met on Tuesday. " * 40)
    data = bytearray(buf.getvalue())
    central = data.index(b"PK\x01\x02")
    data[central + 6 : central + 8] = (207).to_bytes(2, "little")
    odd = tmp_path / "odd.zip"
    odd.write_bytes(bytes(data))
    items = list(read_paths([str(odd)]))
    assert len(items) == 1 and isinstance(items[0], Dropped)
    assert "not a valid zip file" in items[0].reason and "20.7" in items[0].reason


def test_a_zip_member_with_an_empty_name_is_read_or_dropped_never_raises(tmp_path) -> None:
    # Found by bench/fuzz.py (1M run): ZipInfo.is_dir() raised IndexError on an empty member name.
    import struct
    import zlib

    body = b"The council met on Tuesday and approved the budget. " * 20
    crc = zlib.crc32(body)
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 0, 0, 0, crc, len(body), len(body), 0, 0) + body
    central = struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 0, 0, 0, crc, len(body), len(body), 0, 0, 0, 0, 0, 0, 0)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), len(local), 0)
    odd = tmp_path / "noname.zip"
    odd.write_bytes(local + central + end)
    assert [m.filename for m in zipfile.ZipFile(odd).infolist()] == [""]
    items = list(read_paths([str(odd)]))
    assert items and all(isinstance(i, RawDocument | Dropped) for i in items)
    assert all(i.path.split(":")[0].endswith("!(a member with no name)") for i in items)
