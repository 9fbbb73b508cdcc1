"""``newsdesk serve``: a local web app to read the store (see :mod:`newsdesk.web.app`)."""

from newsdesk.web.app import CSP, create_app

__all__ = ["CSP", "create_app"]
