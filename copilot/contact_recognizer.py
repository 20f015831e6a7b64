"""Contact details and off-platform invitations in a counselor's draft (guideline 2, 2.3, 2.4).

`ContactRecognizer.find` returns every contact detail in a draft -- phone numbers (also spelled
out in words or with letter look-alikes such as "08l2"), e-mails (also "budi (at) gmail (dot)
com"), @handles and "IG/line: name", messaging/social links, street addresses -- and marks
each one `allowed` when it is an official referral: a hotline from the allow-list (119,
SAPA 129, ...), an allow-listed clinic, or an address/number that the draft presents as a
referral ("RSJ Menur di Jl. ...") rather than as the counselor's own ("rumah saya di Jl. ...").
`personal` keeps only what would be `shares_contact`.

`find_off_platform` returns the cues that move counseling or a personal relationship outside
the app ("lanjut di WA", "DM aku", "ketemuan", "di luar aplikasi"); a negated cue ("saya tidak
bisa melayani di luar aplikasi") does not count.

The standard-format regexes are `copilot.pii`'s (one definition for logs and lint); this module
adds the obfuscated forms and the referral/personal decision. Pure standard library.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from copilot import pii
from copilot.risk_lexicon import (
    HARD_BOUNDARY,
    LexiconError,
    NormalizedText,
    Normalizer,
    PhraseCompiler,
    iter_spans,
)

LEXICON_DIR = Path(__file__).with_name("lexicon")
DEFAULT_ALLOW_LIST = LEXICON_DIR / "official_contacts.json"
DEFAULT_CUES = LEXICON_DIR / "off_platform_id.json"

PHONE, EMAIL, HANDLE, LINK, ADDRESS, HOTLINE = "phone", "email", "handle", "link", "address", "hotline"
KINDS = (EMAIL, LINK, PHONE, HOTLINE, ADDRESS, HANDLE)  # also the tie-break order between overlaps


@dataclass(frozen=True)
class ContactHit:
    """A contact detail in a draft; ``allowed`` when it is an official referral (``reason`` says why)."""

    kind: str
    start: int
    end: int
    text: str
    allowed: bool
    reason: str | None
    recognizer: str = ""  # "name@version" of the pattern that found it


@dataclass(frozen=True)
class OffPlatformHit:
    """A cue that moves the conversation outside the app."""

    start: int
    end: int
    text: str
    rule: str
    suppressed_by: str | None = None


# --------------------------------------------------------------------------------------
# Recognizers beyond copilot.pii: obfuscated phones and e-mails, social ids, links, places
# --------------------------------------------------------------------------------------

# digit words in Indonesian, English, Javanese and Sundanese ("nol delapan", "kosong dalapan")
_DIGIT_WORDS = {
    "nol": "0", "kosong": "0", "zero": "0", "enol": "0",
    "satu": "1", "one": "1", "siji": "1", "hiji": "1", "setunggal": "1",
    "dua": "2", "two": "2", "loro": "2", "kalih": "2",
    "tiga": "3", "three": "3", "telu": "3", "tilu": "3", "tigo": "3",
    "empat": "4", "four": "4", "papat": "4", "opat": "4", "sekawan": "4",
    "lima": "5", "five": "5", "limo": "5", "gangsal": "5",
    "enam": "6", "six": "6", "enem": "6", "genep": "6",
    "tujuh": "7", "seven": "7", "pitu": "7",
    "delapan": "8", "eight": "8", "wolu": "8", "dalapan": "8",
    "sembilan": "9", "nine": "9", "songo": "9", "salapan": "9", "sanga": "9",
    "plus": "+",
}
# letters typed for digits inside a number ("08l2", "O812"); only in tokens that hold digits
_LOOKALIKE = {"l": "1", "I": "1", "i": "1", "o": "0", "O": "0", "s": "5", "S": "5", "z": "2", "Z": "2", "B": "8"}
_NUM_TOKEN = re.compile(r"[A-Za-z]+|\d+|\+|[^\sA-Za-z\d]")
_NUM_SEPARATORS = frozenset("-.,()/ ")

_EMAIL_OBFUSCATED = re.compile(
    r"(?i)(?<![\w.])[a-z0-9._%+-]+(?:\s?[\[(]\s?(?:dot|titik)\s?[\])]\s?[a-z0-9._%+-]+)*"
    r"\s?(?:[\[(]\s?(?:at|et|@)\s?[\])]|\s(?:at|@)\s)\s?[a-z0-9-]+"
    r"(?:\s?(?:[\[(]\s?(?:dot|titik)\s?[\])]|\s(?:dot|titik)\s|\.)\s?[a-z]{2,})+"
)
_PLATFORM_LINK = re.compile(
    r"(?i)(?<![\w./])(?:https?://)?(?:www\.)?(?:wa\.me|api\.whatsapp\.com|chat\.whatsapp\.com|t\.me|telegram\.me|"
    r"instagram\.com|instagr\.am|(?:vt\.|vm\.)?tiktok\.com|line\.me|lin\.ee|zoom\.us|meet\.google\.com|"
    r"facebook\.com|fb\.me|m\.me|twitter\.com|x\.com|linktr\.ee|bit\.ly|s\.id|youtube\.com|youtu\.be|"
    r"discord\.gg|discord\.com|medium\.com|linkedin\.com|threads\.net)(?:/[^\s<>\"]*)?"
)
_SOCIAL = (r"(?:ig|instagram|insta|line|id\s?line|line\s?id|tiktok|twitter|telegram|tele|skype|discord|steam|"
           r"spotify|fb|facebook|linkedin|threads|snapchat|medium|youtube|yt|username|user\s?name|uname|id|akun|"
           r"channel|kanal|podcast|blog|behance)")
_SOCIAL_ID = re.compile(
    r"(?i)\b" + _SOCIAL + r"\b(?:\s+(?:aku|ku|saya|gue|gw|abdi|kula|nya|dengan|pribadi))?\s*(?:[:=]|\bdi\b)?\s*"
    r"(?P<q>[\"“'])?(?P<h>@?[A-Za-z0-9_][A-Za-z0-9_.#:]{2,40})(?(q)[\"”'])"
)
_SOCIAL_NAME = re.compile(
    r"\b(?:(?i:fb|facebook|linkedin|messenger|youtube|kompasiana|researchgate|medium)\b[^.\n]{0,25}?|(?i:cari(?:\s+aja)?|nama\s+(?:saya|aku)))"
    r"\s*[:,]?\s*(?P<h>[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+(?:,\s*[A-Z]\.?\s?[A-Za-z]+\.?)?)"
)
_PLACE = (r"(?:ruko|rusun(?:awa)?|cluster|klaster|kos(?:t|an)?|asrama|gedung|menara|wisma|graha|dusun|dsn|"
          r"desa|perum(?:ahan)?|komp(?:lek|leks)?|griya|apartemen|apt)")
_ADDRESS_PLACE = re.compile(
    r"(?i)(?<![\w-])" + _PLACE + r"\.?\s+(?:[\w'./-]+,?\s+){0,5}?"
    r"(?:(?:no|nomor|blok|kav|kavling|km|lantai|lt|sektor|rt|rw|kamar|unit|tower)\.?\s*[a-z]?[-\s]?\d+[a-z]?|blok\s+[A-Z]\b)"
    r"(?:[-/]\d+)?(?:\s*(?:no|nomor)\.?\s*\d+[a-z]?)?"
)
# "Jl. Veteran", "Jl. Dr. Wahidin 15": a named street; without a number it only counts when the
# draft says it is the counselor's own ("itu rumah aku")
_STREET_NAMED = re.compile(r"\b(?:Jl|Jln|Jalan)\.?\s+(?:[A-Z][\w'-]*\.?\s?){1,5}(?:\s?\d+[A-Za-z]?\b)?")
_ADDRESS_BLOCK = re.compile(r"(?i)(?<![\w-])(?:blok|blk)\.?\s*[a-z]{1,2}\s?-?\s?\d+[a-z]?(?:\s*(?:no|nomor)\.?\s*\d+)?")


def _digit_view(text: str) -> list[tuple[str, int, int]]:
    """Tokens of ``text`` with digit words and look-alike letters read as digits."""
    out = []
    for m in _NUM_TOKEN.finditer(text):
        tok = m.group()
        if tok.isdigit() or tok == "+":
            out.append((tok, m.start(), m.end()))
        elif tok.isalpha() and tok.lower() in _DIGIT_WORDS:
            out.append((_DIGIT_WORDS[tok.lower()], m.start(), m.end()))
        elif tok.isalpha() and len(tok) <= 2 and all(c in _LOOKALIKE for c in tok):
            out.append(("?" + "".join(_LOOKALIKE[c] for c in tok), m.start(), m.end()))
        else:
            out.append((tok, m.start(), m.end()))
    return out


def _spelled_phones(text: str) -> Iterator[tuple[int, int]]:
    """Phone numbers written as digit runs: "0-8-1-5...", "nol delapan satu dua", "08l2 3434"."""
    run: list[tuple[str, int, int]] = []
    prev_end = 0
    for tok, s, e in [*_digit_view(text), ("", len(text), len(text))]:
        digitish = tok.isdigit() or tok == "+" or (tok.startswith("?") and run)
        gap = text[prev_end:s]
        if digitish and (not run or set(gap) <= _NUM_SEPARATORS):
            run.append((tok.lstrip("?"), s, e))
            prev_end = e
            continue
        if tok in _NUM_SEPARATORS or (tok and set(tok) <= _NUM_SEPARATORS):
            continue  # separators between digit groups
        if run:
            span = _phone_span(run)
            if span:
                yield span
        run = [(tok.lstrip("?"), s, e)] if (tok.isdigit() or tok == "+") else []
        prev_end = e


def _phone_span(run: Sequence[tuple[str, int, int]]) -> tuple[int, int] | None:
    digits = "".join(t for t, _, _ in run).lstrip("+")
    if not digits.isdigit() or _national(digits) is None:
        return None
    return run[0][1], run[-1][2]


def _national(digits: str) -> str | None:
    """'08...'-form of an Indonesian phone number, or None when it is not one."""
    if digits.startswith("62"):
        digits = "0" + digits[2:]
    elif digits.startswith("8"):
        digits = "0" + digits
    if not digits.startswith("0"):
        return None
    rest = digits[1:]
    if rest.startswith("8") and 9 <= len(rest) <= 12:
        return digits
    if rest[:1] in "234567" and 8 <= len(rest) <= 11:
        return digits
    return None


Finder = Callable[[str], Iterator[tuple[int, int]]]


def _regex_spans(pattern: re.Pattern[str], group: str | int = 0) -> Finder:
    def find(text: str) -> Iterator[tuple[int, int]]:
        for m in pattern.finditer(text):
            s, e = m.span(group)
            while e > s and text[e - 1] in ".,;:!?)]}'\"”":
                e -= 1
            if e > s:
                yield s, e
    return find


def _pii_spans(rec: pii.Recognizer) -> Finder:
    return lambda text: ((s.start, s.end) for s in rec.find(text))


def _social_ids(text: str) -> Iterator[tuple[int, int]]:
    pos = 0
    while (m := _SOCIAL_ID.search(text, pos)) is not None:
        pos = m.start() + 1  # a rejected "line dengan ID" must not hide "ID: psikolog_yuni"
        handle = m.group("h").rstrip(".:")
        keyword_sep = text[m.start():m.start("h")]
        # "IG aku @x" is the @-recognizer's; here: "line aku: rizky_konsel", "ID: psikolog_yuni"
        if handle.startswith("@") or handle.lower() in _NOT_HANDLES or len(handle) < 3:
            continue
        marked = bool(re.search(r"[:=\"“']", keyword_sep)) or m.group("q")
        if marked or re.search(r"[_.#:\d]", handle):
            yield m.start("h"), m.start("h") + len(handle)
            pos = m.end("h")


_NOT_HANDLES = frozenset(
    "aja saja ya yah deh dong kok sih juga yang yg di ke dan atau kamu anda aku saya itu ini nya lagi juga "
    "nanti biar buat untuk sama dulu terus aplikasi app mbak mas kak kakak bu ibu pak bapak dek adek teh kang "
    "bang abang sis bro".split())

_PII_KIND = {pii.PHONE: PHONE, pii.EMAIL: EMAIL, pii.URL: LINK, pii.USER: HANDLE, pii.ADDRESS: ADDRESS}
RECOGNIZERS: tuple[tuple[str, str, Finder], ...] = (
    *((f"pii.{r.name}@{r.version}", _PII_KIND[r.kind], _pii_spans(r)) for r in pii.RECOGNIZERS
      if r.kind in _PII_KIND),
    ("phone_spelled@1", PHONE, _spelled_phones),
    ("email_obfuscated@1", EMAIL, _regex_spans(_EMAIL_OBFUSCATED)),
    ("platform_link@1", LINK, _regex_spans(_PLATFORM_LINK)),
    ("social_id@1", HANDLE, _social_ids),
    ("social_name@1", HANDLE, _regex_spans(_SOCIAL_NAME, "h")),
    ("address_place@1", ADDRESS, _regex_spans(_ADDRESS_PLACE)),
    ("address_block@1", ADDRESS, _regex_spans(_ADDRESS_BLOCK)),
    ("street_name@1", ADDRESS, _regex_spans(_STREET_NAMED)),
)
_NEEDS_PERSONAL_CUE = frozenset({"street_name@1"})


# --------------------------------------------------------------------------------------
# The allow-list and the referral/personal decision
# --------------------------------------------------------------------------------------

def _digits(text: str) -> str:
    return re.sub(r"\D", "", text.translate(str.maketrans(
        {k: v for k, v in _LOOKALIKE.items()})))


def _address_key(text: str) -> str:
    s = re.sub(r"(?i)\b(?:jalan|jln)\b\.?", "jl", text.lower())
    s = re.sub(r"(?i)\b(?:nomor|nmr)\b", "no", s)
    return re.sub(r"[^a-z0-9]+", " ", s).strip()


@dataclass(frozen=True)
class AllowList:
    """Official contacts that are referrals, not personal details (see official_contacts.json)."""

    name: str
    version: str
    phones: Mapping[str, str]  # national digits ("08111129129", "119") -> what it is
    emails: Mapping[str, str]
    domains: tuple[str, ...]
    handles: Mapping[str, str]
    addresses: Mapping[str, str]  # normalised address -> what it is
    referral_cues: tuple[str, ...] = ()
    personal_cues: tuple[str, ...] = ()

    @classmethod
    def load(cls, path: str | Path | None = None) -> AllowList:
        """Read an allow-list file (default: the one shipped in copilot/lexicon/)."""
        path = Path(path) if path is not None else DEFAULT_ALLOW_LIST
        try:
            return cls.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError as exc:
            raise LexiconError(f"E-CON-001 allow-list file not found: {path}") from exc
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise LexiconError(f"E-CON-002 {path} is not a valid allow-list: {exc}") from exc

    @classmethod
    def from_dict(cls, data: Mapping) -> AllowList:
        def named(entries: Iterable, key: str, norm) -> dict[str, str]:
            out = {}
            for e in entries:
                value, label = (e[key], e.get("name", e[key])) if isinstance(e, Mapping) else (e, e)
                out[norm(str(value))] = str(label)
            return out

        return cls(
            name=str(data.get("name", "allow_list")),
            version=str(data.get("version", "0")),
            phones=named(data.get("phones", ()), "number", lambda v: _national(_digits(v)) or _digits(v)),
            emails=named(data.get("emails", ()), "email", str.lower),
            domains=tuple(str(d).lower() for d in data.get("domains", ())),
            handles=named(data.get("handles", ()), "handle", lambda v: v.lower().lstrip("@")),
            addresses=named(data.get("addresses", ()), "address", _address_key),
            referral_cues=tuple(data.get("referral_cues", ())),
            personal_cues=tuple(data.get("personal_cues", ())),
        )

    def extended(self, data: Mapping) -> AllowList:
        """This allow-list plus the entries of ``data`` (same layout as the JSON file)."""
        more = AllowList.from_dict(data)
        return replace(
            self,
            phones={**self.phones, **more.phones}, emails={**self.emails, **more.emails},
            domains=self.domains + more.domains, handles={**self.handles, **more.handles},
            addresses={**self.addresses, **more.addresses},
            referral_cues=self.referral_cues + more.referral_cues,
            personal_cues=self.personal_cues + more.personal_cues,
        )

    def official(self, kind: str, text: str) -> str | None:
        """What an allow-listed contact is, or None."""
        if kind in (PHONE, HOTLINE):
            digits = _digits(text.split("ext")[0])
            return self.phones.get(_national(digits) or digits)
        if kind == EMAIL:
            email = text.lower()
            return self.emails.get(email) or next(
                (f"official domain {d}" for d in self.domains if email.endswith("@" + d) or email.endswith("." + d)), None)
        if kind == LINK:
            host = re.sub(r"(?i)^(?:https?://)?(?:www\.)?", "", text).split("/")[0].lower()
            return next((f"official domain {d}" for d in self.domains if host == d or host.endswith("." + d)), None)
        if kind == HANDLE:
            return self.handles.get(text.lower().lstrip("@"))
        if kind == ADDRESS:
            key = _address_key(text)
            return next((label for addr, label in self.addresses.items() if addr and (addr in key or key in addr)), None)
        return None


# --------------------------------------------------------------------------------------
# The recognizer
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _CueRule:
    id: str
    pattern: re.Pattern[str]


@dataclass
class _Cues:
    normalizer: Normalizer
    negators: re.Pattern[str]
    referral: re.Pattern[str] | None
    personal: re.Pattern[str] | None
    off_platform: tuple[_CueRule, ...] = field(default_factory=tuple)
    idioms: re.Pattern[str] | None = None
    retractions: re.Pattern[str] | None = None  # "kita tetap di aplikasi": the draft keeps to the app
    question_tags: re.Pattern[str] | None = None  # "mau gak kita lanjut di WA?" asks, it does not deny


class ContactRecognizer:
    """Finds contact details and off-platform cues in counselor drafts."""

    name = "contact_recognizer"
    version = "1.0.0"
    context_window = 12  # words before a contact searched for referral/personal cues

    def __init__(self, allow_list: AllowList | Mapping | str | Path | None = None,
                 cues_path: str | Path | None = None):
        """``allow_list``: an AllowList, a path to one, or a dict whose entries extend the shipped list."""
        base = AllowList.load()
        if isinstance(allow_list, AllowList):
            self.allow_list = allow_list
        elif isinstance(allow_list, Mapping):
            self.allow_list = base.extended(allow_list)  # operators add clinics to the defaults
        elif allow_list is not None:
            self.allow_list = AllowList.load(allow_list)
        else:
            self.allow_list = base
        self._cues = _load_cues(Path(cues_path) if cues_path else DEFAULT_CUES, self.allow_list)
        self._hotline = _hotline_pattern(self.allow_list)

    # ---- contact details -----------------------------------------------------------------

    def find(self, text: str) -> list[ContactHit]:
        """Every contact detail in ``text``, allowed (official referral) or not, by position."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        candidates = [(s, e, kind, rec) for rec, kind, finder in RECOGNIZERS for s, e in finder(text)]
        if self._hotline is not None:
            candidates += [(m.start(), m.end(), HOTLINE, "hotline@1") for m in self._hotline.finditer(text)]
        chosen: list[tuple[int, int, str, str]] = []
        for s, e, kind, rec in sorted(candidates, key=lambda c: (-(c[1] - c[0]), KINDS.index(c[2]), c[0])):
            if all(e <= cs or s >= ce for cs, ce, _, _ in chosen):
                chosen.append((s, e, kind, rec))
        if not chosen:
            return []
        nt = self._cues.normalizer.normalize(text)
        hits = []
        for s, e, kind, rec in sorted(chosen):
            allowed, reason = self._decide(kind, text[s:e], nt, s, e)
            if rec in _NEEDS_PERSONAL_CUE and not re.search(r"\d", text[s:e]) and not (
                    reason or "").startswith("personal context"):
                continue  # "lewat Jl. Veteran" is a place, not an address someone shares
            hits.append(ContactHit(kind, s, e, text[s:e], allowed, reason, rec))
        return hits

    def personal(self, text: str) -> list[ContactHit]:
        """Only the contact details that are the counselor's own (would be `shares_contact`)."""
        return [h for h in self.find(text) if not h.allowed]

    def _decide(self, kind: str, found: str, nt: NormalizedText, start: int, end: int) -> tuple[bool, str | None]:
        if kind == HOTLINE:
            return True, f"official hotline: {self.allow_list.official(HOTLINE, found) or found}"
        official = self.allow_list.official(kind, found)
        if official:
            return True, f"allow-list: {official}"
        if kind in (LINK, HANDLE):
            return False, None  # a link or account is the counselor's own unless allow-listed
        cue = self._context(nt, start, end)
        if cue and cue[0] == "referral":
            return True, f"referral context: {cue[1]!r}"
        return False, f"personal context: {cue[1]!r}" if cue else None

    def _context(self, nt: NormalizedText, start: int, end: int) -> tuple[str, str] | None:
        """('personal'|'referral', cue) for the clause around a contact; a personal cue wins."""
        tokens = nt.tokens
        first = next((i for i, t in enumerate(tokens) if t.oend > start), len(tokens))
        last = next((i for i, t in enumerate(tokens) if t.ostart >= end), len(tokens))
        lo = first
        while lo > 0 and first - lo < self.context_window and tokens[lo - 1].text != HARD_BOUNDARY:
            lo -= 1
        hi = last
        while hi < len(tokens) and hi - last < 6 and tokens[hi].text != HARD_BOUNDARY:
            hi += 1
        if lo >= len(tokens):
            return None
        a = tokens[lo].start
        b = tokens[hi - 1].end if hi > lo else a
        found: dict[str, str] = {}
        for kind, pattern in (("personal", self._cues.personal), ("referral", self._cues.referral)):
            if pattern is None:
                continue
            for s, e in iter_spans(pattern, nt.padded, a, b):
                cue_first = next(i for i, t in enumerate(tokens) if t.end > s)
                if kind == "personal" and self._negated(tokens, cue_first, s, e):
                    continue
                found.setdefault(kind, nt.text[s:e])
        if "personal" in found:
            return "personal", found["personal"]
        if "referral" in found:
            return "referral", found["referral"]
        return None

    def _negated(self, tokens, first: int, s: int, e: int) -> bool:
        """A negator in or up to three words before a cue: "aku gak buka praktek"."""
        window = [t for t in tokens[max(0, first - 3):] if t.start < e]
        return any(self._cues.negators.fullmatch(t.text) for t in window if not t.is_boundary)

    # ---- off-platform cues ---------------------------------------------------------------

    def find_off_platform(self, text: str, include_suppressed: bool = False) -> list[OffPlatformHit]:
        """Cues that move counseling or a relationship off the app ("lanjut di WA", "ketemuan")."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, not {type(text).__name__}")
        nt = self._cues.normalizer.normalize(text)
        padded = nt.padded
        idioms = list(iter_spans(self._cues.idioms, padded)) if self._cues.idioms else []
        retracted = bool(self._cues.retractions and self._cues.retractions.search(padded))
        hits: list[tuple[OffPlatformHit, int, int]] = []
        for rule in self._cues.off_platform:
            for s, e in iter_spans(rule.pattern, padded):
                why = None
                if any(s < ie and is_ < e for is_, ie in idioms):
                    why = "idiom"
                elif self._negated_cue(nt, s):
                    why = "negation"
                elif retracted:
                    why = "stays_in_app"
                os_, oe = nt.original_span(s, e)
                hits.append((OffPlatformHit(os_, oe, text[os_:oe], rule.id, why), s, e))
        chosen: list[tuple[OffPlatformHit, int, int]] = []
        for hit, s, e in sorted(hits, key=lambda h: (h[0].suppressed_by is not None, -(h[2] - h[1]), h[1])):
            if all(e <= cs or s >= ce for _, cs, ce in chosen):
                chosen.append((hit, s, e))
        out = [h for h, _, _ in sorted(chosen, key=lambda c: c[1])]
        return out if include_suppressed else [h for h in out if h.suppressed_by is None]

    def _negated_cue(self, nt: NormalizedText, start: int) -> bool:
        """A negator up to five words before the cue, in the same clause."""
        tokens = nt.tokens
        first = next((i for i, t in enumerate(tokens) if t.end > start), len(tokens))
        window = tokens[max(0, first - 5):first]
        for i in range(len(window) - 1, -1, -1):
            t = window[i]
            if t.is_boundary:
                return False
            if self._cues.negators.fullmatch(t.text):
                tag = self._cues.question_tags
                return not (i > 0 and tag is not None and tag.fullmatch(window[i - 1].text))
        return False


# ---- loading ------------------------------------------------------------------------------

def _hotline_pattern(allow: AllowList) -> re.Pattern[str] | None:
    """Short official numbers (119, 1500-567) as they are typed, with "ext 8" tails."""
    shorts = sorted((n for n in allow.phones if n.isdigit() and len(n) <= 8), key=len, reverse=True)
    if not shorts:
        return None
    alts = ["[\\s.-]?".join(re.escape(c) for c in n) for n in shorts]
    return re.compile(r"(?<![\d+])(?:" + "|".join(alts) + r")(?:\s*(?:ext|ekst|ekstensi|extension)\.?\s*\d{1,3})?(?![\d])")


def _load_cues(path: Path, allow: AllowList) -> _Cues:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LexiconError(f"E-CON-003 off-platform cue file not found: {path}") from exc
    except json.JSONDecodeError as exc:
        raise LexiconError(f"E-CON-004 {path} is not valid JSON: {exc}") from exc
    norm = Normalizer(data.get("abbreviations", {}))
    pc = PhraseCompiler(norm, data.get("classes", {}))
    if "negators" not in data or "self" not in data:
        raise LexiconError(f"E-CON-005 {path}: needs 'negators' and 'self' word lists")
    pc.add_class("SELF", data["self"])
    negators = re.compile("|".join(pc.token_regex(w) for w in data["negators"]))
    neg_fill = pc.token_regex("|".join(data["negators"]))
    rules = tuple(
        _CueRule(r["id"], pc.compile_many(r["phrases"], 0, f"{path}: rule {r['id']!r}", neg_fill))
        for r in data.get("rules", ())
    )
    idiom_phrases = [p for i in data.get("idioms", ()) for p in i["phrases"]]
    return _Cues(
        normalizer=norm,
        negators=negators,
        referral=pc.compile_many(allow.referral_cues, 0, "referral_cues") if allow.referral_cues else None,
        personal=pc.compile_many(allow.personal_cues, 0, "personal_cues") if allow.personal_cues else None,
        off_platform=rules,
        idioms=pc.compile_many(idiom_phrases, 0, f"{path}: idioms") if idiom_phrases else None,
        retractions=pc.compile_many(data["retractions"], 0, f"{path}: retractions") if data.get("retractions") else None,
        question_tags=re.compile("|".join(pc.token_regex(w) for w in data["question_tags"])) if data.get("question_tags") else None,
    )
