"""Stance: which way an assessment points, from a small lexicon of direction words.

Takes a sentence; gives its *direction*: -1 when it says a danger, threat or
cost is going down or small ("the threat has dimmed", "little, if any,
impact", "the danger has passed"), +1 when it says it is going up or large
("they have the potential to resurge", "it will be a big mistake", "it could
flood again"), 0 when it says neither or both equally.

No offline natural-language-inference or stance model ships in a package we
can install (model hubs are out of reach), so this is a transparent lexicon,
kept as data in ``compare/data/stance_cues.tsv``:

- cue patterns with a direction and a weight (a phrase such as "has not
  materialized" outweighs a single word);
- negation: "not", "never", "n't", "hardly", "failed to" in the four words
  before a cue (or inside it) flips it ("it had not passed" points up);
- contrast: in "X, but Y" and "Though X, Y" the main clause Y decides, so
  "the threat has lessened but may rebound" points up.

The risk axis is :func:`direction`. :func:`stances` reads the same way along
further axes that news sources argue over, each a small lexicon of its own:

- ``prospects``: a side's chances (+1 "can still close the gap", "has
  momentum"; -1 "an insurmountable lead", "out of reach");
- ``unity``: two parties coming together (+1 "pledged to work together",
  "common ground"; -1 "a rift", "will never be a natural match");
- ``outcome``: whether a contest is settled (+1 "won", "was declared the
  winner", "clinched", "the presumptive nominee", "the voters have spoken";
  -1 "too close to call", "not yet decided", "a contested convention",
  "delegates can change their minds", "vowed to stay in the race").

On these axes a cue after a verb of rejection ("would not accept any
declaration that she is the presumptive nominee", "denied that ...") is
part of the statement rejected, so it counts the other way.

:func:`rankings` reads comparisons: "the most qualified person ever" or
"there has never been anyone more qualified than X" ranks someone *top* on
a quality; "someone more qualified" or "more qualified than Y" ranks
someone *above* another. A top ranking against a mere "more" on the same
quality is a comparison reversal (one side says nobody beats X, the other
names who does or hedges to "more than Y").

:func:`rebuts` spots a rebuttal ("the report is misleading", "that is not
true", "would not accept the declaration", "a rush to judgment"): a sentence
that calls another statement wrong or refuses it, whatever its axis.
None of this judges praise or blame.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from newsdesk.lexicon import word_table


def _read_cues() -> dict[str, list[tuple[str, int, float]]]:
    """axis -> (pattern, direction, weight), in the order of ``data/stance_cues.tsv`` (which says how they read)."""
    axes: dict[str, list[tuple[str, int, float]]] = {}
    for axis, sign, weight, pattern in word_table("newsdesk.compare", "stance_cues.tsv"):
        axes.setdefault(axis, []).append((pattern, int(sign), float(weight)))
    return axes


class _Cues:
    """A cue list ready to weigh: its cues in file order (``items``), weightier first
    (``ordered``: "big mistake" is read before "mistake"), and one pattern that finds any
    of them (``any``: most sentences hold no cue, and one search settles that)."""

    def __init__(self, items: list[tuple[re.Pattern[str], int, float]]) -> None:
        self.items = items
        self.ordered = sorted(items, key=lambda c: -c[2])
        self.any = re.compile("|".join(f"(?:{pat.pattern})" for pat, _d, _w in items) or r"(?!)")


#: axis -> cues; "risk" is the axis of :func:`direction`, the others are those of :func:`stances`.
_LEXICON = _read_cues()
_CUES = _LEXICON["risk"]
_COMPILED = _Cues([(re.compile(r"\b" + p + r"\b"), d, w) for p, d, w in _CUES])
_NEGATION = re.compile(r"\b(?:not|never|no|hardly|n't|nor|without|yet to|failed to|ceased to)\b|n't\b")
_CONTRAST = re.compile(r"\bbut\b|\bhowever\b")
_CONCESSIVE = re.compile(r"^\W*(?:though|although|even though|while|despite)\b[^,]*,", re.IGNORECASE)


def direction(text: str) -> int:
    """-1 (down, reassuring), +1 (up, alarming) or 0 for one sentence."""
    score = _score(_main_clause(text.lower()))
    if abs(score) < 1.0:
        return 0
    return 1 if score > 0 else -1


def asserted(text: str) -> int:
    """The direction the main clause says outright, its denied cues left out: -1 for "the
    group has been diminished", +1 for "a feared resurgence has not materialized" (it speaks
    of a resurgence, if to deny it), 0 when it says neither. What a concession is held against
    (:func:`conceded`)."""
    return _outright(_main_clause(text.lower()))


def _outright(low: str) -> int:
    """The sign of the risk cues ``low`` states outright (a denied cue counts for nothing)."""
    score = _weigh(low, _COMPILED, lambda m: 0 if _negated(low, m.start(), m.end()) < 0 else 1)
    return 0 if score == 0 else (1 if score > 0 else -1)


def conceded(text: str) -> int:
    """The direction of what the sentence concedes before its main clause turns ("the threat
    has lessened" in "the threat has lessened but may rebound"): -1, +1, or 0 when it
    concedes nothing or nothing either way. Only what the clause says outright counts:
    "Though it may never be eradicated, the group is diminished" concedes no rise. A side
    that concedes what the other asserts (:func:`asserted`) does not contradict it: it weighs
    the same facts differently."""
    low = text.lower()
    parts = _CONTRAST.split(low)
    if len(parts) > 1 and _score(parts[-1]) != 0:
        rest = " ".join(parts[:-1])
    else:
        m = _CONCESSIVE.match(low)
        if m is None or _score(low[m.end():]) == 0:
            return 0
        rest = low[: m.end()]
    # What a clause says outright, not what it denies: "may never be eradicated" concedes no rise.
    return _outright(rest)


def cues(text: str) -> list[tuple[str, int]]:
    """The direction cues found in ``text`` with their direction after negation (for reports and tests)."""
    low = text.lower()
    return [(m.group(0), d * _negated(low, m.start(), m.end())) for pat, d, _w in _COMPILED.items for m in pat.finditer(low)]


def _main_clause(low: str) -> str:
    """The clause that carries the assessment: after a contrast or a concession."""
    parts = _CONTRAST.split(low)
    if len(parts) > 1 and _score(parts[-1]) != 0:
        return parts[-1]
    m = _CONCESSIVE.match(low)
    if m and _score(low[m.end():]) != 0:
        return low[m.end():]
    return low


def _score(low: str) -> float:
    return _weigh(low, _COMPILED, lambda m: _negated(low, m.start(), m.end()))


def _weigh(
    low: str, cues_: _Cues, sign: Callable[[re.Match[str]], int]
) -> float:
    """The weighted directions of the cues found in ``low``, each times ``sign`` of its match."""
    if not cues_.any.search(low):
        return 0.0
    total = 0.0
    taken: list[tuple[int, int]] = []
    for pat, d, w in cues_.ordered:
        for m in pat.finditer(low):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            total += d * w * sign(m)
    return total


def _negated(low: str, start: int, end: int) -> int:
    """-1 when a negation stands in the four words before a cue or inside it ("had not passed")."""
    window = " ".join(low[:start].split()[-4:]) + " " + " ".join(low[start:end].split()[:-1])
    return -1 if _NEGATION.search(window) else 1


# ---- further axes ----------------------------------------------------------------------

#: axis -> (pattern, direction, weight), read like :data:`_CUES`.
_AXES = {axis: cues_ for axis, cues_ in _LEXICON.items() if axis != "risk"}
_AXES_COMPILED = {axis: _Cues([(re.compile(r"\b(?:" + p + r")\b"), d, w) for p, d, w in cues_])
                  for axis, cues_ in _AXES.items()}

#: Words that call another statement wrong.
#: Refusing to accept a statement: a rebuttal on its own, and what turns the cues after it around.
_REFUSAL = r"(?:would|will|did|does|do|could|can)(?:n't| not) accept|refus\w* to (?:accept|recogni[sz]e)"
_REBUTTAL = re.compile(
    r"\b(?:mislead\w*|distort\w*|false(?:ly|hood)?|untrue|not true|inaccura\w*|outrageous|cherry-?pick\w*"
    r"|baseless|unfounded|debunk\w*|nonsense|smear\w*|fabricat\w*|ridiculous|absurd|bogus|"
    r"(?:flatly |strongly )?(?:denied|denies|deny|disputed|disputes|rejected|rejects) (?:the|that|this|those|any|claims?|reports?)|"
    r"no evidence|not the case|"
    # Refusing to accept a statement, or calling it hasty or mistaken: general
    # rejection phrases, not tied to what is rejected.
    rf"{_REFUSAL}|"
    r"rush to judg(?:e)?ment|premature(?:ly)?|(?:sadly|simply|just|badly) mistaken)\b"
)


def stances(text: str) -> dict[str, int]:
    """Direction (+1 / -1) on each further axis the sentence speaks to; axes it is silent or split on are left out."""
    low = _main_clause(text.lower())
    out: dict[str, int] = {}
    for axis, compiled in _AXES_COMPILED.items():
        score = _score_with(low, compiled)
        if abs(score) >= 1.0:
            out[axis] = 1 if score > 0 else -1
    return out


def rebuts(text: str) -> bool:
    """Whether the sentence calls some statement wrong ("the report is misleading", "that's not true")."""
    return bool(_REBUTTAL.search(text.lower()))


def _score_with(low: str, compiled: _Cues) -> float:
    rejected_from = _rejection_end(low)

    def sign(m: re.Match[str]) -> int:
        # A cue after "would not accept (the claim that) ..." is part of the
        # statement rejected: the sentence points the other way.
        flip = -1 if rejected_from is not None and m.start() >= rejected_from else 1
        return _negated_before(low, m.start()) * flip

    return _weigh(low, compiled, sign)


#: Verbs of rejection whose object is a statement ("would not accept any
#: declaration that ...", "denied that ...", "rejected claims that ...").
_REJECTION = re.compile(
    rf"\b(?:{_REFUSAL}"
    r"|(?:denied|denies|deny|disputed|disputes|rejected|rejects) (?:the |any )?(?:claims?|reports?|suggestions?|that))\b"
)


def _rejection_end(low: str) -> int | None:
    """Where the first rejection phrase of the sentence ends, if there is one."""
    m = _REJECTION.search(low)
    return m.end() if m else None


def _negated_before(low: str, start: int) -> int:
    """-1 when a negation stands in the four words before a cue.

    Unlike :func:`_negated`, not inside it: the axis cues spell out their own
    negations ("not yet decided", "isn't going to happen").
    """
    return -1 if _NEGATION.search(" ".join(low[:start].split()[-4:])) else 1


# ---- comparisons -----------------------------------------------------------------------

#: Words after "more"/"most" that are no quality ("more than", "most of").
_NOT_QUALITY = frozenset(["than", "of", "the", "a", "an", "and", "or", "to", "in", "likely", "often", "recently",
                          "people", "votes", "voters", "money", "time", "delegates", "support", "states"])
_TOP = [
    re.compile(r"\b(?:the|a|an) most (\w+)"),
    re.compile(r"\b(?:never|nobody|no one|no-one|none)\b[^.;:]{0,80}?\bmore (\w+)"),
]
_MORE = [
    re.compile(r"\bmore (\w+)(?:,[^,]{0,40},)? than\b"),
    re.compile(r"\b(?:someone|somebody|others?|many|several) (?:\w+ ){0,3}?more (\w+)"),
]


def rankings(text: str) -> dict[str, str]:
    """Quality -> "top" (nobody beats the one named) or "more" (one ranked above another); see the module docstring."""
    low = text.lower()
    out: dict[str, str] = {}
    top_spans: list[tuple[int, int]] = []
    for pat in _TOP:
        for m in pat.finditer(low):
            if m.group(1) not in _NOT_QUALITY:
                out[m.group(1)] = "top"
                top_spans.append(m.span(1))
    for pat in _MORE:
        for m in pat.finditer(low):
            w = m.group(1)
            if w in _NOT_QUALITY or w in out or any(s <= m.start(1) < e for s, e in top_spans):
                continue
            out[w] = "more"
    return out
