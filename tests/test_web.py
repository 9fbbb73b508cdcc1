"""The web app through Starlette's TestClient: routes, escaping, security headers, caching.

The store holds short invented articles, one of them hostile (script tags,
event-handler attributes, ``javascript:`` links in its title and text).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the web app needs starlette (pip install starlette uvicorn)")
from starlette.testclient import TestClient
from test_store import FIRE, STRIKE, VOLCANO

from newsdesk.store import Store, add_paths
from newsdesk.web import CSP, create_app

pytestmark = pytest.mark.slow

HOSTILE = {
    "title": "<script>alert('title')</script>Harbor <img src=x onerror=alert('img')> notice",
    "publisher": "<b onmouseover=alert(1)>Evil Press</b>",
    "url": "javascript:alert('url')",
    "published": "2024-03-12",
    "text": (
        "The Velmora port strike notice was posted on Tuesday <script>alert('text')</script> by the union. "
        "Workers said <img src=x onerror=\"alert('img2')\"> the strike at the port of Velmora will go on. "
        "Read more at <a href=\"javascript:alert('link')\">this link</a> about the dockworkers. "
        "\"We are not afraid <iframe src=https://evil.example></iframe>,\" said union leader Marta Oskren."
    ),
}


def build_store(path: Path) -> Path:
    src = path.parent / "web.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in [*STRIKE, VOLCANO, HOSTILE]), encoding="utf-8")
    with Store(path) as store:
        add_paths(store, [str(src)])
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_store(tmp_path_factory.mktemp("web") / "web.db")


@pytest.fixture(scope="module")
def client(db: Path) -> TestClient:
    return TestClient(create_app(db))


def hostile_id(db: Path) -> str:
    with Store(db, readonly=True) as store:
        return store.conn.execute("SELECT id FROM articles WHERE text LIKE '%<script>%'").fetchone()[0]


def test_index_lists_stories_with_sources_dates_size(client: TestClient) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.headers["content-security-policy"] == CSP
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "Velmora" in r.text and "Kessaly" in r.text
    assert "Harbor Times" in r.text  # sources
    assert "Mar 2024" in r.text or "2024" in r.text  # dates


def test_story_page_has_every_section_and_citations_link_to_articles(client: TestClient) -> None:
    index = client.get("/").text
    sid = re.search(r'href="/stories/(\w+)"', index).group(1)
    r = client.get(f"/stories/{sid}")
    assert r.status_code == 200
    html = r.text
    assert 'id="summary"' in html and 'id="timeline"' in html and 'id="quotes"' in html
    assert "<svg" in html  # charts and map drawn inline
    cites = re.findall(r'<a class="cite" href="/articles/(\w+)#c-(\d+)-(\d+)"', html)
    assert cites
    aid, start, end = cites[0]
    page = client.get(f"/articles/{aid}").text
    assert f'id="c-{start}-{end}"' in page  # the citation's target exists in its article
    assert "Marta Oskren" in html  # quotes grouped by speaker


def test_story_page_says_why_the_story_holds_together(client: TestClient, db: Path) -> None:
    with Store(db, readonly=True) as store:
        sid, terms = store.conn.execute(
            "SELECT id, key_terms FROM stories WHERE title LIKE '%Velmora%' OR title LIKE '%strike%' "
            "ORDER BY n_sources DESC LIMIT 1"
        ).fetchone()
    assert json.loads(terms)  # set by `add`, kept in the store
    html = client.get(f"/stories/{sid}").text
    assert '<p class="why">' in html and "Key terms:" in html and "Dates:" in html
    assert f"<b>{json.loads(terms)[0]}</b>" in html


def test_article_page_highlights_annotations_and_lists_copies(client: TestClient, db: Path) -> None:
    with Store(db, readonly=True) as store:
        aid = store.conn.execute("SELECT id FROM articles WHERE title LIKE 'Dockworkers strike%'").fetchone()[0]
    html = client.get(f"/articles/{aid}").text
    assert 'class="k-date' in html or "k-date " in html
    assert "k-figure" in html and "k-quote" in html
    assert "Story:" in html


class Tags(HTMLParser):
    """Every start tag of a page, as the browser would parse it."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append((tag, attrs))


def test_hostile_article_is_escaped_everywhere(client: TestClient, db: Path) -> None:
    aid = hostile_id(db)
    pages = [client.get(f"/articles/{aid}"), client.get("/"), client.get("/search?q=notice")]
    sid = re.search(r'href="/stories/(\w+)"', pages[0].text).group(1)
    pages.append(client.get(f"/stories/{sid}"))
    pages.append(client.get("/search?q=" + "<script>alert(1)</script>"))
    for r in pages:
        assert r.status_code == 200
        body = r.text
        scripts = re.findall(r"<script[^>]*>", body)
        assert scripts == ['<script src="/static/app.js" defer>'], scripts
        tags = Tags()
        tags.feed(body)
        assert not {"img", "iframe", "object", "embed"} & {name for name, _ in tags.seen}
        for name, attrs in tags.seen:
            # No tag carries an event handler or a javascript: link (escaped text inside a value is inert).
            assert not [k for k, _ in attrs if k.startswith("on")], (name, attrs)
            assert not [v for k, v in attrs if k in {"href", "src"} and (v or "").lower().startswith("javascript:")]
    assert "&lt;script&gt;alert(&#39;text&#39;)&lt;/script&gt;" in pages[0].text


def test_search_page_marks_hits(client: TestClient) -> None:
    r = client.get("/search", params={"q": "lava"})
    assert r.status_code == 200 and "<mark>lava</mark>" in r.text
    assert 'href="/articles/' in r.text
    assert client.get("/search", params={"q": '"unclosed AND ('}).status_code == 200
    assert client.get("/search").status_code == 200


def test_unknown_ids_are_404_with_escaped_message(client: TestClient) -> None:
    r = client.get("/stories/<script>")
    assert r.status_code == 404 and "<script>" not in r.text.replace('<script src="/static/app.js" defer>', "")
    assert client.get("/articles/nope").status_code == 404
    assert r.headers["content-security-policy"] == CSP


def test_static_assets_are_local(client: TestClient) -> None:
    assert client.get("/static/app.css").status_code == 200
    js = client.get("/static/app.js")
    assert js.status_code == 200 and "innerHTML" not in js.text
    index = client.get("/").text
    assert not re.search(r'(src|href)="(https?:)?//', index)


def test_pages_refresh_when_the_store_grows(tmp_path: Path) -> None:
    db = build_store(tmp_path / "grow.db")
    client = TestClient(create_app(db))
    assert "Seaside" not in client.get("/").text
    extra = tmp_path / "extra.jsonl"
    extra.write_text(json.dumps({
        "title": "Seaside festival draws record crowds", "publisher": "Bay News", "published": "2024-08-01",
        "text": "The Seaside music festival drew a record 80,000 visitors over the weekend, organisers said on Monday.",
    }) + "\n", encoding="utf-8")
    with Store(db) as store:
        add_paths(store, [str(extra)])
    assert "Seaside" in client.get("/").text  # the cache follows the store's data version


def _pieces_by_scanning(text, layers, cited, sentences):
    """The first implementation of ``pieces``: every span tested at every piece (quadratic),
    kept as the plain statement of what the sweep must give."""
    import itertools

    from newsdesk.web.views import Piece

    size = len(text)

    def clamp(s, e):
        return min(max(s, 0), size), min(max(e, 0), size)

    spans = [(*clamp(s, e), k, n) for s, e, k, n in layers]
    spans = [x for x in spans if x[1] > x[0]]
    cites = {(s, e): clamp(s, e) for s, e in cited | sentences}
    marked = [clamp(s, e) for s, e in cited]
    cuts = sorted({0, size} | {x[0] for x in spans} | {x[1] for x in spans}
                  | {c[0] for c in cites.values()} | {c[1] for c in cites.values()})
    out = []
    for a, b in itertools.pairwise(cuts):
        cover = [x for x in spans if x[0] <= a and b <= x[1]]
        out.append(Piece(
            text[a:b], tuple(sorted({x[2] for x in cover})), tuple(dict.fromkeys(x[3] for x in cover)),
            tuple(f"c-{s}-{e}" for (s, e), (cs, ce) in sorted(cites.items()) if cs <= a and b <= ce),
            tuple(f"c-{s}-{e}" for (s, e), (cs, _) in sorted(cites.items()) if cs == a),
            any(s <= a and b <= e for s, e in marked),
        ))
    return out


def test_a_merged_storys_old_address_redirects_to_the_story_it_joined(tmp_path: Path) -> None:
    db = tmp_path / "merge.db"
    halves: set[str] = set()
    with Store(db) as store:
        for i, records in enumerate((FIRE[:2], FIRE[2:])):  # two halves, then the article that bridges them
            src = tmp_path / f"fire{i}.jsonl"
            src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
            add_paths(store, [str(src)])
            halves |= {r.id for r in store.stories()}
        (kept,) = (r.id for r in store.stories())
    (gone,) = halves - {kept}
    client = TestClient(create_app(db))
    moved = client.get(f"/stories/{gone}", follow_redirects=False)
    assert moved.status_code == 301 and moved.headers["location"] == f"/stories/{kept}"
    page = client.get(f"/stories/{gone}")
    assert page.status_code == 200 and page.url.path == f"/stories/{kept}" and "Orlen" in page.text


def test_article_pieces_in_one_sweep_equal_the_plain_definition() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from newsdesk.web.views import pieces

    span = st.tuples(st.integers(-3, 45), st.integers(-3, 45))
    layer = st.tuples(st.integers(-3, 45), st.integers(-3, 45), st.sampled_from(["date", "quote", "place"]),
                      st.sampled_from(["n1", "n2", "n3"]))

    @settings(max_examples=400, deadline=None)
    @given(st.text(min_size=1, max_size=40), st.lists(layer, max_size=8), st.sets(span, max_size=5),
           st.sets(span, max_size=6))
    def check(text, layers, cited, sentences):
        assert pieces(text, layers, cited, sentences) == _pieces_by_scanning(text, layers, cited, sentences)

    check()


def test_an_article_of_many_short_paragraphs_is_cut_whole_with_its_anchors() -> None:
    from newsdesk.web.views import pieces

    text = "".join(f"Item {i} ok. " for i in range(20_000))
    sentences = {(13 * i, 13 * i + 12) for i in range(2_000)}
    layers = [(13 * i, 13 * i + 4, "figure", "figure") for i in range(0, 2_000, 2)]
    out = pieces(text, layers, {(0, 12)}, sentences)
    assert "".join(p.text for p in out) == text and out[0].cited and out[0].anchors == ("c-0-12",)


def test_a_rewrites_page_shows_its_sentences_beside_the_wire_sentences_they_came_from(tmp_path: Path) -> None:
    from test_lineage import REWRITE, WIRE

    records = [
        {"title": "Dam gives way", "publisher": "Wire Service", "published": "2021-05-04", "text": "\n\n".join(WIRE)},
        {"title": "Valley floods", "publisher": "Valley Gazette", "published": "2021-05-04", "text": "\n\n".join(REWRITE)},
    ]
    src = tmp_path / "pile.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    db = tmp_path / "r.db"
    with Store(db) as store:
        add_paths(store, [str(src)])
        row = store.conn.execute(
            "SELECT id, copy_of, copy_kind, aligned FROM articles WHERE copy_of IS NOT NULL"
        ).fetchone()
        assert row is not None and store.links([row[0]])[0].aligned == row[3]  # the share is stored and read back
    assert row is not None and row[2] == "rewrite" and row[3] is not None
    client = TestClient(create_app(db))
    html = client.get(f"/articles/{row[0]}").text
    assert 'id="aligned"' in html and "Rewritten from Wire Service" in html
    assert f"{row[3]:.0%} of the shorter text's sentences align with it" in html
    table = html[html.index('<table class="aligned">') : html.index("</table>", html.index('<table class="aligned">'))]
    assert table.count("<tr>") >= 1 + 3  # the header and at least three aligned pairs
    assert f'href="/articles/{row[1]}#c-' in table  # each wire sentence links to its place in the wire
    assert "Anna Petrova" not in table  # the local quote has no partner
    origin = client.get(f"/articles/{row[1]}").text
    assert 'id="aligned"' not in origin
