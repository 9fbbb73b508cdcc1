"""Shared pieces of ingest: read options, capped reads, one-line reasons.

Takes nothing from the outside world itself; gives the :class:`Options` every
format reader receives and small helpers they share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import BinaryIO

from newsdesk.model import Dropped, RawDocument

__all__ = ["DEFAULT_MAX_BYTES", "Dispatch", "Items", "Options", "one_line", "read_capped"]

#: Largest single document (file, archive member, record) read, in bytes.
DEFAULT_MAX_BYTES = 50_000_000

Items = Iterator[RawDocument | Dropped]
#: Reads one opened stream: (label, file name, stream, known size or None, archive depth).
Dispatch = Callable[[str, str, BinaryIO, "int | None", int], Items]


@dataclass(frozen=True)
class Options:
    """How to read: the size cap and an optional field -> column/key mapping."""

    max_bytes: int = DEFAULT_MAX_BYTES
    columns: dict[str, str] | None = None


def read_capped(stream: BinaryIO, max_bytes: int) -> bytes | None:
    """The whole stream, or None when it holds more than ``max_bytes``.

    Reads at most one byte past the cap, so a huge (or endlessly inflating)
    stream is rejected without being held in memory.
    """
    data = stream.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def one_line(message: str, limit: int = 200) -> str:
    """A message squeezed onto one line: reasons are one line each."""
    return " ".join(str(message).split())[:limit]
