"""Claims and the pairwise judgement: do two sentences agree, disagree, or neither?

Takes the distinct sentences of a story (copies merged, see
:func:`newsdesk.compare.passages.passages`) with their article's annotations; gives
:class:`Claim` objects (a sentence plus what can be checked in it: names,
figures, days, speaker, direction) and :func:`judge`, which compares two of
them given the cosine of their embeddings:

- ``agree``: the same statement in other words: very close embeddings, or
  close ones that share names and do not contradict each other's numbers,
  or fairly close ones that report the same figure, or the same event (same
  kind of event, same participant that is rare in the story, see
  :func:`same_event`), or moderately close ones that share an anchor (a
  participant or a state, not a country: see :func:`anchors`) and much of
  their predicate, the words besides the names (:func:`predicate_share`).
  Below the outright cosine, two claims that each name a state and share
  none are two statements ("won Florida", "won Missouri"), and a figure
  clash rules out agreement;
- ``disagree``: a *figure* conflict (same quantity, same as-of date, other
  value), a *date* conflict (the same event sentence placed on another day) or
  an *assessment* conflict (same subject, directions that point opposite
  ways, a rebuttal, or a comparison reversal: "the most qualified ever"
  against "someone more qualified", see :mod:`newsdesk.compare.stance`);
- ``unrelated``: anything else.

Thresholds are on all-MiniLM-L6-v2 cosines and were set on the fictional
example corpus, the invented test sentences and the PolNeAR pairs of
bench/compare.py, which also refits the main ones leaving one event out to
show how much they depend on the events they were set on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from newsdesk.annotate.figures import quantity_key, same_quantity
from newsdesk.compare.stance import asserted, conceded, direction, rankings, rebuts, stances
from newsdesk.lexicon import word_list
from newsdesk.model import Article, Cite, Figure

Verdict = Literal["agree", "disagree", "unrelated"]
Kind = Literal["figure", "assessment", "date"]

#: Cosine at or above which two sentences say the same thing outright.
AGREE_SIM = 0.80
#: Cosine at or above which two sentences that share names and numbers agree.
AGREE_SIM_SUPPORTED = 0.66
#: Two sentences that report the same figure for the same quantity agree on
#: it at this lower cosine (a shared named person alone is not enough: in
#: campaign coverage every sentence names the candidates).
AGREE_SIM_FACT = 0.52
#: Two sentences that report the same *event* agree at this cosine: the same
#: kind of event (see :data:`EVENT_FAMILIES`) with the same rare participant,
#: or two kinds of event at once (a vote to withdraw) in the same place.
AGREE_SIM_EVENT = 0.50
#: Two sentences that share a name or two and much of their wording agree at
#: this cosine: the same statement reworded, where the embedding alone is
#: pulled down by each outlet's framing around it ...
AGREE_SIM_WORDS = 0.60
#: ... when at least this share of the shorter one's content words are shared.
AGREE_WORD_SHARE = 0.35
#: Two sentences that repeat the same run of words (a quote both report) agree
#: at this cosine ...
AGREE_SIM_QUOTE = 0.50
#: ... when the run is at least this many words long.
QUOTE_RUN = 7
#: Two sentences that share an anchor (a participant or a state, see
#: :func:`anchors`) and the words of their predicate (content words other than
#: the names: "showed no sign of backing down") agree at this cosine: the same
#: statement in each outlet's framing, which pulls the embeddings apart ...
AGREE_SIM_ANCHORED = 0.40
#: ... when at least this share of the shorter one's predicate words are shared.
#: (Below :data:`AGREE_SIM`, two claims that each name a state and share none
#: never agree: "won Florida" and "won Missouri" are two results.)
AGREE_PREDICATE_SHARE = 0.30
#: A participant is evidence of one event only when it is named in at most this
#: share of the story's claims: in campaign coverage every sentence names the
#: candidates, and a name everywhere says nothing about which event is meant.
RARE_NAME_SHARE = 0.12
#: Kinds of event with their verbs and nominalisations ("killed" and "the
#: assassination of" report one killing). Generic news verbs, not topics.
EVENT_FAMILIES: dict[str, str] = {
    "kill": r"kill(?:s|ed|ing)?|assassinat\w*|slain|slay\w*|murder\w*",
    "vote": r"vot(?:e|es|ed|ing)|ballot\w*|referendum",
    "withdraw": r"withdr[ae]w\w*|oust\w*|expel\w*|pull(?:s|ed|ing)? out|pullout|drawdown|evacuat\w*",
    "attack": r"attack\w*|strikes?|struck|bomb(?:s|ed|ing|ings)?|shelling",
    "resign": r"resign\w*|step(?:s|ped)? down|quit",
    "arrest": r"arrest\w*|detain\w*|detention|indict\w*|charged",
    "endorse": r"endors\w*",
    "sign": r"sign(?:s|ed|ing)|ratif\w*",
}
_EVENT_RES = {k: re.compile(r"\b(?:" + v + r")\b") for k, v in EVENT_FAMILIES.items()}
#: Entity labels that name who takes part in an event.
_ACTOR_LABELS = {"PERSON", "ORG", "FAC"}
#: Two figures of one quantity are compared only in sentences at least this close
#: ("Trump won Ohio by 50,000 votes" and "Clinton led Missouri by 1,500 votes"
#: count votes, but not the same votes) ...
FIGURE_SIM = 0.60
#: ... and this close when the quantity is only a unit ("percent", "USD").
FIGURE_SIM_UNIT_ONLY = 0.75
#: Two dated sentences are the same event only at least this close.
DATE_SIM = 0.78
#: Two assessments are about the same subject at least this close ...
ASSESS_SIM = 0.50
#: ... or this close when they also share a name.
ASSESS_SIM_SHARED = 0.35
#: Two assessments by different speakers in one article are about the same
#: subject when this few sentences apart (the story keeps them on topic) ...
ASSESS_NEARBY = 8
#: ... and at least this close.
ASSESS_SIM_NEARBY = 0.20
#: Two sentences that point opposite ways on one of the further stance axes
#: (prospects, unity, outcome: see :func:`newsdesk.compare.stance.stances`)
#: are about the same subject at least this close. Lower than
#: :data:`ASSESS_SIM`: the axis lexicons are narrower than the risk words, and
#: inside one story a contender's chances are the subject whoever is named.
AXIS_SIM = 0.30
#: ... or this close when they also share a name.
AXIS_SIM_SHARED = 0.25
#: A rebuttal ("the report is misleading") answers a sentence at least this
#: close that shares a name with it and is no rebuttal itself.
REBUT_SIM = 0.40
#: A comparison reversal ("the most qualified ever" against "someone more
#: qualified") is about the same subject at least this close.
RANK_SIM = 0.45
#: A sentence is a speaker's only when their quote covers at least this share
#: of it; a reporter's sentence that cites a few words of someone stays the
#: reporter's claim.
SPEAKER_SHARE = 0.5
#: Values of one quantity within this relative distance are the same figure rounded.
FIGURE_TOLERANCE = 0.02
#: Entity labels that name what a claim is about.
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT", "LAW"}
_WORD = re.compile(r"[a-z][a-z'-]{2,}")
_RUN_WORD = re.compile(r"[a-z0-9]+")
#: Function words and reporting verbs: sharing them says nothing about a subject.
_STOP = frozenset(word_list("newsdesk.compare", "stop_words.txt"))


@dataclass
class Claim:
    """One distinct sentence of a story and what can be checked in it."""

    text: str
    article: str
    position: int
    citations: list[Cite]
    groups: frozenset[str]  # independent sources (origin groups) that carry it
    names: frozenset[str] = frozenset()
    words: frozenset[str] = frozenset()
    figures: tuple[Figure, ...] = ()
    days: frozenset[str] = frozenset()
    speaker: str | None = None
    direction: int = 0
    conceded: int = 0  # the direction of what it concedes before its main clause, see stance.conceded
    asserted: int = 0  # the direction its main clause says outright, see stance.asserted
    published: str | None = None  # the first carrying article's publication date
    actors: frozenset[str] = frozenset()  # people and organisations named (name keys)
    places: frozenset[str] = frozenset()  # countries (ISO codes, demonyms resolved) and place names
    events: frozenset[str] = frozenset()  # kinds of event reported, keys of EVENT_FAMILIES
    stances: dict[str, int] = field(default_factory=dict)  # further stance axes, see stance.stances
    rebuts: bool = False  # calls some statement wrong, see stance.rebuts
    ranks: dict[str, str] = field(default_factory=dict)  # quality -> "top" | "more", see stance.rankings
    regions: frozenset[str] = frozenset()  # states and provinces named (gazetteer names, lower-cased)
    mentions: dict[str, str] = field(default_factory=dict)  # name key -> its words in this sentence


def content_words(text: str) -> frozenset[str]:
    """Lower-cased words of three letters or more that are not function words, crudely stemmed."""
    return frozenset(_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP)


def event_kinds(text: str) -> frozenset[str]:
    """The kinds of event (keys of :data:`EVENT_FAMILIES`) a sentence reports."""
    low = text.lower()
    return frozenset(k for k, rx in _EVENT_RES.items() if rx.search(low))


def word_share(a: Claim, b: Claim) -> float:
    """Share of the shorter claim's content words that the other claim also uses."""
    return len(a.words & b.words) / max(1, min(len(a.words), len(b.words)))


def predicate_share(a: Claim, b: Claim) -> float:
    """Share of the shorter claim's predicate words (content words that are not
    part of a name) that the other claim also uses: what is said, not who about."""
    # A name either claim marks is no predicate word in the other ("Weir's" included).
    names = _name_words(a) | _name_words(b)
    pa = {w for w in a.words if w.split("'")[0] not in names}
    pb = {w for w in b.words if w.split("'")[0] not in names}
    return len(pa & pb) / max(1, min(len(pa), len(pb)))


def _name_words(c: Claim) -> frozenset[str]:
    return frozenset(w for n in c.names for w in content_words(n))


def anchors(a: Claim, b: Claim) -> frozenset[str]:
    """What both claims name that can anchor one statement: a participant
    (person, organisation, facility) or a region (state, province). Not a
    country or a nationality: in a story set in Iraq every sentence says
    "Iraq" or "Iraqi", and that says nothing about which statement is meant."""
    return (a.actors & b.actors) | (a.regions & b.regions)


def other_regions(a: Claim, b: Claim) -> bool:
    """Whether both claims name regions and none is shared: two places, two statements."""
    return bool(a.regions and b.regions and not a.regions & b.regions)


def shared_run(x: str, y: str, n: int) -> bool:
    """Whether ``x`` and ``y`` share a run of ``n`` words (case and punctuation ignored)."""
    def runs(t: str) -> set[tuple[str, ...]]:
        w = _RUN_WORD.findall(t.lower())
        return {tuple(w[i : i + n]) for i in range(len(w) - n + 1)}

    return bool(runs(x) & runs(y))


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def _name_key(text: str, label: str) -> str:
    # A person is named in full once and by surname after: key on the surname.
    words = re.findall(r"[\w'-]+", text.lower())
    words = [w for w in words if w not in ("the", "'s")]
    if not words:
        return ""
    return words[-1] if label == "PERSON" else " ".join(words)


def make_claim(
    article: Article, start: int, end: int, position: int, citations: list[Cite], groups: frozenset[str]
) -> Claim:
    """The :class:`Claim` for ``article.text[start:end]`` with the annotations that fall inside it."""
    text = article.text[start:end]
    ann = article.annotations
    names: set[str] = set()
    figures: list[Figure] = []
    days: set[str] = set()
    speaker = None
    actors: set[str] = set()
    places: set[str] = set()
    regions: set[str] = set()
    mentions: dict[str, str] = {}
    if ann is not None:
        for e in ann.entities:
            if start <= e.start < end and e.label in _NAME_LABELS and (k := _name_key(e.text, e.label)):
                mentions.setdefault(k, e.text)
        names = set(mentions)
        actors = {k for e in ann.entities if start <= e.start < end and e.label in _ACTOR_LABELS
                  if (k := _name_key(e.text, e.label))}
        # Regions are states and provinces, not cities: a capital often stands for
        # its government ("Washington and Tehran"), a state for where a result is.
        regions = {p.name.lower() for p in ann.places if start <= p.start < end and p.precision == "region"}
        # Places resolve demonyms and spellings ("Iraqi", "Iraq's") to one country.
        places = {p.country or p.name.lower() for p in ann.places if start <= p.start < end}
        figures = [f for f in ann.figures if start <= f.start < end and (f.counts or f.unit)]
        days = {d.value[:10] for d in ann.dates
                if start <= d.start < end and d.value and d.precision == "day" and d.kind == "DATE"}
        speaker = speaker_of(article, start, end)
    return Claim(
        text=text, article=article.id, position=position, citations=citations, groups=groups,
        names=frozenset(names), words=content_words(text), figures=tuple(figures),
        days=frozenset(days), speaker=speaker, direction=direction(text), conceded=conceded(text),
        asserted=asserted(text),
        published=article.published.date if article.published else None,
        actors=frozenset(actors), places=frozenset(places), events=event_kinds(text),
        stances=stances(text), rebuts=rebuts(text), ranks=rankings(text), regions=frozenset(regions),
        mentions=mentions,
    )


def speaker_of(article: Article, start: int, end: int) -> str | None:
    """The speaker of the quote that covers most of the sentence, if one covers at least
    :data:`SPEAKER_SHARE` of it, or is a direct quote attributed inside the sentence
    (""The danger has passed," Baptista, the commander, told reporters")."""
    best, best_overlap = None, int(SPEAKER_SHARE * (end - start)) - 1
    for q in article.annotations.quotes if article.annotations else []:
        if not q.speaker:
            continue
        overlap = min(end, q.end) - max(start, q.start)
        attributed_here = (
            q.direct and overlap > 0 and q.speaker_start is not None and start <= q.speaker_start < end
        )
        if overlap > best_overlap or (attributed_here and best is None):
            best, best_overlap = q.speaker, max(overlap, best_overlap)
    return best


# ---- the pairwise judgement ----------------------------------------------------------


@dataclass(frozen=True)
class ClaimVerdict:
    verdict: Verdict
    kind: Kind | None = None
    about: str = ""
    score: float = 1.0  # the pair model's probability of the verdict; 1 for a rule's


def comparable(a: Claim, b: Claim) -> bool:
    """Two claims can agree or disagree only when different voices make them.

    Different independent sources count; inside one source, two sentences
    count only when they are attributed to different speakers ("officials say
    ... little impact" against a mayor's "a big mistake").
    """
    if not (a.groups & b.groups):
        return True
    return different_speakers(a, b)


def different_speakers(a: Claim, b: Claim) -> bool:
    return a.speaker is not None and b.speaker is not None and surname(a.speaker) != surname(b.speaker)


def same_speaker(a: Claim, b: Claim) -> bool:
    return a.speaker is not None and b.speaker is not None and surname(a.speaker) == surname(b.speaker)


def same_subject(a: Claim, b: Claim, cos: float) -> bool:
    """Whether two assessments judge the same thing (see the thresholds above)."""
    if cos >= ASSESS_SIM or (cos >= ASSESS_SIM_SHARED and a.names & b.names):
        return True
    return (a.article == b.article and different_speakers(a, b)
            and abs(a.position - b.position) <= ASSESS_NEARBY and cos >= ASSESS_SIM_NEARBY)


def surname(name: str) -> str:
    return name.lower().split()[-1] if name.split() else ""


def figure_conflict(a: Claim, b: Claim) -> tuple[Figure, Figure] | None:
    """Two figures of the same quantity for the same day whose values differ.

    Not a conflict: figures at different as-of dates (change over time); a
    sentence that gives both values ("9,800, down from 11,500": it reports the
    change); forecasts ("11,500 trips by 2030") made on different days.
    """
    for fa in a.figures:
        for fb in b.figures:
            day = as_of(fa, a)
            if not same_quantity(fa, fb) or day is None or day != as_of(fb, b):
                continue
            if _close(fa.value, fb.value) or _has_value(a, fb) or _has_value(b, fa):
                continue
            if (_is_forecast(fa, a) or _is_forecast(fb, b)) and a.published != b.published:
                continue
            return fa, fb
    return None


def as_of(f: Figure, c: Claim) -> str | None:
    """The day a figure holds for.

    The figure's own ``as_of``, unless that is only the publication date (the
    annotator's fallback) and the sentence names exactly one day: "About 9,500
    people were still out on Thursday" holds for that Thursday.
    """
    if (f.as_of is None or f.as_of == c.published) and len(c.days) == 1:
        return next(iter(c.days))
    return f.as_of


def _has_value(c: Claim, f: Figure) -> bool:
    return any(same_quantity(g, f) and _close(g.value, f.value) for g in c.figures)


def _is_forecast(f: Figure, c: Claim) -> bool:
    """A figure said to hold after the day it was published is a forecast or a plan."""
    if f.as_of is None or c.published is None:
        return False
    return f.as_of[:10] > c.published[: len(f.as_of[:10])]


def figures_match(a: Claim, b: Claim) -> bool | None:
    """True when a figure of one quantity has the same value in both, False on a clash, None when none compare."""
    verdict = None
    for fa in a.figures:
        for fb in b.figures:
            if same_quantity(fa, fb):
                if not _close(fa.value, fb.value):
                    return False
                verdict = True
    return verdict


def _close(x: float, y: float) -> bool:
    return abs(x - y) <= FIGURE_TOLERANCE * max(abs(x), abs(y), 1e-9)


def concedes(a: Claim, b: Claim) -> bool:
    """Whether one of two opposite assessments concedes what the other says outright ("the
    threat has lessened but may rebound" against "the group has been diminished"): the same
    facts weighed differently, not two sides. Against "a feared resurgence has not
    materialized" it concedes nothing: that side speaks of the resurgence the first warns of."""
    return (a.conceded != 0 and a.conceded == b.asserted) or (b.conceded != 0 and b.conceded == a.asserted)


def opposed_axis(a: Claim, b: Claim) -> str | None:
    """The first further stance axis on which the two claims point opposite ways."""
    return next((ax for ax, d in a.stances.items() if d * b.stances.get(ax, 0) < 0), None)


def reversed_ranking(a: Claim, b: Claim) -> str | None:
    """A quality one claim ranks someone top on and the other only "more" on (see :func:`stance.rankings`)."""
    return next((q for q, r in a.ranks.items() if q in b.ranks and b.ranks[q] != r), None)


def could_disagree(a: Claim, b: Claim, cos: float) -> bool:
    """Cheap test: whether a pair could be a disagreement at all (figures, or a stance or rebuttal at odds)."""
    if a.figures and b.figures:
        return True
    if a.direction * b.direction < 0 and cos >= min(ASSESS_SIM_NEARBY, ASSESS_SIM_SHARED):
        return True
    if opposed_axis(a, b) and cos >= AXIS_SIM_SHARED:
        return True
    if reversed_ranking(a, b) and cos >= RANK_SIM:
        return True
    return a.rebuts != b.rebuts and cos >= REBUT_SIM


def shared_subject(a: Claim, b: Claim) -> list[str]:
    """Names, then content words, that both claims mention (what they are about)."""
    names = sorted(a.names & b.names)
    words = sorted((a.words & b.words) - {w for n in names for w in n.split()})
    return names + words


def same_event(a: Claim, b: Claim, rare: frozenset[str] | None) -> bool:
    """Whether two sentences report one event: the same kind of event, and
    either the same participant that is rare in the story (``rare``; None
    means unknown, and then no participant counts) or two kinds of event at
    once ("voted to oust the troops") in the same place."""
    kinds = a.events & b.events
    if not kinds:
        return False
    if rare is not None and a.actors & b.actors & rare:
        return True
    return len(kinds) >= 2 and bool(a.places & b.places)


def rare_names(claims: list[Claim] | tuple[Claim, ...]) -> frozenset[str]:
    """Participants named in at most :data:`RARE_NAME_SHARE` of ``claims`` (see :func:`same_event`)."""
    counts: dict[str, int] = {}
    for c in claims:
        for n in c.actors:
            counts[n] = counts.get(n, 0) + 1
    limit = max(1.0, RARE_NAME_SHARE * len(claims))
    return frozenset(n for n, k in counts.items() if k <= limit)


def judge(a: Claim, b: Claim, cos: float, rare: frozenset[str] | None = None) -> ClaimVerdict:
    """Whether ``a`` and ``b`` agree, disagree or are unrelated; see the module docstring.

    ``rare``: the participants rare in the story (:func:`rare_names`), for
    the same-event agreement; None leaves that rule to shared places alone.
    """
    if not comparable(a, b):
        return ClaimVerdict("unrelated")
    exact = exact_conflict(a, b, cos)
    if exact is not None:
        return exact
    # One speaker changing their mind over time is not two sides.
    if a.direction * b.direction < 0 and not same_speaker(a, b) and same_subject(a, b, cos) and not concedes(a, b):
        return ClaimVerdict("disagree", "assessment", subject(a, b))
    axis = opposed_axis(a, b)
    if axis and not same_speaker(a, b) and (cos >= AXIS_SIM or (cos >= AXIS_SIM_SHARED and a.names & b.names)):
        return ClaimVerdict("disagree", "assessment", subject(a, b))
    quality = reversed_ranking(a, b)
    if quality and not same_speaker(a, b) and cos >= RANK_SIM:
        return ClaimVerdict("disagree", "assessment", subject(a, b))
    if a.rebuts != b.rebuts and not same_speaker(a, b) and a.names & b.names and cos >= REBUT_SIM:
        return ClaimVerdict("disagree", "assessment", subject(a, b))
    numbers = figures_match(a, b)
    if numbers is False:
        return ClaimVerdict("unrelated")
    if cos >= AGREE_SIM:
        return ClaimVerdict("agree")
    # Below the outright cosine, two results in two places are two statements.
    if other_regions(a, b):
        return ClaimVerdict("unrelated")
    if cos >= AGREE_SIM_SUPPORTED and (numbers or len(a.names & b.names) >= 2):
        return ClaimVerdict("agree")
    if cos >= AGREE_SIM_FACT and numbers:
        return ClaimVerdict("agree")
    if cos >= AGREE_SIM_EVENT and same_event(a, b, rare):
        return ClaimVerdict("agree")
    if cos >= AGREE_SIM_WORDS and len(a.names & b.names) >= 2 and word_share(a, b) >= AGREE_WORD_SHARE:
        return ClaimVerdict("agree")
    if cos >= AGREE_SIM_QUOTE and shared_run(a.text, b.text, QUOTE_RUN):
        return ClaimVerdict("agree")
    if cos >= AGREE_SIM_ANCHORED and anchors(a, b) and predicate_share(a, b) >= AGREE_PREDICATE_SHARE:
        return ClaimVerdict("agree")
    return ClaimVerdict("unrelated")


# ---- exact conflicts and subjects (shared with the pair model's verdict, newsdesk.compare.verdict)


def exact_conflict(a: Claim, b: Claim, cos: float) -> ClaimVerdict | None:
    """A figure conflict (same quantity, same as-of day, other value) or a date conflict
    (one event sentence put on two days): checked by rule, not by the pair model."""
    clash = figure_conflict(a, b)
    if clash is not None and cos >= (FIGURE_SIM_UNIT_ONLY if clash[0].counts is None else FIGURE_SIM):
        fa, _fb = clash
        return ClaimVerdict("disagree", "figure", f"{quantity_key(fa)}, as of {as_of(fa, a)}")
    if (cos >= DATE_SIM and len(a.days) == len(b.days) == 1 and a.days != b.days
            and a.published == b.published):
        return ClaimVerdict("disagree", "date", subject(a, b))
    return None


#: A word, or a number with its decimal point or thousands separators ("9.6", "5,200").
_TOKEN = re.compile(r"\d+(?:[.,]\d+)*|[\w'’-]+")


def subject(a: Claim, b: Claim) -> str:
    """What two claims are both about, in the words of one of them.

    The longest run of words both sentences share that holds two content words or
    more (trimmed of function words at its ends, a leading "the" kept: "the
    withdrawal of 500 troops"), unless it only names places ("Iraq and Syria") and
    the two share a participant; else the participant both name (one may name it
    by its initials: "IS" for "the Islamic State"), then the run of places, then
    the place, as the first sentence writes it. Empty when they share
    none of these (the caller then names the two voices).
    """
    wa, wb = _TOKEN.findall(a.text), _TOKEN.findall(b.text)
    la, lb = [w.lower() for w in wa], [w.lower() for w in wb]
    best: tuple[int, int, int] = (0, 0, 0)  # (content words, length, start in a)
    # Longest common runs by dynamic programming over the two word lists (sentences are short).
    prev = [0] * (len(lb) + 1)
    for i in range(1, len(la) + 1):
        cur = [0] * (len(lb) + 1)
        for j in range(1, len(lb) + 1):
            if la[i - 1] == lb[j - 1]:
                cur[j] = prev[j - 1] + 1
                run = _trim(la[i - cur[j]: i])
                if run is not None:
                    lo, hi = run
                    start = i - cur[j] + lo
                    words = la[start: i - cur[j] + hi]
                    content = sum(1 for w in words if w not in _STOP and len(w) > 2)
                    if (content, len(words)) > best[:2]:
                        best = (content, len(words), start)
        prev = cur
    content, length, start = best
    run = " ".join(wa[start: start + length]) if content >= 2 else ""
    place_words = {w for k in (a.names | b.names) - a.actors - b.actors for w in k.split()}
    if run and not {w for w in la[start: start + length] if w not in _STOP and len(w) > 2} <= place_words:
        return run
    # A participant both name before places both name: "the Islamic State", not "Syria".
    actors = sorted(a.names & b.names & (a.actors | b.actors), key=lambda k: -len(a.mentions.get(k, k)))
    if actors:
        return a.mentions.get(actors[0], actors[0])
    alias = initials_alias(a.text, b.text) or initials_alias(b.text, a.text)
    if alias:
        return alias
    if run:
        return run
    names = sorted(a.names & b.names, key=lambda k: -len(a.mentions.get(k, k)))
    return a.mentions.get(names[0], names[0]) if names else ""


#: A name written by its initials: "IS", "UN", "NATO".
_INITIALS = re.compile(r"\b[A-Z]{2,6}\b")


def initials_alias(text: str, other: str) -> str:
    """A name ``text`` spells out ("the Islamic State") that ``other`` writes by its initials
    ("IS"), as ``text`` writes it; empty when there is none."""
    for letters in dict.fromkeys(_INITIALS.findall(other)):
        words = r"\s+".join(f"{ch}[a-z]+" for ch in letters)
        m = re.search(rf"\b(?:the\s+)?{words}\b", text)
        if m:
            return m.group(0)
    return ""


def _trim(words: list[str]) -> tuple[int, int] | None:
    """The run without function words at either end ("the" may lead); None if nothing is left."""
    lo, hi = 0, len(words)
    while lo < hi and (words[lo] in _STOP or len(words[lo]) <= 2) and words[lo] != "the":
        lo += 1
    while hi > lo and (words[hi - 1] in _STOP or len(words[hi - 1]) <= 2):
        hi -= 1
    if hi - lo == 0 or (hi - lo == 1 and words[lo] == "the"):
        return None
    return lo, hi
