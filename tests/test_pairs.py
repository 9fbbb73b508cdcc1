"""The pair model: the packaged weights, the public judge and the compare stage's use of it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from newsdesk.compare import Judgement, judge_pairs
from newsdesk.compare.claims import Claim, content_words, subject
from newsdesk.compare.pairs import load_pair_model, weights_path
from newsdesk.compare.verdict import decide, worth_reading
from newsdesk.model import Figure


def test_the_pair_model_ships_inside_the_package_under_50_mb_with_its_card() -> None:
    path = weights_path()
    assert path.is_file()
    assert path.stat().st_size < 50_000_000
    meta = json.loads(path.with_suffix(".json").read_text())
    assert set(meta["labels"]) >= {"agree", "disagree"}
    assert 0.3 < meta["temperature"] < 5
    card = (path.parent / "MODEL_CARD.md").read_text()
    for word in ("SNLI", "PERSPECTRUM", "FNC-1", "licen", "train/pair_model.py"):
        assert word in card


def test_judge_pairs_gives_one_judgement_per_pair_in_order() -> None:
    pairs = [
        ("The council approved the budget on Tuesday.", "The council rejected the budget on Tuesday."),
        ("The council approved the budget on Tuesday.", "On Tuesday the budget was approved by the council."),
        ("The council approved the budget on Tuesday.", "Heavy snow closed the mountain pass."),
    ]
    got = judge_pairs(pairs)
    assert [type(j) for j in got] == [Judgement] * 3
    assert [j.relation for j in got] == ["disagree", "agree", "unrelated"]
    for j in got:
        assert 0.0 <= j.agree <= 1.0 and 0.0 <= j.disagree <= 1.0
        assert j.score == max(j.agree, j.disagree, round(1 - j.agree - j.disagree, 4)) or abs(j.score - max(
            j.agree, j.disagree, 1 - j.agree - j.disagree)) < 1e-3


def test_judge_pairs_of_nothing_is_nothing() -> None:
    assert judge_pairs([]) == []


def test_a_pair_is_judged_the_same_in_either_order() -> None:
    a, b = "The rebels will keep the town.", "The rebels withdrew from the town."
    one, two = judge_pairs([(a, b), (b, a)])
    assert one.relation == two.relation
    assert abs(one.disagree - two.disagree) < 1e-3


def test_an_empty_or_huge_statement_is_judged_without_error() -> None:
    got = judge_pairs([("", "Something happened."), ("word " * 5000, "A word.")])
    assert len(got) == 2 and all(j.relation in ("agree", "disagree", "unrelated") for j in got)


def test_the_packaged_weights_give_the_score_the_card_states_on_its_fixed_sample(shared: Path) -> None:
    meta = json.loads(weights_path().with_suffix(".json").read_text())
    fixed = meta["scores"]["fixed_sample"]
    fold = {"entailment": "agree", "contradiction": "disagree", "neutral": "unrelated"}
    with (shared / "bench" / "nli" / fixed["file"]).open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))[: fixed["rows"]]
    rows = [r for r in rows if r["label"] in fold]
    got = judge_pairs([(r["premise"], r["hypothesis"]) for r in rows])
    accuracy = sum(j.relation == fold[r["label"]] for j, r in zip(got, rows, strict=True)) / len(rows)
    assert abs(accuracy - fixed["accuracy"]) <= 0.01
    card = (weights_path().parent / "MODEL_CARD.md").read_text()
    assert f"{fixed['accuracy']:.3f}" in card


# ---- the compare stage's decision --------------------------------------------------------


def claim(text: str, group: str, **kw: object) -> Claim:
    base: dict[str, object] = {"text": text, "article": group, "position": 0, "citations": [],
                               "groups": frozenset([group]), "words": content_words(text)}
    base.update(kw)
    return Claim(**base)  # type: ignore[arg-type]


def test_a_disagreement_the_model_is_sure_of_is_an_assessment_named_by_its_subject() -> None:
    a = claim("The threat from the river has passed, the mayor said.", "a", names=frozenset({"river"}),
              mentions={"river": "the river"})
    b = claim("The threat from the river could return next week, engineers warned.", "b",
              names=frozenset({"river"}), mentions={"river": "the river"})
    verdict = decide(a, b, 0.7, agree=0.05, disagree=0.9)
    assert verdict.verdict == "disagree" and verdict.kind == "assessment"
    assert verdict.about == "The threat from the river"


def test_a_plan_and_its_later_outcome_are_no_disagreement() -> None:
    plan = claim("The council will vote on Monday on whether to build the line.", "a", published="2022-03-11")
    outcome = claim("The council voted 5-2 late Monday to approve the line, which will run 9 miles.", "b",
                    published="2022-03-14")
    assert decide(plan, outcome, 0.7, agree=0.05, disagree=0.9).verdict != "disagree"
    same_day = claim("The council voted 5-2 late Monday to approve the line.", "b", published="2022-03-11")
    assert decide(plan, same_day, 0.7, agree=0.05, disagree=0.9).verdict == "disagree"


def test_one_speaker_against_themselves_is_not_a_disagreement() -> None:
    a = claim("The threat has passed, Lee said.", "a", speaker="Jo Lee")
    b = claim("The threat could return, Lee said.", "b", speaker="Jo Lee")
    assert decide(a, b, 0.7, agree=0.05, disagree=0.9).verdict == "unrelated"


def test_a_figure_clash_on_one_day_is_a_figure_disagreement_whatever_the_model_says() -> None:
    def fig(v: float) -> Figure:
        return Figure(0, 1, str(v), v, None, "guards", None, "2020-01-05")

    a = claim("About 300 guards stay at the dam.", "a", figures=(fig(300),))
    b = claim("About 500 guards stay at the dam.", "b", figures=(fig(500),))
    verdict = decide(a, b, 0.9, agree=0.9, disagree=0.05)
    assert (verdict.verdict, verdict.kind) == ("disagree", "figure")


def test_two_different_figures_of_one_quantity_never_agree() -> None:
    def fig(v: float, day: str) -> Figure:
        return Figure(0, 1, str(v), v, None, "guards", None, day)

    a = claim("About 300 guards stay at the dam.", "a", figures=(fig(300, "2020-01-05"),))
    b = claim("About 500 guards stay at the dam.", "b", figures=(fig(500, "2020-03-05"),))
    assert decide(a, b, 0.9, agree=0.9, disagree=0.05).verdict == "unrelated"


def test_pairs_from_one_voice_or_far_apart_are_not_read_by_the_model() -> None:
    a = claim("The dam held overnight.", "a")
    assert not worth_reading(a, claim("The dam broke overnight.", "a"), 0.9)  # one source, no speakers
    assert not worth_reading(a, claim("Snow closed the pass.", "b"), 0.1)
    assert worth_reading(a, claim("The dam broke overnight.", "b"), 0.8)


def test_the_subject_of_two_claims_is_words_they_share_not_a_keyword_list() -> None:
    a = claim("Officials say the withdrawal of 500 troops will have little impact.", "a")
    b = claim("The withdrawal of 500 troops will be a big mistake, the governor said.", "b")
    assert subject(a, b) == "the withdrawal of 500 troops"
    assert "," not in subject(a, b)


def test_the_model_loads_once_per_process() -> None:
    assert load_pair_model() is load_pair_model()


def test_a_subject_keeps_its_numbers_whole() -> None:
    a = claim("The line will run 9.6 miles from downtown Spokane, the council said.", "a")
    b = claim("Critics doubt the line can run 9.6 miles from downtown Spokane on budget.", "b")
    assert subject(a, b) == "run 9.6 miles from downtown Spokane"
