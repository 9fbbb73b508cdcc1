"""``python -m newsdesk.cli``: the same commands as ``newsdesk``."""

from newsdesk.cli import main

main()
