"""Tests for newsdesk.ingest: paths, folders, stdin, JSON records, and bad input as Dropped."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from newsdesk.ingest import looks_binary, read_paths, sniff_media_type
from newsdesk.model import Dropped, RawDocument

STORY = "The harbour authority closed the east pier on Monday after storm damage.\n"
PAGE = "<html><body><p>The harbour authority closed the east pier.</p></body></html>"


def read(*paths: Path | str, **kwargs: object) -> list[RawDocument | Dropped]:
    return list(read_paths([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def test_text_and_html_files_get_their_media_types(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "b.md").write_text(STORY)
    (tmp_path / "c.htm").write_text(PAGE)
    (tmp_path / "d.xhtml").write_text(PAGE)
    docs = read(tmp_path / "a.txt", tmp_path / "b.md", tmp_path / "c.htm", tmp_path / "d.xhtml")
    assert [d.media_type for d in docs if isinstance(d, RawDocument)] == [
        "text/plain",
        "text/plain",
        "text/html",
        "text/html",
    ]
    assert docs[0].data == STORY.encode()  # type: ignore[union-attr]


def test_folder_is_read_recursively_sorted_without_hidden_entries(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text(STORY)
    (tmp_path / "a.txt").write_text(STORY)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.txt").write_text(STORY)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text(STORY)
    (tmp_path / ".hidden.txt").write_text(STORY)
    paths = [Path(d.path).relative_to(tmp_path).as_posix() for d in read(tmp_path)]
    assert paths == ["a.txt", "b.txt", "sub/c.txt"]


def test_missing_path_is_dropped_and_the_run_goes_on(tmp_path: Path) -> None:
    (tmp_path / "ok.txt").write_text(STORY)
    docs = read(tmp_path / "nope.txt", tmp_path / "ok.txt")
    assert docs[0] == Dropped(str(tmp_path / "nope.txt"), "ingest", "no such file or folder")
    assert isinstance(docs[1], RawDocument)


def test_empty_file_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("  \n\n")
    [doc] = read(tmp_path / "empty.txt")
    assert isinstance(doc, Dropped) and doc.reason == "empty file"


def test_binary_file_is_dropped_even_with_a_text_extension(tmp_path: Path) -> None:
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    [doc] = read(tmp_path / "image.txt")
    assert isinstance(doc, Dropped) and "binary" in doc.reason


def test_utf16_text_is_not_taken_for_binary() -> None:
    assert not looks_binary(STORY.encode("utf-16"))
    assert looks_binary(b"abc\x00def")


def test_file_over_the_size_limit_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text(STORY * 10)
    [doc] = read(tmp_path / "big.txt", max_bytes=100)
    assert isinstance(doc, Dropped) and "limit" in doc.reason


def test_jsonl_gives_one_document_per_record_with_aliases(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "title": "Pier Closed",
                "body": STORY,
                "date": "2021-03-01",
                "source": "Harbour News",
                "link": "https://h.example/1",
            }
        ),
        "{not json",
        json.dumps({"title": "No text here"}),
        "",
        json.dumps({"content": PAGE, "site": {"name": "Coast Wire"}}),
    ]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n")
    docs = read(tmp_path / "feed.jsonl")
    first, bad, notext, html = docs
    assert isinstance(first, RawDocument) and first.path.endswith("feed.jsonl:1")
    assert first.media_type == "text/plain" and first.data == STORY.encode()
    assert first.meta == {
        "title": "Pier Closed",
        "url": "https://h.example/1",
        "published": "2021-03-01",
        "publisher": "Harbour News",
    }
    assert isinstance(bad, Dropped) and bad.path.endswith(":2") and "malformed JSON" in bad.reason
    assert isinstance(notext, Dropped) and notext.path.endswith(":3") and "no text" in notext.reason
    assert isinstance(html, RawDocument) and html.path.endswith(":5") and html.media_type == "text/html"
    assert html.meta == {"publisher": "Coast Wire"}
    assert all("\n" not in d.reason for d in docs if isinstance(d, Dropped))


def test_json_file_with_a_list_of_records(tmp_path: Path) -> None:
    (tmp_path / "items.json").write_text(json.dumps([{"text": STORY}, {"text": STORY, "pubdate": "2020"}]))
    docs = read(tmp_path / "items.json")
    assert [d.path.rsplit(":", 1)[1] for d in docs] == ["1", "2"]
    assert docs[1].meta == {"published": "2020"}  # type: ignore[union-attr]


def test_malformed_json_file_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "broken.json").write_text('[{"text": "a"')
    [doc] = read(tmp_path / "broken.json")
    assert isinstance(doc, Dropped) and "malformed JSON" in doc.reason


def test_gzipped_html_and_jsonl_are_read(tmp_path: Path) -> None:
    (tmp_path / "page.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "feed.ndjson.gz").write_bytes(gzip.compress(json.dumps({"text": STORY}).encode()))
    (tmp_path / "bad.txt.gz").write_bytes(b"not gzip at all")
    docs = read(tmp_path / "page.html.gz", tmp_path / "feed.ndjson.gz", tmp_path / "bad.txt.gz")
    assert isinstance(docs[0], RawDocument) and docs[0].media_type == "text/html" and docs[0].data == PAGE.encode()
    assert isinstance(docs[1], RawDocument) and docs[1].path.endswith("feed.ndjson.gz:1")
    assert isinstance(docs[2], Dropped) and "gzip" in docs[2].reason


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    (tmp_path / "story.dat").write_text(STORY)
    (tmp_path / "page.php").write_text(PAGE)
    (tmp_path / "blob.bin").write_bytes(bytes(range(256)))
    docs = read(tmp_path / "story.dat", tmp_path / "page.php", tmp_path / "blob.bin")
    assert [getattr(d, "media_type", None) for d in docs] == ["text/plain", "text/html", None]
    assert isinstance(docs[2], Dropped)


def test_stdin_is_sniffed_as_jsonl_html_or_text() -> None:
    jsonl = (json.dumps({"text": STORY}) + "\n" + json.dumps({"text": STORY}) + "\n").encode()
    docs = read("-", stdin=io.BytesIO(jsonl))
    assert [d.path for d in docs] == ["<stdin>:1", "<stdin>:2"]
    [page] = read("-", stdin=io.BytesIO(PAGE.encode()))
    assert isinstance(page, RawDocument) and page.media_type == "text/html"
    [text] = read("-", stdin=io.BytesIO(STORY.encode()))
    assert isinstance(text, RawDocument) and text.media_type == "text/plain"
    [empty] = read("-", stdin=io.BytesIO(b""))
    assert isinstance(empty, Dropped)


def test_sniff_media_type() -> None:
    assert sniff_media_type(b'[{"text": "x"}]') == "json"
    assert sniff_media_type(b'{"text": "x"}\n{"text": "y"}') == "jsonl"
    assert sniff_media_type(b"<!DOCTYPE html><html></html>") == "text/html"
    assert sniff_media_type(b"Plain words, no markup.") == "text/plain"
    assert sniff_media_type(b"\x00\x01\x02") == "binary"


def test_seed_folder_reads_as_five_text_documents(seeds: Path) -> None:
    docs = read(seeds)
    assert len(docs) == 5 and all(isinstance(d, RawDocument) and d.media_type == "text/plain" for d in docs)


def test_a_folder_link_loop_is_listed_as_dropped_and_each_file_read_once(tmp_path: Path) -> None:
    nested = tmp_path / "pile" / "nested"
    nested.mkdir(parents=True)
    (nested / "a.txt").write_text("The pier reopened on Monday after repairs.")
    (nested / "loop").symlink_to("..")
    items = read(tmp_path / "pile")
    docs = [i for i in items if isinstance(i, RawDocument)]
    drops = [i for i in items if isinstance(i, Dropped)]
    assert [Path(d.path).name for d in docs] == ["a.txt"]
    assert len(drops) == 1 and drops[0].path == str(nested / "loop")
    assert drops[0].reason == f"folder link loop: {tmp_path / 'pile'} is already read"


def test_a_linked_folder_is_followed_and_a_dangling_one_reported(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text("Ferries will leave from the west quay from June.")
    pile = tmp_path / "pile"
    pile.mkdir()
    (pile / "linked").symlink_to(elsewhere)
    (pile / "gone").symlink_to(tmp_path / "missing")
    items = read(pile)
    assert [Path(i.path).name for i in items if isinstance(i, RawDocument)] == ["b.txt"]
    [gone] = [i for i in items if isinstance(i, Dropped)]
    assert gone.path == str(pile / "gone") and gone.reason.startswith("cannot read")
