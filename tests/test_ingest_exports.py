"""Tests for news-database exports (Nexis, Nexis Uni, Factiva, ProQuest) in newsdesk.ingest.

The samples imitate each database's text layout with invented stories.
"""

from __future__ import annotations

from pathlib import Path

from newsdesk.clean import clean_document
from newsdesk.ingest import looks_like_export, read_paths, sniff_media_type
from newsdesk.ingest.exports import parse_export, split_export
from newsdesk.model import Article, Dropped, RawDocument

PIER = (
    "PORT ELLIS -- The harbour authority said on Sunday that the east pier would stay shut for at least six weeks "
    "while engineers repair the storm damage to its pilings and to the wooden deck above them."
)
PIER_2 = '"We will not reopen it until it is safe," the authority\'s director, Ilse Varga, told reporters.'
FERRY = (
    "All ferry crossings to the northern islands were cancelled on Monday as gales of up to ninety kilometres an hour "
    "swept the coast, and the operator said it would review the timetable again on Tuesday morning."
)
TRAM = (
    "The city council postponed its vote on the tram extension on Tuesday after two members asked for a new "
    "estimate of the cost, which officials now put at about 340 million euros over four years."
)
STADIUM = (
    "The planning board approved the new stadium on Wednesday after a debate that lasted more than six hours, "
    "with residents on both sides of the river queuing to speak for and against the plan."
)

FACTIVA = f"""Harbour pier to stay shut for repairs

By Mara Quint
412 words
14 March 2021
Coastal Herald
COASTH
Final Edition
3
English
Copyright 2021 Coastal Herald Media. All Rights Reserved.

{PIER}

{PIER_2}

Document COASTH0020210314eh3e0000b



Ferry crossings cancelled as gales batter the islands

By Tomas Reyes
356 words
15 March 2021
Coastal Herald
COASTH
English
Copyright 2021 Coastal Herald Media. All Rights Reserved.

{FERRY}

Document COASTH0020210315eh3f0000c
"""

NEXIS_UNI = f"""Ferry crossings cancelled as gales batter the islands
The Island Courier
March 15, 2021 Monday
Main Edition

Copyright 2021 Island Courier Ltd All Rights Reserved

Section: NEWS; Pg. 4
Length: 356 words
Byline: Tomas Reyes
Dateline: NORTH ISLE

Body


{FERRY}

Passengers were offered refunds.

Load-Date: March 16, 2021


End of Document

Council delays vote on tram extension
The Valley Gazette
March 16, 2021 Tuesday

Length: 289 words
Byline: Petra Lind

Body

{TRAM}

Load-Date: March 17, 2021


End of Document
"""

OLD_NEXIS = f"""                              1 of 2 DOCUMENTS

                              The Valley Gazette

                           March 16, 2021 Tuesday
                              Final Edition

Council delays vote on tram extension

BYLINE: Petra Lind

SECTION: LOCAL; Pg. A2

LENGTH: 289 words

DATELINE: RIVERTON

{TRAM}

Opponents said they would keep campaigning.

LOAD-DATE: March 17, 2021

LANGUAGE: ENGLISH

PUBLICATION-TYPE: Newspaper

                              Copyright 2021 Valley Gazette Co.


                              2 of 2 DOCUMENTS

                              The Valley Gazette

                           March 17, 2021 Wednesday

Short brief

LENGTH: 12 words

LOAD-DATE: March 18, 2021
"""

PROQUEST = f"""Search results

Document 1 of 2

Stadium plan wins approval after long debate

Author: Okafor, Nneka

Publication info: The Metro Ledger; Riverton [Riverton]. 17 Mar 2021: A.5.

ProQuest document link

Full text: {STADIUM}

The club will pay for the access roads.

Subject: Stadiums; Urban planning

Publication title: The Metro Ledger; Riverton

Publication date: Mar 17, 2021

Document URL: https://search.example/docview/123
____________________________________________________________

Document 2 of 2

Tram vote delayed

Publication info: The Valley Gazette; Riverton. 16 Mar 2021: A.2.

Full text: {TRAM}

Publication title: The Valley Gazette
____________________________________________________________
"""

FACTIVA_TAGGED = f"""HD       Harbour pier to stay shut for repairs
BY       By Mara Quint
WC       412 words
PD       14 March 2021
SN       Coastal Herald
SC       COASTH
LA       English
CY       Copyright 2021 Coastal Herald Media. All Rights Reserved.
LP
{PIER}

TD
{PIER_2}

CO       ellhar : Ellis Harbour Authority
NS       gweath : Weather
AN       Document COASTH0020210314eh3e0000b
"""


def read(tmp_path: Path, name: str, text: str) -> list[RawDocument | Dropped]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return list(read_paths([str(tmp_path / name)]))


def test_factiva_article_format(tmp_path: Path) -> None:
    first, second = read(tmp_path, "factiva.txt", FACTIVA)
    assert isinstance(first, RawDocument) and first.path.endswith("factiva.txt:1") and first.media_type == "text/plain"
    assert first.meta == {
        "title": "Harbour pier to stay shut for repairs", "publisher": "Coastal Herald",
        "published": "14 March 2021", "byline": "Mara Quint",
    }  # fmt: skip
    assert first.data.decode() == f"{PIER}\n\n{PIER_2}"
    assert isinstance(second, RawDocument) and second.meta["title"].startswith("Ferry crossings")
    assert second.data.decode() == FERRY


def test_nexis_uni_format(tmp_path: Path) -> None:
    ferry, tram = read(tmp_path, "nexis.txt", NEXIS_UNI)
    assert isinstance(ferry, RawDocument) and ferry.meta == {
        "title": "Ferry crossings cancelled as gales batter the islands", "publisher": "The Island Courier",
        "published": "March 15, 2021 Monday", "byline": "Tomas Reyes", "section": "NEWS; Pg. 4",
    }  # fmt: skip
    assert ferry.data.decode() == f"{FERRY}\n\nPassengers were offered refunds."
    assert isinstance(tram, RawDocument) and tram.meta["publisher"] == "The Valley Gazette"
    assert tram.data.decode() == TRAM


def test_old_nexis_format_with_publisher_first_and_a_bodiless_brief(tmp_path: Path) -> None:
    tram, brief = read(tmp_path, "academic.txt", OLD_NEXIS)
    assert isinstance(tram, RawDocument) and tram.meta == {
        "title": "Council delays vote on tram extension", "publisher": "The Valley Gazette",
        "published": "March 16, 2021 Tuesday", "byline": "Petra Lind", "section": "LOCAL; Pg. A2",
    }  # fmt: skip
    assert tram.data.decode() == f"{TRAM}\n\nOpponents said they would keep campaigning."
    assert brief == Dropped(f"{tmp_path / 'academic.txt'}:2", "ingest", "export document has no article body")


def test_proquest_format_with_cover_page_and_trailer_fields(tmp_path: Path) -> None:
    cover, stadium, tram = read(tmp_path, "proquest.txt", PROQUEST)
    assert isinstance(cover, Dropped) and "cover page" in cover.reason
    assert isinstance(stadium, RawDocument) and stadium.path.endswith("proquest.txt:1")
    assert stadium.meta == {
        "title": "Stadium plan wins approval after long debate", "publisher": "The Metro Ledger",
        "published": "Mar 17, 2021", "byline": "Okafor, Nneka",
    }  # fmt: skip
    assert stadium.data.decode() == f"{STADIUM}\n\nThe club will pay for the access roads."
    assert isinstance(tram, RawDocument) and tram.meta == {
        "title": "Tram vote delayed", "publisher": "The Valley Gazette", "published": "16 Mar 2021",
    }  # fmt: skip


def test_factiva_tagged_format() -> None:
    _, [segment] = split_export(FACTIVA_TAGGED)
    article = parse_export(segment)
    assert article.meta == {
        "title": "Harbour pier to stay shut for repairs", "byline": "Mara Quint",
        "published": "14 March 2021", "publisher": "Coastal Herald",
    }  # fmt: skip
    assert article.body == f"{PIER}\n\n{PIER_2}"


def test_export_articles_clean_with_their_header_fields(tmp_path: Path) -> None:
    first, _ = read(tmp_path, "factiva.txt", FACTIVA)
    article = clean_document(first)  # type: ignore[arg-type]
    assert isinstance(article, Article)
    assert article.title == "Harbour pier to stay shut for repairs" and article.byline == "Mara Quint"
    assert article.published is not None and (article.published.date, article.published.source) == (
        "2021-03-14",
        "metadata",
    )
    assert article.text.startswith("PORT ELLIS -- The harbour authority")


def test_export_detection_by_content_not_extension(tmp_path: Path) -> None:
    assert looks_like_export(NEXIS_UNI) and looks_like_export(FACTIVA) and looks_like_export(OLD_NEXIS)
    assert not looks_like_export(f"{PIER}\n\nThe document was signed by 12 of 20 members.\n")
    assert sniff_media_type(PROQUEST.encode()) == "export"
    [doc] = read(tmp_path, "plain.txt", f"Pier shut\n\n{PIER}\n")
    assert isinstance(doc, RawDocument) and doc.meta == {} and doc.path.endswith("plain.txt")
    docs = read(tmp_path, "download", NEXIS_UNI)  # no extension: sniffed
    assert [d.path.rsplit(":", 1)[1] for d in docs] == ["1", "2"]
