"""Gentler Indonesian rewordings for counselor drafts flagged `judgmental` or `imposes_beliefs`.

Rule based and phrase aware: each rule (a small named, versioned regex) recognises one kind of
judging or belief-imposing phrase and offers several alternatives in the guideline's spirit
(item 4.2: no judging; 4.3: validate, reflect, never push personal beliefs). The alternative
replaces the whole sentence that holds the phrase, and follows the draft's register ("Anda"
or "kamu"). When the model flags a draft that no rule recognises, reflective alternatives for
the flagged sentence are offered under the rule name `generic`.

No alternative may itself match a rule: a test re-lints every one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

JUDGMENTAL = "judgmental"
IMPOSES_BELIEFS = "imposes_beliefs"
LABELS = (JUDGMENTAL, IMPOSES_BELIEFS)

_YOU = r"(?:kamu|kau|kamu tuh|lo|lu|elo|elu|anda)"
_NOT = r"(?:gak|ga|nggak|ngga|enggak|tidak|tak|g)"


@dataclass(frozen=True)
class Rule:
    name: str
    version: str
    label: str
    pattern: re.Pattern[str]
    alternatives: tuple[str, ...]


def _rx(p: str) -> re.Pattern[str]:
    return re.compile(p, re.IGNORECASE)


RULES: tuple[Rule, ...] = (
    Rule("why_didnt_you", "1", JUDGMENTAL,
         _rx(rf"\bkenapa\s+(?:sih\s+|dong\s+|coba\s+)?{_YOU}\s+{_NOT}\s+(?:dari\s+dulu\s+|dari\s+awal\s+)?\w+"),
         ("Apa yang selama ini membuatmu bertahan dalam situasi itu?",
          "Sepertinya keputusan itu tidak mudah untukmu. Apa saja yang kamu pertimbangkan?",
          "Boleh ceritakan apa yang membuat langkah itu terasa berat untuk diambil?")),
    Rule("your_fault", "1", JUDGMENTAL,
         _rx(rf"\b(?:salah\s*mu|salah\s+{_YOU}(?:\s+sendiri)?|{_YOU}\s+(?:sendiri\s+)?yang\s+salah|"
             r"salah\s+sendiri|makanya\s+jangan)\b"),
         ("Sepertinya kamu merasa ikut bertanggung jawab atas apa yang terjadi. Boleh ceritakan lebih lanjut?",
          "Bagaimana kejadian itu menurut sudut pandangmu?",
          "Mari kita lihat bersama bagian mana yang bisa kamu pengaruhi ke depannya.")),
    Rule("labels_the_client", "1", JUDGMENTAL,
         _rx(rf"\b(?:{_YOU}\s+(?:itu\s+|tuh\s+)?terlalu\s+\w+|"
             r"terlalu\s+(?:sensitif|baper|lebay|berlebihan|dramatis|perasa|lemah|manja)|"
             rf"{_YOU}\s+(?:itu\s+|tuh\s+|memang\s+|emang\s+)?(?:lebay|cengeng|baperan|baper|manja|"
             r"bodoh|egois|payah|kekanak-kanakan|lemah))\b"),
         ("Sepertinya hal ini sangat menyentuh perasaanmu.",
          "Perasaanmu masuk akal. Bagian mana yang paling berat untukmu?",
          "Boleh ceritakan apa yang membuatmu merasa seperti ini?")),
    Rule("minimises", "1", JUDGMENTAL,
         _rx(r"\b(?:(?:gitu|begitu|gini|begini|itu)\s+(?:aja|saja|doang)\s+(?:kok\s+)?"
             r"(?:sedih|nangis|menangis|marah|stres|galau|dipikirin|dipikirkan|takut|panik)|"
             r"(?:masalah|hal)\s+(?:sepele|kecil|remeh)|"
             r"(?:lebih\s+)?banyak\s+(?:orang\s+)?yang\s+lebih\s+(?:susah|parah|menderita)|"
             r"jangan\s+(?:lebay|cengeng|baper|manja))\b"),
         ("Kedengarannya ini cukup berat untukmu.",
          "Apa yang membuat hal ini terasa begitu berat?",
          "Wajar kalau kamu merasa seperti itu. Boleh ceritakan lebih lanjut?")),
    Rule("should_have", "1", JUDGMENTAL,
         _rx(rf"\b(?:(?:harusnya|seharusnya|mestinya|semestinya|harusnya\s+sih)\s+{_YOU}|"
             rf"{_YOU}\s+(?:harusnya|seharusnya|mestinya|semestinya))\b"),
         ("Bagaimana kalau kita lihat pilihan apa saja yang kamu punya sekarang?",
          "Menurutmu, apa yang bisa kamu lakukan ke depannya?",
          "Kalau melihat ke belakang, apa yang kamu pelajari dari situasi itu?")),
    Rule("disbelief", "1", JUDGMENTAL,
         _rx(r"\b(?:masa|masak)\s+(?:sih\s+)?(?:gitu|begitu|cuma|aja|gara-gara)\b"),
         ("Boleh ceritakan lebih lanjut apa yang terjadi?",
          "Apa yang paling membuatmu terganggu dari kejadian itu?",
          "Sepertinya ini penting untukmu. Bagaimana perasaanmu tentang hal itu?")),
    Rule("deserved_it", "1", JUDGMENTAL,
         _rx(rf"\b(?:wajar|pantas|pantes|pantesan|pantaslah)\s+(?:saja\s+|aja\s+|lah\s+)?"
             rf"(?:{_YOU}|dia)\s+(?:di\w+|kena\s+\w+)"),
         ("Apa pun yang terjadi, kamu tidak pantas diperlakukan seperti itu. Bagaimana perasaanmu sekarang?",
          "Kedengarannya kejadian itu menyakitkan. Apa yang paling kamu butuhkan saat ini?",
          "Boleh ceritakan bagaimana kejadian itu memengaruhi dirimu?")),
    Rule("prescribes_worship", "1", IMPOSES_BELIEFS,
         _rx(rf"\b(?:{_YOU}\s+)?(?:harus|wajib|perlu|mesti|sebaiknya|coba)\s+(?:lebih\s+)?(?:banyak\s+|rajin\s+)?"
             r"(?:berdoa|doa|beribadah|ibadah|sholat|salat|shalat|solat|ngaji|mengaji|ke\s+gereja|"
             r"sembahyang|bertobat|tobat|taubat|istighfar|beriman|mendekatkan\s+diri|dekat\s+dengan\s+tuhan)\b"),
         ("Apa yang biasanya membantumu merasa lebih tenang?",
          "Kalau keyakinan atau ibadah berarti untukmu, apakah itu bisa menjadi salah satu sumber kekuatanmu?",
          "Apa saja yang selama ini menguatkanmu saat menghadapi masa sulit?")),
    Rule("sin_and_punishment", "1", IMPOSES_BELIEFS,
         _rx(r"\b(?:dosa|berdosa|haram|azab|murtad|kafir|neraka|karma|"
             r"(?:tidak|gak|nggak|ga)\s+(?:diridhoi|diridai|direstui\s+tuhan)|"
             r"aib|memalukan\s+keluarga|tidak\s+sesuai\s+(?:agama|ajaran))\b"),
         ("Bagaimana pandanganmu sendiri tentang hal ini?",
          "Apa yang penting bagimu dalam mengambil keputusan ini?",
          "Sepertinya ada banyak hal yang kamu pertimbangkan. Boleh ceritakan?")),
    Rule("lacks_faith", "1", IMPOSES_BELIEFS,
         _rx(r"\bkurang\s+(?:bersyukur|syukur|iman|beriman|ikhlas|sabar|tawakal)\b|"
             rf"\b{_NOT}\s+(?:bersyukur|beriman|ikhlas)\b|"
             r"\bkurang\s+dekat\s+(?:dengan|sama|kepada)\s+(?:tuhan|allah|yang\s+di\s+atas)\b|"
             r"\b(?:ini|itu|semua\s+ini)\s+(?:ujian|cobaan|teguran)\s+(?:dari\s+)?(?:tuhan|allah)\b"),
         ("Kedengarannya kamu sedang melalui masa yang berat. Apa yang paling kamu butuhkan sekarang?",
          "Perasaanmu wajar. Bagaimana kamu biasanya menghadapi masa sulit seperti ini?",
          "Apa yang selama ini memberimu kekuatan?")),
    Rule("if_i_were_you", "1", IMPOSES_BELIEFS,
         _rx(r"\b(?:kalau|kalo|jika|seandainya)\s+(?:aku|saya|gue|gw)\s+"
             r"(?:jadi\s+(?:kamu|kau|anda|lo|lu)|di\s+posisi\s*(?:mu|kamu|anda))\b"),
         ("Menurutmu, pilihan apa saja yang ada?",
          "Apa yang paling penting buatmu dalam situasi ini?",
          "Pilihan mana yang paling sesuai dengan apa yang kamu inginkan?")),
    Rule("prescribes_roles", "1", IMPOSES_BELIEFS,
         _rx(r"\b(?:(?:cerai|bercerai|pisah|berpisah)\s+(?:itu\s+)?(?:dosa|aib|memalukan|tidak\s+baik|gak\s+baik|dilarang)|"
             r"(?:perempuan|wanita|istri|laki-laki|lelaki|pria|suami|anak)\s+(?:itu\s+)?"
             r"(?:harus|seharusnya|wajib|kodratnya|sudah\s+kodratnya)\s+\w+)"),
         ("Apa yang menurutmu terbaik untuk dirimu dan keluargamu?",
          "Bagaimana kamu sendiri memandang pilihan-pilihan yang ada?",
          "Apa harapanmu untuk hubungan ini ke depannya?")),
)

GENERIC = {
    JUDGMENTAL: ("Sepertinya ini berat untukmu. Boleh ceritakan lebih lanjut?",
                 "Apa yang kamu rasakan tentang hal itu?",
                 "Menurutmu, apa yang paling kamu butuhkan saat ini?"),
    IMPOSES_BELIEFS: ("Bagaimana pandanganmu sendiri tentang hal ini?",
                      "Apa yang penting bagimu dalam situasi ini?",
                      "Apa yang biasanya membantumu merasa lebih tenang?"),
}


@dataclass(frozen=True)
class PhraseMatch:
    label: str
    rule: str  # name@version
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Rewording:
    """One offending sentence of a draft and gentler ways to say it."""

    label: str
    rule: str
    start: int  # the offending phrase
    end: int
    text: str
    sentence_start: int  # the sentence the alternatives replace
    sentence_end: int
    alternatives: tuple[str, ...]
    rewritten: tuple[str, ...]  # the whole draft with the sentence replaced by each alternative


def find_phrases(text: str, labels: tuple[str, ...] = LABELS) -> list[PhraseMatch]:
    """Every rule match in ``text`` for ``labels``, by position."""
    out = [PhraseMatch(r.label, f"{r.name}@{r.version}", m.start(), m.end(), m.group(0))
           for r in RULES if r.label in labels for m in r.pattern.finditer(text)]
    return sorted(out, key=lambda p: (p.start, p.end))


_SENTENCE_END = re.compile(r"[.!?…]+[\"')\]]*\s+|\n+")


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (by . ! ? … or newline) around ``text[start:end]``."""
    s = 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() <= start:
            s = m.end()
        elif m.start() >= end:
            return s, m.start() + len(m.group(0).rstrip())
    return s, len(text.rstrip())


_FORMAL = re.compile(r"\b(?:anda|bapak|ibu|saudara)\b", re.IGNORECASE)
_MU = re.compile(r"\b(untuk|bagi|perasaan|diri|keluarga|kekuatan|pandangan|harapan|sudut pandang)mu\b")


def _register(alternative: str, formal: bool) -> str:
    """Follow the draft's register: "Anda" drafts get "Anda" alternatives."""
    if not formal:
        return alternative
    out = _MU.sub(lambda m: f"{m.group(1)} Anda", alternative)
    out = re.sub(r"\b([Mm])enurutmu\b", r"\1enurut Anda", out)
    out = re.sub(r"\bmembuatmu\b", "membuat Anda", out)
    out = re.sub(r"\bmenguatkanmu\b", "menguatkan Anda", out)
    out = re.sub(r"\bmemberimu\b", "memberi Anda", out)
    out = re.sub(r"\bbuatmu\b", "buat Anda", out)
    out = re.sub(r"\bbagimu\b", "bagi Anda", out)
    out = re.sub(r"\bmembantumu\b", "membantu Anda", out)
    out = re.sub(r"\bKamu\b", "Anda", out)
    return re.sub(r"\bkamu\b", "Anda", out)


def suggest(text: str, label: str, spans: list[tuple[int, int]] | None = None) -> list[Rewording]:
    """Rewordings for every offending sentence of ``text`` under ``label``.

    Rule matches come first; a span the model flagged that no rule explains gets the
    generic reflective alternatives for its sentence.
    """
    if label not in LABELS:
        raise ValueError(f"no rewording for label {label!r}; only {LABELS}")
    formal = bool(_FORMAL.search(text))
    out: list[Rewording] = []
    covered: list[tuple[int, int]] = []
    rules = {f"{r.name}@{r.version}": r for r in RULES}
    for p in find_phrases(text, (label,)):
        s, e = sentence_bounds(text, p.start, p.end)
        if any(s == cs for cs, _ in covered):
            continue  # one rewording per sentence: the first rule that explains it
        covered.append((s, e))
        out.append(_make(text, label, p.rule, p.start, p.end, s, e, rules[p.rule].alternatives, formal))
    for start, end in spans or []:
        start, end = max(0, start), min(len(text), end)
        if end <= start:
            continue
        s, e = sentence_bounds(text, start, end)
        if any(cs <= start < ce for cs, ce in covered):
            continue
        covered.append((s, e))
        out.append(_make(text, label, "generic@1", start, end, s, e, GENERIC[label], formal))
    return sorted(out, key=lambda r: r.start)


def _make(text: str, label: str, rule: str, start: int, end: int, s: int, e: int,
          alternatives: tuple[str, ...], formal: bool) -> Rewording:
    alts = tuple(_register(a, formal) for a in alternatives)
    return Rewording(
        label=label, rule=rule, start=start, end=end, text=text[start:end],
        sentence_start=s, sentence_end=e, alternatives=alts,
        rewritten=tuple(text[:s] + a + text[e:] for a in alts),
    )
