"""Guideline steps detected in counselor messages: the referrals of item 8/9/10 and the key actions.

Referral ids are those of `labels.REFERRALS` (the summary's `tindakan_rujukan`); the other
steps are the protocol actions that are not referrals (ask directly about suicide, weigh the
consequences, check safety now, name abusive behaviour calmly). Each detector is a named,
versioned pattern and a hit keeps its span, so the summary and the review can show the words
that count as the step. The same detector classifies the suggestion bank's protocol lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from copilot.labels import REFERRALS
from copilot.protocols import PROTOCOLS
from copilot.transcript import RaisedAlert, Turn

RULES_VERSION = "steps/1"
_I = re.IGNORECASE
_W = r"(?:[\w'-]+\s+)"  # one word and its space

_PATTERNS: dict[str, re.Pattern[str]] = {
    "119": re.compile(r"(?<!\d)119(?!\d)|\blayanan\s+darurat\b", _I),
    "dokter": re.compile(
        r"\b(?:dokter(?!\s+jiwa)|puskesmas|klinik(?!\s+jiwa)|"
        r"periksa\w*\s+(?:diri\s+)?ke\s+(?:dokter|rumah\s+sakit|rs)\b)",
        _I,
    ),
    # "psikolog" in a self-introduction is not a referral: it needs a verb of going or seeing.
    "psikolog_psikiater": re.compile(
        rf"\b(?:ke|dengan|oleh|sama|menemui|bertemu|ketemu|temui|konsultasi\w*|berobat|periksa\w*)\s+{_W}{{0,3}}"
        r"(?:psikolog|psikiater|poli\s+jiwa|psikiatri|profesional\s+kesehatan\s+(?:jiwa|mental))|"
        rf"\b(?:psikolog|psikiater)\s+{_W}{{0,5}}tatap\s+muka|\bpoli\s+jiwa\b",
        _I,
    ),
    "lapor_polisi": re.compile(
        rf"\b(?:lapor|melapor|melaporkan|laporkan|dilaporkan)\w*\s+{_W}{{0,3}}(?:polisi|kepolisian|pihak\s+berwajib)|"
        r"\bwajib\s+(?:untuk\s+)?melapor\w*",
        _I,
    ),
    "safety_plan": re.compile(
        r"\bsafety\s*plan\b|\brencana\s+(?:keselamatan|keamanan|aman|darurat)\b|"
        r"\b(?:susun|menyusun|bikin|membuat|buat)\s+rencana\b[^.?!]{0,60}\b(?:aman|selamat|keselamatan)\b|"
        r"\brencana(?:nya\s+begini|\s+kita)\b|\b(?:pikir\w*|susun\w*|bahas\w*)\s+keamanan\w*",
        _I,
    ),
    "daftar_tempat_konseling": re.compile(
        rf"\bdaftar\s+{_W}{{0,2}}(?:tempat|layanan|lembaga|biro|psikolog)\b|\bmenu\s+(?:daftar\s+)?tempat\s+konseling\b|"
        r"\btempat\s+konseling\s+(?:di|dalam)\s+(?:daftar|aplikasi)\b",
        _I,
    ),
    "akhiri_layanan": re.compile(
        rf"\b(?:mengakhiri|akhiri|menghentikan|hentikan|sudahi|menyudahi|mengakhirinya)\s+{_W}{{0,2}}"
        r"(?:sesi|layanan|percakapan|obrolan|konseling)\b|\b(?:sesi|layanan)\s+ini\s+(?:saya|aku)\s+(?:akhiri|hentikan|tutup)\b",
        _I,
    ),
    "rujuk_konselor_lain": re.compile(
        r"\bkonselor\s+(?:lain|yang\s+lain|laki-laki|perempuan)\b|\b(?:ganti|mengganti|dialihkan\s+ke)\s+konselor\b|"
        r"\blayanan\s+lain\s+yang\s+(?:lebih\s+)?sesuai\b",
        _I,
    ),
    # Steps that are not referrals.
    "ask_directly": re.compile(
        r"\b(?:bunuh\s+diri|mengakhiri\s+hidup|akhiri\s+hidup|melukai\s+diri|menyakiti\s+diri|"
        r"menyudahi\s+hidup|hidup\s+\w*\s*berakhir|nyakitin\s+diri)\w*[^.!]*\?",
        _I,
    ),
    "consequences": re.compile(
        r"\b(?:konsekuensi|akibat\w*|dampak\w*|risiko\s+hukum|tindak\s+pidana|"
        r"apa\s+yang\s+(?:mungkin|kemungkinan|bakal|akan)\s+terjadi|bayang\w*)\b",
        _I,
    ),
    "check_safety": re.compile(r"\b(?:aman|selamat)\b[^.!]*\?", _I),
    "calm_talk": re.compile(
        r"\bsaling\s+(?:menghargai|menghormati|merendahkan)\b|\btanpa\s+(?:saling\s+)?merendahkan\b|"
        r"\b(?:ucapan|kata-kata|kalimat)\s+(?:itu|tadi|seperti\s+itu)\b|\bmerendahkan\b|\btidak\s+pantas\b|"
        r"\bkurang\s+(?:pantas|sopan)\b|\bmenghina\b|\bsopan\b",
        _I,
    ),
    "no_private_practice": re.compile(
        r"\b(?:tidak|nggak|gak|ga|belum)\s+(?:membuka\s+|buka\s+|punya\s+)?(?:praktik|praktek)\s+pribadi\b|"
        r"\b(?:tidak|nggak|gak|ga)\s+bisa\s+(?:berbagi|kasih|memberi\w*|bagi)\s+(?:nomor|kontak|akun)",
        _I,
    ),
}
STEPS = tuple(_PATTERNS)
assert set(REFERRALS) <= set(STEPS)

# The key action of each protocol that is not a referral (protocols.py holds the full text).
_ACTIONS = {
    "suicidal": ("ask_directly",),
    "harm_others": ("consequences",),
    "kdrt": ("check_safety",),
    "abusive": ("calm_talk",),
    "meet_request": ("no_private_practice",),
}
# What adherence is measured against: the key action, then the protocol's referrals. Ending the
# service (abusive) is allowed after repeated abuse, never required.
REQUIRED: dict[str, tuple[str, ...]] = {
    label: _ACTIONS.get(label, ()) + tuple(r for r in p.referrals if r != "akhiri_layanan")
    for label, p in PROTOCOLS.items()
}


@dataclass(frozen=True)
class StepHit:
    step: str
    rule: str
    start: int
    end: int
    text: str


# "If this goes on, I will end the session" is a warning (the talk-through of guideline 10.2),
# not the ending itself.
_CONDITIONAL = re.compile(r"\b(?:kalau|kalo|jika|apabila|bila|seandainya)\b", _I)
_NOT_IF_CONDITIONAL = {"akhiri_layanan"}


def _sentence(text: str, start: int, end: int) -> str:
    s = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    e = min((i for i in (text.find(c, end) for c in ".!?\n") if i >= 0), default=len(text))
    return text[s:e]


def detect(text: str, steps: Sequence[str] = STEPS) -> list[StepHit]:
    """Every guideline step ``text`` performs, in detector order."""
    out = []
    for s in steps:
        for m in _PATTERNS[s].finditer(text):
            if s in _NOT_IF_CONDITIONAL and _CONDITIONAL.search(
                _sentence(text, m.start(), m.end())
            ):
                continue
            out.append(StepHit(s, f"{s}@{RULES_VERSION}", m.start(), m.end(), m.group(0)))
            break
    return out


def referrals_in(text: str) -> list[StepHit]:
    return detect(text, REFERRALS)


def steps_given(turns: Sequence[Turn], after: int = -1) -> dict[str, int]:
    """Each step and the first counselor turn (index) after ``after`` that gave it."""
    out: dict[str, int] = {}
    for t in turns:
        if t.role != "counselor" or t.index <= after:
            continue
        for h in detect(t.text):
            out.setdefault(h.step, t.index)
    return out


# What each step asks of the counselor, as the suggestion's "why" and the review show it.
STEP_NAMES = {
    "119": "anjurkan menelepon layanan darurat 119",
    "dokter": "anjurkan memeriksakan diri ke dokter",
    "psikolog_psikiater": "anjurkan konseling tatap muka dengan psikolog atau psikiater",
    "lapor_polisi": "jelaskan kewajiban konselor melapor ke polisi",
    "safety_plan": "susun safety plan bersama klien",
    "daftar_tempat_konseling": "arahkan ke daftar tempat konseling di aplikasi",
    "akhiri_layanan": "akhiri layanan setelah hinaan berulang",
    "rujuk_konselor_lain": "rekomendasikan konselor atau layanan lain",
    "ask_directly": "tanyakan langsung tentang pikiran atau rencana bunuh diri",
    "consequences": "ajak klien memikirkan konsekuensi perbuatannya",
    "check_safety": "pastikan klien aman saat ini",
    "calm_talk": "tetap tenang dan bicarakan perilaku klien dengan baik",
    "no_private_practice": "sampaikan bahwa Anda tidak membuka praktik pribadi atau berbagi kontak",
}
assert set(STEP_NAMES) == set(STEPS)


def open_at(alerts: Sequence[RaisedAlert], turns: Sequence[Turn]) -> list[RaisedAlert]:
    """``alerts`` still calling for their protocol: not closed, and a required step not yet given.

    An alert the counselor closed with an assessment ("no current risk") stops leading the
    suggestions even without the steps; `copilot replay` has nobody to assess, so there the
    steps alone decide.
    """
    out = []
    for a in alerts:
        given = steps_given(turns, after=a.turn)
        pending = any(s not in given for s in REQUIRED[a.label])
        out.append(RaisedAlert(a.label, a.turn, a.crisis, open=a.open and pending, outcome=a.outcome))
    return out
