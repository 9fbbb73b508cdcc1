"""Quotes and speakers: invented sentences for each pattern, then the seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.annotate.quotes import find_marked, find_quotes, normalize_marks
from newsdesk.model import Quote


def quotes_of(nlp, text: str) -> list[Quote]:  # type: ignore[no-untyped-def]
    return find_quotes(nlp(text))


def only(quotes: list[Quote], fragment: str) -> Quote:
    hits = [q for q in quotes if fragment in q.text]
    assert len(hits) == 1, [q.text for q in quotes]
    return hits[0]


# ---- quote marks (no model needed) -------------------------------------------


def test_curly_and_straight_marks_are_paired_without_the_marks() -> None:
    text = 'She said: “We will stay.” Then he said "We will go."'
    spans = [text[m.start : m.end] for m in find_marked(text)]
    assert spans == ["We will stay.", "We will go."]


def test_unbalanced_mark_does_not_swallow_the_rest_of_the_article() -> None:
    text = "“We are ready, the mayor said.\n\nThe budget passed on Monday after a long debate.\n\nRoads will reopen."
    assert find_marked(text) == []


def test_quote_continued_over_paragraphs_runs_to_the_last_closing_mark() -> None:
    text = "“The first part goes on.\n\n“The second part ends here,” she said.\n\nUnquoted tail."
    [m] = find_marked(text)
    assert text[m.start : m.end].startswith("The first part")
    assert text[m.start : m.end].endswith("ends here,")


def test_open_paragraph_not_followed_by_a_mark_is_dropped() -> None:
    text = "“The first part goes on.\n\nThe reporter's own words follow.\n\n“A new quote,” she said."
    assert [text[m.start : m.end] for m in find_marked(text)] == ["A new quote,"]


def test_apostrophes_are_not_single_quotes() -> None:
    text = "It’s the officers’ view that the plan ‘will not work’ this year."
    assert [text[m.start : m.end] for m in find_marked(text)] == ["will not work"]


def test_ascii_double_apostrophes_become_marks_of_the_same_length() -> None:
    text = "''It is over,'' he said."
    norm = normalize_marks(text)
    assert len(norm) == len(text)
    assert [text[m.start : m.end] for m in find_marked(text)] == ["It is over,"]


# ---- direct quotes -------------------------------------------------------------


def test_quote_before_said_with_full_name_and_appositive_role(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "“We still need help with training,” said Tomas Varga, the mayor of Riverton, which sits on the coast."
    q = only(quotes_of(nlp, text), "training")
    assert q.direct and q.text == "We still need help with training,"
    assert q.speaker == "Tomas Varga"
    assert q.role == "mayor of Riverton"
    assert q.cue == "said"
    assert text[q.speaker_start : q.speaker_end] == "Tomas Varga"


def test_pronoun_and_surname_resolve_to_the_full_name(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Brigadier General Anna Kowalczyk, deputy commander of the northern task force, spoke on Monday. "
        "“The bridges are safe now,” Kowalczyk said. “We will leave in spring,” she added."
    )
    quotes = quotes_of(nlp, text)
    first, second = only(quotes, "bridges"), only(quotes, "spring")
    assert first.speaker == second.speaker == "Anna Kowalczyk"
    assert first.role == "deputy commander of the northern task force"
    assert text[second.speaker_start : second.speaker_end] == "she"


def test_attribution_before_the_quote_with_a_colon(nlp) -> None:  # type: ignore[no-untyped-def]
    q = only(quotes_of(nlp, "Lena Ostrova said: “The harvest failed in every valley this year.”"), "harvest")
    assert q.speaker == "Lena Ostrova" and q.direct


def test_told_reporters_and_wrote_are_cues(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "“Supplies are short,” Marco Bellini told reporters. "
        "“Prices will rise again,” Ida Holm, analyst at Northgate Research, wrote in a note."
    )
    quotes = quotes_of(nlp, text)
    assert only(quotes, "Supplies").speaker == "Marco Bellini"
    written = only(quotes, "Prices")
    assert (written.speaker, written.cue, written.role) == ("Ida Holm", "wrote", "analyst at Northgate Research")


def test_second_quote_without_attribution_inherits_the_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    text = 'The port "is open again", Pavel Dorn said. "Ships can dock from tomorrow morning onwards."'
    q = only(quotes_of(nlp, text), "Ships")
    assert q.speaker == "Pavel Dorn" and q.direct


def test_scare_quotes_are_not_quotes(nlp) -> None:  # type: ignore[no-untyped-def]
    assert quotes_of(nlp, "The rebels declared a “caliphate” in the desert in 2014.") == []


def test_title_is_stripped_and_becomes_the_role_when_nothing_else_is_known(nlp) -> None:  # type: ignore[no-untyped-def]
    q = only(quotes_of(nlp, "“The talks are over,” said President Elena Marsh."), "talks")
    assert q.speaker == "Elena Marsh" and q.role == "President"


# ---- indirect speech -----------------------------------------------------------


def test_said_that_clause_is_indirect_speech(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Karl Brenner said Wednesday that the army would withdraw two brigades from the border."
    q = only(quotes_of(nlp, text), "brigades")
    assert not q.direct
    assert q.text == "the army would withdraw two brigades from the border"
    assert q.speaker == "Karl Brenner" and q.cue == "said"


def test_content_before_speaker_with_appositive(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The threat from the militia has faded but could return quickly, Colonel Jonas Weller, "
        "the chief of staff of the eastern command, said Tuesday."
    )
    q = only(quotes_of(nlp, text), "threat")
    assert q.text == "The threat from the militia has faded but could return quickly"
    assert q.speaker == "Jonas Weller"
    assert q.role == "chief of staff of the eastern command"


def test_according_to_and_organisation_speakers(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "Patrols have been cut along the river since March, according to several local officials. "
        "The two leaders agreed on a new trade deal in Geneva, the Foreign Ministry said."
    )
    quotes = quotes_of(nlp, text)
    patrols = only(quotes, "Patrols")
    assert patrols.cue == "according to" and patrols.speaker == "several local officials"
    deal = only(quotes, "trade deal")
    assert deal.speaker == "Foreign Ministry" and not deal.direct


def test_partial_quote_inside_reported_speech_is_one_mixed_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = 'Greta Lindqvist said the group had become "a much weaker force" over the past year.'
    quotes = quotes_of(nlp, text)
    assert len(quotes) == 1
    q = quotes[0]
    assert not q.direct and '"a much weaker force"' in q.text and q.speaker == "Greta Lindqvist"


def test_role_only_speaker_is_resolved_to_the_one_matching_named_person(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "The floods have receded in the south, a regional governor said on Friday. "
        "Governor Ruth Abara told reporters that the roads would reopen next week."
    )
    quotes = quotes_of(nlp, text)
    assert only(quotes, "floods").speaker == "Ruth Abara"


def test_role_only_speaker_stays_unnamed_without_a_match(nlp) -> None:  # type: ignore[no-untyped-def]
    q = only(quotes_of(nlp, "The floods have receded in the south, a regional official said on Friday."), "floods")
    assert q.speaker is None and q.role == "regional official"


def test_empty_and_quoteless_text(nlp) -> None:  # type: ignore[no-untyped-def]
    assert quotes_of(nlp, "") == []
    assert quotes_of(nlp, "The bridge opened in 1990 and carries four lanes.") == []


def test_offsets_point_into_the_text(nlp) -> None:  # type: ignore[no-untyped-def]
    text = '“Unclosed start.\n\nThe council met. “We agree,” said Mia Roth. Odd " mark here.'
    for q in quotes_of(nlp, text):
        assert text[q.start : q.end] == q.text


def test_speaker_who_said_is_the_antecedent(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Reporters met Oskar Lindahl, a farmer who said the new dam had flooded his fields."
    q = only(quotes_of(nlp, text), "dam")
    assert q.text == "the new dam had flooded his fields"
    assert q.speaker == "Oskar Lindahl"
    assert text[q.speaker_start : q.speaker_end] == "who"


def test_first_person_and_pronoun_only_speakers_name_no_one(nlp) -> None:  # type: ignore[no-untyped-def]
    text = (
        "I said last week that the council had ignored the valley for years. "
        "Many of those who marched said the dam had flooded their fields twice."
    )
    quotes = quotes_of(nlp, text)
    assert all(q.speaker not in ("I", "those", "one", "who") for q in quotes), [(q.speaker, q.text) for q in quotes]
    assert only(quotes, "ignored").speaker is None


def test_description_with_who_and_an_infinitive_is_not_a_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The mayor is a builder who has repeatedly vowed to pave every road in the county."
    assert quotes_of(nlp, text) == []


def test_attribution_inside_the_content(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The new bridge, Mayor Ines Okafor said, will carry twice as many cars as the old one."
    q = only(quotes_of(nlp, text), "bridge")
    assert q.text.startswith("The new bridge") and q.text.endswith("the old one")
    assert q.speaker == "Ines Okafor" and not q.direct


def test_stance_verb_object_is_content(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Senator Paula Greaves criticized the harbour plan as far too expensive for the city."
    q = only(quotes_of(nlp, text), "harbour")
    assert q.text == "the harbour plan as far too expensive for the city"
    assert q.speaker == "Paula Greaves" and q.cue == "criticized"


def test_trailing_relative_clause_is_the_reporters_gloss(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Dr. Amir Haddad said he expects the minister to recover from the flu, which kept her home all week."
    q = only(quotes_of(nlp, text), "recover")
    assert q.text == "he expects the minister to recover from the flu"


def test_is_that_sentence_is_not_content_before_a_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Another key issue is that the new treaties propose to raise the tariffs on steel."
    assert all(not q.text.startswith("Another key issue") for q in quotes_of(nlp, text))


def test_quoted_title_after_book_or_memoir_is_not_a_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "She first told the story in her memoir, “Growing Up Along the Long Cold River of the North.”"
    assert quotes_of(nlp, text) == []


def test_content_that_runs_over_its_own_cue_is_dropped(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "“Are you awake?” she said, but Omar was already fast asleep on the couch."
    assert all("Omar" not in q.text for q in quotes_of(nlp, text))


def test_content_opening_with_speaker_and_cue_starts_after_the_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The council approved a new parking levy, which the mayor said was a fair price for the downtown."
    q = only(quotes_of(nlp, text), "fair price")
    assert q.text.startswith("was a fair price")


def test_text_before_a_colon_or_semicolon_is_not_content_before_a_cue(nlp) -> None:  # type: ignore[no-untyped-def]
    for text in (
        "It is a very unlikely outcome; the mayor's team says she will keep running for office.",
        "We have seen this before: the general declared war on the rebels in the north.",
    ):
        assert all(not q.text.startswith(("It is", "We have")) for q in quotes_of(nlp, text)), text


def test_adverbial_clause_of_the_cue_is_not_content(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Those were the last words the farmer said before he died in the flood."
    assert all(q.text != "before he died in the flood" for q in quotes_of(nlp, text))


def test_capitalised_section_label_is_not_a_report(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "EVEN HIS OWN BOSS THINKS HE IS WRONG — The head of the studio declined to comment."
    assert all("HE IS WRONG" not in q.text for q in quotes_of(nlp, text))


def test_physical_attack_on_a_ship_is_not_a_statement(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "In 2001, the rebels attacked the USS Nimbus, killing nine sailors."
    assert quotes_of(nlp, text) == []


def test_calling_a_meeting_is_not_a_statement(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The council, alarmed by the flooding, called an emergency meeting to plan the repairs."
    assert all("emergency meeting" not in q.text for q in quotes_of(nlp, text))
    q = only(quotes_of(nlp, "Senator Lena Ortiz called the tax plan a costly mistake."), "tax plan")
    assert q.cue == "called"


def test_quoted_name_of_a_show_or_column_is_not_a_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    for text in (
        "Listeners phoned in to his “Talk It Through” radio program every night.",
        "Lena Ortiz's column, “Let the children play outside more,” was widely shared.",
    ):
        assert quotes_of(nlp, text) == [], text


def test_text_after_a_headline_colon_is_still_a_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The paper used one of her lines as its headline: “At last, someone who gets it.”"
    assert any("someone who gets it" in q.text for q in quotes_of(nlp, text))


def test_participle_gloss_after_an_adverb_is_cut(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The mayor told voters that she would resign if the levy failed, implicitly putting her career on the line."
    q = only(quotes_of(nlp, text), "resign")
    assert "putting" not in q.text and q.text.endswith("the levy failed")


def test_occasion_of_a_stance_verb_is_not_content(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Governor Ray Dalton described the new toll as a terrible burden during a campaign stop in Springfield."
    q = only(quotes_of(nlp, text), "toll")
    assert q.text == "the new toll as a terrible burden"


def test_new_clause_with_its_own_subject_ends_the_content(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Early polls showed the mayor won the debate, but such polls are rarely a good guide to the vote."
    q = only(quotes_of(nlp, text), "mayor won")
    assert "rarely" not in q.text


# ---- seeds ---------------------------------------------------------------------


def seed_quotes(nlp, seeds: Path, prefix: str) -> tuple[str, list[Quote]]:  # type: ignore[no-untyped-def]
    [path] = sorted(seeds.glob(f"{prefix}_*.txt"))
    text = path.read_text(encoding="utf-8")
    return text, find_quotes(nlp(text))


def test_seed_001_flattened_quotes_of_jibouri_and_aboul_nasr(nlp, seeds: Path) -> None:  # type: ignore[no-untyped-def]
    _, quotes = seed_quotes(nlp, seeds, "001")
    jibouri = [q for q in quotes if q.speaker == "Najm Jibouri"]
    assert len(jibouri) >= 3 and all(q.direct for q in jibouri)
    assert all(q.role and q.role.startswith("governor") for q in jibouri)
    assert any(q.speaker_start is not None and q.text.startswith("If the U.S.") for q in jibouri)
    [nasr] = [q for q in quotes if q.speaker == "Benedicte Aboul-Nasr"]
    assert nasr.cue == "wrote" and nasr.role and nasr.role.startswith("project officer at")


def test_seed_002_quotes_of_ekman(nlp, seeds: Path) -> None:  # type: ignore[no-untyped-def]
    _, quotes = seed_quotes(nlp, seeds, "002")
    ekman = [q for q in quotes if q.speaker == "Kenneth Ekman"]
    assert sum(q.direct for q in ekman) >= 2 and sum(not q.direct for q in ekman) >= 3
    assert {q.role for q in ekman} == {"deputy commander of coalition forces"}


@pytest.mark.parametrize(
    "opening", ["The threat posed", "certainly still remain", "the more time we take", "executing some sort"]
)
def test_seed_004_quotes_of_grynkewich(nlp, seeds: Path, opening: str) -> None:  # type: ignore[no-untyped-def]
    _, quotes = seed_quotes(nlp, seeds, "004")
    q = only(quotes, opening)
    assert q.speaker == "Alexus Grynkewich"
    assert q.role and "second-in-command" in q.role


def test_seed_004_org_and_group_sources(nlp, seeds: Path) -> None:  # type: ignore[no-untyped-def]
    _, quotes = seed_quotes(nlp, seeds, "004")
    assert only(quotes, "continued US military role").speaker == "White House"
    assert only(quotes, "ostensibly reduced").cue == "according to"


@pytest.mark.slow
def test_a_titled_name_that_ner_missed_is_split_and_its_surname_resolves(nlp):
    text = (
        "The city council voted on Tuesday to approve a new tram line linking the harbour to the university, "
        "Mayor Ana Ruiz said. The line will cost about 340 million euros.\n\n"
        "\u201cThis is the biggest investment in our streets for a generation,\u201d Ruiz said after the vote."
    )
    quotes = find_quotes(nlp(text))
    assert [q.speaker for q in quotes] == ["Ana Ruiz", "Ana Ruiz"]
    assert quotes[0].role == "Mayor"


# ---- topics and headline sources ---------------------------------------------


def test_topic_of_a_speaking_verb_is_content(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = quotes_of(nlp, "The senator complained about the new parking fees at the harbour on Monday.")
    q = only(quotes, "parking fees")
    assert q.cue == "complained" and q.speaker_start == 0
    assert "complained" not in q.text and "Monday" not in q.text


def test_topic_of_a_cue_noun_with_an_owner_is_content(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = quotes_of(nlp, "Marta Kovac repeated her questions about the funding of the bridge project.")
    assert "funding of the bridge" in only(quotes, "funding").text


def test_duration_and_unowned_topic_nouns_are_not_content(nlp) -> None:  # type: ignore[no-untyped-def]
    quotes = quotes_of(nlp, "The two mayors spoke for about ten minutes. Questions about the budget remain open.")
    assert [q.text for q in quotes] == []


def test_headline_name_and_colon_attributes_the_rest_of_the_line(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Anna Weber: Tax Plan Is a Trap for Young Families\n\nThe minister spoke to farmers in the valley."
    q = only(quotes_of(nlp, text), "Tax Plan")
    assert q.text == "Tax Plan Is a Trap for Young Families"
    assert q.speaker == "Anna Weber"


def test_headline_label_before_a_colon_is_not_a_source(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "Correction: An earlier version of this story gave the wrong date for the vote.\n\nThe vote was held in May."
    assert [q.text for q in quotes_of(nlp, text)] == []


# ---- content boundaries and non-reports (issue #5) ----------------------------


def test_call_for_reports_what_was_demanded_without_for(nlp) -> None:  # type: ignore[no-untyped-def]
    q = only(quotes_of(nlp, "The union has repeatedly called for a ban on night shifts."), "ban")
    assert q.text == "a ban on night shifts"


def test_sentence_connective_before_the_content_is_the_reporters(nlp) -> None:  # type: ignore[no-untyped-def]
    qs = quotes_of(
        nlp, "The mayor spoke at length about the flood. But the new dam will not be ready until spring, she said."
    )
    assert only(qs, "dam").text == "the new dam will not be ready until spring"
    q = only(quotes_of(nlp, "However, the bridge will stay closed until June, the engineer said."), "bridge")
    assert q.text == "the bridge will stay closed until June"


def test_coordinated_second_report_ends_the_first_and_keeps_its_speaker(nlp) -> None:  # type: ignore[no-untyped-def]
    qs = quotes_of(nlp, "Governor Mira Dahl said the levy would rise next year and urged residents to save water.")
    assert only(qs, "levy").text == "the levy would rise next year"
    urged = only(qs, "save water")
    assert urged.speaker == "Mira Dahl" and "levy" not in urged.text


def test_attempted_speech_is_not_a_report(nlp) -> None:  # type: ignore[no-untyped-def]
    assert quotes_of(nlp, "Reporters have tried to talk to the governor about the budget for weeks.") == []


def test_relative_clause_after_according_to_is_not_content(nlp) -> None:  # type: ignore[no-untyped-def]
    qs = quotes_of(nlp, "The town has 5,000 residents, according to the census, which counts every household twice.")
    assert [q.text for q in qs] == ["The town has 5,000 residents"]


def test_gloss_after_comma_is_cut_participle_and_concession(nlp) -> None:  # type: ignore[no-untyped-def]
    q = only(quotes_of(nlp, "She said the council rejected the deal, known locally as the River Pact."), "council")
    assert q.text == "the council rejected the deal"
    q = only(
        quotes_of(nlp, "He said the launch was a success, although it may take days to confirm the orbit."), "launch"
    )
    assert q.text == "the launch was a success"


def test_fronted_scene_setting_phrase_before_a_midsentence_speaker_is_cut(nlp) -> None:  # type: ignore[no-untyped-def]
    q = only(quotes_of(nlp, "Back in the capital, the minister said, she began drafting the new law."), "drafting")
    assert q.text == "she began drafting the new law"
    # a subject before the speaker stays: the words around the attribution are one report
    q = only(quotes_of(nlp, "The bridge, the engineer said, will reopen in June."), "reopen")
    assert q.text.startswith("The bridge")


def test_capitalised_quoted_name_after_a_possessive_is_a_title(nlp) -> None:  # type: ignore[no-untyped-def]
    text = 'On Friday the senator praised his "Evening Hour With The Working People" at the rally.'
    assert quotes_of(nlp, text) == []


def test_a_short_quote_from_a_named_person_is_kept_and_a_bare_term_is_not(nlp) -> None:
    text = (
        "The militia declared a “free zone” in the hills in 2019, but raids pushed it back. "
        '"It will not last," said Mayor Ana Ruiz. Ruiz called the plan "a disgrace".'
    )
    found = quotes_of(nlp, text)
    assert all(q.text != "free zone" for q in found)
    assert only(found, "It will not last").speaker == "Ana Ruiz"
    assert only(found, "a disgrace").speaker == "Ana Ruiz"  # short, but a person said it
