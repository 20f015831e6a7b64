"""Reflections made from the client's own words (guideline 4.3): the feeling and the content, said back.

The content is a clause of the client's last message with the pronouns shifted to the
counselor's voice (aku/saya/gue/gw -> kamu; suamiku -> suamimu; with a formal counselor,
"suami Anda" or "suami Bapak"), chat abbreviations spelled out and fillers dropped. The
feeling is the model's emotion for that message. The nickname agreed in the opening is kept.

This is rule-based on purpose: it only rearranges what the client wrote. Whether the result
is a clean reflection is decided afterwards by the same counselor lint and skill head as every
other suggestion (`copilot.suggest`), never assumed here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from copilot.opening_checklist import HONORIFICS
from copilot.risk_lexicon import DEFAULT_PATH as LEXICON_PATH
from copilot.transcript import Turn

VERSION = "reflection/1"
MAX_WORDS = 16
COMBINED_MAX_WORDS = 11  # "feeling, karena <content>" gets long fast

# How the counselor says "you feel ..." for each emotion id (labels.EMOTIONS); netral has none.
FEELING = {
    "sedih": "sedih",
    "marah": "kesal",
    "cemas": "cemas",
    "kecewa": "kecewa",
    "bersalah": "bersalah",
    "putus_asa": "lelah dan putus asa",
    "kesepian": "kesepian",
    "senang": "lega",
}

_FIRST_PERSON = {
    "aku",
    "saya",
    "sy",
    "gue",
    "gua",
    "gw",
    "ane",
    "ak",
    "sa",
    "beta",
    "kula",
    "ulun",
    "ku",
    "aq",
}
_PROCLITIC_KU = {
    "kurasa",
    "kupikir",
    "kukira",
    "kubilang",
    "kutahu",
    "kuanggap",
    "kulakukan",
    "kulihat",
    "kudengar",
    "kuingat",
    "kurasakan",
    "kuharap",
}
# Words that end in "ku" without it being "my".
_KU_ROOTS = {
    "buku",
    "kuku",
    "laku",
    "saku",
    "suku",
    "paku",
    "kaku",
    "baku",
    "beku",
    "siku",
    "teku",
    "berlaku",
    "selaku",
    "perilaku",
    "tingkahlaku",
    "bangku",
    "sebangku",
    "tungku",
    "cuku",
}
_ADDRESS_CLIENT_TO_COUNSELOR = {
    "kak",
    "kakak",
    "ka",
    "kaka",
    "mbak",
    "mba",
    "mas",
    "bu",
    "pak",
    "bang",
    "kang",
    "da",
    "uni",
    "om",
    "bro",
    "sis",
    "dok",
    "bund",
}
_SECOND_PERSON = re.compile(r"\b(?:kamu|kakak|lo|lu|elo|elu|anda|kalian|konselor)\b", re.IGNORECASE)
_FILLERS = re.compile(
    r"\b(?:sih|deh|dong|nih|kok|lho|loh|lah|kan|toh|tuh|wkwk\w*|hehe\w*|haha\w*|huhu\w*|hiks|hmm+|"
    r"jujur(?:\s+aja)?|sebenernya|sebenarnya|pokoknya|gitu|begitu|kayaknya|btw|anyway)\b",
    re.IGNORECASE,
)
_LEADING = re.compile(
    r"^(?:(?:iya|iyaa+|ya|yaa+|yap|oke|ok|okee+|hmm+|eh|ehm|nah|terus|trus|jadi|tapi|tp|"
    r"soalnya|karena|krn|dan|sama|pokoknya|intinya)\b[\s,]*|"
    # an answer word before a comma ("Belum, saya pikir ..."): the rest is what to reflect
    r"(?:belum|betul|benar|bener|tidak|nggak|ngga|gak|ga|enggak|sudah|udah|pernah)\s*,\s*)",
    re.IGNORECASE,
)
_INSULTS = re.compile(
    r"\b(?:anjing|anjir|bangsat|goblok|goblog|tolol|bego|bodoh|babi|kampret|brengsek|sialan|tai|asu|"
    r"jancok|jancuk|cok|bajingan|setan|keparat|kontol|memek|ngentot|pepek|lonte|perek)\b",
    re.IGNORECASE,
)
_VOCATIVE = re.compile(
    r"\b(?:kak|kakak|ka|kaka|mbak|mba|mas|bu|pak|bang|kang|da|uni|om|bro|sis|dok)\b(?=\s*[,.!?]|\s*$)",
    re.IGNORECASE,
)
_DANGLING = {
    "ke",
    "di",
    "dan",
    "yang",
    "yg",
    "biar",
    "nggak",
    "jadi",
    "sama",
    "dari",
    "untuk",
    "karena",
    "buat",
    "atau",
    "tapi",
    "kalau",
    "dengan",
    "sampai",
    "sampe",
    "terus",
    "pas",
    "waktu",
    "lagi",
}
_EMOJI = re.compile("[\U0001f000-\U0001faff\u2600-\u27bf\ufe0f\u200d]+")
_CLAUSE = re.compile(
    r"[.!?;\n]+|,\s*(?=(?:tapi|tp|padahal|terus|trus|sampai|sampe)\b)|\s+(?=(?:tapi|tp|padahal)\s)"
)
_TOKEN = re.compile(r"[\w'-]+|[^\w\s]", re.UNICODE)


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """Chat abbreviations -> full words."""
    # One list of chat abbreviations for the runtime: the crisis lexicon's (data, not code).
    data = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    abbr = {k: v for k, v in data.get("abbreviations", {}).items() if " " not in k}
    abbr.update(
        {
            "gk": "nggak",
            "ga": "nggak",
            "gak": "nggak",
            "g": "nggak",
            "tdk": "tidak",
            "dr": "dari",
            "pd": "pada",
            "sdg": "sedang",
            "bbrp": "beberapa",
            "ttg": "tentang",
            "bnyk": "banyak",
            "sgt": "sangat",
            "tmn": "teman",
            "temen": "teman",
            "ortu": "orang tua",
            "bkn": "bukan",
            "jg": "juga",
            "aja": "saja",
            "udh": "sudah",
            "udah": "sudah",
            "dah": "sudah",
            "blm": "belum",
            "gimana": "bagaimana",
            "gmn": "bagaimana",
            "bgt": "banget",
        }
    )
    return abbr


@dataclass(frozen=True)
class Reflection:
    text: str
    kind: str  # "feeling" | "content" | "feeling+content"
    source_turn: int
    span: tuple[int, int] | None  # the client's words it reflects, in that turn's text
    emotion: str | None


def formal_register(turns: Sequence[Turn]) -> bool:
    """Does the counselor speak formally ("saya", "Anda", "Bapak/Ibu") rather than "aku/kamu"?"""
    you = address_term(turns)
    if you in ("Anda", "Bapak", "Ibu"):
        return True
    if you != "kamu":
        return False
    text = " ".join(t.text for t in turns if t.role == "counselor")
    formal = len(re.findall(r"\b(?:saya|Anda)\b", text, re.IGNORECASE))
    casual = len(re.findall(r"\b(?:aku|kamu|gue|gw|lo|lu)\b", text, re.IGNORECASE))
    return formal > casual


def address_term(turns: Sequence[Turn]) -> str:
    """How this counselor says "you": kamu, Anda, or the honorific they use (Bapak, Ibu, Mbak ...)."""
    counts: dict[str, int] = {}
    terms = ("kamu", "Anda", "Bapak", "Ibu", "Mbak", "Mas", "Abang", "Bunda", "Mama", "Om", "Adek")
    for t in turns:
        if t.role != "counselor":
            continue
        for term in terms:
            n = len(
                re.findall(rf"\b{term}(?:mu)?\b", t.text, re.IGNORECASE if term == "kamu" else 0)
            )
            if term == "kamu":
                n += len(re.findall(r"\w{3,}mu\b", t.text))
            counts[term] = counts.get(term, 0) + n
    best = max(counts.items(), key=lambda kv: kv[1], default=("kamu", 0))
    return best[0] if best[1] else "kamu"


def shift_pronouns(fragment: str, you: str = "kamu") -> str:
    """Client's first person -> the counselor's second person ("suamiku" -> "suamimu")."""
    informal = you == "kamu"
    out: list[str] = []
    for tok in _TOKEN.findall(fragment):
        low = tok.lower()
        if low in _FIRST_PERSON:
            out.append(you)
        elif low in _PROCLITIC_KU:
            out.append(f"{you} {low[2:]}")
        elif low.endswith("ku") and len(low) > 4 and low not in _KU_ROOTS and low.isalpha():
            stem = tok[:-2]
            out.append(f"{stem}mu" if informal else f"{stem} {you}")
        else:
            out.append(tok)
    text = ""
    for tok in out:
        text += (
            tok if (not text or re.fullmatch(r"[^\w\s]", tok) and tok not in "([\"'") else " " + tok
        )
    return text


def _normalise(clause: str) -> str:
    abbr = abbreviations()
    words = []
    for w in clause.split():
        core = w.strip(",").lower()
        m = re.fullmatch(r"([a-z]+)2([a-z]*)", core)  # temen2 -> teman-teman
        if m:
            base = abbr.get(m.group(1), m.group(1))
            words.append(f"{base}-{base}{m.group(2)}")
            continue
        words.append(abbr.get(core, w.strip(",")) if core in abbr else w.rstrip(","))
    text = " ".join(words)
    text = _FILLERS.sub(" ", text)
    text = _EMOJI.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip(" ,-")
    prev = None
    while prev != text:
        prev = text
        text = _LEADING.sub("", text).strip(" ,")
    # Drop the client's vocative to the counselor ("..., kak") at either end.
    ws = text.split()
    while ws and ws[-1].lower().strip(",") in _ADDRESS_CLIENT_TO_COUNSELOR:
        ws.pop()
    while ws and ws[0].lower().strip(",") in _ADDRESS_CLIENT_TO_COUNSELOR:
        ws.pop(0)
    return " ".join(ws).strip(" ,")


def _clauses(text: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, clause, is_question) for each clause of ``text``."""
    out, pos = [], 0
    for m in list(_CLAUSE.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        piece = text[pos:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((pos + lead, end, piece.strip(), bool(m and "?" in m.group(0))))
        pos = m.end() if m else len(text)
    return out


def _score(raw: str, norm: str) -> float:
    n = len(norm.split())
    if n < 4 or "?" in raw or _SECOND_PERSON.search(raw) or _INSULTS.search(raw):
        return -1.0
    s = min(n, MAX_WORDS) / MAX_WORDS
    if re.search(r"\b(?:aku|saya|sy|gue|gw|gua|sa|beta)\b|\w{3,}ku\b", raw, re.IGNORECASE):
        s += 0.5  # about the client themself
    if n > MAX_WORDS:
        s -= 0.4
    return s


def _best_clause(text: str, avoid: Sequence[tuple[int, int]]) -> tuple[int, int, str] | None:
    best, best_s = None, 0.0
    for start, end, raw, question in _clauses(_VOCATIVE.sub(lambda m: " " * len(m.group(0)), text)):
        if question or any(s < end and start < e for s, e in avoid):
            continue
        norm = _normalise(raw)
        sc = _score(raw, norm)
        if sc > best_s:
            best, best_s = (start, end, norm), sc
    if best is None:
        return None
    start, end, norm = best
    words = norm.split()[:MAX_WORDS]
    while words and words[-1].lower() in _DANGLING:
        words.pop()
    if words and not words[0].isupper():  # it goes mid-sentence: "..., karena sedang musim audit"
        words[0] = words[0][:1].lower() + words[0][1:]
    return start, end, " ".join(words)


def reflect(
    turn: Turn,
    nickname: str | None = None,
    you: str = "kamu",
    avoid: Sequence[tuple[int, int]] = (),
) -> list[Reflection]:
    """Up to two reflections of one client turn: feeling+content (or feeling alone) and content.

    ``avoid`` holds spans not to say back (crisis evidence: the protocol handles those).
    """
    if turn.role != "client":
        raise ValueError("reflections are made from client turns")
    if (
        "abusive" in turn.flags
        or _INSULTS.search(turn.text)
        and len(_INSULTS.findall(turn.text)) > 1
    ):
        return []
    feeling = FEELING.get(turn.emotion or "")
    clause = _best_clause(turn.text, avoid)
    content = shift_pronouns(clause[2], you) if clause else None
    name = f", {nickname}" if nickname else ""
    subject = you
    if nickname and you not in ("kamu", "Anda") and nickname.split()[0].lower() in HONORIFICS:
        subject, name = (
            nickname,
            "",
        )  # "Kedengarannya Pak Marulak merasa ...", not "Bapak ..., Pak Marulak"
    out: list[Reflection] = []
    if feeling and content and len(content.split()) <= COMBINED_MAX_WORDS:
        out.append(
            Reflection(
                f"Kedengarannya {subject} merasa {feeling}{name}, karena {content}.",
                "feeling+content",
                turn.index,
                clause[:2],
                turn.emotion,
            )
        )
    elif feeling:
        out.append(
            Reflection(
                f"Kedengarannya {subject} merasa {feeling} dengan semua ini{name}.",
                "feeling",
                turn.index,
                None,
                turn.emotion,
            )
        )
    if content:
        tail = f", {nickname}" if nickname else ""
        out.append(
            Reflection(f"Jadi, {content}{tail}.", "content", turn.index, clause[:2], turn.emotion)
        )
    return [Reflection(_capitalise(r.text), r.kind, r.source_turn, r.span, r.emotion) for r in out]


def _capitalise(s: str) -> str:
    s = re.sub(r"\s+([,.])", r"\1", s)
    s = re.sub(r"\.\.+$", ".", s)
    return s[:1].upper() + s[1:]


def summarize(
    turns: Sequence[Turn],
    nickname: str | None = None,
    you: str = "kamu",
    k: int = 3,
    avoid: dict[int, Sequence[tuple[int, int]]] | None = None,
) -> Reflection | None:
    """A summary in the client's own words: one clause from each of up to ``k`` recent client
    turns, oldest first ("Jadi, sejauh ini ...: A, B, dan C.")."""
    picked: list[tuple[int, str]] = []
    for t in reversed([t for t in turns if t.role == "client"]):
        if len(picked) == k:
            break
        if "abusive" in t.flags:
            continue
        c = _best_clause(t.text, (avoid or {}).get(t.index, ()))
        if c and len(c[2].split()) <= COMBINED_MAX_WORDS:
            picked.append((t.index, shift_pronouns(c[2], you)))
    if len(picked) < 2:
        return None
    parts = [p for _, p in reversed(picked)]
    body = ", ".join(parts[:-1]) + f", dan {parts[-1]}"
    who = nickname if nickname and you not in ("kamu", "Anda") else you
    name = f", {nickname}" if nickname and who != nickname else ""
    text = _capitalise(f"Jadi, sejauh ini yang {who} ceritakan{name}: {body}.")
    return Reflection(text, "summary", picked[0][0], None, None)
