"""The unified example row every source is mapped to, and its JSON form.

Targets are partial on purpose: a source sets only the labels it really annotates (apricitea
knows `suicidal` and nothing else), so training can mask every label a row does not know.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LANGS = ("id", "en")
REGISTERS = ("informal", "formal")
SPLITS = ("train", "dev", "test")


@dataclass
class Example:
    """One message with the labels its source knows."""

    id: str
    source: str
    lang: str
    role: str
    text: str
    group: str
    risk: dict[str, int] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    skill: str | None = None
    emotion: str | None = None
    proxy: bool = False
    hard_negative: bool = False
    register: str | None = None
    augmented: bool = False
    split: str = ""  # assigned from the group by training.data.splits, never by a loader

    def to_json(self) -> dict[str, Any]:
        """The JSONL row, keys in a fixed order so two builds write identical bytes."""
        return {
            "id": self.id,
            "source": self.source,
            "lang": self.lang,
            "role": self.role,
            "text": self.text,
            "group": self.group,
            "split": self.split,
            "targets": {
                "risk": dict(sorted(self.risk.items())),
                "flags": dict(sorted(self.flags.items())),
                "skill": self.skill,
                "emotion": self.emotion,
            },
            "proxy": self.proxy,
            "hard_negative": self.hard_negative,
            "register": self.register,
            "augmented": self.augmented,
        }

    def knows(self, task: str) -> bool:
        """Whether this row carries a target for ``task`` (a risk/flag label, skill or emotion)."""
        if task == "skill":
            return self.skill is not None
        if task == "emotion":
            return self.emotion is not None
        return task in self.risk or task in self.flags
