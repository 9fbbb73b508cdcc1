"""Pages built to break the HTML brief and the web app, written for these tests.

:func:`write_hostile_pages` writes, into a folder, saved pages and text files
whose every field a brief shows carries a payload: script tags (raw and as
escaped text), ``javascript:`` and ``data:`` URLs, SVG with handlers, CSS
that loads from outside, right-to-left overrides and zero-width characters,
a title of a megabyte and a text of 100,000 tiny paragraphs. Used by
``tests/test_hostile_pages.py`` and ``bench/faults.py``.

Every payload that could run announces itself through ``alert``/``fetch`` of
``EVIL``, so a browser test can watch for dialogs and off-site requests.
"""

from __future__ import annotations

from pathlib import Path

EVIL = "https://evil.example"
RLO, PDF, ZWSP, ZWJ = "\u202e", "\u202c", "\u200b", "\u200d"

#: Markup payloads, as they would appear in an article's *text* (escaped in the page's HTML).
PAYLOADS = [
    "<script>alert('text')</script>",
    f"<img src={EVIL}/img.png onerror=alert('img')>",
    "<svg onload=alert('svg')><script>alert('svg-script')</script></svg>",
    f"<style>@import url({EVIL}/x.css); body{{background:url({EVIL}/bg.png)}}</style>",
    "<a href=\"javascript:alert('href')\">read more</a>",
    f"<iframe src={EVIL}/frame></iframe>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('mxss')></style></mglyph></table></mtext></math>",
    "\"><script>alert('attr')</script>",
    "javascript:alert('bare')",
    "data:text/html,<script>alert('data')</script>",
]


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _story_paragraphs(tag: str) -> list[str]:
    """A short report on a fictional drawdown, one payload per sentence's worth of text."""
    return [
        f"The Valdorian army said on Monday that 2,500 foreign soldiers will stay at Camp Harlow {tag}.",
        f"About 4,000 soldiers were based in the country in January, officials said {PAYLOADS[0]}.",
        (f"\u201cWe are handing over the base in stages {PAYLOADS[1]},\u201d said Mira{ZWSP} Olsen{ZWJ}, "
        "the coalition's deputy commander."),
        f"The move follows talks in Port Amsel last March {PAYLOADS[2]}.",
        f"Lawmakers in {RLO}Port Amsel{PDF} said the pace of the withdrawal was too slow {PAYLOADS[3]}.",
        f"A notice on the base gate read {PAYLOADS[4]} and {PAYLOADS[5]}.",
        f"By June about 3,000 soldiers remained, the Harbor Times counted {PAYLOADS[6]}.",
        f"\u201cThe threat has dimmed {PAYLOADS[7]},\u201d said general Anton Reyes on Tuesday.",
        f"Critics posted links such as {PAYLOADS[8]} and {PAYLOADS[9]} on the army's page.",
    ]


def hostile_page(tag: str, publisher: str, day: str) -> str:
    """A saved news page: payloads in the title, byline, site name, URL and body, plus live
    script, style and handlers in the page's own markup (which extraction must drop)."""
    title = f"Troops <script>alert('title')</script> leave {RLO}Valdoria{PDF}{ZWSP} {tag}"
    body = "\n".join(f"<p>{_esc(p)}</p>" for p in _story_paragraphs(tag))
    return f"""<!doctype html>
<html dir="rtl"><head>
<meta charset="utf-8">
<title>{_esc(title)}</title>
<meta property="og:title" content="{_esc(title)}">
<meta property="og:url" content="javascript:alert('og-url')">
<meta property="og:site_name" content="{_esc(publisher)}">
<meta name="author" content="{_esc("<img src=x onerror=alert('author')>")} Lena Hart">
<meta property="article:published_time" content="{day}">
<link rel="stylesheet" href="{EVIL}/site.css">
<style>body {{ background: url({EVIL}/page-bg.png) }}</style>
<script>alert('page-script'); fetch('{EVIL}/beacon')</script>
</head><body onload="alert('onload')">
<nav><a href="javascript:alert('nav')">Home</a></nav>
<article>
<h1>{_esc(title)}</h1>
<p class="byline">By <span onclick="alert('byline')">Lena Hart</span></p>
{body}
<svg onload="alert('svg-live')"><script>alert('svg-live-script')</script></svg>
<img src="{EVIL}/pixel.png" onerror="alert('img-live')">
</article>
<script src="{EVIL}/tracker.js"></script>
</body></html>
"""


def write_hostile_pages(folder: Path, *, huge: bool = True) -> list[Path]:
    """The hostile inputs, in ``folder``: two pages of one story (different outlets,
    days and payload tags) and, with ``huge``, a page whose title is a megabyte and a
    text file of 100,000 tiny paragraphs."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, (publisher, day) in enumerate(
        [("<b onmouseover=alert('site')>Northwire</b>", "2020-09-07"), (f"{RLO}Daily Ledger{PDF}", "2020-09-08")]
    ):
        path = folder / f"hostile_{i}.html"
        path.write_text(hostile_page(f"[{i}]", publisher, day), encoding="utf-8")
        paths.append(path)
    if huge:
        big_title = ("Troops <script>alert('big')</script> leave Valdoria " * 20_000)[:1_000_000]
        page = hostile_page("[big]", "Northwire", "2020-09-09").replace(
            "<title>", f"<title>{_esc(big_title)}", 1
        )
        path = folder / "huge_title.html"
        path.write_text(page, encoding="utf-8")
        paths.append(path)
        tiny = "\n\n".join(f"Item {i} <b>ok</b>{ZWSP}." for i in range(100_000))
        path = folder / "tiny_paragraphs.txt"
        path.write_text(f"Camp Harlow notices\n\n{tiny}\n", encoding="utf-8")
        paths.append(path)
    return paths
