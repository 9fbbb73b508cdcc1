"""Briefing: items merged across copies, timeline order, series, summary selection rules."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from newsdesk.briefing import mmr, quotes, series, timeline
from newsdesk.compare.passages import NearDuplicates, is_summary_worthy, passages
from newsdesk.model import Annotations, Article, DateMention, Figure, Quote, Sentence
from newsdesk.timeml import value_start


def article(aid: str, text: str, **layers: list) -> Article:
    sentences, pos = [], 0
    for part in text.split(" | "):
        start = text.index(part, pos)
        sentences.append(Sentence(start, start + len(part)))
        pos = start + len(part)
    return Article(id=aid, path=f"{aid}.txt", text=text, annotations=Annotations(sentences=sentences, **layers))


def test_timeml_values_order_by_their_first_day() -> None:
    assert value_start("2020-01-22") == date(2020, 1, 22)
    assert value_start("2020-01") == date(2020, 1, 1)
    assert value_start("2020-W04") == date(2020, 1, 20)
    assert value_start("2020-Q2") == date(2020, 4, 1)
    assert value_start("2020-SU") == date(2020, 6, 1)
    assert value_start("2020") == date(2020, 1, 1)
    assert value_start("PAST_REF") is None


def test_headings_questions_and_fragments_are_not_summary_sentences() -> None:
    assert not is_summary_worthy("1. SECURITY COULD WORSEN")
    assert not is_summary_worthy("So how could the drawdown help the insurgents and their backers?")
    assert not is_summary_worthy("Too short to say much.")
    assert is_summary_worthy("The council voted on Tuesday to approve the new tram line by a wide margin.")
    # What an embedded post leaves in the page's text is no summary sentence.
    assert not is_summary_worthy(
        "Love trumps hate. pic.twitter.com/x1Y2z3 SIGN UP FOR OUR NEWSLETTER — Jane Roe (@JaneRoe) July 23, 2016</tweet>."
    )
    assert not is_summary_worthy("Read the full statement at https://example.org/statement on the council's site.")
    assert not is_summary_worthy("The mayor (@MayorOfTown) wrote that the tram line would open next spring as planned.")
    assert is_summary_worthy("The mayor said the council's website, which crashed on Monday, would be back by Friday.")
    # A title left in the body is no sentence of the story; a sentence full of names still is.
    assert not is_summary_worthy("Read Live Updates On The 2016 Tram Line Vote In The City Council.")
    assert is_summary_worthy("Mayor Ilse Brandauer, Councillor Piet Vander and Judge Anna Marsh met Tuesday in Kessel.")
    assert is_summary_worthy("President Anna Marsh met Chancellor Piet Vander in The Hague on Tuesday to sign it.")


def test_sentence_repeated_in_a_copy_is_one_passage_citing_both() -> None:
    text = "The council voted on Tuesday to approve the new tram line. | Work starts in spring."
    a, b = article("a", text), article("b", text.replace(" | ", " "))
    b.annotations.sentences[:] = [Sentence(0, 58), Sentence(59, len(b.text))]
    ps = passages([a, b])
    assert len(ps) == 2
    assert [c.article for c in ps[0].citations] == ["a", "b"]


def test_timeline_is_in_date_order_and_cites_the_sentence() -> None:
    text = "The old dam was built in 1964. | Engineers opened the gates on 3 May. | More rain is expected in June."
    s2 = text.split(" | ")[1]
    a = article(
        "a", text,
        dates=[
            DateMention(text.index("June"), text.index("June") + 4, "June", "2021-06", "month"),
            DateMention(text.index("3 May"), text.index("3 May") + 5, "3 May", "2021-05-03", "day"),
            DateMention(text.index("1964"), text.index("1964") + 4, "1964", "1964", "year"),
            DateMention(0, 3, "now", "PRESENT_REF", None),
        ],
    )
    events = timeline([a])
    # Undated: told from 3 May (June is looked ahead to), so 1964 is background, listed after.
    assert [(e.date, e.background) for e in events] == [("2021-05-03", False), ("2021-06", False), ("1964", True)]
    assert events[0].text == s2
    c = events[0].citations[0]
    assert a.text[c.start : c.end] == s2


def test_the_same_quote_in_a_copy_is_shown_once_with_both_citations() -> None:
    text = "“We will rebuild,” said Marta Velkova."
    q = Quote(1, 16, "We will rebuild", "Marta Velkova", "governor", "said", True)
    items = quotes([article("a", text, quotes=[q]), article("b", text, quotes=[q])])
    assert len(items) == 1 and len(items[0].citations) == 2


def test_series_tracks_one_quantity_over_time() -> None:
    text = "About 12,000 residents left. | Only 9,500 residents remain displaced."
    f1 = Figure(0, 12, "About 12,000 residents", 12000, "about", "residents", as_of="2021-05-03")
    f2 = Figure(35, 40, "9,500 residents", 9500, None, "residents", as_of="2021-05-10")
    out = series([article("b", text, figures=[f2]), article("a", text, figures=[f1])])
    assert len(out) == 1
    assert [p.value for p in out[0].points] == [12000, 9500]


def test_mmr_skips_redundant_sentences_and_covers_sources() -> None:
    v = np.array([[1.0, 0.0], [0.999, 0.045], [0.6, 0.8]], dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    chosen = mmr(v, np.array([0.9, 0.89, 0.5]), ["a", "a", "b"], k=3)
    assert chosen == [0, 2]


def test_an_edited_copy_of_a_sentence_is_the_same_sentence() -> None:
    groups = NearDuplicates()
    a = groups.group("The dam, about 40 kilometers (25 miles) east of the city, began to give way on Tuesday night.")
    b = groups.group("The dam, about 40 kilometres east of the city, began to give way on Tuesday night.")
    c = groups.group("Schools in three towns will stay closed until the end of the week.")
    assert a == b != c


def test_a_piece_of_a_longer_quotation_is_not_a_summary_sentence() -> None:
    assert not is_summary_worthy("“The reservoir is empty, the river is back inside its banks and the forecast is dry.")


def test_a_partial_quote_inside_a_fuller_one_of_the_same_speaker_is_shown_once_as_the_fuller() -> None:
    full = "The floods have eased, but the rivers could rise again if the dams are not repaired this summer."
    part = "could rise again if the dams are not repaired"
    text_a = f"“{full}” said Ilse Varga, the water minister."
    text_b = f"Varga warned the rivers “{part}.” | Other officials were calmer."
    qa = Quote(1, 1 + len(full), full, "Ilse Varga", "water minister", "said", True)
    sb = text_b.index(part)
    qb = Quote(sb, sb + len(part), part, "Varga", None, "warned", True)
    # Another speaker's identical words stay their own item.
    text_c = f"“{part},” said Tomas Brel."
    qc = Quote(1, 1 + len(part), part, "Tomas Brel", None, "said", True)
    items = quotes([article("a", text_a, quotes=[qa]), article("b", text_b, quotes=[qb]),
                    article("c", text_c, quotes=[qc])])
    varga = [i for i in items if i.speaker and i.speaker.endswith("Varga")]
    assert len(varga) == 1
    assert varga[0].text == full and varga[0].role == "water minister"
    assert sorted(c.article for c in varga[0].citations) == ["a", "b"]
    assert [i.speaker for i in items if i.text == part] == ["Tomas Brel"]


def test_a_short_common_phrase_is_not_folded_into_a_longer_quote() -> None:
    full = "We will see what the engineers find before we reopen the bridge."
    part = "we will see"
    qa = Quote(0, len(full), full, "Ilse Varga", None, "said", True)
    qb = Quote(0, len(part), part, "Ilse Varga", None, "said", True)
    items = quotes([article("a", full, quotes=[qa]), article("b", part, quotes=[qb])])
    assert len(items) == 2


class _CountingList(list):
    """A list that counts reads by index: how many earlier sentences one was compared with."""

    reads = 0

    def __getitem__(self, i):
        _CountingList.reads += 1
        return super().__getitem__(i)


def test_thousands_of_lines_that_differ_in_one_word_are_grouped_in_bounded_work() -> None:
    # Found with bench/faults.py's page of 100,000 tiny paragraphs: every LSH query returned
    # every earlier line, so grouping was quadratic. Now each line meets at most MAX_CANDIDATES.
    groups = NearDuplicates()
    groups._words = _CountingList()  # the test watches the comparisons
    _CountingList.reads = 0
    # Any two share 7 of 11 words: close enough to be candidates, too far to group.
    lines = [f"Notice {i} posted at gate {7 * i + 1} on the board." for i in range(3000)]
    ids = [groups.group(line) for line in lines]
    assert len(set(ids)) > 0.9 * len(lines)
    assert _CountingList.reads <= len(lines) * NearDuplicates.MAX_CANDIDATES  # was about n * n / 2
    assert groups.group("Notice 5 posted at gate 36 on the board today.") == ids[5]  # near ones still group
    short = [groups.group(f"Item {i} ok.") for i in range(3000)]
    assert len(set(short)) == 3000  # too few words to call two of them the same sentence


def test_a_sentence_that_points_back_does_not_stand_alone() -> None:
    from newsdesk.compare.passages import stands_alone

    assert not stands_alone("That's the consensus of experts in national security law, who spoke on Monday.")
    assert not stands_alone("But it's a sentiment that could be shared by a lot of people given the record.")
    assert not stands_alone("“This is why we stayed,” the commander said at the base on Tuesday.")
    assert stands_alone("The threat posed by the Islamic State group has lessened, a US general said.")
    assert stands_alone("There are about 2,500 US troops left in the country, officials said.")
    assert not stands_alone("Right afterward, the senator talked up his plans for the border.")
    assert not stands_alone("As a result, the bridge stayed closed for a week.")
    assert stands_alone("Afterlife beliefs vary widely, a survey of voters in the state found.")


def test_a_page_teaser_is_not_a_summary_sentence() -> None:
    assert not is_summary_worthy("The drawdown could prompt more violence by emboldening militias to rid the country of Western forces....")
    assert not is_summary_worthy("The drawdown could prompt more violence by emboldening militias in the country …")


def test_the_summary_keeps_to_sentences_that_stand_alone_unless_none_does() -> None:
    from newsdesk.briefing.build import summary_candidates
    from newsdesk.compare.passages import Passage

    alone = Passage("Engineers opened the spillway gates at the old dam on Tuesday night, officials said.", "a", 0)
    back = Passage("But the river kept rising through the night and reached the old town by morning.", "a", 1)
    assert summary_candidates([back, alone]) == [alone]
    assert summary_candidates([back]) == [back]


def test_a_sentence_pointing_back_after_its_dateline_does_not_stand_alone() -> None:
    from newsdesk.compare.passages import stands_alone

    assert not stands_alone("KESSEL, Belgium (AP) — It was the council's night, one more vote for the tram line.")
    assert not stands_alone("KESSEL — They voted again on Tuesday and the tram line passed by a wide margin.")
    assert stands_alone("KESSEL — The council voted again on Tuesday and the tram line passed by a wide margin.")


def test_a_listicle_count_or_a_handful_of_countries_is_not_a_tracked_figure() -> None:
    from newsdesk.briefing.figures import is_tracked
    from newsdesk.model import Figure

    def fig(value: float, counts: str) -> Figure:
        return Figure(0, 5, "x", value, None, counts, None)

    assert not is_tracked(fig(3, "key ways")) and not is_tracked(fig(2, "countries"))
    assert is_tracked(fig(2500, "U.S. troops")) and is_tracked(fig(8, "bases")) and is_tracked(fig(40, "countries"))


def test_poll_points_are_figures_but_never_a_key_fact_series() -> None:
    from newsdesk.briefing.figures import is_series_quantity, is_tracked
    from newsdesk.model import Figure

    def fig(value: float, counts: str) -> Figure:
        return Figure(0, 5, "x", value, None, counts, None)

    assert is_tracked(fig(20, "point")) and not is_series_quantity(fig(20, "point"))
    assert not is_series_quantity(fig(1, "percentage point"))
    assert not is_series_quantity(fig(40, "kilometers")) and is_series_quantity(fig(10000, "acres"))
    assert is_series_quantity(fig(2500, "U.S. troops"))


def test_a_change_in_a_quantity_is_a_figure_but_no_value_of_its_series() -> None:
    from newsdesk.briefing.figures import is_change, series
    from newsdesk.model import Annotations, Figure, Sentence

    text = ("The force fell from 3,000 troops to 2,500 troops. The withdrawal of 500 troops is minor. "
            "Then 200 more troops left.")

    def fig(number: str, start_at: int = 0) -> Figure:
        i = text.index(number, start_at)
        return Figure(i, i + len(number) + 7, number + " troops", float(number.replace(",", "")), None, "troops")

    figs = [fig("3,000"), fig("2,500"), fig("500", text.index("withdrawal")), fig("200")]
    a = Article(id="a", path="a.txt", text=text,
                annotations=Annotations(sentences=[Sentence(0, len(text))], figures=figs))
    assert [is_change(a, f) for f in figs] == [False, False, True, True]
    capped = "Crews build no more than eight blocks at a time."
    b = Article(id="b", path="b.txt", text=capped)
    assert not is_change(b, Figure(12, 39, "no more than eight blocks", 8.0, "no more than", "blocks"))
    (troops,) = series([a])
    assert [p.value for p in troops.points] == [3000.0, 2500.0]  # undated: in the order the story tells them


def test_people_counted_without_a_role_are_kept_apart_by_what_happened_to_them() -> None:
    from newsdesk.briefing.figures import series
    from newsdesk.model import Annotations, Figure, Sentence

    text = ("About 12,000 people were ordered to leave their homes. Two people were missing. "
            "Some 9,000 people were still out of their homes. Rescuers pulled 37 people from rooftops.")
    spans, start = [], 0
    for part in text.split(". "):
        end = text.index(part, start) + len(part) + 1
        spans.append(Sentence(text.index(part, start), min(end, len(text))))
        start = end

    def fig(number: str, value: float) -> Figure:
        i = text.index(number)
        return Figure(i, i + len(number) + 7, number + " people", value, None, "people")

    a = Article(id="a", path="a.txt", text=text, annotations=Annotations(
        sentences=spans, figures=[fig("12,000", 12000), fig("Two", 2), fig("9,000", 9000), fig("37", 37)]))
    by_key = {s.quantity: [p.value for p in s.points] for s in series([a])}
    assert by_key == {"people displaced": [12000.0, 9000.0]}  # the missing and the rescued are one value each


def test_figures_most_independent_sources_carry_come_first_and_a_repost_adds_none() -> None:
    from newsdesk.briefing.figures import figures
    from newsdesk.model import Annotations, Figure, Sentence

    def art(aid: str, text: str, number: str, counts: str) -> Article:
        at = text.index(number)
        ann = Annotations(sentences=[Sentence(0, len(text))],
                          figures=[Figure(at, at + len(number), number, float(number.replace(",", "")), None, counts, None)])
        return Article(id=aid, path=f"{aid}.txt", text=text, published=None, annotations=ann)

    bridges = "Officials said on Monday that 12 bridges over the river were closed to traffic."
    troops = "The army said on Monday that 2,500 troops will stay at the base after the drawdown."
    first, repost = art("a", bridges, "12", "bridges"), art("r", bridges, "12", "bridges")
    second = art("b", troops, "2,500", "troops")
    third = art("c", troops.replace("on Monday", "on Monday evening"), "2,500", "troops")
    ranked = figures([first, repost, second, third], {"r": "a"})
    assert [f.value for f in ranked] == [2500, 12]  # two sources before one source and its repost
    assert {c.article for c in ranked[0].citations} == {"b", "c"}


@pytest.mark.parametrize(
    ("text", "direct", "expected"),
    [
        ("U.S. and U.S.-allied forces", False, False),
        ("the withdrawal of American forces", False, False),
        ("it was repositioning its forces", False, True),
        ("Iraqi forces will continue to rely on air cover", False, True),
        ("to build a wall on the border", False, True),
        ("caliphate", True, True),
    ],
)
def test_a_quote_item_is_a_statement_not_a_deed_or_a_name(text: str, direct: bool, expected: bool) -> None:
    from newsdesk.briefing.build import is_statement

    assert is_statement(text, direct) is expected


def test_background_dates_are_kept_apart_and_a_year_holding_the_story_is_left_out() -> None:
    text = ("The old dam was built in 1964. | Engineers opened the gates on 3 May. | "
            "The 2021 season was the wettest.")
    a = article(
        "a", text,
        dates=[
            DateMention(text.index("1964"), text.index("1964") + 4, "1964", "1964", "year"),
            DateMention(text.index("3 May"), text.index("3 May") + 5, "3 May", "2021-05-03", "day"),
            DateMention(text.index("2021"), text.index("2021") + 4, "2021", "2021", "year"),
        ],
    )
    events = timeline([a], "2021-05-04")
    assert [(e.date, e.background) for e in events] == [("2021-05-03", False), ("1964", True)]


def test_an_undated_storys_history_is_background_to_its_latest_date() -> None:
    text = ("The singer was born on 22 April 1923 in a small town. | She recorded her first album in 1950. | "
            "The singer died on 11 December 2008 in a hospital.")
    a = article(
        "a", text,
        dates=[
            DateMention(text.index("22 April"), text.index("22 April") + 13, "22 April 1923", "1923-04-22", "day"),
            DateMention(text.index("1950"), text.index("1950") + 4, "1950", "1950", "year"),
            DateMention(text.index("11 Dec"), text.index("11 Dec") + 16, "11 December 2008", "2008-12-11", "day"),
        ],
    )
    events = timeline([a], None)  # no article of the story carries a publication date
    assert [(e.date, e.background) for e in events] == [
        ("2008-12-11", False), ("1923-04-22", True), ("1950", True)]


def test_key_facts_give_the_figure_arc_in_date_order_and_the_main_disagreement_with_both_sides() -> None:
    from newsdesk.briefing.facts import key_facts
    from newsdesk.model import Cite, Disagreement, Series, SeriesPoint, Side

    a, b = article("a", "x" * 50), article("b", "y" * 50)
    troops = Series("guards", [
        SeriesPoint(300.0, None, [Cite("b", 0, 3)]),
        SeriesPoint(500.0, "2021-05-01", [Cite("a", 0, 3)]),
        SeriesPoint(500.0, None, [Cite("b", 5, 8)]),
    ])
    one_source = Series("bridges", [SeriesPoint(2.0, None, [Cite("a", 9, 10)]),
                                    SeriesPoint(3.0, None, [Cite("a", 11, 12)])])
    d = Disagreement("the dam", "assessment", [Side("It holds.", [Cite("a", 20, 29)]),
                                               Side("It will fail.", [Cite("b", 20, 33)])])
    facts = key_facts([one_source, troops], [d], [a, b], {})
    assert [f.kind for f in facts] == ["figures", "disagreement"]
    arc = facts[0]
    assert arc.label == "guards"
    assert [(p.text, p.as_of) for p in arc.parts] == [("500", "2021-05-01"), ("300", None)]
    assert arc.parts[0].citations == [Cite("a", 0, 3), Cite("b", 5, 8)]
    assert [p.text for p in facts[1].parts] == ["It holds.", "It will fail."]


def test_no_key_facts_from_nothing() -> None:
    from newsdesk.briefing.facts import key_facts

    assert key_facts([], [], [], {}) == []


def test_a_summary_sentence_drops_its_dateline_and_cites_the_words_it_shows() -> None:
    from newsdesk.compare.passages import without_dateline
    from newsdesk.model import Cite

    wire = "MOSUL – In a quest to root out hideouts, forces cleared nearly 90 villages."
    repost = "In a quest to root out hideouts, forces cleared nearly 90 villages."
    texts = {"w": wire, "r": repost}
    text, cites = without_dateline(wire, [Cite("w", 0, len(wire)), Cite("r", 0, len(repost))], texts)
    assert text == repost
    assert [texts[c.article][c.start : c.end] for c in cites] == [repost, repost]
    same, _ = without_dateline("NATO — the alliance met on Friday.", [], texts)
    assert same == "NATO — the alliance met on Friday."


class _NoEncoder:
    """An encoder a story told by one source must never call."""

    def encode(self, texts: list[str]) -> np.ndarray:
        raise AssertionError(f"encoded {len(texts)} texts")


def test_a_story_told_by_one_source_is_summarised_by_its_lead_without_encoding() -> None:
    from newsdesk.briefing.build import StoryPlan, summarize
    from newsdesk.model import Story

    sentences = [
        "The river council approved the new tram line on Tuesday after a long debate.",
        "Engineers said construction would take about two years and cost 40 million euros.",
        "Residents of the northern district had asked for a crossing since the old ferry closed.",
        "The first trams are expected to run between the station and the harbour in 2027.",
        "Opponents of the plan said the council had ignored the cost of the tunnel section.",
        "A petition against the line gathered about 3,000 signatures over the summer months.",
    ]
    a = article("a", " | ".join(sentences))
    story = Story(id="s", title="Tram line approved", articles=["a"], origins=["a"], key_terms=[])
    summary = summarize(story, [a], {}, _NoEncoder())  # type: ignore[arg-type]
    assert [s.text for s in summary] == sentences[:4]
    assert [a.text[c.start : c.end] for s in summary for c in s.citations] == sentences[:4]
    assert StoryPlan(story, [a], passages([a]), []).texts() == []
