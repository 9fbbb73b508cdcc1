"""Stance: which way an assessment points, from a small lexicon of direction words.

Takes a sentence; gives its *direction*: -1 when it says a danger, threat or
cost is going down or small ("the threat has dimmed", "little, if any,
impact", "the danger has passed"), +1 when it says it is going up or large
("they have the potential to resurge", "it will be a big mistake", "it could
flood again"), 0 when it says neither or both equally.

No offline natural-language-inference or stance model ships in a package we
can install (model hubs are out of reach), so this is a transparent lexicon:

- cue patterns with a direction and a weight (a phrase such as "has not
  materialized" outweighs a single word);
- negation: "not", "never", "n't", "hardly", "failed to" in the four words
  before a cue (or inside it) flips it ("it had not passed" points up);
- contrast: in "X, but Y" and "Though X, Y" the main clause Y decides, so
  "the threat has lessened but may rebound" points up.

It is deliberately about risk and threat language, the kind of assessment
news sources argue over; it does not try to judge praise or blame.
"""

from __future__ import annotations

import re

#: (pattern, direction, weight). Patterns are matched on the lower-cased text
#: with word boundaries; "\w*" lets one stem cover its inflections.
_CUES: list[tuple[str, int, float]] = [
    # Going down, small, over.
    (r"diminish\w*", -1, 1.0),
    (r"dim(?:s|med|ming)?", -1, 1.0),
    (r"lessen\w*", -1, 1.0),
    (r"reduced (?:threat|risk|danger)", -1, 1.0),
    (r"weaken(?:ed|s)?", -1, 1.0),
    (r"(?:defeated|eradicated|contained|subsided|receded|eased|abated)", -1, 1.0),
    (r"(?:has|have|had|is|was)(?: not| never)?(?: now| already)? (?:passed|over(?=\s*[,.;:!?\"\u201d\u2019]|\s*$)|behind us)", -1, 1.5),
    (r"under control", -1, 1.0),
    (r"(?:little|no|minimal|limited|negligible)(?:, if any,)? (?:real )?(?:impact|effect|risk|threat|danger)", -1, 1.5),
    (r"unlikely to (?:have|pose|cause)", -1, 1.0),
    # "A feared resurgence has not materialized": the verb says what became of
    # its subject, so it outweighs the alarming noun before it.
    (r"materiali[sz]ed", +1, 2.0),
    (r"no longer (?:a )?(?:threat|danger|risk)", -1, 1.5),
    (r"(?:is|are|remains?) safe", -1, 1.0),
    # Going up, large, coming back.
    (r"resurg\w*", +1, 1.0),
    (r"rebound\w*", +1, 1.0),
    (r"comeback", +1, 1.0),
    (r"regroup\w*", +1, 1.0),
    (r"(?:could|may|might|will|would) (?:\w+ ){1,2}again", +1, 1.0),  # "it could flood again"
    (r"again", +1, 0.5),
    (r"(?:big|huge|grave|serious|terrible) mistake", +1, 1.5),
    (r"mistake", +1, 0.5),
    (r"(?:still|remains?|remained) (?:a )?(?:threat|danger|risk)", +1, 1.5),
    (r"(?:grow|grows|growing|grew|rising|rise|rises|increase|increases|increasing)", +1, 0.5),
    (r"worsen\w*|escalat\w*", +1, 1.0),
    (r"(?:risk|risks|danger|dangerous|threat|threatens|vulnerab\w*)", +1, 0.5),
    (r"warn\w*", +1, 0.5),
    (r"(?:could|may|might|will) (?:\w+ )?(?:flood|strike|attack|return|collapse|fail|happen)", +1, 1.0),
    (r"out of (?:this|the woods|danger)", -1, 1.0),
]
_COMPILED = [(re.compile(r"\b" + p + r"\b"), d, w) for p, d, w in _CUES]
_NEGATION = re.compile(r"\b(?:not|never|no|hardly|n't|nor|without|yet to|failed to)\b|n't\b")
_CONTRAST = re.compile(r"\bbut\b|\bhowever\b")
_CONCESSIVE = re.compile(r"^\W*(?:though|although|even though|while|despite)\b[^,]*,", re.IGNORECASE)


def direction(text: str) -> int:
    """-1 (down, reassuring), +1 (up, alarming) or 0 for one sentence."""
    score = _score(_main_clause(text.lower()))
    if abs(score) < 1.0:
        return 0
    return 1 if score > 0 else -1


def cues(text: str) -> list[tuple[str, int]]:
    """The direction cues found in ``text`` with their direction after negation (for reports and tests)."""
    low = text.lower()
    return [(m.group(0), d * _negated(low, m.start(), m.end())) for pat, d, _w in _COMPILED for m in pat.finditer(low)]


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
    total = 0.0
    taken: list[tuple[int, int]] = []
    # Longer, weightier cues first, so "big mistake" is not also scored as "mistake".
    for pat, d, w in sorted(_COMPILED, key=lambda c: -c[2]):
        for m in pat.finditer(low):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            total += d * w * _negated(low, m.start(), m.end())
    return total


def _negated(low: str, start: int, end: int) -> int:
    """-1 when a negation stands in the four words before a cue or inside it ("had not passed")."""
    window = " ".join(low[:start].split()[-4:]) + " " + " ".join(low[start:end].split()[:-1])
    return -1 if _NEGATION.search(window) else 1
