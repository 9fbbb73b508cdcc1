"""Plain-text post-cleaning: page chrome out, body paragraphs in.

Takes the text of a page (a saved ``.txt`` or trafilatura's output for HTML)
and gives a :class:`CleanText`: the body as paragraphs separated by blank
lines, plus what the chrome told us (title, publisher, dateline date, byline),
the chrome lines removed, and repost signals ("truncated", "flattened",
"syndication-footer").

The rules are generic shapes of page furniture (share buttons, slide counters,
read-time badges, copyright and syndication footers, photo captions, category
lists), not strings of particular sites. Caption dates and copyright years are
never publication dates. A place dateline opening the first paragraph
("MOSUL –", "LINDAU (AP) —") stays: it is part of the story as filed and names
where it was filed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsdesk.clean.dates import date_line
from newsdesk.lexicon import alternation, word_list
from newsdesk.model import PubDate

__all__ = ["CleanText", "clean_text", "is_headline", "normalise_publisher"]

#: Lines that are page furniture whatever the site (matched against the whole
#: line, case-insensitive, after trimming bullets and punctuation at the ends).
_CHROME = re.compile(alternation(word_list("newsdesk.clean", "chrome_lines.txt")), re.IGNORECASE)
#: Chrome that sits after the article body; what follows it is footer too.
_FOOTER_MARKER = re.compile(alternation(word_list("newsdesk.clean", "footer_markers.txt")), re.IGNORECASE)
_SYNDICATION = re.compile(r"(?:^|\s)The post (?P<title>.+?) appeared first on (?P<site>.+?)\.?\s*$")
_SOURCE_LINKS = re.compile(r"(?P<name>[A-Z][\w&'.-]*(?:\s+[A-Z][\w&'.-]*){0,5})\s+[a-z]+(?:\s*\|\s*[a-z]+)+")
_CATEGORY = re.compile(r"(?:In|Posted in|Filed under)\s+(?:[A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*){0,3},\s+)+[A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*){0,3}")
_SELF_DESCRIPTION = re.compile(
    r"(?P<name>[A-Z][\w'&.-]*(?:\s+[A-Z][\w'&.-]*){0,5})\s+(?:is\s+(?:a|an|the)\b.{0,120}?"
    r"\b(?:newsroom|newspaper|magazine|site|website|publication|outlet|newsletter|blog|news\s+service|agency"
    r"|digest|journal|weekly|daily|radio|network|podcast)\b|covers|collects|publishes|brings\s+you)\b"
)
_DATE_BY = re.compile(r"(?P<date>.{6,40}?)\s+by\s+(?P<by>[A-Z][^|]{1,60})")
_COPYRIGHT_START = re.compile(r"^(?:copyright\b|©|\(c\)\s)", re.IGNORECASE)
_RIGHTS = re.compile(r"\ball rights reserved\b.*$", re.IGNORECASE)
_LEGAL_SUFFIX = re.compile(
    r"[,\s]+(?:LLC|L\.L\.C|Inc|Incorporated|Ltd|Limited|Corp|Corporation|Co|Company|GmbH|AG|S\.A|SA|plc|PLC|LLP|LP"
    r"|Enterprises|Holdings)\.?$"
)
_WIRES = {
    "associated press": "AP", "the associated press": "AP", "ap": "AP",
    "agence france-presse": "AFP", "agence france presse": "AFP", "afp": "AFP",
    "reuters": "Reuters", "thomson reuters": "Reuters",
}  # fmt: skip
_CAPTION_START = re.compile(
    r"^(?:FILE\s*[-–—:]\s|In\s+(?:this|these|a|an)\b[^.]{0,150}?\b(?:photos?|pictures?|images?|handout)\b"
    r"|(?:Photo|Image|Picture)s?(?:\s+credit)?\s*:)",
)
_CAPTION_CREDIT = re.compile(
    r"[(\[][^()\[\]]{0,80}?\b(?:photo|photograph|getty|images?|credit|AFP|Reuters|AP|EPA|Anadolu|Shutterstock"
    r"|courtesy|handout)\b[^()\[\]]{0,80}[)\]]\s*$",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^By\s+[A-Z][\w.'-]+(?:\s+(?:[A-Z][\w.'-]+|and|&|de|van|von|al-\w+)){0,6}(?:\s*[,|].{0,60})?$")
_TRUNCATION = re.compile(r"\s*(?:\[\s*(?:…|\.\.\.)\s*\]|\(\s*(?:…|\.\.\.)\s*\)|\(more\))\s*$")
_GLUED_READ_TIME = re.compile(r"(\b\d{1,3}\s*(?:min|mins|minute|minutes)\.?\s*read)(?=\S)", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*(?=\s+[\"“‘(]?[A-Z0-9])")
_TERMINAL = tuple(".!?:;…\"”’')]")
#: Headings of a list of links to other stories.
_RELATED_HEADING = re.compile(
    r"(?:related|see\s+also|read\s+more|also\s+read|further\s+reading|more\s+on\s+this(?:\s+story)?"
    r"|(?:related|recommended|more)\s+(?:stories|articles|coverage|links|reading))",
    re.IGNORECASE,
)
_LONG_WORD = re.compile(r"\b[^\W\d_][\w'’-]{3,}")
TOP_LINES = 8  # where datelines, bylines and captions of the lead photo sit


@dataclass
class CleanText:
    """The body and what the page furniture said about it."""

    body: str
    title: str | None = None
    publisher: str | None = None
    published: PubDate | None = None
    byline: str | None = None
    removed: list[str] = field(default_factory=list)
    signals: set[str] = field(default_factory=set)
    #: publisher names the chrome gave, by where they came from (see _PUBLISHER_ORDER)
    publisher_hints: dict[str, str] = field(default_factory=dict)


# A syndication footer or the site's description of itself names the site that
# ran the text; a copyright line may name the wire that wrote it; a masthead
# ("Site | Section") is the weakest hint because its first part may be a byline.
_PUBLISHER_ORDER = ("syndication", "source-links", "self-description", "copyright", "masthead", "byline")


def clean_text(text: str, *, known_title: str | None = None, title_from_first_line: bool = True) -> CleanText:
    """Strip chrome from ``text`` and return the body paragraphs and what the chrome said.

    ``known_title`` (from HTML metadata) is removed where the page repeats it;
    otherwise, with ``title_from_first_line``, a headline-shaped first line
    becomes the title.
    """
    out = CleanText(body="", title=known_title)
    lines = _lines(text)
    _take_title(lines, out, title_from_first_line)
    kinds = [_classify(line, i, out) for i, line in enumerate(lines)]
    _mark_related_lists(lines, kinds, out)
    _mark_footer(lines, kinds)
    _mark_self_description(lines, kinds, out)
    for line, kind in zip(lines, kinds):
        if kind == "footer":
            out.removed.append(line)
    body = [line for line, kind in zip(lines, kinds) if kind in ("body", "blank")]
    paragraphs = _paragraphs(body)
    paragraphs = _strip_truncation(paragraphs, out)
    if _is_flattened(paragraphs):
        out.signals.add("flattened")
    out.body = "\n\n".join(paragraphs)
    out.publisher = next((out.publisher_hints[k] for k in _PUBLISHER_ORDER if k in out.publisher_hints), None)
    return out


def _lines(text: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u00a0\u2009\u202f\u2007\t]", " ", text)
    text = re.sub(r"[\u200b\u200c\u200d\u2060\ufeff]", "", text)
    # "3 MINS READMar 23, 2020" is two lines glued by a lost line break.
    text = _GLUED_READ_TIME.sub(r"\1\n", text)
    lines: list[str] = []
    for raw in text.split("\n"):
        line = re.sub(r" {2,}", " ", raw).strip()
        synd = _SYNDICATION.search(line)
        if synd and synd.start() > 0:
            # A feed item glues the "The post ... appeared first on" footer to the last paragraph.
            lines += [line[: synd.start()].strip(), synd.group(0).strip()]
        else:
            lines.append(line)
    return lines


def _key(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().lower()


def is_headline(line: str) -> bool:
    """True for a line shaped like a headline: short, no sentence-final period."""
    words = line.split()
    if not 2 <= len(words) <= 25 or len(line) > 200:
        return False
    if line.endswith((".", ",", ";", ":", "…")) or not (line[0].isupper() or line[0].isdigit() or line[0] in "\"“‘'"):
        return False
    return not _is_chrome(line) and date_line(line) is None


def _take_title(lines: list[str], out: CleanText, from_first_line: bool) -> None:
    first = next((i for i, line in enumerate(lines) if line), None)
    if first is None:
        return
    if out.title is None and from_first_line and is_headline(lines[first]):
        out.title = lines[first]
        lines[first] = ""
    if out.title is None:
        return
    title_key = _key(out.title)
    # Pages often print the headline twice (page title, then article header).
    for i, line in enumerate(lines[: first + TOP_LINES + 2]):
        if line and _key(line) == title_key:
            out.removed.append(line)
            lines[i] = ""


def _is_chrome(line: str) -> bool:
    core = line.strip(" \t-–—•·*>|:»«›‹\"“”")
    if not core:
        return len(line) > 0
    if len(core) > 200:
        return False
    if _CHROME.fullmatch(core) is not None:
        return True
    # "Share on Facebook | Share on X | Email": a row of buttons.
    parts = [p.strip() for p in core.split("|")]
    return len(parts) > 1 and all(p and _CHROME.fullmatch(p) for p in parts)


def _is_title_case(line: str) -> bool:
    """Written as a headline: every longer word capitalised (one may slip), a few words at least,
    and not a paragraph ("Rand Paul Scores Direct Hit On Donald Trump.")."""
    if len(line) > 200 or len(line.split()) > 25:
        return False
    longer = _LONG_WORD.findall(line)
    return len(longer) >= 3 and sum(not w[0].isupper() for w in longer) <= 1


def _mark_related_lists(lines: list[str], kinds: list[str], out: CleanText) -> None:
    """A teaser heading ("Related:", "See also") and the headlines listed under it are chrome,
    wherever they sit: the list ends at the first line that is not written as a headline."""
    for i, kind in enumerate(kinds):
        if kind not in ("chrome", "marker") or not _RELATED_HEADING.fullmatch(lines[i].strip(" \t-–—•·*>|:\"“”")):
            continue
        for j in range(i + 1, len(lines)):
            if kinds[j] == "blank":
                continue
            if kinds[j] != "body" or not _is_title_case(lines[j]):
                break
            kinds[j] = "chrome"
            out.removed.append(lines[j])


def _is_masthead(line: str) -> bool:
    """"Site Name | Section" near the top: short title-case parts joined by pipes, no sentence."""
    parts = [p.strip() for p in line.split("|")]
    if len(parts) < 2 or len(line) > 120 or line.endswith((".", "?", "!")):
        return False
    return all(p and len(p.split()) <= 5 and (p[0].isupper() or p[0].isdigit()) for p in parts)


def _classify(line: str, index: int, out: CleanText) -> str:
    """One of "blank", "body", "chrome", "marker" (chrome that starts a footer), "caption", "dateline"."""
    if not line:
        return "blank"
    synd = _SYNDICATION.search(line)
    if synd:
        out.signals.add("syndication-footer")
        out.removed.append(synd.group(0).strip())
        out.publisher_hints.setdefault("syndication", synd.group("site").strip())
        out.title = out.title or synd.group("title").strip()
        return "marker"
    if _COPYRIGHT_START.match(line) or (len(line) < 200 and _RIGHTS.search(line)):
        out.removed.append(line)
        name = _copyright_holder(line)
        if name:
            out.publisher_hints.setdefault("copyright", name)
        return "marker"
    source = _SOURCE_LINKS.fullmatch(line)
    if source and len(line) < 120:
        out.removed.append(line)
        out.publisher_hints.setdefault("source-links", source.group("name"))
        return "marker"
    if _is_chrome(line) or (len(line) < 250 and _CATEGORY.fullmatch(line.rstrip("."))):
        out.removed.append(line)
        return "marker" if _FOOTER_MARKER.search(line) else "chrome"
    if _is_caption(line):
        out.removed.append(line)
        return "caption"
    stamp = date_line(line)
    if stamp is not None:
        out.removed.append(line)
        if out.published is None and index < TOP_LINES + 4:
            out.published = stamp
        return "dateline"
    dated = _DATE_BY.fullmatch(line)
    if dated and date_line(dated.group("date")) is not None:
        out.removed.append(line)
        out.byline = out.byline or dated.group("by").strip()
        if out.published is None and index < TOP_LINES + 4:
            out.published = date_line(dated.group("date"))
        return "dateline"
    if index < TOP_LINES + 4 and _is_masthead(line):
        out.removed.append(line)
        out.publisher_hints.setdefault("masthead", line.split("|")[0].strip())
        return "chrome"
    if index < TOP_LINES + 4 and _BYLINE.match(line) and len(line) < 100:
        out.removed.append(line)
        out.byline = out.byline or line[3:].strip()
        # "By Ann Lee, Harbour Herald": a title-case affiliation is the outlet; "staff writer" is not.
        outlet = line.split(",", 1)[1].strip() if "," in line else ""
        if len(outlet.split()) >= 2 and all(w[0].isupper() for w in outlet.split()):
            out.publisher_hints.setdefault("byline", outlet)
        return "chrome"
    return "body"


def _is_caption(line: str) -> bool:
    if len(line) > 800:
        return False
    return bool(_CAPTION_START.match(line) or _CAPTION_CREDIT.search(line))


def _copyright_holder(line: str) -> str | None:
    name = _RIGHTS.sub("", line)
    name = re.sub(r"^(?:copyright\b|©|\(c\))\s*", "", name.strip(), flags=re.IGNORECASE)
    name = re.sub(r"^(?:©|\(c\))?\s*(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)?\d{2,4})?)?\s*[,.]?\s*", "", name)
    name = re.sub(r"\s*(?:©|\(c\))?\s*(?:19|20)\d{2}\s*$", "", name)
    return normalise_publisher(name)


def normalise_publisher(name: str) -> str | None:
    """A publisher name without legal suffixes; the big wire agencies by their short names."""
    name = name.strip(" .,;:-|")
    for _ in range(3):
        stripped = _LEGAL_SUFFIX.sub("", name).strip(" .,")
        if stripped == name or not stripped:
            break
        name = stripped
    if not name or len(name.split()) > 8:
        return None
    return _WIRES.get(name.lower(), name)


def _mark_footer(lines: list[str], kinds: list[str]) -> None:
    """After the body, a footer marker turns the short lines that follow it into chrome.

    Site names and mission statements ("To empower members to ...") look like
    prose, but a page's closing furniture is short and comes after markers
    such as copyright lines or "Recommended Posts".
    """
    body_seen = 0
    for i, kind in enumerate(kinds):
        if kind == "body":
            body_seen += len(lines[i])
        if kind != "marker" or body_seen < 200:
            continue
        rest = [j for j in range(i + 1, len(kinds)) if kinds[j] == "body"]
        sizes = [len(lines[j]) for j in rest]
        if all(s <= 300 for s in sizes) and sum(sizes) <= 800 and len(rest) <= 10:
            for j in rest:
                kinds[j] = "footer"
            return


def _mark_self_description(lines: list[str], kinds: list[str], out: CleanText) -> None:
    """The last line "Tagus Weekly is an English-language newspaper for ..." is the site talking about itself."""
    body = [i for i, kind in enumerate(kinds) if kind in ("body", "footer")]
    if len(body) < 2:
        return
    last = body[-1]
    m = _SELF_DESCRIPTION.match(lines[last])
    if m and len(lines[last]) <= 300:
        kinds[last] = "footer"
        name = normalise_publisher(m.group("name"))
        if name:
            out.publisher_hints.setdefault("self-description", name)


def _paragraphs(lines: list[str]) -> list[str]:
    """Join lines broken mid-sentence; each remaining line is a paragraph."""
    paragraphs: list[str] = []
    for line in lines:
        if not line:
            continue
        if paragraphs and _continues(paragraphs[-1], line):
            paragraphs[-1] = paragraphs[-1] + " " + line
        else:
            paragraphs.append(line)
    return paragraphs


def _continues(previous: str, line: str) -> bool:
    """True when ``line`` carries on the sentence ``previous`` broke off ("after\\nyears of")."""
    if previous.endswith(_TERMINAL) or not line[0].islower():
        return False
    return previous[-1].isalnum() or previous.endswith((",", "-", "–", "—"))


def _strip_truncation(paragraphs: list[str], out: CleanText) -> list[str]:
    if not paragraphs:
        return paragraphs
    last = paragraphs[-1]
    m = _TRUNCATION.search(last)
    if m:
        out.signals.add("truncated")
        out.removed.append(m.group(0).strip())
        cut = last[: m.start()].rstrip()
        return [*paragraphs[:-1], cut] if cut else paragraphs[:-1]
    if last.endswith(("…", "...")) and not last.endswith("....") and len(last) > 40:
        out.signals.add("truncated")
    return paragraphs


def _is_flattened(paragraphs: list[str]) -> bool:
    """One paragraph holding a whole article: a repost that lost its line breaks."""
    if len(paragraphs) != 1:
        return False
    return len(_SENTENCE_END.findall(paragraphs[0])) >= 8 and len(paragraphs[0]) > 600
