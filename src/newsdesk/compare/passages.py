"""Passages: the distinct sentences of a story, with every place each occurs.

Takes a story's annotated articles, gives :class:`Passage` objects: a sentence
that copies repeat (exactly, or edited a little) is one passage citing every
copy. Shared by the briefing (summary) and compare (claims).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from datasketch import MinHash

from newsdesk.lineage import tokens
from newsdesk.model import Article, Cite


@dataclass
class Passage:
    """One distinct sentence of a story and every place it occurs."""

    text: str
    article: str  # where it is first seen (origins come first)
    position: int  # sentence index in that article
    citations: list[Cite] = field(default_factory=list)


def sentence_key(text: str) -> str:
    return " ".join(tokens(text))


class NearDuplicates:
    """Groups near-identical sentences: an edited copy's "kilometres" for
    "kilometers (25 miles)" is the same sentence. Word-set Jaccard at or above
    ``threshold``; candidates come from MinHash banding (15 bands of 4 of 64
    hash values: datasketch's MinHashLSH choice for this cut) so a story of
    thousands of sentences is not compared pair by pair. Buckets and the
    candidates compared are capped, so text built to collide (thousands of
    lines that differ in one word) costs linear time, not quadratic."""

    #: Sentences with fewer distinct words than this group only when identical: a near
    #: match of "Item 4 ok." and "Item 5 ok." means nothing.
    MIN_WORDS = 4
    #: Most sentences kept per band bucket, and most candidates compared per sentence.
    MAX_BUCKET = 64
    MAX_CANDIDATES = 64
    _PERM, _BANDS, _ROWS = 64, 15, 4

    def __init__(self, threshold: float = 0.7) -> None:
        self.threshold = threshold
        self._bands: list[dict[bytes, list[int]]] = [{} for _ in range(self._BANDS)]
        self._exact: dict[str, int] = {}
        self._words: list[frozenset[str]] = []

    def group(self, text: str) -> int:
        """The group id of ``text``; a new id when nothing close was seen."""
        toks = tokens(text)
        key = " ".join(toks)
        if key in self._exact:
            return self._exact[key]
        words = frozenset(toks)
        gid = len(self._words)
        if len(words) < self.MIN_WORDS:
            self._exact[key] = gid
            self._words.append(words)
            return gid
        proto = _prototype()
        m = MinHash(num_perm=self._PERM, seed=1, permutations=proto.permutations, scheme=proto.scheme)
        m.update_batch([w.encode("utf-8") for w in words])
        keys = [m.hashvalues[b * self._ROWS : (b + 1) * self._ROWS].tobytes() for b in range(self._BANDS)]
        candidates: set[int] = set()
        for band, k in zip(self._bands, keys, strict=True):
            candidates.update(band.get(k, ()))
        for other_gid in sorted(candidates)[: self.MAX_CANDIDATES]:
            other = self._words[other_gid]
            if len(words & other) / (len(words | other) or 1) >= self.threshold:
                self._exact[key] = other_gid
                return other_gid
        self._words.append(words)
        for band, k in zip(self._bands, keys, strict=True):
            bucket = band.setdefault(k, [])
            if len(bucket) < self.MAX_BUCKET:
                bucket.append(gid)
        self._exact[key] = gid
        return gid


@lru_cache(maxsize=1)
def _prototype() -> MinHash:
    """A MinHash for seed 1 whose permutations every other reuses (each would remake them)."""
    return MinHash(num_perm=NearDuplicates._PERM, seed=1)


def passages(members: Sequence[Article]) -> list[Passage]:
    """Distinct sentences over the story's articles, copies merged."""
    seen: dict[int, Passage] = {}
    out: list[Passage] = []
    groups = NearDuplicates()
    for a in members:
        for pos, s in enumerate(a.annotations.sentences if a.annotations else []):
            text = a.text[s.start : s.end]
            if not sentence_key(text):
                continue
            key = groups.group(text)
            cite = Cite(a.id, s.start, s.end)
            if key in seen:
                seen[key].citations.append(cite)
                continue
            p = Passage(text, a.id, pos, [cite])
            seen[key] = p
            out.append(p)
    return out


_HEADING = re.compile(r"^[\dA-Z\W]+$")
#: What an embedded post or a page widget leaves in the text: a link, a handle, a markup tag,
#: a newsletter prompt ("pic.twitter.com/x SIGN UP FOR OUR NEWSLETTER — Hillary Clinton
#: (@HillaryClinton) July 23, 2016</tweet>"). A sentence holding one is page residue.
_LONG_WORD = re.compile(r"[^\W\d_][\w'’-]{3,}")
#: Function words a headline capitalises and a sentence does not (after its first word).
_TITLE_SMALL = frozenset({
    "On", "The", "In", "And", "Of", "To", "For", "By", "At", "With", "From", "As", "Is", "Are", "Be", "Was",
    "Will", "A", "An", "Its", "Their", "His", "Her", "You", "He", "She", "It", "Or", "But",
})
_EMBED = re.compile(
    r"https?://|\bwww\.|\bpic\.twitter\.com\b|\b[\w-]+\.(?:com|org|net|ly)/\S|</?[a-z][\w-]*>|\(@\w+\)"
    r"|\bsign up for (?:our|the)\b[^.]{0,40}\bnewsletter\b",
    re.IGNORECASE,
)


def balanced_quotes(text: str) -> bool:
    """False for a piece of a longer quotation (an opening mark with no close)."""
    curly = text.count("“") == text.count("”")
    return curly and text.count('"') % 2 == 0


#: Words that, opening a sentence, point back to something the reader has not seen: a
#: pronoun or demonstrative ("That's the consensus ..."), or a connective ("But it's a
#: sentiment ..."). Such a sentence makes sense only in its own article.
DEPENDENT_OPENERS = frozenset(
    [
        "he",
        "she",
        "it",
        "they",
        "him",
        "her",
        "them",
        "his",
        "its",
        "their",
        "this",
        "that",
        "these",
        "those",
        "such",
        "but",
        "and",
        "or",
        "nor",
        "so",
        "yet",
        "however",
        "also",
        "still",
        "meanwhile",
        "instead",
        "then",
        "thus",
        "hence",
        "moreover",
        "furthermore",
        "nonetheless",
        "nevertheless",
        "besides",
        "likewise",
        "similarly",
        "otherwise",
        "therefore",
        "indeed",
    ]
)
_OPENER = re.compile(r"[\W_]*([A-Za-z]+)")
#: Connectives of several words, or single ones a modifier may lead ("Right afterward, ..."),
#: that open a sentence pointing back as the single words above do.
_DEPENDENT_PHRASE = re.compile(
    r"[\W_]*(?:(?:right|shortly|soon|immediately|just)\s+)?(?:afterwards?|thereafter|in addition|as a result|"
    r"on the other hand|at the same time|even so|for example|for instance|in response|in turn|by contrast|"
    r"in contrast|in that case|after that|before that|because of this|because of that)\b",
    re.IGNORECASE,
)


def stands_alone(text: str) -> bool:
    """Does the sentence make sense outside its article: no pronoun, demonstrative or
    connective pointing back at its start? (Inside a quote too: “That is why ...”; after a
    place dateline too, which the summary drops: "PHILADELPHIA — It was ...".)"""
    dateline = _DATELINE.match(text)
    if dateline is not None:
        text = text[dateline.end() :]
    m = _OPENER.match(text)
    if m is not None and m.group(1).lower() in DEPENDENT_OPENERS:
        return False
    return not _DEPENDENT_PHRASE.match(text)


def is_summary_worthy(text: str) -> bool:
    """A full declarative sentence: not a heading, question, fragment, list
    marker, page teaser ("... Western forces...."), piece of a longer quotation,
    headline left in the body (:func:`is_headline_case`) or what an embedded post
    leaves behind (a link, a handle, a tag: :data:`_EMBED`)."""
    words = text.split()
    if not 8 <= len(words) <= 60:
        return False
    if text.rstrip("”\"’' ").endswith(("...", "…")):
        return False
    if text.rstrip("”\"’' ").endswith("?") or _HEADING.match(text) or not balanced_quotes(text):
        return False
    if _EMBED.search(text) or is_headline_case(text):
        return False
    return text.rstrip()[-1:] in {".", "!", "”", '"', "’"}


def is_headline_case(text: str) -> bool:
    """Written as a headline ("Read Live Updates On The 2016 Iowa Caucuses."): a title left in the
    body, not a sentence of the story. Its short function words are capitalised mid-sentence (two
    or more of "On", "The", "And", ...; a name may hold one: "The Hague") and at most one longer
    word is in lower case. A sentence full of names still has "in", "and", "the" in lower case."""
    words = text.split()[1:]
    small = sum(w.strip("\"'“‘(") in _TITLE_SMALL for w in words)
    longer = _LONG_WORD.findall(" ".join(words))
    return small >= 2 and len(longer) >= 3 and sum(not w[0].isupper() for w in longer) <= 1


def is_event_sentence(text: str) -> bool:
    """Worth a timeline row: a sentence of some length, not a fragment of a quote."""
    return len(text.split()) >= 6 and balanced_quotes(text)


#: A place dateline opening a wire story's first sentence: "MOSUL –", "BEDFORD, N.H. (AP) —",
#: "DES MOINES -". It says where the story was filed, which a summary sentence does not need.
_DATELINE = re.compile(
    r"[A-Z][A-Z'.\-]{2,}(?:\s+[A-Z][A-Z'.\-]+)*(?:,\s+[A-Z][A-Za-z.]*(?:\s+[A-Z][A-Za-z.]*)*)?"
    r"(?:\s*\([A-Za-z .]+\))?\s*[–—-]{1,2}\s+(?=[A-Z\"“‘'])"
)


def without_dateline(text: str, cites: Sequence[Cite], texts: dict[str, str]) -> tuple[str, list[Cite]]:
    """The sentence without its opening dateline, each citation narrowed to the words shown
    (a copy that dropped the dateline already cites just them)."""
    m = _DATELINE.match(text)
    if m is None:
        return text, list(cites)
    out = []
    for c in cites:
        span = texts.get(c.article, "")[c.start : c.end]
        d = _DATELINE.match(span)
        out.append(Cite(c.article, c.start + d.end(), c.end) if d else c)
    return text[m.end() :], out
