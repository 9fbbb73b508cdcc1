"""Candidate scoring and context voting for place names.

Takes gazetteer :class:`~newsdesk.annotate.gazetteer.Entry` candidates for the
names of one article and gives scores: ``candidates_for`` (the readings of one
name), ``prior_score`` (what a reading is worth on its own: population,
feature kind, main name, capital, the article's countries) and ``cohere``
(the article's other names vote for readings that lie in the same region or
nearby). :mod:`newsdesk.annotate.places` finds the names and picks the best.
"""

from __future__ import annotations

import math

from newsdesk.annotate.gazetteer import Entry, Gazetteer, normalize_name

_FEATURE_BONUS = {"continent": 4.0, "region": 4.0, "country": 4.0, "admin1": 1.0, "admin2": 0.5, "city": 0.0}
CONTEXT_BONUS = 2.0  # a reading in a country the article names
_SUPPORT = 2.5  # score per other name that may lie in the same region or nearby
_SUPPORT_CAP = 2.0  # names beyond this many add nothing: a long list is no surer
_COUNTRY_SUPPORT = 0.5  # a country's towns vouch for it, and it for them, but weakly
_SHARPNESS = 2.5  # turns score gaps (log10 population units) into probabilities
_ROUNDS = 3
_PRIMARY_BONUS = 1.0
_CAPITAL_BONUS = 2.0  # news names capitals far more than same-named regions ("Washington")


def candidates_for(gaz: Gazetteer, query: str) -> list[Entry]:
    """The readings of one name: exact and alternate-name matches, minus the
    ones a bigger or main-named reading makes unlikely."""
    cands = gaz.lookup(query)
    # A region loses to a town of its own name inside it ("Baghdad", "Kirkuk").
    towns = {(e.country, e.admin1) for e in cands if e.feature == "city" and is_primary(e, query)}
    cands = [e for e in cands if not (
        (e.feature == "admin1" and (e.country, e.name) in towns)
        or (e.feature == "admin2" and (e.country, e.admin1) in towns))]
    return drop_minor_aliases(cands, query)


def drop_minor_aliases(cands: list[Entry], query: str) -> list[Entry]:
    """Towns that carry ``query`` only as an alternate name, when a place that
    bears it as its main name is at least as big: GeoNames' alternate names
    include former names and local spellings ("Kaliningrad" was once a
    Moscow suburb's name, a Texas town is "Middle East" somewhere), and the
    article's other names would otherwise pull the name onto such a town. A
    larger alias holder keeps its chance ("Bombay" is Mumbai, not a village)."""
    main = [e.population for e in cands if is_primary(e, query)]
    if not main:
        return cands
    top = max(main)
    return [e for e in cands if is_primary(e, query) or e.feature != "city" or e.population > top]


def prior_score(e: Entry, query: str, cands: list[Entry], context: set[str]) -> float:
    """A reading's worth on its own, in log10-population units."""
    score = math.log10(e.population + 10) + _FEATURE_BONUS[e.feature]
    if is_primary(e, query):
        score += _PRIMARY_BONUS
    if e.country in context and len({c.country for c in cands}) > 1:
        score += CONTEXT_BONUS
    if e.capital:
        score += _CAPITAL_BONUS
    return score


def is_primary(e: Entry, query: str) -> bool:
    """Whether ``query`` is the entry's main name (not an alternate one)."""
    return normalize_name(e.name) == normalize_name(query)


def cohere(names: dict[str, list[Entry]], prior: dict[str, list[float]],
           weight: dict[str, float]) -> dict[str, list[float]]:
    """Prior plus support: each other name that may lie in the same region,
    or within about 100 km, lends its probability of doing so. A couple of
    rounds let a consistent reading ("Alexandria" + "Rapides Parish", both in
    Louisiana) win over each name's most populous referent."""
    score = prior
    for _ in range(_ROUNDS):
        prob = {key: _softmax(sc) for key, sc in score.items()}
        index = {key: _Support(names[key], prob[key]) for key in names}
        score = {}
        for key, cands in names.items():
            others = [(index[o], weight[o]) for o in names if o != key]
            score[key] = [p + _SUPPORT * min(_SUPPORT_CAP, sum(w * ix.support(e) for ix, w in others))
                          for e, p in zip(cands, prior[key])]
    return score


def _softmax(scores: list[float]) -> list[float]:
    top = max(scores)
    ex = [math.exp(_SHARPNESS * (s - top)) for s in scores]
    total = sum(ex)
    return [x / total for x in ex]


class _Support:
    """One name's candidates, indexed by region, country and map cell."""

    def __init__(self, cands: list[Entry], prob: list[float]) -> None:
        self.region: dict[tuple[str, str], float] = {}
        self.country: dict[str, float] = {}
        self.country_entry: dict[str, float] = {}
        self.cells: dict[tuple[int, int], list[tuple[float, float, float]]] = {}
        for e, p in zip(cands, prob):
            if p < 0.01:
                continue  # a referent no one believes lends no support
            if e.country:
                self.country[e.country] = max(p, self.country.get(e.country, 0.0))
            if e.feature == "country":
                self.country_entry[e.country] = max(p, self.country_entry.get(e.country, 0.0))
            region = e.name if e.feature == "admin1" else e.admin1
            if region and e.feature in ("admin1", "admin2", "city"):
                self.region[(e.country, region)] = max(p, self.region.get((e.country, region), 0.0))
            if e.feature in ("city", "admin2"):
                self.cells.setdefault((int(e.lat), int(e.lon)), []).append((e.lat, e.lon, p))

    def support(self, e: Entry) -> float:
        if e.feature == "country":
            return _COUNTRY_SUPPORT * self.country.get(e.country, 0.0)
        if e.feature == "admin1":
            return self.region.get((e.country, e.name), 0.0)
        if e.feature not in ("city", "admin2"):
            return 0.0
        best = max(self.region.get((e.country, e.admin1), 0.0) if e.admin1 else 0.0,
                   _COUNTRY_SUPPORT * self.country_entry.get(e.country, 0.0))
        k = math.cos(math.radians(e.lat))
        for i in (-1, 0, 1):
            for j in (-1, 0, 1):
                for lat, lon, p in self.cells.get((int(e.lat) + i, int(e.lon) + j), ()):
                    if p > best and (e.lat - lat) ** 2 + ((e.lon - lon) * k) ** 2 < 0.8:
                        best = p
        return best
