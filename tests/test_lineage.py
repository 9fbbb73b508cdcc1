"""Lineage: copies found by containment, origins chosen by repost traces, date and completeness."""

from __future__ import annotations

from newsdesk.lineage import copy_groups, find_copies, origins
from newsdesk.model import Article, PubDate, article_id

WIRE = [
    "Flood waters rose along the river on Tuesday as engineers opened the spillway gates at the old dam.",
    "About 12,000 residents of the valley were told to leave their homes before nightfall, officials said.",
    "The regional governor, Marta Velkova, said the emergency crews had worked through the night.",
    "Schools in three towns will stay closed until the end of the week while the water recedes.",
    "Farmers said the harvest in the lower fields was already lost and asked for compensation.",
    "Rail services between the two largest towns were suspended after a bridge was damaged.",
    "Forecasters expect more rain over the weekend, which could push the river higher again.",
    "The dam, built in the 1960s, has been criticised by engineers for years over its ageing gates.",
    "A spokesman for the water authority declined to comment on the inspection reports.",
    "Relief agencies set up shelters in sports halls and schools on higher ground.",
]


def art(text: str, path: str, *, signals: set[str] | None = None, published: str | None = None) -> Article:
    return Article(
        id=article_id(text), path=path, text=text, signals=signals or set(),
        published=PubDate(published, "day", "text") if published else None,
    )


def test_flattened_truncated_repost_points_to_the_wire_original() -> None:
    original = art("\n\n".join(WIRE), "wire.txt")
    repost = art(" ".join(WIRE[:6]) + " Rail services between […]", "repost.txt", signals={"flattened", "truncated"})
    links = find_copies([repost, original])
    assert len(links) == 1
    assert links[0].copy == repost.id and links[0].origin == original.id
    assert links[0].kind == "truncated"
    assert links[0].containment > 0.9


def test_excerpt_of_a_fifth_of_the_story_is_still_found() -> None:
    original = art("\n\n".join(WIRE * 1), "wire.txt")
    excerpt = art(" ".join(WIRE[4:7]), "excerpt.txt")
    links = find_copies([original, excerpt])
    assert [(l.copy, l.kind) for l in links] == [(excerpt.id, "excerpt")]


def test_exact_and_near_copies() -> None:
    original = art("\n\n".join(WIRE), "a.txt")
    exact = art(" ".join(WIRE), "b.txt", published="2021-05-04")
    near = art("\n\n".join(WIRE).replace("Tuesday", "Wednesday"), "c.txt", published="2021-05-05")
    links = {l.copy: l for l in find_copies([original, exact, near])}
    # The earliest dated version is the origin; an undated one never wins over it.
    assert {l.origin for l in links.values()} == {exact.id}
    assert links[original.id].kind == "exact"
    assert links[near.id].kind == "near"


def test_independent_reports_sharing_one_quoted_statement_are_not_copies() -> None:
    statement = "We will not rest until every family is back in a safe home, the governor said in a statement."
    a = art(statement + " " + " ".join(WIRE[:5]), "a.txt")
    b = art(
        "Opposition politicians accused the government of ignoring warnings about the dam for a decade. "
        + statement
        + " Critics pointed to a report from last year that found rust on two of the four spillway gates. "
        "The environment ministry said a full review would be published in the autumn. "
        "Local businesses estimated losses in the millions and said insurers were slow to respond.",
        "b.txt",
    )
    assert find_copies([a, b]) == []


def test_origin_is_the_one_without_repost_traces_then_earliest() -> None:
    early = art("\n\n".join(WIRE), "early.txt", published="2021-05-03")
    late = art("\n\n".join(WIRE), "late.txt", published="2021-05-09")
    late.id = "late"
    links = find_copies([late, early])
    assert links[0].origin == early.id
    assert origins([late, early], links) == [early.id]


def test_short_texts_and_empty_input() -> None:
    assert find_copies([]) == []
    assert find_copies([art("Too short.", "a"), art("Too short.", "b")]) == []


def test_copy_groups_are_connected_components() -> None:
    assert copy_groups(5, [(0, 1), (1, 3)]) == [[0, 1, 3]]
