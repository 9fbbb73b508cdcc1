"""Errors newsdesk raises.

    NewsdeskError          base: the CLI prints its message on one line, exit code 1
    ├── InputError         nothing usable in the input (every file dropped, no such path)
    ├── ConfigError        a bad option or setting
    └── StoreError         the store cannot be opened or written

Expected bad input (an empty file, a binary file, a malformed JSON line) is not
an exception: it becomes a :class:`newsdesk.model.Dropped` record in the run's
report, and the run goes on.
"""

from __future__ import annotations


class NewsdeskError(Exception):
    """Base class; the message says what went wrong and what to do next."""

    exit_code = 1


class InputError(NewsdeskError):
    """The input held nothing newsdesk could read."""


class ConfigError(NewsdeskError):
    """An option or setting has a value newsdesk cannot use."""


class StoreError(NewsdeskError):
    """The store could not be opened, read or written."""
