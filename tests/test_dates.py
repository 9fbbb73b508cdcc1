"""Dates: resolve() on invented expressions, find_dates() on short parsed texts."""

from __future__ import annotations

import datetime as dt

import pytest

from newsdesk.annotate.dates import Resolution, find_dates, resolve
from newsdesk.model import PubDate

THU = dt.date(2020, 1, 23)  # a Thursday


def value(text: str, anchor: dt.date | None = THU, sentence: str = "", **kw: str) -> str | None:
    res = resolve(text, anchor, sentence=sentence, **kw)  # type: ignore[arg-type]
    return res.value if res else None


# ---- resolve: the news cases --------------------------------------------------------


def test_weekday_in_past_tense_news_is_the_most_recent_one() -> None:
    res = resolve("Wednesday", THU, sentence="The minister said Wednesday that talks had stalled.")
    assert res == Resolution("2020-01-22", "day", "published", "DATE")


def test_weekday_on_the_day_itself_is_that_day() -> None:
    assert value("Thursday", THU, tense="past") == "2020-01-23"


def test_next_weekday_and_future_tense_look_forward() -> None:
    assert value("next Monday") == "2020-01-27"
    assert value("Tuesday", THU, sentence="The council will vote on Tuesday.") == "2020-01-28"


def test_day_month_without_year_takes_the_anchor_year() -> None:
    assert value("on 5 January") == "2020-01-05"
    assert (
        value(
            "On March 19",
            dt.date(2020, 3, 23),
            "On March 19, the garrison handed over the depot.",
        )
        == "2020-03-19"
    )


def test_last_month_name_is_the_previous_occurrence() -> None:
    res = resolve("last March", THU)
    assert res is not None and (res.value, res.precision) == ("2019-03", "month")


def test_mid_and_early_month_keep_month_precision() -> None:
    assert resolve("mid-January", THU) == Resolution("2020-01", "month", "published", "DATE")
    assert value("early January") == "2020-01"


def test_over_the_summer_is_the_most_recent_summer() -> None:
    res = resolve(
        "over the summer",
        dt.date(2020, 11, 10),
        sentence="Rangers cleared the hills over the summer.",
    )
    assert res is not None and (res.value, res.precision) == ("2020-SU", "season")
    assert value("the summer", THU, tense="past") == "2019-SU"


def test_reference_words() -> None:
    assert value("in recent months") == "PAST_REF"
    assert value("now") == "PRESENT_REF"
    assert value("in the future") == "FUTURE_REF"


def test_this_month_since_october_and_late_2019() -> None:
    assert value("this month") == "2020-01"
    assert value("since October") == "2019-10"
    late = resolve("late 2019", THU)
    assert late is not None and (late.value, late.precision, late.anchor_kind) == (
        "2019",
        "year",
        "none",
    )


def test_since_never_points_after_the_anchor() -> None:
    # February is only days ahead, but "since" looks back.
    assert value("since February") == "2019-02"


def test_end_of_year_week_and_quarter() -> None:
    assert value("by the end of the year") == "2020"
    assert resolve("last week", THU) == Resolution("2020-W03", "week", "published", "DATE")
    assert resolve("the first quarter", THU) == Resolution("2020-Q1", "quarter", "published", "DATE")
    assert value("the fourth quarter") == "2019-Q4"


def test_three_days_after_an_earlier_event() -> None:
    res = resolve("three days after", dt.date(2020, 1, 8))
    assert res == Resolution("2020-01-11", "day", "previous-date", "DATE")
    assert value("the next day", dt.date(2020, 1, 3)) == "2020-01-04"


def test_years_decades_and_ago() -> None:
    assert value("in 2014") == "2014"
    assert resolve("the 1990s", THU) == Resolution("199X", "decade", "none", "DATE")
    assert value("two years ago") == "2018"
    assert value("three days ago") == "2020-01-20"


def test_today_is_the_anchor_day() -> None:
    assert resolve("today", THU) == Resolution("2020-01-23", "day", "published", "DATE")
    assert value("yesterday") == "2020-01-22"


def test_durations_and_times_have_their_own_kind() -> None:
    assert resolve("three days", THU) == Resolution("P3D", "day", "none", "DURATION")
    assert value("the past three months") == "P3M"
    t = resolve("3:30 p.m. Wednesday", THU, tense="past")
    assert t is not None and (t.value, t.kind) == ("2020-01-22T15:30", "TIME")
    assert value("Wednesday night", THU, tense="past") == "2020-01-22TNI"


def test_explicit_dates_need_no_anchor() -> None:
    assert resolve("March 27, 2020", None) == Resolution("2020-03-27", "day", "none", "DATE")
    assert value("Thursday, Jan. 23, 2020", None) == "2020-01-23"
    assert value("1/22/2020", None) == "2020-01-22"


def test_relative_expressions_without_anchor_are_unresolved() -> None:
    assert resolve("last week", None) is None
    assert resolve("Wednesday", None) is None


def test_weekday_with_date_picks_the_matching_year() -> None:
    # 25 April is a Saturday in 2020, not in 2019: the weekday decides.
    assert value("Saturday, April 25", dt.date(2020, 4, 24), tense="past") == "2020-04-25"


def test_near_future_date_in_past_tense_sentence() -> None:
    # "said ... payable Dec. 7": a date a few weeks ahead is upcoming, not last year's.
    assert value("Dec. 7", dt.date(2019, 10, 30), tense="past") == "2019-12-07"
    assert value("June", THU, tense="past") == "2019-06"


def test_not_a_date() -> None:
    assert resolve("the committee", THU) is None
    assert resolve("", THU) is None


# ---- find_dates through the real spaCy model ------------------------------------------

PUB = PubDate("2020-01-23", "day", "metadata")


@pytest.fixture()
def parse(nlp):  # type: ignore[no-untyped-def]
    return lambda text: nlp(text)


def by_text(mentions):  # type: ignore[no-untyped-def]
    return {m.text: m for m in mentions}


def test_find_dates_resolves_against_publication_and_previous_date(parse) -> None:  # type: ignore[no-untyped-def]
    doc = parse(
        "The brigade left the base on Jan. 8. Three days later, the convoy reached Basra. The general spoke Wednesday."
    )
    found = by_text(find_dates(doc, PUB))
    assert found["Jan. 8"].value == "2020-01-08"
    later = found["Three days later"]
    assert (later.value, later.anchor_kind, later.anchor) == (
        "2020-01-11",
        "previous-date",
        "2020-01-08",
    )
    wed = found["Wednesday"]
    assert (wed.value, wed.anchor_kind, wed.anchor) == (
        "2020-01-22",
        "published",
        "2020-01-23",
    )


def test_find_dates_offsets_point_into_the_text(parse) -> None:  # type: ignore[no-untyped-def]
    doc = parse("Troops will fall from 3,000 to 2,500 by mid-January, officials said last week.")
    mentions = find_dates(doc, PubDate("2020-11-18", "day", "metadata"))
    for m in mentions:
        assert doc.text[m.start : m.end] == m.text
    found = by_text(mentions)
    assert found["mid-January"].value == "2021-01"
    assert found["last week"].value == "2020-W46"


def test_photo_caption_date(parse) -> None:  # type: ignore[no-untyped-def]
    doc = parse("FILE - In this March 27, 2020 file photo, soldiers stand guard at the airfield near Tikrit.")
    found = by_text(find_dates(doc, PubDate("2020-11-18", "day", "metadata")))
    caption = found["March 27, 2020"]
    assert (caption.value, caption.precision, caption.anchor_kind) == (
        "2020-03-27",
        "day",
        "none",
    )


def test_modal_may_and_ages_are_not_dates(parse) -> None:  # type: ignore[no-untyped-def]
    doc = parse("The 45-year-old commander may leave, he said in May.")
    texts = [m.text for m in find_dates(doc, PUB)]
    assert texts == ["May"]


def test_range_is_split_into_two_dates(parse) -> None:  # type: ignore[no-untyped-def]
    doc = parse("The exercise ran from Aug. 26 to Oct. 20, 2019.")
    values = [m.value for m in find_dates(doc, PUB)]
    assert "2019-10-20" in values and any(v and v.endswith("-08-26") for v in values)


def test_no_publication_date_leaves_relative_mentions_unresolved(parse) -> None:  # type: ignore[no-untyped-def]
    doc = parse("The plant closed last week after a fire on March 3, 2019.")
    found = by_text(find_dates(doc, None))
    assert found["last week"].value is None
    assert found["March 3, 2019"].value == "2019-03-03"


def test_month_precision_publication_date_cannot_place_a_weekday(parse) -> None:  # type: ignore[no-untyped-def]
    doc = parse("The mayor resigned Tuesday, weeks after the vote last month.")
    found = by_text(find_dates(doc, PubDate("2020-01", "month", "url")))
    assert found["Tuesday"].value is None
    assert found["last month"].value == "2019-12"


# ---- the month lexicon, shared by clean, annotate and timeml ---------------------------


def test_every_month_spelling_dates_a_page_and_a_mention_alike() -> None:
    from newsdesk.clean.dates import find_date
    from newsdesk.lexicon import MONTHS

    for name, number in MONTHS.items():
        written = f"{name.title()} 5, 2019"
        assert find_date(written) is not None and find_date(written)[0] == f"2019-{number:02d}-05", written
        assert value(written) == f"2019-{number:02d}-05", written


def test_word_lists_kept_as_data_ship_with_the_package() -> None:
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    globs = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["newsdesk"]
    package = root / "src" / "newsdesk"
    shipped = {p for g in globs for p in package.glob(g)}
    lists = [p for p in package.glob("*/data/*") if p.is_file()]
    assert lists, "no stage keeps a word list as data"
    assert [str(p.relative_to(package)) for p in lists if p not in shipped] == []


@pytest.mark.parametrize(
    "sentence",
    [
        "The senator said she would not decide until after the November vote.",
        "Aides said the governor could beat him at the polls in November.",
        "Both camps prepared for the November showdown with the mayor.",
    ],
)
def test_a_coming_occasion_told_in_the_past_tense_resolves_forward(parse, sentence: str) -> None:  # type: ignore[no-untyped-def]
    found = by_text(find_dates(parse(sentence), PubDate("2016-07-10", "day", "url")))
    assert found["November"].value == "2016-11"


def test_a_month_in_a_past_clause_stays_in_the_past(parse) -> None:  # type: ignore[no-untyped-def]
    found = by_text(find_dates(parse("The strike ended in January, officials said."), PubDate("2016-07-10", "day", "url")))
    assert found["January"].value == "2016-01"
    found = by_text(find_dates(parse("Aides said he could have won in May."), PubDate("2016-07-10", "day", "url")))
    assert found["May"].value == "2016-05"


def test_a_scheduled_occasion_in_the_simple_present_is_the_coming_weekday(parse) -> None:  # type: ignore[no-untyped-def]
    friday = PubDate("2016-07-22", "day", "url")
    found = by_text(find_dates(parse("Delegates gather for the convention, which begins Monday."), friday))
    assert found["Monday"].value == "2016-07-25"
    found = by_text(find_dates(parse("The talks began Monday, officials said."), friday))
    assert found["Monday"].value == "2016-07-18"


def test_an_occasion_that_hangs_off_until_is_still_to_come(parse) -> None:  # type: ignore[no-untyped-def]
    found = by_text(find_dates(parse("It is his best chance, at least until the debates in the fall."),
                               PubDate("2016-07-18", "day", "url")))
    assert found["the fall"].value == "2016-FA"


def test_a_scheduled_event_in_the_present_perfect_is_the_coming_weekday(parse) -> None:  # type: ignore[no-untyped-def]
    found = by_text(find_dates(parse("The prosecutor has scheduled a news conference Thursday."),
                               PubDate("1999-05-05", "day", "url")))
    assert found["Thursday"].value == "1999-05-06"
