"""Who is speaking: names, roles and mention resolution for quote attribution.

Takes a parsed spaCy ``Doc`` and gives a :class:`SpeakerIndex` that turns a
speaker mention at an attribution ("he", "Grynkewich", "Major General Alexus
Grynkewich", "the White House", "a US commander") into a resolved name and a
role, using only what the article itself says:

* a person's full name is the longest PERSON entity whose last token matches,
  with leading titles ("Major General", "Gen.", "President", "Dr.") removed;
* a role comes from an appositive anywhere in the article ("Najm Jibouri, the
  governor of X, ...") or, failing that, from the title words before the name
  ("US President Donald Trump" -> "US President");
* he/she resolve to the nearest earlier person mention, preferring people who
  were grammatical subjects or speakers (objects are rarely the next speaker);
* a singular role noun phrase ("a US commander", "the general") resolves to a
  named person only when exactly one person speaker of the article carries that
  noun in their role or title; otherwise the speaker stays ``None`` and the
  phrase (without its article) becomes the role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from newsdesk.annotate.nlp import doc_ents, doc_text, span_ents
from newsdesk.lexicon import word_list

#: Words that precede a name as a title or rank; stripped from names, kept as a role of last resort.
TITLE_WORDS = frozenset(word_list("newsdesk.annotate", "titles.txt"))

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"they", "them"})
#: Pronouns that name no one the article can point to: the writer, the reader, "we" of a speech.
DEICTIC_PRONOUNS = frozenset({"i", "me", "we", "us", "you"})
#: Relative pronouns: the speaker is the noun their clause hangs on ("a candidate who promised").
RELATIVE_PRONOUNS = frozenset({"who", "whom", "that", "which"})
_ARTICLES = frozenset({"the", "a", "an"})
_ROLE_STOP = re.compile(r"\s*(?:,|;|\(|—|–| - |\bwho\b|\bwhich\b|\bwhere\b|\bwhose\b)")


@dataclass(frozen=True)
class Resolved:
    """A resolved speaker: the name (or group) and the role known for them."""

    speaker: str | None
    role: str | None
    is_person: bool


def _strip_articles(text: str) -> str:
    words = text.split()
    while words and words[0].lower() in _ARTICLES:
        words = words[1:]
    return " ".join(words)


def _clean_role(text: str) -> str | None:
    """Cut a role at the first clause boundary and drop its leading article."""
    text = text.strip()
    m = _ROLE_STOP.search(text)
    if m and m.start() > 0:
        text = text[: m.start()]
    text = _strip_articles(text.strip(" ,.;:"))
    return text if len(text) >= 3 else None


def name_tokens(tokens: list[Token]) -> list[Token]:
    """The proper-name part of a mention: the last run of name tokens, titles dropped.

    "Major General Alexus Grynkewich" -> "Alexus Grynkewich"; "US President
    Donald Trump" -> "Donald Trump" (everything up to the last title word goes).
    """
    toks = [t for t in tokens if t.text not in ("'s", "’s", "'", "’")]
    run: list[Token] = []
    for t in toks:  # proper nouns, and hyphens glued inside a name ("Aboul-Nasr")
        glued = bool(run) and not run[-1].whitespace_ and t.i == run[-1].i + 1
        if t.pos_ == "PROPN" or t.ent_type_ == "PERSON" or glued:
            run.append(t)
        else:
            run = []
    if not run:
        return []
    titles = [k for k, t in enumerate(run[:-1]) if t.text.lower() in TITLE_WORDS]
    return run[titles[-1] + 1 :] if titles else run


def _name_text(tokens: list[Token]) -> str:
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc_text(doc)[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]


def _title_before(tok: Token) -> str | None:
    """Title words written before a name ("US President", "Major General")."""
    words: list[Token] = []
    i = tok.i - 1
    doc = tok.doc
    while i >= 0 and doc[i].dep_ in ("compound", "nmod", "amod") and doc[i].head.i > i:
        if doc[i].ent_type_ == "PERSON" and doc[i].text.lower() not in TITLE_WORDS:
            break
        words.insert(0, doc[i])
        i -= 1
    if not words or not any(w.text.lower() in TITLE_WORDS for w in words):
        return None
    return " ".join(w.text for w in words)


def appositive_role(head: Token) -> str | None:
    """The role an appositive gives a name's head token, if the parse shows one."""
    for child in head.children:
        if child.dep_ == "appos" and child.i > head.i:
            span = head.doc[child.left_edge.i : child.right_edge.i + 1]
            role = _clean_role(span.text)
            if role and not any(t.ent_type_ == "PERSON" for t in span[:2]):
                return role
    return None


@dataclass
class SpeakerIndex:
    """Names and roles of the people in one article, for resolving mentions."""

    doc: Doc
    full_names: dict[str, str] = field(default_factory=dict)  # last token (lower) -> full name
    roles: dict[str, str] = field(default_factory=dict)  # full name -> role
    titles: dict[str, str] = field(default_factory=dict)  # full name -> title words
    person_mentions: list[tuple[int, str, bool]] = field(default_factory=list)  # (char, name, is_subject)
    blocked: list[tuple[int, int]] = field(default_factory=list)  # quoted spans: not antecedents

    @classmethod
    def build(cls, doc: Doc, blocked: list[tuple[int, int]] | None = None) -> SpeakerIndex:
        index = cls(doc=doc, blocked=blocked or [])
        persons = [e for e in doc_ents(doc) if e.label_ == "PERSON"]
        # Full names first, so a surname seen before its full name still resolves.
        for ent in persons:
            name = _name_text(name_tokens(_with_left_names(ent)))
            if len(name.split()) >= 2:
                index.full_names.setdefault(name.split()[-1].lower(), name)
        for ent in persons:
            name = index.canonical(_with_left_names(ent))
            if not name:
                continue
            root = ent.root
            role = appositive_role(root)
            if role and name not in index.roles:
                index.roles[name] = role
            title = _title_before(ent[0]) or _title_in_entity(ent)
            if title and name not in index.titles:
                index.titles[name] = title
            if not index._is_blocked(ent.start_char):
                index.person_mentions.append((ent.start_char, name, root.dep_ in ("nsubj", "nsubjpass")))
        return index

    def _is_blocked(self, char: int) -> bool:
        return any(s <= char < e for s, e in self.blocked)

    def canonical(self, span: Span | list[Token]) -> str | None:
        """A name mention as the article's full name: a lone surname maps to the full one."""
        name = _name_text(name_tokens(list(span)))
        if not name:
            return None
        words = name.split()
        if len(words) == 1:
            return self.full_names.get(words[0].lower(), name)
        return name

    def role_of(self, name: str | None) -> str | None:
        if not name:
            return None
        return self.roles.get(name) or self.titles.get(name)

    def person_before(self, char: int) -> str | None:
        """The nearest earlier person: a subject or speaker if any, else any mention."""
        earlier = [m for m in self.person_mentions if m[0] < char]
        subjects = [m for m in earlier if m[2]]
        pick = subjects[-1] if subjects else (earlier[-1] if earlier else None)
        return pick[1] if pick else None

    def note_speaker(self, char: int, name: str) -> None:
        """A resolved person speaker counts as a subject mention for later pronouns."""
        self.person_mentions.append((char, name, True))
        self.person_mentions.sort(key=lambda m: m[0])

    def resolve(self, mention: Span) -> Resolved:
        """Resolve one speaker mention to a name and role (see module docstring)."""
        words = [t for t in mention if not t.is_punct]
        if not words:
            return Resolved(None, None, False)
        first = words[0].text.lower()
        if len(words) == 1 and first in PERSON_PRONOUNS:
            name = self.person_before(mention.start_char)
            return Resolved(name, self.role_of(name), name is not None)
        if len(words) == 1 and first in GROUP_PRONOUNS | DEICTIC_PRONOUNS:
            return Resolved(None, None, False)
        if len(words) == 1 and first in RELATIVE_PRONOUNS:
            clause = words[0].head
            if clause.dep_ == "relcl" and clause.head.i < words[0].i:
                noun = clause.head
                r = self.resolve(mention.doc[noun.left_edge.i : noun.i + 1])
                # A name, a role or an organisation; not "one who" or "those who".
                if r.is_person or r.role or (r.speaker or "")[:1].isupper():
                    return r
            return Resolved(None, None, False)
        persons = [e for e in span_ents(mention) if e.label_ == "PERSON"]
        if persons:
            name = self.canonical(mention.doc[mention.start : persons[0].end])
            return Resolved(name, self.role_of(name), True)
        named = name_tokens(words)
        if _looks_like_person_name(named):
            # NER missed the person ("Mayor Ana Ruiz said"): a run of two or more proper
            # nouns that NER did not call anything else is a name; later surnames resolve to it.
            name = _name_text(named)
            self.full_names.setdefault(named[-1].text.lower(), name)
            title = " ".join(t.text for t in words if t.i < named[0].i and t.text.lower() in TITLE_WORDS)
            if title:
                self.titles.setdefault(name, title)
            return Resolved(name, self.role_of(name), True)
        propn = [t for t in words if t.pos_ == "PROPN"]
        if len(propn) == 1 and propn[0].text.lower() in self.full_names and propn[0] == mention.root:
            name = self.full_names[propn[0].text.lower()]
            return Resolved(name, self.role_of(name), True)
        head = mention.root
        if head.pos_ == "NOUN" and head.tag_ == "NN" and head.lemma_.lower() in ROLE_NOUNS:
            return Resolved(None, _strip_articles(mention.text), True)
        return Resolved(_strip_articles(mention.text), None, False)


def _looks_like_person_name(tokens: list[Token]) -> bool:
    return (
        len(tokens) >= 2
        and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in tokens)
        and not any(t.ent_type_ in ("ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT") for t in tokens)
    )


def _with_left_names(ent: Span) -> list[Token]:
    """An entity plus proper nouns glued before it that NER left out ("Benedicte")."""
    doc = ent.doc
    i = ent.start
    while i > 0 and doc[i - 1].pos_ == "PROPN" and doc[i - 1].dep_ == "compound" and not doc[i - 1].ent_type_:
        i -= 1
    return list(doc[i : ent.end])


def _title_in_entity(ent: Span) -> str | None:
    words = []
    for t in ent:
        if t.text.lower() in TITLE_WORDS:
            words.append(t.text)
        else:
            break
    return " ".join(words) if words and len(words) < len(ent) else None


#: Singular nouns naming a person by their job: "a US commander said".
ROLE_NOUNS = frozenset(word_list("newsdesk.annotate", "role_nouns.txt"))


def resolve_role_only(
    index: SpeakerIndex, resolved: list[Resolved], mentions: list[Span | None]
) -> list[Resolved]:
    """Give a role-only speaker ("a US commander") the one named person whose role fits.

    Rule: the mention's head noun must occur in the role or title of exactly one
    distinct named person speaker of the article; otherwise it stays unnamed.
    """
    named = {r.speaker for r in resolved if r.is_person and r.speaker}
    described = {n: f"{index.roles.get(n, '')} {index.titles.get(n, '')}".lower() for n in named}
    out: list[Resolved] = []
    for r, m in zip(resolved, mentions):
        if r.speaker is None and r.role and m is not None:
            head = m.root.lemma_.lower()
            fits = [n for n, d in described.items() if re.search(rf"\b{re.escape(head)}", d)]
            if len(fits) == 1:
                out.append(Resolved(fits[0], index.role_of(fits[0]), True))
                continue
        out.append(r)
    return out
