"""Only here: what each independent source alone contributes to a story.

Takes the story's claims (:func:`newsdesk.compare.claims_of`), their embedding
similarities and centralities, the pairwise verdicts and the member articles;
gives one :class:`OnlyHere` per independent source that has any: its
summary-worthy claims that no *other* independent source carries, at most
:data:`MAX_PER_SOURCE`, the most central to the story first.

A claim counts as carried elsewhere when a copy of another origin repeats it
(its ``groups`` hold two sources), when the judgement found another source
agreeing with it, or when another source has a sentence close enough to be
the same statement (:data:`CARRIED_SIM`, lower than the agreement cosine:
calling a claim exclusive when it is not misleads more than leaving one out).
A copy repeating its own origin is the same source, so it never makes a claim
shared, and a one-source story has no "only here" at all: everything in it is.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from newsdesk.compare.claims import Claim, ClaimVerdict
from newsdesk.compare.passages import is_summary_worthy
from newsdesk.model import Article, OnlyHere, SummarySentence, outlet_name

#: At most this many claims per source: a reader wants each outlet's gist, not its full text.
MAX_PER_SOURCE = 3
#: A sentence of another source at least this close carries the same claim.
CARRIED_SIM = 0.70


def only_here(
    claims: Sequence[Claim],
    sim: np.ndarray,
    centrality: np.ndarray,
    verdicts: dict[tuple[int, int], ClaimVerdict],
    members: Sequence[Article],
) -> list[OnlyHere]:
    """Per independent source (in story order), its claims that no other source carries."""
    sources = list(dict.fromkeys(g for c in claims for g in sorted(c.groups)))
    if len(sources) < 2:
        return []
    shared = _carried_elsewhere(claims, sim, verdicts)
    by_id = {a.id: a for a in members}
    order = {a.id: i for i, a in enumerate(members)}
    out: list[OnlyHere] = []
    for source in sorted(sources, key=lambda s: order.get(s, len(order))):
        own = [i for i, c in enumerate(claims)
               if c.groups == frozenset([source]) and i not in shared and is_summary_worthy(c.text)]
        if not own:
            continue
        own.sort(key=lambda i: -float(centrality[i]))
        picked = own[:MAX_PER_SOURCE]
        out.append(OnlyHere(
            source=_outlet(by_id.get(source), source),
            article=source,
            claims=[SummarySentence(claims[i].text, list(claims[i].citations)) for i in picked],
        ))
    return out


def _carried_elsewhere(
    claims: Sequence[Claim], sim: np.ndarray, verdicts: dict[tuple[int, int], ClaimVerdict]
) -> set[int]:
    """Indexes of claims that more than one independent source carries."""
    out = {i for i, c in enumerate(claims) if len(c.groups) > 1}
    for (i, j), v in verdicts.items():
        if v.verdict == "agree" and claims[i].groups != claims[j].groups:
            out.update((i, j))
    n = len(claims)
    for i in range(n):
        for j in range(i + 1, n):
            if float(sim[i, j]) >= CARRIED_SIM and claims[i].groups != claims[j].groups:
                out.update((i, j))
    return out


def _outlet(article: Article | None, fallback: str) -> str:
    return outlet_name(article) if article is not None else fallback
