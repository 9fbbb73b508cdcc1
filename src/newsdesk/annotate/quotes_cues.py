"""Which words report speech: the reporting verbs and the stance verbs of quote attribution.

Takes spaCy tokens, gives yes/no: :func:`is_cue` (say, tell, warn, ...,
"according to") and :func:`is_stance` (criticize, cite, praise, ...), and
the cue lexicons themselves: the long verb lists are data
(``annotate/data/speech_verbs.txt``, ``stance_verbs.txt``), the short
subsets that say how a verb reports are here. The word lists change when a
new way of reporting speech is found; where the
content of a report starts and ends is :mod:`newsdesk.annotate.quotes_bounds`,
finding the reports is :mod:`newsdesk.annotate.quotes_indirect`.
"""

from __future__ import annotations

from spacy.tokens import Token

from newsdesk.lexicon import word_list

#: Lemmas of verbs that report speech, writing or a stated position.
REPORT_LEMMAS = frozenset(word_list("newsdesk.annotate", "speech_verbs.txt"))
#: Report verbs that only report when they take a clause (never from a quote window alone).
WEAK_CUES = frozenset("find show feel hope expect describe post call decline refuse offer want plan intend".split())  # noqa: SIM905
#: Report verbs whose content can be an infinitive ("vowed to fight on") ...
INFINITIVE_CUES = frozenset(
    "pledge vow promise threaten urge ask call agree decline refuse offer want plan intend".split()  # noqa: SIM905
)
#: ... or a weighty noun phrase ("announced plans for a wall", "denied the report").
OBJECT_CUES = frozenset("announce deny confirm reveal predict acknowledge admit propose demand".split())  # noqa: SIM905


def is_cue(tok: Token, weak_ok: bool) -> bool:
    if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
        return True
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX") or lemma not in REPORT_LEMMAS:
        return False
    return weak_ok or lemma not in WEAK_CUES


#: Verbs of stance and evaluation whose object is what the subject said or
#: thinks about ("X criticized the plan", "X cited the report"). They never
#: take a quote window on their own; only their object or clause is content.
STANCE_LEMMAS = frozenset(word_list("newsdesk.annotate", "stance_verbs.txt"))


def is_stance(v: Token) -> bool:
    return v.pos_ == "VERB" and v.lemma_.lower() in STANCE_LEMMAS
