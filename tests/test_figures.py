"""Figures: numbers that count something, through the real spaCy model."""

from __future__ import annotations

import pytest

from newsdesk.annotate.figures import (
    find_figures,
    parse_number,
    quantity_key,
    same_quantity,
)
from newsdesk.model import DateMention, Figure, PubDate

PUB = PubDate("2021-03-02", "day", "metadata")


def _figs(nlp, text: str, dates: list[DateMention] | None = None, published: PubDate | None = PUB) -> list[Figure]:
    return find_figures(nlp(text), dates or [], published)


def _date(text: str, phrase: str, value: str, kind: str = "DATE") -> DateMention:
    start = text.index(phrase)
    return DateMention(start, start + len(phrase), phrase, value, "month", kind=kind)


@pytest.mark.parametrize(
    ("text", "value"),
    [("5,200", 5200), ("2.5 million", 2.5e6), ("1.2bn", 1.2e9), ("three", 3), ("twenty-five", 25),
     ("400", 400), ("three hundred", 300), ("12k", 12000)],
)
def test_number_words_and_digits_are_parsed(text, value):
    assert parse_number(text) == pytest.approx(value)


def test_parse_number_refuses_words_that_are_not_numbers():
    assert parse_number("several") is None


@pytest.mark.slow
def test_qualified_troop_count_names_what_it_counts(nlp):
    text = "There are currently about 4,100 Canadian troops in Freedonia, which Canada entered in 2011."
    figs = _figs(nlp, text)
    assert [(f.value, f.qualifier, f.counts) for f in figs] == [(4100, "about", "Canadian troops")]
    assert figs[0].text == "about 4,100 Canadian troops"
    assert text[figs[0].start : figs[0].end] == figs[0].text
    # The year in the relative clause is neither a figure nor the figure's date.
    assert figs[0].as_of == "2021-03-02"


@pytest.mark.slow
def test_range_on_a_drawdown_counts_the_compound_noun_and_takes_the_clause_date(nlp):
    text = "The planned U.S. troop drawdown in Freedonia from 3,000 to 2,500 by mid-January is unlikely to matter."
    dates = [_date(text, "mid-January", "2021-01")]
    figs = _figs(nlp, text, dates)
    assert [(f.value, f.counts, f.as_of) for f in figs] == [(3000, "U.S. troops", "2021-01"), (2500, "U.S. troops", "2021-01")]


@pytest.mark.slow
def test_more_than_and_nearly_are_qualifiers(nlp):
    figs = _figs(nlp, "More than 460 protesters have been killed. Soldiers cleared nearly 90 villages.")
    assert [(f.value, f.qualifier, f.counts) for f in figs] == [(460, "more than", "protesters"), (90, "nearly", "villages")]


@pytest.mark.slow
def test_partitive_counts_the_noun_after_of(nlp):
    figs = _figs(nlp, "The army left three of the eight bases that housed Ruritanian troops.")
    assert [(f.value, f.counts) for f in figs] == [(3, "bases"), (8, "bases")]


@pytest.mark.slow
def test_half_is_not_a_figure_but_the_count_after_it_is(nlp):
    figs = _figs(nlp, "Ruritania is pulling out half of its 400 troops.")
    assert [(f.value, f.counts) for f in figs] == [(400, "troops")]


@pytest.mark.slow
def test_money_and_percent_carry_units_and_durations_are_not_figures(nlp):
    figs = _figs(nlp, "The mission was paused for 60 days. The ministry spent $1.2bn, up 15% on last year.")
    assert [(f.value, f.unit, f.counts) for f in figs] == [(1.2e9, "USD", None), (15, "percent", None)]
    assert _figs(nlp, "After a costly three-year campaign, a 24-hour curfew began.") == []


@pytest.mark.slow
def test_years_dates_list_numbers_and_counters_are_not_figures(nlp):
    text = "Full Screen\n1 / 3\n\nOn March 27, 2020 the rebels returned.\n\n1. SECURITY COULD WORSEN\n\nIn 2014 it began. Call 555-0199. She was a 35-year-old nurse. One of them spoke."
    assert _figs(nlp, text) == []


@pytest.mark.slow
def test_as_of_falls_back_to_publication_date_or_none(nlp):
    text = "Some 700 volunteers arrived."
    assert _figs(nlp, text)[0].as_of == "2021-03-02"
    assert _figs(nlp, text, published=None)[0].as_of is None
    assert _figs(nlp, text)[0].qualifier == "some"


@pytest.mark.slow
def test_us_troops_and_american_soldiers_are_the_same_quantity(nlp):
    a = _figs(nlp, "About 5,200 US troops remain.")[0]
    b = _figs(nlp, "Parliament wants about 5,200 American soldiers gone.")[0]
    c = _figs(nlp, "Ruritania keeps 400 troops there.")[0]
    d = _figs(nlp, "Rebels burned 40 villages.")[0]
    assert quantity_key(a) == quantity_key(b) == "US troops"
    assert same_quantity(a, b)
    assert not same_quantity(a, c)  # unqualified "troops" is not known to be American
    assert not same_quantity(a, d)


def test_figures_with_unknown_counts_are_never_the_same_quantity():
    f = Figure(0, 3, "300", 300, None, None)
    assert quantity_key(f) == ""
    assert not same_quantity(f, f)


@pytest.mark.slow
def test_seed_troop_figures_are_found(nlp, seeds):
    found = set()
    for path in sorted(seeds.glob("*.txt")):
        for f in find_figures(nlp(path.read_text(encoding="utf-8")), [], None):
            found.add((f.value, f.qualifier, quantity_key(f)))
    for expected in [(5200, "about", "US troops"), (3000, None, "US troops"), (2500, None, "US troops"),
                     (500, None, "US troops"), (460, "more than", "protester"), (90, "nearly", "village")]:
        assert expected in found


@pytest.mark.parametrize(
    "text",
    ["Hartley scored twice in the Final Four last spring.",
     "The second part, Chapter Three, opens in a bakery.",
     "The mayor spoke to Channel News 9 on Monday.",
     "The funding comes from Horizon 2020 and national budgets.",
     "The lot at 4417 Larkspur Ave. sold quickly.",
     "About one in five voters said they were unsure.",
     "The visitors started 0 for 12 from the field.",
     "Her 6-foot-7 teammate blocked the shot.",
     "Students who turn 18 before polling day may vote.",
     "One reader wrote to the paper about the bridge.",
     "The group is led by a one-time rival of the mayor."],
)
def test_names_ratios_scores_and_articles_are_not_figures(nlp, text):
    assert _figs(nlp, text) == []


def test_at_least_one_is_a_count(nlp):
    figs = _figs(nlp, "Each flat has at least one balcony.")
    assert [(f.value, f.qualifier, f.counts) for f in figs] == [(1, "at least", "balcony")]


def test_hyphenated_number_words_and_percent_pairs(nlp):
    figs = _figs(nlp, "Forty-six percent of the members backed the plan, 61%-30%, in the vote.")
    assert [(f.value, f.unit) for f in figs] == [(46, "percent"), (61, "percent"), (30, "percent")]


def test_percent_range_low_end(nlp):
    figs = _figs(nlp, "Fares have fallen by one to two per cent a year.")
    assert (1, "percent") in [(f.value, f.unit) for f in figs]


def test_tally_inherits_what_is_counted(nlp):
    figs = _figs(nlp, "The delegation cast one vote for Alvarez, 13 for Brandt and 36 votes for Okafor.")
    assert [(f.value, f.counts) for f in figs] == [(1, "vote"), (13, "vote"), (36, "votes")]
