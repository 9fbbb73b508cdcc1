"""The local web app: Starlette routes over a read-only store, Jinja2 pages, local assets.

Takes a store path, gives an ASGI app (:func:`create_app`) with bookmarkable
routes: ``/`` (stories), ``/stories/{id}``, ``/articles/{id}``,
``/search?q=…``, and ``/static/…`` (CSS, the one script, served from the
package). Pages are rendered from ``newsdesk/render/templates/``, the folder
the static HTML brief uses too (the story page shares its sections). Article
text is untrusted: templates autoescape, nothing is marked safe except the SVG
charts (built with every label escaped), the only script is the static file,
and every response carries a strict Content-Security-Policy that blocks inline
script, external loads and framing.

Pages are cached in memory per store version (``PRAGMA data_version`` moves
when ``newsdesk add`` commits), so a page is rendered once per change.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from newsdesk.render.templating import render_template
from newsdesk.store.db import Store
from newsdesk.web.views import article_view, index_view, search_view, story_view

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'none'; font-src 'none'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
]
STATIC = Path(__file__).parent / "static"
CACHE_PAGES = 512
MAX_QUERY = 200

Scope = MutableMapping[str, Any]
ASGI = Callable[[Scope, Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]
Endpoint = Callable[[Request], Awaitable[Response]]


class SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response (plain ASGI: no per-request task overhead)."""

    def __init__(self, app: ASGI) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k, v) for k, v in SECURITY_HEADERS if k not in names
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


class Pages:
    """Renders pages from the store, caching each by (route, key) until the store changes."""

    def __init__(self, db: str | Path) -> None:
        self.store = Store(db, readonly=True)
        self.cache: OrderedDict[tuple[str, str], bytes | None] = OrderedDict()
        self.version = -1

    def _fresh(self) -> None:
        version = self.store.data_version()
        if version != self.version:
            self.cache.clear()
            self.version = version

    def get(self, kind: str, key: str, build: Callable[[], bytes | None]) -> bytes | None:
        self._fresh()
        if (kind, key) in self.cache:
            self.cache.move_to_end((kind, key))
            return self.cache[(kind, key)]
        page = build()
        self.cache[(kind, key)] = page
        if len(self.cache) > CACHE_PAGES:
            self.cache.popitem(last=False)
        return page

    def render(self, template: str, **values: Any) -> bytes:
        # app=True: the story sections shared with the static brief take their web app form.
        return render_template(template, app=True, **values).encode("utf-8")


def _html(page: bytes | None, what: str) -> Response:
    if page is None:
        raise HTTPException(404, f"no such {what}")
    return Response(page, media_type="text/html; charset=utf-8")


def create_app(db: str | Path) -> Any:
    """The ASGI app over the store at ``db`` (opened read-only; ``newsdesk add`` may write meanwhile)."""
    pages = Pages(db)

    async def index(request: Request) -> Response:
        return _html(pages.get("index", "", lambda: pages.render(
            "index.html.j2", stories=index_view(pages.store), counts=pages.store.counts(),
        )), "page")

    def item(kind: str, view: Callable[[Store, str], dict[str, object] | None], name: str) -> Endpoint:
        """The page of one ``kind`` (story, article) by id: template ``{kind}.html.j2`` shows the view as
        ``name``; an id the store does not hold is a 404."""

        async def page(request: Request) -> Response:
            key = request.path_params[f"{kind}_id"]
            if kind == "story" and (kept := pages.store.merged_into(key)):  # an old link keeps working
                return RedirectResponse(f"/stories/{quote(kept, safe='')}", status_code=301)

            def build() -> bytes | None:
                values = view(pages.store, key)
                return pages.render(f"{kind}.html.j2", **{name: values}) if values else None

            return _html(pages.get(kind, key, build), kind)

        return page

    async def search(request: Request) -> Response:
        query = request.query_params.get("q", "")[:MAX_QUERY]
        hits = search_view(pages.store, query) if query.strip() else []
        return HTMLResponse(pages.render("search.html.j2", query=query, hits=hits))

    async def not_found(request: Request, exc: Exception) -> Response:
        detail = getattr(exc, "detail", "not found")
        code = getattr(exc, "status_code", 404)
        return HTMLResponse(pages.render("error.html.j2", message=str(detail), code=code), status_code=code)

    async def favicon(request: Request) -> Response:
        return Response(status_code=204)  # browsers ask for one; none is needed

    routes = [
        Route("/", index),
        Route("/favicon.ico", favicon),
        Route("/stories/{story_id:str}", item("story", story_view, "s")),
        Route("/articles/{article_id:str}", item("article", article_view, "a")),
        Route("/search", search),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(routes=routes, exception_handlers={HTTPException: not_found})
    app.state.pages = pages
    return SecurityHeaders(app)
