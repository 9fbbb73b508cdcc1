"""Assign: which story a new independent source joins, without re-clustering.

Takes stories' member profiles as they grow, and new articles' profiles; gives
each new profile the story whose sources it resembles most, by the batch
clusterer's own rule (the mean :meth:`Similarity.pair` to the story's latest
``max_compared_members`` sources must exceed ``merge_threshold``), or None: a
new story.

Stories also merge, as batch average linkage merges clusters: when an article
that joined one story also scored above the threshold with others (it bridges
them), each of those whose mean similarity with the joined story, member to
member, is above the threshold merges with it (:meth:`StoryMatcher.merge_rivals`).
Without this, two halves of one story opened before the article that links them
would stay apart for good. The story opened first keeps its id.

:class:`StoryMatcher` is that rule over stories with ids a caller chooses (the
store's); :class:`StoryIndex` runs whole articles through it, copies included,
with ids of its own.

The TF-IDF term weighs terms by the document frequencies of every source seen
so far (the batch clusterer uses the whole pile's); each member's TF-IDF
vector is taken when it joins, and a story keeps their sum.

Cost: only the stories :mod:`newsdesk.stories.blocking` puts in reach are compared.
The embedding term of a mean similarity is the dot product with the mean of
the members' vectors, so the block scan's one matrix product gives that term
exactly for every candidate. The ``scored_candidates`` stories closest by it
get their TF-IDF term (one sparse dot product with the story's sum), which
with ``+ entity_weight`` bounds their score (:meth:`Similarity.bound`); those
whose bound passes the threshold are scored in full (all of them, as a story
the article also matches may merge with the one it joins).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from newsdesk.model import Article, CopyLink, Story
from newsdesk.settings import StoriesSettings
from newsdesk.stories.blocking import Blocks, Scan, day_number
from newsdesk.stories.naming import story_id, story_title
from newsdesk.stories.profiles import Profile, TextEncoder, block_keys, profiles
from newsdesk.stories.similarity import Similarity
from newsdesk.stories.terms import Scatter, Sparse, add_sparse, dot_sparse, key_terms

__all__ = ["Assignment", "MatchScan", "StoryIndex", "StoryMatcher"]

_EMPTY: Sparse = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32))


@dataclass
class _Members:
    row: int
    limit: int
    profiles: list[Profile] = field(default_factory=list)  # kept without their terms: the units hold them
    #: The compared members' TF-IDF vectors as each joined, by article id, and their sum.
    units: dict[str, Sparse] = field(default_factory=dict)
    term_sum: Sparse = _EMPTY
    #: When each member joined (the matcher's count of joins), parallel to ``profiles``.
    joined: list[int] = field(default_factory=list)

    def compared(self) -> list[Profile]:
        return self.profiles[-self.limit :]

    def append(self, profile: Profile, unit: Sparse, joined: int) -> None:
        self.profiles.append(replace(profile, terms={}) if profile.terms else profile)
        self.joined.append(joined)
        self.units[profile.article] = unit
        self.term_sum = add_sparse(self.term_sum, unit) if self.term_sum[0].size else unit
        if len(self.units) > self.limit:  # the oldest compared member leaves the window
            self.term_sum = add_sparse(self.term_sum, self.units.pop(next(iter(self.units))), -1.0)

    def absorb(self, other: _Members) -> None:
        """``other``'s members join, each in its place in joining order; the window is the latest
        ``limit`` of them all (each was in its own story's window, so its TF-IDF vector is kept)."""
        merged = sorted(zip(self.joined + other.joined, self.profiles + other.profiles, strict=True), key=lambda m: m[0])
        self.joined = [j for j, _ in merged]
        self.profiles = [p for _, p in merged]
        units = self.units | other.units
        self.units = {p.article: units[p.article] for p in self.compared() if p.article in units}
        self.term_sum = _EMPTY
        for unit in self.units.values():
            self.term_sum = add_sparse(self.term_sum, unit) if self.term_sum[0].size else unit

    def drop(self, article_id: str) -> None:
        """``article_id`` leaves the story (and the window, which stays one short until the next member)."""
        keep = [k for k, p in enumerate(self.profiles) if p.article != article_id]
        self.profiles = [self.profiles[k] for k in keep]
        self.joined = [self.joined[k] for k in keep]
        unit = self.units.pop(article_id, None)
        if unit is not None:
            self.term_sum = add_sparse(self.term_sum, unit, -1.0)

    def term_term(self, scatter: Scatter) -> float:
        """Mean TF-IDF cosine of the vector loaded in ``scatter`` with the compared members."""
        n = len(self.units)
        return scatter.dot(self.term_sum) / n if n else 0.0


class StoryMatcher:
    """Stories' independent sources, blocked, and the rule that picks a new source's story."""

    def __init__(self, settings: StoriesSettings | None = None, blocks: Blocks | None = None) -> None:
        settings = settings or StoriesSettings()
        self.threshold = settings.merge_threshold
        self.compared_members = settings.max_compared_members
        self.scored_candidates = max(1, settings.scored_candidates)
        self.similarity = Similarity(settings)
        self.blocks = blocks if blocks is not None else Blocks(
            settings.window_days, settings.entity_postings, settings.recent_stories
        )
        self._stories: dict[str, _Members] = {}
        self._by_row: list[str] = []
        self._observed: set[str] = set()  # articles whose terms count in the document frequencies
        self._units: dict[str, Sparse] = {}  # TF-IDF vectors worked out by a scan, until added
        self._scatter = Scatter()
        self._joins = 0

    def __len__(self) -> int:
        return len(self._stories)

    def __contains__(self, story_id: str) -> bool:
        return story_id in self._stories

    def members(self, story_id: str) -> list[Profile]:
        return list(self._stories[story_id].profiles)

    def add(self, story_id: str, profile: Profile, unit: Sparse | None = None) -> None:
        """``profile`` joins ``story_id`` (opened if new). ``unit``: its TF-IDF vector as the
        caller worked it out when matching it (default: under the frequencies as they are now)."""
        story = self._stories.get(story_id)
        if story is None:
            story = self._stories[story_id] = _Members(self.blocks.open(len(profile.vector)), self.compared_members)
            self._by_row.append(story_id)
        self.observe(profile)
        story.append(profile, unit if unit is not None else self.unit(profile), self._joins)
        self._joins += 1
        self._units.pop(profile.article, None)
        self.blocks.update(story.row, _mean(story.compared()), day_number(profile.published), block_keys(profile))

    def key_terms(self, story_id: str) -> list[str]:
        """The story's key terms (:func:`newsdesk.stories.terms.key_terms`) over its compared
        sources, their TF-IDF vectors as each joined."""
        terms = self.similarity.terms
        return key_terms([terms.as_dict(u) for u in self._stories[story_id].units.values()])

    def remove(self, story_id: str, article_id: str) -> None:
        """An article stops being a source of ``story_id`` (a later origin made it a copy)."""
        story = self._stories.get(story_id)
        if story is None or not any(p.article == article_id for p in story.profiles):
            return
        story.drop(article_id)
        self.blocks.set_vector(story.row, _mean(story.compared()))

    def unit(self, profile: Profile) -> Sparse:
        """``profile``'s TF-IDF vector under the frequencies as they are now (a scan's, until the
        profile is added: a scan counts its whole batch first, so they do not change in between)."""
        unit = self._units.get(profile.article)
        return unit if unit is not None else self.similarity.terms.unit_vector(profile.terms)

    def load(self, profile: Profile) -> Scatter:
        """``profile``'s TF-IDF vector, worked out now (and kept until the profile is added),
        spread out for :meth:`term_term`."""
        unit = self._units[profile.article] = self.similarity.terms.unit_vector(profile.terms)
        self._scatter.load(unit, len(self.similarity.terms.vocab))
        return self._scatter

    def observe(self, profile: Profile) -> None:
        """Count ``profile``'s terms in the document frequencies (once per article)."""
        if profile.article not in self._observed:
            self._observed.add(profile.article)
            self.similarity.terms.add(profile.terms)

    def scan(self, batch: Sequence[Profile]) -> MatchScan:
        """Prepare to match a batch of profiles (one matrix product for all); their terms
        count in the document frequencies from now on."""
        for p in batch:
            self.observe(p)
        self._units.clear()
        vectors = np.stack([p.vector for p in batch]) if batch else np.zeros((0, 0), dtype=np.float32)
        return MatchScan(
            self, batch, self.blocks.scan([day_number(p.published) for p in batch], [block_keys(p) for p in batch], vectors)
        )

    def matches(self, profile: Profile) -> list[tuple[str, float]]:
        """:meth:`MatchScan.matches` of one profile: the first is the story it joins (none: a new one)."""
        return self.scan([profile]).matches(0)

    def linkage(self, a: str, b: str) -> float:
        """Mean similarity of stories ``a`` and ``b``, every compared source of one with every one of
        the other: what batch average linkage merges on. The TF-IDF term is the dot product of the
        two stories' sums of TF-IDF vectors (each as its member joined), over the pairs."""
        sa, sb = self._stories[a], self._stories[b]
        pa, pb = sa.compared(), sb.compared()
        if not pa or not pb:
            return float("-inf")
        sim = self.similarity
        # Members keep no terms (their vectors are in the sums): the matrix's TF-IDF term is 0.
        score = float(sim.matrix(pa, pb).mean())
        if sa.units and sb.units:
            score += sim.term_weight * dot_sparse(sa.term_sum, sb.term_sum) / (len(sa.units) * len(sb.units))
        return score

    def merge_rivals(self, story_id: str, rivals: Sequence[str]) -> tuple[str, list[tuple[str, str]]]:
        """After a source joined ``story_id`` while also matching ``rivals`` (best first): each rival
        whose :meth:`linkage` with the story is above the threshold merges with it, the story opened
        first keeping its id. Gives the id the source's story has now, and each merge as
        ``(kept, merged away)``."""
        merges = []
        for rival in rivals:
            if rival == story_id or rival not in self._stories or story_id not in self._stories:
                continue
            if self.linkage(story_id, rival) <= self.threshold:
                continue
            keep, gone = sorted((story_id, rival), key=lambda s: self._stories[s].row)
            self._merge(keep, gone)
            merges.append((keep, gone))
            story_id = keep
        return story_id, merges

    def _merge(self, keep: str, gone: str) -> None:
        into, other = self._stories[keep], self._stories.pop(gone)
        into.absorb(other)
        self.blocks.merge(into.row, other.row, {k for p in other.profiles for k in block_keys(p)})
        self.blocks.set_vector(into.row, _mean(into.compared()))

    def term_term(self, scatter: Scatter, story_id: str) -> float:
        """Mean TF-IDF cosine of the loaded vector (:meth:`load`) with the story's compared sources."""
        return self._stories[story_id].term_term(scatter)

    def score(self, profile: Profile, story_id: str, embedding_term: float, term_term: float | None = None) -> float:
        """Mean similarity of ``profile`` to the story's compared sources, given the embedding term
        (and the TF-IDF term, worked out here when not given)."""
        if term_term is None:
            term_term = self.term_term(self.load(profile), story_id)
            self._scatter.clear()
        return self.similarity.mean(profile, self._stories[story_id].compared(), embedding_term, term_term)

    def story_at(self, row: int) -> str:
        """The story whose blocking row is ``row``."""
        return self._by_row[row]


class MatchScan:
    """A batch being matched: :meth:`matches` reads the matcher as it is when called."""

    def __init__(self, matcher: StoryMatcher, batch: Sequence[Profile], scan: Scan) -> None:
        self.matcher = matcher
        self.batch = batch
        self._scan = scan

    def matches(self, i: int) -> list[tuple[str, float]]:
        """The stories article ``i`` scores above the threshold with, best first, among the
        ``scored_candidates`` closest by the lead vector."""
        m = self.matcher
        rows, dots = self._scan.candidates(i)
        live = ~m.blocks.merged(rows)  # a story merged away since the scan began
        rows, dots = rows[live], dots[live]
        if len(rows) > m.scored_candidates:  # the stories closest by the lead vector
            keep = np.argpartition(-dots, m.scored_candidates - 1)[: m.scored_candidates]
            rows, dots = rows[keep], dots[keep]
        profile = self.batch[i]
        scatter = m.load(profile)
        ids = [m.story_at(r) for r in rows]
        terms = np.array([m.term_term(scatter, sid) for sid in ids], dtype=np.float64)
        scatter.clear()
        bounds = m.similarity.bound(profile, dots, terms)
        found = []
        reach = np.flatnonzero(bounds > m.threshold)  # the rest cannot pass the threshold
        for j in reach[np.argsort(-bounds[reach], kind="stable")]:
            score = m.score(profile, ids[j], float(dots[j]), float(terms[j]))
            if score > m.threshold:
                found.append((ids[j], score))
        found.sort(key=lambda f: -f[1])  # stable: equal scores keep the bound order
        return found


def _mean(ps: Sequence[Profile]) -> np.ndarray:
    if not ps:
        return np.zeros(0, dtype=np.float32)
    return np.mean([p.vector for p in ps], axis=0, dtype=np.float64).astype(np.float32)


@dataclass(frozen=True)
class Assignment:
    """Where :meth:`StoryIndex.add` put one article."""

    article: str
    story: str
    opened: bool  # True when the article opened a new story
    score: float | None  # mean similarity to the story's members (None: a copy, or opened)


class StoryIndex:
    """Stories that grow as articles arrive: the incremental counterpart of
    :func:`newsdesk.stories.cluster_stories`.

    :meth:`add` assigns each new independent source with :class:`StoryMatcher`;
    otherwise it opens a new story that later articles, including later ones
    of the same batch, may join. Copies join their origin's story.
    """

    def __init__(
        self, encoder: TextEncoder, settings: StoriesSettings | None = None, blocks: Blocks | None = None
    ) -> None:
        self.encoder = encoder
        self.settings = settings or StoriesSettings()
        self.matcher = StoryMatcher(self.settings, blocks)
        self._members: dict[str, list[Article]] = {}
        self._copies: dict[str, list[str]] = {}
        self._story_of: dict[str, str] = {}
        self._seeded: set[str] = set()

    @property
    def threshold(self) -> float:
        return self.matcher.threshold

    def __len__(self) -> int:
        return len(self._members)

    def story_of(self, article_id: str) -> str | None:
        return self._story_of.get(article_id)

    def seed(self, story_id: str, profile: Profile) -> None:
        """A source of an earlier run's story: new articles may join ``story_id`` through it.

        Seeded sources count in the matching rule but are not listed by :meth:`stories`.
        """
        self._seeded.add(profile.article)
        self.matcher.add(story_id, profile)

    def add(self, articles: Sequence[Article], links: Sequence[CopyLink] = ()) -> list[Assignment]:
        """Assign ``articles`` (in publication order) to stories; one Assignment each, in input order."""
        origin_of = {link.copy: link.origin for link in links}
        fresh = [a for a in articles if a.id not in self._story_of]
        sources = [a for a in fresh if a.id not in origin_of]
        out: dict[str, Assignment] = {}
        if sources:
            ordered = sorted(sources, key=lambda a: a.published.date if a.published else "9999")
            profs = profiles(ordered, self.encoder, self.settings.lead_sentences, self.settings.term_sentences)
            scan = self.matcher.scan(profs)
            for i, (article, prof) in enumerate(zip(ordered, profs, strict=True)):
                found = scan.matches(i)
                story, score = found[0] if found else (None, self.threshold)
                out[article.id] = self._join(article, prof, story, score)
                if len(found) > 1:
                    self._merge_rivals(article.id, [sid for sid, _ in found[1:]], out)
        for a in fresh:
            if a.id not in origin_of:
                continue
            story = self._story_of.get(origin_of[a.id])
            if story is None:  # the origin is unknown to the index: the copy stands for it
                out[a.id] = self._join(a, profiles([a], self.encoder, self.settings.lead_sentences, self.settings.term_sentences)[0], None, 0.0)
                continue
            self._members[story].append(a)
            self._copies[story].append(a.id)
            self._story_of[a.id] = story
            out[a.id] = Assignment(a.id, story, opened=False, score=None)
        return [out[a.id] if a.id in out else Assignment(a.id, self._story_of[a.id], False, None) for a in articles]

    def _merge_rivals(self, article_id: str, rivals: list[str], out: dict[str, Assignment]) -> None:
        """The stories ``article_id`` also matched merge with its story where their sources are alike
        (:meth:`StoryMatcher.merge_rivals`); this call's assignments follow."""
        _, merges = self.matcher.merge_rivals(self._story_of[article_id], rivals)
        for keep, gone in merges:
            self._members[keep] += self._members.pop(gone)
            self._copies[keep] += self._copies.pop(gone)
            for a in self._members[keep]:
                self._story_of[a.id] = keep
            for aid, done in out.items():
                if done.story == gone:
                    out[aid] = replace(done, story=keep)

    def _join(self, article: Article, prof: Profile, story: str | None, score: float) -> Assignment:
        opened = story is None
        sid = story_id(article.id) if story is None else story
        if sid not in self._members:  # opened here, or a seeded story's first new member
            self._members[sid] = []
            self._copies[sid] = []
        self._members[sid].append(article)
        self._story_of[article.id] = sid
        self.matcher.add(sid, prof)
        return Assignment(article.id, sid, opened=opened, score=None if opened else round(score, 4))

    def stories(self) -> list[Story]:
        """The current stories, largest first (same shape as :func:`newsdesk.stories.cluster_stories`)."""
        out = []
        for sid, members in self._members.items():
            origins = [p.article for p in self.matcher.members(sid) if p.article not in self._seeded]
            out.append(
                Story(
                    id=sid,
                    title=story_title(members),
                    articles=origins + self._copies[sid],
                    origins=origins,
                    key_terms=self.matcher.key_terms(sid),
                )
            )
        out.sort(key=lambda s: (-len(s.origins), -len(s.articles), s.title))
        return out
