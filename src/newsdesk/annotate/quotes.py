"""Quotes: direct and indirect speech with its speaker, from a parsed article.

Takes a spaCy ``Doc`` of an article's clean text (tagger, parser and NER run)
and gives ``list[Quote]`` in text order, each with char offsets into
``doc_text(doc)``:

* **Direct quotes** are found from the quote marks (“ ” " ‘ ’), paired within a
  paragraph. A quote left open at a paragraph's end continues only when the
  next paragraph opens with a mark (the newspaper convention); any other
  unbalanced mark is ignored, so it never swallows the rest of the article.
  The attribution is looked for right after the closing mark (``"…," he said``,
  ``"…" X told reporters``), then right before the opening mark (``X said: "…"``).
  A quote with no attribution of its own inherits the speaker of a quote that
  ends shortly before it (``"…," he said. "…"``).
* **Indirect speech** comes from the dependency parse, in
  :mod:`newsdesk.annotate.quotes_indirect` and
  :mod:`newsdesk.annotate.quotes_topics`: reporting verbs with a clause
  (``X said that ...``, ``..., X said``, ``The plan, X said, will fail``),
  stance verbs with an object (``X criticized the plan``), ``according to X``
  and cue nouns. A quoted fragment inside such a clause (``The group "still
  remains a threat", he said``) is a *mixed* quote: one Quote covering the whole
  clause, marks included, ``direct=False``.
* Speakers are resolved by :mod:`newsdesk.annotate.speakers` (pronouns,
  surnames, titles, appositive roles). Unattributed quoted phrases shorter than
  ``MIN_BARE_WORDS`` words (scare quotes) and quoted titles of works are not quotes,
  nor is such a short phrase after a cue whose subject resolves to no speaker
  ("IS declared a cross-border 'caliphate'").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from newsdesk.annotate.nlp import doc_text
from newsdesk.annotate.quotes_bounds import CLOSERS, OPENERS, words
from newsdesk.annotate.quotes_cues import is_cue
from newsdesk.annotate.quotes_indirect import Cand, find_indirect, mention_span, subject_of
from newsdesk.annotate.quotes_topics import find_headline_sources, find_noun_cued, find_topics
from newsdesk.annotate.speakers import Resolved, SpeakerIndex, resolve_role_only
from newsdesk.lexicon import word_list
from newsdesk.model import Quote

MIN_BARE_WORDS = 5  # an unattributed quoted phrase shorter than this is a scare quote or a title
INHERIT_CHARS = 400  # how far back, within a paragraph, an unattributed quote looks for its speaker
TITLE_MAX_WORDS = 8  # a quoted phrase this short right after "of"/"the"/"NBC's" is a title
WORK_TITLE_MAX_WORDS = 16  # a quoted phrase this short after "book", "film", "titled" is a title
WINDOW_TOKENS = 30
_SENT_END = frozenset({".", "!", "?"})
_DASHES = frozenset({"―", "—", "–", "-", "--"})


@dataclass
class _Marked:
    """A span between quote marks: content offsets (marks excluded)."""

    start: int
    end: int


# ---- quote marks -------------------------------------------------------------


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph ranges: blank-line separated when the text uses blank lines, else lines."""
    sep = r"\n\s*\n" if len(re.findall(r"\n\s*\n", text)) >= 2 else r"\n"
    out, pos = [], 0
    for m in re.finditer(sep, text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(s, e) for s, e in out if text[s:e].strip()]


def _around(text: str, i: int) -> tuple[str, str, str]:
    """The character at ``i`` and its neighbours, a space standing in past either end."""
    return text[i], text[i - 1] if i > 0 else " ", text[i + 1] if i + 1 < len(text) else " "


def _is_opener(text: str, i: int) -> bool:
    ch, before, after = _around(text, i)
    if ch == "“":
        return True
    if ch == "‘":
        return not before.isalnum() and (after.isalnum() or after in '“"')
    if ch == '"':
        return (before.isspace() or before in "([{—–-:/“‘" or i == 0) and not after.isspace()
    return False


def _is_closer(text: str, i: int) -> bool:
    ch, before, after = _around(text, i)
    if ch == "”":
        return True
    if ch == "’":  # also an apostrophe: only a closer when no letter follows
        return not after.isalnum() and not before.isspace()
    if ch == '"':
        return not before.isspace() and not after.isalnum()
    return False


def _pairs_in(text: str, s: int, e: int, family: str) -> tuple[list[tuple[int, int]], int | None, int | None]:
    """Pair marks of one family in ``text[s:e]``.

    Returns the closed (open, close) pairs, the position of an opener left
    unclosed at the end, and the first closer seen before any opener (which may
    end a quote carried over from the previous paragraph).
    """
    opener, closer = {"double": ('“"', '”"'), "single": ("‘", "’")}[family]
    pairs: list[tuple[int, int]] = []
    open_at: int | None = None
    lead_close: int | None = None
    for i in range(s, e):
        ch = text[i]
        if ch not in opener and ch not in closer:
            continue
        if open_at is not None and ch in closer and _is_closer(text, i) and (ch != '"' or i > open_at + 1):
            pairs.append((open_at, i))
            open_at = None
        elif ch in opener and _is_opener(text, i):
            open_at = i  # an earlier unclosed opener is unbalanced: forget it
        elif open_at is None and ch in closer and _is_closer(text, i) and lead_close is None and not pairs:
            lead_close = i
    return pairs, open_at, lead_close


def normalize_marks(text: str) -> str:
    """The text with ASCII pairs (``...'') and stray openers rewritten as curly marks, same length.

    Old wire copy and some papers write quotes as ``...'' or ''...''; a closing
    mark at a paragraph start followed by a word is a typo for an opening one.
    """
    chars = list(text)
    for m in re.finditer(r"``|''", text):
        i = m.start()
        before = text[i - 1] if i > 0 else " "
        after = text[i + 2] if i + 2 < len(text) else " "
        opening = m.group() == "``" or ((before.isspace() or before in "([—–-") and (after.isalnum() or after in "“‘"))
        chars[i : i + 2] = [" ", "“"] if opening else ["”", " "]
    for m in re.finditer(r"(?:^|(?<=\s))”(?=\w)", text):
        chars[m.start()] = "“"
    return "".join(chars)


def find_marked(text: str) -> list[_Marked]:
    """Content spans between quote marks, continued across paragraphs where marked so."""
    text = normalize_marks(text)
    out: list[_Marked] = []
    paras = paragraphs(text)
    for family in ("double", "single"):
        carried: int | None = None  # content start of a quote continued from the last paragraph
        for s, e in paras:
            pairs, open_at, _ = _pairs_in(text, s, e, family)
            starts_with_mark = text[s:e].lstrip()[:1] in ('“"' if family == "double" else "‘")
            if carried is not None and pairs and starts_with_mark and pairs[0][0] == s + _lead_ws(text, s):
                _, first_close = pairs.pop(0)
                out.append(_Marked(carried, first_close))
                carried = None
            elif carried is not None and starts_with_mark and not pairs and open_at is not None:
                continue  # the quote runs on through this whole paragraph too
            else:
                carried = None
            out.extend(_Marked(o + 1, c) for o, c in pairs)
            if open_at is not None:
                carried = carried if carried is not None else open_at + 1
    out = [m for m in out if text[m.start : m.end].strip()]
    doubles = [m for m in out if text[m.start - 1] in '“"']
    # A single-quoted span inside a double-quoted one is a quote within a quote.
    out = [m for m in out if m in doubles or not any(d.start <= m.start and m.end <= d.end for d in doubles)]
    return sorted(out, key=lambda m: m.start)


def _lead_ws(text: str, s: int) -> int:
    n = 0
    while s + n < len(text) and text[s + n].isspace():
        n += 1
    return n


# ---- attribution windows -----------------------------------------------------


def _window(doc: Doc, start_tok: int, step: int) -> list[Token]:
    """Tokens from ``start_tok`` in direction ``step`` up to a sentence end, quote mark or line break."""
    out: list[Token] = []
    i = start_tok
    while 0 <= i < len(doc) and len(out) < WINDOW_TOKENS:
        t = doc[i]
        if "\n" in t.text or t.text in OPENERS + CLOSERS or t.text in ("``", "''"):
            break
        if step > 0 and t.text in _SENT_END:
            break
        if step < 0 and t.text in _SENT_END:
            break
        out.append(t)
        i += step
    return out


def _speaker_in(window: list[Token], cue: Token) -> Token | None:
    subj = subject_of(cue)
    if subj is not None and subj in window:
        return subj
    for t in window:  # a parse that missed the subject: the nearest name or pronoun
        if t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE") or t.lower_ in ("he", "she", "they"):
            return t
    return None


def _attribute(doc: Doc, m: _Marked) -> tuple[Token, Token | None] | None:
    """The cue and speaker head written around one quoted span, if any."""
    text = doc_text(doc)
    close_tok = _token_at(doc, m.end)
    if close_tok is not None:
        after = _window(doc, close_tok.i + 1, 1)
        if after and after[0].text in _DASHES and len(after) > 1 and after[1].pos_ == "PROPN":
            return after[0], after[1]  # a sign-off: "…" ― Jane Roe
        for k, t in enumerate(after):
            if is_cue(t, weak_ok=False):
                subj = subject_of(t)
                if k < 6 or (subj is not None and subj in after):  # far cues only with their subject
                    return t, _speaker_in(after, t)
                break
    open_tok = _token_at(doc, m.start - 1)
    if open_tok is not None and open_tok.i > 0:
        before = _window(doc, open_tok.i - 1, -1)
        lead = text[: m.start - 1].rstrip()[-1:]
        if before and (lead in (":", ",") or is_cue(before[0], weak_ok=False)):
            for t in before:
                if is_cue(t, weak_ok=False):
                    return t, _speaker_in(list(reversed(before)), t)
    return None


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


# ---- putting it together -----------------------------------------------------


def _merge(doc: Doc, marked: list[_Marked], indirect: list[Cand]) -> list[Cand]:
    """Direct quotes, mixed quotes and indirect speech, without overlaps."""
    text = doc_text(doc)
    direct: list[Cand] = []
    for m in marked:
        found = _attribute(doc, m)
        cue, subj = found if found else (None, None)
        direct.append(Cand(m.start, m.end, True, cue, mention_span(subj) if subj is not None else None))
    kept_indirect: list[Cand] = []
    for c in indirect:
        inner = [d for d in direct if c.start <= d.start - 1 and d.end <= c.end + 1]
        outside = words(text[c.start : c.end]) - sum(words(text[d.start : d.end]) for d in inner)
        overlapping = [d for d in direct if d.start < c.end and c.start < d.end]
        if inner and outside >= 2:  # a quoted fragment inside reported speech: one mixed quote
            direct = [d for d in direct if d not in inner]
            kept_indirect.append(c)
        elif overlapping:  # the parse read a direct quote as the verb's clause: the quote wins
            for d in overlapping:
                if d.cue is None:
                    d.cue, d.mention = c.cue, c.mention
        else:
            kept_indirect.append(c)
    kept_indirect = _drop_nested(kept_indirect)
    direct = [d for d in direct if not any(c.start <= d.start and d.end <= c.end for c in kept_indirect)]
    _inherit(text, direct, kept_indirect)
    direct = [d for d in direct if d.cue is not None or words(text[d.start : d.end]) >= MIN_BARE_WORDS]
    direct = [d for d in direct if not _is_title(doc, d)]
    return sorted(direct + kept_indirect, key=lambda c: c.start)


#: Words that name a work or announce its title: a quoted phrase after them is a title.
_WORK_NOUNS = frozenset(word_list("newsdesk.annotate", "work_nouns.txt"))


def _is_title(doc: Doc, d: Cand) -> bool:
    """A short quoted name right after "of", "the" or "NBC's": a show, book or slogan, not speech."""
    n_words = words(doc_text(doc)[d.start : d.end])
    mark = _token_at(doc, d.start - 1)
    if mark is None or mark.i == 0:
        return False
    before = [t for t in doc[max(0, mark.i - 3) : mark.i] if not t.is_punct]
    introduced = doc[mark.i - 1].text == ":"  # "used it as its headline: “...”" quotes the text itself
    if n_words < WORK_TITLE_MAX_WORDS and not introduced and any(t.lemma_.lower() in _WORK_NOUNS for t in before):
        return True  # "her memoir, “Plenty of Time”", "a film titled “Home”"
    if n_words >= TITLE_MAX_WORDS:
        return False
    close = _token_at(doc, d.end)
    after = doc[close.i + 1] if close is not None and close.i + 1 < len(doc) else None
    if d.cue is None and d.mention is None and after is not None and after.pos_ == "NOUN" and after.text.islower():
        return True  # used as a name before a noun: the "Keep It Real" radio show
    prev = doc[mark.i - 1]
    if prev.tag_ == "PRP$":  # "his “Keep It Real”": a possessive before a capitalised name names a work
        return all(w[:1].isupper() for w in re.findall(r"[A-Za-z][\w']*", doc_text(doc)[d.start : d.end]))
    return prev.pos_ in ("ADP", "DET", "PART") and prev.text not in (":", ",")


def _drop_nested(cands: list[Cand]) -> list[Cand]:
    """Of overlapping indirect contents keep the outer one ("X said Y told Z that ...")."""
    cands = sorted(cands, key=lambda c: (c.start, -(c.end - c.start)))
    out: list[Cand] = []
    for c in cands:
        if out and c.start < out[-1].end:
            outer = out[-1]
            if outer.cue is not None and c.cue is not None and outer.start <= c.cue.idx < outer.end:
                continue  # c is speech reported inside outer's content
            if c.end - c.start > outer.end - outer.start:
                out[-1] = c
            continue
        out.append(c)
    return out


def _inherit(text: str, direct: list[Cand], indirect: list[Cand]) -> None:
    """An unattributed direct quote takes the speaker of the direct quote just before it.

    Only when nothing but whitespace and at most one paragraph break lies between
    them, or they share a paragraph and no more than ``INHERIT_CHARS`` apart: the
    newspaper pattern ``"…," he said. "…"`` and a quote running on in the next
    paragraph. Reported speech in between means someone else may be talking.
    """
    attributed = sorted(direct + indirect, key=lambda c: c.end)
    for d in direct:
        if d.mention is not None:
            continue
        prev = [c for c in attributed if c.end <= d.start and (c.mention is not None or c.direct)]
        mixed = bool(prev) and any(ch in text[prev[-1].start : prev[-1].end] for ch in '“"')
        if not prev or not (prev[-1].direct or mixed) or prev[-1].mention is None:
            continue
        gap = text[prev[-1].end : d.start]
        same_para = "\n" not in gap and len(gap) <= INHERIT_CHARS
        next_para = gap.count("\n") <= 2 and words(gap) <= 6  # only the closing of the last quote
        if same_para or next_para:
            d.cue, d.mention = None, prev[-1].mention


def find_quotes(doc: Doc) -> list[Quote]:
    """All quotes of one parsed article, direct and indirect, with resolved speakers."""
    if not doc_text(doc).strip():
        return []
    marked = find_marked(doc_text(doc))
    blocked = [(m.start, m.end) for m in marked]
    indirect = find_indirect(doc, blocked) + find_noun_cued(doc, blocked) + find_topics(doc, blocked)
    cands = _merge(doc, marked, indirect + find_headline_sources(doc, blocked))
    index = SpeakerIndex.build(doc, blocked=blocked)
    resolved: list[Resolved] = []
    for c in cands:
        who = c.resolve_as if c.resolve_as is not None else c.mention
        r = index.resolve(who) if who is not None else Resolved(None, None, False)
        if r.is_person and r.speaker and c.mention is not None:
            index.note_speaker(c.mention.start_char, r.speaker)
        resolved.append(r)
    resolved = resolve_role_only(index, resolved, [c.mention for c in cands])
    out = []
    for c, r in zip(cands, resolved):
        text = doc_text(doc)[c.start : c.end]
        if c.direct and r.speaker is None and words(text) < MIN_BARE_WORDS:
            # A cue whose subject is no speaker ("IS declared a 'caliphate'"): a scare quote.
            continue
        out.append(
            Quote(
                start=c.start,
                end=c.end,
                text=text,
                speaker=r.speaker,
                role=r.role,
                cue=_cue_text(c.cue),
                direct=c.direct,
                speaker_start=c.mention.start_char if c.mention is not None else None,
                speaker_end=c.mention.end_char if c.mention is not None else None,
            )
        )
    return out


def _cue_text(cue: Token | None) -> str | None:
    if cue is None:
        return None
    if cue.lower_ == "according":
        return "according to"
    return cue.text
