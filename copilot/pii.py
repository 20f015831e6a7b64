"""Regex recognisers for Indonesian personal data: log redaction and contact detection.

Pure standard library, so the runtime, the training data pipeline and log handlers can all
share one definition. Every span says which recognizer (name@version) produced it, so a
`shares_contact` flag or a redaction can always be traced back to a rule.

Recall is preferred over precision: a missed phone number in a log is a privacy incident,
an over-redacted harmless number is not.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

PHONE = "PHONE"
EMAIL = "EMAIL"
URL = "URL"
USER = "USER"
NIK = "NIK"
ADDRESS = "ADDRESS"
KINDS = (EMAIL, URL, PHONE, NIK, ADDRESS, USER)  # also the tie-break order between overlaps
PLACEHOLDERS = {kind: f"<{kind}>" for kind in KINDS}

# Characters that end a sentence rather than a URL or handle ("lihat bit.ly/abc.").
_TRAILING_PUNCT = ".,;:!?)]}'\"…"


@dataclass(frozen=True)
class PiiSpan:
    """One piece of personal data found in a text, and the recognizer that found it."""

    kind: str
    start: int
    end: int
    text: str
    recognizer: str  # "name@version"


@dataclass(frozen=True)
class Recognizer:
    """A named, versioned regex; ``refine`` may trim or reject a raw match."""

    name: str
    version: str
    kind: str
    pattern: re.Pattern[str]
    refine: Callable[[str], str | None] | None = None

    def find(self, text: str) -> Iterator[PiiSpan]:
        """Yield every span of ``text`` this recognizer accepts."""
        for m in self.pattern.finditer(text):
            found = m.group(0)
            if self.refine is not None:
                found = self.refine(found)
                if not found:
                    continue
            yield PiiSpan(self.kind, m.start(), m.start() + len(found), found,
                          f"{self.name}@{self.version}")


def _strip_trailing_punct(s: str) -> str | None:
    return s.rstrip(_TRAILING_PUNCT) or None


def _refine_mobile(s: str) -> str | None:
    """Keep a mobile number only with 9-12 digits after the prefix; trim over-captured groups."""
    while True:
        digits = re.sub(r"\D", "", s)
        national = digits[2:] if digits.startswith("62") else digits[1:]
        if len(national) <= 12:
            return s if len(national) >= 9 else None
        # A trailing group of another number ("0812 3456 7890 12 orang") was swallowed.
        trimmed = re.sub(r"[\s.\-]*\d+$", "", s)
        if trimmed == s:
            return None
        s = trimmed


def _refine_landline(s: str) -> str | None:
    digits = re.sub(r"\D", "", s)
    national = digits[2:] if digits.startswith("62") else digits[1:]
    return s if 8 <= len(national) <= 11 else None


def _refine_handle(s: str) -> str | None:
    s = s.rstrip(".")
    # "@5000" is Indonesian shorthand for a unit price, not an account.
    return s if re.search(r"[A-Za-z_]", s[1:]) else None


_MOBILE = re.compile(
    r"(?<![\w+])"
    r"(?:\+62|\(\+62\)|62|\(?0)"  # country code or trunk zero
    r"[\s.\-]?\(?8\d{1,3}\)?"  # 8xx operator prefix
    r"(?:[\s.\-]?\d{2,5}){1,4}"  # the rest, in groups as people type them
    r"(?!\d)"
)
_LANDLINE = re.compile(
    r"(?<![\w+])"
    r"(?:\+62[\s.\-]?\(?|\(?0)"
    r"[2-7]\d{0,2}\)?"  # area code without its zero: 21 (Jakarta), 274 (Yogya)
    r"[\s.\-]?\d{3,4}[\s.\-]?\d{3,5}"
    r"(?!\d)"
)
_EMAIL = re.compile(
    r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])"
)
# "budi [at] gmail [dot] com", "budi (at) gmail (titik) com": spelled out to dodge filters.
_EMAIL_SPELLED = re.compile(
    r"(?i)(?<![\w.])[a-z0-9._%+-]+\s?[\[(]\s?(?:at|et)\s?[\])]\s?[a-z0-9-]+"
    r"(?:\s?[\[(]\s?(?:dot|titik)\s?[\])]\s?[a-z0-9-]+)+"
)
_URL_SCHEME = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"]+")
_TLDS = (
    "com|net|org|id|me|ly|ee|io|co|gl|app|link|xyz|info|biz|tv|to|gg|site|online|page|"
    "social|chat|bio|cc"
)
_URL_BARE = re.compile(
    r"(?i)(?<![\w@./-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:" + _TLDS + r")"
    r"(?:\.[a-z]{2})?(?![\w-])(?:/[^\s<>\"]*)?"
)
_HANDLE = re.compile(r"(?<![\w@./])@[A-Za-z0-9_][A-Za-z0-9_.]{0,29}")
_NIK = re.compile(r"(?<![\d])\d{4}([ .\-]?)\d{4}\1\d{4}\1\d{4}(?![\d])")
_STREET = r"(?:jl|jln|jalan|gg|gang|perum|perumahan|komplek|kompleks|komp)"
_HOUSE_NO = r"(?:no|nomor|nmr|blok)\.?\s*[a-z]?\d+[a-z]?"
_RT_RW = r"(?:\s*[,/]?\s*(?:rt|rw)\.?\s*\d+(?:\s*/\s*(?:rw\.?\s*)?\d+)?)*"
# Words after "jalan" that make it the verb "to walk/go" ("jalan ke mall no 1 di kota").
_NOT_A_STREET = r"(?!(?:ke|di|dari|sama|bareng|bersama|kaki|terus|pulang|sendiri|lagi|aja|yuk)\b)"
_ADDRESS_NUMBERED = re.compile(
    r"(?i)(?<![\w-])" + _STREET + r"\.?\s+" + _NOT_A_STREET
    + r"(?:[\w'./-]+,?\s+){0,6}?"  # street name, lazily so it stops at the first house number
    + _HOUSE_NO + r"(?:\s*(?:no|nomor)\.?\s*\d+[a-z]?)?" + _RT_RW
)
# "Jl. Kenanga 12": the dotted abbreviation plus capitalised words is specific enough to
# accept without "No.", which bare "jalan" ("jalan kaki 2 jam") is not.
_ADDRESS_ABBREV = re.compile(
    r"\b(?:Jl|Jln)\.\s*[A-Z][\w'-]*(?:\s+[A-Z][\w'-]*){0,4}\s+\d+[A-Za-z]?\b"
)

RECOGNIZERS: tuple[Recognizer, ...] = (
    Recognizer("email", "1", EMAIL, _EMAIL),
    Recognizer("email_spelled", "1", EMAIL, _EMAIL_SPELLED),
    Recognizer("url_scheme", "1", URL, _URL_SCHEME, _strip_trailing_punct),
    Recognizer("url_bare", "1", URL, _URL_BARE, _strip_trailing_punct),
    Recognizer("phone_mobile_id", "1", PHONE, _MOBILE, _refine_mobile),
    Recognizer("phone_landline_id", "1", PHONE, _LANDLINE, _refine_landline),
    Recognizer("nik", "1", NIK, _NIK),
    Recognizer("address_numbered", "1", ADDRESS, _ADDRESS_NUMBERED),
    Recognizer("address_abbrev", "1", ADDRESS, _ADDRESS_ABBREV),
    Recognizer("handle", "1", USER, _HANDLE, _refine_handle),
)


def find_pii(text: str, recognizers: Iterable[Recognizer] = RECOGNIZERS) -> list[PiiSpan]:
    """Return non-overlapping personal-data spans of ``text``, ordered by position.

    Overlaps are resolved longest first (a wa.me link beats the phone number inside it),
    then by the order of ``KINDS``.
    """
    candidates = [span for rec in recognizers for span in rec.find(text)]
    candidates.sort(key=lambda s: (-(s.end - s.start), KINDS.index(s.kind), s.start))
    chosen: list[PiiSpan] = []
    for span in candidates:
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def redact(text: str, kinds: Iterable[str] | None = None) -> str:
    """Replace personal data with placeholders such as ``<PHONE>``; ``kinds`` limits which."""
    wanted = set(KINDS if kinds is None else kinds)
    unknown = wanted - set(KINDS)
    if unknown:
        raise ValueError(f"unknown PII kinds {sorted(unknown)}; known: {list(KINDS)}")
    out: list[str] = []
    pos = 0
    for span in find_pii(text):
        if span.kind not in wanted:
            continue
        out.append(text[pos:span.start])
        out.append(PLACEHOLDERS[span.kind])
        pos = span.end
    out.append(text[pos:])
    return "".join(out)
