"""The guideline's protocol for each client risk flag, in Indonesian, as the counselor sees it.

Source: panduan-konselor.txt items 2.1, 8 and 10 (mapped in MAP.md). Each step is the
guideline's instruction phrased as an action; `referrals` uses the ids of `labels.REFERRALS`.
Versioned: change the text, bump PROTOCOLS_VERSION, so a stored alert can be traced to the
wording the counselor was shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from copilot.labels import CLIENT_RISK, CRISIS

PROTOCOLS_VERSION = "panduan-v3/1"


@dataclass(frozen=True)
class Protocol:
    label: str
    guideline_item: str
    title: str
    steps: tuple[str, ...]
    referrals: tuple[str, ...]
    crisis: bool

    def as_dict(self) -> dict:
        return {"label": self.label, "guideline_item": self.guideline_item, "title": self.title,
                "steps": list(self.steps), "referrals": list(self.referrals),
                "crisis": self.crisis, "version": PROTOCOLS_VERSION}


_P = [
    Protocol(
        "suicidal", "8.2", "Pikiran atau rencana bunuh diri / melukai diri",
        (
            "Tanggapi dengan tenang dan serius; tanyakan langsung apakah klien berencana melukai "
            "dirinya dan kapan.",
            "Anjurkan klien untuk segera menelepon layanan darurat 119.",
            "Anjurkan konseling tatap muka dengan psikolog atau psikiater.",
            "Arahkan klien ke daftar tempat konseling yang tersedia di dalam aplikasi.",
            "Tetap dampingi klien di sesi ini; jangan akhiri percakapan secara tiba-tiba.",
            "Catat penilaian risiko Anda untuk peringatan ini sebelum menutupnya.",
        ),
        ("119", "psikolog_psikiater", "daftar_tempat_konseling"), True,
    ),
    Protocol(
        "harm_others", "8.4", "Niat melukai orang lain atau tindakan kriminal",
        (
            "Ajak klien untuk sungguh-sungguh memikirkan konsekuensi dari perbuatannya.",
            "Jelaskan kepada klien bahwa Anda wajib melapor ke polisi jika ada indikasi klien "
            "akan atau telah melakukan tindakan kriminal.",
            "Jika ada indikasi tersebut, laporkan ke polisi dan beri tahu supervisor Anda.",
            "Catat penilaian risiko Anda untuk peringatan ini sebelum menutupnya.",
        ),
        ("lapor_polisi",), True,
    ),
    Protocol(
        "kdrt", "8.6", "Kekerasan dalam rumah tangga (korban atau pelaku)",
        (
            "Pastikan dulu apakah klien aman saat ini.",
            "Bekerja sama dengan klien menyusun safety plan yang mengutamakan keselamatan klien, "
            "pasangan, dan anggota keluarga lain yang terkait.",
            "Arahkan klien ke daftar tempat konseling yang tersedia di dalam aplikasi.",
            "Catat penilaian risiko dan safety plan di ringkasan sesi.",
        ),
        ("safety_plan", "daftar_tempat_konseling"), True,
    ),
    Protocol(
        "acute_disorder", "8.5", "Gejala gangguan mental akut",
        (
            "Validasi apa yang klien rasakan tanpa memberi diagnosis.",
            "Anjurkan klien memeriksakan diri ke psikolog atau psikiater secara tatap muka.",
            "Arahkan klien ke daftar tempat konseling yang tersedia di dalam aplikasi.",
            "Catat penilaian risiko Anda untuk peringatan ini sebelum menutupnya.",
        ),
        ("psikolog_psikiater", "daftar_tempat_konseling"), True,
    ),
    Protocol(
        "physical", "8.1", "Keluhan fisik",
        ("Anjurkan klien untuk memeriksakan diri ke dokter.",),
        ("dokter",), False,
    ),
    Protocol(
        "abusive", "10", "Klien menghina atau merendahkan konselor",
        (
            "Tetap tenang dan bicarakan hal ini dengan baik bersama klien terlebih dahulu.",
            "Jika klien tetap melakukannya, Anda boleh mengakhiri layanan kepada klien.",
        ),
        ("akhiri_layanan",), False,
    ),
    Protocol(
        "meet_request", "2.1", "Permintaan bertemu tatap muka",
        (
            "Jangan membagikan alamat, nomor telepon, atau email pribadi Anda.",
            "Arahkan klien ke daftar tempat konseling yang tersedia di dalam aplikasi.",
            "Jika Anda tidak praktik di tempat yang terdaftar, sampaikan bahwa Anda tidak membuka "
            "praktik pribadi.",
        ),
        ("daftar_tempat_konseling",), False,
    ),
]

PROTOCOLS: dict[str, Protocol] = {p.label: p for p in _P}

assert set(PROTOCOLS) == set(CLIENT_RISK), "every client risk flag needs a protocol"
assert {p.label for p in _P if p.crisis} == set(CRISIS)


def protocol_for(label: str) -> Protocol:
    """The protocol for a client risk flag; KeyError names the unknown label."""
    try:
        return PROTOCOLS[label]
    except KeyError:
        raise KeyError(f"no protocol for label {label!r}; known: {sorted(PROTOCOLS)}") from None
