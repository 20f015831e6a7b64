"""Encoding repairs for the raw public files (the files themselves are never edited)."""

from __future__ import annotations

import html
import re

import ftfy

_ESCAPE_RUN = re.compile(r"(?:\\x[0-9a-fA-F]{2})+")
_ESCAPE_BYTE = re.compile(r"\\x([0-9a-fA-F]{2})")
# "\x9" at the end of a tweet that the 280-character limit cut in the middle of an escape.
_PARTIAL_ESCAPE = re.compile(r"\\x[0-9a-fA-F]?(?![0-9a-fA-F])")
# What is left of a UTF-8 sequence that ftfy cannot repair: a lead byte read as Latin-1 whose
# continuation bytes were replaced by "?" by an earlier tool ("â??" was a curly quote, "ð???"
# an emoji) or cut off ("ðŸ«"). Continuations may show as C1, Latin-1 or cp1252 characters.
_CP1252_HIGH = bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")
_CONTINUATION = "?\u0080-\u00bf" + re.escape(_CP1252_HIGH)
_BROKEN_UTF8 = re.compile(f"[\u00c2-\u00f4][{_CONTINUATION}]{{0,3}}")
# Lead bytes of multi-byte sequences that never occur as letters in Indonesian or English text.
_MOJIBAKE_LEADS = "\u00c2\u00c3\u00e2\u00f0"
_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def fix_mojibake(text: str) -> str:
    """Repair UTF-8 that was decoded as Latin-1/cp1252 (``ðŸ˜”`` -> 😔) with ftfy."""
    return ftfy.fix_text(text, normalization="NFC")


def decode_byte_escapes(text: str) -> str:
    r"""Turn literal ``\xNN`` runs back into the UTF-8 characters they spell; drop invalid bytes.

    Literal ``\n`` becomes a newline: the Ibrohim files store both as two-character escapes.
    """

    def _decode(m: re.Match[str]) -> str:
        raw = bytes(int(h, 16) for h in _ESCAPE_BYTE.findall(m.group(0)))
        return raw.decode("utf-8", errors="replace").replace("\ufffd", "")

    text = _PARTIAL_ESCAPE.sub("", _ESCAPE_RUN.sub(_decode, text))
    return text.replace("\\n", "\n").replace("\\t", " ").replace("\\'", "'").replace('\\"', '"')


def drop_broken_utf8(text: str) -> str:
    """Remove lead-byte fragments whose continuation bytes were lost as ``?`` (see module note)."""

    def _drop(m: re.Match[str]) -> str:
        frag = m.group(0)
        # "café" keeps its é; fragments with a lost byte or a mojibake lead byte go.
        return "" if "?" in frag or frag[0] in _MOJIBAKE_LEADS else frag

    return _BROKEN_UTF8.sub(_drop, text)


def unescape_html(text: str) -> str:
    """``&amp;`` -> ``&``: tweets were scraped as HTML."""
    return html.unescape(text)


def tidy_whitespace(text: str) -> str:
    """Collapse runs of spaces and blank lines; strip the ends."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.replace("\r\n", "\n").split("\n")]
    return _BLANK_LINES.sub("\n", "\n".join(lines)).strip()
