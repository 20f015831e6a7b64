"""A stand-in for the analyzer where a test decides what the model says.

Client flags come from a few explicit phrases (plus any a test adds), counselor skills from
the surface rules unless a test overrides them, and the encoder is a hashed bag of words.
"""

from __future__ import annotations

import hashlib
import re

import numpy as np

from copilot.analysis import Analysis, Evidence
from copilot.skill_rules import guess_skill

# A few explicit phrases per label: enough for tests, and far faster to build than the real
# crisis lexicon (tests of the lexicon path use the real degraded Analyzer).
CLIENT_PATTERNS = {
    "suicidal": re.compile(
        r"pengen mati|ingin mati|mati aja|bunuh diri|mengakhiri hidup|ga mau hidup|"
        r"gak mau hidup|mending gue ga ada|nyudahin",
        re.IGNORECASE,
    ),
    "kdrt": re.compile(
        r"suami\w* (?:\w+ )?(?:pukul|mukul|cekik|nampar)|dipukul suami|main tangan", re.IGNORECASE
    ),
    "abusive": re.compile(r"\b(?:goblok|tolol|bego|otak lu)\b", re.IGNORECASE),
    "meet_request": re.compile(r"ketemu(?:an)?|no wa|nomor wa|ig kakak", re.IGNORECASE),
}


class _Manifest:
    name, version = "fake", "0"


class FakeEncoder:
    manifest = _Manifest()

    def __init__(self):
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        m = np.zeros((len(texts), 128), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"[a-z]{3,}", t.lower()):
                m[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % 128] += 1
        return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)


class FakeAnalyzer:
    """Analyzer-shaped: `analyze`, `encoder`, `degraded`, `info`."""

    def __init__(
        self,
        encoder: bool = True,
        judged=(),
        skills=None,
        emotion: str = "sedih",
        client_flags=None,
    ):
        self.encoder = FakeEncoder() if encoder else None
        self.judged = tuple(judged)  # substrings that make a counselor text "judgmental"
        self.skills = dict(skills or {})  # exact text -> skill the head "says"
        self.emotion = emotion
        self.client_flags = dict(client_flags or {})  # exact text -> flags the model "raises"

    @property
    def degraded(self) -> bool:
        return self.encoder is None

    def info(self) -> dict:
        return {"loaded": self.encoder is not None, "name": "fake", "version": "0"}

    def analyze(self, texts, role, ids=None):
        out = []
        for t in texts:
            if role == "client":
                hits = {k: rx.search(t) for k, rx in CLIENT_PATTERNS.items()}
                ev = {
                    k: [Evidence(m.start(), m.end(), m.group(0), "lexicon", k)]
                    for k, m in hits.items()
                    if m
                }
                flags = list(ev) + [f for f in self.client_flags.get(t, []) if f not in ev]
                for f in flags:
                    ev.setdefault(f, [Evidence(0, len(t), t, "model")])
                out.append(
                    Analysis(
                        "client",
                        flags,
                        {f: 0.9 for f in flags},
                        ev,
                        {f: ["model"] for f in flags},
                        "model" if self.encoder else "lexicon",
                        self.encoder is None,
                        emotion=self.emotion if self.encoder else None,
                    )
                )
            else:
                flags = ["judgmental"] if any(j in t for j in self.judged) else []
                skill = (self.skills.get(t) or guess_skill(t)) if self.encoder else None
                out.append(
                    Analysis(
                        "counselor",
                        flags,
                        {},
                        {},
                        {},
                        "model" if self.encoder else "lexicon",
                        self.encoder is None,
                        skill=skill,
                        skill_scores={skill: 0.9} if skill else None,
                    )
                )
        return out
