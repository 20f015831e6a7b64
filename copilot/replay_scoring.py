"""Scores a `copilot replay` record against a reference session (the authored sessions' format).

Used by the issue-7 figures (bench/issue7_figures.py) and the slow tests; it is how replayed
independent sessions are compared with their hand-written reference summaries.

* risks: a reference risk {label, turns} is *raised* when an alert of that label lies within
  ``near`` turns of one of its turns;
* summary fields: nickname exact; language by the set of languages named; topic by category;
  free-text fields by content-word recall of the reference (ROUGE-1 recall after light
  normalisation), since ours are extractive and the references abstractive;
* referrals and risk labels by set precision and recall.
"""

from __future__ import annotations

import re
from collections import Counter

from copilot.opening_checklist import languages_named
from copilot.reflection import abbreviations
from copilot.session_summary import EMOTION_WORDS

NEAR = 2
# Reference topic categories (the words before the parenthesis) -> our display names that match.
TOPIC_MATCH = {
    "pendidikan": {"Pendidikan"},
    "sekolah": {"Pendidikan", "Perundungan"},
    "kuliah": {"Pendidikan"},
    "pekerjaan": {"Pekerjaan"},
    "karier": {"Pekerjaan"},
    "usaha": {"Pekerjaan"},
    "keluarga": {"Keluarga", "Kekerasan dalam rumah tangga"},
    "pengasuhan": {"Keluarga"},
    "rumah tangga": {"Rumah tangga", "Kekerasan dalam rumah tangga", "Perceraian"},
    "percintaan": {"Percintaan"},
    "pertemanan": {"Pertemanan"},
    "keuangan": {"Keuangan"},
    "duka": {"Duka"},
    "kesehatan": {"Kesehatan", "Kesehatan mental"},
    "pribadi": {
        "Kesepian",
        "Kesehatan mental",
        "Identitas diri",
        "Kesehatan",
        "Pikiran bunuh diri",
    },
    "kesepian": {"Kesepian"},
    "kehamilan": {"Kesehatan"},
    "sengketa tanah": {"Keluarga", "Kekerasan"},
}
_STOP = set(
    """yang dan di ke dari untuk dengan pada ini itu atau juga sudah akan tidak ada karena
dalam oleh sebagai tetapi namun serta sejak saat lalu hingga sampai kali klien konselor merasa
kemudian sehingga bila agar saja lebih sangat masih bahwa mulai""".split()
)


def _content(text: str) -> list[str]:
    abbr = abbreviations()
    words = [abbr.get(w, w) for w in re.findall(r"[a-z]+", (text or "").lower())]
    return [w for w in words if len(w) > 2 and w not in _STOP]


def rouge1_recall(ours: str | None, ref: str | None) -> float | None:
    ref_w = Counter(_content(ref or ""))
    if not ref_w:
        return None
    our_w = Counter(_content(ours or ""))
    return sum(min(n, our_w[w]) for w, n in ref_w.items()) / sum(ref_w.values())


def risk_hits(
    reference: dict, alerts: list[dict], near: int = NEAR
) -> list[tuple[str, bool, bool]]:
    """(label, raised near its turns, raised at one of its turns) per reference risk."""
    out = []
    for r in reference["summary"]["risiko"]:
        lo, hi = min(r["turns"]) - near, max(r["turns"]) + near
        same = [a["turn"] for a in alerts if a["label"] == r["label"]]
        out.append(
            (r["label"], any(lo <= t <= hi for t in same), any(t in r["turns"] for t in same))
        )
    return out


def score_summary(reference: dict, summary: dict) -> dict:
    """Per-field agreement of one replayed summary with the reference summary."""
    ref = reference["summary"]
    nick_ref = (
        None if ref["nama_panggilan"].lower().startswith("tidak") else ref["nama_panggilan"].lower()
    )
    nick = (summary.get("nama_panggilan") or "").lower() or None
    topic_cat = ref["topik"].split("(")[0].strip().lower()
    wanted = (
        set().union(*[v for k, v in TOPIC_MATCH.items() if k in topic_cat]) if topic_cat else set()
    )
    ours_topic = summary.get("topik") or ""
    emo_words = {w for e, v in EMOTION_WORDS.items() for w in v.split("/")}
    ref_emo = {w for w in emo_words if w in ref["kondisi_emosi"].lower()}
    our_emo = {
        w for w in emo_words if w in (summary.get("kondisi_emosi") or "").split(".")[0].lower()
    }
    refs = set(ref["tindakan_rujukan"])
    ours = set(summary.get("tindakan_rujukan") or [])
    rlabels = {r["label"] for r in ref["risiko"]}
    olabels = {r["label"] for r in summary.get("risiko") or []}
    return {
        "nama_panggilan": nick == nick_ref,
        "bahasa": set(languages_named(summary.get("bahasa") or "Indonesia") or ["Indonesia"])
        == set(languages_named(ref["bahasa"]) or ["Indonesia"]),
        "topik": bool(wanted & {n for n in _topic_names(ours_topic)}),
        "topik_recall": rouge1_recall(ours_topic, ref["topik"]),
        "keluhan_utama_recall": rouge1_recall(summary.get("keluhan_utama"), ref["keluhan_utama"]),
        "kondisi_emosi_hit": bool(ref_emo & our_emo) if ref_emo else None,
        "kondisi_emosi_recall": rouge1_recall(summary.get("kondisi_emosi"), ref["kondisi_emosi"]),
        "rencana_recall": rouge1_recall(
            summary.get("rencana_tindak_lanjut"), ref.get("rencana_tindak_lanjut")
        ),
        "rujukan": {"tp": len(refs & ours), "fp": len(ours - refs), "fn": len(refs - ours)},
        "risiko": {
            "tp": len(rlabels & olabels),
            "fp": len(olabels - rlabels),
            "fn": len(rlabels - olabels),
        },
        "filled": {
            k: summary.get(k) not in (None, "")
            for k in (
                "nama_panggilan",
                "bahasa",
                "topik",
                "keluhan_utama",
                "kondisi_emosi",
                "rencana_tindak_lanjut",
            )
        },
    }


def _topic_names(value: str) -> list[str]:
    head = value.split("(")[0]
    return [x.strip() for x in head.split(" dan ") if x.strip()]
