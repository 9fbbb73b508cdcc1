"""The verdict on a claim pair, from the pair model and the cue rules.

Takes two :class:`~newsdesk.compare.claims.Claim` objects, the cosine of their
embeddings and, when the pair model read them, its probabilities of agree and
disagree (:mod:`newsdesk.compare.pairs`); gives a
:class:`~newsdesk.compare.claims.ClaimVerdict`. :func:`worth_reading` says
which pairs the model reads; :func:`decide` combines its reading with the exact
figure and date rules and the cue rules of :func:`newsdesk.compare.claims.judge`.
"""

from __future__ import annotations

from newsdesk.compare.claims import (
    ASSESS_NEARBY,
    ASSESS_SIM_NEARBY,
    Claim,
    ClaimVerdict,
    comparable,
    different_speakers,
    figures_match,
    judge,
    same_speaker,
    subject,
)
from newsdesk.lexicon import LOOKS_AHEAD

__all__ = ["AGREE_P", "DISAGREE_P", "PAIR_SIM", "PAIR_SIM_SHARED", "decide", "plan_then_outcome", "worth_reading"]

#: Pairs the pair model reads: at least this close ...
PAIR_SIM = 0.40
#: ... or this close when they name the same participant, place or organisation.
PAIR_SIM_SHARED = 0.25
#: The pair model's probability of "disagree" at or above which two claims disagree.
DISAGREE_P = 0.50
#: The pair model's probability of "agree" at or above which two claims agree.
AGREE_P = 0.50


def worth_reading(a: Claim, b: Claim, cos: float) -> bool:
    """Whether the pair model should read the pair: different voices, close enough to be
    about one thing (see :data:`PAIR_SIM`)."""
    if not comparable(a, b):
        return False
    if cos >= PAIR_SIM or (cos >= PAIR_SIM_SHARED and bool(a.names & b.names)):
        return True
    # Two speakers a few sentences apart in one article: the story sets them against each
    # other ("officials say little impact ... 'it will be a big mistake,' the governor said").
    return (a.article == b.article and different_speakers(a, b)
            and abs(a.position - b.position) <= ASSESS_NEARBY and cos >= ASSESS_SIM_NEARBY)


def plan_then_outcome(a: Claim, b: Claim) -> bool:
    """Whether one claim tells a plan or an expectation ("the council will vote on Monday")
    and the other was published later ("the council voted 5-2 to approve"): what came after
    a plan follows the story; the two sources do not contradict each other."""
    if not (a.published and b.published) or a.published == b.published:
        return False
    earlier = a if a.published < b.published else b
    return bool(LOOKS_AHEAD.search(earlier.text))


def decide(a: Claim, b: Claim, cos: float, agree: float | None, disagree: float | None,
           rare: frozenset[str] | None = None) -> ClaimVerdict:
    """The verdict on a pair, from the pair model's probabilities of agree and disagree
    (None when the model did not read the pair) and the cue rules (:func:`judge`).

    Figure and date conflicts keep their exact rules. Otherwise the pair disagrees when
    the model says so with :data:`DISAGREE_P` (not one speaker against themselves:
    changing one's mind over time is not two sides) or the cue rules find opposite
    assessments, unless one tells a plan and the other, later, its outcome
    (:func:`plan_then_outcome`); two figures of one quantity that differ never agree; the pair agrees
    when the model says so with :data:`AGREE_P` or a rule of :func:`judge` finds the
    same statement. On news pairs from events neither was built on, the model finds
    disagreements the cue lists never do, and the cue rules keep the ones they were
    written for (bench/compare.py shows both).
    """
    rule = judge(a, b, cos, rare)
    if rule.verdict == "disagree" and rule.kind in ("figure", "date"):
        return rule
    read = agree is not None and disagree is not None
    followed = plan_then_outcome(a, b)
    if followed and rule.verdict == "disagree":
        rule = ClaimVerdict("unrelated")
    if read and disagree >= DISAGREE_P and disagree > agree and not same_speaker(a, b) and not followed:  # type: ignore[operator]
        return ClaimVerdict("disagree", "assessment", subject(a, b), disagree)  # type: ignore[arg-type]
    if rule.verdict == "disagree":
        return rule
    if figures_match(a, b) is False:
        return ClaimVerdict("unrelated")
    if read and agree >= AGREE_P and agree > disagree:  # type: ignore[operator]
        return ClaimVerdict("agree", score=agree)  # type: ignore[arg-type]
    return rule
