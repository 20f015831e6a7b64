"""The classifier's heads: which labels, which loss, which role reads them."""

from __future__ import annotations

from dataclasses import dataclass

from copilot.labels import CLIENT_RISK, COUNSELOR_FLAGS, EMOTIONS, SKILLS


@dataclass(frozen=True)
class Head:
    name: str
    type: str  # "multilabel" | "multiclass"
    labels: tuple[str, ...]
    role: str
    target_key: str  # key in the example row's targets


HEADS = (
    Head("risk", "multilabel", CLIENT_RISK, "client", "risk"),
    Head("flags", "multilabel", COUNSELOR_FLAGS, "counselor", "flags"),
    Head("skill", "multiclass", SKILLS, "counselor", "skill"),
    Head("emotion", "multiclass", EMOTIONS, "client", "emotion"),
)
HEAD_BY_NAME = {h.name: h for h in HEADS}
