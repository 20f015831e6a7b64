"""The curated Indonesian suggestion bank: loaded, checked by the model once, embedded once.

`copilot/suggestion_bank/bank_id.jsonl` holds counselor utterances written for this project,
tagged by type, phase, topic, emotion and (for protocol lines) risk label. At start-up every
line is run through the counselor lint and the skill head and embedded with the same encoder
as the client messages (Smart Reply's fixed response set). A line the lint flags, or whose
skill the head does not confirm, is never suggested: it is filtered and reported, not hoped
away.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from copilot import opening_checklist, protocol_steps
from copilot.labels import CLIENT_RISK, EMOTIONS
from copilot.suggest.lint import MARGIN, counselor_lint

if TYPE_CHECKING:
    from copilot.analyzer import Analyzer

BANK_PATH = Path(__file__).resolve().parent.parent / "suggestion_bank" / "bank_id.jsonl"
TYPES = ("open_question", "closed_question", "reflection", "summary", "protocol")
PHASES = ("opening", "exploration", "risk", "closing")
REGISTERS = ("santai", "formal")
# The skill head has four classes; a summary is a (complex) reflection in MITI 4.2. A protocol
# line claims no skill: it is an action of the guideline, checked by the lint only.
EXPECTED_SKILL: dict[str, str | None] = {
    "open_question": "open_question",
    "closed_question": "closed_question",
    "reflection": "reflection",
    "summary": "reflection",
    "protocol": None,
}
NAME_SLOT = "{nama}"
_CHECK_NAME = "Sari"  # stands in for {nama} while the model checks a line
_CHUNK = 64


class BankError(ValueError):
    """The bank file is malformed; the message names the line and the field."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code} {message}")
        self.code = code


@dataclass(frozen=True)
class BankEntry:
    id: str
    text: str
    type: str
    phase: str
    topics: tuple[str, ...]
    emotions: tuple[str, ...]
    label: str | None
    register: str
    note: str = ""

    @property
    def needs_name(self) -> bool:
        return NAME_SLOT in self.text

    def render(self, nickname: str | None) -> str | None:
        """The text with the client's nickname filled in; None when it needs one we do not have."""
        if not self.needs_name:
            return self.text
        return self.text.replace(NAME_SLOT, nickname) if nickname else None


@dataclass
class EntryCheck:
    lint: list[str]  # counselor flags raised on the line (model, patterns, rewording rules)
    skill: str | None  # what the skill head says it is; None without a model
    skill_score: float | None
    expected: str | None
    opening_items: tuple[str, ...]
    steps: tuple[str, ...]

    @property
    def skill_ok(self) -> bool | None:
        """None when nothing could be checked (no model, or a protocol line)."""
        if self.expected is None or self.skill is None:
            return None
        return self.skill == self.expected

    @property
    def eligible(self) -> bool:
        return not self.lint and self.skill_ok is not False


@dataclass
class SuggestionBank:
    entries: list[BankEntry]
    source: str
    sha256: str
    checks: list[EntryCheck] = field(default_factory=list)
    embeddings: np.ndarray | None = None  # rows aligned with entries, L2-normalised
    model: str | None = None

    @classmethod
    def load(cls, path: str | Path = BANK_PATH) -> SuggestionBank:
        """Read and validate the bank; a bad line fails loudly with its line number."""
        path = Path(path)
        if not path.is_file():
            raise BankError("E501", f"suggestion bank {path} not found")
        raw = path.read_bytes()
        entries, seen = [], set()
        for n, line in enumerate(raw.decode("utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BankError("E502", f"{path}:{n}: not JSON ({exc.msg})") from None
            e = _entry(rec, f"{path}:{n}")
            if e.id in seen:
                raise BankError("E503", f"{path}:{n}: duplicate id {e.id!r}")
            seen.add(e.id)
            entries.append(e)
        if not entries:
            raise BankError("E504", f"suggestion bank {path} is empty")
        return cls(entries, str(path), hashlib.sha256(raw).hexdigest())

    def prepare(self, analyzer: Analyzer) -> SuggestionBank:
        """Lint, skill-check and embed every line once (call at start-up)."""
        texts = [e.text.replace(NAME_SLOT, _CHECK_NAME) for e in self.entries]
        # One line at a time, as the service lints a draft (batched int8 scores differ slightly).
        analyses = [analyzer.analyze([t], "counselor")[0] for t in texts]
        self.checks = []
        for e, text, a in zip(self.entries, texts, analyses):
            best = a.skill_scores and max(a.skill_scores, key=a.skill_scores.get)
            self.checks.append(
                EntryCheck(
                    lint=counselor_lint(text, a, MARGIN),
                    skill=a.skill,
                    skill_score=a.skill_scores[best] if best else None,
                    expected=EXPECTED_SKILL[e.type],
                    opening_items=tuple(h.item for h in opening_checklist.detect(e.text)),
                    steps=tuple(h.step for h in protocol_steps.detect(e.text)),
                )
            )
        encoder = getattr(analyzer, "encoder", None)
        if encoder is not None:
            self.embeddings = np.concatenate(
                [encoder.embed(texts[i : i + _CHUNK]) for i in range(0, len(texts), _CHUNK)]
            ).astype(np.float32)
            self.model = f"{encoder.manifest.name} {encoder.manifest.version}"
        return self

    @property
    def prepared(self) -> bool:
        return len(self.checks) == len(self.entries)

    def report(self) -> dict:
        """Skill agreement per claimed type and the lint-clean rate, as measured at start-up."""
        if not self.prepared:
            raise RuntimeError("call prepare() first")
        per_type: dict[str, Counter] = {t: Counter() for t in TYPES}
        confusion: dict[str, Counter] = {t: Counter() for t in TYPES}
        for e, c in zip(self.entries, self.checks):
            per_type[e.type]["n"] += 1
            per_type[e.type]["lint_clean"] += not c.lint
            if c.skill is not None:
                confusion[e.type][c.skill] += 1
            if c.skill_ok is not None:
                per_type[e.type]["checked"] += 1
                per_type[e.type]["agree"] += c.skill_ok
        checked = sum(v["checked"] for v in per_type.values())
        agree = sum(v["agree"] for v in per_type.values())
        n = len(self.entries)
        clean = sum(not c.lint for c in self.checks)
        return {
            "bank": self.source,
            "sha256": self.sha256,
            "model": self.model,
            "entries": n,
            "lint_clean": clean,
            "lint_clean_rate": round(clean / n, 4),
            "lint_flagged": {e.id: c.lint for e, c in zip(self.entries, self.checks) if c.lint},
            "skill_checked": checked,
            "skill_agree": agree,
            "skill_agreement": round(agree / checked, 4) if checked else None,
            "per_type": {
                t: {
                    **dict(v),
                    "agreement": round(v["agree"] / v["checked"], 4) if v["checked"] else None,
                }
                for t, v in per_type.items()
            },
            "confusion": {t: dict(v) for t, v in confusion.items()},
            "eligible": sum(c.eligible for c in self.checks),
        }


def _entry(rec: object, where: str) -> BankEntry:
    if not isinstance(rec, dict):
        raise BankError("E505", f"{where}: a line must be a JSON object")
    for k in ("id", "text", "type", "phase", "register"):
        if not isinstance(rec.get(k), str) or not rec[k].strip():
            raise BankError("E505", f"{where}: field {k!r} must be a non-empty string")
    if rec["type"] not in TYPES:
        raise BankError("E506", f"{where}: type {rec['type']!r} not in {TYPES}")
    if rec["phase"] not in PHASES:
        raise BankError("E506", f"{where}: phase {rec['phase']!r} not in {PHASES}")
    if rec["register"] not in REGISTERS:
        raise BankError("E506", f"{where}: register {rec['register']!r} not in {REGISTERS}")
    label = rec.get("label")
    if label is not None and label not in CLIENT_RISK:
        raise BankError("E506", f"{where}: label {label!r} is not a client risk flag")
    if rec["type"] == "protocol" and rec["phase"] == "risk" and label is None:
        raise BankError("E507", f"{where}: a risk-phase protocol line needs its risk label")
    emotions = tuple(rec.get("emotions") or ())
    bad = [x for x in emotions if x not in EMOTIONS]
    if bad:
        raise BankError("E506", f"{where}: unknown emotions {bad}")
    slots = set(re.findall(r"\{[^}]*\}", rec["text"])) - {NAME_SLOT}
    if slots:
        raise BankError("E508", f"{where}: unknown placeholders {sorted(slots)}; only {NAME_SLOT}")
    return BankEntry(
        rec["id"],
        rec["text"].strip(),
        rec["type"],
        rec["phase"],
        tuple(rec.get("topics") or ()),
        emotions,
        label,
        rec["register"],
        rec.get("note") or "",
    )
