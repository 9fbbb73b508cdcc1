"""Archives: gzip streams and zip files holding any supported file.

Takes an opened stream and a ``dispatch`` callback that reads one inner
file, and gives what the inner files give. Zip members are labelled
"archive.zip!folder/member.html". Nothing is inflated whole to be judged:
gzip streams are read through and capped by the reader of the inner file;
zip members over the size cap, members that inflate suspiciously far (zip
bombs), encrypted members and archives nested too deep are :class:`Dropped`
with the reason.
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from typing import BinaryIO

from newsdesk.ingest.common import Dispatch, Items, Options, one_line
from newsdesk.model import Dropped
from newsdesk.stage import failure

__all__ = ["MAX_DEPTH", "MAX_MEMBERS", "MAX_RATIO", "gzip_documents", "inner_name", "zip_documents"]

#: Archives inside archives deeper than this are not opened.
MAX_DEPTH = 3
#: More members than this and the zip is refused outright.
MAX_MEMBERS = 100_000
#: A member inflating more than this many times its packed size is taken for a bomb...
MAX_RATIO = 200
#: ...once it inflates past this many bytes (small, very repetitive files are fine).
_RATIO_FLOOR = 1_000_000
GZIP_ERRORS = (OSError, EOFError, zlib.error)


def inner_name(name: str) -> str:
    """The name of the file inside a gzip: "page.html.gz" -> "page.html", "x.tgz" -> "x.tar"."""
    lower = name.lower()
    for suffix, replacement in ((".gz", ""), (".gzip", ""), (".tgz", ".tar")):
        if lower.endswith(suffix):
            return name[: -len(suffix)] + replacement
    return ""


def gzip_documents(label: str, name: str, stream: BinaryIO, depth: int, dispatch: Dispatch) -> Items:
    """The documents of the gzip-compressed file in ``stream``."""
    if depth >= MAX_DEPTH:
        yield Dropped(label, "ingest", f"archive nested more than {MAX_DEPTH} deep")
        return
    unpacked = gzip.GzipFile(fileobj=stream, mode="rb")
    try:
        unpacked.peek(1)  # reads the gzip header: a non-gzip file fails here
    except GZIP_ERRORS as exc:
        yield Dropped(label, "ingest", f"not a valid gzip file: {one_line(str(exc))}")
        return
    try:
        # Size unknown until inflated: the inner reader caps what it reads.
        yield from dispatch(label, inner_name(name), unpacked, None, depth + 1)  # type: ignore[arg-type]
    except GZIP_ERRORS as exc:
        yield Dropped(label, "ingest", f"gzip data is corrupt or truncated: {one_line(str(exc))}")


def zip_documents(label: str, stream: BinaryIO, options: Options, depth: int, dispatch: Dispatch) -> Items:
    """One entry per zip member: its documents, or why it was dropped."""
    if depth >= MAX_DEPTH:
        yield Dropped(label, "ingest", f"archive nested more than {MAX_DEPTH} deep")
        return
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        # NotImplementedError: a central directory asking for a zip version Python cannot read.
        yield failure(label, "ingest", exc, prefix="not a valid zip file: ", message_chars=200)
        return
    with archive:
        # Not ZipInfo.is_dir(): it fails on a member whose name is empty (a damaged directory).
        members = [m for m in archive.infolist() if not m.filename.endswith("/") and not _hidden(m.filename)]
        if len(members) > MAX_MEMBERS:
            yield Dropped(label, "ingest", f"zip has {len(members)} members, over the {MAX_MEMBERS}-member limit")
            return
        if not members:
            yield Dropped(label, "ingest", "zip holds no files")
        for member in members:
            where = f"{label}!{member.filename or '(a member with no name)'}"
            why = _member_problem(member, options.max_bytes)
            if why:
                yield Dropped(where, "ingest", why)
                continue
            try:
                with archive.open(member) as fh:
                    yield from dispatch(where, member.filename.rsplit("/", 1)[-1], fh, member.file_size, depth + 1)  # type: ignore[arg-type]
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, *GZIP_ERRORS) as exc:
                # A bad CRC, an unsupported compression method, a truncated archive, a member
                # offset pointing outside the file (zipfile seeks to it: ValueError).
                yield Dropped(where, "ingest", f"zip member unreadable: {one_line(str(exc))}")


def _member_problem(member: zipfile.ZipInfo, max_bytes: int) -> str | None:
    if member.flag_bits & 0x1:
        return "zip member is encrypted"
    if member.file_size > max_bytes:
        return f"zip member is {member.file_size} bytes uncompressed, over the {max_bytes}-byte limit"
    ratio = member.file_size / max(1, member.compress_size)
    if member.file_size > _RATIO_FLOOR and ratio > MAX_RATIO:
        return f"zip member inflates {ratio:.0f} times its packed size: looks like a zip bomb"
    return None


def _hidden(name: str) -> bool:
    """Hidden files and macOS resource forks: like hidden files in folders, not articles."""
    parts = name.split("/")
    return parts[0] == "__MACOSX" or any(p.startswith(".") for p in parts if p)
