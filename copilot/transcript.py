"""A session as the suggestion, summary and review code sees it: ordered turns with their analyses.

The service builds it from stored messages (`ref` = message id), `copilot replay` from a JSON
Lines record (`ref` = 0-based turn index), so every derived field can point back at the
messages it came from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from copilot.analysis import Analysis, Role


@dataclass
class Turn:
    index: int  # 0-based position in the session
    role: Role
    text: str
    analysis: Analysis | None = None
    id: str | None = None  # stored message id; None in replay
    at: datetime | None = None  # when it was sent, when known

    @property
    def ref(self) -> str | int:
        """What evidence links point at: the message id, or the turn index without one."""
        return self.id if self.id is not None else self.index

    @property
    def flags(self) -> list[str]:
        return list(self.analysis.flags) if self.analysis else []

    @property
    def skill(self) -> str | None:
        return self.analysis.skill if self.analysis else None

    @property
    def emotion(self) -> str | None:
        return self.analysis.emotion if self.analysis else None


@dataclass(frozen=True)
class RaisedAlert:
    """A client risk flag raised on one turn (the service stores these as `alerts` rows)."""

    label: str
    turn: int  # index of the client turn
    crisis: bool
    open: bool = True  # the service: closed_at is None; replay: decided by `replay`
    outcome: str | None = None  # the counselor's assessment, when recorded ("no_current_risk", ...)


def counselor_turns(turns: Sequence[Turn]) -> list[Turn]:
    return [t for t in turns if t.role == "counselor"]


def client_turns(turns: Sequence[Turn]) -> list[Turn]:
    return [t for t in turns if t.role == "client"]
