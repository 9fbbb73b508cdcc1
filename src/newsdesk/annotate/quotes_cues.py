"""Which words report speech: the reporting verbs and the stance verbs of quote attribution.

Takes spaCy tokens, gives yes/no: :func:`is_cue` (say, tell, warn, ...,
"according to") and :func:`is_stance` (criticize, cite, praise, ...). The
word lists change when a new way of reporting speech is found; where the
content of a report starts and ends is :mod:`newsdesk.annotate.quotes_bounds`,
finding the reports is :mod:`newsdesk.annotate.quotes_indirect`.
"""

from __future__ import annotations

from spacy.tokens import Token

#: Lemmas of verbs that report speech, writing or a stated position.
REPORT_LEMMAS = frozenset(
    """
    say tell add warn note announce claim argue write state explain insist acknowledge admit
    agree predict declare contend recall respond reply complain estimate conclude indicate reveal
    confirm deny urge suggest report assert maintain caution stress emphasize emphasise observe
    remark comment mention testify tweet post ask believe think fear worry hope expect feel
    find show allege charge concede counter joke boast promise pledge vow threaten recount
    describe signal tout lament call demand propose decline refuse offer want plan intend
    """.split()  # noqa: SIM905 - a word list reads better as prose
)


#: Verbs that only report when they take a clause (never from a quote window alone).
_WEAK_CUES = frozenset(
    {
        "find",
        "show",
        "feel",
        "hope",
        "expect",
        "describe",
        "post",
        "call",
        "decline",
        "refuse",
        "offer",
        "want",
        "plan",
        "intend",
    }
)


def is_cue(tok: Token, weak_ok: bool) -> bool:
    if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
        return True
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX") or lemma not in REPORT_LEMMAS:
        return False
    return weak_ok or lemma not in _WEAK_CUES


#: Verbs of stance and evaluation whose object is what the subject said or
#: thinks about ("X criticized the plan", "X cited the report"). They never
#: take a quote window on their own; only their object or clause is content.
STANCE_LEMMAS = frozenset(
    """
    cite mention discuss reference outline detail tout promote stress emphasize emphasise question criticize
    criticise attack blast slam condemn denounce decry praise hail applaud laud defend dismiss reject endorse
    oppose dispute welcome mock ridicule accuse blame rip chastise scold fault lambaste assail berate castigate
    recommend advocate champion dispute challenge doubt acknowledge deny confirm announce reveal
    predict admit propose demand highlight label dub brand credit thank congratulate apologize apologise
    call describe liken echo show support back favor favour
    """.split()  # noqa: SIM905 - a word list reads better as prose
)


def is_stance(v: Token) -> bool:
    return v.pos_ == "VERB" and v.lemma_.lower() in STANCE_LEMMAS
