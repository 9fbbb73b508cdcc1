"""Bytes to text: the encodings news files arrive in.

Takes raw bytes and gives a ``str``, or None when no encoding yields
readable text. Order: byte-order marks (UTF-8, UTF-16, UTF-32), strict UTF-8,
a charset declared in an HTML ``<meta>`` tag, charset-normalizer's guess, then
cp1252 and latin-1 (which always decode, so they go last and are checked for
control-character noise).
"""

from __future__ import annotations

import codecs
import re

__all__ = ["decode"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)


def decode(data: bytes) -> str | None:
    """Decode ``data`` to text; None only when every candidate gives garbage."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break  # a BOM followed by broken data: let the guessers try
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for candidate in _candidates(data):
        try:
            text = data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
        if _readable(text):
            return text
    return None


def _candidates(data: bytes) -> list[str]:
    names: list[str] = []
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        names.append(declared.group(1).decode("ascii").lower())
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
        if best is not None and best.encoding:
            names.append(best.encoding)
    except Exception:  # a guesser failure must not lose the document
        pass
    # Windows-1252 is what most mislabelled Western pages really are.
    names += ["cp1252", "latin-1"]
    return names


def _readable(text: str) -> bool:
    """False for text full of control or replacement characters (binary decoded as text)."""
    if not text.strip():
        return False
    sample = text[:20_000]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd" or 0x80 <= ord(ch) < 0xA0)
    return bad <= 0.02 * len(sample)
