"""Compare: where a story's sources agree, and where they disagree.

Takes a :class:`Story`, its annotated member articles (origins first, as
:func:`newsdesk.briefing.ordered_articles` gives them), the copy links and the
sentence encoder; gives a :class:`Comparison`:

- ``agreements``: claims carried by two or more *independent* sources (a copy
  of a wire story repeats its origin and adds no source), each citing every
  sentence that carries it; the claim text is the clearest of those
  sentences. Ranked by sources, then by how central the claim is to the story;
  at most :data:`MAX_AGREEMENTS`.
- ``disagreements``: two or more sides, each citing its sentences, of kind
  ``figure`` (same quantity, same as-of date, other counts), ``date`` (one
  event put on different days) or ``assessment`` (the same subject judged in
  opposite directions). Figures of one quantity at *different* as-of dates
  are change over time (the brief's series), never a conflict.
- ``only_here``: per independent source, the claims no other source carries
  (see :mod:`newsdesk.compare.only_here`).

How two sentences are judged is in :mod:`newsdesk.compare.claims`; how an
assessment's direction is read, in :mod:`newsdesk.compare.stance`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from newsdesk.annotate.figures import quantity_key
from newsdesk.compare.claims import (
    AGREE_SIM_ANCHORED,
    AGREE_SIM_EVENT,
    AGREE_SIM_FACT,
    ASSESS_SIM_NEARBY,
    Claim,
    ClaimVerdict,
    as_of,
    comparable,
    could_disagree,
    exact_conflict,
    figure_conflict,
    make_claim,
    rare_names,
    speaker_of,
    surname,
)
from newsdesk.compare.only_here import only_here
from newsdesk.compare.pairs import Judgement, PairModel, PairReadings, judge_pairs, load_pair_model
from newsdesk.compare.passages import Passage, is_summary_worthy, passages, without_dateline
from newsdesk.compare.verdict import PAIR_SIM, PAIR_SIM_SHARED, decide, worth_reading
from newsdesk.embed import Encoder
from newsdesk.model import Agreement, Article, Cite, CopyLink, Disagreement, OnlyHere, Side, Story, origin_map

__all__ = [
    "Comparison", "Judgement", "PairModel", "PairReadings", "claim_vectors", "claims_of", "compare_story",
    "compared_claims", "encoded_claims", "judge_pairs", "load_pair_model", "origin_map", "pairs_to_read",
]

MAX_AGREEMENTS = 10
MAX_DISAGREEMENTS = 8
#: Sentences shorter than this are headings, captions or fragments, not claims.
MIN_WORDS = 5
MAX_WORDS = 80
#: A claim ends as a sentence does: a heading ("Iraq's Status as Proxy Theater") does not.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\s*$|[\"”’]\s*$")


@dataclass
class Comparison:
    agreements: list[Agreement] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    only_here: list[OnlyHere] = field(default_factory=list)


def claims_of(
    members: Sequence[Article], links: Sequence[CopyLink], pool: Sequence[Passage] | None = None
) -> list[Claim]:
    """The story's distinct sentences as claims, each knowing which independent sources carry it.

    ``pool``: the story's passages, when the caller already has them."""
    return _make_claims(_claimable(members, links, pool))


def _claimable(
    members: Sequence[Article], links: Sequence[CopyLink], pool: Sequence[Passage] | None
) -> list[tuple[Passage, Article, Cite, frozenset[str]]]:
    """The passages that can be claims (not headings or fragments), each with the article and
    citation it is first seen at and the independent sources that carry it."""
    origin = origin_map(links)
    by_id = {a.id: a for a in members}
    out = []
    for p in passages(members) if pool is None else pool:
        if not MIN_WORDS <= len(p.text.split()) <= MAX_WORDS or not _SENTENCE_END.search(p.text):
            continue  # a heading or a fragment is no claim
        first = p.citations[0]
        out.append((p, by_id[first.article], first, frozenset(origin.get(c.article, c.article) for c in p.citations)))
    return out


def compared_claims(
    members: Sequence[Article], links: Sequence[CopyLink], pool: Sequence[Passage] | None = None
) -> list[Claim]:
    """The claims :func:`compare_story` judges, whose sentences it encodes; none when
    there is nothing to compare.

    With two or more independent sources, every claim. With one, nothing is
    agreed across sources or "only here", and only sentences of different
    speakers can disagree: just the attributed claims, and none unless two
    speakers are heard (the speakers are found first, so a story of one voice
    makes no claims at all).
    """
    entries = _claimable(members, links, pool)
    if len(frozenset().union(*(g for *_, g in entries))) < 2:
        spoken = [(e, s) for e in entries if (s := speaker_of(e[1], e[2].start, e[2].end))]
        if len({surname(s) for _, s in spoken}) < 2:
            return []
        entries = [e for e, _ in spoken]
    claims = _make_claims(entries)
    return claims if len(claims) >= 2 else []


def _make_claims(entries: Sequence[tuple[Passage, Article, Cite, frozenset[str]]]) -> list[Claim]:
    return [make_claim(a, c.start, c.end, p.position, list(p.citations), g) for p, a, c, g in entries]


def encoded_claims(claims: Sequence[Claim]) -> list[int]:
    """Which claims' sentences compare encodes (indices). With two or more sources, every one.
    With one, nothing is agreed across sources or "only here": only a disagreement between its
    speakers can come out, and only claims that carry a figure, a day, a stance, a ranking or a
    rebuttal can take part in one (every claim, when one rebuts: a rebuttal answers any claim)."""
    if len(frozenset().union(*(c.groups for c in claims))) > 1 or any(c.rebuts for c in claims):
        return list(range(len(claims)))
    return [i for i, c in enumerate(claims) if c.figures or c.days or c.direction or c.stances or c.ranks]


def claim_vectors(encoder: Encoder, claims: Sequence[Claim]) -> np.ndarray:
    """Unit embeddings of the claims' sentences, one row each; a claim :func:`encoded_claims`
    leaves out gets a zero row (cosine 0 with every claim: related to none)."""
    keep = encoded_claims(claims)
    if len(keep) == len(claims):
        return encoder.encode([c.text for c in claims])
    if not keep:
        return np.zeros((len(claims), 1), dtype=np.float32)
    vectors = encoder.encode([claims[i].text for i in keep])
    out = np.zeros((len(claims), vectors.shape[1]), dtype=vectors.dtype)
    out[keep] = vectors
    return out


def compare_story(
    story: Story,
    members: Sequence[Article],
    links: Sequence[CopyLink],
    encoder: Encoder,
    claims: Sequence[Claim] | None = None,
    pair_model: PairModel | PairReadings | None = None,
) -> Comparison:
    """Agreements and disagreements among the story's sources; see the module docstring.

    ``claims``: :func:`compared_claims` of the story, when the caller already has them;
    ``pair_model``: the pair model, or its readings done ahead for many stories
    (:class:`PairReadings`); default: the packaged model, loaded on first use."""
    claims = compared_claims(members, links) if claims is None else list(claims)
    if len(claims) < 2:
        return Comparison()
    vectors = claim_vectors(encoder, claims)
    sim = vectors @ vectors.T
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    centrality = vectors @ centroid
    verdicts = _judge_all(claims, sim, pair_model)
    return Comparison(
        agreements=_agreements(claims, sim, centrality, verdicts),
        disagreements=_disagreements(claims, sim, verdicts, {a.id: a.text for a in members}),
        only_here=only_here(claims, sim, centrality, verdicts, members),
    )


#: The pair model reads, for each claim, at most this many of its nearest claims (by cosine)
#: from other voices: the pairs that can be anything but unrelated are among a claim's
#: nearest, and reading every pair of a 150-claim story would take the brief's whole time.
NEIGHBOURS = 1


def pairs_to_read(claims: Sequence[Claim], sim: np.ndarray) -> tuple[dict[tuple[int, int], ClaimVerdict], list[tuple[int, int]]]:
    """The figure and date conflicts found by rule, and the pairs the pair model should read:
    for each claim, its :data:`NEIGHBOURS` nearest claims worth reading (see
    :func:`newsdesk.compare.verdict.worth_reading`) from another independent source. Two
    speakers inside one source are left to the cue rules: in a pile of single-article
    stories they are most of the pairs (the labelled claim pairs of bench/compare.py are
    all across outlets, so the model is unmeasured on them)."""
    out: dict[tuple[int, int], ClaimVerdict] = {}
    n = len(claims)
    # Figure and date conflicts, by rule, wherever they are (few claims carry figures or days).
    dated = [i for i, c in enumerate(claims) if c.figures or c.days]
    for x, i in enumerate(dated):
        for j in dated[x + 1:]:
            if comparable(claims[i], claims[j]):
                exact = exact_conflict(claims[i], claims[j], float(sim[i, j]))
                if exact is not None:
                    out[(i, j)] = exact
    candidates: set[tuple[int, int]] = set()
    floor = min(PAIR_SIM, PAIR_SIM_SHARED, ASSESS_SIM_NEARBY)
    for i in range(n):
        found = 0
        for j in np.argsort(-sim[i], kind="stable"):
            j = int(j)
            cos = float(sim[i, j])
            if cos < floor or found >= NEIGHBOURS:
                break
            key = (min(i, j), max(i, j))
            if j == i or key in out or claims[i].groups & claims[j].groups:
                continue  # one source's own speakers: left to the cue rules
            if not worth_reading(claims[key[0]], claims[key[1]], cos):
                continue
            candidates.add(key)
            found += 1
    return out, sorted(candidates)


def _judge_all(
    claims: Sequence[Claim], sim: np.ndarray, pair_model: PairModel | PairReadings | None
) -> dict[tuple[int, int], ClaimVerdict]:
    """The verdict of every pair that is anything but unrelated (see
    :func:`newsdesk.compare.verdict.decide`): the pair model reads :func:`pairs_to_read` in
    one batch; the cue rules judge every pair that could be anything but unrelated."""
    out, pairs = pairs_to_read(claims, sim)
    rare = rare_names(claims)
    read: dict[tuple[int, int], tuple[float, float]] = {}
    if pairs:
        model = pair_model or load_pair_model()
        probs = model.probabilities([(claims[i].text, claims[j].text) for i, j in pairs])
        read = {key: (float(p[0]), float(p[1])) for key, p in zip(pairs, probs, strict=True)}
    floor = min(AGREE_SIM_FACT, AGREE_SIM_EVENT, AGREE_SIM_ANCHORED)
    n = len(claims)
    for i in range(n):
        for j in range(i + 1, n):
            if (i, j) in out:
                continue
            cos = float(sim[i, j])
            # Below the agreement cosine only a figure clash, opposite stances or a rebuttal
            # can make an unread pair anything but unrelated: skip the rest cheaply.
            if (i, j) not in read and cos < floor and not could_disagree(claims[i], claims[j], cos):
                continue
            agree, disagree = read.get((i, j), (None, None))
            verdict = decide(claims[i], claims[j], cos, agree, disagree, rare)
            if verdict.verdict != "unrelated":
                out[(i, j)] = verdict
    return out


# ---- agreements ----------------------------------------------------------------------


def _agreements(
    claims: Sequence[Claim], sim: np.ndarray, centrality: np.ndarray, verdicts: dict[tuple[int, int], ClaimVerdict]
) -> list[Agreement]:
    agree: dict[int, set[int]] = {}
    for (i, j), v in verdicts.items():
        if v.verdict == "agree":
            agree.setdefault(i, set()).add(j)
            agree.setdefault(j, set()).add(i)

    # Star clusters: the claim agreed with by the most sources seeds a group of
    # the claims that agree with it; each claim joins one group only, so one
    # statement is never listed twice.
    def reach(i: int) -> int:
        return len(frozenset().union(claims[i].groups, *(claims[j].groups for j in agree.get(i, ()))))

    # Among equal reach, the hub that agrees with the most sentences goes first,
    # so its neighbours gather round it instead of one of them taking it alone.
    order = sorted(agree, key=lambda i: (-reach(i), -len(agree[i]), -float(centrality[i])))
    used: set[int] = set()
    found: list[tuple[int, float, Agreement]] = []
    for seed in order:
        if seed in used:
            continue
        members = [seed, *sorted(j for j in agree[seed] if j not in used)]
        groups = frozenset().union(*(claims[k].groups for k in members))
        if len(groups) < 2:
            continue
        used.update(members)
        best = _clearest(claims, members, sim)
        cites = _merge_cites(claims[k].citations for k in [best, *members])
        found.append((len(groups), float(centrality[seed]), Agreement(claims[best].text, len(groups), cites)))
    found.sort(key=lambda t: (-t[0], -t[1]))
    return [a for _, _, a in found[:MAX_AGREEMENTS]]


def _clearest(claims: Sequence[Claim], members: Sequence[int], sim: np.ndarray) -> int:
    """The member most like the others, preferring a full sentence of moderate length."""

    def score(k: int) -> float:
        others = [float(sim[k, j]) for j in members if j != k]
        words = len(claims[k].text.split())
        return (
            (sum(others) / len(others) if others else 0.0)
            + (0.1 if is_summary_worthy(claims[k].text) else 0.0)
            - 0.003 * abs(words - 25)
        )

    return max(members, key=score)


def _merge_cites(groups_of_cites: object) -> list[Cite]:
    out: list[Cite] = []
    for cites in groups_of_cites:  # type: ignore[attr-defined]
        for c in cites:
            if c not in out:
                out.append(c)
    return out


# ---- disagreements -------------------------------------------------------------------


def _disagreements(
    claims: Sequence[Claim], sim: np.ndarray, verdicts: dict[tuple[int, int], ClaimVerdict],
    texts: dict[str, str] | None = None,
) -> list[Disagreement]:
    """``texts``: the members' texts by id, to show each side without its dateline."""
    texts = texts or {}
    pairs = sorted(
        ((i, j, v) for (i, j), v in verdicts.items() if v.verdict == "disagree"),
        key=lambda t: ({"figure": 0, "date": 1, "assessment": 2}[t[2].kind or "assessment"], -t[2].score,
                       -float(sim[t[0], t[1]])),
    )
    out: list[Disagreement] = []
    figure_keys: dict[tuple[str, str], Disagreement] = {}
    seen_voices: set[frozenset[tuple[str, str]]] = set()
    for i, j, v in pairs:
        a, b = claims[i], claims[j]
        if v.kind == "figure":
            fa, fb = figure_conflict(a, b) or (None, None)
            if fa is None or fb is None:
                continue
            key = (quantity_key(fa), as_of(fa, a) or "")
            if key in figure_keys:
                _add_side(figure_keys[key], a, texts)
                _add_side(figure_keys[key], b, texts)
                continue
            d = Disagreement(v.about, "figure", [_side(a, texts), _side(b, texts)])
            figure_keys[key] = d
            out.append(d)
            continue
        # One assessment or date conflict per pair of voices: the closest pair
        # of sentences stands for the rest.
        voices = frozenset((_voice(a), _voice(b)))
        if voices in seen_voices:
            continue
        seen_voices.add(voices)
        out.append(Disagreement(v.about or _voices_about(a, b), v.kind or "assessment",
                                [_side(a, texts), _side(b, texts)]))
    return out[:MAX_DISAGREEMENTS]


def _voices_about(a: Claim, b: Claim) -> str:
    """A disagreement whose sides share no words is named by who is on each side, when both
    are attributed; else it goes unnamed (renderers show its kind)."""
    who = [c.speaker for c in (a, b) if c.speaker]
    return f"what {who[0]} and {who[1]} say" if len(who) == 2 and who[0] != who[1] else ""


def _side(c: Claim, texts: dict[str, str]) -> Side:
    """A side as shown: the claim without its opening dateline, citing the words shown."""
    return Side(*without_dateline(c.text, c.citations, texts))


def _add_side(d: Disagreement, c: Claim, texts: dict[str, str]) -> None:
    side = _side(c, texts)
    if all(s.text != side.text for s in d.sides):
        d.sides.append(side)


def _voice(c: Claim) -> tuple[str, str]:
    return (min(c.groups), (c.speaker or "").lower())
