"""The HTML brief in a real browser: opens in headless Chromium with hostile text,
logs no console errors, runs no script, requests nothing, and gets screenshotted.

Needs the ``playwright`` Python package (its wheel bundles the driver; no
``playwright install`` is needed) and a system Chromium at /usr/bin/chromium
or on PATH. Skips with the reason when either is missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from test_render import sample_brief

from newsdesk.render import render_html

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Runs before the page: any alert, confirm, prompt or title change made by page script is recorded.
HOOK = """
window.__ran = [];
for (const name of ["alert", "confirm", "prompt", "print"]) {
  window[name] = (...args) => { window.__ran.push(name + ":" + args.join(" ")); };
}
"""


def _chromium() -> str:
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.skip(
        "no Chromium found at /usr/bin/chromium or on PATH (apt-get install chromium)"
    )


def test_hostile_brief_opens_in_chromium_without_running_script(tmp_path: Path) -> None:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed"
    )
    executable = _chromium()
    page_file = tmp_path / "brief.html"
    page_file.write_text(render_html(sample_brief(hostile=True)), encoding="utf-8")
    screenshot = tmp_path / "brief.png"

    console: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            page = browser.new_page(viewport={"width": 900, "height": 1200})
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("request", lambda r: requests.append(r.url))
            page.add_init_script(HOOK)
            page.goto(page_file.as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            title = page.title()
            ran = page.evaluate("window.__ran")
            scripts = page.evaluate("document.scripts.length")
            images = page.evaluate("document.images.length")
            marks = page.evaluate("document.querySelectorAll('mark').length")
            cites = page.evaluate("document.querySelectorAll('a.cite').length")
            svgs = page.evaluate("document.querySelectorAll('svg.chart').length")
            page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()

    print(f"\nscreenshot of the rendered brief: {screenshot}")
    assert [m for m in console if m.startswith("error")] == []
    assert errors == [] and dialogs == [] and ran == []
    assert (
        title == "Troops <script>alert(1)</script> leave"
    )  # shown as text, and never changed by a script
    assert scripts == 0 and images == 0
    assert requests == [page_file.as_uri()]  # the page itself, nothing else
    assert marks > 0 and cites > 0 and svgs == 3
    assert screenshot.stat().st_size > 10_000


@pytest.mark.slow
def test_seeds_html_brief_opens_cleanly_and_a_citation_leads_to_its_source(seeds: Path, tmp_path: Path) -> None:
    """The brief of the real seeds, made by the CLI: no console errors, no outside
    request, and clicking a summary citation scrolls to the highlighted source span."""
    import subprocess
    import sys

    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    executable = _chromium()
    page_file = tmp_path / "seeds.html"
    subprocess.run(
        [sys.executable, "-m", "newsdesk.cli", "brief", str(seeds), "--format", "html", "-o", str(page_file)],
        check=True, capture_output=True, timeout=600,
    )
    console: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("console", lambda m: console.append(f"{m.type}: {m.text}"))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri(), wait_until="load")
            cite = page.locator("a.cite").first
            target = cite.get_attribute("href")
            assert target and target.startswith("#")
            cite.click()
            page.wait_for_timeout(200)
            marked = page.locator(target)
            assert marked.is_visible()
            # The anchor opens the cited span in the article text shown below.
            cited = cite.get_attribute("title") or ""
            assert marked.inner_text().strip() and cited.startswith(marked.inner_text().strip())
            page.screenshot(path=str(tmp_path / "seeds.png"), full_page=True)
        finally:
            browser.close()
    print(f"\nscreenshot of the seeds brief: {tmp_path / 'seeds.png'}")
    assert [m for m in console if m.startswith("error")] == []
    assert requests == [page_file.as_uri()] or all(r.startswith(page_file.as_uri()) for r in requests)
