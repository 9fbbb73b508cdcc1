"""Briefing: per story, what a reader needs, every item citing its source spans.

Takes a :class:`Story`, its annotated articles and the copy links; gives a
:class:`StoryBrief` with

- ``key_facts``: the main figure series and disagreement, from the parts below
  (:mod:`newsdesk.briefing.facts`);
- ``summary``: 4 to 8 sentences (two per independent source plus two) picked by
  maximal marginal relevance (central to the story, leads first, unlike each
  other, spread over the independent sources), shown in the order of the sources' dates;
- ``timeline``: dated sentences in date order, background dates marked apart;
- ``quotes``: by speaker; the same quote in copies, or a piece of it that
  another article quotes from the same speaker, is one item citing all;
  ``figures`` and ``series`` (a quantity over time; :mod:`newsdesk.briefing.figures`);
  ``places``;
- ``agreements`` and ``disagreements`` across independent sources (from
  :mod:`newsdesk.compare`);
- ``only_here``: per independent source, the claims no other source carries,
  so a reader sees each outlet's contribution (also from :mod:`newsdesk.compare`).

A sentence that a copy repeats from its origin is one item whose citations
list every copy, so a wire sentence is never counted or shown twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from newsdesk.briefing.facts import key_facts
from newsdesk.briefing.figures import figures, is_series_quantity, keyed_figures, series
from newsdesk.compare import (
    PairReadings,
    claim_vectors,
    compare_story,
    compared_claims,
    encoded_claims,
    pairs_to_read,
)
from newsdesk.compare.claims import Claim
from newsdesk.compare.passages import (
    NearDuplicates,
    Passage,
    is_event_sentence,
    is_summary_worthy,
    passages,
    sentence_key,
    stands_alone,
    without_dateline,
)
from newsdesk.embed import Encoder
from newsdesk.lexicon import LOOKS_AHEAD
from newsdesk.model import (
    Article,
    Cite,
    CopyLink,
    PlaceItem,
    QuoteItem,
    Story,
    StoryBrief,
    SummarySentence,
    TimelineEvent,
)
from newsdesk.timeml import timeml_interval, value_start

SUMMARY_MIN, SUMMARY_MAX = 4, 8
MMR_LAMBDA = 0.7
#: Relevance added to an article's first sentences: leads carry the news. The first
#: sentence more (main-point coverage on the tuning stories of bench/brief_quality.py:
#: main 0.35 -> 0.37 against 0.08 for each of the first three).
LEAD_BONUS = (0.15, 0.08, 0.08)
#: Two sentences this close in embedding space say the same thing.
REDUNDANT = 0.82
TIMELINE_PRECISIONS = {"day", "week", "month", "season", "quarter", "half", "year"}


def ordered_articles(story: Story, articles: dict[str, Article]) -> list[Article]:
    """Origins first, then copies; each group by publication date."""

    def key(aid: str) -> tuple[int, str]:
        a = articles[aid]
        return (0 if aid in story.origins else 1, a.published.date if a.published else "9999")

    return [articles[aid] for aid in sorted(story.articles, key=key)]


def mmr(vectors: np.ndarray, relevance: np.ndarray, groups: Sequence[str], k: int) -> list[int]:
    """Maximal marginal relevance, with a nudge to cover every source group once."""
    chosen: list[int] = []
    covered: set[str] = set()
    candidates = list(range(len(relevance)))
    while candidates and len(chosen) < k:
        best, best_score = None, -np.inf
        for i in candidates:
            redundancy = max((float(vectors[i] @ vectors[j]) for j in chosen), default=0.0)
            if redundancy >= REDUNDANT:
                continue
            score = MMR_LAMBDA * relevance[i] - (1 - MMR_LAMBDA) * redundancy
            if groups[i] not in covered:
                score += 0.1
            if score > best_score:
                best, best_score = i, score
        if best is None:
            break
        chosen.append(best)
        covered.add(groups[best])
        candidates.remove(best)
    return chosen


def summary_candidates(pool: Sequence[Passage]) -> list[Passage]:
    """The passages a summary may use: full sentences (:func:`is_summary_worthy`) that stand
    on their own (:func:`stands_alone`), unless none does (the summary still says something)."""
    worthy = [p for p in pool if is_summary_worthy(p.text)]
    return [p for p in worthy if stands_alone(p.text)] or worthy


def told_by_one_source(story: Story) -> bool:
    """One independent source tells the story (its other members are copies): its summary
    is its lead (:func:`summarize`), and nothing of it is encoded for the summary."""
    return len(story.origins) <= 1


def summarize(
    story: Story,
    members: Sequence[Article],
    copy_origin: dict[str, str],
    encoder: Encoder,
    pool: Sequence[Passage] | None = None,
) -> list[SummarySentence]:
    """The summary sentences, in story order.

    Several sources: the sentences most central to the story (cosine to the mean of the
    candidates' embeddings, with a bonus for leads), picked by maximal marginal relevance
    so each says something new, each source group heard once where it can be. One source:
    its first :data:`SUMMARY_MIN` candidates, the lead as its reporter ordered it (on
    the main points of bench/brief_quality.py, an article summarised alone, the lead
    cites 0.47 of the points it states and the most central sentences 0.42).
    ``pool``: the story's passages, when the caller already has them."""
    pool = summary_candidates(passages(members) if pool is None else pool)
    if not pool:
        return []
    order = {a.id: i for i, a in enumerate(sorted(members, key=_date_key))}
    k = max(SUMMARY_MIN, min(SUMMARY_MAX, 2 * len(story.origins) + 2))
    if told_by_one_source(story):
        origins = set(story.origins)
        chosen = sorted(range(len(pool)), key=lambda i: (pool[i].article not in origins, order[pool[i].article], pool[i].position))[:k]
    else:
        vectors = encoder.encode([p.text for p in pool])
        centroid = vectors.mean(axis=0)
        centroid /= np.linalg.norm(centroid) or 1.0
        relevance = vectors @ centroid
        # Leads carry the news: a small bonus for an article's first sentences.
        relevance = relevance + np.array([LEAD_BONUS[p.position] if p.position < len(LEAD_BONUS) else 0.0 for p in pool])
        groups = [copy_origin.get(p.article, p.article) for p in pool]
        chosen = mmr(vectors, relevance, groups, k)
    chosen.sort(key=lambda i: (order[pool[i].article], pool[i].position))
    texts = {a.id: a.text for a in members}
    out = []
    for i in chosen:
        text, cites = without_dateline(pool[i].text, pool[i].citations, texts)
        out.append(SummarySentence(text, _same_words(text, cites, texts)))
    return out


def _same_words(text: str, cites: Sequence[Cite], texts: dict[str, str]) -> list[Cite]:
    """The citations whose words are the sentence's own: a copy that kept a dateline
    ("MOSUL, Iraq (AP) — In a quest ...") is a near duplicate, but a summary sentence
    cites only spans that say exactly what it shows (all of them when none does)."""
    key = sentence_key(text)
    same = [c for c in cites if c.article in texts and sentence_key(texts[c.article][c.start : c.end]) == key]
    return same or list(cites)


def _date_key(a: Article) -> tuple[str, str]:
    return (a.published.date if a.published else "9999", a.id)


_PRECISION_ORDER = ["day", "week", "month", "season", "quarter", "half", "year"]


#: A dated sentence whose date ends this many days or more before the story's first
#: article is background (history, context), listed apart from the story's own days.
BACKGROUND_DAYS = 30


def timeline(members: Sequence[Article], first_date: str | None = None) -> list[TimelineEvent]:
    """Dated event sentences in date order, each date once per distinct sentence.

    Against the story's first publication date (or, for a story none of whose articles
    is dated, the latest date it mentions outside sentences that look ahead; see
    :func:`undated_anchor`):
    a date ending :data:`BACKGROUND_DAYS` or more before it is ``background``; a year or
    wider span that holds that day says nothing about when ("the 2016 election" in a 2016
    story) and is left out."""
    found: list[tuple[Article, str, str, int]] = []  # (article, value, precision, offset)
    for a in members:
        for d in a.annotations.dates if a.annotations else []:
            if d.value is None or value_start(d.value) is None:
                continue
            # A clock time places an event on its day.
            value, precision = (d.value[:10], "day") if "T" in d.value else (d.value, d.precision)
            if precision in TIMELINE_PRECISIONS:
                found.append((a, value, precision, d.start))
    first = value_start(first_date) if first_date else undated_anchor(
        [(v, p) for a, v, p, o in found if not _looks_ahead(a, o)])
    events: dict[tuple[str, int], TimelineEvent] = {}
    groups = NearDuplicates()
    for a, value, precision, offset in found:
        background = False
        if first is not None:
            span = timeml_interval(value)
            if span is not None:
                if span[1] < first - timedelta(days=BACKGROUND_DAYS):
                    background = True
                elif precision in ("year", "half") and span[0] <= first <= span[1]:
                    continue
        sent = next((s for s in a.annotations.sentences if s.start <= offset < s.end), None) if a.annotations else None
        if sent is None:
            continue
        text = a.text[sent.start : sent.end]
        if not is_event_sentence(text):
            continue
        key = (value, groups.group(text))
        cite = Cite(a.id, sent.start, sent.end)
        if key in events:
            if cite not in events[key].citations:
                events[key].citations.append(cite)
            continue
        events[key] = TimelineEvent(value, precision, text, [cite], background)
    return sorted(
        events.values(),
        key=lambda e: (e.background, value_start(e.date), _PRECISION_ORDER.index(e.precision), e.text),
    )


def _looks_ahead(a: Article, offset: int) -> bool:
    sent = next((s for s in a.annotations.sentences if s.start <= offset < s.end), None) if a.annotations else None
    return sent is not None and bool(LOOKS_AHEAD.search(a.text[sent.start : sent.end]))


def undated_anchor(dates: Sequence[tuple[str, str]]) -> date | None:
    """The day a story without publication dates is told from: the last day of the latest
    date it mentions (a year's last day, so the year before it is background). Without it,
    an undated obituary's timeline was its subject's whole life ("1923 — Page was born
    ...") and an undated profile's its subject's career, none of it marked as background."""
    spans = (timeml_interval(v) for v, _p in dates)
    return max((span[1] for span in spans if span is not None), default=None)


#: Words that make a paraphrase a statement: a finite verb or an auxiliary. A paraphrase
#: without one is what someone did or named ("attacking U.S. forces", "the withdrawal of
#: American forces"), not something they said.
_FINITE = re.compile(
    r"\b(?:is|are|was|were|be|been|being|am|has|have|had|do|does|did|will|would|shall|should|can|could|may|"
    r"might|must|won't|can't|isn't|aren't|wasn't|weren't|hasn't|haven't|didn't|doesn't|don't|said|says|told|"
    r"made|took|gave|got|went|came|left|kept|held|met|won|lost|led|saw|knew|thought|found|began|became|"
    r"brought|fought|sought|struck|hit|cut|put|set|ran|fell|rose|sent|spent|paid|built|meant|remains?|"
    r"needs?|wants?|plans?|seems?|appears?)\b|(?<![\w-])[a-z]{3,}ed\b",
)  # case-sensitive: "IS" (the group) is no verb


def is_statement(text: str, direct: bool) -> bool:
    """A quote item is a statement: direct speech, a paraphrase with a finite verb, or an
    intention ("vowed to build a wall": its content starts with "to")."""
    return direct or text.lstrip().startswith("to ") or bool(_FINITE.search(text))


def quotes(members: Sequence[Article]) -> list[QuoteItem]:
    """Statements grouped by speaker (named speakers first), copies merged; see :func:`is_statement`."""
    items: list[QuoteItem] = []
    by_text: dict[int, list[int]] = {}
    groups = NearDuplicates()
    for a in members:
        for q in a.annotations.quotes if a.annotations else []:
            if not sentence_key(q.text) or not is_statement(q.text, q.direct):
                continue
            cite = Cite(a.id, q.start, q.end)
            # The same words from two named people are two quotes; a copy that
            # lost the attribution still repeats the attributed one.
            same = by_text.setdefault(groups.group(q.text), [])
            hit = next(
                (
                    k
                    for k in same
                    if items[k].speaker is None or q.speaker is None or _same_person(items[k].speaker, q.speaker)
                ),
                None,
            )
            if hit is not None:
                items[hit].citations.append(cite)
                continue
            same.append(len(items))
            items.append(QuoteItem(q.speaker, q.role, q.text, q.direct, [cite]))
    merged = merge_partial_quotes(items)
    first_seen = {item.speaker: i for i, item in reversed(list(enumerate(merged)))}
    return sorted(
        merged,
        key=lambda q: (q.speaker is None, first_seen.get(q.speaker, 0)),
    )


#: A partial quote shorter than this many words is too common a phrase to
#: tie to one fuller quote ("we will see").
MIN_PARTIAL_WORDS = 4


def merge_partial_quotes(items: Sequence[QuoteItem]) -> list[QuoteItem]:
    """Fold each quote that is a run of words inside a fuller quote of the same speaker into it.

    One outlet quotes a whole sentence, another only a piece of it ("have the
    potential to resurge"): the reader sees the fuller one once, citing both.
    Speakers match by surname (case ignored); an unattributed piece is never
    folded, as it may belong to anyone. The fuller quote keeps its place.
    """
    words = [_quote_words(i.text) for i in items]
    host: dict[int, int] = {}
    for k, item in enumerate(items):
        if item.speaker is None or len(words[k]) < MIN_PARTIAL_WORDS:
            continue
        fuller = [
            j
            for j, other in enumerate(items)
            if j != k
            and len(words[j]) > len(words[k])
            and _same_person(item.speaker, other.speaker)
            and _contains_run(words[j], words[k])
        ]
        if fuller:
            host[k] = max(fuller, key=lambda j: len(words[j]))
    out: list[QuoteItem] = []
    for j, item in enumerate(items):
        if j in host:
            continue
        cites = list(item.citations)
        role = item.role
        for k in (k for k, h in host.items() if _root(h, host) == j):
            cites += [c for c in items[k].citations if c not in cites]
            role = role or items[k].role
        out.append(QuoteItem(item.speaker, role, item.text, item.direct, cites))
    return out


def _root(j: int, host: dict[int, int]) -> int:
    seen = {j}
    while j in host and host[j] not in seen:
        j = host[j]
        seen.add(j)
    return j


def _quote_words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+(?:['\u2019][a-z]+)?", text.lower().replace("\u2019", "'"))


def _same_person(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    sa, sb = a.lower().split(), b.lower().split()
    return bool(sa and sb and sa[-1] == sb[-1])


def _contains_run(longer: list[str], shorter: list[str]) -> bool:
    n = len(shorter)
    return any(longer[i : i + n] == shorter for i in range(len(longer) - n + 1))


def places(members: Sequence[Article]) -> list[PlaceItem]:
    items: dict[tuple[str, float, float], PlaceItem] = {}
    for a in members:
        for p in a.annotations.places if a.annotations else []:
            key = (p.name, round(p.lat, 3), round(p.lon, 3))
            cite = Cite(a.id, p.start, p.end)
            if key in items:
                items[key].citations.append(cite)
            else:
                items[key] = PlaceItem(p.name, p.lat, p.lon, p.country, [cite], p.precision)
    return sorted(items.values(), key=lambda p: (-len(p.citations), p.name))


@dataclass
class StoryPlan:
    """A story's members in brief order, its passages and the claims compare judges:
    worked out once, before anything is encoded, so the sentences of every story
    can be encoded in one batch (:meth:`texts`)."""

    story: Story
    members: list[Article]
    pool: list[Passage]
    claims: list[Claim]

    def texts(self) -> list[str]:
        """Every sentence this story's brief encodes (claims, then summary candidates)."""
        summary = [] if told_by_one_source(self.story) else summary_candidates(self.pool)
        return [self.claims[i].text for i in encoded_claims(self.claims)] + [p.text for p in summary]

    def pairs(self, encoder: Encoder) -> list[tuple[str, str]]:
        """The claim pairs the pair model will read for this story (see
        :func:`newsdesk.compare.pairs_to_read`)."""
        if len(self.claims) < 2:
            return []
        vectors = claim_vectors(encoder, self.claims)
        _exact, pairs = pairs_to_read(self.claims, vectors @ vectors.T)
        return [(self.claims[i].text, self.claims[j].text) for i, j in pairs]


def plan_story(story: Story, articles: dict[str, Article], links: Sequence[CopyLink]) -> StoryPlan:
    members = ordered_articles(story, articles)
    pool = passages(members)
    return StoryPlan(story, members, pool, compared_claims(members, links, pool))


def brief_story(
    story: Story,
    articles: dict[str, Article],
    links: Iterable[CopyLink],
    encoder: Encoder,
    plan: StoryPlan | None = None,
    readings: PairReadings | None = None,
) -> StoryBrief:
    """``readings``: the pair model's readings done ahead (see :func:`newsdesk.briefing.brief_stories`)."""
    links = list(links)
    plan = plan or plan_story(story, articles, links)
    members = plan.members
    copy_origin = {link.copy: link.origin for link in links}
    comparison = compare_story(story, members, links, encoder, plan.claims, readings)
    dates = sorted(a.published.date for a in members if a.published)
    story_series = series(members)
    tracked = {key for _a, f, key in keyed_figures(members) if is_series_quantity(f)}
    return StoryBrief(
        id=story.id,
        title=story.title,
        articles=[a.id for a in members],
        sources=len(story.origins),
        key_terms=list(story.key_terms),
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        key_facts=key_facts(story_series, comparison.disagreements, members, copy_origin, tracked),
        summary=summarize(story, members, copy_origin, encoder, plan.pool),
        timeline=timeline(members, dates[0] if dates else None),
        quotes=quotes(members),
        figures=figures(members, copy_origin),
        places=places(members),
        agreements=comparison.agreements,
        disagreements=comparison.disagreements,
        series=story_series,
        only_here=comparison.only_here,
    )
