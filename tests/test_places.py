"""Places: toponyms geocoded from the offline gazetteer, through the real spaCy model."""

from __future__ import annotations

import math

import pytest

from newsdesk.annotate.gazetteer import load_gazetteer, normalize_name, skeleton
from newsdesk.annotate.places import find_places


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(a))


def test_arabic_article_and_apostrophes_normalise_alike():
    assert normalize_name("Al Qa'im") == normalize_name("al Qaim") == normalize_name("Al-Qaim") == "al qaim"
    assert normalize_name("Zürich") == "zurich"
    assert skeleton("nineveh") == skeleton("ninawa")


def test_gazetteer_finds_small_towns_countries_and_aliases():
    gaz = load_gazetteer()
    assert any(e.country == "IQ" and e.feature == "city" for e in gaz.lookup("Al-Qaim"))
    assert any(e.feature == "country" and e.country == "US" for e in gaz.lookup("U.S."))
    assert gaz.country("CH") is not None


@pytest.mark.slow
def test_countries_and_cities_resolve(nlp):
    places = find_places(nlp("Talks in Davos, Switzerland, covered Iraq, Syria and Denmark."))
    got = {p.text: (p.country, p.feature) for p in places}
    assert got == {"Davos": ("CH", "city"), "Switzerland": ("CH", "country"), "Iraq": ("IQ", "country"),
                   "Syria": ("SY", "country"), "Denmark": ("DK", "country")}
    davos = places[0]
    assert _km(davos.lat, davos.lon, 46.8, 9.84) < 20


@pytest.mark.slow
def test_demonyms_resolve_to_their_country(nlp):
    # GeoWebNews and LGL both count adjectival toponyms ("Iraqi officials").
    places = find_places(nlp("Iraqi and British officials met Iranian envoys in Kirkuk."))
    got = {p.text: (p.country, p.feature, p.precision) for p in places}
    assert got == {"Iraqi": ("IQ", "country", "country"), "British": ("GB", "country", "country"),
                   "Iranian": ("IR", "country", "country"), "Kirkuk": ("IQ", "city", "city")}


@pytest.mark.slow
def test_religions_and_languages_are_not_demonyms(nlp):
    places = find_places(nlp("The Christian and Muslim leaders spoke English and Arabic at the meeting."))
    assert places == []


@pytest.mark.slow
def test_state_abbreviation_after_a_town(nlp):
    places = {p.text: p for p in find_places(nlp("The plant in Fairbanks, Alaska, and the office in Lynchburg, Va., closed."))}
    assert places["Va."].name == "Virginia" and places["Va."].feature == "admin1"
    assert places["Lynchburg"].country == "US"


@pytest.mark.slow
def test_large_country_gets_its_conventional_point_not_its_towns_centre(nlp):
    russia = find_places(nlp("Talks with Russia stalled."))[0]
    assert _km(russia.lat, russia.lon, 60.0, 100.0) < 100


@pytest.mark.slow
def test_organisation_that_is_a_place_and_place_inside_an_organisation(nlp):
    places = {p.text: p for p in find_places(nlp("The EU warned Moscow, and the U.S. Army sent more troops."))}
    assert places["EU"].feature == "region"
    assert places["U.S."].country == "US"


@pytest.mark.slow
def test_region_named_in_the_article_picks_the_town(nlp):
    text = "Storms hit Texas on Monday. In Paris, the county courthouse lost power."
    paris = [p for p in find_places(nlp(text)) if p.text == "Paris"]
    assert paris and paris[0].country == "US"


@pytest.mark.slow
def test_al_name_missed_by_ner_is_found_in_locative_context(nlp):
    text = "Militias fired rockets at the al Qaim military base in Iraq, near the Syrian border."
    places = find_places(nlp(text))
    qaim = [p for p in places if "Qaim" in p.text]
    assert len(qaim) == 1 and qaim[0].country == "IQ"
    assert _km(qaim[0].lat, qaim[0].lon, 34.4, 41.1) < 50
    assert text[qaim[0].start : qaim[0].end] == qaim[0].text


@pytest.mark.slow
def test_al_nisba_inside_a_persons_name_is_not_a_place(nlp):
    places = find_places(nlp("The cleric Ali al-Sistani spoke on Friday."))
    assert places == []


@pytest.mark.slow
def test_article_context_picks_the_country(nlp):
    # "Paris" alone is the French capital; in an article about Texas, Texas' Paris.
    assert find_places(nlp("Flooding hit Paris."))[0].country == "FR"
    texan = [p for p in find_places(nlp("Flooding hit Paris, Texas, and towns across Lamar County in the United States.")) if p.text == "Paris"]
    assert texan and texan[0].country == "US"


@pytest.mark.slow
def test_city_beats_its_own_governorate_and_capital_beats_a_state(nlp):
    places = {p.text: p for p in find_places(nlp("Officials in Baghdad and Washington disagreed."))}
    assert places["Baghdad"].feature == "city"
    assert _km(places["Washington"].lat, places["Washington"].lon, 38.9, -77.04) < 30


@pytest.mark.slow
def test_hyphenated_pair_of_places_gives_both(nlp):
    text = "Amid the recent uptick in U.S.-Iran tensions, talks stalled."
    places = find_places(nlp(text))
    assert [(p.text, p.country) for p in places] == [("U.S.", "US"), ("Iran", "IR")]


@pytest.mark.slow
def test_seed_places_resolve_near_truth(nlp, seeds):
    truth = {"Mosul": (36.34, 43.13), "Baghdad": (33.34, 44.40), "Kirkuk": (35.47, 44.39),
             "al Qaim": (34.4, 41.1), "Davos": (46.8, 9.84)}
    countries = {"Iraq": "IQ", "Syria": "SY", "Iran": "IR", "Denmark": "DK", "Switzerland": "CH"}
    seen: dict[str, object] = {}
    for path in sorted(seeds.glob("*.txt")):
        for p in find_places(nlp(path.read_text(encoding="utf-8"))):
            seen.setdefault(p.text, p)
    for name, (lat, lon) in truth.items():
        assert name in seen, name
        assert _km(seen[name].lat, seen[name].lon, lat, lon) < 50, name
    for name, iso in countries.items():
        assert seen[name].country == iso and seen[name].feature == "country"
    assert seen["Nineveh"].country == "IQ" and _km(seen["Nineveh"].lat, seen["Nineveh"].lon, 36.34, 43.13) < 150


@pytest.mark.slow
def test_names_before_counties_are_counties(nlp):
    places = find_places(nlp("Grass fires burned in Eastland and Callahan counties on Monday."))
    got = {p.text: (p.name, p.feature, p.country) for p in places}
    assert got == {"Eastland": ("Eastland County", "admin2", "US"), "Callahan": ("Callahan County", "admin2", "US")}


@pytest.mark.slow
def test_town_comma_state_settles_the_state_too(nlp):
    # Georgia the country is the bigger prior; the town before the comma lies in the state.
    places = find_places(nlp("Storms hit Gainesville, Georgia, on Friday."))
    got = {p.text: (p.feature, p.country) for p in places}
    assert got == {"Gainesville": ("city", "US"), "Georgia": ("admin1", "US")}


@pytest.mark.slow
def test_a_place_name_is_found_again_wherever_ner_puts_it(nlp):
    text = "Storms hit Gainesville, Georgia, on Friday. A Gainesville man was hurt when a tree fell."
    hits = [p for p in find_places(nlp(text)) if p.text == "Gainesville"]
    assert len(hits) == 2 and {(p.country, p.feature) for p in hits} == {("US", "city")}


@pytest.mark.slow
def test_town_words_rule_out_a_country(nlp):
    places = find_places(nlp("A Lebanon man was charged on Friday, Lebanon police said."))
    assert places and all(p.text == "Lebanon" and p.feature == "city" and p.country == "US" for p in places)


@pytest.mark.slow
def test_american_civic_institutions_favour_american_towns(nlp):
    athens = find_places(nlp("The Athens Police Department arrested a teen on Friday."))
    assert [(p.text, p.country) for p in athens] == [("Athens", "US")]
    # Without such words the capital keeps its prior.
    assert find_places(nlp("Protesters marched in Athens on Friday."))[0].country == "GR"


@pytest.mark.slow
def test_neighbouring_names_support_each_other(nlp):
    # "Alexandria" alone is the Egyptian city; beside Rapides Parish it is
    # the Louisiana town, and the parish vouches for it.
    alone = find_places(nlp("Flooding hit Alexandria on Friday."))
    assert alone[0].country == "EG"
    text = "Flooding hit Alexandria on Friday, and roads in Rapides Parish were closed."
    got = {p.text: p for p in find_places(nlp(text))}
    assert got["Alexandria"].country == "US"
    assert _km(got["Alexandria"].lat, got["Alexandria"].lon, got["Rapides Parish"].lat, got["Rapides Parish"].lon) < 100


@pytest.mark.slow
def test_dc_abbreviation_and_direction_prefix(nlp):
    got = {p.text: p for p in find_places(nlp("She flew from Denver to Washington, D.C. after rain across North Texas."))}
    assert got["D.C."].country == "US" and got["D.C."].feature == "admin1"
    assert _km(got["Washington"].lat, got["Washington"].lon, 38.9, -77.04) < 30
    assert got["Texas"].feature == "admin1"


def test_every_place_keeps_its_sentence_and_precision() -> None:
    from newsdesk.annotate import annotate_articles
    from newsdesk.model import Article

    text = "Talks resumed on Monday. Delegates met in Kirkuk, in northern Iraq, to discuss the pipeline."
    article = Article(id="p", path="p", text=text)
    annotate_articles([article])
    places = article.annotations.places
    assert {p.text for p in places} >= {"Kirkuk", "Iraq"}
    second = text.index("Delegates")
    for p in places:
        assert (p.sentence_start, p.sentence_end) == (second, len(text))
        assert p.sentence_start <= p.start < p.end <= p.sentence_end
    precision = {p.text: p.precision for p in places}
    assert precision["Kirkuk"] == "city" and precision["Iraq"] == "country"


def test_transliteration_match_keeps_regions_and_skips_towns():
    gaz = load_gazetteer()
    # A region spelt two ways still matches inside the article's countries.
    assert any(e.feature == "admin1" and e.country == "IQ" for e in gaz.lookup_skeleton("Nineveh", {"IQ"}))
    # A town whose consonants merely coincide does not ("Prisi" ~ Paris, "South Ossetia" ~ Sete).
    assert not any(e.feature == "city" for e in gaz.lookup_skeleton("Prisi", {"FR", "GE"}))
    assert not gaz.lookup_skeleton("South Ossetia", {"FR", "GE"})
    # Same consonants but a different first letter or a very different length: no match.
    assert not gaz.lookup_skeleton("Aninawa", {"IQ"})
    assert not gaz.lookup_skeleton("Ninaweehaa", {"IQ"})


def test_minor_alias_yields_to_a_main_name() -> None:
    from newsdesk.annotate.gazetteer import Entry
    from newsdesk.annotate.place_context import drop_minor_aliases

    main = Entry("Harbourton", 10.0, 10.0, "XA", "city", 50_000, "North")
    old_name = Entry("Millbrook", 20.0, 20.0, "XB", "city", 20_000, "South")  # once called Harbourton
    big_alias = Entry("Great Port", 30.0, 30.0, "XC", "city", 5_000_000, "East")
    area = Entry("Harbour Land", 40.0, 40.0, "XD", "country", 1_000, "")
    assert drop_minor_aliases([main, old_name, big_alias, area], "Harbourton") == [main, big_alias, area]
    # With no main-named reading every alias stays.
    assert drop_minor_aliases([old_name, big_alias], "Harbourton") == [old_name, big_alias]


@pytest.mark.slow
def test_former_name_of_a_suburb_does_not_win(nlp):
    places = find_places(nlp("Russia will place missiles in Kaliningrad, officials in Moscow said."))
    got = {p.text: p for p in places}
    k = got["Kaliningrad"]
    assert k.country == "RU" and _km(k.lat, k.lon, 54.7, 20.5) < 50


@pytest.mark.slow
def test_direction_before_a_small_town_is_not_that_town(nlp):
    # "North Texas" is part of Texas; "East Bank" is not the town of Bank.
    places = find_places(nlp("Storms hit North Texas on Monday. The road in East Bank, W.Va., was closed."))
    got = {p.text: p for p in places}
    assert got["Texas"].feature == "admin1" and got["Texas"].country == "US"
    assert "Bank" not in got and all(p.name != "Portsmouth" for p in places)


def test_an_adjective_tagged_as_a_nationality_is_not_a_province(nlp):
    doc = nlp("The repositioning of Western and international forces in Iraq moved troops to two bases.")
    names = [p.name for p in find_places(doc)]
    assert "Western" not in names and "Iraq" in names


def test_a_country_across_the_180th_meridian_is_placed_among_its_islands(nlp):
    [fiji] = [p for p in find_places(nlp("A cyclone struck Fiji on Sunday.")) if p.name == "Fiji"]
    assert _km(fiji.lat, fiji.lon, -18.14, 178.44) < 300  # Suva


def test_a_name_followed_by_state_is_the_state_not_its_namesake_city(nlp):
    doc = nlp("Fire crews from Washington state flew to help, and Seattle sent two engines.")
    [wa] = [p for p in find_places(doc) if p.name == "Washington"]
    assert wa.country == "US" and _km(wa.lat, wa.lon, 47.4, -120.5) < 300  # the state's middle, not D.C.
