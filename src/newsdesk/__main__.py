"""`python -m newsdesk`: the command line."""

from newsdesk.cli import main

main()
