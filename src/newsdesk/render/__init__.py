"""Render stage: a :class:`newsdesk.model.Brief` as Markdown, JSON or one HTML page.

    render(brief, "md" | "json" | "html") -> str
    to_dict(brief) -> dict          the JSON contract of DESIGN.md, as data
    render_json / render_markdown / render_html

Every format is deterministic: the same brief gives the same text. Article
text is escaped for each format (Markdown punctuation, HTML entities).

Every HTML page newsdesk writes comes from ``render/templates/`` through one
Jinja2 environment (:mod:`newsdesk.render.templating`). A story is shown by
:class:`newsdesk.render.views.StoryView` and the section partials of
``_story.html.j2``, in the static HTML brief and in the web app alike.
"""

from __future__ import annotations

from collections.abc import Callable

from newsdesk.errors import ConfigError
from newsdesk.model import Brief
from newsdesk.render.html import render_html
from newsdesk.render.jsonout import render_json, to_dict
from newsdesk.render.markdown import render_markdown

__all__ = [
    "FORMATS",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "to_dict",
]

FORMATS: dict[str, Callable[[Brief], str]] = {
    "md": render_markdown,
    "json": render_json,
    "html": render_html,
}


def render(brief: Brief, fmt: str) -> str:
    """The brief in format ``fmt`` ("md", "json" or "html")."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        choices = ", ".join(sorted(FORMATS))
        raise ConfigError(
            f"unknown output format {fmt!r}: choose one of {choices}"
        ) from None
    return renderer(brief)
