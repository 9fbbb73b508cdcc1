"""Bytes to text: the encodings news files arrive in.

Takes raw bytes and gives a ``str``, or None when no encoding yields
readable text. Order: byte-order marks (UTF-8, UTF-16, UTF-32), strict UTF-8,
UTF-8 with a few stray bytes (a Latin-1 "ø" pasted into a UTF-8 file: the
stray bytes are read as Windows-1252 and the rest stays UTF-8, so one bad byte
costs nothing else), a charset declared in an HTML ``<meta>`` tag, Windows-1252 when the result
reads as Western text with a few accented letters (charset-normalizer
misreads short Western snippets as UTF-16 or Central European), then
charset-normalizer's guess, then cp1252 and latin-1 (latin-1 always decodes,
so every candidate is checked for control-character noise).
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
_WEB_ENCODINGS = frozenset(
    ("utf_8", "cp1252", "cp1251", "cp1250", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257")
    + ("iso8859_2", "iso8859_5", "iso8859_7", "iso8859_9", "koi8_r", "gb18030", "gb2312", "big5")
    + ("shift_jis", "cp932", "euc_jp", "euc_kr", "cp949", "tis_620", "cp874")
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
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        # Valid UTF-8 can still be binary (control bytes); no other codec would fix that.
        return text if _readable(text) else None
    mixed = _utf8_with_stray_bytes(data)
    if mixed is not None and _readable(mixed):
        return mixed
    for candidate in _candidates(data):
        try:
            text = data.decode(candidate)
        except (UnicodeDecodeError, LookupError):
            continue
        if _readable(text):
            return text
    return None


_STRAY = re.compile("[\udc80-\udcff]")


def _utf8_with_stray_bytes(data: bytes) -> str | None:
    """UTF-8 text in which a few bytes are not UTF-8, those bytes read as Windows-1252;
    None when the stray bytes outnumber the valid multi-byte characters (then the
    file is in a single-byte encoding throughout)."""
    text = data.decode("utf-8", errors="surrogateescape")
    stray = len(_STRAY.findall(text))
    multibyte = sum(1 for c in text if ord(c) > 127) - stray
    if multibyte == 0 or stray > multibyte:
        return None
    return _STRAY.sub(lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252", errors="replace"), text)


def _western(data: bytes) -> bool:
    """True when cp1252 reads ``data`` as mostly-ASCII Latin text with scattered accents or curly quotes.

    Cyrillic or Greek bytes also decode under cp1252, but then nearly every
    letter is non-ASCII; real Western text keeps that share low.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return False
    letters = [c for c in text if c.isalpha()]
    high = [c for c in text if ord(c) > 127]
    if not letters or not high:
        return False
    plausible = all(c.isalpha() or c in "“”‘’–—…€•«»°©®™·§¶£" or c == "\xa0" for c in high)
    accented = sum(1 for c in high if c.isalpha())
    return plausible and accented <= 0.4 * len(letters)


def _candidates(data: bytes) -> list[str]:
    names: list[str] = []
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        names.append(declared.group(1).decode("ascii").lower())
    if _western(data):
        names.append("cp1252")
    try:
        from charset_normalizer import from_bytes

        matches = list(from_bytes(data[:200_000]))
        if matches:
            # Near-ties are common between a web encoding and a rare one
            # (cp1251 vs mac_cyrillic); the web one is the likelier truth.
            least = min(m.chaos for m in matches)
            close = [m.encoding for m in matches if m.chaos <= least + 0.01]
            names.append(next((e for e in close if e in _WEB_ENCODINGS), close[0]))
    except Exception:  # noqa: BLE001, S110 - a guesser failure must not lose the document
        pass
    # Windows-1252 is what most mislabelled Western pages really are.
    names += ["cp1252", "latin-1"]
    return names


# Control characters but tab and line breaks, the replacement character, and C1 controls.
_UNREADABLE = re.compile("[\x00-\x08\x0b\x0e-\x1f\ufffd\x80-\x9f]")


def _readable(text: str) -> bool:
    """False for text full of control or replacement characters (binary decoded as text)."""
    if not text.strip():
        return False
    sample = text[:20_000]
    return len(_UNREADABLE.findall(sample)) <= 0.02 * len(sample)
