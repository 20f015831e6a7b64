"""The copilot's analysis of messages: the ONNX classifier, the crisis lexicon and contact patterns.

The model decides; the lexicon is a safety net for the crisis flags (it can only add a flag,
never remove one), and contact patterns catch personal contact details in counselor drafts.
A hit of a *weak* lexicon rule (a bare "bunuh diri", as often the news or a debate as the
client) adds its flag only when the model gives the label at least the lexicon's `model_floor`
or did not see the hit (a message longer than the model's window); a hit of any other rule, only
when the model gives it at least the far lower `strong_floor` (a model all but certain otherwise)
or did not see it. A hit the model overrules is counted (`lexicon_overruled:<label>`).
Without a model every hit raises its flag, and the analyzer keeps running on the rules alone:
every result is then marked `degraded`, and the fallback is logged and counted.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter

import numpy as np

from copilot.analysis import Analysis, Evidence, Role
from copilot.contact_recognizer import ContactRecognizer
from copilot.evidence import token_spans
from copilot.labels import CRISIS
from copilot.model_dir import ModelDirError
from copilot.onnx_encoder import OnnxEncoder
from copilot.risk_lexicon import RiskLexicon
from copilot.tokenizer import TokenizerFileError

log = logging.getLogger(__name__)

ROLE_HEADS = {"client": ("risk", "emotion"), "counselor": ("flags", "skill")}
# One message per model call: the int8 model quantises activations per call, so batch-mates
# (and their padding) would move a message's scores. Alone, a message always gets the same ones.
CHUNK = 1


class AnalyzerCounters:
    """Process-wide counts of this analyzer (the service exports its own Prometheus counters
    from each Analysis: copilot_analyses, copilot_lexicon_decisions)."""

    def __init__(self):
        self._lock = threading.Lock()
        self.counts: Counter = Counter()

    def add(self, key: str, n: int = 1) -> None:
        with self._lock:
            self.counts[key] += n


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class Analyzer:
    def __init__(
        self,
        encoder: OnnxEncoder | None,
        lexicon: RiskLexicon,
        contacts: ContactRecognizer,
        load_error: str | None = None,
    ):
        self.encoder = encoder
        self.lexicon = lexicon
        self.contacts = contacts
        self.load_error = load_error
        self.counters = AnalyzerCounters()
        if encoder is not None:
            heads = encoder.manifest.heads
            missing = [h for hs in ROLE_HEADS.values() for h in hs if h not in heads]
            if missing:
                raise ModelDirError(f"E308 model {encoder.manifest.name} lacks heads {missing}")

    @classmethod
    def from_settings(cls, settings) -> "Analyzer":
        """Load the shipped model; on any model-directory error run degraded (loudly)."""
        encoder, error = None, None
        try:
            encoder = OnnxEncoder(settings.model_dir, threads=settings.threads, verify=settings.verify_model)
        except (ModelDirError, TokenizerFileError) as exc:
            error = str(exc)
            log.error("DEGRADED: model not loaded (%s); risk detection runs on the crisis lexicon only", exc)
        return cls(encoder, RiskLexicon.default(), ContactRecognizer(), error)

    @property
    def degraded(self) -> bool:
        return self.encoder is None

    def info(self) -> dict:
        if self.encoder is None:
            return {"loaded": False, "degraded": True, "error": self.load_error,
                    "lexicon": f"{self.lexicon.name} {self.lexicon.version}"}
        m = self.encoder.manifest
        return {
            "loaded": True, "degraded": False, "name": m.name, "version": m.version,
            "heads": {k: h.labels for k, h in m.heads.items()}, "max_length": m.max_length,
            "lexicon": f"{self.lexicon.name} {self.lexicon.version}",
        }

    def analyze(self, texts: list[str], role: Role, ids: list | None = None) -> list[Analysis]:
        """Analyse messages of one role; results in input order."""
        if role not in ROLE_HEADS:
            raise ValueError(f"role must be 'client' or 'counselor', not {role!r}")
        ids = ids if ids is not None else [None] * len(texts)
        model_out: list[dict | None] = [None] * len(texts)
        if self.encoder is not None and texts:
            order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
            for s in range(0, len(order), CHUNK):
                idx = order[s : s + CHUNK]
                for i, r in zip(idx, self._run_model([texts[i] for i in idx], role)):
                    model_out[i] = r
        else:
            self.counters.add("degraded_analyses", len(texts))
        results = []
        for text, mid, mo in zip(texts, ids, model_out):
            a = self._combine(text, role, mo)
            a.id = mid
            results.append(a)
            for f in a.flags:
                self.counters.add(f"flag:{f}")
        return results

    # -- model ------------------------------------------------------------------------------

    def _run_model(self, texts: list[str], role: Role) -> list[dict]:
        m = self.encoder.manifest
        ml_name, mc_name = ROLE_HEADS[role]
        ml, mc = m.heads[ml_name], m.heads[mc_name]
        names = [ml.output, f"{ml_name}_token_contrib", mc.output]
        out = self.encoder.run(texts, names)
        probs = _sigmoid(out.outputs[ml.output] / ml.temperature)
        cls_probs = _softmax(out.outputs[mc.output] / mc.temperature)
        contrib = out.outputs[f"{ml_name}_token_contrib"]
        rows = []
        for i, text in enumerate(texts):
            scores = {lab: float(probs[i, j]) for j, lab in enumerate(ml.labels)}
            flags = [lab for lab in ml.labels if scores[lab] >= ml.thresholds.get(lab, 0.5)]
            evidence = {
                lab: token_spans(text, out.batch.offsets[i], contrib[i, :, ml.labels.index(lab)], relative=True)
                for lab in flags
            }
            cls = {lab: float(cls_probs[i, j]) for j, lab in enumerate(mc.labels)}
            seen_end = max((o[1] for o in out.batch.offsets[i] if o is not None), default=0)
            rows.append({"scores": scores, "flags": flags, "evidence": evidence, "cls": cls,
                         "ml": ml, "mc": mc, "seen_end": seen_end})
        return rows

    # -- rules + combination ---------------------------------------------------------------

    def _combine(self, text: str, role: Role, mo: dict | None) -> Analysis:
        flags: list[str] = list(mo["flags"]) if mo else []
        evidence: dict[str, list[Evidence]] = {k: list(v) for k, v in (mo["evidence"] if mo else {}).items()}
        origins: dict[str, list[str]] = {f: ["model"] for f in flags}
        overruled: list[str] = []
        rule_added = False
        if role == "client":
            for label, hits in self.lexicon.flags(text).items():
                if label not in CRISIS:
                    continue
                if mo is not None and label not in flags:
                    floor = self.lexicon.model_floor_for(hits, mo["seen_end"])
                    if mo["scores"].get(label, 0.0) < floor:
                        self.counters.add(f"lexicon_overruled:{label}")
                        overruled.append(label)
                        log.debug("lexicon hit %r (%s) overruled: model %.3f < floor %.3f", hits[0].text,
                                  hits[0].rule, mo["scores"].get(label, 0.0), floor)
                        continue
                ev = [Evidence(h.start, h.end, h.text, "lexicon", h.rule) for h in hits]
                evidence.setdefault(label, [])
                evidence[label] = ev + [e for e in evidence[label] if (e.start, e.end) not in {(x.start, x.end) for x in ev}]
                origins.setdefault(label, []).append("lexicon")
                if label not in flags:
                    flags.append(label)
                    rule_added = True
                    self.counters.add(f"lexicon_only:{label}")
        else:
            personal = self.contacts.personal(text)
            if personal:
                ev = [Evidence(h.start, h.end, h.text, "pattern", h.kind) for h in personal]
                evidence["shares_contact"] = ev + evidence.get("shares_contact", [])
                origins.setdefault("shares_contact", []).append("pattern")
                if "shares_contact" not in flags:
                    flags.append("shares_contact")
                    rule_added = True
            elif "shares_contact" in flags and self.contacts.find(text):
                # Only official referral contacts (119, hotlines, listed clinics) are present:
                # a referral is not sharing a personal contact (MAP.md convention).
                flags.remove("shares_contact")
                evidence.pop("shares_contact", None)
                origins.pop("shares_contact", None)
            if "off_platform" in flags:
                cues = self.contacts.find_off_platform(text)
                if cues:
                    evidence["off_platform"] = [Evidence(c.start, c.end, c.text, "pattern", c.rule) for c in cues] + evidence.get("off_platform", [])
                    origins["off_platform"].append("pattern")
        order = {lab: k for k, lab in enumerate(mo["ml"].labels)} if mo else {}
        flags.sort(key=lambda f: order.get(f, 99))
        if mo is None:
            source = "lexicon"
        else:
            source = "model+lexicon" if rule_added else "model"
        a = Analysis(
            role=role, flags=flags, scores=mo["scores"] if mo else {}, evidence=evidence,
            flag_origins=origins, source=source, degraded=mo is None,
            thresholds=dict(mo["ml"].thresholds) if mo else {},
            model=self.encoder.manifest.name if mo else None,
            model_version=self.encoder.manifest.version if mo else None,
            overruled=overruled,
        )
        if mo:
            best = max(mo["cls"], key=mo["cls"].get)
            if role == "counselor":
                a.skill, a.skill_scores = best, mo["cls"]
            else:
                a.emotion, a.emotion_scores = best, mo["cls"]
        return a

