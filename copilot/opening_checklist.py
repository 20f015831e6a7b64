"""The opening checklist (guideline 3.2-3.4), detected in counselor turns, and what it yields.

Four items, in the guideline's order: the counselor introduces themself (3.2), agrees on the
language (3.2), asks what the client likes to be called (3.3), and lets the client pick the
topic (3.4). Each is a small named, versioned rule set over one counselor message, so a
reviewer sees which words satisfied an item. The same detector classifies suggestion-bank
lines, so "suggest the missing step" and "check the step" can never disagree.

It also reads the answers: the nickname the client gave (kept for reflections and the
summary) and the language agreed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from copilot.transcript import Turn

ITEMS = ("introduction", "language", "nickname", "topic")
GUIDELINE = {"introduction": "3.2", "language": "3.2", "nickname": "3.3", "topic": "3.4"}
RULES_VERSION = "opening/1"

_I = re.IGNORECASE
_ME = r"(?:aku|saya|gue|gw|beta|kula|ulun|sa|kakak|abang|kita\s+pe\s+nama)"
_RULES: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    "introduction": (
        ("introduce", re.compile(r"\b(?:perkenalkan|kenalin|kenalkan|kita\s+kenalan)\b", _I)),
        ("my_name", re.compile(r"\bnama\s*(?:ku|saya|aku)\s+(?:adalah\s+)?\w+", _I)),
        # "Saya Kak Nadia, konselor di ..." / "Aku konselor yang ..." but not "saya sebagai konselor"
        (
            "i_am_counselor",
            re.compile(
                rf"\b{_ME}\s+(?!sebagai\b|juga\b|bukan\b|hanya\b|cuma\b|wajib\b|tidak\b|nggak\b|gak\b)"
                r"(?:[\w.]+,?\s+){0,3}?(?:seorang\s+)?(?:konselor|psikolog)\b",
                _I,
            ),
        ),
        (
            "i_am_from_app",
            re.compile(rf"\b{_ME}\s+(?:[\w.]+\s+){{1,3}}(?:dari|di)\s+aku\s+pintar\b", _I),
        ),
    ),
    "language": (
        ("bahasa", re.compile(r"(?<!tata )\b(?:bahasa|bhs|basa)\b", _I)),
        (
            "aku_kamu",
            re.compile(r"[\"'“]?aku-kamu[\"'”]?|\b(?:formal|baku)\s+atau\s+(?:yang\s+)?santai", _I),
        ),
    ),
    "nickname": (
        (
            "call_you",
            re.compile(
                r"\b(?:panggil|manggil|dipanggil|dipanggia|memanggil|panggilan\w*|sapaan|disapa|sebutan)\b",
                _I,
            ),
        ),
    ),
    "topic": (
        ("topic", re.compile(r"\btopik\w*\b", _I)),
        (
            "what_to_tell",
            re.compile(
                r"\b(?:mau|ingin|pengen|pengin|hendak)\s+(?:kamu\s+|anda\s+|bapak\s+|ibu\s+|\w+\s+)?"
                r"(?:cerita\w*|dicerita\w*|bahas|dibahas|membahas|bicara\w*|dibicara\w*|membicara\w*|"
                r"ngobrol\w*|diobrol\w*|ngomong\w*)\b[^.!]*\?",
                _I,
            ),
        ),
        (
            "tell_what",
            re.compile(
                r"\b(?:(?:cerita\w*|bahas|ngobrol\w*)\s+(?:soal\s+|tentang\s+)?|"
                r"(?:nanya|tanya\w*)\s+(?:soal|tentang)\s+)apa\b(?!\s+(?:aja|saja))",
                _I,
            ),
        ),
        (
            "anything_to",
            re.compile(
                r"\bada\s+(?:yang|yg)\s+(?:bisa|mau|ingin)\s+(?:\w+\s+)?(?:di)?(?:bantu|cerita\w*|bahas|obrol\w*)",
                _I,
            ),
        ),
        (
            "what_brings",
            re.compile(
                r"\b(?:apa\s+yang|ada\s+apa|lagi\s+kepikiran\s+apa|what'?s\s+on\s+your\s+mind)"
                r"(?:\s+(?:sedang|lagi|bikin|membuat)\s+(?:\w+\s+){0,3}(?:alami|buka|masuk|datang))?[^.!]*\?",
                _I,
            ),
        ),
    ),
}
# "what_brings" is broad ("apa yang ..."); it counts only with one of these beside it.
_WHAT_BRINGS_CUES = re.compile(
    r"\b(?:alami|buka|masuk|datang|membawa|bawa|ada\s+apa|kepikiran\s+apa|"
    r"on\s+your\s+mind)\b",
    _I,
)
# Offering the language ("mau ngobrol pakai bahasa ...?") is not asking for the topic.
_LANGUAGE_SENTENCE = re.compile(r"\b(?:bahasa|bhs)\b", _I)


@dataclass(frozen=True)
class ItemHit:
    item: str
    rule: str  # name@version
    start: int
    end: int
    text: str


def detect(text: str) -> list[ItemHit]:
    """Opening items one counselor message performs, with the span that shows each."""
    out: list[ItemHit] = []
    for item, rules in _RULES.items():
        for name, rx in rules:
            m = rx.search(text)
            if not m:
                continue
            if name == "what_brings" and not _WHAT_BRINGS_CUES.search(m.group(0)):
                continue
            if item == "topic" and _LANGUAGE_SENTENCE.search(
                _sentence_of(text, m.start(), m.end())
            ):
                continue
            if item == "nickname" and not _asks_or_confirms(text):
                continue
            out.append(ItemHit(item, f"{name}@{RULES_VERSION}", m.start(), m.end(), m.group(0)))
            break
    return out


def _sentence_of(text: str, start: int, end: int) -> str:
    s = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    e = min((i for i in (text.find(c, end) for c in ".!?\n") if i >= 0), default=len(text))
    return text[s : e + 1]


def _asks_or_confirms(text: str) -> bool:
    # "panggil" later in a session ("panggil bantuan") is not the nickname step: the step is a
    # question, or the counselor confirming the name they will use.
    return "?" in text or bool(
        re.search(r"\b(?:akan|boleh)\s+(?:\w+\s+)?(?:panggil|memanggil)", text, _I)
    )


@dataclass
class OpeningStatus:
    done: dict[str, ItemHit | None]
    turns: dict[str, int | None]  # index of the counselor turn that did each item
    nickname: str | None = None
    nickname_sources: list[int] = field(default_factory=list)
    language: str | None = None
    language_sources: list[int] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return [i for i in ITEMS if self.done[i] is None]

    @property
    def complete(self) -> bool:
        return not self.missing

    def as_dict(self) -> dict:
        return {
            "items": {i: self.turns[i] for i in ITEMS},
            "missing": self.missing,
            "complete": self.complete,
            "completion": round((4 - len(self.missing)) / 4, 2),
        }


def opening_status(turns: Sequence[Turn]) -> OpeningStatus:
    """Which items the counselor has done so far, and the nickname and language agreed."""
    done: dict[str, ItemHit | None] = dict.fromkeys(ITEMS)
    at: dict[str, int | None] = dict.fromkeys(ITEMS)
    for t in turns:
        if t.role != "counselor":
            continue
        for h in detect(t.text):
            if done[h.item] is None:
                done[h.item], at[h.item] = h, t.index
    st = OpeningStatus(done, at)
    if at["nickname"] is not None:
        st.nickname, st.nickname_sources = extract_nickname(turns, at["nickname"])
    if at["language"] is not None:
        st.language, st.language_sources = agreed_language(turns, at["language"])
    return st


# -- nickname ----------------------------------------------------------------------------------

HONORIFICS = (
    "pak",
    "bapak",
    "bu",
    "ibu",
    "mbak",
    "mba",
    "mas",
    "bang",
    "abang",
    "kak",
    "kakak",
    "om",
    "tante",
    "mama",
    "bunda",
    "cak",
    "uda",
    "uni",
    "kang",
    "teh",
    "bli",
    "dek",
    "oma",
    "opa",
    "nyong",
    "nona",
    "bung",
    "cik",
    "koh",
    "ci",
    "ko",
)
_NOT_A_NAME = set(HONORIFICS) | {
    "aja",
    "saja",
    "aj",
    "sj",
    "ya",
    "iya",
    "iye",
    "ok",
    "oke",
    "okee",
    "sip",
    "boleh",
    "panggil",
    "dipanggil",
    "manggil",
    "nama",
    "namaku",
    "namanya",
    "saya",
    "aku",
    "gue",
    "gw",
    "gua",
    "sy",
    "beta",
    "sa",
    "atau",
    "ato",
    "jo",
    "weh",
    "wae",
    "hehe",
    "wkwk",
    "haha",
    "eh",
    "nih",
    "deh",
    "dong",
    "sih",
    "kok",
    "lah",
    "ga",
    "gak",
    "nggak",
    "penting",
    "terserah",
    "bebas",
    "apa",
    "halo",
    "hai",
    "hi",
    "mau",
    "cerita",
    "kak",
    "yg",
    "yang",
    "sama",
    "adalah",
    "is",
    "call",
    "me",
    "just",
    "please",
    "tolong",
    "mohon",
    "ini",
    "itu",
    "kakak",
    "sayang",
    "udah",
    "dulu",
    "langsung",
    "sabar",
    "bisa",
    "cuma",
    "the",
    "my",
    "name",
    "sebut",
    "kalo",
    "kalau",
}
_FILLERS = {"aja", "saja", "ya", "iya", "kak", "kakak", "panggil", "dipanggil", "hehe", "wkwk"}
_WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'\-]*")


def _title(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:] for w in s.split())


def extract_nickname(turns: Sequence[Turn], asked_at: int) -> tuple[str | None, list[int]]:
    """The name the client gave after the counselor asked, preferring the form the counselor then used.

    Candidates are the non-filler words of the client's answer (with an honorific the client
    wrote, "pak marulak"); when the counselor's next turn uses one of them, that one wins
    ("nyong jo. atau rio" -> "Rio" when the counselor says "Oke Rio").
    """
    answer = next((t for t in turns if t.index > asked_at and t.role == "client"), None)
    if answer is None:
        return None, []
    words = _WORD.findall(answer.text)
    cands: list[str] = []
    for i, w in enumerate(words):
        lw = w.lower()
        if lw in _NOT_A_NAME or len(lw) < 1:
            continue
        prev = words[i - 1].lower() if i else ""
        cands.append(f"{prev} {lw}" if prev in HONORIFICS and prev not in {"kak", "kakak"} else lw)
    if not cands:  # "jo" is a Manado particle and a name: with nothing else, take the words left
        cands = [w.lower() for w in words if w.lower() not in _FILLERS]
    if not cands:
        return None, [asked_at, answer.index]
    reply = next((t for t in turns if t.index > answer.index and t.role == "counselor"), None)
    if reply is not None:
        low = reply.text.lower()
        for c in cands:
            if re.search(rf"\b{re.escape(c.split()[-1])}\b", low):
                return _title(c), [asked_at, answer.index, reply.index]
    # Short answers are names ("dimas aja"); in a long one the first name-like word is a guess.
    return _title(cands[0]), [asked_at, answer.index]


# -- language ----------------------------------------------------------------------------------

LANGUAGES = {
    "Indonesia": r"indonesia|indo|bahasa\s+kita",
    "Jawa": r"jawa|jowo|suroboyoan|ngapak",
    "Sunda": r"sunda",
    "Inggris": r"inggris|english",
    "Minang": r"minang",
    "Batak": r"batak",
    "Bali": r"bali",
    "Bugis": r"bugis|makassar",
    "Manado": r"manado",
    "Melayu": r"melayu",
}
_LANG_RX = {k: re.compile(rf"\b(?:{v})\b", _I) for k, v in LANGUAGES.items()}
_MIXED = re.compile(r"\b(?:campur\w*|mix|dicampur)\b", _I)


def languages_named(text: str) -> list[str]:
    """Languages a text names, in LANGUAGES order."""
    return [k for k, rx in _LANG_RX.items() if rx.search(text)]


def agreed_language(turns: Sequence[Turn], asked_at: int) -> tuple[str, list[int]]:
    """ "Indonesia", or "Indonesia campur Jawa" when the client takes a mixed offer."""
    question = next(t for t in turns if t.index == asked_at)
    answer = next((t for t in turns if t.index > asked_at and t.role == "client"), None)
    offered = languages_named(question.text)
    sources = [asked_at] + ([answer.index] if answer else [])
    if answer is None:
        return (offered[0] if offered else "Indonesia"), sources
    said = languages_named(answer.text)
    others = [x for x in offered + said if x != "Indonesia"]
    if _MIXED.search(answer.text) and others:
        return f"Indonesia campur {others[0]}", sources
    # The counselor's next turn may settle it ("bahasa Indonesia dulu ya").
    confirm = next((t for t in turns if t.index > answer.index and t.role == "counselor"), None)
    if (
        confirm is not None
        and _RULES["language"][0][1].search(confirm.text)
        and languages_named(confirm.text)
    ):
        return languages_named(confirm.text)[0], sources + [confirm.index]
    if said:
        return ("Indonesia" if "Indonesia" in said else said[0]), sources
    return (offered[0] if offered else "Indonesia"), sources
