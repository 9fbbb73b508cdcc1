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
* **Indirect speech** comes from the dependency parse: a reporting verb (say,
  tell, warn, write, ...) with a subject and a clausal complement, the content
  standing before or after the verb, and ``according to X``. A quoted fragment
  inside such a clause (``The group "still remains a threat", he said``) is a
  *mixed* quote: one Quote covering the whole clause, marks included,
  ``direct=False``.
* Speakers are resolved by :mod:`newsdesk.annotate.speakers` (pronouns,
  surnames, titles, appositive roles). Unattributed quoted phrases shorter than
  ``MIN_BARE_WORDS`` words (scare quotes, titles) are not quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from newsdesk.annotate.nlp import doc_text
from newsdesk.annotate.speakers import Resolved, SpeakerIndex, resolve_role_only
from newsdesk.model import Quote

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
    {"find", "show", "feel", "hope", "expect", "describe", "post", "call", "decline", "refuse", "offer", "want", "plan", "intend"}
)

OPENERS = "“‘\""
CLOSERS = "”’\""
MIN_BARE_WORDS = 5  # an unattributed quoted phrase shorter than this is a scare quote or a title
INHERIT_CHARS = 400  # how far back, within a paragraph, an unattributed quote looks for its speaker
TITLE_MAX_WORDS = 8  # a quoted phrase this short right after "of"/"the"/"NBC's" is a title
WINDOW_TOKENS = 30
_SENT_END = frozenset({".", "!", "?"})
_CONTENT_TAIL = frozenset({"conj", "cc", "appos", "dep", "attr", "dobj", "oprd", "ccomp"})
_DASHES = frozenset({"―", "—", "–", "-", "--"})
_WORD = re.compile(r"\w+")


@dataclass
class _Marked:
    """A span between quote marks: content offsets (marks excluded)."""

    start: int
    end: int


@dataclass
class _Cand:
    """A quote candidate before speaker resolution."""

    start: int
    end: int
    direct: bool
    cue: Token | None = None
    mention: Span | None = None


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


def _is_opener(text: str, i: int) -> bool:
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if ch == "“":
        return True
    if ch == "‘":
        return not before.isalnum() and (after.isalnum() or after in "“\"")
    if ch == '"':
        return (before.isspace() or before in "([{—–-:/“‘" or i == 0) and not after.isspace()
    return False


def _is_closer(text: str, i: int) -> bool:
    ch = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
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
    opener, closer = {"double": ("“\"", "”\""), "single": ("‘", "’")}[family]
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
            starts_with_mark = text[s:e].lstrip()[:1] in ("“\"" if family == "double" else "‘")
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
    doubles = [m for m in out if text[m.start - 1] in "“\""]
    # A single-quoted span inside a double-quoted one is a quote within a quote.
    out = [m for m in out if m in doubles or not any(d.start <= m.start and m.end <= d.end for d in doubles)]
    return sorted(out, key=lambda m: m.start)


def _lead_ws(text: str, s: int) -> int:
    n = 0
    while s + n < len(text) and text[s + n].isspace():
        n += 1
    return n


# ---- attribution windows -----------------------------------------------------


def _is_cue(tok: Token, weak_ok: bool) -> bool:
    if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
        return True
    lemma = tok.lemma_.lower()
    if tok.pos_ not in ("VERB", "AUX") or lemma not in REPORT_LEMMAS:
        return False
    return weak_ok or lemma not in _WEAK_CUES


def subject_of(verb: Token) -> Token | None:
    """The speaker head of a reporting verb: its subject, or its head verb's for "adding"."""
    if verb.lower_ == "according":
        for to in verb.children:
            if to.lower_ == "to":
                objs = [c for c in to.children if c.dep_ == "pobj"]
                return objs[0] if objs else None
        return None
    for c in verb.children:
        if c.dep_ == "nsubj" and c.lower_ not in ("it", "there", "which", "that", "who"):
            return c
    if verb.dep_ in ("advcl", "conj", "xcomp") and verb.head.i < verb.i:
        return subject_of(verb.head)
    return None


def mention_span(head: Token) -> Span:
    """The speaker mention: the head noun with the modifiers written before it."""
    left = head.i
    for c in head.lefts:
        if c.dep_ in ("compound", "det", "amod", "nmod", "poss", "nummod", "quantmod"):
            left = min(left, c.left_edge.i)
    doc = head.doc
    right = head.i
    for c in head.rights:  # "coalition and Iraqi officials": both are the speaker
        if c.dep_ == "conj":
            right = max(right, c.i)
    if right > head.i:
        return doc[left : right + 1]
    for ent in doc.ents:  # never cut a name in two
        if ent.start <= head.i < ent.end:
            left = min(left, ent.start)
            return doc[left : max(head.i + 1, ent.end)]
    return doc[left : head.i + 1]


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
            if _is_cue(t, weak_ok=False):
                subj = subject_of(t)
                if k < 6 or (subj is not None and subj in after):  # far cues only with their subject
                    return t, _speaker_in(after, t)
                break
    open_tok = _token_at(doc, m.start - 1)
    if open_tok is not None and open_tok.i > 0:
        before = _window(doc, open_tok.i - 1, -1)
        lead = text[: m.start - 1].rstrip()[-1:]
        if before and (lead in (":", ",") or _is_cue(before[0], weak_ok=False)):
            for t in before:
                if _is_cue(t, weak_ok=False):
                    return t, _speaker_in(list(reversed(before)), t)
    return None


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


# ---- indirect speech ---------------------------------------------------------


def _trim(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    """Token range [a, b) -> char range, without edge punctuation or a leading "that"."""
    while a < b and (doc[a].is_punct and doc[a].text not in OPENERS or doc[a].is_space):
        a += 1
    while a < b and doc[a].lower_ in ("that",) and doc[a].dep_ == "mark":
        a += 1
    while a < b and (doc[b - 1].is_punct and doc[b - 1].text not in CLOSERS or doc[b - 1].is_space):
        b -= 1
    if b - a < 3:
        return None
    start, end = doc[a].idx, doc[b - 1].idx + len(doc[b - 1].text)
    return _balance(doc_text(doc), start, end)


def _balance(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in a closing mark that the parse left just outside the content, or drop a stray one."""
    inner = text[start:end]
    opens = sum(1 for ch in inner if ch in "“") + inner.count('"') % 2
    closes = sum(1 for ch in inner if ch in "”")
    if opens > closes:
        m = re.match(r"[\s,.;]{0,2}([”\"])", text[end : end + 4])
        if m:
            end = end + m.end()
        elif inner[:1] in OPENERS:
            start += 1
    if closes > opens and inner[-1:] in CLOSERS:
        end -= 1
    return start, end


def _indirect(doc: Doc, marked: list[_Marked]) -> list[_Cand]:
    """Reporting verbs with a subject and a clause: the content may stand before or after."""
    out: list[_Cand] = []
    for v in doc:
        if not _is_cue(v, weak_ok=True) or _inside(v.idx, marked):
            continue
        subj = subject_of(v)
        if subj is None:
            continue
        rng = _content_range(v, subj)
        if rng is None:
            continue
        rng = _clip_to_line(doc_text(doc), rng, v.idx)
        if rng is None:
            continue
        out.append(_Cand(rng[0], rng[1], False, v, mention_span(subj)))
    return out


#: Nouns that name what someone said or thought: "Trump's claim that ...".
_CUE_NOUNS = frozenset(
    """claim statement assertion argument suggestion belief allegation accusation warning insistence
    view assessment announcement charge promise pledge vow prediction contention admission""".split()  # noqa: SIM905
)


def _noun_cued(doc: Doc, marked: list[_Marked]) -> list[_Cand]:
    """Content clauses of cue nouns: "his claim that the vote was rigged"."""
    out: list[_Cand] = []
    for n in doc:
        if n.pos_ != "NOUN" or n.lemma_.lower() not in _CUE_NOUNS or _inside(n.idx, marked):
            continue
        clause = next((c for c in n.children if c.dep_ in ("acl", "ccomp") and any(t.lower_ == "that" and t.dep_ == "mark" for t in c.children)), None)
        if clause is None:
            continue
        rng = _trim(doc, clause.left_edge.i, clause.right_edge.i + 1)
        rng = _clip_to_line(doc_text(doc), rng, n.idx) if rng else None
        if rng is None:
            continue
        owner = next((c for c in n.children if c.dep_ == "poss"), None)
        out.append(_Cand(rng[0], rng[1], False, n, mention_span(owner) if owner is not None else None))
    return out


def _content_range(v: Token, subj: Token) -> tuple[int, int] | None:
    doc = v.doc
    if v.lower_ == "according":
        head = v.head
        lo, hi = head.left_edge.i, head.right_edge.i + 1
        if v.i > head.i:
            return _trim(doc, lo, v.left_edge.i)
        return _trim(doc, v.right_edge.i + 1, hi)
    comps = [c for c in v.children if c.dep_ == "ccomp"]
    if comps:
        c = comps[0]
        lo, hi = c.left_edge.i, c.right_edge.i + 1
        if lo <= subj.i < hi:  # the parse put the speaker inside the content: keep the far side
            lo = subj.right_edge.i + 1 if subj.i < v.i else lo
        if c.i > v.i:
            hi = _content_end(v, c, hi)
        return _trim(doc, lo, hi)
    if v.i > subj.i and (content := _object_content(v)) is not None:
        return _trim(doc, content.left_edge.i, content.right_edge.i + 1)
    # "The threat has lessened, X said." parsed with the content as the head.
    rest = doc[v.right_edge.i + 1 : v.head.right_edge.i + 1]
    if (
        v.dep_ in ("parataxis", "ccomp")
        and v.head.i < v.i
        and v.left_edge.i > v.head.left_edge.i
        and not _is_cue(v.head, weak_ok=True)
        and all(t.is_punct or t.is_space for t in rest)
    ):
        return _trim(doc, v.head.left_edge.i, v.left_edge.i)
    return None


#: Cues whose content can be an infinitive ("vowed to fight on") or, for the
#: second set, a noun phrase ("announced plans for a wall", "denied the report").
_INFINITIVE_CUES = frozenset({"pledge", "vow", "promise", "threaten", "urge", "ask", "call", "agree", "decline", "refuse", "offer", "want", "plan", "intend"})
_OBJECT_CUES = frozenset({"announce", "deny", "confirm", "reveal", "predict", "acknowledge", "admit", "propose", "demand", "call"})
MIN_OBJECT_TOKENS = 3


def _object_content(v: Token) -> Token | None:
    """The head of non-clausal content: an infinitive, "call for X", or a weighty object."""
    lemma = v.lemma_.lower()
    for c in v.children:
        if c.dep_ == "xcomp" and lemma in _INFINITIVE_CUES:
            return c
    for c in v.children:
        if lemma == "call" and c.dep_ == "prep" and c.lower_ == "for":
            return c
        if c.dep_ == "dobj" and lemma in _OBJECT_CUES and c.right_edge.i - c.left_edge.i + 1 >= MIN_OBJECT_TOKENS:
            return c
    return None


def _content_end(v: Token, comp: Token, hi: int) -> int:
    """Take in what the parse hung on the verb after its clause ("..., but would add $8bn").

    Stops at a second reporting verb ("adding that ...") and at a quote mark,
    which starts a new quote.
    """
    for c in v.rights:
        if c.i <= comp.i or c.is_punct:
            continue
        # Adjuncts of the saying ("in a statement", "adding that ...", "citing ...") end the content.
        if _is_cue(c, weak_ok=True) or c.dep_ not in _CONTENT_TAIL:
            break
        if any(t.text in OPENERS for t in c.doc[hi : c.left_edge.i]):
            break
        hi = max(hi, c.right_edge.i + 1)
    return hi


def _clip_to_line(text: str, rng: tuple[int, int], at: int) -> tuple[int, int] | None:
    """Keep content on the cue's line: a parse may run a headline into the first sentence."""
    lo = text.rfind("\n", 0, at) + 1
    hi = text.find("\n", at)
    hi = len(text) if hi < 0 else hi
    start, end = max(rng[0], lo), min(rng[1], hi)
    while start < end and text[start] in " \t\u00a0,;:":
        start += 1
    if _words(text[start:end]) < 3:
        return None
    return start, end


def _inside(char: int, marked: list[_Marked]) -> bool:
    return any(m.start <= char < m.end for m in marked)


# ---- putting it together -----------------------------------------------------


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def _merge(doc: Doc, marked: list[_Marked], indirect: list[_Cand]) -> list[_Cand]:
    """Direct quotes, mixed quotes and indirect speech, without overlaps."""
    text = doc_text(doc)
    direct: list[_Cand] = []
    for m in marked:
        found = _attribute(doc, m)
        cue, subj = found if found else (None, None)
        direct.append(_Cand(m.start, m.end, True, cue, mention_span(subj) if subj is not None else None))
    kept_indirect: list[_Cand] = []
    for c in indirect:
        inner = [d for d in direct if c.start <= d.start - 1 and d.end <= c.end + 1]
        outside = _words(text[c.start : c.end]) - sum(_words(text[d.start : d.end]) for d in inner)
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
    direct = [d for d in direct if d.cue is not None or _words(text[d.start : d.end]) >= MIN_BARE_WORDS]
    direct = [d for d in direct if not _is_title(doc, d)]
    return sorted(direct + kept_indirect, key=lambda c: c.start)


def _is_title(doc: Doc, d: _Cand) -> bool:
    """A short quoted name right after "of", "the" or "NBC's": a show, book or slogan, not speech."""
    if _words(doc_text(doc)[d.start : d.end]) >= TITLE_MAX_WORDS:
        return False
    mark = _token_at(doc, d.start - 1)
    if mark is None or mark.i == 0:
        return False
    prev = doc[mark.i - 1]
    return prev.pos_ in ("ADP", "DET", "PART") and prev.text not in (":", ",")


def _drop_nested(cands: list[_Cand]) -> list[_Cand]:
    """Of overlapping indirect contents keep the outer one ("X said Y told Z that ...")."""
    cands = sorted(cands, key=lambda c: (c.start, -(c.end - c.start)))
    out: list[_Cand] = []
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


def _inherit(text: str, direct: list[_Cand], indirect: list[_Cand]) -> None:
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
        mixed = bool(prev) and any(ch in text[prev[-1].start : prev[-1].end] for ch in "“\"")
        if not prev or not (prev[-1].direct or mixed) or prev[-1].mention is None:
            continue
        gap = text[prev[-1].end : d.start]
        same_para = "\n" not in gap and len(gap) <= INHERIT_CHARS
        next_para = gap.count("\n") <= 2 and _words(gap) <= 6  # only the closing of the last quote
        if same_para or next_para:
            d.cue, d.mention = None, prev[-1].mention


def find_quotes(doc: Doc) -> list[Quote]:
    """All quotes of one parsed article, direct and indirect, with resolved speakers."""
    if not doc_text(doc).strip():
        return []
    marked = find_marked(doc_text(doc))
    cands = _merge(doc, marked, _indirect(doc, marked) + _noun_cued(doc, marked))
    index = SpeakerIndex.build(doc, blocked=[(m.start, m.end) for m in marked])
    resolved: list[Resolved] = []
    for c in cands:
        r = index.resolve(c.mention) if c.mention is not None else Resolved(None, None, False)
        if r.is_person and r.speaker and c.mention is not None:
            index.note_speaker(c.mention.start_char, r.speaker)
        resolved.append(r)
    resolved = resolve_role_only(index, resolved, [c.mention for c in cands])
    out = []
    for c, r in zip(cands, resolved):
        out.append(
            Quote(
                start=c.start,
                end=c.end,
                text=doc_text(doc)[c.start : c.end],
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
