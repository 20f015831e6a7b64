"""Label ids shared by the runtime, the training code, the data and the API (see MAP.md)."""

from typing import Final

CLIENT_RISK: Final = (
    "suicidal",
    "harm_others",
    "kdrt",
    "acute_disorder",
    "physical",
    "abusive",
    "meet_request",
)
# Crisis flags favour recall: a missed suicidal client is the worst failure.
CRISIS: Final = ("suicidal", "harm_others", "kdrt", "acute_disorder")
COUNSELOR_FLAGS: Final = ("judgmental", "imposes_beliefs", "shares_contact", "off_platform")
SKILLS: Final = ("open_question", "closed_question", "reflection", "other")
# Emotions chosen for phrasing reflections (takut/cemas -> cemas, malu/bersalah -> bersalah,
# lelah/putus asa -> putus_asa).
EMOTIONS: Final = (
    "sedih",
    "marah",
    "cemas",
    "kecewa",
    "bersalah",
    "putus_asa",
    "kesepian",
    "senang",
    "netral",
)
REFERRALS: Final = (
    "119",
    "dokter",
    "psikolog_psikiater",
    "lapor_polisi",
    "safety_plan",
    "daftar_tempat_konseling",
    "akhiri_layanan",
    "rujuk_konselor_lain",
)
ROLES: Final = ("client", "counselor")
