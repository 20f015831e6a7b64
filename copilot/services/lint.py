"""The counselor-draft lint: flags, the offending spans, and gentler rewordings."""

from __future__ import annotations

from dataclasses import dataclass, field

from copilot import rewording
from copilot.analysis import Analysis, Evidence


@dataclass(frozen=True)
class LintFlag:
    label: str
    score: float | None
    origins: list[str]
    evidence: list[Evidence]
    rewordings: list[rewording.Rewording] = field(default_factory=list)


@dataclass(frozen=True)
class LintResult:
    flags: list[LintFlag]
    degraded: bool
    source: str
    model: str | None
    model_version: str | None


def lint_analysis(text: str, a: Analysis) -> LintResult:
    """Turn a counselor-role analysis into lint flags with rewordings.

    With the model, the model decides whether a draft is judgmental or imposes beliefs and the
    rules only locate the phrase. Without it (degraded), the rewording rules are the fallback
    detector, marked with origin ``pattern``.
    """
    flags: list[LintFlag] = []
    labels = list(a.flags)
    if a.degraded:
        for p in rewording.find_phrases(text):
            if p.label not in labels:
                labels.append(p.label)
    for label in labels:
        ev = list(a.evidence.get(label, []))
        origins = list(a.flag_origins.get(label, []))
        rw: list[rewording.Rewording] = []
        if label in rewording.LABELS:
            rw = rewording.suggest(text, label, [(e.start, e.end) for e in ev])
            if label not in a.flags:  # raised by the rules (degraded mode)
                origins = ["pattern"]
                ev = [Evidence(r.start, r.end, r.text, "pattern", r.rule) for r in rw]
        flags.append(LintFlag(label, a.scores.get(label), origins, ev, rw))
    return LintResult(flags, a.degraded, a.source, a.model, a.model_version)
