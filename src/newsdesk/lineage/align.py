"""Sentence alignment: is one article a rewrite of another?

Takes two texts; says how many of one's sentences the other carries, in the
same order. A newsroom that rewrites a wire story changes its lede, trims
paragraphs and swaps words, so few 5-word shingles survive; but most of its
sentences keep most of their content words, in the wire's order. Two reporters
at one press conference share the facts and the quotes, not that.

- A text's sentences (split at ``.!?`` before a capital, and at line breaks)
  each become their set of content words (lower case, :data:`newsdesk.lexicon.FUNCTION_WORDS`
  left out). Sentences of fewer than :data:`MIN_WORDS` content words say too
  little to align, and a sentence that is mostly a direct quote is left out:
  outlets quoting one statement share it without copying each other.
- A sentence of the shorter text aligns with the sentence of the other that
  holds most of its content words, when that is at least :data:`MIN_SHARED`.
- The aligned sentences count only as far as they keep their order (the
  longest increasing run of their partners' positions).
- A rewrite: at least :data:`MIN_ALIGNED` sentences (or all of a shorter text)
  and at least :data:`MIN_SHARE` of the shorter text's sentences align; or a
  longer run, :data:`LONG_RUN` sentences, that is at least :data:`LONG_RUN_SHARE`
  of them and :data:`LONG_RUN_OF_LONGER` of the longer text's (a later version
  that rewrote its top and added paragraphs keeps a run of the earlier one; two
  reports of one event rarely share four sentences in order, and a roundup that
  pasted one paragraph holds it among many of its own).
- Stock text (a site footer, a boilerplate paragraph) is no evidence: the
  caller names the sentences that recur in many texts (``skip``), and they
  neither align nor count.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from newsdesk.lexicon import FUNCTION_WORDS

__all__ = [
    "LONG_RUN",
    "LONG_RUN_OF_LONGER",
    "LONG_RUN_SHARE",
    "MIN_ALIGNED",
    "MIN_SHARE",
    "MIN_SHARED",
    "MIN_WORDS",
    "Sentences",
    "aligned",
    "aligned_pairs",
    "is_rewrite",
    "rewrite_share",
    "sentences",
]

#: Share of a sentence's content words its partner must hold.
MIN_SHARED = 0.6
#: Share of the shorter text's sentences that must align, in order.
MIN_SHARE = 0.5
#: Aligned sentences needed (fewer only when the shorter text has fewer).
MIN_ALIGNED = 3
#: Aligned sentences in order that make a rewrite below :data:`MIN_SHARE` ...
LONG_RUN = 4
#: ... when they are at least this share of the shorter text's sentences ...
LONG_RUN_SHARE = 0.25
#: ... and this share of the longer one's: one pasted paragraph does not make a roundup a copy
#: (on the synthetic collages of bench/lineage_speed.py, 6k documents: 63 more links without
#: this bar, 35 with it; the labelled pairs of bench/lineage_eval.py are the same either way).
LONG_RUN_OF_LONGER = 0.15
#: Content words a sentence needs to take part.
MIN_WORDS = 5
#: Share of a sentence's characters inside quotation marks above which it is a quote.
QUOTED = 0.5

_SPLIT = re.compile(r"(?<=[.!?])[\"'”’)]?\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")
_WORD = re.compile(r"[a-z0-9]+")
_QUOTE = re.compile(r"[\"“”]")


@dataclass(frozen=True)
class Sentences:
    """A text's sentences as content-word sets, and which of them are mostly quotes."""

    words: tuple[frozenset[str], ...]
    quoted: tuple[bool, ...]

    def __len__(self) -> int:
        """Sentences that can align (not quotes)."""
        return sum(not q for q in self.quoted)

    def count(self, skip: frozenset[frozenset[str]] = frozenset()) -> int:
        """Sentences that can align, leaving out those in ``skip``."""
        return sum(not q and w not in skip for w, q in zip(self.words, self.quoted, strict=True))


def sentences(text: str) -> Sentences:
    words: list[frozenset[str]] = []
    quoted: list[bool] = []
    for raw in _SPLIT.split(text):
        s = raw.strip()
        content = frozenset(_WORD.findall(s.lower())) - FUNCTION_WORDS
        if len(content) < MIN_WORDS:
            continue
        inside = sum(len(part) for part in _QUOTE.split(s)[1::2]) if _QUOTE.search(s) else 0
        words.append(content)
        quoted.append(inside > QUOTED * len(s))
    return Sentences(tuple(words), tuple(quoted))


def aligned(a: Sentences, b: Sentences, skip: frozenset[frozenset[str]] = frozenset()) -> int:
    """How many of ``a``'s (unquoted, not skipped) sentences align with ``b``'s, in order."""
    partners: list[int] = []
    for words, quote in zip(a.words, a.quoted, strict=True):
        if quote or words in skip:
            continue
        best, where = 0.0, -1
        for j, other in enumerate(b.words):
            share = len(words & other) / len(words)
            if share > best:
                best, where = share, j
        if best >= MIN_SHARED:
            partners.append(where)
    run: list[int] = []  # longest strictly increasing run of partner positions
    for x in partners:
        i = bisect_left(run, x)
        if i == len(run):
            run.append(x)
        else:
            run[i] = x
    return len(run)


def rewrite_share(a: Sentences, b: Sentences, skip: frozenset[frozenset[str]] = frozenset()) -> float | None:
    """When one of the two texts carries most of the other's sentences in order: the share
    of the shorter text's counted sentences (unquoted, not skipped) that align; else None."""
    if a.count(skip) > b.count(skip):
        a, b = b, a
    n = a.count(skip)
    if n == 0:
        return None
    k = aligned(a, b, skip)
    if k >= min(MIN_ALIGNED, n) and k >= MIN_SHARE * n:
        return k / n
    if k >= LONG_RUN and k >= LONG_RUN_SHARE * n and k >= LONG_RUN_OF_LONGER * b.count(skip):
        return k / n
    return None


def is_rewrite(a: Sentences, b: Sentences, skip: frozenset[frozenset[str]] = frozenset()) -> bool:
    """Does one of the two texts carry most of the other's sentences, in order?"""
    return rewrite_share(a, b, skip) is not None


def _spans(text: str) -> list[tuple[int, int, frozenset[str], bool]]:
    """(start, end, content words, mostly a quote) of each sentence that can take part, as :func:`sentences` splits."""
    out = []
    start = 0
    for cut in [*_SPLIT.finditer(text), None]:
        end = cut.start() if cut else len(text)
        raw = text[start:end]
        lead = len(raw) - len(raw.lstrip())
        s = raw.strip()
        content = frozenset(_WORD.findall(s.lower())) - FUNCTION_WORDS
        if len(content) >= MIN_WORDS:
            inside = sum(len(part) for part in _QUOTE.split(s)[1::2]) if _QUOTE.search(s) else 0
            out.append((start + lead, start + lead + len(s), content, inside > QUOTED * len(s)))
        start = cut.end() if cut else len(text)
    return out


def aligned_pairs(copy: str, origin: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The sentences of ``copy`` that align with sentences of ``origin``, in order (the run
    :func:`aligned` counts), each as ((start, end) in copy, (start, end) in origin): what a
    reader checks to see that a rewrite is one."""
    a, b = _spans(copy), _spans(origin)
    partners: list[tuple[int, int]] = []  # (index in a, index in b)
    for i, (_, _, words, quote) in enumerate(a):
        if quote:
            continue
        best, where = 0.0, -1
        for j, (_, _, other, _) in enumerate(b):
            share = len(words & other) / len(words)
            if share > best:
                best, where = share, j
        if best >= MIN_SHARED:
            partners.append((i, where))
    # Longest strictly increasing run of partner positions, kept with its members.
    tails: list[int] = []  # tails[k]: index into partners of the smallest tail of a run of length k + 1
    back: list[int] = []
    for n, (_, j) in enumerate(partners):
        k = bisect_left([partners[t][1] for t in tails], j)
        back.append(tails[k - 1] if k else -1)
        if k == len(tails):
            tails.append(n)
        else:
            tails[k] = n
    run: list[int] = []
    n = tails[-1] if tails else -1
    while n != -1:
        run.append(n)
        n = back[n]
    pairs = [partners[n] for n in reversed(run)]
    return [((a[i][0], a[i][1]), (b[j][0], b[j][1])) for i, j in pairs]
