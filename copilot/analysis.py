"""What the copilot says about one message, and where each part of it came from.

An `Analysis` is produced by `copilot.analyzer.Analyzer` (model + lexicon safety net +
contact patterns). Every raised flag carries its evidence spans and its origin, and a
result produced without the model is marked `degraded`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

Role = Literal["client", "counselor"]
Origin = Literal["model", "lexicon", "pattern"]
Source = Literal["model", "lexicon", "model+lexicon"]


@dataclass(frozen=True)
class Evidence:
    """A span of the original message that supports a flag."""

    start: int
    end: int
    text: str
    origin: Origin
    rule: str | None = None  # lexicon rule or pattern name; model attribution: None, or "relative" (see evidence.token_spans)


@dataclass
class Analysis:
    role: Role
    flags: list[str]
    scores: dict[str, float]
    evidence: dict[str, list[Evidence]]
    flag_origins: dict[str, list[Origin]]
    source: Source
    degraded: bool
    thresholds: dict[str, float] = field(default_factory=dict)
    skill: str | None = None
    skill_scores: dict[str, float] | None = None
    emotion: str | None = None
    emotion_scores: dict[str, float] | None = None
    model: str | None = None
    model_version: str | None = None
    id: str | int | None = None
    # crisis labels whose lexicon hits the model overruled (below the lexicon floor; not flagged)
    overruled: list[str] = field(default_factory=list)

    def to_line(self) -> dict:
        """The `copilot analyze` JSON Lines record (issue 5, item 7)."""
        out: dict = {
            "id": self.id,
            "flags": list(self.flags),
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "evidence": {
                k: [{"start": e.start, "end": e.end, "text": e.text, "origin": e.origin} for e in v]
                for k, v in self.evidence.items()
            },
            "source": self.source,
            "degraded": self.degraded,
        }
        if self.role == "counselor":
            out["skill"] = self.skill
            out["skill_scores"] = self.skill_scores and {k: round(v, 4) for k, v in self.skill_scores.items()}
        else:
            out["emotion"] = self.emotion
            out["emotion_scores"] = self.emotion_scores and {k: round(v, 4) for k, v in self.emotion_scores.items()}
        return out

    def as_dict(self) -> dict:
        return asdict(self)
