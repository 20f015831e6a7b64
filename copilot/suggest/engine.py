"""Sidebar suggestions: 3-5 ranked counselor utterances, each with its type and why it was chosen.

Order of precedence (issue 7, guideline 3 and 8):
1. while a crisis alert is open, its next protocol step;
2. until the opening is done, the missing opening steps (introduction, language, nickname, topic),
   except during a crisis;
3. the protocol step of an open non-crisis alert (doctor, meeting request, abusive client);
4. a reflection made from the client's own words;
5. bank lines retrieved by encoder similarity to the recent client context (Smart Reply).

Every candidate passes the counselor lint and, with a model, the skill head must confirm its
type; failures are dropped. Without a model (degraded) retrieval falls back to word overlap,
the lint to the rules, and the result says so.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from copilot import opening_checklist, protocol_steps, reflection
from copilot.protocols import protocol_for
from copilot.suggest.bank import EXPECTED_SKILL, BankEntry, SuggestionBank
from copilot.suggest.lint import MARGIN, counselor_lint
from copilot.suggest.state import WORDS, SessionState, crisis_spans, norm
from copilot.transcript import RaisedAlert, Turn

if TYPE_CHECKING:
    from copilot.analyzer import Analyzer

VERSION = "suggest/1"
MIN_ITEMS, MAX_ITEMS = 3, 5
CONTEXT_TURNS = 3
RECENCY = 0.6  # weight of each older client turn in the context
MMR_LAMBDA = 0.75
PER_TYPE_CAP = 2
SUMMARY_AFTER = 6  # client messages before a summary of their own words is offered
SUMMARY_EVERY = 3  # then again every this many client messages (and whenever the client winds down)
ITEM_NAMES = {
    "introduction": "perkenalan diri",
    "language": "kesepakatan bahasa",
    "nickname": "nama panggilan klien",
    "topic": "pilihan topik oleh klien",
}
TYPE_WHY = {
    "open_question": "Pertanyaan terbuka untuk menggali (panduan 4.4)",
    "closed_question": "Pertanyaan tertutup untuk memfokuskan (panduan 4.5)",
    "reflection": "Refleksi untuk memvalidasi perasaan klien (panduan 4.3)",
    "summary": "Rangkuman isi cerita klien (panduan 4.3)",
    "protocol": "Langkah panduan",
}


@dataclass(frozen=True)
class Suggestion:
    type: str
    text: str
    why: str
    source: str  # "protocol" | "opening" | "reflection" | "bank" | "guideline"
    bank_id: str | None = None
    score: float | None = None
    skill: str | None = None  # what the skill head says the text is
    skill_checked: bool = False
    turns: tuple = ()  # refs of the messages it answers

    def as_dict(self) -> dict:
        d = asdict(self)
        d["turns"] = list(self.turns)
        if d["score"] is not None:
            d["score"] = round(d["score"], 4)
        return d


@dataclass
class SuggestionSet:
    items: list[Suggestion]
    phase: str  # opening | exploration | risk | closing
    opening_missing: list[str]
    open_alerts: list[str]
    degraded: bool
    latency_ms: float
    model: str | None
    version: str = VERSION
    dropped: dict[str, int] = field(default_factory=dict)  # candidates the gates removed, by reason

    def as_dict(self) -> dict:
        return {
            "items": [s.as_dict() for s in self.items],
            "phase": self.phase,
            "opening_missing": self.opening_missing,
            "open_alerts": self.open_alerts,
            "degraded": self.degraded,
            "latency_ms": round(self.latency_ms, 2),
            "model": self.model,
            "version": self.version,
            "dropped": self.dropped,
        }


class Suggester:
    """Build once at start-up (the bank is checked and embedded then); call `suggest` per message."""

    def __init__(self, analyzer: Analyzer, bank: SuggestionBank, cache_size: int = 4096):
        if not bank.prepared:
            bank.prepare(analyzer)
        self.analyzer = analyzer
        self.bank = bank
        self._eligible = [i for i, c in enumerate(bank.checks) if c.eligible]
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()  # the service calls suggest() from several worker threads
        self._bank_words = [set(WORDS.findall(e.text.lower())) for e in bank.entries]
        self._entry = {e.id: e for e in bank.entries}
        self._named_ok: dict[tuple[str, str | None], bool] = {}  # (bank id, nickname) -> clean

    @property
    def degraded(self) -> bool:
        return self.bank.embeddings is None or getattr(self.analyzer, "encoder", None) is None

    # -- public --------------------------------------------------------------------------------

    def suggest(self, turns: Sequence[Turn], alerts: Sequence[RaisedAlert] = ()) -> SuggestionSet:
        """Ranked suggestions for the counselor's next message, given the session so far."""
        t0 = time.perf_counter()
        st = SessionState.of(turns, alerts)
        dropped: dict[str, int] = {}
        ctx = self._context(st)
        items: list[Suggestion] = []
        crisis = [a for a in st.open_alerts if a.crisis]
        other = [a for a in st.open_alerts if not a.crisis]
        for a in crisis[:2]:
            items += self._protocol(a, st, ctx)
        if not crisis:  # during a crisis, "perkenalkan, saya konselor..." would be out of place
            for item in st.opening.missing[:2]:
                items += self._opening(item, st)
        for a in other[:1]:
            items += self._protocol(a, st, ctx)
        items += self._own_words(st, dropped)
        items += self._retrieve(st, ctx, items, MAX_ITEMS - len(items))
        items = self._names_checked(items, st, dropped)
        if len(items) < MIN_ITEMS:
            items += self._retrieve(
                st, ctx, items, MIN_ITEMS - len(items), any_phase=True, named=False
            )
        items = _dedupe(items)[:MAX_ITEMS]
        return SuggestionSet(
            items=items,
            phase=st.phase,
            opening_missing=st.opening.missing,
            open_alerts=[a.label for a in st.open_alerts],
            degraded=self.degraded,
            latency_ms=(time.perf_counter() - t0) * 1000,
            model=self.bank.model,
            dropped=dropped,
        )

    # -- context -------------------------------------------------------------------------------

    def _embed(self, texts: list[str]) -> np.ndarray:
        """Embeddings of client messages; each message is embedded once (LRU cache)."""
        with self._lock:
            have = {t: self._cache[t] for t in texts if t in self._cache}
        missing = [t for t in dict.fromkeys(texts) if t not in have]
        if missing:
            have.update(zip(missing, self.analyzer.encoder.embed(missing)))
        with self._lock:
            for t in texts:
                self._cache[t] = have[t]
                self._cache.move_to_end(t)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return np.stack([have[t] for t in texts])

    def _context(self, st: SessionState) -> np.ndarray | None:
        recent = [t.text for t in st.client[-CONTEXT_TURNS:]]
        if not recent or self.degraded:
            return None
        vecs = self._embed(recent)
        w = np.array(
            [RECENCY ** (len(recent) - 1 - i) for i in range(len(recent))], dtype=np.float32
        )
        v = (vecs * w[:, None]).sum(0)
        return v / (np.linalg.norm(v) or 1.0)

    def _similarity(self, st: SessionState, ctx: np.ndarray | None, idx: list[int]) -> np.ndarray:
        if not idx:
            return np.zeros(0, dtype=np.float32)
        if ctx is not None:
            return self.bank.embeddings[idx] @ ctx
        words = set(WORDS.findall(" ".join(t.text for t in st.client[-CONTEXT_TURNS:]).lower()))
        return np.array(
            [
                len(words & self._bank_words[i]) / (len(words | self._bank_words[i]) or 1)
                for i in idx
            ],
            dtype=np.float32,
        )

    # -- candidates ----------------------------------------------------------------------------

    def _usable(self, i: int, st: SessionState) -> str | None:
        e = self.bank.entries[i]
        text = e.render(st.opening.nickname)
        if text is None or norm(text) in st.said:
            return None
        return text

    @staticmethod
    def _fits_topic(e: BankEntry, st: SessionState) -> bool:
        """A bank reflection or summary states facts ("kamu belum lulus"): only offered when it is
        generic or its topic is one the client talks about; questions may roam."""
        if e.type not in ("reflection", "summary"):
            return True
        specific = set(e.topics) - {"umum"}
        return not specific or bool(specific & set(st.topics[:3]))

    def _register_bonus(self, e: BankEntry, st: SessionState) -> float:
        return 0.05 if e.register == st.register else -0.1

    def _protocol(
        self, a: RaisedAlert, st: SessionState, ctx: np.ndarray | None
    ) -> list[Suggestion]:
        given = protocol_steps.steps_given(st.turns, after=a.turn)
        pending = [s for s in protocol_steps.REQUIRED[a.label] if s not in given]
        # Guideline 10: talk it through calmly first; if the abuse goes on after that, the
        # counselor may end the service, and that becomes the step to offer.
        calm = (
            protocol_steps.steps_given(
                st.turns, after=min(x.turn for x in st.alerts if x.label == "abusive")
            ).get("calm_talk")
            if a.label == "abusive"
            else None
        )
        may_end = calm is not None and any(
            x.label == "abusive" and x.turn > calm for x in st.alerts
        )
        if may_end:
            pending = ["akhiri_layanan"] + pending
        idx = [
            i
            for i in self._eligible
            if self.bank.entries[i].type == "protocol"
            and self.bank.entries[i].label == a.label
            and self._usable(i, st)
        ]
        sims = self._similarity(st, ctx, idx)
        best, best_score = None, -9.0
        for i, sim in zip(idx, sims):
            steps = self.bank.checks[i].steps
            if "akhiri_layanan" in steps and not may_end:
                continue
            hits = [pending.index(s) for s in steps if s in pending]
            score = float(sim) + self._register_bonus(self.bank.entries[i], st)
            score += (1.0 - 0.2 * min(hits)) if hits else (-0.5 if steps else 0.0)
            if score > best_score:
                best, best_score = i, score
        p = protocol_for(a.label)
        why_step = protocol_steps.STEP_NAMES[pending[0]] if pending else "lanjutkan protokol"
        why = f"Peringatan {a.label} terbuka (panduan {p.guideline_item}, pesan {st.ref(a.turn)}): {why_step}."
        if best is not None:
            e = self.bank.entries[best]
            return [
                Suggestion(
                    "protocol",
                    self._usable(best, st),
                    why,
                    "protocol",
                    e.id,
                    best_score,
                    self.bank.checks[best].skill,
                    self.bank.checks[best].skill is not None,
                    (st.ref(a.turn),),
                )
            ]
        # No bank line for this label: the guideline's own instruction, so the step is never lost.
        return [
            Suggestion(
                "protocol", p.steps[0], why, "guideline", None, None, None, False, (st.ref(a.turn),)
            )
        ]

    def _opening(self, item: str, st: SessionState) -> list[Suggestion]:
        cands = [
            i
            for i in self._eligible
            if item in self.bank.checks[i].opening_items
            and self.bank.entries[i].phase == "opening"
            and self._usable(i, st)
        ]
        if not cands:
            return []
        # Same register first; then lines that do only this step (clearer), then bank order.
        i = min(
            cands,
            key=lambda i: (
                self.bank.entries[i].register != st.register,
                len(self.bank.checks[i].opening_items),
                i,
            ),
        )
        why = (
            f"Pembukaan belum lengkap (panduan {opening_checklist.GUIDELINE[item]}): "
            f"{ITEM_NAMES[item]} belum dilakukan."
        )
        c = self.bank.checks[i]
        return [
            Suggestion(
                self.bank.entries[i].type,
                self._usable(i, st),
                why,
                "opening",
                self.bank.entries[i].id,
                None,
                c.skill,
                c.skill is not None,
            )
        ]

    def _own_words(self, st: SessionState, dropped: dict[str, int]) -> list[Suggestion]:
        """A reflection of the last client message and, later on, a summary in the client's words.

        Both are generated, so both go through the lint and the skill head here, one text at a
        time as the service lints a draft; the next reflection is tried only when one is dropped.
        """
        out: list[Suggestion] = []
        for r in self._reflection_candidates(st):
            a = self._check(r.text, "reflection", dropped)
            if a is not None:
                out.append(self._own_words_item(r, "reflection", (st.client[-1].ref,), a))
                break
        n = len(st.client)
        # A summary every few client messages once there is enough to sum up, and at the close
        # (each generated text costs a model pass; the p95 budget is 50 ms).
        if st.phase == "closing" or (
            n >= SUMMARY_AFTER and (n - SUMMARY_AFTER) % SUMMARY_EVERY == 0
        ):
            avoid = {t.index: crisis_spans(t) for t in st.client}
            r = reflection.summarize(st.turns, st.opening.nickname, st.you, avoid=avoid)
            if r is not None and norm(r.text) not in st.said:
                a = self._check(r.text, "summary", dropped)
                if a is not None:
                    out.append(
                        self._own_words_item(r, "summary", tuple(t.ref for t in st.client[-3:]), a)
                    )
        return out

    def _check(self, text: str, typ: str, dropped: dict[str, int]):
        """The analysis of a generated text when it passes the lint (with margin) and the skill
        head agrees with ``typ``; None (and counted in ``dropped``) otherwise."""
        [a] = self.analyzer.analyze([text], "counselor")
        if counselor_lint(text, a, MARGIN):
            dropped[f"{typ}_lint"] = dropped.get(f"{typ}_lint", 0) + 1
            return None
        expected = EXPECTED_SKILL.get(typ)
        if expected is not None and a.skill is not None and a.skill != expected:
            dropped[f"{typ}_skill"] = dropped.get(f"{typ}_skill", 0) + 1
            return None
        return a

    def _names_checked(
        self, items: list[Suggestion], st: SessionState, dropped: dict[str, int]
    ) -> list[Suggestion]:
        """Bank lines with the nickname filled in are checked as sent (a name can tip the lint)."""
        out = []
        for it in items:
            e = self._entry.get(it.bank_id) if it.bank_id else None
            if e is None or not e.needs_name:
                out.append(it)
                continue
            key = (it.bank_id, st.opening.nickname)
            with self._lock:
                ok = self._named_ok.get(key)
            if ok is None:
                ok = self._check(it.text, it.type, {}) is not None
                with self._lock:
                    self._named_ok[key] = ok
            if ok:
                out.append(it)
            else:
                dropped["named_lint"] = dropped.get("named_lint", 0) + 1
        return out

    @staticmethod
    def _own_words_item(r: reflection.Reflection, typ: str, refs: tuple, a) -> Suggestion:
        if typ == "reflection":
            emo = f"; emosi terdeteksi: {r.emotion}" if r.emotion and r.emotion != "netral" else ""
            why = f"Refleksi dari kata-kata klien sendiri (pesan {refs[0]}{emo}; panduan 4.3)."
        else:
            why = "Rangkuman dari kata-kata klien sendiri (panduan 4.3: merangkum pesan klien)."
        return Suggestion(
            typ, r.text, why, "reflection", None, None, a.skill, a.skill is not None, refs
        )

    def _reflection_candidates(self, st: SessionState) -> list[reflection.Reflection]:
        last = st.client[-1] if st.client else None
        if last is None:
            return []
        asked = next(
            (t for t in reversed(st.turns) if t.role == "counselor" and t.index < last.index), None
        )
        if asked is not None and {h.item for h in opening_checklist.detect(asked.text)} & {
            "language",
            "nickname",
        }:
            return []  # "dimas aja" answers an opening question; there is nothing to reflect
        refs = reflection.reflect(last, st.opening.nickname, st.you, crisis_spans(last))
        return [r for r in refs if norm(r.text) not in st.said]

    def _retrieve(
        self,
        st: SessionState,
        ctx: np.ndarray | None,
        have: list[Suggestion],
        k: int,
        any_phase: bool = False,
        named: bool = True,
    ) -> list[Suggestion]:
        if k <= 0:
            return []
        phases = {"exploration", "closing"} if st.phase == "closing" else {"exploration"}
        if any_phase:
            phases = {"exploration", "closing", "opening"}
        taken = {s.bank_id for s in have}
        ok_summary = len(st.client) >= 4
        idx = [
            i
            for i in self._eligible
            if self.bank.entries[i].phase in phases
            and self.bank.entries[i].type != "protocol"
            and (ok_summary or self.bank.entries[i].type != "summary")
            and self.bank.entries[i].id not in taken
            and (named or not self.bank.entries[i].needs_name)
            and self._fits_topic(self.bank.entries[i], st)
            and self._usable(i, st)
        ]
        if not idx:
            return []
        sims = self._similarity(st, ctx, idx)
        emotion = st.client[-1].emotion if st.client else None
        scores = []
        for i, sim in zip(idx, sims):
            e = self.bank.entries[i]
            s = float(sim) + self._register_bonus(e, st)
            s += 0.04 if emotion and emotion in e.emotions else 0.0
            s += 0.03 * len(set(e.topics) & set(st.topics[:2]))
            s += 0.1 if st.phase == "closing" and e.phase == "closing" else 0.0
            scores.append(s)
        order = np.argsort(-np.asarray(scores))[:40]
        pool = [idx[j] for j in order]
        score_of = {idx[j]: scores[j] for j in order}
        picked = _mmr(
            pool,
            score_of,
            self.bank.embeddings if ctx is not None else None,
            [self.bank.entries[i].type for i in pool],
            k,
            _type_counts(s.type for s in have),
        )
        out = []
        for i in picked:
            e, c = self.bank.entries[i], self.bank.checks[i]
            bits = [f"kemiripan dengan cerita klien {score_of[i]:.2f}"]
            if set(e.topics) & set(st.topics[:2]):
                bits.append("topik " + ", ".join(sorted(set(e.topics) & set(st.topics[:2]))))
            if emotion and emotion in e.emotions:
                bits.append(f"emosi {emotion}")
            why = f"{TYPE_WHY[e.type]}; {'; '.join(bits)}."
            out.append(
                Suggestion(
                    e.type,
                    self._usable(i, st),
                    why,
                    "bank",
                    e.id,
                    score_of[i],
                    c.skill,
                    c.skill is not None,
                    tuple(t.ref for t in st.client[-CONTEXT_TURNS:]),
                )
            )
        return out


def _type_counts(it) -> dict[str, int]:
    c: dict[str, int] = {}
    for x in it:
        c[x] = c.get(x, 0) + 1
    return c


def _mmr(
    pool: list[int],
    score: dict[int, float],
    emb: np.ndarray | None,
    types: list[str],
    k: int,
    type_counts: dict[str, int],
) -> list[int]:
    """Maximal marginal relevance over the pool, at most PER_TYPE_CAP lines of one type."""
    picked: list[int] = []
    counts = dict(type_counts)
    type_of = dict(zip(pool, types))
    cand = list(pool)
    while cand and len(picked) < k:
        best, best_v = None, -9.0
        for i in cand:
            if counts.get(type_of[i], 0) >= PER_TYPE_CAP:
                continue
            red = (
                max((float(emb[i] @ emb[j]) for j in picked), default=0.0)
                if emb is not None
                else 0.0
            )
            v = MMR_LAMBDA * score[i] - (1 - MMR_LAMBDA) * red
            if v > best_v:
                best, best_v = i, v
        if best is None:
            break
        picked.append(best)
        counts[type_of[best]] = counts.get(type_of[best], 0) + 1
        cand.remove(best)
    return picked


def _dedupe(items: list[Suggestion]) -> list[Suggestion]:
    seen, out = set(), []
    for s in items:
        key = norm(s.text)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out
