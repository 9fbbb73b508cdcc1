"""The one Jinja2 environment for every HTML page newsdesk writes.

Takes a template name from ``render/templates/`` and its values; gives the
page's text. The static HTML brief (:mod:`newsdesk.render.html`) and the web
app (:mod:`newsdesk.web.app`) render from this one folder, so the story
sections (``_story.html.j2``) are written once for both.

Article text is untrusted: autoescape is on for every template and for
strings, undefined values raise instead of printing nothing, and no template
marks data ``|safe``. A page ends exactly where its template file ends
(``keep_trailing_newline``): the brief ends with a newline, the web pages
(``base.html.j2``) at ``</html>``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

__all__ = ["environment", "render_template"]


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared environment (built once): autoescaping, strict, block tags on their own lines leave no blank lines."""
    return Environment(
        loader=PackageLoader("newsdesk.render", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_template(name: str, **values: Any) -> str:
    """The text of template ``name`` rendered with ``values``."""
    return environment().get_template(name).render(**values)
