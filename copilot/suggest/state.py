"""What the suggestion engine reads off a session before ranking: phase, register, opening,
open alerts, topics, and what the counselor already said."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from copilot import opening_checklist, reflection, topic_lexicon
from copilot.labels import CRISIS
from copilot.transcript import RaisedAlert, Turn

# The client winding down: thanks, relief, "I'll try".
CLOSING_CUE = re.compile(
    r"\b(?:makasih|terima\s*kasih|trims|thanks|thx|udah\s+lega|sudah\s+lega|lebih\s+lega|lebih\s+tenang|"
    r"pamit|segitu\s+dulu|cukup\s+dulu|udahan\s+dulu|aku\s+coba|saya\s+coba|gue\s+coba|sy\s+coba)\b",
    re.IGNORECASE,
)
WORDS = re.compile(r"[a-z]+")


@dataclass
class SessionState:
    """The session so far, as the ranking needs it (built once per request)."""

    turns: Sequence[Turn]
    client: list[Turn]
    alerts: Sequence[RaisedAlert]
    open_alerts: list[RaisedAlert]
    opening: opening_checklist.OpeningStatus
    you: str
    register: str
    said: set[str]
    topics: list[str]
    phase: str

    @classmethod
    def of(cls, turns: Sequence[Turn], alerts: Sequence[RaisedAlert]) -> SessionState:
        client = [t for t in turns if t.role == "client"]
        opening = opening_checklist.opening_status(turns)
        you = reflection.address_term(turns)
        open_alerts = sorted((a for a in alerts if a.open), key=lambda a: (not a.crisis, -a.turn))
        topics = topic_lexicon.rank_topics([t.text for t in client])
        if any(a.crisis for a in open_alerts):
            phase = "risk"
        elif opening.missing and len(client) < 2:
            phase = "opening"
        elif client and CLOSING_CUE.search(client[-1].text):
            phase = "closing"
        else:
            phase = "exploration"
        return cls(
            turns,
            client,
            alerts,
            open_alerts,
            opening,
            you,
            "formal" if reflection.formal_register(turns) else "santai",
            {norm(t.text) for t in turns if t.role == "counselor"},
            topics,
            phase,
        )

    def ref(self, index: int):
        for t in self.turns:
            if t.index == index:
                return t.ref
        return index


def crisis_spans(t: Turn) -> list[tuple[int, int]]:
    """Crisis evidence in a client turn: not said back in a reflection (the protocol handles it)."""
    ev = t.analysis.evidence if t.analysis else {}
    return [(e.start, e.end) for lab in CRISIS for e in ev.get(lab, [])]


def norm(text: str) -> str:
    """Lowercased words only: "already said" compares lines by this."""
    return " ".join(WORDS.findall(text.lower()))
