"""Compare stage: stance lexicon, pairwise judgement, and compare_story on invented articles."""

from __future__ import annotations

import numpy as np
import pytest

from newsdesk.compare import Comparison, compare_story, origin_map
from newsdesk.compare.claims import Claim, content_words, figure_conflict, judge
from newsdesk.compare.stance import direction
from newsdesk.model import (
    Annotations,
    Article,
    CopyLink,
    DateMention,
    Entity,
    Figure,
    PubDate,
    Quote,
    Sentence,
    Story,
)

# ---- stance ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The danger has passed, the commander said.", -1),
        ("The flooding could strike again next week.", 1),
        ("It had not passed; it had only moved to the autumn.", 1),
        ("We are not out of this yet.", 1),
        ("A feared return of the rebels has not so far materialized in the north.", -1),
        ("Officials say the pullout of 300 guards will have little, if any, impact.", -1),
        ("If the guards leave us now, it will be a big mistake.", 1),
        ("The gang has the potential to resurge if police ease off.", 1),
        ("Though the gang may never be eradicated, it has been greatly diminished.", -1),
        ("The threat has lessened but may rebound if the patrols stop.", 1),
        ("The council approved the budget on Tuesday.", 0),
        ("The committee has met over the past few weeks.", 0),
    ],
)
def test_direction(text: str, expected: int) -> None:
    assert direction(text) == expected


# ---- pairwise judgement ----------------------------------------------------------------


def claim(text: str, group: str, **kw: object) -> Claim:
    base: dict[str, object] = {"text": text, "article": group, "position": 0, "citations": [],
                               "groups": frozenset([group]), "words": content_words(text),
                               "direction": direction(text)}
    base.update(kw)
    return Claim(**base)  # type: ignore[arg-type]


def fig(value: float, counts: str | None, as_of: str | None, unit: str | None = None) -> Figure:
    return Figure(0, 1, str(value), value, None, counts, unit, as_of)


def test_figures_same_day_differ_is_a_conflict() -> None:
    a = claim("About 9,000 people were still out of their homes on Friday.", "A",
              figures=(fig(9000, "people", "2022-04-08"),))
    b = claim("Some 10,500 people remained displaced on Friday.", "B",
              figures=(fig(10500, "people", "2022-04-08"),))
    j = judge(a, b, 0.7)
    assert (j.verdict, j.kind) == ("disagree", "figure")


def test_figures_at_different_dates_are_change_not_conflict() -> None:
    a = claim("About 9,000 people were out of their homes on Friday.", "A",
              figures=(fig(9000, "people", "2022-04-08"),))
    b = claim("About 4,000 people were out of their homes on Monday.", "B",
              figures=(fig(4000, "people", "2022-04-11"),))
    assert figure_conflict(a, b) is None
    assert judge(a, b, 0.9).verdict != "disagree"


def test_figure_rounding_and_reported_change_are_not_conflicts() -> None:
    a = claim("Nearly 12,000 residents left.", "A", figures=(fig(12000, "residents", "2022-04-08"),))
    b = claim("Some 11,900 residents left.", "B", figures=(fig(11900, "residents", "2022-04-08"),))
    assert figure_conflict(a, b) is None
    c = claim("It now expects 800 riders, down from 950.", "C",
              figures=(fig(800, "riders", "2030"), fig(950, "riders", "2030")))
    d = claim("It expects 950 riders.", "D", figures=(fig(950, "riders", "2030"),))
    assert figure_conflict(c, d) is None


def test_one_article_range_is_not_a_conflict() -> None:
    # "from 600 to 450 guards": one source, one voice; never two sides.
    a = claim("The guard force will shrink from 600 to 450 by spring.", "A",
              figures=(fig(600, "guards", "2022-03"), fig(450, "guards", "2022-03")))
    assert judge(a, a, 1.0).verdict == "unrelated"


def test_opposite_assessments_of_same_subject_disagree() -> None:
    a = claim("The danger from the river has passed, the mayor said.", "A", names=frozenset({"ostrava"}))
    b = claim("The river could flood again, engineers warned.", "B", names=frozenset({"ostrava"}))
    j = judge(a, b, 0.55)
    assert (j.verdict, j.kind) == ("disagree", "assessment")


def test_same_speaker_changing_view_is_not_a_disagreement() -> None:
    a = claim('"We are not out of this yet," Novak said.', "A", speaker="Jana Novak")
    b = claim('"The danger has passed," Jana Novak said.', "B", speaker="Jana Novak")
    assert judge(a, b, 0.6).verdict != "disagree"


def test_same_source_needs_different_speakers() -> None:
    a = claim("Officials say the pullout will have little, if any, impact.", "A", speaker="officials")
    b = claim('"If they leave now, it will be a big mistake," he said.', "A", speaker="Tomas Bero", position=3)
    assert judge(a, b, 0.3).verdict == "disagree"
    a2 = claim("Officials say the pullout will have little, if any, impact.", "A")
    b2 = claim("If they leave now, it will be a big mistake.", "A", position=3)
    assert judge(a2, b2, 0.3).verdict == "unrelated"


def test_paraphrase_agrees_and_unrelated_does_not() -> None:
    a = claim("The council voted 5-2 to approve the tram line.", "A", names=frozenset({"council"}))
    b = claim("Councillors approved the tram line by five votes to two.", "B", names=frozenset({"council"}))
    assert judge(a, b, 0.85).verdict == "agree"
    assert judge(a, b, 0.4).verdict == "unrelated"


def test_origin_map_follows_copy_chains() -> None:
    links = [CopyLink("c2", "c1", "near", 0.9, 0.9, 0.9), CopyLink("c1", "o", "exact", 1, 1, 1)]
    assert origin_map(links) == {"c2": "o", "c1": "o"}


# ---- compare_story on invented articles (loads the encoder) ---------------------------------


def article(aid: str, sentences: list[str], published: str, quotes: list[tuple[str, str]] = (),
            figures: list[tuple[str, float, str, str]] = (), dates: list[tuple[str, str]] = (),
            places: tuple[str, ...] = ("Varna",)) -> Article:
    text = " ".join(sentences)
    sents, pos = [], 0
    for s in sentences:
        sents.append(Sentence(pos, pos + len(s)))
        pos += len(s) + 1
    ann = Annotations(sentences=sents)
    for span, speaker in quotes:
        i = text.index(span)
        ann.quotes.append(Quote(i, i + len(span), span, speaker, None, "said", True))
    for span, value, counts, as_of in figures:
        i = text.index(span)
        ann.figures.append(Figure(i, i + len(span), span, value, None, counts, None, as_of))
    for name in places:
        for k in range(text.count(name)):
            i = text.index(name, text.index(name) + k if k else 0)
            ann.entities.append(Entity(i, i + len(name), name, "GPE"))
    for span, value in dates:
        i = text.index(span)
        ann.dates.append(DateMention(i, i + len(span), span, value, "day"))
    return Article(id=aid, path=aid, text=text, published=PubDate(published, "day", "metadata"), annotations=ann)


@pytest.fixture(scope="module")
def encoder():
    from newsdesk.embed import Encoder

    return Encoder()


@pytest.mark.slow
def test_compare_story_end_to_end(encoder) -> None:
    wire = article("wire", [
        "A landslide blocked the Varna mountain road on Monday, cutting off three villages.",
        "About 2,000 people were cut off on Monday, the regional office said.",
        '"The danger on the Varna road has passed," said Petra Lind, the regional safety chief.',
        "Crews expect to reopen one lane by Friday.",
    ], "2023-03-06", quotes=[("The danger on the Varna road has passed,", "Petra Lind")],
        figures=[("About 2,000 people", 2000, "people", "2023-03-06")], dates=[("on Monday", "2023-03-06")])
    repost = article("repost", wire.text.split(" A")[0:1] + [
        "About 2,000 people were cut off on Monday, the regional office said.",
    ], "2023-03-06", figures=[("About 2,000 people", 2000, "people", "2023-03-06")])
    local = article("local", [
        "The mountain road near Varna was blocked by a landslide on Monday, leaving three villages cut off.",
        "Some 3,500 people were cut off on Monday, according to the village councils.",
        '"The Varna road could slide again with the next rain," said Ivo Marek, the mayor of Dolna.',
        "The school in Dolna will stay closed this week.",
    ], "2023-03-07", quotes=[("The Varna road could slide again with the next rain,", "Ivo Marek")],
        figures=[("Some 3,500 people", 3500, "people", "2023-03-06")], dates=[("on Monday", "2023-03-06")])
    links = [CopyLink("repost", "wire", "truncated", 1.0, 0.4, 0.4)]
    story = Story("s1", "Landslide", ["wire", "local", "repost"], ["wire", "local"])
    comp = compare_story(story, [wire, local, repost], links, encoder)
    assert isinstance(comp, Comparison)

    # The landslide sentence is carried by two independent sources; the repost adds none.
    road = [a for a in comp.agreements if "landslide" in a.claim.lower()]
    assert road and road[0].sources == 2
    assert {c.article for c in road[0].citations} >= {"wire", "local"}
    assert all(a.sources >= 2 for a in comp.agreements)

    kinds = {d.kind for d in comp.disagreements}
    assert "figure" in kinds and "assessment" in kinds
    figure = next(d for d in comp.disagreements if d.kind == "figure")
    cited = {c.article for s in figure.sides for c in s.citations}
    assert {"wire", "local"} <= cited
    sides = [" | ".join(s.text for s in d.sides) for d in comp.disagreements if d.kind == "assessment"]
    assert any("has passed" in t and "slide again" in t for t in sides)

    # Only here: each source's unshared claims; the shared landslide sentence is in neither.
    alone = {o.article: [c.text for c in o.claims] for o in comp.only_here}
    assert set(alone) <= {"wire", "local"}
    assert "The school in Dolna will stay closed this week." in alone.get("local", [])
    assert "Crews expect to reopen one lane by Friday." in alone.get("wire", [])
    assert not any("landslide" in t.lower() for texts_ in alone.values() for t in texts_)


@pytest.mark.slow
def test_compare_story_copies_alone_agree_on_nothing(encoder) -> None:
    wire = article("w", ["The bridge over the Tarn river reopened on Sunday after repairs.",
                         "Engineers said the repairs cost less than planned."], "2023-05-01")
    copy = article("c", wire.text.split(". ")[0:1] + ["Engineers said the repairs cost less than planned."],
                   "2023-05-01")
    links = [CopyLink("c", "w", "near", 1.0, 0.9, 0.9)]
    comp = compare_story(Story("s", "Bridge", ["w", "c"], ["w"]), [wire, copy], links, encoder)
    assert comp.agreements == []
    assert comp.disagreements == []
    assert comp.only_here == []  # one independent source: nothing to set apart


def test_the_same_figure_for_the_same_quantity_is_an_agreement_at_a_lower_cosine() -> None:
    from newsdesk.compare.claims import AGREE_SIM, AGREE_SIM_FACT, Claim, judge
    from newsdesk.model import Figure

    def claim(text: str, value: float, counts: str, group: str) -> Claim:
        fig = Figure(0, 5, "x", value, "about", counts)
        return Claim(text=text, article=group, position=0, citations=[], groups=frozenset({group}), figures=(fig,))

    a = claim("There are about 5,200 US troops in the country.", 5200, "US troops", "a")
    b = claim("Lawmakers voted to expel about 5,200 American soldiers.", 5200, "American soldiers", "b")
    c = claim("Lawmakers voted to expel about 3,000 American soldiers.", 3000, "American soldiers", "c")
    cos = (AGREE_SIM_FACT + AGREE_SIM) / 2 - 0.1
    assert judge(a, b, cos).verdict == "agree"
    assert judge(a, c, cos).verdict != "agree"


def test_same_event_needs_a_rare_participant_or_two_event_kinds_in_one_place() -> None:
    from newsdesk.compare.claims import AGREE_SIM_EVENT, Claim, event_kinds, judge, rare_names

    def c(text: str, group: str, actors: set[str], places: set[str] = set()) -> Claim:  # noqa: B006
        return Claim(text=text, article=group, position=0, citations=[], groups=frozenset({group}),
                     actors=frozenset(actors), places=frozenset(places), events=event_kinds(text))

    a = c("Rebels assassinated the governor Abel Varro in the port city.", "a", {"varro", "rebels"})
    b = c("The killing of Abel Varro shook the province.", "b", {"varro"})
    filler = [c(f"The rebels held talks on day {i}.", "a", {"rebels"}) for i in range(20)]
    rare = rare_names([a, b, *filler])
    assert "varro" in rare and "rebels" not in rare
    assert judge(a, b, AGREE_SIM_EVENT + 0.01, rare).verdict == "agree"
    assert judge(a, b, AGREE_SIM_EVENT - 0.05, rare).verdict == "unrelated"
    # A participant named everywhere is no evidence of one event.
    d = c("Rebels attacked a convoy.", "b", {"rebels"})
    e = c("The rebels launched a strike on the depot.", "a", {"rebels"})
    assert judge(d, e, 0.6, rare).verdict == "unrelated"
    # Two kinds of event at once in the same country: a vote to withdraw.
    v1 = c("Lakeland lawmakers voted to demand the withdrawal of foreign troops.", "a", set(), {"LK"})
    v2 = c("Lakeland's parliament voted to oust all foreign forces.", "b", set(), {"LK"})
    assert {"vote", "withdraw"} <= v1.events & v2.events
    assert judge(v1, v2, 0.52, None).verdict == "agree"
    assert judge(v1, c(v2.text, "b", set(), {"XX"}), 0.52, None).verdict == "unrelated"


# ---- further stance axes, rebuttals, wording-based agreement ----------------------------


@pytest.mark.parametrize(
    ("text", "axis", "expected"),
    [
        ("Her campaign says she can still close the gap in the county vote.", "prospects", 1),
        ("He came out of the weekend with real momentum.", "prospects", 1),
        ("Her lead among delegates is now insurmountable.", "prospects", -1),
        ("He long ago ceased to have a meaningful chance of winning.", "prospects", -1),
        ("As his path to the leadership continues to narrow, allies urge restraint.", "prospects", -1),
        ("The two leaders pledged to work together after the meeting.", "unity", 1),
        ("The mayor and the governor will never be a natural match.", "unity", -1),
        ("The vote exposed a deep rift in the coalition.", "unity", -1),
        ("Dana Weir won the Tarn county primary.", "outcome", 1),
        ("The Tarn county race remained too close to call.", "outcome", -1),
        ("Results in Tarn county have not yet been decided.", "outcome", -1),
    ],
)
def test_stances_read_each_axis(text: str, axis: str, expected: int) -> None:
    from newsdesk.compare.stance import stances

    assert stances(text).get(axis) == expected


def test_stances_leave_out_axes_a_sentence_is_silent_on() -> None:
    from newsdesk.compare.stance import stances

    assert stances("The council approved the budget on Tuesday.") == {}
    # "United" in a country's name is no call for unity; "won't" is no win.
    assert "unity" not in stances("She served as envoy to the United Nations for years.")
    assert "outcome" not in stances("The ruling won't change the count much.")


def test_rebuts_spots_a_statement_called_wrong() -> None:
    from newsdesk.compare.stance import rebuts

    assert rebuts("A spokesman said the audit was misleading.")
    assert rebuts("That is simply not true, the minister said.")
    assert rebuts("The ministry flatly denied the report.")
    assert not rebuts("The audit found the port authority overspent by a third.")


def staked(text: str, group: str, names: set[str], speaker: str | None = None) -> Claim:
    from newsdesk.compare.stance import rebuts, stances

    return claim(text, group, names=frozenset(names), stances=stances(text), rebuts=rebuts(text), speaker=speaker)


def test_opposite_prospects_of_one_subject_are_a_disagreement() -> None:
    from newsdesk.compare.claims import AXIS_SIM, AXIS_SIM_SHARED

    a = staked("Weir's team says she can still close the gap before the county vote.", "A", {"weir"})
    b = staked("Weir's deficit among delegates is insurmountable.", "B", {"weir"})
    j = judge(a, b, AXIS_SIM_SHARED + 0.01)
    assert (j.verdict, j.kind) == ("disagree", "assessment")
    assert "weir" in j.about
    assert judge(a, b, AXIS_SIM_SHARED - 0.05).verdict == "unrelated"
    # Without a shared name the sentences must be closer.
    b2 = staked("Her deficit among delegates is insurmountable.", "B", set())
    assert judge(a, b2, AXIS_SIM - 0.02).verdict == "unrelated"
    assert judge(a, b2, AXIS_SIM + 0.02).verdict == "disagree"
    # One speaker changing their view is not two sides.
    a3 = staked(a.text, "A", {"weir"}, speaker="Tom Hale")
    b3 = staked(b.text, "B", {"weir"}, speaker="Tom Hale")
    assert judge(a3, b3, 0.6).verdict != "disagree"


def test_a_rebuttal_disagrees_with_the_statement_it_answers() -> None:
    from newsdesk.compare.claims import REBUT_SIM

    report = staked("The audit found the port authority overspent by a third.", "A", {"port authority"})
    answer = staked("A port authority spokesman called the audit misleading.", "B", {"port authority"})
    j = judge(report, answer, REBUT_SIM + 0.02)
    assert (j.verdict, j.kind) == ("disagree", "assessment")
    assert judge(report, answer, REBUT_SIM - 0.05).verdict != "disagree"
    # No shared name: no known subject, no disagreement.
    other = staked("A spokesman called the audit misleading.", "B", set())
    assert judge(report, other, REBUT_SIM + 0.02).verdict != "disagree"
    # Two rebuttals do not answer each other.
    answer2 = staked("The port authority said the audit was false.", "C", {"port authority"})
    assert judge(answer, answer2, 0.6).verdict != "disagree"


def test_shared_names_and_wording_make_an_agreement_at_a_lower_cosine() -> None:
    from newsdesk.compare.claims import AGREE_SIM_SUPPORTED, AGREE_SIM_WORDS

    cos = (AGREE_SIM_WORDS + AGREE_SIM_SUPPORTED) / 2
    a = claim("Weir and Hale pledged to work on the budget together after their meeting.", "A",
              names=frozenset({"weir", "hale"}))
    b = claim("After meeting, Hale and Weir said they would work together on the budget.", "B",
              names=frozenset({"weir", "hale"}))
    assert judge(a, b, cos).verdict == "agree"
    assert judge(a, b, AGREE_SIM_WORDS - 0.05).verdict == "unrelated"
    c = claim("Hale criticised Weir over the harbour tender in a radio interview.", "B",
              names=frozenset({"weir", "hale"}))
    assert judge(a, c, cos).verdict == "unrelated"


def test_the_same_quoted_words_are_an_agreement() -> None:
    from newsdesk.compare.claims import AGREE_SIM_QUOTE, shared_run

    a = claim('"Nobody has ever been better prepared to lead this city," Hale said of Weir.', "A")
    b = claim("Weir won praise from Hale, who said nobody has ever been better prepared to lead this city.", "B")
    assert shared_run(a.text, b.text, 7)
    assert judge(a, b, AGREE_SIM_QUOTE + 0.01).verdict == "agree"
    assert not shared_run(a.text, "Hale praised Weir at the rally on Sunday evening.", 7)


# ---- only here ----------------------------------------------------------------------------


def test_only_here_lists_each_sources_unshared_claims_and_copies_add_no_source() -> None:
    import numpy as np

    from newsdesk.compare.claims import ClaimVerdict
    from newsdesk.compare.only_here import CARRIED_SIM, MAX_PER_SOURCE, only_here
    from newsdesk.model import Cite

    texts = [
        ("The ferry to Tarn island was cancelled for the whole weekend.", {"w", "l"}),  # both carry it
        ("Engineers found a crack in the ferry's hull on Friday morning.", {"w"}),  # repeated by w's copy only
        ("Harbour staff said the crack was small and easily repaired.", {"w"}),  # l says the same in other words
        ("The island's only school will stay closed until Wednesday.", {"l"}),
        ("Too short.", {"l"}),  # not a sentence worth summarising
        ("Island shops ran short of bread and milk by Sunday evening.", {"l"}),
        ("Port workers told reporters the hull damage was minor and quickly fixable.", {"l"}),
    ]
    claims = [
        Claim(text=t, article=min(g), position=k, groups=frozenset(g), words=content_words(t),
              citations=[Cite(min(g), 0, len(t))] + ([Cite("w-copy", 0, len(t))] if k == 1 else []))
        for k, (t, g) in enumerate(texts)
    ]
    n = len(claims)
    sim = np.full((n, n), 0.2)
    np.fill_diagonal(sim, 1.0)
    sim[2, 6] = sim[6, 2] = CARRIED_SIM + 0.05
    centrality = np.array([0.9, 0.8, 0.7, 0.5, 0.9, 0.6, 0.4])
    members = [Article(id="w", path="w.txt", text="", publisher="Northwire"),
               Article(id="l", path="l.txt", text="", publisher="Island Post"),
               Article(id="w-copy", path="c.txt", text="", publisher="Reposter")]
    out = only_here(claims, sim, centrality, {(3, 5): ClaimVerdict("unrelated")}, members)
    assert [(o.source, o.article) for o in out] == [("Northwire", "w"), ("Island Post", "l")]
    wire, local = out
    assert [c.text for c in wire.claims] == [texts[1][0]]
    assert {c.article for c in wire.claims[0].citations} == {"w", "w-copy"}
    # Most central first; the shared sentence, the fragment and the paraphrase are left out.
    assert [c.text for c in local.claims] == [texts[5][0], texts[3][0]]
    assert all(len(o.claims) <= MAX_PER_SOURCE for o in out)
    # An agreement verdict also makes a claim shared.
    out2 = only_here(claims, sim, centrality, {(1, 3): ClaimVerdict("agree")}, members)
    assert texts[1][0] not in [c.text for o in out2 for c in o.claims]
    assert texts[3][0] not in [c.text for o in out2 for c in o.claims]
    # One source alone: everything is "only here", so nothing is listed.
    solo = [c for c in claims if c.groups == frozenset({"w"})]
    assert only_here(solo, sim[1:3, 1:3], centrality[1:3], {}, members) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The mayor called Ana Petrov the most experienced engineer the city has ever hired.", {"experienced": "top"}),
        ("There has never been anyone more experienced than Petrov in that office.", {"experienced": "top"}),
        ("Critics named someone more experienced: her predecessor, Ivo Stan.", {"experienced": "more"}),
        ("Petrov is more experienced, by most measures, than the last director.", {"experienced": "more"}),
        ("More than 300 engineers applied, most of them from abroad.", {}),
    ],
)
def test_rankings_read_top_and_comparative(text: str, expected: dict[str, str]) -> None:
    from newsdesk.compare.stance import rankings

    assert rankings(text) == expected


def test_a_comparison_reversal_is_a_disagreement() -> None:
    from newsdesk.compare.claims import RANK_SIM
    from newsdesk.compare.stance import rankings

    def ranked(text: str, group: str) -> Claim:
        return claim(text, group, names=frozenset({"petrov"}), ranks=rankings(text))

    a = ranked("The mayor called Petrov the most experienced engineer the city has ever hired.", "A")
    b = ranked("Critics named someone more experienced than Petrov: her predecessor.", "B")
    assert (judge(a, b, RANK_SIM + 0.05).verdict, judge(a, b, RANK_SIM + 0.05).kind) == ("disagree", "assessment")
    assert judge(a, b, RANK_SIM - 0.1).verdict == "unrelated"
    # Two sources that both rank her top agree or are unrelated, never disagree.
    c = ranked("No one is more experienced than Petrov, the council said.", "C")
    assert judge(a, c, RANK_SIM + 0.05).verdict != "disagree"


def test_a_reporter_sentence_citing_a_few_words_stays_the_reporters() -> None:
    from newsdesk.compare.claims import make_claim

    s1 = "Winning the seat is out of reach for Hale, though he has vowed to keep campaigning."
    s2 = "We are going to win this seat, and we will win it with room to spare."
    a = article("a", [s1], "2021-03-02", quotes=[("keep campaigning", "Tom Hale")])
    b = article("b", [s2], "2021-03-02", quotes=[(s2, "Tom Hale")])
    ca = make_claim(a, 0, len(s1), 0, [], frozenset(["a"]))
    cb = make_claim(b, 0, len(s2), 0, [], frozenset(["b"]))
    # The few quoted words do not make the reporter's sentence Hale's own.
    assert ca.speaker is None and cb.speaker == "Tom Hale"


# ---- issue #6: rules meant to carry over to new events ---------------------------------------


def test_predicate_share_counts_what_is_said_not_who_about() -> None:
    from newsdesk.compare.claims import predicate_share

    a = claim("Weir's backers showed no sign of backing down on Friday.", "A", names=frozenset({"weir"}))
    b = claim("Weir's backers are showing no signs of backing down.", "B", names=frozenset({"weir"}))
    c = claim("Weir's backers cheered the mayor at the harbour rally.", "B", names=frozenset({"weir"}))
    assert predicate_share(a, b) >= 0.5
    # Only the name and "backers" in common: little of what is said is shared.
    assert predicate_share(a, c) < 0.3


def test_a_shared_name_and_predicate_make_an_agreement_at_a_low_cosine() -> None:
    from newsdesk.compare.claims import AGREE_PREDICATE_SHARE, AGREE_SIM_ANCHORED, anchors, predicate_share

    def c(text: str, group: str, actors: set[str], regions: set[str] = set()) -> Claim:  # noqa: B006
        return claim(text, group, names=frozenset(actors | regions), actors=frozenset(actors),
                     regions=frozenset(regions))

    a = c("Weir's backers showed no sign of backing down on Friday.", "A", {"weir"})
    b = c("Two facts drive the row: the post is out of reach, yet Weir's backers are showing no signs "
          "of backing down.", "B", {"weir"})
    assert anchors(a, b) == {"weir"}
    assert predicate_share(a, b) >= AGREE_PREDICATE_SHARE
    assert judge(a, b, AGREE_SIM_ANCHORED + 0.01).verdict == "agree"
    assert judge(a, b, AGREE_SIM_ANCHORED - 0.05).verdict == "unrelated"
    # The same words about nobody named in both are no evidence of one statement.
    b2 = c(b.text, "B", {"hale"})
    assert judge(a, b2, AGREE_SIM_ANCHORED + 0.01).verdict == "unrelated"
    # A shared name with other things said about it is not an agreement.
    other = c("Weir's backers cheered the mayor at the harbour rally.", "B", {"weir"})
    assert judge(a, other, AGREE_SIM_ANCHORED + 0.01).verdict == "unrelated"
    # A shared state anchors; a shared country or nationality (the story's
    # setting, in every sentence) does not.
    s1 = c("Voters in Tarn showed no sign of backing down.", "A", set(), {"tarn"})
    s2 = c("In Tarn, voters are showing no signs of backing down.", "B", set(), {"tarn"})
    assert judge(s1, s2, AGREE_SIM_ANCHORED + 0.01).verdict == "agree"
    n1 = claim("Calderan militias showed no sign of backing down.", "A", names=frozenset({"calderan"}))
    n2 = claim("Calderan soldiers are showing no signs of backing down.", "B", names=frozenset({"calderan"}))
    assert judge(n1, n2, AGREE_SIM_ANCHORED + 0.01).verdict == "unrelated"


def test_results_in_two_different_regions_are_not_one_statement() -> None:
    from newsdesk.compare.claims import AGREE_SIM, AGREE_SIM_SUPPORTED, other_regions

    a = claim("Dana Weir won the primary in Tarn county, beating Hale.", "A",
              names=frozenset({"weir", "hale", "tarn county"}), regions=frozenset({"tarn county"}))
    b = claim("Dana Weir won the Holm county primary over Hale.", "B",
              names=frozenset({"weir", "hale", "holm county"}), regions=frozenset({"holm county"}))
    same = claim("Weir took Tarn county from Hale on Tuesday.", "B",
                 names=frozenset({"weir", "hale", "tarn county"}), regions=frozenset({"tarn county"}))
    assert other_regions(a, b) and not other_regions(a, same)
    cos = (AGREE_SIM_SUPPORTED + AGREE_SIM) / 2
    assert judge(a, b, cos).verdict == "unrelated"
    assert judge(a, same, cos).verdict == "agree"
    # A claim that names no region is not held to one.
    unplaced = claim("Dana Weir beat Hale in the primary.", "B", names=frozenset({"weir", "hale"}))
    assert not other_regions(a, unplaced)
    assert judge(a, unplaced, cos).verdict == "agree"


def test_make_claim_takes_regions_from_states_not_cities() -> None:
    from newsdesk.compare.claims import make_claim
    from newsdesk.model import Place

    text = "Dana Weir won the primary in Tarn as officials in Varna watched."
    art = article("a1", [text], "2020-03-04", places=())
    art.annotations.places += [
        Place(29, 33, "Tarn", "Tarn", 0.0, 0.0, "FR", "admin1", "region"),
        Place(50, 55, "Varna", "Varna", 0.0, 0.0, "BG", "city", "city"),
    ]
    c = make_claim(art, 0, len(art.text), 0, [], frozenset(["a1"]))
    assert c.regions == frozenset({"tarn"})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Weir clinched the party's nomination on Monday night.", 1),
        ("Weir is now the presumptive nominee.", 1),
        ("It is time to bring a close to this contest, Weir said.", 1),
        ("The voters of the county have spoken.", 1),
        ("Hale still believes there will be a contested convention.", -1),
        ("The delegates can change their minds until the summer vote.", -1),
        ("Hale vowed to stay in the race until the last vote is cast.", -1),
        ("This is far from over, Hale told supporters.", -1),
        # A cue inside a statement the sentence rejects points the other way.
        ("Hale's team said it would not accept any declaration that Weir is the presumptive nominee.", -1),
    ],
)
def test_outcome_axis_reads_settled_and_still_open(text: str, expected: int) -> None:
    from newsdesk.compare.stance import stances

    assert stances(text).get("outcome") == expected


def test_contested_as_a_plain_adjective_is_no_open_outcome() -> None:
    from newsdesk.compare.stance import stances

    assert "outcome" not in stances("Only three elections have featured contested primaries in both parties.")


@pytest.mark.parametrize(
    "text",
    [
        "Hale's campaign called the count a rush to judgment.",
        "The campaign would not accept any declaration of a winner.",
        "Aides refused to recognize the result.",
        "Calling the race now is premature, Hale said.",
        "If the party believes that, it is sadly mistaken.",
    ],
)
def test_rebuts_spots_a_refusal_or_a_hasty_call(text: str) -> None:
    from newsdesk.compare.stance import rebuts

    assert rebuts(text)


def test_rebuts_leaves_acceptance_and_plain_mistakes_alone() -> None:
    from newsdesk.compare.stance import rebuts

    assert not rebuts("Hale accepted the result and congratulated Weir.")
    assert not rebuts("Weir admitted a mistake in the budget.")


def test_a_refusal_to_accept_a_result_disagrees_with_the_result() -> None:
    from newsdesk.compare.claims import REBUT_SIM

    result = staked("Weir has amassed the delegates she needs to become the presumptive nominee.", "A", {"weir"})
    refusal = staked("Hale's advisers said they would not accept any declaration that Weir is the "
                     "presumptive nominee.", "B", {"weir", "hale"})
    j = judge(result, refusal, REBUT_SIM + 0.02)
    assert (j.verdict, j.kind) == ("disagree", "assessment")
    # Two sides that both refuse the call agree with each other, not against.
    refusal2 = staked("Hale's campaign called the count of Weir's delegates a rush to judgment, "
                      "since delegates can change their minds.", "C", {"weir", "hale"})
    assert judge(refusal, refusal2, 0.45).verdict != "disagree"


class _Recorder:
    """An encoder that records what it is asked to encode."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def encode(self, texts: list[str]) -> np.ndarray:
        self.seen.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32) / 2.0


def test_one_source_encodes_only_the_claims_that_could_disagree() -> None:
    from newsdesk.compare import claim_vectors, encoded_claims

    warns = claim("The mayor said the flood risk would grow sharply next year.", "a", direction=1, speaker="Berg")
    calms = claim("The engineer said the danger had passed for good.", "a", direction=-1, speaker="Marsh")
    plain = claim("The council met in the town hall on a rainy afternoon.", "a")
    assert encoded_claims([warns, plain, calms]) == [0, 2]
    recorder = _Recorder()
    vectors = claim_vectors(recorder, [warns, plain, calms])  # type: ignore[arg-type]
    assert recorder.seen == [warns.text, calms.text]
    assert vectors.shape == (3, 4) and not vectors[1].any()
    # A rebuttal can answer any claim; two sources compare everything.
    rebuts = claim("The engineer said the mayor's report was misleading.", "a", rebuts=True)
    assert encoded_claims([warns, plain, rebuts]) == [0, 1, 2]
    assert encoded_claims([warns, claim(plain.text, "b")]) == [0, 1]


def test_a_disagreement_is_named_by_the_participant_not_the_places_both_mention() -> None:
    from newsdesk.compare.claims import initials_alias, subject

    warns = claim("The threat posed by the Islamic State group has lessened but may rebound in Iraq and Syria, the general said.",
                  "a", names=frozenset({"islamic state", "iraq", "syria"}), actors=frozenset({"islamic state"}))
    calms = claim("IS has been significantly diminished since it held cities in Iraq and Syria, the deputy commander said.",
                  "b", names=frozenset({"iraq", "syria"}))
    assert initials_alias(warns.text, calms.text) == "the Islamic State"
    assert subject(warns, calms) == "the Islamic State"
    # A shared run that is more than places still names the pair.
    a = claim("The withdrawal of 500 troops will have little impact, officials said.", "a")
    b = claim("The withdrawal of 500 troops would be a big mistake, a lawmaker said.", "b")
    assert subject(a, b) == "The withdrawal of 500 troops"
    assert initials_alias("The council met in the town hall.", "NATO met.") == ""


def test_a_side_that_concedes_the_others_point_does_not_contradict_it() -> None:
    from newsdesk.compare.stance import asserted, conceded

    hedged = "The threat from the militants has lessened but may significantly rebound if the troops leave, the general said."
    calm = "The militant group has been significantly diminished since it held the river towns, the deputy commander said."
    alarm = "Pulling back from the fight could create space for the militant group to resurge in the river towns."
    assert conceded(hedged) == -1 and direction(hedged) == 1
    assert conceded(alarm) == 0 and conceded("Though it may never be eradicated, the group is diminished.") == 0
    a, b, c = (claim(t, g, names=frozenset({"militant"}), conceded=conceded(t), asserted=asserted(t))
               for t, g in ((hedged, "a"), (calm, "b"), (alarm, "c")))
    assert judge(a, b, 0.7).verdict != "disagree"  # both say it has lessened; one warns it may rebound
    assert judge(c, b, 0.7).verdict == "disagree"
    # "Has not materialized" speaks of the resurgence the hedged side warns of: it concedes nothing.
    denied = "A feared resurgence of the militant group has not so far materialized, the commander said."
    d = claim(denied, "d", names=frozenset({"militant"}), conceded=conceded(denied), asserted=asserted(denied))
    assert direction(denied) == -1 and asserted(denied) == 1
    assert judge(a, d, 0.7).verdict == "disagree"
