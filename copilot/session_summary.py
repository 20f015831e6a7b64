"""The session summary of guideline item 7: a pre-filled draft the counselor edits and approves.

Every pre-filled field carries the messages it came from and the method that filled it. The
main complaint and the emotional state are extractive: the client's most salient statements,
ranked by encoder centrality (closeness to the centroid of everything the client said) with
redundancy removed by maximal marginal relevance. Without a model the same ranking runs on
bag-of-words vectors and the draft says it is degraded.

Storage, versions and approval live in the service (`copilot/services/summaries.py`); this
module builds drafts and validates values, so the service and `copilot replay` share it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from copilot import opening_checklist, protocol_steps, topic_lexicon
from copilot.labels import CLIENT_RISK, EMOTIONS, REFERRALS, SKILLS
from copilot.skill_rules import guess_skill
from copilot.transcript import RaisedAlert, Turn

VERSION = "summary/1"
FIELDS = (
    "nama_panggilan",
    "bahasa",
    "topik",
    "keluhan_utama",
    "kondisi_emosi",
    "risiko",
    "tindakan_rujukan",
    "teknik",
    "rencana_tindak_lanjut",
    "catatan_konselor",
)
TEXT_FIELDS = (
    "nama_panggilan",
    "bahasa",
    "topik",
    "keluhan_utama",
    "kondisi_emosi",
    "rencana_tindak_lanjut",
    "catatan_konselor",
)
# Guideline 7: "some fields are mandatory for every client". The service makes this configurable.
DEFAULT_MANDATORY = (
    "nama_panggilan",
    "bahasa",
    "topik",
    "keluhan_utama",
    "kondisi_emosi",
    "risiko",
    "tindakan_rujukan",
    "rencana_tindak_lanjut",
)
EMOTION_WORDS = {
    "sedih": "sedih",
    "marah": "marah/kesal",
    "cemas": "cemas/takut",
    "kecewa": "kecewa",
    "bersalah": "malu/bersalah",
    "putus_asa": "lelah/putus asa",
    "kesepian": "kesepian",
    "senang": "lega/senang",
    "netral": "netral",
}
COMPLAINT_K, EMOTION_K, PLAN_K = 3, 2, 2
MMR_LAMBDA = 0.7
RISK_BOOST = 0.1
POSITION_PENALTY = 0.1  # at the last client statement; 0 at the first
OFF_TOPIC_PENALTY = 0.3
LENGTH_BONUS = 0.1  # at 20 words or more

Embed = Callable[[list[str]], np.ndarray]


class SummaryError(ValueError):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(f"{code} {message}")
        self.code, self.message, self.field = code, message, field


@dataclass
class SummaryField:
    value: object
    sources: list = field(default_factory=list)  # refs of the messages it came from
    method: str = "counselor"

    def as_dict(self) -> dict:
        return {"value": self.value, "sources": list(self.sources), "method": self.method}


@dataclass
class SummaryDraft:
    fields: dict[str, SummaryField]
    degraded: bool
    version: str = VERSION

    def values(self) -> dict:
        return {k: f.value for k, f in self.fields.items()}

    def sources(self) -> dict:
        return {k: list(f.sources) for k, f in self.fields.items()}

    def as_dict(self) -> dict:
        return {
            "fields": {k: f.as_dict() for k, f in self.fields.items()},
            "degraded": self.degraded,
            "version": self.version,
        }


@dataclass(frozen=True)
class Statement:
    turn: Turn
    start: int
    end: int
    text: str


# -- draft ----------------------------------------------------------------------------------------


def draft_summary(
    turns: Sequence[Turn], alerts: Sequence[RaisedAlert] = (), embed: Embed | None = None
) -> SummaryDraft:
    """Pre-fill every field from the session; ``embed`` is the encoder (None: degraded)."""
    by_index = {t.index: t for t in turns}
    ref = lambda i: by_index[i].ref if i in by_index else i  # noqa: E731
    opening = opening_checklist.opening_status(turns)
    f: dict[str, SummaryField] = {}
    f["nama_panggilan"] = SummaryField(
        opening.nickname, [ref(i) for i in opening.nickname_sources], "opening_checklist"
    )
    if opening.language:
        f["bahasa"] = SummaryField(
            opening.language, [ref(i) for i in opening.language_sources], "opening_checklist"
        )
    else:  # not agreed in the session: the language the session was held in
        f["bahasa"] = SummaryField("Indonesia", [], "default")
    statements = client_statements(turns, opening)
    vecs = _vectors([s.text for s in statements], embed)
    f["topik"] = _topic(turns, opening)
    f["keluhan_utama"] = _complaint(statements, vecs, embed is None)
    f["kondisi_emosi"] = _emotions(turns, statements, vecs, embed is None)
    f["risiko"] = _risks(turns, alerts)
    f["tindakan_rujukan"] = _referrals(turns)
    f["teknik"] = _techniques(turns)
    f["rencana_tindak_lanjut"] = _plan(turns)
    f["catatan_konselor"] = SummaryField(None, [], "counselor")
    degraded = embed is None or any(t.analysis is None or t.analysis.degraded for t in turns)
    return SummaryDraft(f, degraded)


def client_statements(
    turns: Sequence[Turn], opening: opening_checklist.OpeningStatus | None = None
) -> list[Statement]:
    """Client sentences of four words or more, leaving out the answers to the opening questions."""
    opening = opening or opening_checklist.opening_status(turns)
    skip = set()
    for item in ("language", "nickname"):
        at = opening.turns[item]
        if at is not None and at != opening.turns["topic"]:
            nxt = next((t for t in turns if t.index > at and t.role == "client"), None)
            if nxt is not None:
                skip.add(nxt.index)
    out = []
    for t in turns:
        if t.role != "client" or t.index in skip:
            continue
        for m in re.finditer(r"[^.!?\n]+[.!?]*", t.text):
            s = m.group(0).strip()
            if len(re.findall(r"\w+", s)) >= 4:
                lead = len(m.group(0)) - len(m.group(0).lstrip())
                out.append(Statement(t, m.start() + lead, m.start() + lead + len(s), s))
    return out


def _vectors(texts: list[str], embed: Embed | None) -> np.ndarray:
    if not texts:
        return np.zeros((0, 1), dtype=np.float32)
    if embed is not None:
        return np.asarray(embed(texts), dtype=np.float32)
    # Degraded: bag of words (log-scaled counts, L2-normalised) in place of sentence embeddings.
    vocab: dict[str, int] = {}
    rows = [Counter(re.findall(r"[a-z]{3,}", t.lower())) for t in texts]
    for r in rows:
        for w in r:
            vocab.setdefault(w, len(vocab))
    m = np.zeros((len(texts), max(1, len(vocab))), dtype=np.float32)
    for i, r in enumerate(rows):
        for w, n in r.items():
            m[i, vocab[w]] = 1 + np.log(n)
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)


def centrality(vecs: np.ndarray) -> np.ndarray:
    """Cosine of each (L2-normalised) row to the normalised centroid."""
    if len(vecs) == 0:
        return np.zeros(0)
    c = vecs.mean(0)
    c = c / (np.linalg.norm(c) or 1.0)
    return vecs @ c


def mmr(
    scores: np.ndarray,
    vecs: np.ndarray,
    k: int,
    lam: float = MMR_LAMBDA,
    among: Sequence[int] | None = None,
) -> list[int]:
    """Indices picked by maximal marginal relevance: relevance ``scores`` minus redundancy."""
    cand = list(range(len(scores))) if among is None else list(among)
    picked: list[int] = []
    while cand and len(picked) < k:

        def value(i: int) -> float:
            red = max((float(vecs[i] @ vecs[j]) for j in picked), default=0.0)
            return lam * float(scores[i]) - (1 - lam) * red

        best = max(cand, key=value)
        picked.append(best)
        cand.remove(best)
    return picked


def _join(stmts: list[Statement]) -> str:
    return " … ".join(
        re.sub(r"\s+", " ", s.text) for s in sorted(stmts, key=lambda s: (s.turn.index, s.start))
    )


# Statements that are about the conversation, not the client's problem: thanks and goodbyes,
# words aimed at the counselor.
_NOT_COMPLAINT = re.compile(
    r"\b(?:makasih|terima\s*kasih|thanks|oke|sip|siap|maaf|sori|sorry|lu|lo|elu|kakak|konselor)\b",
    re.IGNORECASE,
)


def _salience(stmts: list[Statement], vecs: np.ndarray) -> np.ndarray:
    """Centrality, plus the risk disclosures, minus the wind-down: complaints come early."""
    if not stmts:
        return np.zeros(0)
    last = max(s.turn.index for s in stmts) or 1
    extra = []
    for s in stmts:
        x = RISK_BOOST if any(f in CLIENT_RISK and f != "abusive" for f in s.turn.flags) else 0.0
        x -= POSITION_PENALTY * s.turn.index / last
        x += (
            LENGTH_BONUS * min(len(s.text.split()), 20) / 20
        )  # "Waktunya juga tidak ada" says little
        x -= (
            OFF_TOPIC_PENALTY
            if (_NOT_COMPLAINT.search(s.text) or "abusive" in s.turn.flags)
            else 0.0
        )
        extra.append(x)
    return centrality(vecs) + np.array(extra)


def _complaint(stmts: list[Statement], vecs: np.ndarray, degraded: bool) -> SummaryField:
    if not stmts:
        return SummaryField(None, [], "none")
    picked = [stmts[i] for i in mmr(_salience(stmts, vecs), vecs, COMPLAINT_K)]
    return SummaryField(
        _join(picked),
        sorted({s.turn.ref for s in picked}, key=str),
        "centrality+mmr" + ("(bag-of-words)" if degraded else ""),
    )


_EMOTION_LEXICON = {
    "sedih": r"sedih|nangis|menangis|nyesek|galau|hancur",
    "marah": r"marah|kesal|kesel|benci|emosi|dongkol|muak",
    "cemas": r"cemas|takut|khawatir|panik|deg-degan|was-was|gelisah",
    "kecewa": r"kecewa",
    "bersalah": r"bersalah|malu|menyesal|nyesel",
    "putus_asa": r"capek|cape|lelah|putus\s+asa|nyerah|ga\s+kuat|hampa|kosong",
    "kesepian": r"kesepian|sendirian|sepi",
    "senang": r"senang|lega|seneng|bahagia",
}
_EMO_RX = {k: re.compile(rf"\b(?:{v})\b", re.IGNORECASE) for k, v in _EMOTION_LEXICON.items()}


def _turn_emotion(t: Turn) -> tuple[str | None, str]:
    if t.analysis is not None and t.analysis.emotion:
        return t.analysis.emotion, "model"
    hits = [k for k, rx in _EMO_RX.items() if rx.search(t.text)]
    return (hits[0] if hits else None), "lexicon"


def _emotions(
    turns: Sequence[Turn], stmts: list[Statement], vecs: np.ndarray, degraded: bool
) -> SummaryField:
    per_turn = {t.index: _turn_emotion(t) for t in turns if t.role == "client"}
    counts = Counter(e for e, _ in per_turn.values() if e and e != "netral")
    if not counts:
        return SummaryField(None, [], "none")
    top = [e for e, _ in counts.most_common(3)]
    last = next(
        (
            per_turn[t.index][0]
            for t in reversed(turns)
            if t.role == "client" and per_turn[t.index][0] not in (None, "netral")
        ),
        None,
    )
    words = ", ".join(EMOTION_WORDS[e] for e in top)
    value = words[:1].upper() + words[1:]
    if last and last != top[0]:
        value += f"; akhir sesi: {EMOTION_WORDS[last]}"
    among = [i for i, s in enumerate(stmts) if per_turn.get(s.turn.index, (None,))[0] in top]
    picked = (
        [stmts[i] for i in mmr(_salience(stmts, vecs), vecs, EMOTION_K, among=among)]
        if among
        else []
    )
    if picked:
        value += ". " + _join(picked)
    method = "model" if all(m == "model" for _, m in per_turn.values()) else "lexicon"
    sources = sorted({i for i, (e, _) in per_turn.items() if e in top}) + [
        s.turn.index for s in picked
    ]
    by_index = {t.index: t.ref for t in turns}
    return SummaryField(
        value,
        [by_index[i] for i in sorted(set(sources))],
        f"{method}+centrality+mmr" + ("(bag-of-words)" if degraded else ""),
    )


def _topic(turns: Sequence[Turn], opening: opening_checklist.OpeningStatus) -> SummaryField:
    client = [t for t in turns if t.role == "client"]
    if not client:
        return SummaryField(None, [], "none")
    asked = opening.turns["topic"]
    answer = next((t for t in client if asked is not None and t.index > asked), client[0])
    ranked = topic_lexicon.rank_topics([t.text for t in client], first=answer.text)
    first = re.split(r"[.!?\n]", answer.text.strip())[0][:80].strip()
    if not ranked:  # no topic word: the client's own answer, for the counselor to name
        return SummaryField(first or None, [answer.ref], "client_answer")
    sc = topic_lexicon.topic_scores([t.text for t in client], first=answer.text)
    names = [topic_lexicon.display(ranked[0])]
    # A second topic only when it is nearly as present as the first ("Pendidikan dan Keluarga").
    if len(ranked) > 1 and sc[ranked[1]] >= 0.6 * sc[ranked[0]]:
        names.append(topic_lexicon.display(ranked[1]))
    sources = [answer.ref] + [
        t.ref
        for t in client
        if t is not answer
        and topic_lexicon.topic_hits(t.text)
        and set(topic_lexicon.topic_hits(t.text)) & set(ranked[:2])
    ][:3]
    return SummaryField(f"{' dan '.join(names)} ({first})", sources, "topics")


def _risks(turns: Sequence[Turn], alerts: Sequence[RaisedAlert]) -> SummaryField:
    """Every alerted label (recall first: the counselor deletes what their assessment ruled out),
    with its messages, evidence and the highest model score, so weak ones stand out."""
    by_index = {t.index: t for t in turns}
    out: dict[str, dict] = {}
    for a in sorted(alerts, key=lambda a: a.turn):
        t = by_index.get(a.turn)
        r = out.setdefault(
            a.label, {"label": a.label, "messages": [], "evidence": [], "score": None}
        )
        r["messages"].append(t.ref if t else a.turn)
        if t is not None and t.analysis is not None:
            r["evidence"] += [e.text for e in t.analysis.evidence.get(a.label, [])][:2]
            score = t.analysis.scores.get(a.label)
            if score is not None:
                r["score"] = round(max(score, r["score"] or 0.0), 4)
    value = [out[k] for k in sorted(out, key=CLIENT_RISK.index)]
    return SummaryField(value, [m for r in value for m in r["messages"]], "alerts")


def _referrals(turns: Sequence[Turn]) -> SummaryField:
    found: dict[str, object] = {}
    for t in turns:
        if t.role == "counselor":
            for h in protocol_steps.referrals_in(t.text):
                found.setdefault(h.step, t.ref)
    ids = [r for r in REFERRALS if r in found]
    return SummaryField(ids, [found[r] for r in ids], "protocol_steps")


def _techniques(turns: Sequence[Turn]) -> SummaryField:
    counts = dict.fromkeys(SKILLS, 0)
    method = "skill_head"
    for t in turns:
        if t.role != "counselor":
            continue
        skill = t.skill
        if skill is None:
            skill, method = guess_skill(t.text), "rules"
        counts[skill] += 1
    return SummaryField(counts, [t.ref for t in turns if t.role == "counselor"], method)


_PLAN_CUES = re.compile(
    r"\b(?:akan|nanti|besok|lusa|minggu\s+(?:ini|depan)|bulan\s+depan|coba|cobain|rencana\w*|kabari|kabarin|"
    r"lanjut|sesi\s+(?:berikutnya|lanjutan)|jadwal\w*|sepakat\w*|simpan|hubungi|telepon|datang|periksa\w*|"
    r"mulai|latihan)\b",
    re.IGNORECASE,
)


def _plan(turns: Sequence[Turn]) -> SummaryField:
    if not turns:
        return SummaryField(None, [], "none")
    tail = [t for t in turns if t.index >= turns[-1].index - max(4, int(len(turns) * 0.4))]
    cands = []
    for t in tail:
        for m in re.finditer(r"[^.!?\n]+[.!?]*", t.text):
            s = m.group(0).strip()
            n = len(_PLAN_CUES.findall(s))
            if n and len(re.findall(r"\w+", s)) >= 4:
                cands.append((n + (0.5 if t.role == "counselor" else 0.0) + 0.01 * t.index, t, s))
    if not cands:
        return SummaryField(None, [], "cues")
    best = sorted(cands, key=lambda c: -c[0])[:PLAN_K]
    best.sort(key=lambda c: c[1].index)
    return SummaryField(
        " … ".join(s for _, _, s in best), sorted({t.ref for _, t, _ in best}, key=str), "cues"
    )


# -- edits and approval ---------------------------------------------------------------------------


def validate_values(values: dict, partial: bool = True) -> dict:
    """Check a counselor's edit: known fields, right shapes. Returns the cleaned values."""
    if not isinstance(values, dict):
        raise SummaryError("E422_SUMMARY", "summary fields must be an object")
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise SummaryError(
            "E422_SUMMARY_FIELD", f"unknown fields {unknown}; known: {list(FIELDS)}", unknown[0]
        )
    if not partial:
        values = {**dict.fromkeys(FIELDS), **values}
    out = {}
    for k, v in values.items():
        if v is None:
            out[k] = None
        elif k in TEXT_FIELDS:
            if not isinstance(v, str):
                raise SummaryError("E422_SUMMARY_VALUE", f"{k} must be text", k)
            out[k] = v.strip()
        elif k == "tindakan_rujukan":
            if not isinstance(v, list) or any(x not in REFERRALS for x in v):
                raise SummaryError(
                    "E422_SUMMARY_VALUE", f"{k} must be a list of {list(REFERRALS)}", k
                )
            out[k] = list(dict.fromkeys(v))
        elif k == "risiko":
            if not isinstance(v, list) or any(
                not isinstance(r, dict) or r.get("label") not in CLIENT_RISK for r in v
            ):
                raise SummaryError(
                    "E422_SUMMARY_VALUE",
                    f"{k} must be a list of {{label, messages}} with label in {list(CLIENT_RISK)}",
                    k,
                )
            out[k] = [
                {
                    "label": r["label"],
                    "messages": list(r.get("messages") or []),
                    "evidence": list(r.get("evidence") or []),
                    "score": r.get("score"),
                }
                for r in v
            ]
        elif k == "teknik":
            if not isinstance(v, dict) or any(
                s not in SKILLS or not isinstance(n, int) or n < 0 for s, n in v.items()
            ):
                raise SummaryError(
                    "E422_SUMMARY_VALUE", f"{k} must map {list(SKILLS)} to counts", k
                )
            out[k] = dict(v)
    return out


def missing_mandatory(values: dict, mandatory: Sequence[str] = DEFAULT_MANDATORY) -> list[str]:
    """Mandatory fields still empty: None or blank text. An empty list ("no risk") is an answer."""
    return [
        k
        for k in mandatory
        if values.get(k) is None or (isinstance(values.get(k), str) and not values[k].strip())
    ]


def check_mandatory_config(fields: Sequence[str]) -> tuple[str, ...]:
    """Fail fast on a misspelt mandatory field in the configuration."""
    bad = [f for f in fields if f not in FIELDS]
    if bad:
        raise SummaryError(
            "E500_CONFIG", f"unknown mandatory summary fields {bad}; known: {list(FIELDS)}"
        )
    return tuple(fields)


assert set(EMOTION_WORDS) == set(EMOTIONS)
