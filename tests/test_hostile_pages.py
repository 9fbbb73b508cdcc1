"""Pages built to break the brief, through the whole tool and into headless Chromium.

The hostile inputs (``tests/hostile.py``: script in every field, ``javascript:``
and ``data:`` URLs, SVG and CSS payloads, right-to-left and zero-width
characters, a title of a megabyte) go through ``newsdesk brief --format html``
and through ``newsdesk add`` + the web app; every page is opened in Chromium
and must run nothing, load nothing from outside, and show the payloads as
text. ``bench/faults.py`` adds the text of 100,000 tiny paragraphs and prints
how long each page takes to render.

Skips with the reason when playwright or Chromium is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile import EVIL, write_hostile_pages
from test_web_browser import Watch, browser, serve  # noqa: F401 - fixtures

from newsdesk.store import Store, add_paths

pytestmark = [pytest.mark.browser, pytest.mark.slow]

#: What a page may hold after the hostile text went through it: checked in the page itself.
AUDIT = """() => ({
  ran: window.__ran,
  scripts: [...document.scripts].map(s => s.src),
  embeds: document.querySelectorAll('img, iframe, object, embed, frame, video, audio, link[rel=import]').length,
  handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
  badLinks: [...document.querySelectorAll('a[href], area[href], [src], [action], [formaction]')]
    .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || e.getAttribute('formaction'))
    .filter(u => /^\\s*(javascript|data|vbscript):/i.test(u)).length,
  externalStyles: [...document.styleSheets].filter(s => s.href && !s.href.startsWith(location.origin)).length,
  text: document.body.innerText,
})"""


def audit(page: object, allowed_scripts: list[str]) -> dict:
    found = page.evaluate(AUDIT)
    assert found["ran"] == []
    assert found["scripts"] == allowed_scripts
    assert found["embeds"] == 0 and found["handlers"] == 0 and found["badLinks"] == 0
    assert found["externalStyles"] == 0
    return found


def test_hostile_pages_brief_as_static_html_runs_nothing_in_chromium(tmp_path: Path, browser) -> None:  # noqa: F811
    pages = write_hostile_pages(tmp_path / "in", huge=False)
    big = pages[0].read_text(encoding="utf-8")
    (tmp_path / "in" / "huge_title.html").write_text(
        big.replace("<title>", "<title>" + "Troops &lt;script&gt;alert('big')&lt;/script&gt; leave " * 18_000, 1),
        encoding="utf-8",
    )
    out = tmp_path / "brief.html"
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    r = subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", "brief", str(tmp_path / "in"), "--format", "html", "-o", str(out)],
        env=env, capture_output=True, text=True, timeout=600, check=False,
    )
    assert r.returncode == 0, r.stderr
    page = browser.new_page(viewport={"width": 1000, "height": 1200})
    watch = Watch(page, out.as_uri())
    page.goto(out.as_uri(), wait_until="load", timeout=120_000)
    found = audit(page, [])
    assert "<script>alert('text')</script>" in found["text"]  # shown, as text
    assert "\u202e" not in page.title() or "<script>" in page.title()  # a title is text, never markup
    assert watch.dialogs == [] and watch.offsite == [] and watch.errors == []


def test_hostile_pages_in_the_web_app_run_nothing_in_chromium(tmp_path: Path, serve, browser) -> None:  # noqa: F811
    write_hostile_pages(tmp_path / "in", huge=False)
    db = tmp_path / "h.db"
    with Store(db) as store:
        summary = add_paths(store, [str(tmp_path / "in")])
    assert summary.added == 2
    with Store(db, readonly=True) as store:
        stories = [row.id for row in store.stories()]
        article_ids = [m.article.id for sid in stories for m in store.story_articles(sid)]
    base = serve(db)
    page = browser.new_page(viewport={"width": 1000, "height": 1200})
    watch = Watch(page, base)
    urls = [f"{base}/", *(f"{base}/stories/{s}" for s in stories), *(f"{base}/articles/{a}" for a in article_ids),
            f"{base}/search?q=script", f"{base}/search?q=%3Csvg%20onload%3Dalert(1)%3E", f"{base}/search?q=Olsen"]
    for url in urls:
        page.goto(url, wait_until="load", timeout=60_000)
        for link in page.locator("a.cite").all()[:3]:
            link.hover()
        audit(page, [base + "/static/app.js"])
    assert watch.dialogs == [] and watch.offsite == [] and watch.errors == []
    assert not any(EVIL in u for u in watch.offsite)
