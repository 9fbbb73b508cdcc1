"""The stage contract: how every engine calls every stage, and the one failure policy.

A stage is a function over a batch, with its settings passed in, that gives a
:class:`StageResult`: its outputs, and a :class:`newsdesk.model.Dropped`
record for each item it could not do. The local engine (``newsdesk.pipeline``)
runs each stage on one batch; ``newsdesk add`` (``newsdesk.store``) runs the
same stages on its batches; Spark runs them per partition. No engine catches
a stage's exceptions itself: the guards below are the only place where an
unexpected exception on one item becomes a ``Dropped(path, stage, reason)``,
so a bad item is dropped and reported and the run goes on, whichever engine
runs it.

    each(stage, items, fn, path)     fn per item; an exception drops that item
    failure(path, stage, exc)        the Dropped record of one exception
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from newsdesk.model import Dropped

__all__ = ["REASON_CHARS", "StageResult", "each", "failure", "guard"]

T = TypeVar("T")
R = TypeVar("R")

#: A reason is one line: long exception messages (a whole HTML page in a parser error) are cut here.
REASON_CHARS = 300


@dataclass
class StageResult(Generic[R]):
    """What a stage gives: its outputs and the records of what it could not do."""

    items: list[R] = field(default_factory=list)
    dropped: list[Dropped] = field(default_factory=list)


def failure(
    path: str, stage: str, exc: BaseException, prefix: str = "", message_chars: int | None = None
) -> Dropped:
    """The one-line record of an unexpected exception on one item: ``prefix``, the exception's
    type and its message. ``message_chars`` squeezes the message onto one line and cuts it to that
    many characters (0 leaves it out: some libraries put a whole damaged input in theirs)."""
    name = type(exc).__name__
    if message_chars is None:
        reason = f"{prefix}{name}: {exc}"
    elif message_chars == 0:
        reason = f"{prefix}{name}"
    else:
        reason = f"{prefix}{name}: {' '.join(str(exc).split())[:message_chars]}"
    return Dropped(path, stage, reason[:REASON_CHARS])


def guard(path: str, stage: str, fn: Callable[[], R], dropped: list[Dropped], default: R) -> R:
    """``fn()``, or ``default`` with a :class:`Dropped` record in ``dropped`` when it raises.

    For work whose failure costs one part of an item (one annotation layer of
    an article, one story's brief) rather than the item itself.
    """
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - one item's bug must not stop a run
        dropped.append(failure(path, stage, exc))
        return default


def each(
    stage: str,
    items: Iterable[T],
    fn: Callable[[T], R | Dropped],
    path: Callable[[T], str],
) -> StageResult[R]:
    """``fn`` on every item: its results, with expected drops (``fn`` returns a
    :class:`Dropped`) and unexpected ones (``fn`` raises) in one list, in input order."""
    out: StageResult[R] = StageResult()
    for item in items:
        try:
            result = fn(item)
        except Exception as exc:  # noqa: BLE001 - one item's bug must not stop a run
            out.dropped.append(failure(path(item), stage, exc))
            continue
        if isinstance(result, Dropped):
            out.dropped.append(result)
        else:
            out.items.append(result)
    return out
