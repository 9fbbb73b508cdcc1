"""The web app in a real browser: headless Chromium (Debian's) driven by Playwright.

Serves a store with uvicorn on a free loopback port, then: opens the seeds'
story page, hovers and follows a citation to its sentence, searches, and
screenshots each page (kept under $NEWSDESK_SCREENSHOTS when set); and opens
every page of a hostile article to prove that nothing in it runs.

Skips with the reason when playwright, Chromium, uvicorn or ../shared is missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_html_browser import CHROMIUM_ARGS, HOOK, _chromium
from test_web import build_store, hostile_id

from newsdesk.store import Store, add_paths

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def serve() -> Iterator[object]:
    uvicorn = pytest.importorskip("uvicorn", reason="uvicorn is not installed")
    from newsdesk.web import create_app

    servers = []

    def start(db: Path) -> str:
        port = _free_port()
        server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.started, "the server did not start"
        servers.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    executable = _chromium()
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _shots(tmp_path: Path) -> Path:
    out = Path(os.environ.get("NEWSDESK_SCREENSHOTS", tmp_path / "shots"))
    out.mkdir(parents=True, exist_ok=True)
    return out


class Watch:
    """Everything a page did that it should not: console errors, dialogs, script hooks, off-site requests."""

    def __init__(self, page: object, base: str) -> None:
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.offsite: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("request", lambda r: None if r.url.startswith(base) or r.url.startswith("data:") else self.offsite.append(r.url))
        page.add_init_script(HOOK)


def test_seeds_story_citation_and_search_in_chromium(tmp_path: Path, seeds: Path, serve, browser) -> None:
    db = tmp_path / "seeds.db"
    with Store(db) as store:
        add_paths(store, [str(seeds)])
    base = serve(db)
    shots = _shots(tmp_path)
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    watch = Watch(page, base)

    page.goto(base + "/", wait_until="load")
    page.screenshot(path=str(shots / "index.png"), full_page=True)
    page.click("a.story-link")
    page.wait_for_url("**/stories/*")
    assert page.locator("#summary .sent").count() >= 3
    assert page.locator("#timeline svg").count() >= 1
    assert page.locator("#places svg").count() >= 1
    page.screenshot(path=str(shots / "story.png"), full_page=True)

    cite = page.locator("#summary a.cite").first
    excerpt = cite.get_attribute("data-excerpt")
    assert excerpt
    cite.hover()
    popover = page.locator("#popover")
    popover.wait_for(state="visible", timeout=3000)
    assert excerpt[:40] in popover.inner_text()
    page.screenshot(path=str(shots / "story-popover.png"))

    href = cite.get_attribute("href")
    cite.click()
    page.wait_for_url("**/articles/*")
    assert page.url.endswith(href.split("/")[-1])
    target = page.locator(".target")
    target.first.wait_for(state="visible", timeout=3000)
    shown = " ".join(page.evaluate("[...document.querySelectorAll('.target')].map(e => e.textContent).join('')").split())
    assert " ".join(excerpt.split())[:60] in shown, (excerpt[:60], shown[:300])
    page.screenshot(path=str(shots / "article.png"), full_page=True)

    page.fill("form.search input[name=q]", "troops")
    page.press("form.search input[name=q]", "Enter")
    page.wait_for_url("**/search?q=troops")
    assert page.locator("ol.hits li").count() >= 1
    assert page.locator("ol.hits mark").count() >= 1
    page.screenshot(path=str(shots / "search.png"), full_page=True)
    page.click("ol.hits a.hit >> nth=0")
    page.wait_for_url("**/articles/*")

    assert watch.errors == [] and watch.dialogs == [] and watch.offsite == []
    for name in ("index", "story", "story-popover", "article", "search"):
        assert (shots / f"{name}.png").stat().st_size > 5000


def test_hostile_article_runs_nothing_in_chromium(tmp_path: Path, serve, browser) -> None:
    db = build_store(tmp_path / "hostile.db")
    aid = hostile_id(db)
    base = serve(db)
    shots = _shots(tmp_path)
    page = browser.new_page(viewport={"width": 1000, "height": 1200})
    watch = Watch(page, base)
    page.goto(f"{base}/articles/{aid}", wait_until="load")
    story_href = page.locator(".kicker a").first.get_attribute("href")
    urls = [f"{base}/articles/{aid}", base + story_href, f"{base}/search?q=notice", f"{base}/",
            f"{base}/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E"]
    for i, url in enumerate(urls):
        page.goto(url, wait_until="load")
        page.wait_for_timeout(200)
        for link in page.locator("a.cite").all()[:3]:
            link.hover()
        assert page.evaluate("window.__ran") == []
        assert page.evaluate("[...document.scripts].map(s => s.src)") == [base + "/static/app.js"]
        assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert page.evaluate("[...document.querySelectorAll('a')].filter(a => a.protocol === 'javascript:').length") == 0
        assert page.evaluate("[...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length") == 0
        page.screenshot(path=str(shots / f"hostile-{i}.png"), full_page=True)
    page.goto(f"{base}/articles/{aid}")  # the hostile markup is on the page, as visible text
    assert page.locator("#text").inner_text().count("<script>") >= 1
    assert watch.dialogs == [] and watch.offsite == []
    assert watch.errors == [], watch.errors


def test_chromium_is_where_the_tests_look() -> None:
    if not (shutil.which("chromium") or Path("/usr/bin/chromium").exists()):
        pytest.skip("no Chromium (apt-get install chromium)")
    assert _chromium()
