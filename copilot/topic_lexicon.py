"""Counseling topics named in client messages, with the suggestion bank's topic ids.

Keyword rules (versioned) over the client's words: they tag the bank retrieval with a topic
bonus and give the summary's `topik` its category. A hit keeps its words so the summary can
show why a topic was chosen.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

VERSION = "topics/1"

# id -> (display name in the summary, keywords)
TOPICS: dict[str, tuple[str, str]] = {
    "sekolah_kuliah": (
        "Pendidikan",
        r"sekolah|kuliah|skripsi|tesis|kampus|dosen|dosbing|guru|ujian|utbk|snbt|nilai|"
        r"rapor|ipk|semester|pr|tugas|les|pesantren|mondok|wisuda|mahasiswa|siswa|kelas",
    ),
    "pekerjaan": (
        "Pekerjaan",
        r"kerja\w*|kantor|atasan|bos|mandor|supervisor|gaji|lembur|resign|phk|di-phk|karier|"
        r"karir|interview|wawancara|lamaran|melamar|kerjaan|usaha|bisnis|toko|dagang|jualan|freelance|klien",
    ),
    # "kak", "bu", "pak" address the counselor; only unambiguous family words count here.
    "keluarga": (
        "Keluarga",
        r"keluarga|orang\s*tua|ortu|ayah|ayahku|bokap|mama|mamak|nyokap|papa|abah|adik\w*|"
        r"anakku|anak\s+(?:saya|sy|aku|gue|gw)|mertua|warisan|saudara|paman|tante|nenek|oma|kakek|"
        r"pengasuhan|tantrum|balita",
    ),
    "pasangan": (
        "Percintaan",
        r"pacar\w*|mantan|putus|diputusin|selingkuh\w*|gebetan|cowok|cewek|ldr|jodoh\w*|"
        r"menikah|nikah|kawin|ditolak\s+cewek",
    ),
    "pernikahan": (
        "Rumah tangga",
        r"suami\w*|istri\w*|rumah\s+tangga|pernikahan|menikah|mertua|selingkuh\w*",
    ),
    "perceraian": ("Perceraian", r"cerai|bercerai|perceraian|pisah|talak"),
    "kdrt": (
        "Kekerasan dalam rumah tangga",
        r"kdrt|dipukul\w*|mukul\w*|memukul|ditampar|nampar|dicekik|cekik|"
        r"ditendang|dijambak|main\s+tangan|dikunci|diancam|kekerasan",
    ),
    "kekerasan": (
        "Kekerasan",
        r"dipukul\w*|dikeroyok|diancam|ancam|hajar|pukul|bacok|grepe\w*|dilecehkan|pelecehan",
    ),
    "perundungan": (
        "Perundungan",
        r"bully\w*|dibully|dirundung|perundungan|diejek|ejek\w*|diketawain|dikatain|"
        r"dihina|diolok|viral|komen\w*\s+jahat",
    ),
    "pertemanan": ("Pertemanan", r"teman\w*|temen\w*|sahabat\w*|geng|circle|tamang\w*"),
    "kesepian": (
        "Kesepian",
        r"kesepian|sendirian|sendiri|sepi|ga\s+punya\s+temen|tidak\s+punya\s+teman|perantauan|rantau",
    ),
    "keuangan": (
        "Keuangan",
        r"utang\w*|hutang\w*|pinjol|pinjaman|cicilan|kartu\s+kredit|uang|duit|bangkrut|tagih\w*|"
        r"debt\s+collector|gaji\s+pas",
    ),
    "kehilangan_duka": (
        "Duka",
        r"meninggal|wafat|berpulang|almarhum\w*|kehilangan|duka|seda|pemakaman|kepergian",
    ),
    "kesehatan": (
        "Kesehatan",
        r"sakit|nyeri|pusing|sesak|demam|muntah|lambung|dada|jantung|kesemutan|pingsan|"
        r"hamil|flek|kram|luka|berdarah|rusuk|pinggang|obat",
    ),
    "kesehatan_mental": (
        "Kesehatan mental",
        r"cemas|panik|depresi|stres|stress|ga\s+bisa\s+tidur|susah\s+tidur|"
        r"insomnia|suara\w*|halusinasi|diawasi|trauma|mimpi\s+buruk|kosong|hampa|mood|bipolar",
    ),
    "identitas_diri": (
        "Identitas diri",
        r"jati\s+diri|identitas|orientasi|gay|lesbi\w*|minder|percaya\s+diri|"
        r"insecure|citra\s+tubuh|gemuk|kurus|jerawat\w*|quarter\s+life",
    ),
    "kecanduan": (
        "Kecanduan",
        r"judi\w*|slot|kecanduan|candu|narkoba|sabu|mabuk|mabok|alkohol|rokok|game\w*|porno\w*",
    ),
    "bunuh_diri": (
        "Pikiran bunuh diri",
        r"bunuh\s+diri|mengakhiri\s+hidup|mati\s+aja|pengen\s+mati|ingin\s+mati|"
        r"ga\s+mau\s+hidup|lompat|nyudahin",
    ),
}
_RX = {k: re.compile(rf"\b(?:{v})\b", re.IGNORECASE) for k, (_, v) in TOPICS.items()}
# Broad topics (many everyday words) count less than specific ones (a death, debt, bullying).
_WEIGHT = {
    "keluarga": 0.6,
    "kesehatan": 0.6,
    "kekerasan": 0.6,
    "pertemanan": 0.7,
    "pekerjaan": 0.8,
    "kehilangan_duka": 1.5,
    "kdrt": 1.5,
    "perundungan": 1.5,
    "keuangan": 1.2,
    "bunuh_diri": 0.5,
}
ANSWER_WEIGHT = 3  # the client's own answer to "which topic?" (guideline 3.4)


def topic_hits(text: str) -> Counter:
    """How many keyword hits each topic id has in ``text``."""
    c: Counter = Counter()
    for k, rx in _RX.items():
        n = len(rx.findall(text))
        if n:
            c[k] = n
    return c


def topic_scores(texts: Iterable[str], first: str | None = None) -> dict[str, float]:
    """Weighted hits per topic id; the client's answer to "which topic?" (``first``) counts extra."""
    c: Counter = Counter()
    for t in texts:
        c.update(topic_hits(t))
    if first:
        for k, n in topic_hits(first).items():
            c[k] += ANSWER_WEIGHT * n
    return {k: n * _WEIGHT.get(k, 1.0) for k, n in c.items()}


def rank_topics(texts: Iterable[str], first: str | None = None) -> list[str]:
    """Topic ids, most present first (ties by id, for a stable order)."""
    sc = topic_scores(texts, first)
    return sorted(sc, key=lambda k: (-sc[k], k))


def display(topic_id: str) -> str:
    return TOPICS[topic_id][0]
